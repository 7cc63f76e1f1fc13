"""The CLI frame: help, exit codes, layers/validate, Thai on the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import geopandas as gpd
import shapely
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.workspace import Workspace


def _workspace(path: Path) -> Path:
    ws = Workspace.create(path)
    ws.write(
        "factories",
        gpd.GeoDataFrame(
            {"factory_id": ["3-42-1/55ปจ"], "name_th": ["บริษัท เคมี จำกัด"], "coord_flag": ["ok"]},
            geometry=[shapely.Point(101.4, 14.0)],
            crs=4326,
        ),
    )
    return path


def test_help_lists_verbs_and_each_has_an_example() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for verb in ("layers", "validate"):
        assert verb in result.output
        sub = runner.invoke(cli, [verb, "--help"])
        assert sub.exit_code == 0 and "Example" in sub.output


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        out.append(path)
        if isinstance(command, click.Group):
            out += _all_commands(command, path)
    return out


def test_every_verb_and_sub_verb_has_an_example_in_its_help() -> None:
    runner = CliRunner()
    missing = []
    for path in _all_commands(cli):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        if "example" not in result.output.lower():
            missing.append(" ".join(path))
    assert not missing, f"--help without an example: {missing}"


def test_layers_json_and_table(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "w.gpkg")
    runner = CliRunner()
    result = runner.invoke(cli, ["layers", "--workspace", str(ws), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data[0]["name"] == "factories" and data[0]["rows"] == 1
    assert data[0]["title_th"] == "โรงงาน"
    table = runner.invoke(cli, ["layers", "-w", str(ws)])
    assert "โรงงาน / Factories" in table.output


def test_validate_ok_and_exit_codes(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "w.gpkg")
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", "-w", str(ws)])
    assert ok.exit_code == 0
    missing = runner.invoke(cli, ["layers", "-w", str(tmp_path / "none.gpkg")])
    assert missing.exit_code == 1
    assert "does not exist" in missing.stderr and "Traceback" not in missing.output
    usage = runner.invoke(cli, ["layers", "--bogus"])
    assert usage.exit_code == 2


def test_subprocess_prints_thai_under_c_locale(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "w.gpkg")
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "ecogis", "layers", "-w", str(ws)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "โรงงาน" in proc.stdout.decode("utf-8")


def test_output_piped_into_a_closed_reader_is_not_an_error(tmp_path: Path) -> None:
    # Enough output (thousands of problems) to overflow the pipe once head has gone.
    ws = Workspace.create(tmp_path / "w.gpkg")
    n = 3000
    ws.write(
        "factories",
        gpd.GeoDataFrame(
            {
                "factory_id": [f"f{i}" for i in range(n)],
                "name_th": ["ก"] * n,
                "coord_flag": ["not-a-flag"] * n,
            },
            geometry=[shapely.Point(101.4, 14.0)] * n,
            crs=4326,
        ),
        validate=False,
    )
    proc = subprocess.run(
        f"'{sys.executable}' -m ecogis validate -w '{ws.path}' | head -c 1",
        shell=True,
        capture_output=True,
        check=False,
    )
    assert b"BrokenPipe" not in proc.stderr and b"Traceback" not in proc.stderr
