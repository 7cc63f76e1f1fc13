"""People within distance bands of factories, from a gridded population raster.

Method (DOMAIN.md §5): each band is a disc built **in metres** around the factory (in the
metric CRS of the factories), then reprojected to the raster's CRS — the raster itself is
never resampled or reprojected. People are summed with **exact partial-pixel coverage**
(exactextract): a pixel half inside the disc contributes half its people.

Two kinds of raster are handled explicitly:

``count``
    each pixel holds persons (WorldPop "ppp" counts): people = Σ value × coverage.
``density``
    each pixel holds persons per km²: people = Σ value × coverage × true pixel area (km²).
    For a raster in degrees the pixel area is computed on the WGS 84 ellipsoid row by row
    (pixels shrink with latitude); for a projected raster it is the pixel's width × height.

Missing values (nodata) count as no people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from exactextract import exact_extract
from exactextract.raster import NumPyRasterSource
from pyproj import CRS, Geod

from ecogis.errors import CRSError, DataValidationError
from ecogis.risk._geom import anchor_points, require_layer
from ecogis.risk.bands import DEFAULT_BANDS_M, check_bands
from ecogis.risk.proximity import _in, choose_metric_crs

RASTER_KINDS = ("count", "density")


@dataclass(frozen=True)
class PopulationGrid:
    """A north-up population grid held in memory (read by :mod:`ecogis.tasks.risk`).

    Attributes
    ----------
    values
        2-D array, row 0 at the top (north); NaN where there are no data.
    xmin, ymin, xmax, ymax
        Outer edges of the grid in the raster's CRS units.
    crs
        The raster's CRS (required: a raster without one is refused).
    kind
        ``count`` (persons per pixel) or ``density`` (persons per km²).
    source
        File name, for messages.
    """

    values: npt.NDArray[np.float64]
    xmin: float
    ymin: float
    xmax: float
    ymax: float
    crs: CRS | None
    kind: str = "count"
    source: str = "population raster"

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (int(self.values.shape[0]), int(self.values.shape[1]))

    def check(self) -> CRS:
        """Raise unless the grid is usable; return its CRS.

        Returns
        -------
        pyproj.CRS
            The grid's CRS, parsed.

        Raises
        ------
        CRSError
            If the grid has no CRS.
        DataValidationError
            If ``kind`` is not ``count`` or ``density``, the grid has no cells, or its
            extent is empty or flipped (not north-up).
        """
        if self.crs is None:
            raise CRSError(
                "the raster has no CRS (unknown coordinate system), so buffers in metres "
                "cannot be placed on it",
                source=self.source,
                fix="assign one, e.g. gdal_edit.py -a_srs EPSG:4326 FILE (WorldPop is EPSG:4326)",
            )
        if self.kind not in RASTER_KINDS:
            raise DataValidationError(
                f"raster kind {self.kind!r} is not count or density",
                source=self.source,
                fix="say --population-kind count (persons per pixel) or density (per km²)",
            )
        if self.values.ndim != 2 or self.values.size == 0:
            raise DataValidationError(
                "the raster has no cells",
                source=self.source,
                fix="give a raster covering the factories",
            )
        if not (self.xmax > self.xmin and self.ymax > self.ymin):
            raise DataValidationError(
                "the raster's extent is empty or flipped",
                source=self.source,
                fix="give a north-up raster",
            )
        return CRS.from_user_input(self.crs)

    def pixel_area_km2(self) -> npt.NDArray[np.float64]:
        """Return the true area of each pixel in km² (same shape as :attr:`values`).

        Returns
        -------
        numpy.ndarray
            float64, km² per pixel: on the WGS 84 ellipsoid row by row for a grid in degrees
            (pixels shrink with latitude), width × height in the CRS's unit converted to
            metres for a projected grid.

        Raises
        ------
        CRSError, DataValidationError
            As :meth:`check`.
        """
        crs = self.check()
        rows, cols = self.shape
        dx = (self.xmax - self.xmin) / cols
        dy = (self.ymax - self.ymin) / rows
        if crs.is_geographic:
            geod = Geod(ellps="WGS84")
            tops = self.ymax - dy * np.arange(rows)
            area_row = np.empty(rows)
            for k, top in enumerate(tops):
                lons = [0.0, dx, dx, 0.0]
                lats = [top - dy, top - dy, top, top]
                area_row[k] = abs(geod.polygon_area_perimeter(lons, lats)[0]) / 1e6
            return np.repeat(area_row[:, None], cols, axis=1)
        unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
        return np.full((rows, cols), abs(dx * dy) * unit * unit / 1e6)


def band_discs(
    factories: gpd.GeoDataFrame,
    *,
    bands_m: Sequence[float] = DEFAULT_BANDS_M,
    quad_segs: int = 64,
    id_col: str = "factory_id",
) -> gpd.GeoDataFrame:
    """Discs of each band radius around each factory, built in metres (metric CRS).

    Parameters
    ----------
    factories
        Points (any CRS; a polygon is reduced to its anchor point) with ``id_col``.
    bands_m
        Disc radii in metres (default 500, 1000, 3000, 5000); sorted and made unique.
    quad_segs
        Segments per quarter circle of each disc (default 64).
    id_col
        The factory ID column; when the frame lacks it, the index labels are used.

    Returns
    -------
    geopandas.GeoDataFrame
        One disc per factory and band, in the factories' metric CRS: ``id_col``, ``band_m``
        (radius in metres) and the disc geometry, factory by factory, bands ascending.

    Raises
    ------
    DataValidationError
        If a band is not a number or not a distance > 0.
    """
    bands = check_bands(bands_m)
    crs = choose_metric_crs(factories, factories)
    pts = np.asarray(shapely.points(anchor_points(_in(factories, crs).geometry)), dtype=object)
    ids = factories[id_col] if id_col in factories.columns else factories.index.to_series()
    rows = [(fid, b) for fid in ids.to_numpy(dtype=object) for b in bands]
    geoms = [shapely.buffer(p, b, quad_segs=quad_segs) for p in pts for b in bands]
    return gpd.GeoDataFrame(
        {id_col: [r[0] for r in rows], "band_m": [r[1] for r in rows]}, geometry=geoms, crs=crs
    )


def exposed_population(
    factories: gpd.GeoDataFrame,
    grid: PopulationGrid,
    *,
    bands_m: Sequence[float] = DEFAULT_BANDS_M,
    id_col: str = "factory_id",
) -> pd.DataFrame:
    """People within each band of each factory, from a population grid.

    Parameters
    ----------
    factories
        Points (any CRS) with ``id_col``.
    grid
        The population grid (see :class:`PopulationGrid`; ``kind`` decides count vs density).
    bands_m
        Disc radii in metres.

    Returns
    -------
    pandas.DataFrame
        ``id_col``, ``band_m``, ``raster_population`` (persons), one row per factory and band.

    Raises
    ------
    CRSError
        The raster has no CRS.
    """
    require_layer(factories, "factories", key=id_col)
    crs = grid.check()
    discs = band_discs(factories, bands_m=bands_m, id_col=id_col)
    people = _sum_people(discs.geometry.to_crs(crs), grid, crs)
    out = pd.DataFrame({id_col: discs[id_col].to_numpy(), "band_m": discs["band_m"].to_numpy()})
    out["raster_population"] = people
    return out


def _sum_people(areas: gpd.GeoSeries, grid: PopulationGrid, crs: CRS) -> npt.NDArray[np.float64]:
    """Σ people inside each area (already in the raster's CRS), exact pixel coverage."""
    values = np.nan_to_num(np.asarray(grid.values, dtype="float64"), nan=0.0)
    values = np.where(values > 0, values, 0.0)
    wkt = crs.to_wkt()
    rast = NumPyRasterSource(values, grid.xmin, grid.ymin, grid.xmax, grid.ymax, srs_wkt=wkt)
    feats = gpd.GeoDataFrame({"_k": np.arange(len(areas))}, geometry=areas.to_numpy(), crs=crs)
    if grid.kind == "count":
        res = exact_extract(rast, feats, ["sum"], output="pandas")
        people = res["sum"].to_numpy(dtype="float64")
    else:
        area = NumPyRasterSource(
            grid.pixel_area_km2(), grid.xmin, grid.ymin, grid.xmax, grid.ymax, srs_wkt=wkt
        )
        res = exact_extract(rast, feats, ["weighted_sum"], weights=area, output="pandas")
        people = res["weighted_sum"].to_numpy(dtype="float64")
    return np.asarray(np.nan_to_num(people, nan=0.0), dtype="float64")


def exposed_population_union(
    factories: gpd.GeoDataFrame,
    grid: PopulationGrid,
    *,
    bands_m: Sequence[float] = DEFAULT_BANDS_M,
) -> pd.Series:
    """People within each band of **any** of the factories (each person counted once).

    The discs of a band are dissolved into one area (in metres) before the raster is summed,
    so people living between two factories are not counted twice.

    Parameters
    ----------
    factories
        Points (any CRS), keyed by ``factory_id`` in messages.
    grid
        The population grid (see :class:`PopulationGrid`; ``kind`` decides count vs density).
    bands_m
        Disc radii in metres (default 500, 1000, 3000, 5000).

    Returns
    -------
    pandas.Series
        Persons, indexed by band distance in metres (``band_m``, ascending).

    Raises
    ------
    DataValidationError
        If ``factories`` is empty or has a feature without a geometry, a band is not a
        distance > 0, or the grid is unusable (see :meth:`PopulationGrid.check`).
    CRSError
        If ``factories`` or the grid has no CRS.
    """
    require_layer(factories, "factories", key="factory_id")
    crs = grid.check()
    bands = check_bands(bands_m)
    discs = band_discs(factories, bands_m=bands)
    merged = [shapely.union_all(discs.geometry[discs["band_m"] == b].to_numpy()) for b in bands]
    people = _sum_people(gpd.GeoSeries(merged, crs=discs.crs).to_crs(crs), grid, crs)
    return pd.Series(people, index=pd.Index(bands, name="band_m"))
