"""Provinces, districts, industrial zones and communities from vector files or point tables."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ecogis import crs as ecrs
from ecogis import schema
from ecogis.catalogue.provinces import target_province_codes
from ecogis.importers.base import ImportOptions, ParseResult, Problems
from ecogis.importers.checks import EXCEL_SUFFIXES, TEXT_SUFFIXES
from ecogis.importers.layouts import (
    apply_mapping,
    check_keys,
    check_text_values,
    community_kind,
    find_layout,
    require_fields,
    to_contract_fields,
    zone_type,
)
from ecogis.importers.vector import (
    coordinates_from_table,
    find_coordinate_columns,
    parse_crs,
    place_points,
    read_point_table,
    read_vector_file,
    repair_polygons,
    to_storage_crs,
)
from ecogis.receptors import sensitive_flags

KEY_WORDS = {
    "provinces": "province code",
    "districts": "district code",
    "industrial_zones": "zone ID",
    "communities": "community ID",
}


def geodesic_area_m2(geoms: gpd.GeoSeries) -> pd.Series:
    """Area of each polygon on the WGS 84 ellipsoid, in m² (geometries in EPSG:4326).

    Parameters
    ----------
    geoms : geopandas.GeoSeries
        Polygons or multipolygons in EPSG:4326 (longitude, latitude in degrees).

    Returns
    -------
    pandas.Series
        Geodesic area in m² (float64), on the index of ``geoms``; NaN for a missing or empty
        geometry.
    """
    areas = [
        abs(ecrs.WGS84_GEOD.geometry_area_perimeter(g)[0])
        if g is not None and not g.is_empty
        else np.nan
        for g in geoms
    ]
    return pd.Series(areas, index=geoms.index, dtype="float64")


def _pad_code(series: pd.Series, width: int) -> pd.Series:
    """Restore leading zeros that a number column dropped.

    ``1`` → ``01`` is never needed for Thai codes, which start at 10, but ``9015.0`` →
    ``9015`` is.
    """

    def fix(v: object) -> object:
        if v is pd.NA or v is None:
            return pd.NA
        text = str(v).strip()
        if text.endswith(".0"):
            text = text[:-2]
        return text.zfill(width) if text.isdigit() else text

    return series.map(fix).astype("string")


_ALLOWED_GEOMETRY = {
    "communities": ("Point", "MultiPoint", "Polygon", "MultiPolygon"),
    "provinces": ("Polygon", "MultiPolygon"),
    "districts": ("Polygon", "MultiPolygon"),
    "industrial_zones": ("Polygon", "MultiPolygon"),
}


def _check_geometry_kinds(geo: gpd.GeoDataFrame, layer: str, problems: Problems) -> None:
    """Return a row problem for each feature of the wrong kind (a zone drawn as a point or line)."""
    allowed = _ALLOWED_GEOMETRY.get(layer)
    if allowed is None:
        return
    kinds = geo.geometry.geom_type
    wrong = kinds.notna() & ~kinds.isin(allowed)
    need = "points or polygons" if layer == "communities" else "polygons"
    for row, kind in zip(geo.index[wrong.to_numpy()], kinds[wrong], strict=True):
        problems.add(
            int(row),
            "geometry",
            f"the feature is a {kind}; {layer} are {need}",
            f"give the {layer} as {need} (in QGIS: Vector → Geometry Tools)",
        )


def parse_areas(path: Path, layer: str, options: ImportOptions) -> ParseResult:
    """Parse provinces, districts, industrial zones or communities.

    Parameters
    ----------
    path : Path
        A vector file (any GDAL format ecogis accepts); for communities also a CSV/XLSX
        with coordinate columns.
    layer : str
        ``provinces``, ``districts``, ``industrial_zones`` or ``communities``.
    options : ImportOptions
        Import options (``--crs``, ``--map``, ``--layer``, ``--encoding``, ``--swap-latlon``,
        ``--skip-bad-rows`` …).

    Returns
    -------
    ParseResult
        ``frame`` is a GeoDataFrame in EPSG:4326 shaped like the layer's contract, indexed by
        feature / spreadsheet row number. Computed from the geometry, never from the file:
        provinces' ``area_km2`` (geodesic, km²) and ``eit_target``; zones' ``area_ha``
        (hectares, in the metric CRS). Communities carry ``kind``, ``sensitive`` and
        ``source``. ``fmt`` is the recognised layout, else ``vector`` or ``table``;
        ``rejected`` lists the rows left out with ``--skip-bad-rows``; ``notes`` the repairs,
        merged duplicates and CRS decisions.

    Raises
    ------
    InputFileError
        A table given for a polygon layer, district boundaries given as provinces, a
        required column missing, or a file GDAL cannot read.
    CRSError
        A bad ``--crs``, metres without a CRS, coordinates swapped or outside Thailand.
    DataValidationError
        The first bad row (a wrong geometry kind, a missing key or geometry, a bad value),
        unless ``--skip-bad-rows``.
    """
    source = str(path)
    parse_crs(options.crs)  # a bad --crs fails before the file is read
    notes: list[str] = []
    problems = Problems(source)
    contract = schema.contract(layer)
    gdf, raw, dest_units = _read_areas(path, layer, options, notes)
    _refuse_districts_as_provinces(raw, layer, path, options)
    raw, fmt = _recognise_layout(
        raw, layer, options, notes, fmt="table" if gdf is None else "vector"
    )
    key = contract.key[0]
    required = [f for f in contract.required_fields if f not in ("kind", "zone_type", "coord_flag")]
    require_fields(raw, required, source=source, layer=layer)
    frame = to_contract_fields(raw, layer, problems, source=source, dest_units=dest_units)
    frame = _layer_fields(frame, raw, layer, path, notes)
    check_text_values(frame, layer, problems)
    if gdf is not None:
        also: pd.DataFrame | gpd.GeoSeries | None = gdf.geometry
    else:
        lat_col, lon_col = find_coordinate_columns(raw.columns)
        also = raw[[c for c in (lat_col, lon_col) if c is not None]]
    frame = check_keys(frame, key, problems, what=KEY_WORDS[layer], also=also)
    if frame.attrs.get("merged_duplicates"):
        notes.append(f"{frame.attrs['merged_duplicates']} exact duplicate row(s) merged")

    if gdf is None:
        result = _place_table_points(frame, raw, path, options, problems, notes)
    else:
        result = _place_features(frame, gdf, layer, path, options, problems, notes)
    rejected = problems.resolve(skip=options.skip_bad_rows)
    result = result.drop(index=[r for r, _ in rejected if r in result.index])
    result = _computed_areas(result, layer, notes)
    return ParseResult(
        layer=layer, frame=result, source=source, fmt=fmt, rejected=rejected, notes=notes
    )


def _read_areas(
    path: Path, layer: str, options: ImportOptions, notes: list[str]
) -> tuple[gpd.GeoDataFrame | None, pd.DataFrame, dict[str, str]]:
    """Read the file's features (``None`` for a point table), attribute rows and mapped units."""
    source = str(path)
    is_table = path.suffix.lower() in TEXT_SUFFIXES | EXCEL_SUFFIXES
    if is_table and layer != "communities":
        from ecogis.errors import InputFileError

        raise InputFileError(
            f"is a table (CSV/Excel), but {layer} need polygons",
            source=source,
            fix="give a GeoPackage, GeoJSON or Shapefile of the boundaries",
        )
    if is_table:
        raw_table = read_point_table(path, options)
        notes += raw_table.attrs.get("read_notes", [])
        raw_table, dest_units = apply_mapping(
            raw_table, options.mapping, source=source, layer=layer
        )
        return None, raw_table, dest_units
    gdf = read_vector_file(path, options, prefer_layer=layer)
    gdf, dest_units = apply_mapping(gdf, options.mapping, source=source, layer=layer)
    return gdf, pd.DataFrame(gdf.drop(columns="geometry")), dest_units


def _refuse_districts_as_provinces(
    raw: pd.DataFrame, layer: str, path: Path, options: ImportOptions
) -> None:
    """Refuse district boundaries given as provinces (a district layout, no ``--map``)."""
    if layer == "provinces" and not options.mapping and find_layout(raw.columns, "districts"):
        from ecogis.errors import InputFileError

        raise InputFileError(
            "the file holds district boundaries (it has district codes), not provinces",
            source=str(path),
            fix=f"import it with: ecogis import districts {path.name} -w …"
            + (f" --layer {options.layer}" if options.layer else ""),
        )


def _recognise_layout(
    raw: pd.DataFrame, layer: str, options: ImportOptions, notes: list[str], *, fmt: str
) -> tuple[pd.DataFrame, str]:
    """Rename a known layout's columns (none with ``--map``); the format read, ``fmt`` else."""
    layout = find_layout(raw.columns, layer) if not options.mapping else None
    if layout is not None:
        raw = raw.rename(columns={k: v for k, v in layout.columns.items() if k in raw.columns})
        if layout.convert is not None:
            raw = layout.convert(raw)
        notes.append(f"recognised layout: {layout.name}")
        fmt = layout.name
    return raw, fmt


def _layer_fields(
    frame: pd.DataFrame, raw: pd.DataFrame, layer: str, path: Path, notes: list[str]
) -> pd.DataFrame:
    """Derive the fields of one layer: padded codes, community kind, zone type."""
    if layer == "provinces":
        frame["pro_code"] = _pad_code(frame["pro_code"], 2)
    if layer == "districts":
        frame["amp_code"] = _pad_code(frame["amp_code"], 4)
        frame["pro_code"] = _pad_code(frame["pro_code"], 2)
    if layer == "communities":
        kinds = raw["kind"] if "kind" in raw.columns else pd.Series(pd.NA, index=raw.index)
        frame["kind"] = kinds.map(community_kind).astype("string")
        # the one rule (ecogis.receptors): the kind, or a place the file flags sensitive
        frame["sensitive"] = sensitive_flags(frame)
        frame["source"] = path.name
    if layer == "industrial_zones":
        types = (
            raw["zone_type"] if "zone_type" in raw.columns else pd.Series(pd.NA, index=raw.index)
        )
        frame["zone_type"] = types.map(zone_type).astype("string")
        other = (frame["zone_type"] == "other") & types.notna()
        if other.any():
            notes.append(
                f"{int(other.sum())} zone type(s) not recognised, set to 'other' "
                f"(e.g. {types[other].iloc[0]!r})"
            )
    return frame


def _place_table_points(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    path: Path,
    options: ImportOptions,
    problems: Problems,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """Points of a community table from its coordinate columns (a row without them: a problem)."""
    lon, lat = coordinates_from_table(raw.loc[frame.index], problems, source=path)
    placed = place_points(
        frame, lon, lat, source=path, options=options, problems=problems, notes=notes
    )
    unplaced = placed.geometry.isna()
    for row in placed.index[unplaced.to_numpy()]:
        problems.add(int(row), "lat", "the point has no coordinates", "give its LAT and LNG")
    return placed.drop(columns=["coord_flag"])


def _place_features(
    frame: pd.DataFrame,
    gdf: gpd.GeoDataFrame,
    layer: str,
    path: Path,
    options: ImportOptions,
    problems: Problems,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """Return the file's geometries in EPSG:4326, of the layer's kind, polygons repaired."""
    geo = gpd.GeoDataFrame(frame, geometry=gdf.geometry.loc[frame.index], crs=gdf.crs)
    geo = to_storage_crs(geo, source=path, options=options, notes=notes)
    _check_geometry_kinds(geo, layer, problems)
    contract = schema.contract(layer)
    if contract.geometry and "Polygon" in contract.geometry:
        geo = repair_polygons(geo, notes=notes, problems=problems)
    else:
        empty = geo.geometry.isna() | geo.geometry.is_empty
        for row in geo.index[empty.to_numpy()]:
            problems.add(int(row), "geometry", "the feature has no geometry", "draw or delete it")
    return geo


def _computed_areas(result: gpd.GeoDataFrame, layer: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Areas from the geometry (provinces km², zones ha) and the province's EIT-target flag."""
    if layer == "provinces":
        result["eit_target"] = result["pro_code"].isin(target_province_codes()).astype("boolean")
        result["area_km2"] = geodesic_area_m2(result.geometry) / 1e6
    for computed in ("area_km2", "area_ha"):
        if computed in result.columns and result[computed].notna().any():
            notes.append(
                f"{computed} is computed from the geometry; the file's values were not used"
            )
    if layer == "industrial_zones":
        metric = ecrs.to_metric(result)
        result["area_ha"] = (metric.geometry.area / 1e4).to_numpy()
        if "pro_code" in result.columns and result["pro_code"].notna().any():
            result["pro_code"] = _pad_code(result["pro_code"], 2)
    return result
