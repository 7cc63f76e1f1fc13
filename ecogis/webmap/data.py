"""Prepare workspace layers for the web map: filter, join, derive, and encode compactly.

Pure functions: frames in, JSON-ready dicts out. Points travel as column arrays (one
array per field, low-cardinality fields dictionary-encoded) so that 20,000 factories
cost one array each rather than one JavaScript object per point; polygons and lines as
GeoJSON simplified to ~10 m and rounded to 1e-5° (~1 m), which a screen cannot tell apart.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from ecogis import schema
from ecogis.compliance import (
    COMPLIANCE_CLASSES,
    Requirement,
    compliance_class,
    factory_compliance,
    load_requirements,
)
from ecogis.crs import to_metric

COORD_DECIMALS = 5
SIMPLIFY_DEG = 0.0001

_COMPLIANCE_LOOK = {
    "ok": ("#1a9850", "ครบถ้วน", "Compliant"),
    "in_progress": ("#fee08b", "อยู่ระหว่างดำเนินการ", "In progress"),
    "gap": ("#d73027", "มีข้อบกพร่อง", "Gaps"),
    "unknown": ("#bdbdbd", "ไม่มีข้อมูล", "No data"),
}
COMPLIANCE_STYLE_CLASSES = [
    {
        "value": v,
        "color": _COMPLIANCE_LOOK[v][0],
        "label_th": _COMPLIANCE_LOOK[v][1],
        "label_en": _COMPLIANCE_LOOK[v][2],
    }
    for v in COMPLIANCE_CLASSES
]
"""Legend classes of a factory's ``compliance_status`` (the classes of
:func:`ecogis.compliance.compliance_class`; colour and label here)."""


def python_value(v: Any) -> Any:
    """Return a JSON-ready Python value (None for every kind of missing value).

    Parameters
    ----------
    v : Any
        A cell value (numpy scalar, pandas NA/NaT, float NaN or inf, or a plain value).

    Returns
    -------
    Any
        ``None`` when missing (NaN and inf too), a Python ``float``/``int``/``bool`` for a
        numpy scalar, else ``v`` unchanged.
    """
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float | np.floating):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def column_values(col: pd.Series) -> list[Any]:
    """Return a column as a list of JSON-ready values.

    Parameters
    ----------
    col : pandas.Series
        The column.

    Returns
    -------
    list of Any
        One value per row, in order (:func:`python_value`; ``None`` where missing).
    """
    if pd.api.types.is_float_dtype(col.dtype):
        arr = col.to_numpy(dtype=float)
        return [None if math.isnan(x) else x for x in arr.tolist()]
    return [python_value(v) for v in col.astype(object).tolist()]


def compliance_fields(
    factories: pd.DataFrame,
    compliance: pd.DataFrame | None,
    *,
    lang: str,
    as_of: str,
    flows: pd.DataFrame | None = None,
    requirements: dict[str, Requirement] | None = None,
) -> pd.DataFrame:
    """Per factory: ``compliance_status`` and a one-line ``compliance_summary``.

    The status is the compliance analysis's own (:func:`ecogis.compliance.factory_compliance`
    on ``as_of``, classed by :func:`ecogis.compliance.compliance_class`), so a licence
    past its ``valid_until`` is expired on the map exactly as in the gap list.

    Parameters
    ----------
    factories
        The ``factories`` layer.
    compliance
        The ``compliance`` table (``None``: every factory is ``unknown``).
    lang
        ``th`` or ``en`` for the summary.
    as_of
        Assessment date (ISO ``YYYY-MM-DD``).
    flows
        ``material_flows``, which decides the requirements that apply only to factories
        with (hazardous) waste.
    requirements
        The requirement catalogue (the shipped one by default).

    Returns
    -------
    DataFrame
        Indexed like ``factories``: ``compliance_status`` (ok / in_progress / gap /
        unknown) and ``compliance_summary`` (e.g. "หมดอายุ: ใบอนุญาต…; ไม่มี CSR-DIW").
    """
    out = pd.DataFrame(index=factories.index)
    out["compliance_status"] = pd.Series("unknown", index=factories.index, dtype="string")
    out["compliance_summary"] = pd.Series(None, index=factories.index, dtype=object)
    if compliance is None or compliance.empty or "factory_id" not in factories:
        return out
    reqs = requirements if requirements is not None else load_requirements()
    status = factory_compliance(factories, compliance, requirements=reqs, as_of=as_of, flows=flows)
    out["compliance_status"] = compliance_class(status)
    out["compliance_summary"] = _compliance_summary(status, reqs, lang=lang)
    return out


def _compliance_summary(
    status: pd.DataFrame, requirements: dict[str, Requirement], *, lang: str
) -> pd.Series:
    """Describe what a factory lacks, in words: expired and missing items, missing systems."""
    labels = schema.contract("compliance_gaps").labels(lang)
    names = {r: (q.name_th if lang == "th" else q.name_en) for r, q in requirements.items()}
    complete = "ครบถ้วน" if lang == "th" else "all requirements met"
    lacking = {
        "lacks_env": ~status["has_environmental_management"].astype(bool).to_numpy(),
        "lacks_safety": ~status["has_safety_management"].astype(bool).to_numpy(),
        "lacks_csr": ~status["has_csr"].astype(bool).to_numpy(),
    }
    lists = {
        c: status[c].astype("string").fillna("").to_numpy(dtype=object)
        for c in ("expired", "legal_missing", "in_progress")
    }
    has = status["has_records"].astype(bool).to_numpy()
    texts: list[str | None] = []
    for pos in range(len(status)):
        if not has[pos]:
            texts.append(None)
            continue
        parts = []
        for col in ("expired", "legal_missing", "in_progress"):
            ids = [i for i in str(lists[col][pos]).split(";") if i]
            if ids:
                parts.append(f"{labels[col]}: {', '.join(names.get(i, i) for i in ids)}")
        parts += [labels[c] for c, flags in lacking.items() if flags[pos]]
        texts.append("; ".join(parts) if parts else complete)
    return pd.Series(texts, index=status.index, dtype=object)


def hazard_classes(factories: pd.DataFrame) -> pd.Series:
    """Each factory's hazard class (high / medium / low) by the one hazard rule.

    :func:`ecogis.risk.assign_hazard` on the factory's type, TSIC, class and size.

    Parameters
    ----------
    factories : pandas.DataFrame
        The ``factories`` layer (the geometry is not used).

    Returns
    -------
    pandas.Series
        String classes, indexed like ``factories``.
    """
    from ecogis.risk import assign_hazard

    if factories.empty:
        return pd.Series(pd.NA, index=factories.index, dtype="string")
    return assign_hazard(pd.DataFrame(factories.drop(columns="geometry", errors="ignore")))[
        "hazard_class"
    ].astype("string")


def material_names(lang: str) -> dict[str, str]:
    """Material key → its name in ``lang`` from the symbiosis catalogue (empty if unreadable).

    Parameters
    ----------
    lang : str
        ``th`` for the Thai names; anything else gives the English ones.

    Returns
    -------
    dict of str to str
        Names of the catalogue's materials that have one in ``lang``.
    """
    from ecogis.errors import CatalogueError
    from ecogis.symbiosis.catalogue import load_catalogue

    try:
        materials = load_catalogue().materials
    except CatalogueError:
        return {}
    column = "name_th" if lang == "th" else "name_en"
    return {str(k): str(v) for k, v in materials[column].dropna().items()}


def link_fields(links: pd.DataFrame, factories: pd.DataFrame | None, *, lang: str) -> pd.DataFrame:
    """Per symbiosis link: names of provider and receiver, material and use in ``lang``.

    Parameters
    ----------
    links : pandas.DataFrame
        ``symbiosis_links`` rows (``provider_id``, ``receiver_id``, ``material``,
        ``use_th``/``use_en``, ``tonnes`` t/yr, ``distance_km``).
    factories : pandas.DataFrame or None
        The ``factories`` layer, for names (a factory without one is shown by its id);
        ``None`` shows ids.
    lang : str
        ``th`` or ``en`` (the other language fills a missing name or use).

    Returns
    -------
    DataFrame
        Indexed like ``links``: ``provider_name``, ``receiver_name``, ``route``
        ("provider → receiver"), ``material_name``, ``use`` and ``hover`` (route, material,
        t/yr and road km on one line, for the tooltip).
    """
    names: dict[str, str] = {}
    if factories is not None and "factory_id" in factories:
        col = "name_th" if lang == "th" else "name_en"
        other = "name_en" if lang == "th" else "name_th"
        name = factories[col] if col in factories else pd.Series(pd.NA, index=factories.index)
        if other in factories:
            name = name.astype("string").fillna(factories[other].astype("string"))
        names = dict(
            zip(factories["factory_id"].astype("string"), name.astype("string"), strict=False)
        )

    def who(ids: pd.Series) -> pd.Series:
        ids = ids.astype("string")
        return ids.map(lambda i: names.get(i) if isinstance(names.get(i), str) else i).astype(
            "string"
        )

    out = pd.DataFrame(index=links.index)
    empty = pd.Series(pd.NA, index=links.index, dtype="string")
    out["provider_name"] = who(links["provider_id"]) if "provider_id" in links else empty
    out["receiver_name"] = who(links["receiver_id"]) if "receiver_id" in links else empty
    out["route"] = out["provider_name"].fillna("?") + " → " + out["receiver_name"].fillna("?")
    key = links["material"].astype("string") if "material" in links else empty
    lookup = material_names(lang)
    out["material_name"] = key.map(lambda k: lookup.get(k, k) if isinstance(k, str) else k)
    use_col, fallback = ("use_th", "use_en") if lang == "th" else ("use_en", "use_th")
    use = links[use_col].astype("string") if use_col in links else empty
    if fallback in links:
        use = use.fillna(links[fallback].astype("string"))
    out["use"] = use
    # As plain floats: a missing column reads as NaN, never as pd.NA.
    tonnes = pd.to_numeric(links.get("tonnes", empty), errors="coerce").astype("float64")
    km = pd.to_numeric(links.get("distance_km", empty), errors="coerce").astype("float64")
    t_unit, km_unit = ("ตัน/ปี", "กม.") if lang == "th" else ("t/yr", "km")
    hover = []
    for route, mat, t, d in zip(out["route"], out["material_name"], tonnes, km, strict=True):
        parts = [str(route), str(mat) if isinstance(mat, str) else ""]
        if t == t:  # not NaN
            parts.append(f"{t:,.0f} {t_unit}")
        if d == d:
            parts.append(f"{d:,.1f} {km_unit}")
        hover.append(" · ".join(p for p in parts if p))
    out["hover"] = pd.Series(hover, index=links.index, dtype=object)
    return out


def apply_where(frame: pd.DataFrame, where: dict[str, Any]) -> pd.DataFrame:
    """Rows whose fields equal (or are in, for a list) the given values.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows.
    where : dict of str to Any
        Field → a value or a list of values, compared as text; every field must match.

    Returns
    -------
    pandas.DataFrame
        The matching rows (index kept).

    Raises
    ------
    KeyError
        When ``where`` names a field the frame does not have.
    """
    keep = pd.Series(True, index=frame.index)
    for name, want in where.items():
        col = frame[name]
        wanted = [str(w) for w in (want if isinstance(want, list) else [want])]
        keep &= col.astype("string").isin(wanted).fillna(False)
    return frame[keep.to_numpy(dtype=bool)]


def join_geometry(table: pd.DataFrame, other: gpd.GeoDataFrame, on: str) -> gpd.GeoDataFrame:
    """Attach ``other``'s geometry (and its fields not in ``table``) to ``table`` by ``on``.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows to place (its own geometry, if any, is dropped).
    other : geopandas.GeoDataFrame
        The layer with the geometry (its first row per key is used).
    on : str
        The key field of both, compared as text.

    Returns
    -------
    geopandas.GeoDataFrame
        ``table``'s rows, index kept, in ``other``'s CRS; no geometry where the key has no
        match.
    """
    extra = [c for c in other.columns if c not in table.columns and c != "geometry"]
    right = other[[on, *extra, "geometry"]].drop_duplicates(on)
    right = pd.DataFrame(right).assign(**{on: right[on].astype("string")})
    left = pd.DataFrame(table.drop(columns=["geometry"], errors="ignore"))
    left = left.assign(**{on: left[on].astype("string")})
    merged = left.reset_index().merge(right, on=on, how="left").set_index("index")
    merged.index.name = table.index.name
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=other.crs)


def lines_between(
    table: pd.DataFrame, points: gpd.GeoDataFrame, *, key: str, from_field: str, to_field: str
) -> gpd.GeoDataFrame:
    """Straight lines from the point of ``from_field`` to that of ``to_field`` (by ``key``).

    Parameters
    ----------
    table : pandas.DataFrame
        The rows to draw (e.g. symbiosis links).
    points : geopandas.GeoDataFrame
        The points the ends are looked up in (usually ``factories``).
    key : str
        The points' id field.
    from_field, to_field : str
        The fields of ``table`` naming the two ends.

    Returns
    -------
    geopandas.GeoDataFrame
        ``table``'s rows with a two-point line each, in ``points``' CRS; no geometry where
        an end is not placed.
    """
    pts = points[points.geometry.notna() & ~points.geometry.is_empty]
    lookup = dict(zip(pts[key].astype("string"), pts.geometry, strict=False))
    geoms = []
    for a, b in zip(
        table[from_field].astype("string"), table[to_field].astype("string"), strict=False
    ):
        pa, pb = lookup.get(a), lookup.get(b)
        geoms.append(LineString([pa, pb]) if pa is not None and pb is not None else None)
    frame = pd.DataFrame(table.drop(columns=["geometry"], errors="ignore"))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=points.crs)


def geojson_payload(
    frame: gpd.GeoDataFrame, columns: list[str], *, simplify: bool = True
) -> dict[str, Any]:
    """Build a GeoJSON FeatureCollection with only ``columns`` as properties.

    Polygons are simplified to :data:`SIMPLIFY_DEG` (1e-4°, ~10 m) and every coordinate is
    rounded to :data:`COORD_DECIMALS` (5 decimals, ~1 m).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The features, EPSG:4326; rows without geometry are left out.
    columns : list of str
        The properties (a column the frame lacks is ``null``).
    simplify : bool
        Simplify polygons; default ``True``.

    Returns
    -------
    dict of str to Any
        The FeatureCollection, JSON-ready.
    """
    sub = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    geoms = sub.geometry.to_numpy()
    if simplify:
        poly = np.isin(shapely.get_type_id(geoms), (3, 6))
        geoms = geoms.copy()
        geoms[poly] = shapely.simplify(geoms[poly], SIMPLIFY_DEG, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 10.0**-COORD_DECIMALS, mode="pointwise")
    values = {c: column_values(sub[c]) if c in sub.columns else [None] * len(sub) for c in columns}
    features = []
    for i, g in enumerate(geoms):
        if g is None or g.is_empty:
            continue
        props = {c: values[c][i] for c in columns}
        features.append(
            {"type": "Feature", "geometry": shapely.geometry.mapping(g), "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def indicator_values(
    boundaries: gpd.GeoDataFrame,
    source: pd.DataFrame,
    *,
    level: str,
    stat: str,
    field: str | None,
    per_km2: bool,
    key_field: str | None = None,
) -> pd.Series:
    """``stat`` of ``source`` per boundary, indexed like ``boundaries``.

    Parameters
    ----------
    boundaries : geopandas.GeoDataFrame
        The ``provinces`` or ``districts`` drawn.
    source : pandas.DataFrame
        The rows counted or summed.
    level : str
        ``provinces`` (group by ``pro_code``; the first two digits of ``amp_code`` when the
        source has only that) or ``districts`` (``amp_code``).
    stat : str
        ``count``, ``sum`` or ``mean`` (of ``field``).
    field : str or None
        The numeric field of ``sum`` and ``mean``; ``None`` for ``count``.
    per_km2 : bool
        Divide by the boundary's area in km² (computed in the UTM zone of the data).
    key_field : str or None
        The field of ``source`` holding the boundary's code, when it is not
        ``pro_code``/``amp_code`` (summary tables keyed by ``code`` or ``area_id``).

    Returns
    -------
    pandas.Series
        One float per boundary in the source field's unit (per km² with ``per_km2``); a
        count is 0 where no row falls, other statistics NaN; all NaN when the source has
        no area key.
    """
    key = "pro_code" if level == "provinces" else "amp_code"
    if key_field is not None:
        keys = source[key_field].astype("string")
    elif key in source.columns:
        keys = source[key].astype("string")
    elif key == "pro_code" and "amp_code" in source.columns:
        keys = source["amp_code"].astype("string").str[:2]
    else:
        return pd.Series(np.nan, index=boundaries.index)
    if stat == "count":
        grouped = keys.groupby(keys).size().astype(float)
    else:
        num = pd.to_numeric(source[str(field)], errors="coerce")
        grouped = num.groupby(keys).agg(stat).astype(float)
    vals = grouped.reindex(boundaries[key].astype("string").to_numpy()).to_numpy(dtype=float)
    if stat == "count":
        vals = np.nan_to_num(vals, nan=0.0)
    result = pd.Series(vals, index=boundaries.index)
    if per_km2 and len(boundaries):
        area = to_metric(boundaries).geometry.area.to_numpy() / 1e6
        result = result / np.where(area > 0, area, np.nan)
    return result


def bounds_of(frames: list[gpd.GeoDataFrame]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` around every geometry in ``frames``.

    Parameters
    ----------
    frames : list of geopandas.GeoDataFrame
        EPSG:4326 layers.

    Returns
    -------
    list of list of float or None
        Leaflet's bounds in degrees, rounded to 5 decimals; ``None`` when no frame has a
        geometry.
    """
    boxes = []
    for f in frames:
        g = f.geometry[f.geometry.notna() & ~f.geometry.is_empty]
        if len(g):
            boxes.append(g.total_bounds)
    if not boxes:
        return None
    arr = np.array(boxes)
    w, s = float(arr[:, 0].min()), float(arr[:, 1].min())
    e, n = float(arr[:, 2].max()), float(arr[:, 3].max())
    return [[round(s, 5), round(w, 5)], [round(n, 5), round(e, 5)]]
