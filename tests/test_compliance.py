"""Compliance records: import, dates, status on a date, the ranked gap list, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_compliance_helpers import build, compliance_records, factories

from ecogis import compliance as comp
from ecogis.cli import cli
from ecogis.errors import CatalogueError, DataValidationError, InputFileError
from ecogis.workspace import Workspace

KNOWN = {f"F{i}" for i in range(1, 9)}


def sheet(rows: list[dict[str, str]]) -> pd.DataFrame:
    """A sheet as read_table gives it: every cell text."""
    return pd.DataFrame(rows).astype("string")


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-05-31", "2024-05-31"),
        ("2024-05-31 00:00:00", "2024-05-31"),
        ("31/05/2024", "2024-05-31"),
        ("31/05/2567", "2024-05-31"),  # Buddhist Era
        ("1.2.2567", "2024-02-01"),
        ("2567-05-31", "2024-05-31"),
        ("31 พ.ค. 2567", "2024-05-31"),
        ("1 มกราคม 2568", "2025-01-01"),
        ("45443", "2024-05-31"),  # Excel serial
        ("45443.0", "2024-05-31"),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_date_accepts_the_forms_planners_write(text: str, iso: str | None) -> None:
    assert comp.parse_date(text, source="f.csv", row=2, field="valid_until") == iso


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("next year", "is not a date"),
        ("31/02/2024", "not a real date"),
        ("31/05/67", "two-digit year"),
        ("2567", "is a year, not a date"),
        ("15 Foo 2024", "is not a date"),
        ("1850-01-01", "gives the year 1850"),
    ],
)
def test_parse_date_refuses_what_is_not_a_date(text: str, why: str) -> None:
    with pytest.raises(DataValidationError) as exc:
        comp.parse_date(text, source="f.csv", row=7, field="valid_until")
    msg = str(exc.value)
    assert why in msg
    assert "f.csv row 7 field valid_until" in msg
    assert "YYYY-MM-DD" in msg  # the fix


# --------------------------------------------------------------------------- import
def test_parse_records_normalises_thai_headers_statuses_levels_and_dates() -> None:
    raw = sheet(
        [
            {
                "เลขทะเบียน": "F1",
                "ข้อกำหนด": "ISO 14001",
                "สถานะ": "มี",
                "ระดับ": "",
                "ใช้ได้ถึง": "31/12/2569",
                "หลักฐาน": "ใบรับรองเลขที่ 123",
            },
            {
                "เลขทะเบียน": '="F2"',
                "ข้อกำหนด": "green_industry",
                "สถานะ": "yes",
                "ระดับ": "ระดับ 3",
                "ใช้ได้ถึง": "46022",
                "หลักฐาน": "",
            },
            {
                "เลขทะเบียน": "F3",
                "ข้อกำหนด": "CSR-DIW",
                "สถานะ": "ไม่เข้าข่าย",
                "ระดับ": "2567",
                "ใช้ได้ถึง": "",
                "หลักฐาน": "",
            },
            {
                "เลขทะเบียน": "",
                "ข้อกำหนด": "",
                "สถานะ": "",
                "ระดับ": "",
                "ใช้ได้ถึง": "",
                "หลักฐาน": "",
            },  # blank line in the sheet
        ]
    )
    out = comp.parse_compliance_records(raw, source="sheet.xlsx", known_factory_ids=KNOWN)
    assert list(out["factory_id"]) == ["F1", "F2", "F3"]
    assert list(out["requirement"]) == ["iso14001", "green_industry", "csr_diw"]
    assert list(out["status"]) == ["yes", "yes", "not_required"]
    assert out["level"].tolist()[1:] == ["GI3", "2024"]
    assert out["valid_until"].tolist()[:2] == ["2026-12-31", "2025-12-31"]
    assert out["evidence"].iloc[0] == "ใบรับรองเลขที่ 123"  # Thai intact
    assert set(out["source"]) == {"sheet.xlsx"}
    # The result keeps the layer contract.
    from ecogis import schema

    assert schema.check_frame(out, schema.contract("compliance")) == []


def _one(**cells: str) -> pd.DataFrame:
    row = {"factory_id": "F1", "requirement": "iso14001", "status": "yes", "valid_until": ""}
    row.update(cells)
    return sheet(
        [{"factory_id": "F2", "requirement": "iso14001", "status": "no", "valid_until": ""}, row]
    )


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        ({"factory_id": "F99"}, "factory_id", "not in the workspace"),
        ({"requirement": "iso9001"}, "requirement", "unknown requirement 'iso9001'"),
        ({"valid_until": "soon"}, "valid_until", "'soon' is not a date"),
        ({"status": "maybe"}, "status", "unknown status"),
        ({"requirement": "green_industry", "level": "GI7"}, "level", "not a Green Industry"),
        ({"factory_id": "F2"}, "requirement", "already given on row 2"),
    ],
)
def test_bad_records_name_file_row_and_field(cells: dict[str, str], field: str, words: str) -> None:
    with pytest.raises(DataValidationError) as exc:
        comp.parse_compliance_records(_one(**cells), source="c.csv", known_factory_ids=KNOWN)
    msg = str(exc.value)
    assert f"c.csv row 3 field {field}" in msg
    assert words in msg
    assert " — " in msg  # a fix is offered


def test_missing_columns_are_reported() -> None:
    raw = sheet([{"factory": "F1", "status": "yes"}])
    with pytest.raises(InputFileError, match=r"no factory_id column \(also missing: requirement"):
        comp.parse_compliance_records(raw, source="c.csv", known_factory_ids=None)


def test_row_numbers_follow_read_table_index() -> None:
    raw = _one(factory_id="F99")
    raw.index = pd.Index([2, 5])  # read_table keeps spreadsheet rows; row 3-4 were blank
    with pytest.raises(DataValidationError, match="row 5"):
        comp.parse_compliance_records(raw, source="c.csv", known_factory_ids=KNOWN)


def test_requirement_catalogue_is_data_and_checked(tmp_path: Path) -> None:
    reqs = comp.load_requirements()
    assert set(reqs) >= {
        "factory_licence",
        "waste_report",
        "hazardous_manifest",
        "pollution_staff",
        "env_monitoring",
        "iso14001",
        "iso45001",
        "csr_diw",
        "green_industry",
    }
    own = tmp_path / "reqs.csv"
    from ecogis.resources import catalogue_dir

    text = catalogue_dir().joinpath("requirements.csv").read_text(encoding="utf-8")
    own.write_text(
        text + "tis18001,มอก. 18001,TIS 18001 safety management,safety_management,"
        ",,,yes,no,,,,Thai safety standard\n",
        encoding="utf-8",
    )
    mine = comp.load_requirements(own)
    assert mine["tis18001"].category == "safety_management"
    bad = tmp_path / "bad.csv"
    bad.write_text(text + "x1,x,x,quality,,,,no,no,,,,\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="row 11 field category"):
        comp.load_requirements(bad)


# --------------------------------------------------------------------------- status
def test_status_on_a_date_expires_certificates_and_applies_rules() -> None:
    f = factories()
    from test_compliance_helpers import flows

    st = comp.factory_compliance(
        f,
        compliance_records(),
        requirements=comp.load_requirements(),
        as_of="2025-01-15",
        flows=flows(),
    )
    st = st.set_index("factory_id")
    assert st.loc["F1", "has_environmental_management"]
    assert st.loc["F1", "has_csr"] and st.loc["F1", "has_safety_management"]
    assert st.loc["F1", "legal_missing"] == ""
    # F2's ISO 14001 ran out on 2024-06-30.
    assert not st.loc["F2", "has_environmental_management"]
    assert st.loc["F2", "expired"] == "iso14001"
    # GI3 counts as environmental management; GI is not CSR.
    assert st.loc["F4", "has_environmental_management"] and not st.loc["F4", "has_csr"]
    assert st.loc["F4", "gi_level"] == "GI3"
    assert "factory_licence" in st.loc["F4", "legal_missing"]
    # Class 2 F3 needs no licence; F6 (class 2, no waste) has nothing mandatory.
    assert "factory_licence" not in st.loc["F3", "legal_missing"]
    assert st.loc["F6", "legal_missing"] == ""
    # Manifests only where hazardous waste leaves (F1 only).
    assert "hazardous_manifest" not in st.loc["F2", "legal_missing"]
    # The same record is still valid a year earlier.
    early = comp.factory_compliance(
        f, compliance_records(), requirements=comp.load_requirements(), as_of="2024-01-15"
    ).set_index("factory_id")
    assert early.loc["F2", "has_environmental_management"]
    assert early.index.tolist() == f["factory_id"].tolist()


# --------------------------------------------------------------------------- gap ranking
def test_gap_ranking_uses_hazard_and_neighbours(tmp_path: Path) -> None:
    from test_compliance_helpers import communities, risk_factories

    f = factories()
    st = comp.factory_compliance(
        f, compliance_records(), requirements=comp.load_requirements(), as_of="2025-01-15"
    )
    gaps, notes = comp.rank_gaps(f, st, risk_factories=risk_factories(), communities=communities())
    assert "F1" not in set(gaps["factory_id"])  # fully compliant
    assert gaps["rank"].tolist() == list(range(1, len(gaps) + 1))
    assert gaps.index.isin(f.index).all()  # index preserved
    # F5: high hazard, 300 people and a school near, lacks everything → first.
    assert gaps.iloc[0]["factory_id"] == "F5"
    p = gaps.set_index("factory_id")["priority"]
    # Same gaps, same neighbours (none): higher hazard ranks higher.
    assert p["F7"] > p["F6"]
    assert any("risk results" in n for n in notes)
    # Without risk results: factory class and the communities layer, and it says so.
    gaps2, notes2 = comp.rank_gaps(f, st, communities=communities())
    assert any("factory class" in n for n in notes2)
    assert any("counted here" in n for n in notes2)
    near = gaps2.set_index("factory_id")
    assert near.loc["F5", "people_1km"] == 300  # the school's 300 people, ~480 m away
    # F2: the school ~890 m north (300) and village V1 ~910 m south (1,200).
    assert near.loc["F2", "people_1km"] == 1500
    assert pd.isna(near.loc["F8", "people_1km"])  # unplaced
    # Priority is a weighted sum of parts in 0–1.
    assert gaps2["priority"].between(0, 1).all()


def test_summary_counts_and_shares(tmp_path: Path) -> None:
    f = factories()
    st = comp.factory_compliance(
        f, compliance_records(), requirements=comp.load_requirements(), as_of="2025-01-15"
    )
    gaps, _ = comp.rank_gaps(f, st)
    s = comp.gap_summary(f, st, gaps).set_index(["level", "area_id"])
    z1 = s.loc[("zone", "Z1")]
    assert z1["n_factories"] == 6  # F1-F5 and F8
    assert z1["n_lacks_env"] == 4  # F2 (expired), F3, F5, F8
    assert z1["share_lacks_env"] == pytest.approx(66.7)
    assert s.loc[("zone", "(outside zones)"), "n_factories"] == 1
    assert s.loc[("total", "all"), "n_with_gap"] == 7


# --------------------------------------------------------------------------- CLI
def test_cli_compliance_writes_layer_csv_and_summary(tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.gpkg"
    build(ws_path, with_risk=True)
    out = tmp_path / "gaps.csv"
    res = CliRunner().invoke(
        cli,
        [
            "compliance",
            "-w",
            str(ws_path),
            "--zone",
            "Z1",
            "--date",
            "2025-01-15",
            "--out",
            str(out),
            "--top",
            "3",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "F5" in res.output and "ranking input" in res.output
    csv = pd.read_csv(out, dtype=str)
    assert set(csv["zone_id"]) == {"Z1"}
    assert csv["rank"].tolist() == [str(i) for i in range(1, len(csv) + 1)]
    ws = Workspace.open(ws_path)
    layer = ws.read("compliance_gaps")
    assert len(layer) == 7 and layer.geometry.notna().sum() == 6
    assert ws.has_layer("compliance_gaps_summary")


def test_cli_compliance_bad_zone_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.gpkg"
    build(ws_path)
    before = ws_path.read_bytes()
    res = CliRunner().invoke(cli, ["compliance", "-w", str(ws_path), "--zone", "NOPE"])
    assert res.exit_code == 1
    assert "zone 'NOPE' is not in the workspace" in res.output and "Z1" in res.output
    assert ws_path.read_bytes() == before


def test_cli_compliance_help_has_an_example() -> None:
    res = CliRunner().invoke(cli, ["compliance", "--help"])
    assert res.exit_code == 0 and "Examples:" in res.output and "--province" in res.output
    # how to change the records, from the help alone
    assert "--records" in res.output and "ecogis import compliance" in res.output


def test_compliance_runs_as_a_subprocess(tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.gpkg"
    build(ws_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecogis",
            "compliance",
            "-w",
            str(ws_path),
            "--province",
            "25",
            "--date",
            "2025-01-15",
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
    assert data["as_of"] == "2025-01-15"
    # Without risk results: class 3, lacks everything and the most people near (1,500) → F2.
    assert data["gaps"][0]["factory_id"] == "F2"
    assert any("factory class" in n for n in data["ranking_inputs"])
    assert "โรงงานทดสอบ" in proc.stdout  # Thai printed as is


def test_import_compliance_bad_date_changes_nothing(tmp_path: Path) -> None:
    """Through the importers' verb, which calls parse_compliance_records."""
    ws_path = tmp_path / "ws.gpkg"
    build(ws_path)
    sheet_path = tmp_path / "c.csv"
    sheet_path.write_text(
        "factory_id,requirement,status,valid_until\nF3,iso14001,yes,31/12/2569\n"
        "F5,csr_diw,yes,next year\n",
        encoding="utf-8",
    )
    before = ws_path.read_bytes()
    res = CliRunner().invoke(cli, ["import", "compliance", str(sheet_path), "-w", str(ws_path)])
    assert res.exit_code == 1
    assert "row 3" in res.output and "valid_until" in res.output and "not a date" in res.output
    assert ws_path.read_bytes() == before
    sheet_path.write_text(
        "factory_id,requirement,status,valid_until\nF3,iso14001,yes,31/12/2569\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(cli, ["import", "compliance", str(sheet_path), "-w", str(ws_path)])
    assert res.exit_code == 0, res.output
    rec = Workspace.open(ws_path).read("compliance").set_index(["factory_id", "requirement"])
    assert rec.loc[("F3", "iso14001"), "valid_until"] == "2026-12-31"


def test_gap_list_on_a_bare_workspace(tmp_path: Path) -> None:
    """Only factories and compliance: no zones, communities or risk results."""
    ws = Workspace.create(tmp_path / "ws.gpkg")
    with ws.batch():
        ws.write("factories", factories())
        ws.write("compliance", compliance_records())
    from ecogis.tasks.compliance import run_assessment, run_compliance

    res = run_compliance(ws, as_of="2025-01-15", province="25")
    assert len(res.gaps) == 7
    assert any("not available" in n for n in res.notes)
    out = run_assessment(
        ws, area_id="25", area_kind="province", round_name="baseline", as_of="2025-01-15"
    )
    rows = out.rows.set_index("indicator_id")
    assert pd.isna(rows.loc["PHY02", "value"]) and "zone" in rows.loc["PHY02", "note"]
    assert (
        pd.isna(rows.loc["ENV01", "value"]) and "ecogis import flows" in rows.loc["ENV01", "note"]
    )
    assert rows.loc["MGT02", "value"] == pytest.approx(25.0)  # F1, F4 of 8
