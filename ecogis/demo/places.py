"""Where things are in the illustrative demo area: province, districts, zones, receptors, factories.

The target industrial area sits around Si Maha Phot in Prachin Buri (province 25), at its real
location, but every shape and place here is drawn for the demonstration: a simplified province
outline, four simplified districts, three industrial areas, villages and receptors with
generic Thai names, and the sites of the factories that lie outside the industrial areas.

The tables are CSV files in ``ecogis/demo/data/``. Positions are written in kilometres east
and north of the area's centre (101.50°E, 13.95°N)
and turned into longitude/latitude through UTM zone 47N, so distances planned here (e.g. a
factory 65 m from a school) are metric.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyproj

from ecogis.demo.tables import int_or_none, points_km, read_rows, text_or_none, yes

PRO_CODE = "25"
"""Prachin Buri, one of the 15 eco-industrial town provinces (DOMAIN.md §1)."""

CENTRE_LONLAT = (101.50, 13.95)
"""Centre of the demo area (degrees east, north)."""

DISTRICT_CODES = ("2501", "2509", "2508", "2502")
"""Mueang Prachin Buri, Si Mahosot, Si Maha Phot, Kabin Buri (codes and names from geothai)."""

PROVINCE_OUTLINE: tuple[tuple[float, float], ...] = tuple(
    (float(r["lon"]), float(r["lat"])) for r in read_rows("province_outline.csv")
)
"""Simplified (illustrative) outline of the province, lon/lat (``data/province_outline.csv``)."""

DISTRICT_BOXES: dict[str, tuple[float, float, float, float]] = {
    r["amp_code"]: (
        float(r["min_lon"]),
        float(r["min_lat"]),
        float(r["max_lon"]),
        float(r["max_lat"]),
    )
    for r in read_rows("districts.csv")
}
"""amp_code → (min lon, min lat, max lon, max lat), simplified and illustrative
(``data/districts.csv``)."""


@dataclass(frozen=True)
class ZonePlan:
    """One industrial area of the demo."""

    zone_id: str
    zone_type: str
    name_th: str
    name_en: str
    operator: str
    outline_km: tuple[tuple[float, float], ...]
    green_share: float  # share of the area kept as green space and buffer


ZONES: tuple[ZonePlan, ...] = tuple(
    ZonePlan(
        r["zone_id"],
        r["zone_type"],
        r["name_th"],
        r["name_en"],
        r["operator"],
        points_km(r["outline_km"]),
        float(r["green_share"]),
    )
    for r in read_rows("zones.csv")
)
"""The three industrial areas (``data/zones.csv``)."""


@dataclass(frozen=True)
class Receptor:
    """A village or a sensitive place (km east, km north of the centre)."""

    key: str
    kind: str
    name_th: str
    name_en: str
    x_km: float
    y_km: float
    population: int | None = None


_RECEPTORS: tuple[Receptor, ...] = tuple(
    Receptor(
        r["key"],
        r["kind"],
        r["name_th"],
        r["name_en"],
        float(r["x_km"]),
        float(r["y_km"]),
        int_or_none(r["population"]),
    )
    for r in read_rows("receptors.csv")
)
VILLAGES: tuple[Receptor, ...] = tuple(r for r in _RECEPTORS if r.kind == "village")
"""Villages with their registered population (``data/receptors.csv``)."""
SENSITIVE: tuple[Receptor, ...] = tuple(r for r in _RECEPTORS if r.kind != "village")
"""Schools, temples, hospitals and government offices (``data/receptors.csv``)."""

WORKER_HOUSING: tuple[tuple[float, float, int], ...] = tuple(
    (float(r["x_km"]), float(r["y_km"]), int(r["people"])) for r in read_rows("worker_housing.csv")
)
"""Dormitories and rented rooms of (often migrant) workers near the zones: (x km, y km, people).

They are in the population raster but not in the village table, as in reality: registered
village populations undercount the people living around industrial estates (DOMAIN.md §5).
"""


@dataclass(frozen=True)
class SitePlan:
    """Where the factories of one archetype go: inside a zone, or at given outside sites."""

    archetype: str
    zone_id: str | None = None  # inside this zone (positions drawn from a seeded grid)
    count: int = 1
    sites_km: tuple[tuple[float, float], ...] = ()  # outside: one site per factory
    factory_class: int | None = None  # override the archetype's class
    status: str = "operating"
    placed: bool = True  # False: the registry row has no coordinates (sites give the address)


def _near(receptor_key: str, dx_m: float, dy_m: float) -> tuple[float, float]:
    """Put a site ``dx_m``/``dy_m`` metres east/north of a sensitive receptor (for siting cases)."""
    r = next(r for r in SENSITIVE if r.key == receptor_key)
    return (r.x_km + dx_m / 1000.0, r.y_km + dy_m / 1000.0)


def _site_plan(row: dict[str, str]) -> SitePlan:
    sites = points_km(row["sites_km"])
    if row["near_receptor"]:
        sites = (_near(row["near_receptor"], float(row["near_dx_m"]), float(row["near_dy_m"])),)
    return SitePlan(
        row["archetype"],
        text_or_none(row["zone_id"]),
        int(row["count"]),
        sites,
        int_or_none(row["factory_class"]),
        row["status"],
        yes(row["placed"]),
    )


SITES: tuple[SitePlan, ...] = tuple(_site_plan(r) for r in read_rows("sites.csv"))
"""Every factory of the demo, by archetype and place (65 factories, 2 of them unplaced;
``data/sites.csv``): inside a zone (positions drawn from a seeded grid), at given sites
outside, or a given offset in metres from a sensitive receptor."""

NEAR_RECEPTOR_CASES: dict[str, tuple[str, float]] = {
    r["archetype"]: (r["near_receptor"], math.hypot(float(r["near_dx_m"]), float(r["near_dy_m"])))
    for r in read_rows("sites.csv")
    if r["near_receptor"]
}
"""Factories deliberately placed close to a school, temple or hospital, so the siting check
(50 m for class 1–2, 100 m for class 3) has real cases to find: archetype → (receptor key,
planned distance in metres)."""


def km_to_lonlat(x_km: float, y_km: float) -> tuple[float, float]:
    """Longitude/latitude of a point given in km east/north of :data:`CENTRE_LONLAT`.

    Parameters
    ----------
    x_km, y_km
        Offset from the centre in kilometres east and north, measured in UTM zone 47N
        (EPSG:32647).

    Returns
    -------
    tuple of (float, float)
        ``(lon, lat)`` in degrees (EPSG:4326), rounded to 7 decimals (about 1 cm).
    """
    fwd, inv = _transformers()
    cx, cy = fwd.transform(*CENTRE_LONLAT)
    lon, lat = inv.transform(cx + x_km * 1000.0, cy + y_km * 1000.0)
    return (round(float(lon), 7), round(float(lat), 7))


_CACHE: dict[str, pyproj.Transformer] = {}


def _transformers() -> tuple[pyproj.Transformer, pyproj.Transformer]:
    if not _CACHE:
        _CACHE["fwd"] = pyproj.Transformer.from_crs(4326, 32647, always_xy=True)
        _CACHE["inv"] = pyproj.Transformer.from_crs(32647, 4326, always_xy=True)
    return _CACHE["fwd"], _CACHE["inv"]
