"""DIW's level structure (dimensions → aspects → indicators → level thresholds), the level
rule as data, an official list from CSV/XLSX, and the indicators that follow from the ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import DemoRun

from ecogis import eit
from ecogis.cli import cli
from ecogis.eit.framework import DIW_2017_SHAPE
from ecogis.eit.levels import level_gap, reached_level
from ecogis.errors import CatalogueError
from ecogis.tasks import compliance as task
from ecogis.workspace import Workspace


def official_list(path: Path) -> Path:
    """A list in DIW's shape: 5 dimensions, 20 aspects, 41 indicators (made-up names)."""
    rows = []
    n = 0
    for d, dim in enumerate(eit.DIMENSIONS):
        for a in range(4):
            for _ in range(3 if (d * 4 + a) == 0 else 2):
                n += 1
                rows.append(
                    {
                        "มิติ": dim,
                        "ประเด็น": f"ประเด็น {d + 1}.{a + 1}",
                        "รหัสตัวชี้วัด": f"K{n:02d}",
                        "ตัวชี้วัด": f"ตัวชี้วัดที่ {n}",
                        "หน่วย": "%",
                        "ทิศทาง": "มากดี" if n % 2 else "higher",
                        "ระดับที่ 1": "" if n % 3 else "40",
                        "ระดับที่ 2": "60",
                    }
                )
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_shipped_framework_has_diws_shape_and_is_marked_provisional() -> None:
    s = eit.load_indicators()
    assert (
        s.provisional
        and "PROVISIONAL"
        in (Path(__file__).parents[1] / "ecogis/catalogue/eit_indicators.toml").read_text()
    )
    assert [d.id for d in s.dimensions] == list(eit.DIMENSIONS)
    assert all(i.dimension == d.id for d in s.dimensions for a in d.aspects for i in a.indicators)
    assert s.level_name(1) == "การมีส่วนร่วม" and s.level_name(2, "en") == "Enhancement"
    phy01 = s.get("PHY01")
    assert phy01.threshold_at(1) == 60 and phy01.threshold_at(2) == 70 and phy01.level == 1
    assert phy01.meets(65, 1) and not phy01.meets(65, 2)


def test_official_list_from_csv_and_xlsx(tmp_path: Path) -> None:
    s = eit.load_indicators(official_list(tmp_path / "diw.csv"))
    assert s.shape() == DIW_2017_SHAPE and not s.provisional
    assert s.get("K01").direction == "higher" and s.get("K03").threshold_at(1) == 40
    assert s.get("K01").is_manual and s.level_name(2) == "การส่งเสริม"  # levels from the shipped file
    xlsx = tmp_path / "diw.xlsx"
    pd.read_csv(tmp_path / "diw.csv", dtype=str).to_excel(xlsx, index=False)
    assert eit.load_indicators(xlsx).shape() == DIW_2017_SHAPE
    res = CliRunner().invoke(cli, ["assess", "indicators", "--framework", str(xlsx)])
    assert res.exit_code == 0, res.output
    assert "5 dimensions, 20 aspects, 41 indicators" in res.output and "K41" in res.output
    assert "PROVISIONAL" not in res.output


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda f: f.drop(columns="หน่วย"), "column unit not found"),
        (lambda f: f.assign(มิติ=["spatial", *list(f["มิติ"][1:])]), "row 2 field มิติ"),
        (
            lambda f: f.assign(**{"ระดับที่ 2": ["หกสิบ", *list(f["ระดับที่ 2"][1:])]}),
            "row 2 field ระดับที่ 2",
        ),
        (lambda f: f.assign(รหัสตัวชี้วัด=["K02", *list(f["รหัสตัวชี้วัด"][1:])]), "used twice"),
        (lambda f: f.assign(ทิศทาง=["sideways", *list(f["ทิศทาง"][1:])]), "not higher or lower"),
    ],
)
def test_malformed_official_list_is_refused_with_row_and_column(
    tmp_path: Path, edit: object, words: str
) -> None:
    good = pd.read_csv(official_list(tmp_path / "ok.csv"), dtype=str, keep_default_na=False)
    bad = tmp_path / "bad.csv"
    edit(good).to_csv(bad, index=False)  # type: ignore[operator]
    res = CliRunner().invoke(cli, ["assess", "indicators", "--framework", str(bad)])
    assert res.exit_code == 1 and "bad.csv" in res.output and words in res.output, res.output
    with pytest.raises(CatalogueError):
        eit.load_indicators(bad)


def test_level_rule_is_cumulative_and_says_what_stands_between() -> None:
    s = eit.load_indicators()
    at_l2 = {i.id: i.threshold_at(2) for i in s.indicators if i.threshold_at(2) is not None}
    values = {i.id: 1.0 for i in s.indicators} | at_l2
    assert reached_level(values, s)[0] == 2
    assert level_gap(values, s, level=2) == []
    # level 1 failing: level 2 is not reached even with its indicators met
    low = values | {"PHY01": 10.0, "MGT01": 10.0}
    level, reasons = reached_level(low, s)
    assert level == 0 and "level 1:" in reasons[0] and len(reasons) == 1
    gap = level_gap(low, s, level=2)
    assert ("PHY01", 1, "below threshold") in gap and ("MGT01", 1, "below threshold") in gap
    # a few values missing: level 2 still reached (coverage ≥ 60 %); too many: not
    few = {k: v for k, v in values.items() if k not in ("MGT02", "MGT03")}
    assert reached_level(few, s)[0] == 2
    gone = ("MGT02", "MGT03", "MGT04", "SOC03", "ENV01", "ENV02", "ECO02", "PHY02")
    many = {k: v for k, v in values.items() if k not in gone}
    assert reached_level(many, s)[0] == 1
    assert ("MGT02", 2, "no value") in level_gap(many, s, level=2)


def test_assess_compare_names_the_indicators_before_level_2(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    path = tmp_path / "w.gpkg"
    shutil.copy(demo_run.workspace, path)
    ws = Workspace.open(path)
    base = task.run_assessment(ws, area_id="DEMO-IE-01", round_name="baseline", as_of="2025-01-15")
    foll = task.run_assessment(ws, area_id="DEMO-IE-01", round_name="followup", as_of="2026-01-15")
    b = base.rows.set_index("indicator_id")
    f = foll.rows.set_index("indicator_id")
    # counted from the ledger, with the activities as evidence
    assert b.loc["MGT05", "value"] == 1 and f.loc["MGT05", "value"] == 3
    assert "DEMO-CM-02" in f.loc["MGT05", "evidence"] and f.loc["MGT05", "method"] == "computed"
    assert b.loc["SOC04", "value"] == 0 and f.loc["SOC04", "value"] == 2
    assert "DEMO-DR-01" in f.loc["SOC04", "evidence"]
    assert b.loc["MGT06", "value"] == 0 and f.loc["MGT06", "value"] > 50
    res = CliRunner().invoke(cli, ["assess", "compare", "-w", str(path), "--area", "DEMO-IE-01"])
    assert res.exit_code == 0, res.output
    assert (
        "what stands between the area and level 2" in res.output
        or "level 2 is reached" in res.output
    )
    table, summary = task.compare(ws, area_id="DEMO-IE-01")
    assert (
        "threshold_level2" in table
        and table.set_index("indicator_id").loc["PHY01", "threshold_level2"] == 70
    )
    assert isinstance(summary["to_level2"], list)


def test_framework_template_round_trips_and_stays_provisional(tmp_path: Path) -> None:
    out = tmp_path / "framework.csv"
    res = CliRunner().invoke(cli, ["assess", "indicators", "--framework-template", str(out)])
    assert res.exit_code == 0, res.output
    back = eit.load_indicators(out)
    shipped = eit.load_indicators()
    assert back.ids == shipped.ids and back.provisional
    assert [dict(i.thresholds) for i in back.indicators] == [
        dict(i.thresholds) for i in shipped.indicators
    ]
    assert [i.computation for i in back.indicators] == [i.computation for i in shipped.indicators]
    assert [i.aspect_id for i in back.indicators] == [i.aspect_id for i in shipped.indicators]
