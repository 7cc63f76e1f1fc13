"""ecogis GeoPackages opened in real QGIS (Debian's python3-qgis, headless).

Each test runs ``tests/pyqgis_check.py`` with ``/usr/bin/python3`` (QGIS's own Python, not
the project's), which opens every layer as the QGIS browser does, opens the project stored
in the GeoPackage and renders it to a PNG; the report it prints is asserted here. Skipped
with the reason when QGIS's Python is not installed; a failure under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecogis import schema
from ecogis.cli import cli
from ecogis.qgis.project import GROUP_TITLES
from ecogis.workspace import Workspace

pytestmark = [pytest.mark.qgis, pytest.mark.slow]

QGIS_PYTHON = os.environ.get("ECOGIS_QGIS_PYTHON", "/usr/bin/python3")
CHECK = Path(__file__).with_name("pyqgis_check.py")
RENDERERS = {
    "single": "singleSymbol",
    "categorized": "categorizedSymbol",
    "graduated": "graduatedSymbol",
}


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_RUNTIME_DIR"] = str(tmp)
    return env


@pytest.fixture(scope="session")
def qgis_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Debian's python3 with PyQGIS (skips, or fails under CI, when missing)."""
    tmp = tmp_path_factory.mktemp("qgis-runtime")
    try:
        proc = subprocess.run(
            [QGIS_PYTHON, "-c", "import qgis.core"],
            capture_output=True,
            text=True,
            env=_env(tmp),
            timeout=120,
            check=False,
        )
        ok, why = proc.returncode == 0, proc.stderr.strip().splitlines()[-1:] or [""]
    except (OSError, subprocess.TimeoutExpired) as exc:
        ok, why = False, [str(exc)]
    if not ok:
        message = f"{QGIS_PYTHON} cannot import qgis.core ({why[0]}); apt install qgis python3-qgis"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return QGIS_PYTHON


def run_check(python: str, gpkg: Path, png: Path) -> dict[str, Any]:
    """Run the PyQGIS check on ``gpkg``; return its JSON report."""
    proc = subprocess.run(
        [python, str(CHECK), str(gpkg), str(png)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(png.parent),
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def _groups(report: dict[str, Any]) -> list[str]:
    return [n["group"] for n in report["project"]["tree"] if "group" in n]


def _project_layers_valid(report: dict[str, Any]) -> None:
    project = report["project"]
    assert project["read"], "QGIS could not open the project stored in the GeoPackage"
    bad = [name for name, lyr in project["layers"].items() if not lyr["valid"]]
    assert not bad, f"layers QGIS could not load from the project: {bad}"


def test_workspace_opens_styled_in_qgis(
    qgis_python: str, tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    png = tmp_path / "ws.png"
    report = run_check(qgis_python, ws.path, png)
    layers = report["layers"]

    fac = layers["factories"]
    assert fac["valid"] and fac["renderer"] == "categorizedSymbol"
    assert fac["attr"] == "factory_class"
    classes = schema.contract("factories").style["classes"]
    assert [c["value"] for c in fac["categories"]] == [str(k["value"]) for k in classes] + [""]
    assert [c["label"] for c in fac["categories"]][:3] == [k["label_th"] for k in classes]
    assert [c["color"] for c in fac["categories"]][:3] == [k["color"] for k in classes]
    assert fac["labels_enabled"] and fac["label_field"] == "name_th"
    assert fac["aliases"]["factory_class"] == "จำพวกโรงงาน"
    assert fac["display_expression"] == '"name_th"'
    # the attribute table shows class labels, not codes (first feature: class 3)
    assert fac["widgets"] == {"factory_class": "ValueMap"}
    assert fac["represented"]["factory_class"] == "จำพวกที่ 3"

    zones = layers["industrial_zones"]
    assert zones["renderer"] == "categorizedSymbol" and zones["attr"] == "zone_type"
    assert zones["symbol_type"] == 2  # fill
    assert zones["represented"]["zone_type"] == "นิคมอุตสาหกรรม"
    assert layers["provinces"]["renderer"] == "singleSymbol"
    assert layers["communities"]["renderer"] == "categorizedSymbol"

    flows = layers["material_flows"]
    assert flows["valid"] and flows["renderer"] is None  # a table: aliases only
    assert flows["aliases"]["quantity"] == "ปริมาณ"

    assert report["stored_projects"] == ["ecogis"]
    _project_layers_valid(report)
    project = report["project"]
    assert project["crs"] == "EPSG:32647"
    assert _groups(report) == [GROUP_TITLES[g][0] for g in ("base", "factories_zones", "symbiosis")]
    temple = project["layers"]["ชุมชนและสถานที่อ่อนไหว (พื้นที่)"]
    assert temple["renderer"] == "categorizedSymbol" and temple["symbol_type"] == 2

    render = report["render"]
    assert render["errors"] == []
    assert png.stat().st_size > 10_000
    assert render["drawn_fraction"] > 0.01
    # The contract's class colours are on the map: class 3, 2 and 1 factories.
    for color in ("#d73027", "#fc8d59", "#fee08b"):
        assert render["colors"].get(color, 0) > 5, color


def test_english_workspace_opens_in_english_after_a_move(
    qgis_python: str, tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg", mixed=False)
    res = CliRunner().invoke(cli, ["qgis", "styles", "-w", str(ws.path), "--lang", "en"])
    assert res.exit_code == 0, res.output
    # Move the GeoPackage: the stored project refers to it relatively, so it still opens.
    moved = tmp_path / "elsewhere" / "ws.gpkg"
    moved.parent.mkdir()
    shutil.move(ws.path, moved)
    report = run_check(qgis_python, moved, tmp_path / "en.png")
    fac = report["layers"]["factories"]
    assert fac["aliases"]["factory_class"] == "Factory class"
    assert fac["label_field"] == "name_en"
    assert fac["categories"][2]["label"] == "Class 3"
    assert _groups(report)[0] == "Base layers"
    assert "Factories" in report["project"]["layers"]
    _project_layers_valid(report)


def test_demo_workspace_opens_styled_in_qgis(qgis_python: str, tmp_path: Path) -> None:
    """``ecogis demo``, then every demo layer in QGIS: its contract style was applied."""
    gpkg = tmp_path / "demo.gpkg"
    proc = subprocess.run(
        [sys.executable, "-m", "ecogis", "demo", "-w", str(gpkg), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=1200,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "out" / "demo.qgz").exists()
    ws = Workspace.open(gpkg)
    styled = set(ws.read_styles().query("styleName == 'ecogis-th'")["f_table_name"])
    report = run_check(qgis_python, gpkg, tmp_path / "demo.png")
    for name, seen in report["layers"].items():
        assert seen["valid"], name
        if not schema.has_contract(name):
            continue
        c = schema.contract(name)
        assert name in styled, f"{name} has no ecogis style row"
        if c.kind == "vector" and c.style:
            assert seen["renderer"] == RENDERERS[c.style.get("type", "single")], name
            if c.style.get("label_field_th"):
                assert seen["labels_enabled"] and seen["label_field"] == c.style["label_field_th"]
        labelled = {f: a for f, a in seen["aliases"].items() if a}
        assert labelled, f"{name}: QGIS shows no Thai aliases"
        wrong = {f: a for f, a in labelled.items() if a != c.field(f).label_th}
        assert not wrong, f"{name}: aliases differ from the contract: {wrong}"
    _project_layers_valid(report)
    assert report["render"]["errors"] == [] and report["render"]["drawn_fraction"] > 0.01
    # One map theme per web-map recipe, each rendering its layers without errors.
    from ecogis.qgis.themes import map_themes

    titles = {t.title_th for t in map_themes()}
    assert set(report["themes"]) == titles
    for name, theme in report["themes"].items():
        assert theme["errors"] == [] and theme["drawn_fraction"] > 0.01, name
    risk = report["themes"][schema_title("risk")]
    assert schema.contract("risk_receptors").title_th in risk["layers"]
    # graduated proximity-score colours of the contract are on the risk map
    score_colors = [k["color"] for k in schema.contract("risk_receptors").style["classes"]]
    assert sum(risk["colors"].get(c, 0) for c in score_colors) > 20


def schema_title(recipe: str) -> str:
    """The Thai title of a web-map recipe (the map theme's name)."""
    from ecogis.qgis.themes import map_themes

    return next(t.title_th for t in map_themes() if t.name == recipe)
