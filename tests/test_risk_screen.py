"""What the risk commands print: tables that fit the terminal with Thai aligned, the
scenario's title and its summary on its side, and unknown population said as unknown."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.cli._common import (
    clip_to_width,
    display_width,
    format_cell,
    format_table,
    wrap_to_width,
)
from ecogis.risk import scenario
from ecogis.tasks.risk import RiskOptions, run_risk, scenario_title
from ecogis.workspace import Workspace

THAI = "โรงพยาบาลส่งเสริมสุขภาพตำบลท่าประชุม"  # 36 code points, 31 columns


def _column_starts(line: str, needle: str) -> int:
    """Display column at which ``needle`` starts in ``line``."""
    return display_width(line[: line.index(needle)])


@pytest.fixture
def ws(risk_ws: Workspace) -> Workspace:
    return risk_ws


def test_display_width_counts_thai_marks_as_nothing() -> None:
    marks = sum(unicodedata.category(c) == "Mn" for c in THAI)
    assert marks == 5  # ่ ิ ุ ่ ุ
    assert display_width(THAI) == len(THAI) - marks == 31
    assert display_width("ab") == 2 and display_width("表") == 2


def test_thai_columns_line_up_by_display_width() -> None:
    frame = pd.DataFrame(
        {
            "id": ["H1", "V22"],
            "name_th": [THAI, "บ้านทุ่ง"],
            "kind": ["hospital", "village"],
            "population": [np.nan, 1250.0],
        }
    )
    lines, hidden = format_table(frame)
    assert hidden == []
    starts = {
        _column_starts(line, word) for line, word in zip(lines, ["kind", "hos", "vil"], strict=True)
    }
    assert len(starts) == 1  # 'kind' begins at the same terminal column in every row
    assert lines[1].endswith("–") and lines[2].endswith("1,250")
    assert len({display_width(line) for line in lines}) == 1  # numbers right-aligned


def test_table_fits_the_width_wraps_text_and_keeps_ids_whole() -> None:
    frame = pd.DataFrame(
        {
            "factory_id": ["จ3-42(1)-19/58ปจ", "3-89-3/49ปจ"],
            "name_th": ["บริษัท พรประเสริฐเคมีภัณฑ์ (ตัวอย่าง) จำกัด", THAI],
            "priority": [0.39751, 0.1],
        }
    )
    lines, hidden = format_table(frame, width=40)
    assert hidden == []
    assert all(display_width(line) <= 40 for line in lines)
    text = "\n".join(lines)
    assert "จ3-42(1)-19/58ปจ" in text and "3-89-3/49ปจ" in text  # IDs never shortened
    assert "0.3975" in text
    assert len(lines) > 3  # the names wrapped onto more lines
    # too narrow for all: the last columns are left out and named, never silently
    lines, hidden = format_table(frame, width=32)
    assert hidden == ["priority"]
    assert all(display_width(line) <= 32 for line in lines)


def test_wrap_and_clip_never_part_a_consonant_from_its_marks() -> None:
    for width in (5, 8, 12):
        parts = wrap_to_width(THAI, width)
        assert "".join(parts) == THAI
        for p in parts:
            assert display_width(p) <= width
            assert unicodedata.category(p[0]) != "Mn" and p[0] not in "ะาำ"
            assert p[-1] not in "เแโใไ"
    clipped = clip_to_width(THAI, 10)
    assert clipped.endswith("…") and display_width(clipped) <= 10
    assert unicodedata.category(clipped[-2]) == "Mn" or display_width(clipped) == 10


def test_cells_read_as_people_write_them() -> None:
    assert format_cell(None) == "–" and format_cell(np.nan) == "–" and format_cell(pd.NA) == "–"
    assert format_cell(True) == "yes" and format_cell(np.bool_(False)) == "no"
    assert format_cell(12500.0) == "12,500" and format_cell(18.6234) == "18.62"
    assert format_cell("  villages") == "  villages"  # an indented sub-item stays indented


def test_scenario_population_unknown_is_not_zero(
    risk_factories: gpd.GeoDataFrame, risk_communities: gpd.GeoDataFrame
) -> None:
    fac = risk_factories.copy()
    fac = fac[fac.geometry.notna()]
    rec = risk_communities.copy()
    rec["population"] = pd.array([None] * len(rec), dtype="Int64")
    res = scenario("3-42-1/60ปจ", fac, rec, radius_m=5000, cordon_m=500)
    s = res.summary.set_index("ring")
    assert s.loc["cordon", "n_receptors"] == 1  # H1 at 90 m, no population given
    assert np.isnan(s.loc["cordon", "village_population"])
    assert s.loc["cordon", "n_population_unknown"] == 1
    # a ring with nobody inside holds 0 people, which is known
    res = scenario("3-28-5/63ปจ", fac, rec, radius_m=5000, cordon_m=100)
    assert res.summary.set_index("ring").loc["cordon", "village_population"] == 0
    assert res.site["factory_id"] == "3-28-5/63ปจ"
    assert res.site["name_th"] == "โรงงานเสื้อผ้าทดสอบ"
    assert 14.0 < res.site["lat"] < 14.1 and 101.4 < res.site["lon"] < 101.5


def test_scenario_title_names_the_factory(ws: Workspace) -> None:
    run_risk(ws, RiskOptions())
    fac = ws.read("factories")
    res = scenario("3-89-2/61ปจ", fac[fac.geometry.notna()], ws.read("communities"))
    title = scenario_title(res)
    assert title.startswith("scenario for 3-89-2/61ปจ บริษัท ก๊าซทดสอบ จำกัด (DIW type 89")


def test_run_risk_says_unknown_when_no_community_has_a_population(ws: Workspace) -> None:
    rec = ws.read("communities")
    rec["population"] = pd.array([None] * len(rec), dtype="Int64")
    with ws.batch():
        ws.write("communities", rec)
    lines = run_risk(ws, RiskOptions()).lines
    text = "\n".join(lines)
    assert "unknown from the village register" in text
    assert "0 (village register)" not in text


def test_cli_scenario_fits_80_columns(ws: Workspace) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["risk", "-w", str(ws.path)]).exit_code == 0
    res = runner.invoke(
        cli,
        ["risk", "scenario", "-w", str(ws.path), "--factory", "3-42-1/60ปจ"],
        env={"COLUMNS": "80"},
    )
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert all(display_width(line) <= 80 for line in out.splitlines())
    assert "people (village register)" in out and "evacuation 5 km" in out
    assert "scenario for 3-42-1/60ปจ บริษัท เคมีทดสอบ จำกัด" in res.stderr
    assert "(H1) at 90 m" in res.stderr  # metres below 1 km, not '0.09 km'
    joined = "".join(
        line[line.index("H1") + 2 :] if "H1" in line else line for line in out.splitlines()
    )
    assert "โรงพยาบาล" in joined  # H1 at 90 m: its name wrapped, not cut
    top = runner.invoke(cli, ["risk", "-w", str(ws.path)], env={"COLUMNS": "80"})
    assert all(display_width(line) <= 80 for line in top.stdout.splitlines())


def test_demo_step_says_unknown_people_in_a_ring_of_receptors_without_population(
    ws: Workspace, tmp_path: Path
) -> None:
    from ecogis.tasks.risk import demo_step

    lines = demo_step(ws, tmp_path)
    cordon = next(x for x in lines if x.startswith("scenario") and "cordon" in x)
    evac = next(x for x in lines if x.startswith("scenario") and "evacuation" in x)
    # the chemical plant's cordon holds only H1 (90 m, no population); nan never printed
    assert "people unknown in the village register" in cordon and "nan" not in cordon
    # V1 1,200 + V2 650 inside 5 km (V3 is 12.7 km away)
    assert "1,850 people in the village register" in evac
    top = pd.read_csv(tmp_path / "risk_top_receptors.csv")
    assert list(top.columns)[:3] == ["rank", "community_id", "name_th"]
    assert top["community_id"].iloc[0] == "H1"
