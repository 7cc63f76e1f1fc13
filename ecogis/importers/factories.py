"""Factories: the DIW registry (both formats) or any point file, placed and joined.

After parsing (:mod:`ecogis.importers.diw`), each row gets a point and a ``coord_flag``,
province/district/subdistrict codes from the registry's names (geothai), a check that the
point lies in the province the registry names (when the workspace has provinces), and the
``zone_id`` of the industrial zone it lies in (spatial join in the metric CRS).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import ecogis.importers.diw as diw
import ecogis.importers.diw_clean as diw_clean
from ecogis import crs as ecrs
from ecogis.errors import InputFileError
from ecogis.importers.base import ImportOptions, ParseResult, Problems
from ecogis.importers.cells import text_or_na
from ecogis.importers.checks import EXCEL_SUFFIXES, TEXT_SUFFIXES
from ecogis.importers.layouts import (
    apply_mapping,
    check_keys,
    check_text_values,
    require_fields,
    to_contract_fields,
)
from ecogis.importers.vector import (
    coordinates_from_table,
    find_coordinate_columns,
    parse_crs,
    place_points,
    read_vector_file,
)

log = logging.getLogger(__name__)

PROVINCE_TOLERANCE_M = 500.0
"""A point this close to its province's boundary still counts as inside (boundary files
are generalised; registry coordinates are often rounded to 1e-4°, about 11 m)."""


def _read_raw(path: Path, options: ImportOptions) -> tuple[pd.DataFrame, str, Any]:
    """Read the file's attribute table; returns (raw, kind, geometry or None)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES | EXCEL_SUFFIXES:
        from ecogis.importers.tabular import read_table

        table = _header_below_title(
            read_table(path, encoding=options.encoding, sheet=options.sheet)
        )
        if suffix in EXCEL_SUFFIXES and options.sheet is None and not options.mapping:
            _point_to_registry_sheet(path, table)
        return table, "table", None
    frame = read_vector_file(path, options, prefer_layer="factories")
    geometry = frame.geometry
    raw = pd.DataFrame(frame.drop(columns="geometry"))
    return raw, "vector", (geometry, frame.crs)


def _point_to_registry_sheet(path: Path, first: pd.DataFrame) -> None:
    """Raise when the first sheet is not a registry but another sheet of the workbook is."""
    if diw.detect_format(first.columns) is not None:
        return
    book = pd.ExcelFile(path)
    for name in book.sheet_names[1:]:
        head = pd.read_excel(book, sheet_name=name, nrows=10, header=None, dtype=object)
        rows = [head.columns.tolist(), *head.to_numpy().tolist()]
        if any(diw.detect_format([str(c).strip() for c in r if isinstance(c, str)]) for r in rows):
            raise InputFileError(
                f"the first sheet ({book.sheet_names[0]!r}) is not a factory registry, "
                f"but sheet {name!r} is",
                source=path,
                fix=f"pass --sheet {name}",
            )


def _header_below_title(table: pd.DataFrame) -> pd.DataFrame:
    """Use a registry header that sits below title lines (as in printed Excel exports).

    When the first line is not a registry header but one of the next ten rows is, that row
    becomes the header; the rows keep their spreadsheet numbers.
    """
    if diw.detect_format(table.columns) is not None or len(table) < 2:
        return table
    for pos in range(min(10, len(table))):
        cells = [str(v).strip() for v in table.iloc[pos].tolist() if isinstance(v, str)]
        if diw.detect_format(cells) is not None:
            header = [
                str(v).strip() if isinstance(v, str) else f"column_{i + 1}"
                for i, v in enumerate(table.iloc[pos].tolist())
            ]
            body = table.iloc[pos + 1 :].copy()
            body.columns = pd.Index(header)
            body = body[~body.isna().all(axis=1)]
            body.attrs["header_row"] = int(table.index[pos])
            return body
    return table


@lru_cache(maxsize=1)
def _province_codes() -> dict[str, str]:
    import geothai

    out: dict[str, str] = {}
    for p in geothai.provinces():
        out[p.name_th] = p.code
        out[p.name_en.lower()] = p.code
    return out


@lru_cache(maxsize=128)
def _district_codes(pro_code: str) -> dict[str, str]:
    import geothai

    out: dict[str, str] = {}
    for d in geothai.districts(pro_code):
        out[d.name_th] = d.code
        out[d.name_th.replace("เมือง", "เมือง", 1)] = d.code
    return out


@lru_cache(maxsize=1024)
def _tambon_codes(amp_code: str) -> dict[str, str]:
    import geothai

    return {s.name_th: s.code for s in geothai.subdistricts(amp_code)}


def _clean_admin_name(name: Any, prefixes: tuple[str, ...]) -> str | None:
    if name is None or name is pd.NA or not isinstance(name, str):
        return None
    text = name.strip()
    for p in prefixes:
        if text.startswith(p):
            text = text[len(p) :].strip()
    return text or None


def fill_admin_codes(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Fill pro_code/amp_code/tam_code from the registry's Thai names (geothai) where blank.

    Looked up once per distinct (province, district, subdistrict) name triple, so a national
    registry of 140,000 rows costs a few thousand lookups.

    Parameters
    ----------
    frame : pandas.DataFrame
        Factory rows; the names are read from ``_province_name``, ``_district_name`` and
        ``_tambon_name`` (prefixes ``จ.``, ``อ.``, ``ต.``, ``เขต``, ``แขวง`` are dropped).
    notes : list[str]
        The summary's lines; unrecognised province names (up to 5) are appended.

    Returns
    -------
    pandas.DataFrame
        A copy with ``pro_code`` (2 digits), ``amp_code`` (4) and ``tam_code`` (6) as
        string columns; a code the file gives is kept, a blank (or ``-``) is filled when
        the names are found.
    """
    out = frame.copy()
    for col in ("pro_code", "amp_code", "tam_code"):
        if col not in out.columns:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="string")
    if "_province_name" not in out.columns:
        return out
    provinces = _province_codes()
    unknown: set[str] = set()
    empty = pd.Series(pd.NA, index=out.index, dtype=object)
    names = pd.DataFrame(
        {
            "p": out["_province_name"].astype(object),
            "a": out.get("_district_name", empty).astype(object),
            "t": out.get("_tambon_name", empty).astype(object),
        },
        index=out.index,
    ).where(lambda d: d.notna(), None)
    cache: dict[tuple[Any, Any, Any], tuple[str | None, str | None, str | None]] = {}
    codes: list[tuple[str | None, str | None, str | None]] = []
    for key in zip(names["p"], names["a"], names["t"], strict=True):
        if key not in cache:
            cache[key] = _lookup_codes(key, provinces, unknown)
        codes.append(cache[key])
    looked = pd.DataFrame(codes, index=out.index, columns=["pro_code", "amp_code", "tam_code"])
    for col in ("pro_code", "amp_code", "tam_code"):
        blank = out[col].isna() | out[col].astype("string").str.strip().isin(["", "-"])
        out[col] = out[col].astype("string").mask(blank, looked[col].astype("string"))
    if unknown:
        notes.append(
            "province name(s) not recognised, pro_code left empty: "
            + ", ".join(sorted(unknown)[:5])
        )
    return out


def _lookup_codes(
    key: tuple[Any, Any, Any], provinces: dict[str, str], unknown: set[str]
) -> tuple[str | None, str | None, str | None]:
    prov = _clean_admin_name(key[0], ("จังหวัด", "จ."))
    if not prov:
        return None, None, None
    pro = provinces.get(prov) or provinces.get(prov.lower())
    if pro is None:
        unknown.add(prov)
        return None, None, None
    amp_name = _clean_admin_name(key[1], ("อำเภอ", "อ.", "เขต"))
    amp = _district_codes(pro).get(amp_name) if amp_name else None
    tam_name = _clean_admin_name(key[2], ("ตำบล", "ต.", "แขวง"))
    tam = _tambon_codes(amp).get(tam_name) if amp and tam_name else None
    return pro, amp, tam


def check_in_province(
    factories: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None, notes: list[str]
) -> gpd.GeoDataFrame:
    """Flag placed points that lie outside the province the registry names.

    The point is kept (it may be the boundary that is coarse); ``coord_flag`` becomes
    ``outside_province`` and the summary says how many. Distances are measured in the
    metric CRS of the data.

    Parameters
    ----------
    factories : geopandas.GeoDataFrame
        Factory points (EPSG:4326) with ``pro_code`` and ``coord_flag``; only rows flagged
        ``ok`` are checked.
    provinces : geopandas.GeoDataFrame or None
        The workspace's provinces layer (``pro_code``, polygons); ``None`` or empty skips the
        check with a note.
    notes : list[str]
        The summary's lines; the check's result is appended.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``factories`` whose points more than :data:`PROVINCE_TOLERANCE_M` (500 m)
        outside their province have ``coord_flag`` ``outside_province``.
    """
    out = factories.copy()
    if "pro_code" not in out.columns or out["pro_code"].isna().all():
        return out
    if provinces is None or len(provinces) == 0:
        notes.append(
            "points not checked against their province: the workspace has no provinces layer yet"
        )
        return out
    placed = out.geometry.notna() & out["pro_code"].notna() & (out["coord_flag"] == "ok")
    if not placed.any():
        return out
    prov = provinces[["pro_code", "geometry"]].dropna(subset=["geometry"])
    metric = ecrs.metric_crs([out[placed], prov])
    pts = out.loc[placed, ["pro_code", "geometry"]].to_crs(metric)
    polys = prov.to_crs(metric).set_index("pro_code").geometry
    known = pts["pro_code"].isin(polys.index)
    outside = pd.Series(False, index=pts.index)
    for code, group in pts[known].groupby("pro_code"):
        poly = polys.loc[code]
        if isinstance(poly, gpd.GeoSeries):
            poly = poly.union_all()
        dist = group.geometry.distance(poly)
        outside.loc[group.index] = dist.to_numpy() > PROVINCE_TOLERANCE_M
    if not outside.any():
        notes.append(
            f"all {int(known.sum())} placed point(s) checked lie in the province the registry names"
        )
    else:
        out.loc[outside[outside].index, "coord_flag"] = "outside_province"
        first = int(outside[outside].index[0])
        notes.append(
            f"{int(outside.sum())} point(s) lie more than {PROVINCE_TOLERANCE_M:.0f} m outside the "
            f"province the registry names (coord_flag outside_province; first: row {first})"
        )
    return out


def assign_zones(factories: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None) -> pd.Series:
    """Find the ``zone_id`` of the industrial zone each factory lies in (NA outside every zone).

    The join is made in the metric CRS of the data (so a point on a zone's edge is judged
    in metres, not degrees); a point inside overlapping zones gets the smallest one.

    Parameters
    ----------
    factories : geopandas.GeoDataFrame
        Factory points; rows without a geometry get NA.
    zones : geopandas.GeoDataFrame or None
        The industrial zones layer (``zone_id``, polygons); ``None`` or empty gives all NA.

    Returns
    -------
    pandas.Series
        ``zone_id`` per factory (string dtype, NA outside every zone), on the index of
        ``factories``.
    """
    result = pd.Series(pd.NA, index=factories.index, dtype="string")
    if zones is None or len(zones) == 0 or factories.geometry.notna().sum() == 0:
        return result
    placed = factories[factories.geometry.notna() & ~factories.geometry.is_empty]
    z = zones[["zone_id", "geometry"]].dropna(subset=["geometry"])
    if len(z) == 0:
        return result
    metric = ecrs.metric_crs([placed, z])
    pts = gpd.GeoDataFrame(geometry=placed.geometry.to_crs(metric), index=placed.index)
    zm = z.to_crs(metric)
    zm = zm.assign(_area=zm.geometry.area)
    joined = gpd.sjoin(pts, zm, how="inner", predicate="within")
    if len(joined):
        joined = joined.sort_values("_area").loc[lambda j: ~j.index.duplicated(keep="first")]
        result.loc[joined.index] = joined["zone_id"].astype("string")
    return result


def parse_factories(
    path: Path,
    options: ImportOptions,
    *,
    provinces: gpd.GeoDataFrame | None = None,
    zones: gpd.GeoDataFrame | None = None,
) -> ParseResult:
    """Parse a factory file (DIW API CSV, DIW GIS export, or a generic point file).

    Parameters
    ----------
    path : Path
        The file (CSV, XLSX or a vector file of points or site polygons).
    options : ImportOptions
        Import options (``format`` overrides detection; ``--crs``, ``--map``,
        ``--swap-latlon``, ``--skip-bad-rows`` …).
    provinces, zones : geopandas.GeoDataFrame or None, default None
        The workspace's provinces and industrial zones, if present (for the province check
        and ``zone_id``).

    Returns
    -------
    ParseResult
        ``frame`` is a GeoDataFrame of points in EPSG:4326 shaped like the ``factories``
        contract (``coord_flag`` per row, admin codes, ``zone_id``, ``source``), indexed by
        spreadsheet row; rows without usable coordinates are kept unplaced and counted in
        ``unplaced``. ``fmt`` is ``diw-api``, ``diw-gis``, ``diw-clean``, ``vector`` or
        ``table``; ``defaults`` is ``["status"]`` for the GIS export (it has no FFLAG).

    Raises
    ------
    InputFileError
        An unreadable file, an unknown ``--format``, or a required column missing.
    CRSError
        A bad ``--crs``, or coordinates in metres without one.
    DataValidationError
        The first bad row (a missing or duplicate registration number, a bad value, swapped
        or outside coordinates), unless ``--skip-bad-rows``.
    """
    source = str(path)
    parse_crs(options.crs)  # a bad --crs fails before the file is read
    raw, kind, geom = _read_raw(path, options)
    header_row = raw.attrs.get("header_row")
    read_notes = list(raw.attrs.get("read_notes", []))
    raw, dest_units = apply_mapping(raw, options.mapping, source=source, layer="factories")
    fmt = (
        options.format
        or diw.detect_format(raw.columns)
        or ("table" if kind == "table" else "vector")
    )
    notes: list[str] = read_notes
    if header_row and not any("below title lines" in n for n in notes):
        notes.append(f"the header is on row {header_row}, below title lines")
    if geom is not None:
        raw, options = _coordinates_from_geometry(raw, fmt, geom, options, notes)
    if fmt == "diw-api":
        diw.require_columns(
            raw,
            ("DISPFACREG",) if "FACREG" not in raw.columns else ("FACREG",),
            source=source,
            fmt="DIW API",
        )
        frame, problems, parsed_notes = diw.parse_diw_api(raw, source=source)
        notes += parsed_notes
    elif fmt in ("diw-gis", "diw-clean"):
        if fmt == "diw-clean":
            raw = diw_clean.clean_to_gis(raw)
            notes.append("recognised layout: DIW registry with English column names (cleaned)")
        diw.require_columns(raw, (diw.GIS_ID, diw.GIS_TYPE), source=source, fmt="DIW GIS export")
        frame, problems, parsed_notes = diw.parse_diw_gis(raw, source=source)
        if fmt == "diw-clean":
            problems.rename_fields({v: k for k, v in diw_clean.CLEAN_TO_GIS.items()})
        notes += parsed_notes
    elif fmt in ("vector", "table"):
        frame, problems = _parse_generic(raw, source=source, dest_units=dest_units, notes=notes)
        frame = diw.withhold_names(frame, notes)  # as for the registry: the PDPA rule
        frame = diw.name_missing(frame, notes)  # and labelled, not refused
        notes.append("generic factory file: columns named like the contract were used")
    else:
        raise InputFileError(
            f"unknown --format {fmt!r} for factories",
            source=source,
            fix="use diw-api, diw-gis, diw-clean, vector or table",
        )
    lat_field = {"diw-gis": "ละติจูด", "diw-clean": "lat"}.get(fmt, "LAT")
    placed = place_points(
        frame.drop(columns=["_lon", "_lat"]),
        frame["_lon"],
        frame["_lat"],
        source=path,
        options=options,
        problems=problems,
        notes=notes,
        lat_field=lat_field,
    )
    rejected = problems.resolve(skip=options.skip_bad_rows)
    reject_rows = {r for r, _ in rejected}
    placed = placed.drop(index=[r for r in reject_rows if r in placed.index])
    kept_outside = placed["coord_flag"] == "outside_thailand"
    if kept_outside.any():
        notes.append(
            f"{int(kept_outside.sum())} row(s) outside Thailand kept unplaced "
            "(coord_flag outside_thailand)"
        )
    placed = fill_admin_codes(placed, notes)
    placed = check_in_province(placed, provinces, notes)
    if zones is not None and len(zones):
        placed["zone_id"] = assign_zones(placed, zones)
        notes.append(
            f"{int(placed['zone_id'].notna().sum())} factories lie inside an industrial zone"
        )
    placed["source"] = path.name
    placed = placed.drop(columns=[c for c in placed.columns if c.startswith("_")])
    unplaced = int(placed.geometry.isna().sum())
    return ParseResult(
        layer="factories",
        frame=placed,
        source=source,
        fmt=fmt,
        unplaced=unplaced,
        rejected=rejected,
        notes=notes,
        # The GIS export has no FFLAG: its 'unknown' must not overwrite a known status.
        defaults=["status"] if fmt in ("diw-gis", "diw-clean") else [],
    )


_COORDINATE_COLUMNS = {"diw-gis": ("ละติจูด", "ลองติจูด"), "diw-api": ("LAT", "LNG")}


def _coordinates_from_geometry(
    raw: pd.DataFrame, fmt: str, geom: Any, options: ImportOptions, notes: list[str]
) -> tuple[pd.DataFrame, ImportOptions]:
    """Write the features' points into the coordinate columns when the table has none.

    Done before parsing, so that the ID checks see the positions (two features with one
    registration number at different places are a duplicate, not a repeat) and placement
    is the same code as for tables. A projected file CRS becomes the ``--crs`` of those
    columns.
    """
    if fmt in _COORDINATE_COLUMNS:
        lat_col = diw.first_column(raw, diw.LAT_NAMES)
        lon_col = diw.first_column(raw, diw.LON_NAMES)
    else:
        lat_col, lon_col = find_coordinate_columns(raw.columns)
    if lat_col is not None and lon_col is not None and raw[[lat_col, lon_col]].notna().any().any():
        return raw, options
    geometry, file_crs = geom
    anchors, moved = _point_of_each(gpd.GeoSeries(geometry, crs=file_crs))
    if moved:
        notes.append(
            f"{moved} feature(s) are not single points (site polygons, multi-points): "
            "each placed at a point inside it"
        )
    lat_name, lon_name = _COORDINATE_COLUMNS.get(fmt, ("lat", "lon"))
    out = raw.drop(columns=[c for c in (lat_col, lon_col) if c is not None])
    out[lat_name] = shapely.get_y(anchors)
    out[lon_name] = shapely.get_x(anchors)
    if file_crs is not None and not options.crs:
        crs = ecrs.CRS.from_user_input(file_crs)
        if not crs.is_geographic:
            options = ImportOptions(**{**options.__dict__, "crs": crs.to_string()})
    return out, options


def _point_of_each(geoms: gpd.GeoSeries) -> tuple[np.ndarray, int]:
    """One point per feature: the point itself, or a point inside a polygon/multi-point.

    Returns the points (None where there is no geometry) and how many were not points.
    """
    values = geoms.to_numpy()
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    kinds = shapely.get_type_id(values)
    other = present & (kinds != shapely.GeometryType.POINT)
    out = values.copy()
    out[other] = shapely.point_on_surface(values[other])
    return out, int(other.sum())


def _parse_generic(
    raw: pd.DataFrame, *, source: str, dest_units: dict[str, str], notes: list[str]
) -> tuple[pd.DataFrame, Problems]:
    problems = Problems(source)
    require_fields(raw, ["factory_id", "name_th"], source=source, layer="factories")
    frame = to_contract_fields(
        raw,
        "factories",
        problems,
        source=source,
        dest_units=dest_units,
        skip=("coord_flag", "zone_id", "source"),
    )
    notes += frame.attrs.get("notes", [])  # registration numbers normalised
    if "diw_type" in frame.columns:
        types = frame["diw_type"].map(
            lambda v: diw.normalise_diw_type(v, coded=False) if v is not pd.NA else None
        )
        frame["diw_type"] = types.map(lambda t: t[0] if t else pd.NA).astype("string")
        if "diw_type_main" not in frame.columns:
            frame["diw_type_main"] = types.map(lambda t: t[1] if t else pd.NA).astype("Int64")
    if "tsic" in frame.columns:
        frame["tsic"] = (
            frame["tsic"]
            .map(lambda v: diw.normalise_tsic(v) if v is not pd.NA else pd.NA)
            .astype("string")
        )
    check_text_values(frame, "factories", problems, may_be_blank=("name_th",))  # labelled later
    lat_col, lon_col = find_coordinate_columns(raw.columns)
    coords = raw[[c for c in (lat_col, lon_col) if c is not None]]
    frame = check_keys(frame, "factory_id", problems, what="factory ID", also=coords)
    raw = raw.loc[frame.index]
    if lat_col is not None and lon_col is not None:
        lon, lat = coordinates_from_table(raw, problems, source=Path(source))
    else:
        lon = lat = pd.Series(np.nan, index=raw.index)
    frame["_lon"], frame["_lat"] = lon, lat
    frame["name_th"] = frame["name_th"].map(text_or_na)
    return frame, problems
