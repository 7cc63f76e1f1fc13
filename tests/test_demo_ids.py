"""Demo identifiers never meet real ones (issue 14.9): the real registry imported into the demo.

A demo registration number once was a real Prachin Buri factory's (``3-77(2)-6/50ปจ``), so
importing the real registry into the demo workspace gave a real company the demo's made-up
compliance gaps. Demo IDs now carry a ``DEMO-`` prefix no registration number has, and an
import that would still merge a real row onto a demo row (a workspace written before the
prefix) is refused with nothing written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.demo import build_demo_workspace, demo_frames
from ecogis.demo.ids import DEMO_ID_PREFIX
from ecogis.errors import InputFileError
from ecogis.importers import parse_file
from ecogis.tasks.imports import import_file
from ecogis.workspace import Workspace

COLLIDED = "3-77(2)-6/50ปจ"
"""A real factory of the Prachin Buri registry whose number the demo used to give a demo row."""


@pytest.fixture(scope="module")
def real_ids(diw_raw_geojson: Path) -> set[str]:
    return set(parse_file("factories", diw_raw_geojson).frame["factory_id"].astype(str))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_demo_identifier_is_a_real_one(real_ids: set[str]) -> None:
    assert COLLIDED in real_ids  # the real registry holds the number the demo once used
    frames = demo_frames()
    for layer, key in (
        ("factories", "factory_id"),
        ("factories", "fid_diw"),
        ("communities", "community_id"),
        ("industrial_zones", "zone_id"),
    ):
        ids = frames[layer][key].astype(str)
        assert ids.str.startswith(DEMO_ID_PREFIX).all(), (layer, key)
    assert not set(frames["factories"]["factory_id"]) & real_ids
    # and the unprefixed numbers are not real either, except by chance: the prefix is the rule
    assert not {i for i in real_ids if i.startswith(DEMO_ID_PREFIX)}


def test_the_real_registry_imported_into_the_demo_workspace(
    tmp_path: Path, diw_raw_geojson: Path, real_ids: set[str]
) -> None:
    ws, _ = build_demo_workspace(tmp_path / "demo.gpkg")
    before = ws.read("factories")
    summary = import_file(ws.path, "factories", diw_raw_geojson)
    assert summary.updated == 0  # no real row merged onto a demo row
    after = Workspace.open(ws.path).read("factories").set_index("factory_id")
    demo = before.set_index("factory_id")
    pd.testing.assert_frame_equal(
        pd.DataFrame(after.loc[demo.index].drop(columns="geometry")),
        pd.DataFrame(demo.drop(columns="geometry")),
    )
    assert COLLIDED in after.index  # the real factory is its own row …
    records = Workspace.open(ws.path).read("compliance")
    assert not set(records["factory_id"]) & real_ids  # … with no made-up compliance record


def test_a_real_row_onto_an_old_demo_row_is_refused(tmp_path: Path, diw_raw_geojson: Path) -> None:
    """A demo workspace from before the prefix: the demo's rows hold real numbers."""
    frames = demo_frames()
    old = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for col in ("factory_id", "fid_diw"):
            if col in frame.columns:
                frame[col] = frame[col].astype("string").str.removeprefix(DEMO_ID_PREFIX)
        old[name] = frame
    assert COLLIDED in set(old["factories"]["factory_id"])  # the old demo held a real number
    path = tmp_path / "old_demo.gpkg"
    ws = Workspace.create(path)
    with ws.batch():
        for name, frame in old.items():
            ws.write(name, frame)
    digest = _digest(path)
    with pytest.raises(InputFileError, match="illustrative demo") as err:
        import_file(path, "factories", diw_raw_geojson)
    assert COLLIDED in str(err.value) and "a workspace of its own" in str(err.value)
    assert _digest(path) == digest  # nothing written
    res = CliRunner().invoke(cli, ["import", "factories", str(diw_raw_geojson), "-w", str(path)])
    assert res.exit_code == 1
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "illustrative demo" in lines[0], res.stderr
    assert _digest(path) == digest
