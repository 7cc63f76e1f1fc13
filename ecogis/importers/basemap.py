"""Roads and water for the map's offline basemap: ``ecogis import roads|water FILE``.

The files people have are OpenStreetMap extracts (``highway``, ``waterway``, ``natural``,
``name``, ``name:th``, ``name:en``, ``ref``), Geofabrik's shapefiles (``osm_id``, ``fclass``,
``name``, ``ref``) or an agency's own lines with mapped columns (``--map``). The reading,
CRS checks and row problems are the vector importers' own (:mod:`ecogis.importers.vector`);
this module only names the columns and the classes.

A road is a line; water is a line (river, canal, stream) or a polygon (lake, reservoir,
wetland, sea). A feature of another kind is a row problem naming it. A class the file
writes in a way this module does not know becomes ``minor`` (roads) or ``other`` (water),
with a note.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from ecogis import schema
from ecogis.importers.base import ImportOptions, ParseResult, Problems
from ecogis.importers.checks import EXCEL_SUFFIXES, TEXT_SUFFIXES
from ecogis.importers.layouts import (
    apply_mapping,
    check_keys,
    check_text_values,
    to_contract_fields,
)
from ecogis.importers.vector import parse_crs, read_vector_file, to_storage_crs

ID_COLUMNS = ("osm_id", "id", "fid_", "objectid", "gid")
"""Columns taken as the feature's id, in order of preference (case-insensitive)."""

ROAD_CLASSES = {
    "motorway": "motorway",
    "motorway_link": "motorway",
    "trunk": "trunk",
    "trunk_link": "trunk",
    "primary": "primary",
    "primary_link": "primary",
    "secondary": "secondary",
    "secondary_link": "secondary",
    "tertiary": "tertiary",
    "tertiary_link": "tertiary",
    "ทางหลวงพิเศษ": "motorway",
    "ทางหลวงแผ่นดิน": "primary",
    "ทางหลวงชนบท": "secondary",
}
"""OSM ``highway``/Geofabrik ``fclass`` values (and Thai road kinds) → ``road_class``."""

WATER_KINDS = {
    "river": "river",
    "riverbank": "river",
    "canal": "canal",
    "drain": "canal",
    "ditch": "canal",
    "stream": "stream",
    "lake": "lake",
    "pond": "lake",
    "water": "lake",
    "reservoir": "reservoir",
    "basin": "reservoir",
    "wetland": "wetland",
    "sea": "sea",
    "bay": "sea",
    "coastline": "sea",
    "แม่น้ำ": "river",
    "คลอง": "canal",
    "ลำธาร": "stream",
    "ห้วย": "stream",
    "บึง": "lake",
    "หนอง": "lake",
    "อ่างเก็บน้ำ": "reservoir",
}
"""OSM ``waterway``/``water``/``natural``/Geofabrik ``fclass`` values → ``water_kind``."""

_SETTINGS = {
    "roads": ("road_id", "road_class", ("highway", "fclass", "type"), ROAD_CLASSES, "minor", "R"),
    "water": (
        "water_id",
        "water_kind",
        ("waterway", "water", "natural", "fclass", "type"),
        WATER_KINDS,
        "other",
        "W",
    ),
}
_LINES = ("LineString", "MultiLineString")
_POLYGONS = ("Polygon", "MultiPolygon")


def _column(raw: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).lower(): str(c) for c in raw.columns}
    return next((lower[n] for n in names if n in lower), None)


def parse_basemap_lines(path: Path, layer: str, options: ImportOptions) -> ParseResult:
    """Parse a roads or water file into the ``roads``/``water`` layer.

    Parameters
    ----------
    path
        A vector file (GeoPackage, GeoJSON, Shapefile … any GDAL format ecogis reads).
    layer
        ``roads`` or ``water``.
    options
        Import options (``--crs``, ``--layer``, ``--map``, ``--skip-bad-rows``).

    Returns
    -------
    ParseResult
        The features in EPSG:4326 with the contract's fields.

    Raises
    ------
    InputFileError
        When the file is a table (CSV/Excel) rather than lines or polygons.
    DataValidationError
        When a feature is of the wrong kind or has no geometry (with its position), unless
        ``--skip-bad-rows``.
    """
    from ecogis.errors import InputFileError

    source = str(path)
    parse_crs(options.crs)
    if path.suffix.lower() in TEXT_SUFFIXES | EXCEL_SUFFIXES:
        raise InputFileError(
            f"is a table (CSV/Excel), but {layer} need lines"
            + (" or polygons" if layer == "water" else ""),
            source=source,
            fix="give a GeoPackage, GeoJSON or Shapefile (an OpenStreetMap or Geofabrik extract)",
        )
    key, kind_field, kind_columns, kinds, fallback, prefix = _SETTINGS[layer]
    notes: list[str] = []
    problems = Problems(source)
    gdf = read_vector_file(path, options, prefer_layer=layer)
    gdf, dest_units = apply_mapping(gdf, options.mapping, source=source, layer=layer)
    raw = pd.DataFrame(gdf.drop(columns="geometry"))
    renames: dict[str, str] = {}
    for field, names in (
        (key, ID_COLUMNS),
        ("name_th", ("name_th", "name:th", "name")),
        ("name_en", ("name_en", "name:en")),
        ("ref", ("ref",)),
    ):
        col = _column(raw, names)
        if field not in raw.columns and col is not None and col not in renames:
            renames[col] = field
    raw = raw.rename(columns=renames)
    frame = to_contract_fields(raw, layer, problems, source=source, dest_units=dest_units)
    if key not in frame.columns or frame[key].isna().all():
        frame[key] = pd.array([f"{prefix}{i}" for i in raw.index], dtype="string")
        notes.append(f"no id column: features are numbered {prefix}<position>")
    frame[key] = frame[key].astype("string").str.removesuffix(".0")
    kind_col = kind_field if kind_field in raw.columns else _column(raw, kind_columns)
    written = (
        raw[kind_col].astype("string").str.strip().str.lower()
        if kind_col is not None
        else pd.Series(pd.NA, index=raw.index, dtype="string")
    )
    allowed = set(schema.contract(layer).values(kind_field))
    named = written.map(
        lambda v: v if v in allowed else kinds.get(v) if isinstance(v, str) else None
    )
    unknown = named.isna() & written.notna()
    if unknown.any():
        example = written[unknown].iloc[0]
        notes.append(
            f"{int(unknown.sum())} {kind_field} value(s) not known, set to {fallback!r} "
            f"(e.g. {example!r})"
        )
    frame[kind_field] = named.fillna(fallback).astype("string")
    frame["source"] = path.name
    check_text_values(frame, layer, problems)
    frame = check_keys(frame, key, problems, what=key.replace("_", " "), also=gdf.geometry)
    geo = gpd.GeoDataFrame(frame, geometry=gdf.geometry.loc[frame.index], crs=gdf.crs)
    geo = to_storage_crs(geo, source=path, options=options, notes=notes)
    ok_kinds = _LINES if layer == "roads" else _LINES + _POLYGONS
    need = "lines" if layer == "roads" else "lines or polygons"
    kinds_of = geo.geometry.geom_type
    for row in geo.index[(kinds_of.isna() | geo.geometry.is_empty).to_numpy()]:
        problems.add(int(row), "geometry", "the feature has no geometry", "draw or delete it")
    wrong = kinds_of.notna() & ~kinds_of.isin(ok_kinds)
    for row, k in zip(geo.index[wrong.to_numpy()], kinds_of[wrong], strict=True):
        problems.add(
            int(row),
            "geometry",
            f"the feature is a {k}; {layer} are {need}",
            f"give the {layer} as {need}",
        )
    rejected = problems.resolve(skip=options.skip_bad_rows)
    geo = geo.drop(index=[r for r, _ in rejected if r in geo.index])
    return ParseResult(
        layer=layer, frame=geo, source=source, fmt="vector", rejected=rejected, notes=notes
    )
