"""TOR progress (``ecogis programme``): the targets as data, the counts, the database check."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import DemoRun

from ecogis.cli import cli
from ecogis.compliance import load_requirements
from ecogis.errors import CatalogueError
from ecogis.programme import Area, database_check, load_targets, tor_progress


def ledger() -> tuple[pd.DataFrame, pd.DataFrame]:
    acts = pd.DataFrame(
        {
            "activity_id": ["CM1", "CM2", "CM3", "WS1", "WS2", "TR1", "TR2", "CO1", "CO2"],
            "kind": ["committee_meeting"] * 3 + ["workshop"] * 2 + ["training"] * 2
            + ["consulting"] * 2,
            "date": ["2025-01-10", "2025-05-10", "2025-02-01", "2025-03-01", "2025-04-01",
                     "2025-02-01", "2025-02-08", "2025-04-01", "2025-05-01"],
            "pro_code": ["25", "25", "11", "25", "11", "25", "25", "25", "25"],
            "zone_id": [None, None, None, None, None, "Z1", None, "Z1", "Z1"],
            "participants": [20, 18, 15, 64, 49, 10, 10, 2, 2],
            "report": [None] * 8 + ["CR-1"],
        }
    )  # fmt: skip
    att = pd.DataFrame(
        {
            "activity_id": ["TR1", "TR1", "TR1", "TR2", "TR2", "CO1", "CO1", "CO2"],
            "factory_id": ["A", "B", "X", "B", "Y", "A", "B", "A"],
            "persons": [1] * 8,
            "man_days": [None] * 5 + [2.0, 1.5, 3.0],
        }
    )
    return acts, att


def by_scope(progress: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    return {(r.deliverable, r.scope): r for r in progress.itertuples(index=False)}  # type: ignore[misc]


def test_province_and_area_deliverables_counted_against_targets() -> None:
    acts, att = ledger()
    area = Area("zone Z1", frozenset({"A", "B"}), "Z1")
    out = tor_progress(acts, att, targets=load_targets(), provinces=["25", "11"], area=area)
    rows = by_scope(out)
    assert rows[("committee_meetings", "province 25")].actual == 2
    assert rows[("committee_meetings", "province 25")].met
    assert rows[("committee_meetings", "province 11")].actual == 1
    assert not rows[("committee_meetings", "province 11")].met
    # a workshop counts only with >= 50 participants (49 in province 11 does not)
    assert rows[("workshop", "province 25")].met and not rows[("workshop", "province 11")].met
    assert "not counted (under 50)" in rows[("workshop", "province 11")].detail_en
    assert "ไม่นับ (ต่ำกว่า 50 คน)" in rows[("workshop", "province 11")].detail_th
    assert rows[("workshop", "province 11")].scope_th == "จังหวัด 11"
    # X attended the training held for Z1 and counts; Y attended another one and does not
    trained = rows[("factories_trained", "zone Z1")]
    assert trained.actual == 3 and not trained.met and trained.evidence == "TR1;TR2"
    assert rows[("consulting_man_days", "zone Z1")].actual == pytest.approx(6.5)
    assert rows[("consulting_report", "zone Z1")].actual == 1
    assert rows[("consulting_report", "zone Z1")].met


def test_no_ledger_gives_zero_not_met_with_reason() -> None:
    out = tor_progress(None, None, targets=load_targets(), provinces=["25"], area=Area("all"))
    assert (out["actual"] == 0).all() and not out["met"].any()
    meetings = out[out["deliverable"] == "committee_meetings"]
    assert (meetings["detail_en"] == "none recorded").all()
    assert (meetings["detail_th"] == "ยังไม่มีบันทึก").all()


def test_targets_are_data_and_a_bad_file_is_named(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "ecogis/catalogue/tor_targets.toml").read_text()
    mine = tmp_path / "targets.toml"
    mine.write_text(text.replace("target = 30\n", "target = 2\n", 1))
    assert load_targets(mine).deliverables[2].target == 2
    mine.write_text(text.replace('kinds = ["training"]', 'kinds = ["party"]'))
    with pytest.raises(CatalogueError, match=r"targets.toml.*factories_trained.*'party'"):
        load_targets(mine)
    mine.write_text(text.replace('scope = "area"', 'scope = "nation"', 1))
    with pytest.raises(CatalogueError, match="'nation' is not a scope"):
        load_targets(mine)


def test_database_check_names_what_each_factory_lacks() -> None:
    reqs = load_requirements()
    factories = pd.DataFrame(
        {"factory_id": ["A", "B", "C"], "factory_class": [3, 2, 3], "diw_type_main": [42, 42, 42]}
    )
    records = pd.DataFrame(
        [(f, r, "yes" if f != "C" else "no", None, None) for f in "ABC" for r in reqs],
        columns=["factory_id", "requirement", "status", "level", "valid_until"],
    )
    records = records[~((records["factory_id"] == "B") & (records["requirement"] == "iso14001"))]
    records = records[
        ~((records["factory_id"] == "B") & (records["requirement"] == "factory_licence"))
    ]
    kinds = [("in", "raw_material"), ("in", "energy"), ("in", "water"), ("out", "product"),
             ("out", "waste")]  # fmt: skip
    flows = pd.DataFrame(
        [(f, d, k) for f in "AB" for d, k in kinds] + [("C", "in", "raw_material")],
        columns=["factory_id", "direction", "flow_kind"],
    ).assign(hazardous="none")
    out = database_check(
        factories, records, flows, requirements=reqs,
        mass_balance=load_targets().mass_balance, as_of="2025-01-01",
    )  # fmt: skip
    got = out.set_index("factory_id")
    assert got.loc["A", "complete"]
    # B lacks the voluntary ISO 14001 status; its licence does not apply to class 2
    assert got.loc["B", "lacks_compliance"] == "iso14001" and not got.loc["B", "complete"]
    assert got.loc["C", "compliance_complete"]  # "no" is a status
    assert got.loc["C", "lacks_mass_balance"] == "energy_in;water_in;products_out;waste_out"


def test_cli_json_on_a_demo_with_ledger(demo_run: DemoRun) -> None:
    res = CliRunner().invoke(
        cli, ["programme", "-w", str(demo_run.workspace), "--area", "DEMO-IE-01", "--json"]
    )
    assert res.exit_code == 0, res.output
    items = json.loads(res.stdout)
    assert all({"deliverable", "target", "actual", "met"} <= set(i) for i in items)
    got = {i["deliverable"]: i for i in items}
    assert got["factories_trained"]["met"] and not got["factories_study_tour"]["met"]
    assert got["consulting_man_days"]["actual"] == 52.5
    db = got["factory_database"]
    assert db["actual"] < 30 and not db["met"] and db["incomplete"]
    assert all(x["lacks_compliance"] or x["lacks_mass_balance"] for x in db["incomplete"])


def test_cli_screen_lists_incomplete_factories(demo_run: DemoRun) -> None:
    res = CliRunner().invoke(
        cli, ["programme", "-w", str(demo_run.workspace), "--area", "DEMO-IE-01"]
    )
    assert res.exit_code == 0, res.output
    assert "โรงงานที่ได้รับการฝึกอบรม" in res.stdout and "ยังไม่ผ่าน" in res.stdout
    assert "โรงงานที่ข้อมูลยังไม่ครบ" in res.stdout and "สมดุลมวลสารไม่มี" in res.stdout
    bad = CliRunner().invoke(
        cli,
        ["programme", "-w", str(demo_run.workspace), "--area", "DEMO-IE-01", "--province", "25"],
    )
    assert bad.exit_code == 1 and "not both" in bad.output
