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
