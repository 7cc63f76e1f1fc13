"""Table kinds (compliance, actionplan, flows) dispatched through the importer registry."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.errors import InputFileError
from ecogis.importers import IMPORT_KINDS, TABLE_PARSERS, load_parser
from ecogis.tasks.imports import import_file
from ecogis.workspace import Workspace


@pytest.fixture
def ws(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> Path:
    path = tmp_path / "ws.gpkg"
    import_file(path, "factories", write_api_csv(api_rows(6), tmp_path / "factories.csv"))
    return path


def _ids(api_rows: Callable[..., pd.DataFrame]) -> list[str]:
    return list(api_rows(6)["DISPFACREG"])


def test_registry_names_every_kind() -> None:
    assert set(IMPORT_KINDS) == {
        "factories", "provinces", "districts", "zones", "communities", "roads", "water",
        "flows", "compliance", "actionplan", "activities",
    }  # fmt: skip
    assert TABLE_PARSERS["flows"] == "ecogis.importers.flows:parse_flow_form"
    assert IMPORT_KINDS["actionplan"].layer == "action_plans"


def test_missing_parser_module_is_a_clear_error() -> None:
    with pytest.raises(InputFileError, match="no parser for this kind"):
        load_parser("ecogis.not_a_module_here:parse")


def test_compliance_end_to_end(
    ws: Path, tmp_path: Path, api_rows: Callable[..., pd.DataFrame]
) -> None:
    ids = _ids(api_rows)
    table = pd.DataFrame(
        {
            "factory_id": [f'="{ids[0]}"', ids[1], ids[2]],
            "requirement": ["factory_licence", "iso14001", "csr_diw"],
            "status": ["yes", "no", "yes"],
            "valid_until": ["2027-12-31", "", ""],
        }
    )
    path = tmp_path / "compliance.csv"
    table.to_csv(path, index=False, encoding="utf-8-sig")
    s = import_file(ws, "compliance", path)
    assert (s.layer, s.added) == ("compliance", 3)
    again = import_file(ws, "compliance", path)
    assert (again.added, again.unchanged) == (0, 3)
    c = Workspace.open(ws).read("compliance")
    assert len(c) == 3 and set(c["factory_id"]) == set(ids[:3])


def test_compliance_bad_row_leaves_workspace(
    ws: Path,
    tmp_path: Path,
    file_digest: Callable[[Path], str],
    api_rows: Callable[..., pd.DataFrame],
) -> None:
    table = pd.DataFrame(
        {
            "factory_id": [_ids(api_rows)[0], "9-99-9/99XX"],
            "requirement": ["iso14001"] * 2,
            "status": ["yes"] * 2,
        }
    )
    path = tmp_path / "compliance.csv"
    table.to_csv(path, index=False)
    before = file_digest(ws)
    result = CliRunner().invoke(cli, ["import", "compliance", str(path), "-w", str(ws)])
    assert result.exit_code == 1 and "row 3" in result.output
    assert file_digest(ws) == before


def test_actionplan_end_to_end(ws: Path, tmp_path: Path) -> None:
    pytest.importorskip("ecogis.actionplan")
    table = pd.DataFrame(
        {
            "จังหวัด": ["25", "25"],
            "ยุทธศาสตร์": ["ลดของเสีย", "ความปลอดภัยของชุมชน"],
            "โครงการ": ["ศูนย์แลกเปลี่ยนกากอุตสาหกรรม", "ระบบเตือนภัยสารเคมี"],
            "ตัวชี้วัด": ["ตันที่แลกเปลี่ยน", "จำนวนชุมชนที่มีแผนฉุกเฉิน"],
            "เป้าหมาย": ["2,000 ตัน/ปี", "12 ชุมชน"],
            "งบประมาณ (บาท)": ["1,500,000", "800,000"],
            "หน่วยงานรับผิดชอบ": ["สำนักงานอุตสาหกรรมจังหวัด", "ปภ. จังหวัด"],
            "ระยะเวลา": ["2569-2570", "2569"],
            "สถานะ": ["วางแผน", "กำลังดำเนินการ"],
        }
    )
    path = tmp_path / "plan.xlsx"
    table.to_excel(path, index=False)
    s = import_file(ws, "actionplan", path)
    assert s.layer == "action_plans" and s.added == 2
    assert len(Workspace.open(ws).read("action_plans")) == 2
    again = import_file(ws, "actionplan", path)
    assert again.added == 0


@pytest.mark.skipif(
    importlib.util.find_spec("ecogis.flows") is None, reason="ecogis.flows is not in this tree yet"
)
def test_flows_end_to_end(
    ws: Path,
    tmp_path: Path,
    file_digest: Callable[[Path], str],
    api_rows: Callable[..., pd.DataFrame],
) -> None:
    ids = _ids(api_rows)
    table = pd.DataFrame(
        {
            "factory_id": [ids[0], ids[0], ids[1]],
            "flow_id": ["in-1", "out-1", "out-1"],
            "direction": ["in", "out", "out"],
            "flow_kind": ["raw_material", "waste", "waste"],
            "material": ["มันสำปะหลังสด", "กากมันสำปะหลัง", "เศษพลาสติก"],
            "waste_code": ["", "020304", "070213"],
            "quantity": ["120", "35", "2.5"],
            "unit": ["ตัน/วัน", "ตัน/เดือน", "t/yr"],
            "year": ["2024", "2024", "2024"],
        }
    )
    path = tmp_path / "flows.csv"
    table.to_csv(path, index=False, encoding="utf-8-sig")
    s = import_file(ws, "flows", path)
    assert s.layer == "material_flows" and s.added == 3
    flows = Workspace.open(ws).read("material_flows")
    assert set(flows["unit"]) <= {"t/yr", "m3/yr", "MWh/yr"}
    bad = table.assign(unit=["ตัน/วัน", "furlongs", "t/yr"])
    bad.to_csv(path, index=False, encoding="utf-8-sig")
    before = file_digest(ws)
    result = CliRunner().invoke(cli, ["import", "flows", str(path), "-w", str(ws)])
    assert result.exit_code == 1 and "furlongs" in result.output
    assert file_digest(ws) == before
