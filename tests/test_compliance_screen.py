"""The compliance and assessment verbs as a new user meets them: gap lines in words, an
editable records sheet that re-imports, tables that fit the terminal, and a comparison
that says why an indicator moved."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from test_compliance_helpers import build, compliance_records, factories

from ecogis import compliance as comp
from ecogis.cli import cli
from ecogis.cli._common import display_width
from ecogis.workspace import Workspace


def test_describe_gaps_says_what_each_factory_lacks() -> None:
    f = factories()
    st = comp.factory_compliance(
        f, compliance_records(), requirements=comp.load_requirements(), as_of="2025-01-15"
    )
    gaps, _ = comp.rank_gaps(f, st)
    words = dict(zip(gaps["factory_id"], comp.describe_gaps(gaps), strict=True))
    # F2: ISO 14001 expired on 2024-06-30; no safety system, no CSR-DIW
    assert words["F2"].startswith("no env. mgmt; no safety mgmt; no CSR-DIW")
    assert "expired: iso14001" in words["F2"]
    # F4: GI3 counts as environmental management; ISO 45001; licence 'no' → missing
    assert "no env. mgmt" not in words["F4"] and "no safety mgmt" not in words["F4"]
    assert "no CSR-DIW" in words["F4"] and "missing:" in words["F4"]
    assert "factory_licence" in words["F4"]


def test_records_sheet_lists_every_requirement_and_marks_the_unrecorded() -> None:
    f = factories()
    reqs = comp.load_requirements()
    sheet = comp.records_sheet(
        f[f["factory_id"].isin(["F1", "F2", "F5"])],
        compliance_records(),
        requirements=reqs,
        as_of="2025-01-15",
    )
    assert list(sheet.columns) == list(comp.status.SHEET_COLUMNS)
    assert len(sheet) == 3 * len(reqs)
    row = sheet[(sheet["factory_id"] == "F2") & (sheet["requirement"] == "iso14001")].iloc[0]
    assert (row["status"], row["valid_until"], row["status_on_date"]) == (
        "yes",
        "2024-06-30",
        "expired",  # on 2025-01-15
    )
    assert set(sheet.loc[sheet["factory_id"] == "F5", "status"]) == {"unknown"}
    assert sheet["requirement_name_th"].notna().all()


def test_records_round_trip_edit_reimport_and_the_gap_closes(tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.gpkg"
    build(ws_path, with_risk=True)
    sheet_path = tmp_path / "z1.csv"
    runner = CliRunner()
    args = ["compliance", "-w", str(ws_path), "--zone", "Z1", "--date", "2025-01-15"]
    res = runner.invoke(cli, [*args, "--records", str(sheet_path)])
    assert res.exit_code == 0, res.output
    assert f"ecogis import compliance {sheet_path}" in res.stderr
    before = Workspace.open(ws_path).read("compliance")
    # unchanged, the sheet re-imports without adding a thing that changes the gap list
    res = runner.invoke(cli, ["import", "compliance", str(sheet_path), "-w", str(ws_path)])
    assert res.exit_code == 0, res.output
    # the planner records F2's renewed ISO 14001 and F3's new ISO 45001
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    for fid, req in (("F2", "iso14001"), ("F3", "iso45001")):
        m = (sheet["factory_id"] == fid) & (sheet["requirement"] == req)
        sheet.loc[m, ["status", "issued", "valid_until", "evidence"]] = [
            "yes",
            "2024-12-01",
            "2027-12-01",
            "certificate scan",
        ]
    sheet.to_csv(sheet_path, index=False, encoding="utf-8-sig")
    res = runner.invoke(cli, ["import", "compliance", str(sheet_path), "-w", str(ws_path)])
    assert res.exit_code == 0, res.output
    after = Workspace.open(ws_path).read("compliance")
    assert len(after) >= len(before)
    res = runner.invoke(cli, [*args, "--json"])
    assert res.exit_code == 0, res.output
    gaps = Workspace.open(ws_path).read("compliance_gaps").set_index("factory_id")
    assert not bool(gaps.loc["F2", "lacks_env"]) and "iso14001" not in str(
        gaps.loc["F2", "expired"]
    )
    assert not bool(gaps.loc["F3", "lacks_safety"])


def test_gap_table_fits_the_terminal_and_names_the_gaps(tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.gpkg"
    build(ws_path, with_risk=True)
    res = CliRunner().invoke(
        cli,
        ["compliance", "-w", str(ws_path), "--date", "2025-01-15"],
        env={"COLUMNS": "90"},
    )
    assert res.exit_code == 0, res.output
    assert all(display_width(line) <= 90 for line in res.stdout.splitlines())
    # headers are the contract's short labels in --lang (Thai first)
    assert "มีช่องว่าง %" in res.stdout and "no safety mgmt" in res.stdout
    res = CliRunner().invoke(
        cli,
        ["compliance", "-w", str(ws_path), "--date", "2025-01-15", "--lang", "en"],
        env={"COLUMNS": "90"},
    )
    assert res.exit_code == 0, res.output
    assert all(display_width(line) <= 90 for line in res.stdout.splitlines())
    assert "gap %" in res.stdout and "no safety mgmt" in res.stdout


def test_compare_explains_each_change_with_its_evidence(tmp_path: Path) -> None:
    ws = build(tmp_path / "ws.gpkg", with_risk=True, with_links=True)
    runner = CliRunner()
    w = str(ws.path)
    base = ["assess", "-w", w, "--area", "Z1", "--date", "2025-01-15"]
    res = runner.invoke(cli, [*base, "--round", "baseline"])
    assert res.exit_code == 0, res.output
    assert "area level on this round: 0" in res.stdout and "level 1:" in res.stdout
    # a year on, F2's expired ISO 14001 is renewed: environmental management rises
    records = ws.read("compliance")
    m = (records["factory_id"] == "F2") & (records["requirement"] == "iso14001")
    records.loc[m, ["issued", "valid_until"]] = ["2025-06-01", "2028-06-01"]
    with ws.batch():
        ws.write("compliance", records)
    follow = ["assess", "-w", w, "--area", "Z1", "--date", "2025-12-31", "--round", "followup"]
    assert runner.invoke(cli, follow).exit_code == 0
    res = runner.invoke(cli, ["assess", "compare", "-w", w, "--area", "Z1"], env={"COLUMNS": "100"})
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert all(display_width(line) <= 100 for line in out.splitlines()[:40])
    line = next(x for x in out.splitlines() if x.strip().startswith("MGT02 better"))
    assert "on 2025-01-15 →" in line and "on 2025-12-31" in line
    assert "no→" in out or "yes→" in out  # the 'met' column: before → after


def test_a_workspace_without_records_gets_a_blank_sheet_to_start_from(tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.gpkg"
    ws = Workspace.create(ws_path)
    with ws.batch():
        ws.write("factories", factories())
    runner = CliRunner()
    res = runner.invoke(cli, ["compliance", "-w", str(ws_path)])
    assert res.exit_code == 1 and "--records" in res.output  # the error says how to start
    sheet_path = tmp_path / "blank.csv"
    res = runner.invoke(cli, ["compliance", "-w", str(ws_path), "--records", str(sheet_path)])
    assert res.exit_code == 0, res.output
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    assert len(sheet) == len(factories()) * len(comp.load_requirements())
    assert set(sheet["status"]) == {"unknown"}
    assert not Workspace.open(ws_path).has_layer("compliance")  # nothing stored yet
    sheet.loc[(sheet["factory_id"] == "F1") & (sheet["requirement"] == "csr_diw"), "status"] = "มี"
    sheet.to_csv(sheet_path, index=False, encoding="utf-8-sig")
    res = runner.invoke(cli, ["import", "compliance", str(sheet_path), "-w", str(ws_path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["compliance", "-w", str(ws_path), "--json"])
    assert res.exit_code == 0, res.output
    gaps = Workspace.open(ws_path).read("compliance_gaps").set_index("factory_id")
    assert not bool(gaps.loc["F1", "lacks_csr"]) and bool(gaps.loc["F2", "lacks_csr"])


def test_compare_of_an_unknown_area_lists_the_assessed_ones(tmp_path: Path) -> None:
    ws = build(tmp_path / "ws.gpkg", with_risk=True)
    runner = CliRunner()
    w = str(ws.path)
    assert (
        runner.invoke(cli, ["assess", "-w", w, "--area", "Z1", "--round", "baseline"]).exit_code
        == 0
    )
    res = runner.invoke(cli, ["assess", "compare", "-w", w, "--area", "Z9"])
    assert res.exit_code == 1 and "areas assessed so far: Z1" in res.output
