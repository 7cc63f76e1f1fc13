"""Action-plan parsing and province reports (content checked by parsing the HTML)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis import schema
from ecogis.actionplan import demo_action_plan, parse_action_plan
from ecogis.cli import cli
from ecogis.errors import DataValidationError, InputFileError
from ecogis.report import build_report
from ecogis.webmap import province, target_provinces
from ecogis.workspace import Workspace

EVIL = "</script><script>alert(1)</script>${x}\"'"


def _plan(**overrides: list[str]) -> pd.DataFrame:
    data = {
        "Province": ["25", "25", ""],
        "Strategy": ["Green buffers", "Waste exchange", ""],
        "Project": ["Plant a buffer", "Ash to cement", ""],
        "Indicator": ["Green share", "Tonnes reused", ""],
        "Target": ["10%", "5,000 t/yr", ""],
        "Budget": ["1,500,000", "2.5 ล้าน", ""],
        "Responsible agency": ["Provincial industry office", "DIW", ""],
        "Timeline": ["2568-2570", "2025", ""],
        "Status": ["กำลังดำเนินการ", "", ""],
        "Latitude": ["14.05", "", ""],
        "Longitude": ["101.6", "", ""],
    }
    data.update(overrides)
    return pd.DataFrame(data, dtype="string")


def test_parse_english_headers_and_normalise_values() -> None:
    raw = _plan()
    before = raw.copy()
    plan = parse_action_plan(raw, source="plan.csv", known_factory_ids=None)
    assert len(plan) == 2  # the blank spreadsheet line is skipped
    assert list(plan["action_id"]) == ["R2", "R3"]
    assert list(plan["budget_thb"]) == [1_500_000.0, 2_500_000.0]
    assert list(plan["status"]) == ["in_progress", "planned"]
    assert list(plan["start_year"]) == [2025, 2025] and list(plan["end_year"]) == [2027, 2025]
    assert plan.geometry.iloc[0].x == pytest.approx(101.6) and plan.geometry.iloc[1] is None
    assert schema.check_frame(plan, schema.contract("action_plans")) == []
    pd.testing.assert_frame_equal(raw, before)


def test_parse_thai_headers_demo_plan() -> None:
    plan = parse_action_plan(demo_action_plan("21"), source="แผน.xlsx", known_factory_ids=None)
    assert len(plan) == 8 and set(plan["pro_code"]) == {"21"}
    assert plan["project"].str.contains("ตัวอย่าง").all()
    assert set(plan["status"]) <= {"planned", "in_progress", "done", "delayed", "cancelled"}


def test_missing_column_names_file_and_column() -> None:
    raw = _plan().drop(columns=["Responsible agency"])
    with pytest.raises(InputFileError) as err:
        parse_action_plan(raw, source="plan_rayong.xlsx", known_factory_ids=None)
    msg = str(err.value)
    assert "plan_rayong.xlsx" in msg and "field agency" in msg and "หน่วยงานรับผิดชอบ" in msg


@pytest.mark.parametrize(
    ("column", "value", "field", "needle"),
    [
        ("Budget", "a lot", "Budget", "not an amount of baht"),
        ("Status", "maybe", "Status", "status 'maybe' is not known"),
        ("Province", "Atlantis", "Province", "not a Thai province code"),
        ("Latitude", "101.6", "Latitude", "look swapped"),
        ("Strategy", "", "Strategy", "strategy is empty"),
    ],
)
def test_bad_value_names_file_row_and_field(
    column: str, value: str, field: str, needle: str
) -> None:
    raw = _plan()
    raw.loc[1, column] = value
    if column == "Latitude":
        raw.loc[1, "Longitude"] = "14.05"
    with pytest.raises(DataValidationError) as err:
        parse_action_plan(raw, source="plan.csv", known_factory_ids=None)
    msg = str(err.value)
    assert msg.startswith(f"plan.csv row 3 field {field}: ")
    assert needle in msg


def test_unknown_factory_and_duplicate_id() -> None:
    raw = _plan()
    raw["Factory_ID"] = pd.array(["3-1-1/60ปจ", "", ""], dtype="string")
    with pytest.raises(
        DataValidationError,
        match="row 2 field Factory_ID: factory '3-1-1/60ปจ' is not in the workspace",
    ):
        parse_action_plan(raw, source="plan.csv", known_factory_ids={"other"})
    raw = _plan()
    raw["ID"] = pd.array(["A1", "A1", ""], dtype="string")
    with pytest.raises(DataValidationError, match=r"row 3 field ID: .*first on row 2"):
        parse_action_plan(raw, source="plan.csv", known_factory_ids=None)


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from ecogis.tasks.demo import run_demo
    from ecogis.tasks.reports import ensure_action_plan

    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder / "demo.gpkg", folder / "out", steps=("risk", "compliance"))
    ws = Workspace.open(folder / "demo.gpkg")
    ensure_action_plan(ws, "25")
    return ws


class _Doc(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.current: str | None = None
        self.iframes: list[dict[str, str | None]] = []
        self.svgs = 0
        self.tags: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "section":
            self.current = a.get("id")
            self.sections[str(self.current)] = []
        if tag == "iframe":
            self.iframes.append(a)
        if tag == "svg":
            self.svgs += 1

    def handle_data(self, data: str) -> None:
        if self.current is not None and data.strip():
            self.sections[self.current].append(data.strip())


def _read(path: Path) -> _Doc:
    doc = _Doc()
    doc.feed(path.read_text(encoding="utf-8"))
    return doc


def test_report_of_demo_province(
    demo_ws: Workspace, tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    from ecogis.tasks.reports import make_report

    summary = make_report(demo_ws, tmp_path / "r.html", province_code="25")
    assert summary.has_data
    doc = _read(summary.path)
    for key in (
        "key-figures",
        "map",
        "action_plan",
        "risk",
        "siting",
        "symbiosis",
        "compliance",
        "indicators",
    ):
        assert key in doc.sections, key
    plan_text = " ".join(doc.sections["action_plan"])
    assert "ระบบเตือนภัยและแผนฉุกเฉินสารเคมีสำหรับชุมชน" in plan_text
    assert "ล่าช้า" in plan_text  # status shown with its Thai label
    assert "บ้าน" in " ".join(doc.sections["risk"])
    assert "ก่อนดำเนินการ" in " ".join(doc.sections["indicators"])
    assert doc.svgs >= 4
    # The embedded map is a whole page in srcdoc, with its layers in the JSON document.
    srcdoc = doc.iframes[0]["srcdoc"] or ""
    _, data = parse_page(srcdoc)
    assert "action_plans" in [layer["id"] for layer in data["layers"]]


def test_report_in_english_and_escaped(demo_ws: Workspace, tmp_path: Path) -> None:
    frames = {
        "action_plans": parse_action_plan(
            _plan(Project=[EVIL, "Ash", ""]), source="p.csv", known_factory_ids=None
        )
    }
    html, report = build_report(frames, province("25"), lang="en")
    assert report.has_data
    assert "<script>alert(1)" not in html
    path = tmp_path / "e.html"
    path.write_text(html, encoding="utf-8")
    doc = _read(path)
    assert doc.tags.get("script", 0) == 0
    assert EVIL in " ".join(doc.sections["action_plan"])
    assert "No Proximity risk of receptors in this workspace yet." in " ".join(doc.sections["risk"])


def test_province_without_data_says_so(demo_ws: Workspace, tmp_path: Path) -> None:
    from ecogis.tasks.reports import make_report

    summary = make_report(demo_ws, tmp_path / "r90.html", province_code="90")
    assert not summary.has_data
    doc = _read(summary.path)
    assert "ไม่มีข้อมูลของจังหวัดนี้ในพื้นที่ทำงาน" in " ".join(doc.sections["no-data"])
    assert not doc.iframes


def test_report_all_writes_fifteen_and_index(demo_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "all"
    res = CliRunner().invoke(
        cli, ["report", "-w", str(demo_ws.path), "--all", "--out-dir", str(out), "--json"]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    codes = [r["province"] for r in summary["reports"]]
    assert codes == [p.pro_code for p in target_provinces()] and len(codes) == 15
    assert [r["province"] for r in summary["reports"] if r["has_data"]] == ["25"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for p in target_provinces():
        assert f'href="report_{p.pro_code}.html"' in index
        assert (out / f"report_{p.pro_code}.html").is_file()


def test_report_bad_input(demo_ws: Workspace, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        ["report", "-w", str(demo_ws.path), "--province", "99", "--out", str(tmp_path / "x.html")],
    )
    assert res.exit_code == 1 and "not a Thai province code" in res.stderr
    res = CliRunner().invoke(
        cli, ["report", "-w", str(demo_ws.path), "--out", str(tmp_path / "x.html")]
    )
    assert res.exit_code == 2


def test_report_as_subprocess(demo_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = ["report", "-w", str(demo_ws.path), "-p", "25", "--lang", "en", "-o", str(out)]
    proc = subprocess.run(
        [sys.executable, "-m", "ecogis", *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    doc = _read(out)
    assert "Delayed" in " ".join(doc.sections["action_plan"])
    assert "<h1>Prachin Buri province" in out.read_text(encoding="utf-8")


def test_report_all_on_real_boundaries_and_registry(
    provinces_geojson: Path,
    diw_raw_geojson: Path,
    tmp_path: Path,
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    """The 15 reports from the real province boundaries and the Prachin Buri registry."""
    ws = tmp_path / "real.gpkg"
    for kind, path in (("provinces", provinces_geojson), ("factories", diw_raw_geojson)):
        res = CliRunner().invoke(cli, ["import", kind, str(path), "-w", str(ws)])
        assert res.exit_code == 0, res.output
    out = tmp_path / "reports"
    res = CliRunner().invoke(
        cli, ["report", "-w", str(ws), "--all", "--out-dir", str(out), "--lang", "en", "--json"]
    )
    assert res.exit_code == 0, res.output
    reports = {r["province"]: r for r in json.loads(res.stdout)["reports"]}
    assert len(reports) == 15 and reports["25"]["has_data"]
    assert not reports["90"]["has_data"]
    doc = _read(out / "report_25.html")
    figures = " ".join(doc.sections["key-figures"])
    assert "632" in figures  # every factory of the registry extract lies in Prachin Buri
    _, data = parse_page(doc.iframes[0]["srcdoc"] or "")
    layers = {layer["id"]: layer for layer in data["layers"]}
    assert layers["provinces"]["count"] == 1
    assert layers["factories_compliance"]["count"] > 300  # placed factories only
    assert "This workspace has no data for this province." in " ".join(
        _read(out / "report_90.html").sections["no-data"]
    )


def test_symbiosis_section_reads_links_by_factory_and_material_name() -> None:
    from ecogis.report.sections import symbiosis_section

    factories = pd.DataFrame(
        {
            "factory_id": ["F1", "F2"],
            "name_th": ["โรงไฟฟ้าทดสอบ", "โรงปูนทดสอบ"],
            "name_en": ["Test power plant", "Test cement plant"],
        }
    )
    links = pd.DataFrame(
        {
            "link_id": ["L1"],
            "provider_id": ["F1"],
            "receiver_id": ["F2"],
            "material": ["fly_ash"],
            "tonnes": [1200.0],
            "distance_km": [4.2],
            "use_th": ["ทดแทนปูนซีเมนต์"],
            "use_en": ["cement replacement"],
            "grade": ["A"],
        }
    )
    th = symbiosis_section(links, "symbiosis_links", lang="th", factories=factories)
    table = th.tables[0]
    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert row["ผู้ให้ → ผู้รับ"] == "โรงไฟฟ้าทดสอบ → โรงปูนทดสอบ"
    assert row["วัสดุ"] == "เถ้าลอย" and row["การใช้ประโยชน์"] == "ทดแทนปูนซีเมนต์"
    en = symbiosis_section(links, "symbiosis_links", lang="en", factories=factories)
    row = dict(zip(en.tables[0].columns, en.tables[0].rows[0], strict=True))
    assert row["Provider → receiver"] == "Test power plant → Test cement plant"
    assert row["Material"] == "Fly ash" and row["Use"] == "cement replacement"


def test_action_plan_columns_come_from_the_layer_contract() -> None:
    """Issue 13.1: the table's columns are the contract's fields (not an importer's list)."""
    from ecogis import schema
    from ecogis.actionplan import parse_action_plan
    from ecogis.report.sections import action_plan_section, plan_columns

    plan = parse_action_plan(_plan(), source="plan.csv", known_factory_ids=None)
    contract = schema.contract("action_plans")
    columns = plan_columns(plan)
    # Contract order; no key (the report is of one province), no provenance, no blank field.
    order = contract.field_names
    assert columns == sorted(columns, key=order.index)
    assert "action_id" not in columns and "pro_code" not in columns and "source" not in columns
    assert {"strategy", "project", "budget_thb", "status"} <= set(columns)
    assert not [f for f in columns if plan[f].isna().all()]
    section = action_plan_section(plan, lang="th")
    labels = contract.labels("th")
    assert section.tables[0].columns == [labels[f] for f in columns]
