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
