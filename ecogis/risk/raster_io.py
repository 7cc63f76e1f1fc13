"""Reading a population raster for the risk analysis.

This is the one module of the package that opens a file; the analyses receive the
:class:`~ecogis.risk.exposure.PopulationGrid`.

Only the window around the factories is read, in whole pixels: the raster is never
resampled or reprojected.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors
import rasterio.warp
import rasterio.windows
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from ecogis.errors import CRSError, DataValidationError, InputFileError
from ecogis.risk.exposure import RASTER_KINDS, PopulationGrid

log = logging.getLogger(__name__)


def read_population_raster(
    path: str | Path,
    *,
    kind: str = "auto",
    bounds_4326: tuple[float, float, float, float] | None = None,
) -> PopulationGrid:
    """Read the part of a population raster covering ``bounds_4326`` (never resampled).

    Parameters
    ----------
    path
        A GeoTIFF (or any GDAL raster) with a CRS, north-up, one band of people.
    kind
        ``count`` (persons per pixel), ``density`` (persons per km²) or ``auto``: the band's
        ``kind`` tag when it has one, ``density`` when its ``units`` tag mentions km, else
        ``count`` (WorldPop's default product).
    bounds_4326
        (west, south, east, north) in degrees to read; the whole raster when ``None``.

    Returns
    -------
    PopulationGrid
        The pixels covering the bounds plus two on each side (float64, nodata as NaN),
        their extent in the raster's own CRS, the CRS, the kind and the file name.

    Raises
    ------
    InputFileError
        The file cannot be read, is rotated, or does not cover the bounds.
    CRSError
        The raster has no CRS or one PROJ cannot interpret.
    DataValidationError
        ``kind`` is not ``count``, ``density`` or ``auto``.
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError("file not found", source=p, fix="give the path of a GeoTIFF")
    try:
        src = rasterio.open(p)
    except rasterio.errors.RasterioIOError as exc:
        raise InputFileError(
            f"cannot be read as a raster ({exc})",
            source=p,
            fix="give a GeoTIFF of people per pixel",
        ) from exc
    with src:
        if src.crs is None:
            raise CRSError(
                "the raster has no CRS (unknown coordinate system), so buffers in metres "
                "cannot be placed on it",
                source=p,
                fix="assign it, e.g. gdal_edit.py -a_srs EPSG:4326 FILE (WorldPop is EPSG:4326)",
            )
        try:
            crs = CRS.from_user_input(src.crs.to_wkt())
        except PyprojCRSError as exc:
            raise CRSError(
                f"the raster's CRS cannot be interpreted ({exc})",
                source=p,
                fix="assign a known CRS with gdal_edit.py -a_srs EPSG:…",
            ) from exc
        t = src.transform
        if t.b != 0 or t.d != 0 or t.e >= 0:
            raise InputFileError(
                "the raster is rotated or not north-up",
                source=p,
                fix="warp it north-up with gdalwarp (use -r sum for counts)",
            )
        full = rasterio.windows.Window(0, 0, src.width, src.height)
        if bounds_4326 is None:
            window = full
        else:
            west, south, east, north = rasterio.warp.transform_bounds(
                "EPSG:4326", src.crs, *bounds_4326, densify_pts=21
            )
            w = rasterio.windows.from_bounds(west, south, east, north, transform=t)
            # whole pixels around the bounds, plus 2 on each side: never resampled
            c0, r0 = int(np.floor(w.col_off)) - 2, int(np.floor(w.row_off)) - 2
            c1 = int(np.ceil(w.col_off + w.width)) + 2
            r1 = int(np.ceil(w.row_off + w.height)) + 2
            w = rasterio.windows.Window(c0, r0, c1 - c0, r1 - r0)
            try:
                window = w.intersection(full)
            except rasterio.errors.WindowError as exc:
                raise InputFileError(
                    "the raster does not cover the factories",
                    source=p,
                    fix="give a raster of the province or the country",
                ) from exc
        arr = src.read(1, window=window, masked=True).astype("float64").filled(np.nan)
        xmin, ymin, xmax, ymax = rasterio.windows.bounds(window, t)
        tags = {k.lower(): str(v).lower() for k, v in src.tags(1).items()}
    if kind == "auto":
        kind = tags.get("kind", "")
        if kind not in RASTER_KINDS:
            kind = "density" if "km" in tags.get("units", "") else "count"
    if kind not in RASTER_KINDS:
        raise DataValidationError(
            f"raster kind {kind!r} is not count, density or auto",
            source=p,
            fix="use --population-kind count|density|auto",
        )
    return PopulationGrid(
        values=arr, xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax, crs=crs, kind=kind, source=str(p)
    )


def recorded_population_raster(
    recorded: str | None, kind: str | None, *, folder: Path
) -> tuple[Path | None, str]:
    """Return the population raster a workspace records, resolved, and its kind.

    Parameters
    ----------
    recorded
        The workspace's ``population_raster`` setting: a path, relative to ``folder``
        unless absolute (``None`` when none is recorded).
    kind
        The workspace's ``population_raster_kind`` setting (``auto`` when ``None``).
    folder
        The folder relative paths start from (the workspace's output folder).

    Returns
    -------
    (Path or None, str)
        The raster (``None`` when none is recorded or it is no longer there) and its kind.
        A recorded raster that is missing (a workspace copied without it) is logged and
        skipped: only a raster named on the command line must exist.
    """
    kind = kind or "auto"
    if not recorded:
        return None, kind
    p = Path(recorded)
    p = p if p.is_absolute() else folder / p
    if not p.exists():
        log.warning(
            "the population raster recorded in the workspace is missing (%s); "
            "raster figures skipped — pass --population FILE",
            p,
        )
        return None, kind
    return p, kind
