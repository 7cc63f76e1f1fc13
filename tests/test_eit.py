"""Eco-industrial town indicators: the framework file, computations, rounds, comparison,
guidelines and the ``ecogis assess`` verbs, on the hand-built workspace of
``test_compliance_helpers`` (every expected number is worked out in its docstrings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis import eit
from ecogis.cli import cli
from ecogis.errors import CatalogueError, DataValidationError
from ecogis.resources import catalogue_dir
from ecogis.tasks import compliance as task
from ecogis.workspace import Workspace

if TYPE_CHECKING:
    from conftest import ComplianceData

SHIPPED = catalogue_dir().joinpath("eit_indicators.toml").read_text(encoding="utf-8")


@pytest.fixture
def ws_full(tmp_path: Path, hand_built: ComplianceData) -> Workspace:
    return hand_built.build(tmp_path / "ws.gpkg", with_risk=True, with_links=True)


def _values(ws: Workspace, **kw: object) -> dict[str, float | None]:
    res = task.run_assessment(ws, area_id="Z1", round_name="baseline", as_of="2025-01-15", **kw)  # type: ignore[arg-type]
    rows = res.rows
    return {
        r: (None if pd.isna(v) else float(v))
        for r, v in zip(rows["indicator_id"], rows["value"], strict=True)
    }


# --------------------------------------------------------------------------- framework
def test_shipped_set_covers_five_dimensions_and_is_provisional() -> None:
    s = eit.load_indicators()
    assert s.provisional and "provisional" in s.version
    assert {i.dimension for i in s.indicators} == set(eit.DIMENSIONS)
    computed = {i.computation for i in s.indicators if not i.is_manual}
    assert computed == set(eit.COMPUTATIONS)  # every computation is used
    assert any(i.is_manual for i in s.indicators)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            (
                'direction = "higher"\ncomputation = "share_in_zones"\n',
                'computation = "share_in_zones"\n',
            ),
            "field direction",
        ),
        (
            (
                'name_en = "Share of factories inside industrial zones"\n',
                'name_en = "Share of factories inside industrial zones"\ndimension = "spatial"\n',
            ),
            "'spatial' is not a dimension",
        ),
        (
            ('computation = "share_in_zones"', 'computation = "share_in_zonez"'),
            "unknown computation",
        ),
        (("thresholds = { 1 = 60,", "thresholds = { 9 = 60,"), "not a level 1–5"),
        (("thresholds = { 1 = 60,", 'thresholds = { 1 = "sixty",'), "not a number"),
        (('id = "PHY02"', 'id = "PHY01"'), "used twice"),
    ],
)
def test_indicator_file_errors_name_the_indicator_and_field(
    tmp_path: Path, edit: tuple[str, str], words: str
) -> None:
    old, new = edit
    assert old in SHIPPED
    bad = tmp_path / "ind.toml"
    bad.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError) as exc:
        eit.load_indicators(bad)
    msg = str(exc.value)
    assert str(bad) in msg and words in msg and "indicator #" in msg


def test_missing_field_in_indicator_file_stores_nothing(ws_full: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "ind.toml"
    bad.write_text(SHIPPED.replace('unit = "%"\n', "", 1), encoding="utf-8")
    before = ws_full.path.read_bytes()
    res = CliRunner().invoke(
        cli,
        [
            "assess",
            "-w",
            str(ws_full.path),
            "--area",
            "Z1",
            "--round",
            "baseline",
            "--indicators",
            str(bad),
        ],
    )
    assert res.exit_code == 1
    assert "indicator #1 (PHY01): required field is missing" in res.output
    assert "field unit" in res.output
    assert ws_full.path.read_bytes() == before
    assert not ws_full.has_layer("eit_assessments")


# --------------------------------------------------------------------------- computations
def test_indicators_from_the_hand_built_workspace(ws_full: Workspace) -> None:
    v = _values(ws_full)
    # Area = Z1's six factories + F6 within 2 km = 7; six carry a zone_id.
    assert v["PHY01"] == pytest.approx(100 * 6 / 7, abs=0.01)
    assert v["PHY02"] == pytest.approx(8.0)  # 8 ha of 100 ha (Z2 not in the area)
    assert v["PHY03"] == 1  # F5's breach; F7 is outside the area
    assert v["ECO01"] == pytest.approx(100 * 5 / 6, abs=0.01)  # F8 has no worker count
    assert v["ENV01"] == pytest.approx(10.0)  # 50 t recovered (031) of 500 t; links proposed
    assert v["ENV02"] == pytest.approx(100.0)  # 100 t hazardous, all to 073
    assert v["ENV03"] == pytest.approx(10.0)  # 15,000 m3 / 1,500 t
    assert v["ENV04"] == pytest.approx(2.0)  # 2,000 MWh / 1,000 t (F1 only)
    assert v["SOC01"] == 1500  # V1 (1,200) near F1 + S1 (300) near F5, T1 no population
    assert v["SOC02"] == 2  # S1 and T1
    assert v["SOC03"] == pytest.approx(100 / 7, abs=0.01)  # F1 only
    assert v["MGT01"] == pytest.approx(300 / 7, abs=0.01)  # F1, F3, F6
    assert v["MGT02"] == pytest.approx(200 / 7, abs=0.01)  # F1 and F4 (GI3)
    assert v["MGT03"] == pytest.approx(200 / 7, abs=0.01)  # F1, F4
    assert v["MGT04"] == pytest.approx(100 / 7, abs=0.01)  # F4 at GI3
    assert v["ECO02"] is None and v["MGT05"] is None  # manual, not entered


def test_missing_inputs_leave_the_value_empty_with_a_reason(
    tmp_path: Path, hand_built: ComplianceData
) -> None:
    ws = hand_built.build(tmp_path / "ws.gpkg")  # no risk results, no links
    res = task.run_assessment(ws, area_id="Z1", round_name="baseline", as_of="2025-01-15")
    rows = res.rows.set_index("indicator_id")
    for iid in ("PHY03", "SOC01", "SOC02"):
        assert pd.isna(rows.loc[iid, "value"])
        assert rows.loc[iid, "method"] == "missing"
        assert "ecogis risk" in rows.loc[iid, "note"]
    assert pd.isna(rows.loc["PHY03", "meets"])  # missing never passes


def test_started_exchanges_count_once(ws_full: Workspace) -> None:
    links = ws_full.read("symbiosis_links")
    links["status"] = ["started", "proposed"]
    with ws_full.batch():
        ws_full.write("symbiosis_links", links, validate=False)
    v = _values(ws_full)
    # + F2's plastic scrap exchange, 180 of its 200 t → (50 + 180) / 500.
    assert v["ENV01"] == pytest.approx(46.0)


def test_manual_scores_with_evidence(ws_full: Workspace, tmp_path: Path) -> None:
    scores = tmp_path / "manual.csv"
    scores.write_text(
        "indicator_id,value,evidence\nMGT05,2,บันทึกการประชุม 2 ครั้ง\nSOC04,1,drill report\n",
        encoding="utf-8",
    )
    res = task.run_assessment(
        ws_full,
        area_id="Z1",
        round_name="baseline",
        as_of="2025-01-15",
        scores=scores,
        assessor="provincial office",
    )
    rows = res.rows.set_index("indicator_id")
    assert rows.loc["MGT05", "value"] == 2 and rows.loc["MGT05", "method"] == "manual"
    assert rows.loc["MGT05", "evidence"] == "บันทึกการประชุม 2 ครั้ง"
    assert bool(rows.loc["MGT05", "meets"])
    assert set(rows["assessor"]) == {"provincial office"}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("MGT99,2,x\n", "unknown indicator 'MGT99'"),
        ("MGT05,two,x\n", "'two' is not a number"),
        ("MGT05,2,\n", "evidence is empty"),
    ],
)
def test_bad_manual_scores_store_nothing(
    ws_full: Workspace, tmp_path: Path, body: str, words: str
) -> None:
    scores = tmp_path / "manual.csv"
    scores.write_text("indicator_id,value,evidence\n" + body, encoding="utf-8")
    before = ws_full.path.read_bytes()
    with pytest.raises(DataValidationError) as exc:
        task.run_assessment(ws_full, area_id="Z1", round_name="baseline", scores=scores)
    assert words in str(exc.value) and "row 2" in str(exc.value)
    assert ws_full.path.read_bytes() == before


# --------------------------------------------------------------------------- rounds
def test_rounds_replace_themselves_and_compare(ws_full: Workspace, tmp_path: Path) -> None:
    task.run_assessment(ws_full, area_id="Z1", round_name="baseline", as_of="2025-01-15")
    task.run_assessment(ws_full, area_id="Z1", round_name="baseline", as_of="2025-01-15")
    task.run_assessment(ws_full, area_id="Z1", round_name="followup", as_of="2025-01-15")
    task.run_assessment(
        ws_full, area_id="25", area_kind="province", round_name="baseline", as_of="2025-01-15"
    )
    stored = ws_full.read("eit_assessments")
    n = len(eit.load_indicators().indicators)
    assert len(stored) == 3 * n  # Z1 baseline (once), Z1 follow-up, province 25 baseline
    # A programme year: F2 and F3 get ISO 14001 and CSR-DIW, as an updated sheet would say.
    from ecogis.compliance import parse_compliance_records

    sheet = pd.DataFrame(
        {
            "factory_id": ["F2", "F2", "F3", "F3"],
            "requirement": ["iso14001", "csr_diw", "iso14001", "csr_diw"],
            "status": ["yes"] * 4,
            "valid_until": ["2028-01-01"] * 4,
        }
    ).astype("string")
    recs = parse_compliance_records(sheet, source="update.csv", known_factory_ids={"F2", "F3"})
    with ws_full.batch():
        ws_full.upsert("compliance", recs)
    task.run_assessment(ws_full, area_id="Z1", round_name="followup", as_of="2026-01-15")
    stored2 = ws_full.read("eit_assessments")
    assert len(stored2) == 3 * n
    base_rows = stored2[(stored2["area_id"] == "Z1") & (stored2["round"] == "baseline")]
    assert set(base_rows["assessed_on"]) == {"2025-01-15"}  # untouched
    table, summary = task.compare(ws_full, area_id="Z1")
    t = table.set_index("indicator_id")
    assert t.loc["MGT02", "baseline"] == pytest.approx(200 / 7, abs=0.01)
    assert t.loc["MGT02", "followup"] == pytest.approx(400 / 7, abs=0.01)
    assert t.loc["MGT02", "improvement"] == "better"
    assert not t.loc["MGT02", "meets_baseline"] and t.loc["MGT02", "meets_followup"]
    assert t.loc["SOC03", "change"] == pytest.approx(200 / 7, abs=0.01)
    assert t.loc["ENV02", "improvement"] == "same"
    assert t.loc["ECO02", "improvement"] == ""  # manual, never entered
    assert summary["date_followup"] == "2026-01-15" and summary["better"] >= 2


def test_direction_aware_improvement_and_level_rule() -> None:
    s = eit.load_indicators()

    def round_rows(name: str, values: dict[str, float]) -> pd.DataFrame:
        rows = []
        for ind in s.indicators:
            v = values.get(ind.id)
            rows.append(
                {
                    "area_id": "A",
                    "round": name,
                    "assessed_on": "2025-01-01",
                    "indicator_id": ind.id,
                    "value": v,
                    "threshold": ind.threshold,
                    "meets": ind.meets(v),
                    "direction": ind.direction,
                    "unit": ind.unit,
                    "level": ind.level,
                    "name_th": ind.name_th,
                    "name_en": ind.name_en,
                    "dimension": ind.dimension,
                }
            )
        return pd.DataFrame(rows)

    lvl1 = {"PHY01": 90, "MGT01": 85, "MGT05": 2}
    lvl2 = {i.id: (i.threshold if i.threshold is not None else 1.0) for i in s.indicators}
    both = pd.concat(
        [
            round_rows("baseline", {**lvl1, "ENV02": 40}),
            round_rows("followup", {**lvl2, "ENV02": 15}),
        ]
    )
    table, summary = eit.compare_rounds(both, area_id="A", indicators=s)
    env02 = table.set_index("indicator_id").loc["ENV02"]
    assert env02["change"] == -25 and env02["improvement"] == "better"  # lower is better
    assert summary["level_baseline"] == 1  # level 1 met, level 2 has too few values
    assert summary["level_followup"] == 2
    # One level-1 indicator failing drops the area to level 0 even with level 2 met.
    worse = round_rows("followup", {**lvl2, "MGT01": 50, "PHY01": 10})
    assert eit.area_level(worse, s)[0] == 0


# --------------------------------------------------------------------------- guidelines
def test_guidelines_are_ranked_and_tied_to_indicators(ws_full: Workspace) -> None:
    res = task.run_assessment(ws_full, area_id="Z1", round_name="baseline", as_of="2025-01-15")
    g = res.guidelines
    assert g["rank"].tolist() == list(range(1, len(g) + 1))
    assert g["priority"].is_monotonic_decreasing
    assert g.iloc[0]["action"] == "address_siting" and g.iloc[0]["target_id"] == "F5"
    trained = g[g["action"] == "train_factory"]
    assert trained.iloc[0]["target_id"] == "F5"
    assert set(trained["indicator_id"]) <= {"MGT02", "MGT03", "SOC03"}
    ex = g[g["action"] == "start_exchange"]
    assert ex["target_id"].tolist() == ["F2→F5", "F4→F7"]  # largest first, area providers
    assert (ex["indicator_id"] == "ENV01").all()
    assert "increase_green" in set(g["action"])  # PHY02 8 % < 10 %
    assert g["indicator_id"].notna().all()
    stored = ws_full.read("eit_guidelines")
    assert len(stored) == len(g)


# --------------------------------------------------------------------------- CLI
def test_cli_assess_round_compare_and_help(ws_full: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    w = str(ws_full.path)
    r = runner.invoke(
        cli,
        [
            "assess",
            "-w",
            w,
            "--area",
            "Z1",
            "--round",
            "baseline",
            "--date",
            "15/01/2568",
            "--assessor",
            "DIW",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "PROVISIONAL" in r.output and "Guidelines" in r.output
    r = runner.invoke(cli, ["assess", "--workspace", w, "--area", "Z1", "--round", "followup"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "cmp.csv"
    r = runner.invoke(
        cli, ["assess", "compare", "--workspace", w, "--area", "Z1", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "baseline (2025-01-15): level" in r.output
    assert "สัดส่วนโรงงานที่มีระบบการจัดการสิ่งแวดล้อม" in r.output  # Thai first
    r = runner.invoke(cli, ["assess", "compare", "-w", w, "--area", "Z1", "--lang", "en"])
    assert "Share of factories with environmental management" in r.output
    assert len(pd.read_csv(out)) == len(eit.load_indicators().indicators)
    r = runner.invoke(cli, ["assess", "--help"])
    assert r.exit_code == 0 and "compare" in r.output and "Examples:" in r.output
    r = runner.invoke(cli, ["assess", "-w", w, "--area", "Z1"])
    assert r.exit_code == 2 and "--round" in r.output
    r = runner.invoke(cli, ["assess", "-w", w, "--area", "Z9", "--round", "baseline"])
    assert r.exit_code == 1 and "zone 'Z9' is not in the workspace" in r.output
    r = runner.invoke(
        cli, ["assess", "-w", w, "--area", "Z1", "--round", "baseline", "--date", "yesterday"]
    )
    assert r.exit_code == 1 and "'yesterday' is not a date" in r.output
    r = runner.invoke(cli, ["assess", "indicators"])
    assert r.exit_code == 0 and "MGT02" in r.output
    # The template lists the manual indicators; unfilled rows are skipped, filled ones used.
    tpl = tmp_path / "manual.csv"
    r = runner.invoke(cli, ["assess", "indicators", "--template", str(tpl)])
    assert r.exit_code == 0
    sheet = pd.read_csv(tpl, dtype=str, keep_default_na=False)
    # committee meetings and drills follow from the activity ledger now; ECO02 stays manual
    assert set(sheet["indicator_id"]) == {"ECO02"}
    sheet = pd.concat(
        [sheet, pd.DataFrame([{"indicator_id": "MGT05", "value": "2", "evidence": "minutes"}])]
    )
    sheet.to_csv(tpl, index=False)
    r = runner.invoke(
        cli, ["assess", "-w", w, "--area", "Z1", "--round", "followup", "--scores", str(tpl)]
    )
    assert r.exit_code == 0, r.output
    fu = ws_full.read("eit_assessments")
    fu = fu[(fu["round"] == "followup")].set_index("indicator_id")
    assert fu.loc["MGT05", "value"] == 2 and pd.isna(fu.loc["SOC04", "value"])


def test_compare_without_rounds_says_what_to_run(
    tmp_path: Path, hand_built: ComplianceData
) -> None:
    ws = hand_built.build(tmp_path / "ws.gpkg")
    r = CliRunner().invoke(cli, ["assess", "compare", "-w", str(ws.path), "--area", "Z1"])
    assert r.exit_code == 1 and "--round baseline" in r.output


def test_assess_compare_as_a_subprocess(ws_full: Workspace) -> None:
    task.run_assessment(ws_full, area_id="Z1", round_name="baseline", as_of="2025-01-15")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecogis",
            "assess",
            "compare",
            "-w",
            str(ws_full.path),
            "--area",
            "Z1",
            "--json",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    import json

    data = json.loads(proc.stdout)
    assert data["summary"]["level_followup"] is None
    assert {r["indicator_id"] for r in data["rows"]} >= {"MGT02", "ENV01"}


def test_demo_step_shows_before_and_after(ws_full: Workspace, tmp_path: Path) -> None:
    lines = task.demo_step(ws_full, tmp_path)
    text = "\n".join(lines)
    assert "ILLUSTRATIVE programme year" in text
    assert "MGT02" in text and "(better)" in text
    # The exchanges started are written as a user would: split streams with code 021.
    flows = ws_full.read("material_flows")
    ex = flows[flows["flow_id"].str.endswith("-EX")]
    assert set(ex["factory_id"]) == {"F2"}  # F4's slag is exchanged whole: recoded in place
    assert ex.set_index("factory_id").loc["F2", "quantity"] == 180  # of F2's 200 t
    by_flow = flows.set_index(["factory_id", "flow_id"])
    assert by_flow.loc[("F2", "w1"), "quantity"] == 20
    assert by_flow.loc[("F2", "w1"), "disposal_code"] == "071"
    assert by_flow.loc[("F4", "w1"), "disposal_code"] == "021"
    assert flows.loc[flows["flow_kind"] == "waste", "quantity"].sum() == 500  # nothing doubled
    assert (tmp_path / "compliance_programme_year_ILLUSTRATIVE.csv").exists()
    table, summary = task.compare(ws_full, area_id="Z1")
    env = table.set_index("indicator_id").loc["ENV01"]
    assert env["baseline"] == pytest.approx(10.0)
    assert env["followup"] == pytest.approx(100 * (50 + 180 + 150) / 500)
    assert summary["level_followup"] >= summary["level_baseline"]
    # the records now describe the follow-up: a later run without --date judges them then
    assert ws_full.get_meta("compliance_as_of") == "2026-01-15"
    assert any("--records" in line for line in lines)  # how to change another zone's data


# --------------------------------------------------------------------------- the area
def test_select_area_is_the_zone_and_its_surroundings(hand_built: ComplianceData) -> None:
    fac, zon = hand_built.factories(), hand_built.zones()
    before = fac.copy()
    area = eit.select_area(fac, zon, area_id="Z1", surround_m=2000.0)
    # F1–F5 and the unplaced F8 by their zone_id, F6 540 m outside; not F7 in Z2
    assert sorted(area.factories["factory_id"]) == ["F1", "F2", "F3", "F4", "F5", "F6", "F8"]
    assert list(area.zones["zone_id"]) == ["Z1"]
    assert area.description == "zone Z1 and 2000 m around it: 7 factories"
    assert area.factories.index.isin(fac.index).all()  # index kept
    pd.testing.assert_frame_equal(pd.DataFrame(fac), pd.DataFrame(before))  # input untouched
    tight = eit.select_area(fac, zon, area_id="Z1", surround_m=100.0)
    assert "F6" not in set(tight.factories["factory_id"])
    prov = eit.select_area(fac, zon, area_id="25", area_kind="province")
    assert len(prov.factories) == 8 and prov.description == "province 25: 8 factories"
    with pytest.raises(DataValidationError, match="zone 'Z9' is not in the workspace"):
        eit.select_area(fac, zon, area_id="Z9")
    with pytest.raises(DataValidationError, match="use one of 25"):
        eit.select_area(fac, zon, area_id="21", area_kind="province")
