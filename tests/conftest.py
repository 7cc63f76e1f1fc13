"""Shared fixtures.

Real reference data are read from ``../shared/data`` (never copied into the project). When
that folder is absent a test that needs it is skipped with the reason — except under
``CI=true``, where it fails, so CI can never pass by skipping the real-data tests.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from click.testing import CliRunner
from pyproj import Geod
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from ecogis.cli import cli
from ecogis.tasks.imports import import_file
from ecogis.webmap.encode import read_document
from ecogis.workspace import Workspace

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("ECOGIS_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


def _need(path: Path) -> Path:
    if path.exists():
        return path
    message = f"reference data not found: {path} (set ECOGIS_SHARED_DATA or place ../shared/data)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``../shared/data`` folder (skips, or fails under CI, when absent)."""
    return _need(SHARED_DATA)


@pytest.fixture(scope="session")
def diw_raw_geojson(shared_data: Path) -> Path:
    """The real DIW registry extract for Prachin Buri (632 factories, Thai column names)."""
    return _need(shared_data / "thailand" / "diw_factories_prachinburi_raw.geojson")


@pytest.fixture(scope="session")
def provinces_geojson(shared_data: Path) -> Path:
    """The 77 province boundaries with codes and Thai/English names."""
    return _need(shared_data / "thailand" / "th_provinces_opengisdata.geojson")


@pytest.fixture(scope="session")
def landmarks_geojson(shared_data: Path) -> Path:
    """Nakhon Pathom landmarks (temples, schools, health, offices) in EPSG:4326."""
    return _need(shared_data / "thailand" / "nakhonpathom_landmarks_wgs84.geojson")


@pytest.fixture
def tmp_workspace(tmp_path: Path) -> Path:
    """A path for a fresh workspace GeoPackage (not yet created)."""
    return tmp_path / "ws.gpkg"


# ---------------------------------------------------------------- the PostGIS store
POSTGRES_URL_ENV = "ECOGIS_TEST_POSTGRES_URL"


def _skip_or_fail(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A database with PostGIS (``ECOGIS_TEST_POSTGRES_URL``, no ``?schema=``).

    Skips with the reason when it is not set or not reachable; fails instead under
    ``CI=true``, where ``.ci/run`` starts a throwaway cluster.
    """
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        _skip_or_fail(f"no PostgreSQL for the tests: set {POSTGRES_URL_ENV} (see .ci/run)")
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            has = conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname='postgis'")
            if has.scalar() is None:
                _skip_or_fail(f"{url} has no PostGIS extension")
        engine.dispose()
    except ImportError as exc:
        _skip_or_fail(f"the PostgreSQL test needs {exc.name} (pip install -e '.[test]')")
    except Exception as exc:  # an unreachable server: say why
        _skip_or_fail(f"PostgreSQL at {url} not reachable: {str(exc).splitlines()[0]}")
    return url


def drop_pg_schema(base_url: str, schema: str) -> None:
    """Remove a test schema and its rows of public.layer_styles."""
    import sqlalchemy as sa

    engine = sa.create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        if conn.exec_driver_sql("SELECT to_regclass('public.layer_styles')").scalar():
            conn.exec_driver_sql(
                "DELETE FROM public.layer_styles WHERE f_table_schema = %(s)s", {"s": schema}
            )
    engine.dispose()


@pytest.fixture
def pg_workspace(postgres_url: str) -> object:
    """A URL of a fresh, empty workspace schema in the test database (dropped afterwards)."""
    import uuid

    schema = f"test_{uuid.uuid4().hex[:10]}"
    yield f"{postgres_url}?schema={schema}"
    drop_pg_schema(postgres_url, schema)


@pytest.fixture
def other_pg_workspace(postgres_url: str) -> object:
    """A second fresh workspace schema: another database than ``pg_workspace``'s."""
    import uuid

    schema = f"test_{uuid.uuid4().hex[:10]}"
    yield f"{postgres_url}?schema={schema}"
    drop_pg_schema(postgres_url, schema)


@pytest.fixture(params=["gpkg", "postgis"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A location for a fresh workspace on each store: a .gpkg path, then a PostGIS URL."""
    if request.param == "gpkg":
        return str(tmp_path / "ws.gpkg")
    return str(request.getfixturevalue("pg_workspace"))


class StderrWatcher:
    """Collects a subprocess's stderr lines in a thread, so a test can wait for one."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        import threading

        self.proc = proc
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 180.0) -> bool:
        """Whether ``text`` appeared on stderr within ``timeout`` seconds."""
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(text in line for line in self.lines):
                return True
            if self.proc.poll() is not None and not self._thread.is_alive():
                return False
            time.sleep(0.1)
        return False

    def finish(self, timeout: float = 180.0) -> str:
        """Wait for the process to end; its whole stderr."""
        self.proc.wait(timeout=timeout)
        self._thread.join(timeout=10)
        return "".join(self.lines)


@pytest.fixture
def stderr_watcher() -> type[StderrWatcher]:
    """:class:`StderrWatcher`, for tests that wait for a subprocess to say something."""
    return StderrWatcher


# ---------------------------------------------------------------- the demo, run once
@dataclass(frozen=True)
class LayerWrite:
    """One frame handed to the workspace during a run: how, which layer, its columns."""

    how: str  # "write" or "upsert"
    layer: str
    columns: tuple[str, ...]  # without the geometry column


@dataclass(frozen=True)
class DemoRun:
    """``ecogis demo`` run once, with every frame handed to the workspace recorded."""

    workspace: Path
    out_dir: Path
    lines: list[str]
    writes: list[LayerWrite] = field(default_factory=list)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The whole demo (every step, as ``ecogis demo`` runs it), once per session.

    Read-only for tests: copy ``workspace`` before changing it.
    """
    from ecogis.tasks.demo import run_demo
    from ecogis.workspace import Workspace

    folder = tmp_path_factory.mktemp("demo_run")
    writes: list[LayerWrite] = []
    write, upsert = Workspace.write, Workspace.upsert

    def record(how: str, name: str, frame: Any) -> None:
        cols = tuple(str(c) for c in frame.columns if c != "geometry")
        writes.append(LayerWrite(how, name, cols))

    def spy_write(self: Workspace, name: str, frame: Any, **kwargs: Any) -> None:
        record("write", name, frame)
        write(self, name, frame, **kwargs)

    def spy_upsert(self: Workspace, name: str, frame: Any, **kwargs: Any) -> Any:
        record("upsert", name, frame)
        return upsert(self, name, frame, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Workspace, "write", spy_write)
        mp.setattr(Workspace, "upsert", spy_upsert)
        lines = run_demo(folder / "demo.gpkg", folder / "out")
    return DemoRun(folder / "demo.gpkg", folder / "out", lines, writes)


# ---------------------------------------------------------------- hand-built risk data
RISK_LON0, RISK_LAT0 = 101.45, 14.05
"""Where the hand-built risk data sit (degrees east, north): near Prachin Buri."""
_GEOD = Geod(ellps="WGS84")


def _at(east_m: float, north_m: float) -> shapely.Point:
    """The point ``east_m`` east and ``north_m`` north of (RISK_LON0, RISK_LAT0), geodesic."""
    lon, lat, _ = _GEOD.fwd(RISK_LON0, RISK_LAT0, 90.0, east_m)
    lon, lat, _ = _GEOD.fwd(lon, lat, 0.0, north_m)
    return shapely.Point(lon, lat)


def _write_tif(path: Path, values: np.ndarray, tags: dict[str, str] | None = None) -> Path:
    """A float32 GeoTIFF of ``values`` in EPSG:4326, 3″ pixels, centred on the risk data."""
    res = 1 / 1200
    rows, cols = values.shape
    t = from_origin(RISK_LON0 - cols / 2 * res, RISK_LAT0 + rows / 2 * res, res, res)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=t,
        nodata=-99999.0,
    ) as dst:
        dst.write(values.astype("float32")[None])
        if tags:
            dst.update_tags(1, **tags)
    return path


def _risk_factories() -> gpd.GeoDataFrame:
    rows = [
        ("3-42-1/60ปจ", "บริษัท เคมีทดสอบ จำกัด", "42(1)", 3, 6000.0, "ผลิตเคมีภัณฑ์", (0, 0)),
        ("3-89-2/61ปจ", "บริษัท ก๊าซทดสอบ จำกัด", "89", 3, 800.0, "บรรจุก๊าซ", (2500, 500)),
        ("2-92-3/62ปจ", "ห้องเย็นทดสอบ", "92", 2, 100.0, "ห้องเย็น ใช้แอมโมเนีย", (-40, 3000)),
        ("1-9-4/63ปจ", "โรงมันทดสอบ", "9(6)", 1, 60.0, "ทำมันเส้น", (6000, -4000)),
        ("3-28-5/63ปจ", "โรงงานเสื้อผ้าทดสอบ", "28(1)", 3, 200.0, "ผลิตเสื้อผ้า", (-3000, -3000)),
    ]
    geoms: list[shapely.Point | None] = [_at(*r[6]) for r in rows]
    frame = pd.DataFrame(
        {
            "factory_id": [r[0] for r in rows] + ["3-101-9/64ปจ"],
            "name_th": [r[1] for r in rows] + ["โรงงานไม่มีพิกัด"],
            "diw_type": [r[2] for r in rows] + ["101"],
            "factory_class": [r[3] for r in rows] + [3],
            "horsepower": [r[4] for r in rows] + [50.0],
            "activity": [r[5] for r in rows] + ["บำบัดกาก"],
            "tam_code": ["250201", "250201", "250202", "250301", "250301", "250201"],
            "zone_id": ["Z1", "Z1", None, None, None, None],
            "coord_flag": ["ok"] * 5 + ["missing"],
        }
    )
    geoms.append(None)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)


def _risk_communities() -> gpd.GeoDataFrame:
    rows = [
        ("V1", "บ้านหนองทดสอบ", "village", 1200, (800, 300)),
        ("V2", "บ้านโคกทดสอบ", "village", 650, (2000, 2500)),
        ("V3", "บ้านไกลทดสอบ", "village", 300, (9000, 9000)),
        ("S1", "โรงเรียนบ้านทดสอบ", "school", None, (-40, 3030)),  # 30 m from the cold store
        ("T1", "วัดทดสอบ", "temple", None, (4500, -500)),
        ("H1", "โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ", "hospital", None, (90, 0)),
    ]
    return gpd.GeoDataFrame(
        {
            "community_id": [r[0] for r in rows],
            "name_th": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "population": pd.array([r[3] for r in rows], dtype="Int64"),
            "tam_code": ["250201", "250201", "250301", "250202", "250301", "250201"],
        },
        geometry=[_at(*r[4]) for r in rows],
        crs=4326,
    )


def _risk_zones() -> gpd.GeoDataFrame:
    a, b = _at(-500, -500), _at(3000, 1000)
    return gpd.GeoDataFrame(
        {
            "zone_id": ["Z1"],
            "name_th": ["สวนอุตสาหกรรมทดสอบ"],
            "name_en": ["Test park"],
            "zone_type": ["park"],
        },
        geometry=[shapely.MultiPolygon([shapely.box(a.x, a.y, b.x, b.y)])],
        crs=4326,
    )


@pytest.fixture
def risk_at() -> Callable[[float, float], shapely.Point]:
    """``risk_at(east_m, north_m)``: a point that far from the risk data's origin (m)."""
    return _at


@pytest.fixture
def write_tif() -> Callable[..., Path]:
    """``write_tif(path, values, tags=None)``: a count raster centred on the risk data."""
    return _write_tif


@pytest.fixture
def population_raster() -> Callable[..., Path]:
    """``population_raster(path, people_per_pixel=2.0)``: 500 × 500 pixels of 3″, uniform."""

    def write(path: Path, people_per_pixel: float = 2.0) -> Path:
        return _write_tif(path, np.full((500, 500), people_per_pixel))

    return write


@pytest.fixture
def risk_factories() -> gpd.GeoDataFrame:
    """Six factories: a chemical plant, a gas filler, an ammonia cold store 30 m from a
    school, a tapioca mill, a garment factory, and one without coordinates."""
    return _risk_factories()


@pytest.fixture
def risk_communities() -> gpd.GeoDataFrame:
    """Three villages with population, a school, a temple and a health station."""
    return _risk_communities()


@pytest.fixture
def risk_ws(tmp_workspace: Path) -> Any:
    """The hand-built risk workspace: those factories, communities and one zone."""
    from ecogis.workspace import Workspace

    w = Workspace.create(tmp_workspace)
    with w.batch():
        w.write("factories", _risk_factories())
        w.write("communities", _risk_communities())
        w.write("industrial_zones", _risk_zones())
    return w


# ---------------------------------------------------------------- hand-built compliance data
# One industrial zone Z1 (100 ha, 8 ha green) with five factories, a sixth factory 500 m
# outside it, a seventh in zone Z2 far away and an eighth without coordinates. Numbers are
# chosen so that every indicator has a hand-computable answer (see the tests).
# Z1 spans lon 101.400–101.410, lat 14.000–14.010 (about 1.08 km × 1.11 km).
Z1 = box(101.400, 14.000, 101.410, 14.010)
Z2 = box(101.600, 14.200, 101.610, 14.210)


def _cx_zones() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "zone_id": ["Z1", "Z2"],
            "name_th": ["นิคมทดสอบ", "สวนทดสอบ"],
            "zone_type": ["estate", "park"],
            "pro_code": ["25", "25"],
            "area_ha": [100.0, 50.0],
            "green_area_ha": [8.0, None],
        },
        geometry=[Z1, Z2],
        crs=4326,
    )


def _cx_factories() -> gpd.GeoDataFrame:
    pts = [
        Point(101.402, 14.002),  # F1 chemicals, class 3
        Point(101.404, 14.004),  # F2 plastics, class 3
        Point(101.406, 14.006),  # F3 food, class 2
        Point(101.408, 14.008),  # F4 metal, class 3
        Point(101.405, 14.009),  # F5 waste service 106, class 3
        Point(101.415, 14.005),  # F6 outside Z1, ~540 m east of its edge
        Point(101.605, 14.205),  # F7 in Z2
        None,  # F8 unplaced, in Z1 by registry
    ]
    return gpd.GeoDataFrame(
        {
            "factory_id": [f"F{i}" for i in range(1, 9)],
            "name_th": [f"โรงงานทดสอบ {i}" for i in range(1, 9)],
            "name_en": [f"Test factory {i}" for i in range(1, 9)],
            "diw_type": ["42", "53", "9(6)", "64", "106", "53", "42", "88"],
            "diw_type_main": [42, 53, 9, 64, 106, 53, 42, 88],
            "factory_class": [3, 3, 2, 3, 3, 2, 3, 3],
            "workers": [350, 120, 40, 80, 25, 60, 500, None],
            "pro_code": ["25"] * 8,
            "zone_id": ["Z1", "Z1", "Z1", "Z1", "Z1", None, "Z2", "Z1"],
            "coord_flag": ["ok"] * 7 + ["missing"],
        },
        geometry=pts,
        crs=4326,
    )


def _cx_communities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "community_id": ["V1", "S1", "V2", "T1"],
            "name_th": ["บ้านทดสอบ", "โรงเรียนทดสอบ", "บ้านไกล", "วัดทดสอบ"],
            "kind": ["village", "school", "village", "temple"],
            "sensitive": [False, True, False, True],
            "population": [1200, 300, 5000, None],
        },
        geometry=[
            Point(101.402, 13.996),  # V1 ~440 m south of F1
            Point(101.404, 14.012),  # S1 ~890 m north of F2, ~480 m from F5
            Point(101.500, 14.100),  # V2 far from everything
            Point(101.420, 14.005),  # T1 ~540 m east of F6
        ],
        crs=4326,
    )


def _cx_compliance_records() -> pd.DataFrame:
    """F1: ISO 14001 + ISO 45001 + CSR, all legal items → no gap.
    F2: ISO 14001 expired on 2024-06-30, licence ok, no safety, no CSR.
    F3: nothing but a licence-free class 2 waste report.
    F4: GI3 (counts as environmental management), ISO 45001, CSR missing, licence 'no'.
    F5, F6, F7, F8: no records.
    """
    rows = [
        ("F1", "factory_licence", "yes", None, None, None),
        ("F1", "waste_report", "yes", None, "2024-02-01", "2026-03-01"),
        ("F1", "hazardous_manifest", "yes", None, None, None),
        ("F1", "pollution_staff", "yes", None, None, None),
        ("F1", "env_monitoring", "yes", None, None, "2026-06-30"),
        ("F1", "iso14001", "yes", None, "2023-01-01", "2026-12-31"),
        ("F1", "iso45001", "yes", None, "2023-01-01", "2026-12-31"),
        ("F1", "csr_diw", "yes", "2024", "2024-01-01", "2027-01-01"),
        ("F2", "factory_licence", "yes", None, None, None),
        ("F2", "iso14001", "yes", None, "2021-07-01", "2024-06-30"),
        ("F3", "waste_report", "yes", None, None, "2026-03-01"),
        ("F4", "green_industry", "yes", "GI3", None, "2027-01-01"),
        ("F4", "iso45001", "yes", None, None, "2027-01-01"),
        ("F4", "factory_licence", "no", None, None, None),
    ]
    return pd.DataFrame(
        rows, columns=["factory_id", "requirement", "status", "level", "issued", "valid_until"]
    ).assign(source="test")


def _cx_flows() -> pd.DataFrame:
    """Waste: F1 100 t hazardous to 073 landfill, 50 t solvent to 031 recovery;
    F2 200 t plastic scrap to 071 landfill; F4 150 t slag with no disposal code.
    Generated 500 t, recovered by code 50 t → 10 %. Hazardous 100 t, landfilled 100 t → 100 %.
    Water: F1 10,000 m3 for 1,000 t product; F2 5,000 m3 for 500 t → 15,000/1,500 = 10 m3/t.
    Energy: F1 2,000 MWh for 1,000 t → 2 MWh/t (F2 reports no energy).
    """
    rows = [
        ("F1", "w1", "out", "waste", "spent acid", "060106", "HA", 100.0, "t/yr", "073"),
        ("F1", "w2", "out", "waste", "solvent", "070104", "none", 50.0, "t/yr", "031"),
        ("F1", "p1", "out", "product", "chemical", None, None, 1000.0, "t/yr", None),
        ("F1", "i1", "in", "water", "water", None, None, 10000.0, "m3/yr", None),
        ("F1", "e1", "in", "energy", "electricity", None, None, 2000.0, "MWh/yr", None),
        ("F2", "w1", "out", "waste", "plastic scrap", "070213", "none", 200.0, "t/yr", "071"),
        ("F2", "p1", "out", "product", "plastic parts", None, None, 500.0, "t/yr", None),
        ("F2", "i1", "in", "water", "water", None, None, 5000.0, "m3/yr", None),
        ("F4", "w1", "out", "waste", "slag", "100202", "none", 150.0, "t/yr", None),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "factory_id",
            "flow_id",
            "direction",
            "flow_kind",
            "material",
            "waste_code",
            "hazardous",
            "quantity",
            "unit",
            "disposal_code",
        ],
    ).assign(year=2024)


def _cx_risk_factories() -> gpd.GeoDataFrame:
    """As the risk engineer writes it: hazard class/weight and band counts."""
    f = _cx_factories()
    return gpd.GeoDataFrame(
        {
            "factory_id": f["factory_id"],
            "hazard_class": ["high", "medium", "low", "medium", "high", "medium", "high", "low"],
            "hazard_weight": [1.0, 0.5, 0.1, 0.5, 0.8, 0.5, 1.0, 0.1],
            "hazardous": [True, True, False, True, True, True, True, False],
            "pop_1000m": [1200.0, 0.0, 0.0, 0.0, 300.0, 0.0, 0.0, float("nan")],
            "sens_1000m": [0, 1, 1, 1, 1, 1, 0, 0],
        },
        geometry=f.geometry,
        crs=4326,
    )


def _cx_siting_flags() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "factory_id": ["F5", "F7"],
            "community_id": ["S1", "X"],
            "rule_id": ["r3", "r3"],
            "distance_m": [45.0, 30.0],
            "rule_distance_m": [100.0, 100.0],
            "receptor_name": ["โรงเรียนทดสอบ", "x"],
        },
        geometry=[Point(101.405, 14.009), Point(101.605, 14.205)],
        crs=4326,
    )


def _cx_links() -> gpd.GeoDataFrame:
    """Proposed exchanges as the symbiosis engineer writes them (lines provider → receiver)."""
    from shapely.geometry import LineString

    return gpd.GeoDataFrame(
        {
            "link_id": ["L1", "L2"],
            "stream_id": ["F2/w1", "F4/w1"],
            "provider_id": ["F2", "F4"],
            "receiver_id": ["F5", "F7"],
            "waste_code": ["070213", "100202"],
            "material": ["plastic scrap", "slag"],
            "tonnes": [180.0, 150.0],
        },
        geometry=[
            LineString([(101.404, 14.004), (101.405, 14.009)]),
            LineString([(101.408, 14.008), (101.605, 14.205)]),
        ],
        crs=4326,
    )


def _cx_build(path: Path, *, with_risk: bool = False, with_links: bool = False) -> Workspace:
    """Write the hand-built workspace to ``path``."""
    ws = Workspace.create(path)
    with ws.batch():
        ws.write("industrial_zones", _cx_zones())
        ws.write("factories", _cx_factories())
        ws.write("communities", _cx_communities())
        ws.write("compliance", _cx_compliance_records())
        ws.write("material_flows", _cx_flows())
        if with_risk:
            ws.write("risk_factories", _cx_risk_factories(), validate=False)
            ws.write("siting_flags", _cx_siting_flags(), validate=False)
        if with_links:
            ws.write("symbiosis_links", _cx_links(), validate=False)
    return ws


class ComplianceData:
    """The hand-built compliance and assessment data, each frame made fresh by its method."""

    zones = staticmethod(_cx_zones)
    factories = staticmethod(_cx_factories)
    communities = staticmethod(_cx_communities)
    compliance_records = staticmethod(_cx_compliance_records)
    flows = staticmethod(_cx_flows)
    risk_factories = staticmethod(_cx_risk_factories)
    siting_flags = staticmethod(_cx_siting_flags)
    links = staticmethod(_cx_links)
    build = staticmethod(_cx_build)


@pytest.fixture
def hand_built() -> ComplianceData:
    """Builders of the hand-built compliance workspace: ``hand_built.build(path, with_risk=…,
    with_links=…)`` writes it; ``hand_built.factories()`` … give its frames."""
    return ComplianceData()


# ---------------------------------------------------------------- national scale
@pytest.fixture(scope="session")
def national_frames(provinces_geojson: Path) -> dict[str, object]:
    """Thailand's 77 provinces and 140,000 synthetic factories inside them (seeded).

    The size of DIW's registry; names, registration numbers, types and classes are made
    up (no real factory), each point lies in the province its ``pro_code`` names.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    raw = gpd.read_file(provinces_geojson)
    provinces = gpd.GeoDataFrame(
        {
            "pro_code": raw["pro_code"].astype(str).str.zfill(2),
            "name_th": raw["pro_th"],
            "name_en": raw["pro_en"],
        },
        geometry=raw.geometry.to_crs(4326),
        crs=4326,
    )
    rng = np.random.default_rng(140_000)
    n = 140_000
    w, s, e, nn = provinces.total_bounds
    lon = rng.uniform(w, e, n * 3)
    lat = rng.uniform(s, nn, n * 3)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    hit = gpd.sjoin(pts, provinces[["pro_code", "geometry"]], predicate="within", how="inner")
    hit = hit[~hit.index.duplicated()].iloc[:n]
    words = ["ไทย", "รุ่งเรือง", "อุตสาหกรรม", "การเกษตร", "พลังงาน", "โลหะ", "พลาสติก", "อาหาร"]
    i = np.arange(len(hit))
    factories = gpd.GeoDataFrame(
        {
            "factory_id": [f"SYN-{k:06d}" for k in i],
            "name_th": [f"บริษัท {words[k % 8]}{words[(k // 8) % 8]} สาขา {k} จำกัด" for k in i],
            "name_en": [f"Synthetic Factory {k} Co., Ltd." for k in i],
            "diw_type": rng.choice(["9(6)", "42", "53", "64", "88", "101", "105", "106"], len(i)),
            "diw_type_main": pd.array(
                rng.choice([9, 42, 53, 64, 88, 101, 105], len(i)), dtype="Int64"
            ),
            "tsic": rng.choice(["10611", "20111", "22220", "24101", "35101", "38220"], len(i)),
            "factory_class": pd.array(
                rng.choice([1, 2, 3], len(i), p=[0.1, 0.3, 0.6]), dtype="Int64"
            ),
            "workers": pd.array(rng.integers(5, 900, len(i)), dtype="Int64"),
            "pro_code": hit["pro_code"].to_numpy(),
            "coord_flag": ["ok"] * len(i),
        },
        geometry=hit.geometry.to_numpy(),
        crs=4326,
    )
    return {"provinces": provinces, "factories": factories}


# ---------------------------------------------------------------- DIW API registry rows

API_COLUMNS = [
    "FACREG",
    "DISPFACREG",
    "FID",
    "FACTYPE",
    "FNAME",
    "ONAME",
    "OBJECT",
    "FADDR",
    "FMOO",
    "FSOI",
    "FROAD",
    "FTUMNAME",
    "FAMPNAME",
    "FPROVNAME",
    "TOTAL_CAP",
    "TOTAL_WORKER",
    "HP",
    "LAT",
    "LNG",
    "ISIC_CODE",
    "ESTATE",
    "ESTATE_NAME_TH",
    "FFLAG",
    "LAST_UPDATE",
]

_TYPES = [
    ("9(6)", "10621", "ทำมันเส้น"),
    ("53(5)", "22220", "ผลิตภัณฑ์พลาสติก"),
    ("105", "38211", "คัดแยกวัสดุที่ไม่ใช้แล้ว"),
    ("42(1)", "20111", "ผลิตเคมีภัณฑ์"),
    ("88(1)", "35101", "ผลิตไฟฟ้าจากชีวมวล"),
    ("64(13)", "25920", "กลึง เจาะ ไส โลหะ"),
]
_DISTRICTS = [("กบินทร์บุรี", "วังท่าช้าง", 13.95, 101.72), ("ศรีมหาโพธิ", "กรอกสมบูรณ์", 13.90, 101.52)]


def _api_rows(n: int = 50, seed: int = 7) -> pd.DataFrame:
    """Realistic DIW API rows for Prachin Buri: ~40 % without coordinates, 0/1 placeholders."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        dtype, tsic, obj = _TYPES[i % len(_TYPES)]
        cls = "3" if i % 7 else "2"
        amp, tam, lat, lon = _DISTRICTS[i % 2]
        reg = f"{cls}-{dtype}-{i + 1}/5{i % 10}ปจ"
        r = rng.random()
        if r < 0.35:
            la, lo = "", ""
        elif r < 0.42:
            la, lo = "0", "0"
        elif r < 0.45:
            la, lo = "1", "1"
        else:
            la, lo = f"{lat + rng.normal(0, 0.02):.6f}", f"{lon + rng.normal(0, 0.02):.6f}"
        rows.append(
            {
                "FACREG": f'="  06300{i:05d}"',
                "DISPFACREG": reg,
                "FID": f"{10250000100000 + i}",
                "FACTYPE": cls if i % 11 else "-",
                "FNAME": f"บริษัท ตัวอย่างอุตสาหกรรม {i + 1} จำกัด",
                "ONAME": f"บริษัท ตัวอย่างอุตสาหกรรม {i + 1} จำกัด",
                "OBJECT": obj,
                "FADDR": str(10 + i),
                "FMOO": str(1 + i % 9),
                "FSOI": "-",
                "FROAD": "สุวรรณศร",
                "FTUMNAME": tam,
                "FAMPNAME": amp,
                "FPROVNAME": "ปราจีนบุรี",
                "TOTAL_CAP": f"{(i + 1) * 1_250_000:,}",
                "TOTAL_WORKER": str(5 + 3 * i),
                "HP": f"{50 + 10 * i}.5",
                "LAT": la,
                "LNG": lo,
                "ISIC_CODE": tsic,
                "ESTATE": "OUT",
                "ESTATE_NAME_TH": "",
                "FFLAG": str(i % 4),
                "LAST_UPDATE": f"2568-0{1 + i % 9}-15",
            }
        )
    return pd.DataFrame(rows, columns=API_COLUMNS)


def _write_api_csv(frame: pd.DataFrame, path: Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write rows as DIW does: UTF-8 with BOM, every cell as text."""
    frame.to_csv(path, index=False, encoding=encoding)
    return path


def _digest(path: Path) -> str:
    """The SHA-256 of a file: a workspace compared before and after a refused import."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli_import_fails(ws: Path, *args: str | Path) -> str:
    """Run ``ecogis import ARGS --workspace WS`` as a person would.

    It must fail with exit 1 and exactly one ``error:`` line, no traceback and no "unexpected",
    and leave the workspace file byte for byte as it was; the error line is returned.
    """
    before = _digest(ws)
    result = CliRunner().invoke(cli, ["import", *map(str, args), "--workspace", str(ws)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert _digest(ws) == before, "the workspace changed"
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def api_rows() -> Callable[..., pd.DataFrame]:
    """``api_rows(n=50, seed=7)``: realistic DIW open-data API rows for Prachin Buri."""
    return _api_rows


@pytest.fixture
def write_api_csv() -> Callable[..., Path]:
    """``write_api_csv(frame, path, encoding="utf-8-sig")``: the rows written as DIW does."""
    return _write_api_csv


@pytest.fixture
def file_digest() -> Callable[[Path], str]:
    """``file_digest(path)``: the SHA-256 of a file."""
    return _digest


@pytest.fixture
def cli_import_fails() -> Callable[..., str]:
    """``cli_import_fails(ws, *args)``: the one error line of a refused ``ecogis import``."""
    return _cli_import_fails


@pytest.fixture
def seeded_ws(tmp_path: Path) -> Path:
    """A workspace holding 50 imported API factories."""
    ws = tmp_path / "ws.gpkg"
    import_file(ws, "factories", _write_api_csv(_api_rows(), tmp_path / "Factory_Data.csv"))
    return ws


# ---------------------------------------------------- the QGIS tests' small workspace


def _qgis_factories() -> gpd.GeoDataFrame:
    """Four factories near Si Maha Phot, one per class and one without a class."""
    return gpd.GeoDataFrame(
        {
            "factory_id": ["3-42-1/55ปจ", "3-53-2/56ปจ", "1-8-3/60ปจ", "2-9-4/61ปจ"],
            "name_th": ["โรงงานเคมี ก", "โรงงานพลาสติก ข", "โรงสีข้าว ค", "โรงงานอาหาร ง"],
            "name_en": ["Chemical A", "Plastics B", "Rice mill C", "Food D"],
            "factory_class": [3, 2, 1, None],
            "workers": [120, 45, 8, 30],
            "coord_flag": ["ok", "ok", "ok", "ok"],
        },
        geometry=[
            shapely.Point(101.47, 13.93),
            shapely.Point(101.50, 13.95),
            shapely.Point(101.53, 13.97),
            shapely.Point(101.49, 13.96),
        ],
        crs=4326,
    )


def _qgis_zones() -> gpd.GeoDataFrame:
    """An industrial estate and a park."""
    return gpd.GeoDataFrame(
        {
            "zone_id": ["IE-1", "IP-2"],
            "name_th": ["นิคมอุตสาหกรรมตัวอย่าง", "สวนอุตสาหกรรมตัวอย่าง"],
            "name_en": ["Example estate", "Example park"],
            "zone_type": ["estate", "park"],
        },
        geometry=[
            shapely.box(101.46, 13.92, 101.485, 13.945),
            shapely.box(101.495, 13.94, 101.51, 13.96),
        ],
        crs=4326,
    )


def _qgis_provinces() -> gpd.GeoDataFrame:
    """One province outline."""
    return gpd.GeoDataFrame(
        {"pro_code": ["25"], "name_th": ["ปราจีนบุรี"], "name_en": ["Prachin Buri"]},
        geometry=[shapely.box(101.40, 13.88, 101.60, 14.02)],
        crs=4326,
    )


def _qgis_communities(mixed: bool = True) -> gpd.GeoDataFrame:
    """Receptors: a village point, a school point and (mixed) a temple polygon."""
    geoms = [
        shapely.Point(101.52, 13.93),
        shapely.Point(101.45, 13.97),
        shapely.box(101.55, 13.98, 101.56, 13.99) if mixed else shapely.Point(101.555, 13.985),
    ]
    return gpd.GeoDataFrame(
        {
            "community_id": ["V1", "S1", "T1"],
            "name_th": ["บ้านหนองตัวอย่าง", "โรงเรียนตัวอย่าง", "วัดตัวอย่าง"],
            "name_en": ["Ban Nong Example", "Example school", "Example temple"],
            "kind": ["village", "school", "temple"],
        },
        geometry=geoms,
        crs=4326,
    )


def _qgis_flows() -> pd.DataFrame:
    """A two-row mass balance table."""
    return pd.DataFrame(
        {
            "factory_id": ["3-42-1/55ปจ", "3-42-1/55ปจ"],
            "flow_id": ["W1", "P1"],
            "direction": ["out", "out"],
            "flow_kind": ["waste", "product"],
            "material": ["เถ้าลอย", "สารเคมี"],
            "quantity": [120.0, 5000.0],
            "unit": ["t/yr", "t/yr"],
        }
    )


def _build_qgis_workspace(path: Path, *, mixed: bool = True) -> Workspace:
    """Write the five layers in one batch (which styles them and stores the project)."""
    ws = Workspace.create(path)
    with ws.batch():
        ws.write("provinces", _qgis_provinces())
        ws.write("industrial_zones", _qgis_zones())
        ws.write("factories", _qgis_factories())
        ws.write("communities", _qgis_communities(mixed))
        ws.write("material_flows", _qgis_flows())
    return ws


@pytest.fixture
def build_qgis_workspace() -> Callable[..., Workspace]:
    """``build_qgis_workspace(path, mixed=True)``: five small layers in one styled batch."""
    return _build_qgis_workspace


@pytest.fixture
def qgis_zones() -> Callable[[], gpd.GeoDataFrame]:
    """``qgis_zones()``: the QGIS workspace's industrial estate and park."""
    return _qgis_zones


@pytest.fixture
def qgis_factories() -> Callable[[], gpd.GeoDataFrame]:
    """``qgis_factories()``: the QGIS workspace's four factories near Si Maha Phot."""
    return _qgis_factories


# ------------------------------------------------------------- web-map pages


class PageScripts(HTMLParser):
    """Collect <script> elements (attributes and text) and tag counts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.tags: dict[str, int] = {}
        self._in: dict[str, str | None] | None = None
        self._buf: list[str] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "script":
            self._in = dict(attrs)
            self._buf = []
        if tag == "link":
            self.links.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in is not None:
            self.scripts.append((self._in, "".join(self._buf)))
            self._in = None


def _parse_page(html: str) -> tuple[PageScripts, dict[str, Any]]:
    """The parsed page and the map's embedded JSON document."""
    p = PageScripts()
    p.feed(html)
    return p, read_document(html)


@pytest.fixture
def parse_page() -> Callable[[str], tuple[PageScripts, dict[str, Any]]]:
    """``parse_page(html)``: a map page's scripts and tag counts, and its data document."""
    return _parse_page
