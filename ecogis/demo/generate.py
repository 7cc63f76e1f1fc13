"""Build the demo's layers as frames (pure: no file I/O, the same data on every run).

Everything random is drawn from one :class:`numpy.random.Generator` seeded with
:data:`SEED`, in a fixed order, so two runs give identical frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

import geopandas as gpd
import geothai
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from ecogis.demo.archetypes import ARCHETYPES, WASTE_CODES, Archetype
from ecogis.demo.compliance import compliance_frame
from ecogis.demo.ids import DEMO_ID_PREFIX, DEMO_SOURCE
from ecogis.demo.places import (
    DISTRICT_BOXES,
    DISTRICT_CODES,
    PRO_CODE,
    PROVINCE_OUTLINE,
    SENSITIVE,
    SITES,
    VILLAGES,
    ZONES,
    ZonePlan,
    km_to_lonlat,
)
from ecogis.demo.tables import points_km, read_rows
from ecogis.receptors import sensitive_flags

SEED = 20_250_630
"""Seed of the demo's random draws."""

DATA_YEAR = 2024
"""Year of the mass balances (Gregorian)."""

AS_OF = date(2024, 12, 31)
"""Date the compliance statuses describe: the end of the mass-balance year, just before the
programme's baseline round (the demo's compliance step assesses on 2025-01-15)."""

SOURCE = DEMO_SOURCE

_STEMS: tuple[tuple[str, str], ...] = tuple(
    (r["stem_th"], r["stem_en"]) for r in read_rows("company_stems.csv")
)
"""Company-name stems (invented; juristic persons only, never natural persons)."""

# Province abbreviation used in old-format registration numbers (Prachin Buri = ปจ).
_PROV_ABBR = "ปจ"


@dataclass
class _Factory:
    """A factory being built (internal)."""

    factory_id: str
    archetype: Archetype
    factory_class: int
    zone_id: str | None
    lon: float
    lat: float
    output: float
    size_frac: float
    status: str = "operating"
    placed: bool = True


def _poly_km(points: tuple[tuple[float, float], ...]) -> Polygon:
    return Polygon(points)


def _poly_lonlat(points_km: tuple[tuple[float, float], ...]) -> Polygon:
    return Polygon([km_to_lonlat(x, y) for x, y in points_km])


def province_frame() -> gpd.GeoDataFrame:
    """Build the target province with its real code and names and an illustrative outline.

    Returns
    -------
    geopandas.GeoDataFrame
        One row (EPSG:4326): ``pro_code``, ``name_th``, ``name_en`` (from geothai),
        ``region``, ``eit_target``, the outline as a MultiPolygon and ``area_km2`` (km²,
        measured in UTM 47N, one decimal).

    Raises
    ------
    RuntimeError
        If the installed geothai lacks the province (a broken install).
    """
    p = geothai.province(PRO_CODE)
    if p is None:  # geothai ships every province; this guards a broken install
        raise RuntimeError(f"geothai has no province {PRO_CODE}")
    outline = Polygon(PROVINCE_OUTLINE)
    frame = gpd.GeoDataFrame(
        {
            "pro_code": [PRO_CODE],
            "name_th": [p.name_th],
            "name_en": [p.name_en],
            "region": ["ภาคตะวันออก"],
            "eit_target": [True],
        },
        geometry=[MultiPolygon([outline])],
        crs=4326,
    )
    frame["area_km2"] = (frame.to_crs(32647).area / 1e6).round(1)
    return frame


def districts_frame() -> gpd.GeoDataFrame:
    """Four districts around the target area: real codes and names, simplified outlines.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per district (EPSG:4326): ``amp_code``, ``name_th``, ``name_en``,
        ``pro_code`` and a MultiPolygon clipped to the province outline.
    """
    outline = Polygon(PROVINCE_OUTLINE)
    by_code = {d.code: d for d in geothai.districts(PRO_CODE)}
    rows, geoms = [], []
    for code in DISTRICT_CODES:
        d = by_code[code]
        rows.append(
            {"amp_code": code, "name_th": d.name_th, "name_en": d.name_en, "pro_code": PRO_CODE}
        )
        part = box(*DISTRICT_BOXES[code]).intersection(outline)
        geoms.append(
            part if isinstance(part, MultiPolygon) else MultiPolygon([cast(Polygon, part)])
        )
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def zones_frame() -> gpd.GeoDataFrame:
    """Build the estate, the park and the zone, with area and green/buffer area in hectares.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per zone (EPSG:4326): ``zone_id``, ``name_th``, ``name_en``, ``zone_type``,
        ``operator``, ``pro_code``, ``area_ha`` and ``green_area_ha`` (hectares, one
        decimal) and the outline as a MultiPolygon.
    """
    rows, geoms = [], []
    for z in ZONES:
        area_ha = _poly_km(z.outline_km).area * 100.0  # km² → ha
        rows.append(
            {
                "zone_id": z.zone_id,
                "name_th": z.name_th,
                "name_en": z.name_en,
                "zone_type": z.zone_type,
                "operator": z.operator,
                "pro_code": PRO_CODE,
                "area_ha": round(area_ha, 1),
                "green_area_ha": round(area_ha * z.green_share, 1),
            }
        )
        geoms.append(MultiPolygon([_poly_lonlat(z.outline_km)]))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def roads_frame() -> gpd.GeoDataFrame:
    """Illustrative roads of the area (``data/roads.csv``), for the maps' offline basemap.

    The lines are drawn for the demonstration, with the numbers and names of the highways
    that cross the area; a side road starts and ends on a vertex of the road it leaves, so
    the lines are noded (``ecogis symbiosis --roads roads`` can route on them).

    Returns
    -------
    geopandas.GeoDataFrame
        The ``roads`` layer's columns (``road_id`` with a ``DEMO-`` prefix, Thai and English
        names, highway ``ref``, ``road_class``, ``source``), LineStrings in EPSG:4326.
    """
    rows, geoms = [], []
    for r in read_rows("roads.csv"):
        rows.append(
            {
                "road_id": r["road_id"],
                "name_th": r["name_th"],
                "name_en": r["name_en"],
                "ref": r["ref"] or None,
                "road_class": r["road_class"],
                "source": SOURCE,
            }
        )
        geoms.append(LineString([km_to_lonlat(x, y) for x, y in points_km(r["points_km"])]))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def water_frame() -> gpd.GeoDataFrame:
    """Illustrative rivers, canals and a reservoir (``data/water.csv``), for the basemap.

    Returns
    -------
    geopandas.GeoDataFrame
        The ``water`` layer's columns (``water_id`` with a ``DEMO-`` prefix, Thai and English
        names, ``water_kind``, ``source``): LineStrings for rivers and canals, a Polygon for
        the reservoir, EPSG:4326.
    """
    rows, geoms = [], []
    for r in read_rows("water.csv"):
        rows.append(
            {
                "water_id": r["water_id"],
                "name_th": r["name_th"],
                "name_en": r["name_en"],
                "water_kind": r["water_kind"],
                "source": SOURCE,
            }
        )
        points = [km_to_lonlat(x, y) for x, y in points_km(r["points_km"])]
        geoms.append(Polygon(points) if r["shape"] == "polygon" else LineString(points))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def _admin_codes(lon: float, lat: float) -> tuple[str, str]:
    """District and subdistrict codes of a point (subdistrict chosen within the district)."""
    amp = next(
        (c for c, (x0, y0, x1, y1) in DISTRICT_BOXES.items() if x0 <= lon < x1 and y0 <= lat < y1),
        "2508",
    )
    subs = sorted(s.code for s in geothai.subdistricts(amp))
    x0, y0, _, _ = DISTRICT_BOXES[amp]
    # A stable cell of ~4 km picks the subdistrict, so neighbours share one.
    cell = int((lon - x0) / 0.036) + 3 * int((lat - y0) / 0.036)
    return amp, subs[cell % len(subs)]


def communities_frame() -> gpd.GeoDataFrame:
    """Villages (with population) and sensitive receptors, as points.

    Returns
    -------
    geopandas.GeoDataFrame
        The ``communities`` layer (EPSG:4326): ``community_id``, names, ``kind``,
        ``sensitive`` (from :func:`ecogis.receptors.sensitive_flags`), ``population``
        (people, ``Int64``; empty for a sensitive place), the province, district and
        subdistrict codes, ``source`` and a point geometry.
    """
    rows, geoms = [], []
    for r in (*VILLAGES, *SENSITIVE):
        lon, lat = km_to_lonlat(r.x_km, r.y_km)
        amp, tam = _admin_codes(lon, lat)
        rows.append(
            {
                "community_id": f"{DEMO_ID_PREFIX}{r.key}",
                "name_th": r.name_th,
                "name_en": r.name_en,
                "kind": r.kind,
                "sensitive": None,  # the kind decides (ecogis.receptors), set below
                "population": r.population,
                "pro_code": PRO_CODE,
                "amp_code": amp,
                "tam_code": tam,
                "source": SOURCE,
            }
        )
        geoms.append(Point(lon, lat))
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)
    frame["population"] = frame["population"].astype("Int64")
    frame["sensitive"] = sensitive_flags(frame)
    return frame


def _grid_sites(zone: ZonePlan, n: int, rng: np.random.Generator) -> list[tuple[float, float]]:
    """``n`` well-spaced sites inside a zone (km), drawn from a seeded grid."""
    poly = _poly_km(zone.outline_km).buffer(-0.12)
    x0, y0, x1, y1 = poly.bounds
    step = 0.28
    xs = np.arange(x0, x1 + 1e-9, step)
    ys = np.arange(y0, y1 + 1e-9, step)
    cells = [(float(x), float(y)) for y in ys for x in xs if poly.contains(Point(x, y))]
    order = rng.permutation(len(cells))
    if n > len(cells):
        raise RuntimeError(f"zone {zone.zone_id} has room for {len(cells)} sites, not {n}")
    return [cells[i] for i in order[:n]]


def _plan_factories(rng: np.random.Generator) -> list[_Factory]:
    zone_sites: dict[str, list[tuple[float, float]]] = {}
    for z in ZONES:
        need = sum(s.count for s in SITES if s.zone_id == z.zone_id)
        zone_sites[z.zone_id] = _grid_sites(z, need, rng)
    serial_by_type: dict[str, int] = {}
    out: list[_Factory] = []
    for plan in SITES:
        a = ARCHETYPES[plan.archetype]
        if plan.zone_id is not None:
            sites = [zone_sites[plan.zone_id].pop() for _ in range(plan.count)]
        else:
            sites = list(plan.sites_km)
        for x, y in sites:
            lon, lat = km_to_lonlat(x, y)
            frac = float(rng.uniform(0.0, 1.0))
            lo, hi = a.output_range
            output = round(lo + frac * (hi - lo), -1 if hi < 100_000 else -2)
            cls = plan.factory_class or a.factory_class
            serial_by_type[a.diw_type] = serial_by_type.get(a.diw_type, 0) + int(rng.integers(1, 9))
            year_be = int(rng.integers(2538, 2565))  # licences 1995–2021
            prefix = "" if plan.zone_id == "DEMO-IE-01" else "จ"
            serial = serial_by_type[a.diw_type]
            reg_no = f"{prefix}{cls}-{a.diw_type}-{serial}/{year_be % 100:02d}{_PROV_ABBR}"
            fid = DEMO_ID_PREFIX + reg_no  # a form the real registry cannot hold
            out.append(
                _Factory(
                    fid, a, cls, plan.zone_id, lon, lat, output, frac, plan.status, plan.placed
                )
            )
    return out


def _scaled(rng: np.random.Generator, lo: float, hi: float, frac: float) -> float:
    """Return a value in [lo, hi] that follows the factory's size, with ±8 % noise."""
    return float((lo + frac * (hi - lo)) * rng.uniform(0.92, 1.08))


def factories_frame(factories: list[_Factory], rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Build the factories layer.

    Parameters
    ----------
    factories
        The planned factories (archetype, class, zone, position, output, size).
    rng
        The demo's random generator, drawn in a fixed order (workers, horsepower, capital,
        licence date).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per factory (EPSG:4326) with the ``factories`` fields: IDs, Thai and
        English names marked ``(ตัวอย่าง)`` / ``(Demo)``, DIW type, TSIC, class, status,
        ``workers`` (people), ``horsepower`` (hp), ``capital_thb`` (baht), ``licence_date``
        (ISO), administrative codes, address, zone, ``coord_flag`` and ``source``; an
        unplaced factory has no geometry.
    """
    zone_names = {z.zone_id: z.name_th for z in ZONES}
    districts = {d.code: d for d in geothai.districts(PRO_CODE)}
    rows, geoms = [], []
    for i, f in enumerate(factories):
        a = f.archetype
        stem_th, stem_en = _STEMS[i % len(_STEMS)]
        trade_th, trade_en = a.trade_th, a.trade_en
        if a.key == "rice_mill" and f.factory_class < 3:
            name_th = f"ห้างหุ้นส่วนจำกัด โรงสีข้าว{stem_th} (ตัวอย่าง)"
            name_en = f"{stem_en} Rice Mill (Demo) Ltd. Part."
        else:
            name_th = f"บริษัท {stem_th}{trade_th} (ตัวอย่าง) จำกัด"
            name_en = f"{stem_en} {trade_en} (Demo) Co., Ltd."
        workers = max(8, round(_scaled(rng, *a.workers_range, f.size_frac)))
        hp = round(_scaled(rng, *a.hp_range, f.size_frac), 0)
        if f.factory_class == 2:  # class 2 is a small factory: 50–75 hp, few workers
            workers, hp = min(workers, 40), min(max(hp, 50.0), 75.0)
        capital = round(_scaled(rng, *a.capital_range_mthb, f.size_frac), 1) * 1e6
        year_be = 2500 + int(f.factory_id.split("/")[1][:2])
        lic = date(year_be - 543, 1, 1) + timedelta(days=int(rng.integers(0, 360)))
        amp, tam = _admin_codes(f.lon, f.lat)
        tam_name = next(s.name_th for s in geothai.subdistricts(amp) if s.code == tam)
        where = zone_names.get(f.zone_id or "", "")
        address = f"{where + ' ' if where else ''}ต.{tam_name} อ.{districts[amp].name_th} จ.ปราจีนบุรี"
        rows.append(
            {
                "factory_id": f.factory_id,
                "fid_diw": f"{DEMO_ID_PREFIX}10{PRO_CODE}{amp[2:]}{i + 1:06d}{year_be % 100:02d}",
                "name_th": name_th,
                "name_en": name_en,
                "activity": a.activity_th,
                "diw_type": a.diw_type,
                "diw_type_main": a.diw_type_main,
                "tsic": a.tsic,
                "factory_class": f.factory_class,
                "status": f.status,
                "workers": workers,
                "horsepower": hp,
                "capital_thb": capital,
                "licence_date": lic.isoformat(),
                "pro_code": PRO_CODE,
                "amp_code": amp,
                "tam_code": tam,
                "address": address,
                "zone_id": f.zone_id,
                "estate_name": zone_names.get(f.zone_id) if f.zone_id else None,
                "coord_flag": "ok" if f.placed else "missing",
                "source": SOURCE,
            }
        )
        geoms.append(Point(f.lon, f.lat) if f.placed else None)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def flows_frame(factories: list[_Factory], rng: np.random.Generator) -> pd.DataFrame:
    """Build the mass balance of every factory, scaled from its archetype by its annual output.

    Parameters
    ----------
    factories
        The planned factories (archetype and annual output).
    rng
        The demo's random generator (±4 % on each quantity, drawn in a fixed order).

    Returns
    -------
    pandas.DataFrame
        The ``material_flows`` table: ``factory_id``, ``flow_id`` (``IN01`` …, ``OUT01`` …),
        ``direction``, ``flow_kind``, ``material``, ``waste_code``, ``hazardous``,
        ``quantity`` in ``unit`` (t/yr, m3/yr or MWh/yr), ``year`` (Gregorian),
        ``disposal_code`` and ``price_thb_per_unit`` (baht per unit).
    """
    rows: list[dict[str, Any]] = []
    for f in factories:
        n_in = n_out = 0
        for fl in f.archetype.flows:
            # ±4 %: what a factory reports is its own rounded, year-to-year figure
            qty = fl.per_unit * f.output * float(rng.uniform(0.96, 1.04))
            if fl.direction == "in":
                n_in += 1
                flow_id = f"IN{n_in:02d}"
            else:
                n_out += 1
                flow_id = f"OUT{n_out:02d}"
            mark = WASTE_CODES[fl.waste_code][1] if fl.waste_code else None
            rows.append(
                {
                    "factory_id": f.factory_id,
                    "flow_id": flow_id,
                    "direction": fl.direction,
                    "flow_kind": fl.kind,
                    "material": fl.material,
                    "waste_code": fl.waste_code,
                    "hazardous": mark,
                    "quantity": round(qty, 1 if qty < 1_000 else 0),
                    "unit": fl.unit,
                    "year": DATA_YEAR,
                    "disposal_code": fl.disposal,
                    "price_thb_per_unit": fl.price,
                }
            )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def demo_frames() -> dict[str, Any]:
    """Every demo layer as a frame, by layer name (deterministic).

    Returns
    -------
    dict of str to DataFrame
        ``provinces``, ``districts``, ``industrial_zones``, ``communities``, ``factories``
        (GeoDataFrames, EPSG:4326), ``material_flows`` and ``compliance`` (tables); the
        same data on every call.
    """
    rng = np.random.default_rng(SEED)
    plans = _plan_factories(rng)
    flows = flows_frame(plans, rng)
    factories = factories_frame(plans, rng)
    return {
        "provinces": province_frame(),
        "districts": districts_frame(),
        "industrial_zones": zones_frame(),
        "communities": communities_frame(),
        "roads": roads_frame(),
        "water": water_frame(),
        "factories": factories,
        "material_flows": flows,
        "compliance": compliance_frame(factories, flows, rng, as_of=AS_OF, source=SOURCE),
    }
