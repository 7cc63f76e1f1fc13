"""Where things are in the illustrative demo area: province, districts, zones, receptors, factories.

The target industrial area sits around Si Maha Phot in Prachin Buri (province 25), at its real
location, but every shape and place here is drawn for the demonstration: a simplified province
outline, four simplified districts, three industrial areas, villages and receptors with
generic Thai names, and the sites of the factories that lie outside the industrial areas.

Positions are written in kilometres east and north of the area's centre (101.50°E, 13.95°N)
and turned into longitude/latitude through UTM zone 47N, so distances planned here (e.g. a
factory 65 m from a school) are metric.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyproj

PRO_CODE = "25"
"""Prachin Buri, one of the 15 eco-industrial town provinces (DOMAIN.md §1)."""

CENTRE_LONLAT = (101.50, 13.95)
"""Centre of the demo area (degrees east, north)."""

DISTRICT_CODES = ("2501", "2509", "2508", "2502")
"""Mueang Prachin Buri, Si Mahosot, Si Maha Phot, Kabin Buri (codes and names from geothai)."""

PROVINCE_OUTLINE: tuple[tuple[float, float], ...] = (
    (101.10, 13.95), (101.20, 14.20), (101.45, 14.40), (101.80, 14.45), (102.10, 14.25),
    (102.20, 13.95), (101.95, 13.65), (101.55, 13.60), (101.25, 13.72),
)  # fmt: skip
"""Simplified (illustrative) outline of the province, lon/lat."""

DISTRICT_BOXES: dict[str, tuple[float, float, float, float]] = {
    # amp_code: (min lon, min lat, max lon, max lat), simplified and illustrative
    "2501": (101.25, 13.99, 101.52, 14.20),
    "2509": (101.25, 13.78, 101.43, 13.99),
    "2508": (101.43, 13.72, 101.62, 13.99),
    "2502": (101.62, 13.75, 101.85, 14.10),
}


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


ZONES: tuple[ZonePlan, ...] = (
    ZonePlan(
        "DEMO-IE-01", "estate",
        "นิคมอุตสาหกรรมศรีมหาโพธิ (ตัวอย่าง)", "Si Maha Phot Industrial Estate (illustrative)",
        "การนิคมอุตสาหกรรมแห่งประเทศไทย ร่วมกับผู้พัฒนาเอกชน (ตัวอย่าง)",
        ((1.4, -0.6), (4.6, -0.7), (4.8, 1.5), (3.0, 1.8), (1.3, 1.3)),
        0.11,
    ),
    ZonePlan(
        "DEMO-IP-01", "park",
        "สวนอุตสาหกรรมหนองโพธิ์ (ตัวอย่าง)", "Nong Pho Industrial Park (illustrative)",
        "บริษัทผู้พัฒนาสวนอุตสาหกรรม (ตัวอย่าง)",
        ((-3.9, 2.0), (-2.2, 2.0), (-2.1, 3.2), (-3.8, 3.3)),
        0.07,
    ),
    ZonePlan(
        "DEMO-IZ-01", "zone",
        "เขตประกอบการอุตสาหกรรมท่าประชุม (ตัวอย่าง)", "Tha Prachum Industrial Zone (illustrative)",
        "บริษัทผู้ประกอบการเขตอุตสาหกรรม (ตัวอย่าง)",
        ((-2.2, -4.1), (-0.8, -4.1), (-0.8, -3.0), (-2.2, -2.9)),
        0.05,
    ),
)  # fmt: skip


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


VILLAGES: tuple[Receptor, ...] = (
    Receptor("V01", "village", "บ้านหนองโพธิ์", "Ban Nong Pho", 5.3, 0.6, 1450),
    Receptor("V02", "village", "บ้านโคกสูง", "Ban Khok Sung", 2.8, -1.2, 980),
    Receptor("V03", "village", "บ้านท่าตูม", "Ban Tha Tum", 0.6, 0.2, 2100),
    Receptor("V04", "village", "บ้านหนองบัว", "Ban Nong Bua", 3.5, 2.4, 760),
    Receptor("V05", "village", "บ้านดงบัง", "Ban Dong Bang", -1.2, 2.6, 1250),
    Receptor("V06", "village", "บ้านคลองรั้ง", "Ban Khlong Rang", -3.0, 4.2, 890),
    Receptor("V07", "village", "บ้านหัวหว้า", "Ban Hua Wa", -4.8, 2.4, 640),
    Receptor("V08", "village", "บ้านโคกมะกอก", "Ban Khok Makok", -0.2, -3.4, 1120),
    Receptor("V09", "village", "บ้านหนองแหน", "Ban Nong Waen", -1.6, -5.0, 830),
    Receptor("V10", "village", "บ้านท่าประชุม", "Ban Tha Prachum", -3.2, -3.6, 1530),
    Receptor("V11", "village", "บ้านสระข่อย", "Ban Sa Khoi", 7.5, 2.0, 690),
    Receptor("V12", "village", "บ้านบุฝ้าย", "Ban Bu Fai", 8.8, -1.8, 1210),
    Receptor("V13", "village", "บ้านหนองสะแก", "Ban Nong Sakae", 5.8, -3.8, 940),
    Receptor("V14", "village", "บ้านโคกปีบ", "Ban Khok Pip", -6.2, -0.5, 1780),
    Receptor("V15", "village", "บ้านดงน้อย", "Ban Dong Noi", -8.0, 2.8, 560),
    Receptor("V16", "village", "บ้านหนองกี่", "Ban Nong Ki", -7.8, -3.2, 720),
    Receptor("V17", "village", "บ้านวังตะเคียน", "Ban Wang Takhian", 0.5, 5.2, 1340),
    Receptor("V18", "village", "บ้านไผ่ล้อม", "Ban Phai Lom", 4.0, 5.0, 610),
    Receptor("V19", "village", "บ้านหนองยาง", "Ban Nong Yang", 10.5, 3.8, 880),
    Receptor("V20", "village", "บ้านกุดตะเคียน", "Ban Kut Takhian", 11.0, -0.5, 1050),
    Receptor("V21", "village", "บ้านโนนสูง", "Ban Non Sung", 9.5, -5.5, 990),
    Receptor("V22", "village", "บ้านคลองหว้า", "Ban Khlong Wa", -5.0, -6.0, 470),
    Receptor("V23", "village", "บ้านหนองน้ำขุ่น", "Ban Nong Nam Khun", 2.0, -5.5, 1160),
    Receptor("V24", "village", "บ้านหนองจอก", "Ban Nong Chok", -9.0, 0.5, 520),
    Receptor("V25", "village", "บ้านศรีมงคล", "Ban Si Mongkhon", 6.8, -0.9, 1380),
    Receptor("V26", "village", "บ้านทุ่งสว่าง", "Ban Thung Sawang", -0.6, 1.6, 1600),
)

SENSITIVE: tuple[Receptor, ...] = (
    Receptor("S01", "school", "โรงเรียนบ้านทุ่งสว่าง", "Ban Thung Sawang School", -0.2, 1.8),
    Receptor("S02", "school", "โรงเรียนวัดหนองโพธิ์", "Wat Nong Pho School", 5.6, 0.9),
    Receptor("S03", "school", "โรงเรียนบ้านท่าตูม", "Ban Tha Tum School", 0.4, -0.1),
    Receptor("S04", "school", "โรงเรียนบ้านโคกมะกอก", "Ban Khok Makok School", 0.1, -3.1),
    Receptor("S05", "school", "โรงเรียนศรีมหาโพธิวิทยา", "Si Maha Phot Witthaya School", -5.9, -0.2),
    Receptor("S06", "school", "โรงเรียนบ้านวังตะเคียน", "Ban Wang Takhian School", 0.8, 5.0),
    Receptor("S07", "school", "โรงเรียนบ้านบุฝ้าย", "Ban Bu Fai School", 9.0, -1.5),
    Receptor("T01", "temple", "วัดศรีมงคล", "Wat Si Mongkhon", 6.5, -1.2),
    Receptor("T02", "temple", "วัดป่าดงน้อย", "Wat Pa Dong Noi", -7.0, 1.0),
    Receptor("T03", "temple", "วัดหนองโพธิ์", "Wat Nong Pho", 5.1, 0.3),
    Receptor("T04", "temple", "วัดท่าประชุม", "Wat Tha Prachum", -3.4, -3.9),
    Receptor("T05", "temple", "วัดคลองรั้ง", "Wat Khlong Rang", -3.3, 4.4),
    Receptor("T06", "temple", "วัดโคกสูง", "Wat Khok Sung", 2.5, -1.5),
    Receptor("T07", "temple", "วัดหนองยาง", "Wat Nong Yang", 10.3, 3.5),
    Receptor("H01", "hospital", "โรงพยาบาลศรีมหาโพธิ", "Si Maha Phot Hospital", -5.5, 0.3),
    Receptor(
        "H02", "hospital", "โรงพยาบาลส่งเสริมสุขภาพตำบลท่าประชุม",
        "Tha Prachum Subdistrict Health Promoting Hospital", -4.8, -2.8,
    ),
    Receptor("G01", "government", "ที่ว่าการอำเภอศรีมหาโพธิ", "Si Maha Phot District Office", -5.7, 0.0),
    Receptor(
        "G02", "government", "องค์การบริหารส่วนตำบลหนองโพธิ์",
        "Nong Pho Subdistrict Administrative Organization", 5.5, 1.1,
    ),
    Receptor("G03", "government", "สถานีตำรวจภูธรท่าตูม", "Tha Tum Police Station", 0.8, 0.4),
)  # fmt: skip

WORKER_HOUSING: tuple[tuple[float, float, int], ...] = (
    (1.0, -0.9, 1800),
    (5.1, -0.3, 1200),
    (-2.8, 1.6, 700),
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
    """A site ``dx_m``/``dy_m`` metres east/north of a sensitive receptor (for siting cases)."""
    r = next(r for r in SENSITIVE if r.key == receptor_key)
    return (r.x_km + dx_m / 1000.0, r.y_km + dy_m / 1000.0)


NEAR_RECEPTOR_CASES: dict[str, tuple[str, float]] = {
    # archetype at that site: (receptor key, planned distance in metres)
    "chemicals": ("S01", 65.0),
    "plastic_recycler": ("T01", 45.0),
    "electroplating": ("H02", 85.0),
    "rice_mill": ("T02", 40.0),
}
"""Factories deliberately placed close to a school, temple or hospital, so the siting check
(50 m for class 1–2, 100 m for class 3) has real cases to find."""

SITES: tuple[SitePlan, ...] = (
    # --- inside the estate
    SitePlan("coal_power", "DEMO-IE-01"),
    SitePlan("steel_eaf", "DEMO-IE-01"),
    SitePlan("foundry", "DEMO-IE-01"),
    SitePlan("foundry", "DEMO-IE-01", status="stopped"),
    SitePlan("aluminium", "DEMO-IE-01"),
    SitePlan("auto_parts", "DEMO-IE-01", 4),
    SitePlan("auto_parts", "DEMO-IE-01", status="licensed"),
    SitePlan("electroplating", "DEMO-IE-01"),
    SitePlan("chemicals", "DEMO-IE-01", 2),
    SitePlan("paints", "DEMO-IE-01"),
    SitePlan("plastic_products", "DEMO-IE-01", 2),
    SitePlan("waste_treatment", "DEMO-IE-01"),
    SitePlan("central_wwtp", "DEMO-IE-01"),
    SitePlan("glass_containers", "DEMO-IE-01"),
    SitePlan("corrugated_boxes", "DEMO-IE-01"),
    SitePlan("beverage", "DEMO-IE-01"),
    SitePlan("industrial_gas", "DEMO-IE-01"),
    SitePlan("bakery", "DEMO-IE-01"),
    # --- inside the park
    SitePlan("auto_parts", "DEMO-IP-01", 2),
    SitePlan("plastic_products", "DEMO-IP-01", 2),
    SitePlan("plastic_recycler", "DEMO-IP-01"),
    SitePlan("paper_mill", "DEMO-IP-01"),
    SitePlan("corrugated_boxes", "DEMO-IP-01"),
    SitePlan("bakery", "DEMO-IP-01", 2),
    SitePlan("beverage", "DEMO-IP-01"),
    # --- inside the zone
    SitePlan("electroplating", "DEMO-IZ-01"),
    SitePlan("plastic_products", "DEMO-IZ-01"),
    SitePlan("oil_solvent_recovery", "DEMO-IZ-01"),
    SitePlan("waste_sorting", "DEMO-IZ-01"),
    SitePlan("feed_mill", "DEMO-IZ-01"),
    SitePlan("auto_parts", "DEMO-IZ-01"),
    SitePlan("fertiliser", "DEMO-IZ-01"),
    # --- outside the industrial areas
    SitePlan("cement", sites_km=((8.0, -5.0),)),
    SitePlan("ready_mix", count=2, sites_km=((-5.5, -1.3), (6.0, 3.8))),
    SitePlan("biomass_power", sites_km=((-6.3, -4.4),)),
    SitePlan("rice_mill", count=4, sites_km=((-2.4, -6.2), (9.6, 4.6), (-9.5, -1.8), (3.3, -3.2))),
    SitePlan("rice_mill", sites_km=(_near("T02", 28.3, -28.3),), factory_class=2),
    SitePlan("tapioca_starch", count=2, sites_km=((-8.6, -4.6), (12.0, -3.0))),
    SitePlan("sugar_mill", sites_km=((11.5, 2.2),)),
    SitePlan("ethanol", sites_km=((10.2, 0.9),)),
    SitePlan("palm_oil_mill", sites_km=((-7.5, 4.4),)),
    SitePlan("feed_mill", sites_km=((5.5, -2.6),)),
    SitePlan("sawmill", count=2, sites_km=((-9.6, 3.6), (1.5, 6.6))),
    SitePlan("particle_board", sites_km=((-8.6, -1.0),)),
    SitePlan("biogas", sites_km=((-8.2, -5.0),)),
    SitePlan("waste_sorting", sites_km=((7.2, -2.8),)),
    SitePlan("chemicals", sites_km=(_near("S01", 65.0, 0.0),)),
    SitePlan("plastic_recycler", sites_km=(_near("T01", 0.0, 45.0),)),
    SitePlan("electroplating", sites_km=(_near("H02", -85.0, 0.0),)),
    # --- registry rows without coordinates (as ~40 % of real DIW rows): kept and flagged
    SitePlan("rice_mill", sites_km=((-10.5, -5.5),), placed=False),
    SitePlan("plastic_products", sites_km=((11.0, 5.5),), placed=False),
)
"""Every factory of the demo, by archetype and place (65 factories, 2 of them unplaced)."""


def km_to_lonlat(x_km: float, y_km: float) -> tuple[float, float]:
    """Longitude/latitude of a point given in km east/north of :data:`CENTRE_LONLAT`."""
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
