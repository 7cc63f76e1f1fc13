"""Shared fixtures.

Real reference data are read from ``../shared/data`` (never copied into the project). When
that folder is absent a test that needs it is skipped with the reason — except under
``CI=true``, where it fails, so CI can never pass by skipping the real-data tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(params=["gpkg", "postgis"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A location for a fresh workspace on each store: a .gpkg path, then a PostGIS URL."""
    if request.param == "gpkg":
        return str(tmp_path / "ws.gpkg")
    return str(request.getfixturevalue("pg_workspace"))


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
