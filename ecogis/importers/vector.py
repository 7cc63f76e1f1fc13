"""Read vector files and coordinate tables into EPSG:4326 with every CRS trap checked.

* GeoPackage, GeoJSON, Shapefile (``.shp`` with its ``.cpg``, or ``--encoding cp874`` for
  Thai DBFs; a zipped Shapefile as ``.zip``), FlatGeobuf, KML/GML.
* CSV/XLSX with coordinate columns (``LAT``/``LNG``, ``lat``/``lon``, ``ละติจูด``/``ลองติจูด``,
  ``x``/``y``) for point layers (factories, communities).

What is checked: a file without a CRS (or a GeoJSON, which GDAL always calls EPSG:4326)
whose numbers are metres → refused with the UTM zone to pass; Indian 1975 → reprojected with
a named transformation and said so; latitude/longitude swapped → detected, exchanged only
with ``--swap-latlon``; points outside Thailand; invalid polygons → repaired with
:func:`shapely.make_valid` and reported.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from ecogis.errors import CRSError, InputFileError
from ecogis.importers.base import (
    ImportOptions,
    Problems,
    parse_lat_lon,
)
from ecogis.importers.checks import (
    COORD_METRES,
    COORD_MISSING,
    COORD_OK,
    COORD_OUTSIDE,
    COORD_PLACEHOLDER,
    COORD_SWAPPED,
    PLACEHOLDER_VALUES,
    check_text_encoding,
    classify_coordinates,
    datum_transformation,
    garbled_kind,
    inside_thailand,
    is_indian_1975,
    metres_without_crs_error,
    require_kind,
)
from ecogis.importers.layouts import other_sheets_hint


def parse_crs(text: str | None) -> CRS | None:
    """Parse the CRS given with ``--crs`` (``EPSG:32647``, ``32647``, a WKT or PROJ string).

    Parameters
    ----------
    text : str or None
        The option's value; bare digits are read as an EPSG code.

    Returns
    -------
    pyproj.CRS or None
        The CRS; ``None`` when no ``--crs`` was given.

    Raises
    ------
    CRSError
        When pyproj does not know the CRS.
    """
    if text is None:
        return None
    value = text.strip()
    if value.isdigit():
        value = f"EPSG:{value}"
    try:
        return CRS.from_user_input(value)
    except PyprojCRSError as exc:
        raise CRSError(
            f"--crs {text!r} is not a CRS pyproj knows",
            fix="give an EPSG code such as EPSG:4326, EPSG:32647 or EPSG:32648",
        ) from exc


def list_layers(path: Path) -> list[str]:
    """Layer names of a vector file.

    Parameters
    ----------
    path : Path
        A file GDAL can open (GeoPackage, GeoJSON, Shapefile …).

    Returns
    -------
    list[str]
        The layer names, in the file's order.

    Raises
    ------
    InputFileError
        When GDAL cannot open the file (a JSON that is not GeoJSON is named as such).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's own words go in the error
            return [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # GDAL raises DataSourceError and friends
        not_geojson = _json_but_not_geojson(path)
        if not_geojson is not None:
            raise InputFileError(
                not_geojson,
                source=path,
                fix="export the layer as GeoJSON (a FeatureCollection) or GeoPackage; a plain "
                "JSON table can be saved as CSV with LAT/LNG columns",
            ) from exc
        detail = str(exc).split("; It might help")[0].replace("\n", " ")
        raise InputFileError(
            f"GDAL cannot open the file ({detail})",
            source=path,
            fix="check that it is a complete GeoPackage/GeoJSON/Shapefile (with .shx/.dbf); "
            "a download that stopped halfway must be fetched again",
        ) from exc


def _json_but_not_geojson(path: Path) -> str | None:
    """Say what a .json/.geojson file is when it parses as JSON but is not GeoJSON."""
    import json

    if path.suffix.lower() not in (".json", ".geojson"):
        return None
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError):
        return None  # not complete JSON: GDAL's words (with the position) say more
    if isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature"):
        return None
    shape = type(data).__name__ if not isinstance(data, dict) else "object"
    keys = f" with keys {', '.join(list(data)[:5])}" if isinstance(data, dict) else ""
    return f'is JSON but not GeoJSON (a {shape}{keys}; no "type": "FeatureCollection")'


def read_vector_file(path: Path, options: ImportOptions, *, prefer_layer: str) -> gpd.GeoDataFrame:
    """Read a vector file as it is (no reprojection yet); index = feature numbers 1…n.

    Parameters
    ----------
    path : Path
        The file.
    options : ImportOptions
        ``layer`` and ``encoding`` are used.
    prefer_layer : str
        Layer to choose from a multi-layer file when ``--layer`` is not given (the
        destination layer's name, e.g. ``provinces``).

    Returns
    -------
    geopandas.GeoDataFrame
        Every feature with its attributes and geometry in the file's own CRS (``None`` when
        it declares none), indexed 1…n.

    Raises
    ------
    InputFileError
        A file that is not what its extension says, a Shapefile without its ``.shx`` or
        ``.dbf``, no such layer or several layers to choose from, a file GDAL cannot read
        (with the ``--encoding`` to pass for Thai text), no features, or garbled Thai
        column names or text.
    """
    require_kind(path)
    _require_shapefile_sidecars(path)
    layer = _choose_layer(path, options.layer, prefer_layer)
    frame = _read_layer(path, layer, options.encoding)
    if len(frame) == 0:
        raise InputFileError(
            "the file has no features", source=path, fix="export the data again; nothing to import"
        )
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame)), crs=None)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    for name in frame.columns:
        if garbled_kind(str(name)) is not None:
            raise InputFileError(
                f"column name {str(name)!r} is garbled Thai text",
                source=path,
                field=str(name),
                fix="pass --encoding cp874 (Thai DBF without a .cpg file) or --encoding utf-8",
            )
    check_text_encoding(
        frame.drop(columns="geometry"), source=path, first_row=1, encoding=options.encoding
    )
    return frame


def _require_shapefile_sidecars(path: Path) -> None:
    """Refuse a ``.shp`` whose ``.shx`` or ``.dbf`` is not next to it (either case)."""
    if path.suffix.lower() != ".shp":
        return
    for sidecar in (".shx", ".dbf"):
        if (
            not path.with_suffix(sidecar).exists()
            and not path.with_suffix(sidecar.upper()).exists()
        ):
            raise InputFileError(
                f"the Shapefile's {sidecar} file is missing",
                source=path,
                fix=f"copy {path.with_suffix(sidecar).name} next to it "
                "(a Shapefile is several files)",
            )


def _choose_layer(path: Path, layer: str | None, prefer_layer: str) -> str | None:
    """Choose the layer to read: ``--layer``, else ``prefer_layer`` of a multi-layer file."""
    layers = list_layers(path)
    if layer is not None and layer not in layers:
        raise InputFileError(
            f"no layer named {layer!r}",
            source=path,
            fix=f"use --layer with one of: {', '.join(layers)}",
        )
    if layer is None and len(layers) > 1:
        if prefer_layer in layers:
            layer = prefer_layer
        else:
            raise InputFileError(
                f"the file has {len(layers)} layers",
                source=path,
                fix=f"choose one with --layer: {', '.join(layers)}",
            )
    return layer


def _read_layer(path: Path, layer: str | None, encoding: str | None) -> Any:
    """GDAL's reading of one layer; a failure becomes one line with the likely fix."""
    kwargs: dict[str, Any] = {}
    if encoding:
        kwargs["encoding"] = encoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(path, layer=layer, **kwargs)
    except Exception as exc:
        text = str(exc).replace("\n", " ")
        fix = "check the file in QGIS; export it again as GeoPackage"
        if isinstance(exc, UnicodeDecodeError) or "decode" in text.lower():
            cut = _cut_utf8_text(path, layer)
            if cut is not None:
                raise InputFileError(
                    cut,
                    source=path,
                    fix="export the layer as GeoPackage (keeps Thai text whole), or as a "
                    "Shapefile in cp874/TIS-620 (one byte per Thai character)",
                ) from exc
            fix = "pass --encoding cp874 (Thai Windows/TIS-620) or --encoding utf-8"
        elif "encoding" in text.lower():
            fix = "pass --encoding cp874 (Thai Windows/TIS-620) or --encoding utf-8"
        raise InputFileError(f"cannot read the file ({text})", source=path, fix=fix) from exc


def _cut_utf8_text(path: Path, layer: str | None) -> str | None:
    """Explain a DBF whose UTF-8 Thai text was cut mid-character, or None if it is not that.

    A DBF column name holds 10 bytes (3 Thai characters in UTF-8, 10 in cp874) and a value
    254 bytes; writing Thai UTF-8 into a Shapefile cuts both. The bytes are read as
    ISO-8859-1 (every byte is a character) to look at them.
    """
    if path.suffix.lower() != ".shp":
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = pyogrio.read_dataframe(
                path, layer=layer, encoding="ISO-8859-1", read_geometry=False
            )
    except Exception:  # not readable at all: let the caller report GDAL's words
        return None

    def cut(value: str) -> bool:
        raw = value.encode("ISO-8859-1", errors="replace")
        try:
            raw.decode("utf-8")
            return False
        except UnicodeDecodeError as err:
            return (
                err.reason == "unexpected end of data" and raw[:-3].decode("utf-8", "ignore") != ""
            )

    names = [str(c) for c in frame.columns if cut(str(c))]
    if names:
        shown = ", ".join(repr(n.encode("ISO-8859-1").decode("utf-8", "ignore")) for n in names[:3])
        return (
            f"the Shapefile's Thai column names were cut to 10 bytes in UTF-8 ({shown} …): "
            "the columns cannot be recognised"
        )
    for col in frame.columns:
        values = frame[col]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            bad = values.map(lambda v: isinstance(v, str) and cut(v))
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
                return (
                    f"Thai text in column {str(col)!r} is cut in the middle of a character "
                    f"(row {row} and {int(bad.sum()) - 1} more): the DBF field was too narrow "
                    "for UTF-8 Thai"
                )
    return None


def _declares_crs(path: Path) -> bool:
    """Return False for a GeoJSON without a ``crs`` member (GDAL calls it WGS 84 all the same)."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return True
    with path.open("rb") as fh:
        head = fh.read(4096)
    # The member sits before "features" in files GDAL and QGIS write.
    features = head.find(b'"features"')
    return b'"crs"' in (head if features < 0 else head[:features])


def _xy_bounds_degrees(geoms: gpd.GeoSeries) -> bool:
    """Return True when every feature fits in ±180/±90, either way round (could be degrees).

    Judged feature by feature, so that a file with a few swapped points (x 13.8, y 100.0
    among x 100.0, y 13.8) is reported as swapped, not as metres.
    """
    b = geoms.bounds
    x = np.maximum(b["minx"].abs(), b["maxx"].abs()).to_numpy()
    y = np.maximum(b["miny"].abs(), b["maxy"].abs()).to_numpy()
    fits = ((x <= 180) & (y <= 90)) | ((x <= 90) & (y <= 180))
    return bool(fits.all())


def _sample_xy(geoms: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    pts = geoms.representative_point()
    return pts.x.to_numpy(), pts.y.to_numpy()


def to_storage_crs(
    frame: gpd.GeoDataFrame, *, source: Path, options: ImportOptions, notes: list[str]
) -> gpd.GeoDataFrame:
    """Give the frame its real CRS and reproject it to EPSG:4326, refusing what is wrong.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Features as read (:func:`read_vector_file`), in the file's CRS or none.
    source : Path
        The file, named in errors and used to tell whether a GeoJSON declares its CRS.
    options : ImportOptions
        ``crs`` overrides the file's CRS; ``swap_latlon`` exchanges swapped coordinates.
    notes : list[str]
        The summary's lines; CRS decisions and Indian 1975 datum shifts are appended.

    Returns
    -------
    geopandas.GeoDataFrame
        The features in EPSG:4326, every one inside Thailand.

    Raises
    ------
    InputFileError
        No feature has a geometry.
    CRSError
        Metres without a CRS (with the UTM zone to pass), a projected CRS on degree
        coordinates, coordinates swapped (unless ``--swap-latlon``) or outside Thailand.
    """
    given = parse_crs(options.crs)
    geoms = frame.geometry
    present = geoms[~(geoms.isna() | geoms.is_empty)]
    if len(present) == 0:
        raise InputFileError(
            "no feature has a geometry",
            source=source,
            fix="check the export; for a table of points use CSV/XLSX with LAT/LNG columns",
        )
    file_crs = frame.crs
    if given is not None:
        if file_crs is not None and not _declares_crs(source):
            notes.append(f"the file declares no CRS; read as {options.crs} (--crs)")
        elif file_crs is not None and CRS.from_user_input(file_crs) != given:
            notes.append(
                f"CRS of the file ({CRS.from_user_input(file_crs).name}) "
                f"overridden by --crs {options.crs}"
            )
        frame = frame.set_crs(given, allow_override=True)
    elif file_crs is None or CRS.from_user_input(file_crs).is_geographic:
        if not _xy_bounds_degrees(present):
            x, y = _sample_xy(present)
            raise metres_without_crs_error(x, y, source=source)
        if file_crs is None:
            notes.append("the file declares no CRS; its numbers are degrees, read as EPSG:4326")
            frame = frame.set_crs(4326)
    crs = CRS.from_user_input(frame.crs)
    if given is None and crs.is_projected:
        x, y = _sample_xy(present)
        if inside_thailand(x, y).mean() > 0.9:
            raise CRSError(
                f"the file says its CRS is {crs.name}, but its coordinates are degrees "
                f"(x {np.nanmin(x):.3f}–{np.nanmax(x):.3f}, "
                f"y {np.nanmin(y):.3f}–{np.nanmax(y):.3f})",
                source=source,
                fix="pass --crs EPSG:4326 (the .prj or CRS of the file is wrong)",
            )
    if crs.is_geographic and not _xy_bounds_degrees(present):
        x, y = _sample_xy(present)
        raise metres_without_crs_error(x, y, source=source)
    if is_indian_1975(crs):
        x, y = _sample_xy(present)
        transformer, note = datum_transformation(crs, x, y)
        notes.append(note.describe(crs.name))

        def move(g: Any) -> Any:
            return shapely.transform(
                g, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1]))
            )

        frame = gpd.GeoDataFrame(
            frame.drop(columns="geometry"),
            geometry=gpd.GeoSeries(
                [move(g) if g is not None else None for g in frame.geometry], index=frame.index
            ),
            crs=4326,
        )
    elif crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return _check_in_thailand(frame, source=source, options=options, notes=notes)


def _check_in_thailand(
    frame: gpd.GeoDataFrame, *, source: Path, options: ImportOptions, notes: list[str]
) -> gpd.GeoDataFrame:
    geoms = frame.geometry
    has = ~(geoms.isna() | geoms.is_empty)
    x, y = _sample_xy(geoms[has])
    inside = inside_thailand(x, y)
    swapped = ~inside & inside_thailand(y, x)
    rows = frame.index[has.to_numpy()]
    if swapped.any():
        if not options.swap_latlon:
            first = int(rows[np.argmax(swapped)])
            raise CRSError(
                f"{int(swapped.sum())} feature(s) have latitude and longitude swapped "
                f"(x {x[np.argmax(swapped)]:.4f}, y {y[np.argmax(swapped)]:.4f})",
                source=source,
                row=first,
                fix="pass --swap-latlon to exchange them, or fix the export",
            )
        flip = pd.Series(False, index=frame.index)
        flip.loc[rows[swapped]] = True
        new = [
            shapely.transform(g, lambda c: c[:, ::-1]) if f else g
            for g, f in zip(frame.geometry, flip, strict=True)
        ]
        frame = frame.set_geometry(gpd.GeoSeries(new, index=frame.index, crs=4326))
        notes.append(
            f"{int(swapped.sum())} feature(s) had latitude/longitude swapped: "
            "exchanged (--swap-latlon)"
        )
        inside = inside | swapped
    if not inside.all():
        first = int(rows[np.argmax(~inside)])
        share = float((~inside).mean())
        what = (
            f"{int((~inside).sum())} of {len(inside)} feature(s) lie outside Thailand "
            f"(first at x {x[np.argmax(~inside)]:.4f}, y {y[np.argmax(~inside)]:.4f})"
        )
        fix = "check the CRS (pass the right one with --crs) or remove those features"
        if share > 0.5:
            fix = "the CRS is probably wrong: pass the file's real CRS with --crs EPSG:…"
        raise CRSError(what, source=source, row=first, fix=fix)
    return frame


def repair_polygons(
    frame: gpd.GeoDataFrame, *, notes: list[str], problems: Problems, required: bool = True
) -> gpd.GeoDataFrame:
    """Repair invalid polygons with :func:`shapely.make_valid`, keep polygonal parts, report.

    A feature without geometry is a row problem when ``required``.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Polygon features.
    notes : list[str]
        The summary's lines; how many were repaired (first rows, first reason) is appended.
    problems : Problems
        Where a feature without geometry is recorded.
    required : bool, default True
        Whether a missing or empty geometry is a row problem.

    Returns
    -------
    geopandas.GeoDataFrame
        ``frame`` with each invalid geometry replaced by its valid polygonal part (``None``
        when the repair leaves no polygon); valid ones unchanged.
    """
    geoms = frame.geometry
    empty = geoms.isna() | geoms.is_empty
    if required:
        for row in frame.index[empty.to_numpy()]:
            problems.add(int(row), "geometry", "the feature has no geometry", "draw or delete it")
    invalid = ~empty & ~geoms.is_valid
    if invalid.any():
        reasons = shapely.is_valid_reason(geoms[invalid].to_numpy())
        fixed = shapely.make_valid(geoms[invalid].to_numpy())
        polys = [_polygonal(g) for g in fixed]
        new = geoms.copy()
        new[invalid] = polys
        frame = frame.set_geometry(gpd.GeoSeries(new, index=frame.index, crs=frame.crs))
        first_rows = ", ".join(str(int(r)) for r in frame.index[invalid.to_numpy()][:5])
        notes.append(
            f"{int(invalid.sum())} invalid polygon(s) repaired with make_valid "
            f"(rows {first_rows}{' …' if invalid.sum() > 5 else ''}; first: {reasons[0]})"
        )
    return frame


def _polygonal(geom: Any) -> Any:
    """Keep the polygon parts of a repaired geometry (make_valid may add lines or points)."""
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [
        g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else None


# ---------------------------------------------------------------------------- points

# Also the names GIS tools write: ArcGIS "Add XY Coordinates" (POINT_X/POINT_Y), UTM columns.
LAT_NAMES = (
    "lat", "latitude", "ละติจูด", "y", "point_y", "coord_y", "northing", "utm_n", "utm_y", "north",
)  # fmt: skip
LON_NAMES = (
    "lng", "lon", "long", "longitude", "ลองติจูด", "ลองจิจูด", "x", "point_x", "coord_x", "easting",
    "utm_e", "utm_x", "east",
)  # fmt: skip


def find_coordinate_columns(columns: Any) -> tuple[str | None, str | None]:
    """Latitude and longitude columns of a table (case-insensitive), if any.

    Parameters
    ----------
    columns : Any
        The table's column names; compared trimmed and in lower case with
        :data:`LAT_NAMES` and :data:`LON_NAMES`.

    Returns
    -------
    tuple[str or None, str or None]
        ``(latitude column, longitude column)`` as the file writes them; ``None`` for one
        not found.
    """
    lower = {str(c).strip().lower(): str(c) for c in columns}
    lat = next((lower[n] for n in LAT_NAMES if n in lower), None)
    lon = next((lower[n] for n in LON_NAMES if n in lower), None)
    return lat, lon


def read_point_table(path: Path, options: ImportOptions) -> pd.DataFrame:
    """Read a CSV/XLSX table (every cell as text) for a point layer.

    Parameters
    ----------
    path : Path
        The CSV or Excel file.
    options : ImportOptions
        ``encoding`` and ``sheet`` are used.

    Returns
    -------
    pandas.DataFrame
        The table as :func:`~ecogis.importers.tabular.read_table` gives it (spreadsheet row
        numbers as index, ``attrs["read_notes"]``).

    Raises
    ------
    InputFileError
        A file that cannot be read as a table.
    """
    from ecogis.importers.tabular import read_table

    return read_table(path, encoding=options.encoding, sheet=options.sheet)


def coordinates_from_table(
    raw: pd.DataFrame, problems: Problems, *, source: Path
) -> tuple[pd.Series, pd.Series]:
    """Longitude and latitude from a table's coordinate columns (NaN where blank).

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read; the index holds spreadsheet row numbers.
    problems : Problems
        Where values that are not coordinates are recorded.
    source : Path
        The file, named in the error.

    Returns
    -------
    tuple[pandas.Series, pandas.Series]
        ``(longitude, latitude)`` as float64 in the units written (degrees, or metres for a
        projected table), NaN where blank or bad.

    Raises
    ------
    InputFileError
        The table has no latitude or no longitude column.
    """
    lat_col, lon_col = find_coordinate_columns(raw.columns)
    if lat_col is None or lon_col is None:
        raise InputFileError(
            "the table has no coordinate columns",
            source=source,
            fix="name them LAT and LNG (or lat/lon, ละติจูด/ลองติจูด), "
            "or map yours with --map YOURLAT=lat --map YOURLON=lon" + other_sheets_hint(raw),
        )
    return parse_lat_lon(raw, lat_col, lon_col, problems)


def place_points(
    frame: pd.DataFrame,
    lon: pd.Series,
    lat: pd.Series,
    *,
    source: Path,
    options: ImportOptions,
    problems: Problems,
    notes: list[str],
    lat_field: str = "LAT",
) -> gpd.GeoDataFrame:
    """Build point geometries with a ``coord_flag`` per row (registry rules).

    Missing or placeholder (0/1) coordinates → no geometry, flag ``missing``/``placeholder``
    (kept, never dropped). Swapped → a row problem unless ``--swap-latlon`` (then exchanged,
    flag ``swapped_fixed``). Outside Thailand → a row problem; with ``--skip-bad-rows`` the
    row is kept unplaced with flag ``outside_thailand``. Metres in a table without ``--crs``
    → refused with the UTM zone to pass.

    Parameters
    ----------
    frame : pandas.DataFrame
        The parsed rows; the index holds spreadsheet row numbers.
    lon, lat : pandas.Series
        Coordinates of each row in the ``--crs`` (degrees by default; NaN where blank), on
        the index of ``frame``.
    source : Path
        The file, named in errors.
    options : ImportOptions
        ``crs`` (the coordinates' CRS, reprojected to EPSG:4326; Indian 1975 with a named
        transformation) and ``swap_latlon`` are used.
    problems : Problems
        Where swapped, outside and stray metre rows are recorded (as ``CRSError``).
    notes : list[str]
        The summary's lines (datum shift, swaps exchanged).
    lat_field : str, default "LAT"
        The file's latitude column, named in the problems.

    Returns
    -------
    geopandas.GeoDataFrame
        ``frame`` with point geometries in EPSG:4326 (``None`` for rows not placed) and a
        ``coord_flag`` string column.

    Raises
    ------
    CRSError
        When half or more of the placed rows are metres, not degrees.
    """
    x = lon.to_numpy(dtype="float64").copy()
    y = lat.to_numpy(dtype="float64").copy()
    given = parse_crs(options.crs)
    if given is not None and not (given.is_geographic and given.to_epsg() == 4326):
        ok = (
            np.isfinite(x)
            & np.isfinite(y)
            & ~np.isin(x, PLACEHOLDER_VALUES)
            & ~np.isin(y, PLACEHOLDER_VALUES)
        )
        if is_indian_1975(given):
            transformer, note = datum_transformation(given, x[ok], y[ok])
            notes.append(note.describe(given.name))
        else:
            from ecogis.crs import transformer as make_transformer

            transformer = make_transformer(given, 4326)
        x[ok], y[ok] = transformer.transform(x[ok], y[ok])
    flags = classify_coordinates(x, y)
    metres = flags == COORD_METRES
    placed = ~np.isin(flags, (COORD_MISSING, COORD_PLACEHOLDER))
    if metres.sum() and metres.sum() >= 0.5 * placed.sum():
        first = int(frame.index.to_numpy()[np.argmax(metres)])
        raise metres_without_crs_error(x[metres], y[metres], source=source, row=first)
    out_flags = flags.astype(object)
    for pos in np.flatnonzero(metres):
        problems.add(
            int(frame.index.to_numpy()[pos]),
            lat_field,
            f"coordinates ({x[pos]:.1f}, {y[pos]:.1f}) are not degrees (metres?) "
            "unlike the other rows",
            "write decimal degrees for this row, or leave it blank",
            CRSError,
            keep=True,
        )
        out_flags[pos] = COORD_OUTSIDE
    swapped = flags == COORD_SWAPPED
    if swapped.any():
        if options.swap_latlon:
            x[swapped], y[swapped] = y[swapped].copy(), x[swapped].copy()
            out_flags[swapped] = "swapped_fixed"
            notes.append(
                f"{int(swapped.sum())} row(s) had latitude/longitude swapped: "
                "exchanged (--swap-latlon)"
            )
        else:
            for pos in np.flatnonzero(swapped):
                problems.add(
                    int(frame.index.to_numpy()[pos]),
                    lat_field,
                    f"latitude and longitude are swapped (lat {y[pos]:.5f}, lon {x[pos]:.5f})",
                    "pass --swap-latlon to exchange them",
                    CRSError,
                )
    for pos in np.flatnonzero(flags == COORD_OUTSIDE):
        problems.add(
            int(frame.index.to_numpy()[pos]),
            lat_field,
            f"the point (lat {y[pos]:.5f}, lon {x[pos]:.5f}) is outside Thailand",
            "correct the coordinates, or pass --skip-bad-rows to keep the row unplaced "
            "(coord_flag outside_thailand)",
            CRSError,
            keep=True,
        )
    good = np.isin(out_flags, (COORD_OK, "swapped_fixed"))
    geoms = [shapely.Point(a, b) if g else None for a, b, g in zip(x, y, good, strict=True)]
    out = gpd.GeoDataFrame(frame.copy(), geometry=gpd.GeoSeries(geoms, index=frame.index), crs=4326)
    out["coord_flag"] = pd.Series(out_flags, index=frame.index, dtype="string")
    return out
