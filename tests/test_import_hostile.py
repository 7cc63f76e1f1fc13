"""Hostile and careless input to the importers (issue 14, items 4–8): impossible numbers,
spreadsheets as people make them, one factory written many ways, formulas in CSVs for Excel,
and names of private persons. Each failure is one line naming file, row and field, and the
workspace is left exactly as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis import schema
from ecogis.cli import cli
from ecogis.importers import parse_file
from ecogis.tasks.imports import import_file
from ecogis.workspace import Workspace

API_HEADER = ["DISPFACREG", "FNAME", "FACTYPE", "TOTAL_WORKER", "HP", "TOTAL_CAP", "FPROVNAME"]


def api_csv(path: Path, rows: list[list[str]], header: list[str] = API_HEADER) -> Path:
    """A DIW API CSV (UTF-8 with BOM), every cell as text."""
    pd.DataFrame(rows, columns=header, dtype="string").to_csv(
        path, index=False, encoding="utf-8-sig"
    )
    return path


def factory(reg: str = "3-9(6)-1/50ปจ", **cells: str) -> list[str]:
    row = {
        "DISPFACREG": reg, "FNAME": "บริษัท ตัวอย่าง จำกัด", "FACTYPE": "3", "TOTAL_WORKER": "20",
        "HP": "150", "TOTAL_CAP": "1,000,000", "FPROVNAME": "ปราจีนบุรี",
    }  # fmt: skip
    row.update(cells)
    return [row[c] for c in API_HEADER]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace with two factories (F-1 and F-2 as registration numbers)."""
    path = tmp_path / "ws.gpkg"
    import_file(
        path,
        "factories",
        api_csv(tmp_path / "seed.csv", [factory("3-9(6)-1/50ปจ"), factory("3-105-2/60ปจ")]),
    )
    return path


def cli_fails(ws: Path, kind: str, path: Path, *extra: str) -> str:
    """Run ``ecogis import`` as a person would; it must fail with one line, nothing changed."""
    before = digest(ws)
    result = CliRunner().invoke(cli, ["import", kind, str(path), "-w", str(ws), *extra])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert digest(ws) == before, "the workspace changed"
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, result.output
    return lines[0]


# ---------------------------------------------------------------------------- 14.4 numbers


@pytest.mark.parametrize("column", ["TOTAL_WORKER", "HP", "TOTAL_CAP"])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity", "1e30", "1e400"])
def test_impossible_registry_numbers_are_refused_with_row_and_field(
    column: str, value: str, tmp_path: Path, ws: Path
) -> None:
    path = api_csv(tmp_path / "bad.csv", [factory(), factory("3-105-2/60ปจ", **{column: value})])
    msg = cli_fails(ws, "factories", path)
    assert f"bad.csv row 3 field {column}: {value!r}" in msg
    assert "finite" in msg or "more than any real value" in msg or "negative" in msg


def test_the_largest_worker_count_is_the_contracts(tmp_path: Path, ws: Path) -> None:
    spec = schema.contract("factories").field("workers")
    assert spec.max is not None and spec.max >= 100_000  # a data value, in layers/factories.toml
    ok = api_csv(tmp_path / "ok.csv", [factory(TOTAL_WORKER=f"{spec.max:.0f}")])
    assert parse_file("factories", ok).frame["workers"].iloc[0] == spec.max
    over = api_csv(tmp_path / "over.csv", [factory(TOTAL_WORKER=f"{spec.max + 1:.0f}")])
    msg = cli_fails(ws, "factories", over)
    assert f"at most {spec.max:,g}" in msg and "over.csv row 2 field TOTAL_WORKER" in msg


@pytest.mark.parametrize("field", ["workers", "horsepower", "capital_thb"])
def test_factory_numbers_have_a_maximum_in_the_contract(field: str) -> None:
    assert schema.contract("factories").field(field).max is not None
    assert schema.contract("material_flows").field("quantity").max is not None


def test_gis_export_parts_summing_past_the_maximum(tmp_path: Path, ws: Path) -> None:
    header = ["เลขทะเบียน", "ประเภท", "ชื่อโรงงาน", "ช่างฝีมือช", "คนงานชาย", "จังหวัด"]
    path = api_csv(
        tmp_path / "gis.csv",
        [["3-9(6)-7/50ปจ", "00906", "โรงสี", "300000", "300000", "ปราจีนบุรี"]],
        header=header,
    )
    msg = cli_fails(ws, "factories", path)
    assert "gis.csv row 2 field ช่างฝีมือช + คนงานชาย: the sum 600,000" in msg
    assert "more than any real value of workers" in msg


def test_a_mapped_unit_is_checked_after_conversion(tmp_path: Path, ws: Path) -> None:
    path = tmp_path / "factories.csv"
    path.write_text(
        "factory_id,name_th,lat,lon,cap_m\n3-9(6)-9/50ปจ,โรงสี,13.9,101.5,50000000\n",
        encoding="utf-8",
    )
    msg = cli_fails(ws, "factories", path, "--map", "cap_m=capital_thb[ล้านบาท]")
    assert "factories.csv row 2 field capital_thb: '50000000' [ล้านบาท] is more than" in msg


@pytest.mark.parametrize(
    ("quantity", "unit", "words"),
    [
        ("inf", "t/yr", "'inf' is not a finite number"),
        ("-inf", "t/yr", "'-inf' is not a finite number"),
        ("nan", "m3/yr", "'nan' is not a finite number"),
        ("1e30", "t/yr", "more than any real flow"),
        ("1e9", "ตัน/วัน", "more than any real flow"),  # 3.65e11 t/yr once converted
    ],
)
def test_impossible_flow_quantities(
    quantity: str, unit: str, words: str, tmp_path: Path, ws: Path
) -> None:
    path = tmp_path / "flows.csv"
    path.write_text(
        "factory_id,direction,flow_kind,material,quantity,unit\n"
        "3-9(6)-1/50ปจ,in,water,water,10,m3/yr\n"
        f"3-9(6)-1/50ปจ,out,waste,sludge,{quantity},{unit}\n",
        encoding="utf-8",
    )
    msg = cli_fails(ws, "flows", path)
    assert "flows.csv row 3 field quantity:" in msg and words in msg


def test_an_impossible_budget(tmp_path: Path, ws: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "จังหวัด,ยุทธศาสตร์,โครงการ,ตัวชี้วัด,เป้าหมาย,งบประมาณ,หน่วยงาน,ระยะเวลา,สถานะ\n"
        "25,s,p,i,t,1e30,a,2569,วางแผน\n",
        encoding="utf-8",
    )
    msg = cli_fails(ws, "actionplan", path)
    assert "plan.csv row 2 field งบประมาณ: '1e30' is more than any real value of budget" in msg


def test_impossible_population_in_a_communities_table(tmp_path: Path, ws: Path) -> None:
    path = tmp_path / "villages.csv"
    path.write_text(
        "community_id,name_th,kind,population,lat,lon\nV1,บ้านตัวอย่าง,village,1e30,13.9,101.5\n",
        encoding="utf-8",
    )
    msg = cli_fails(ws, "communities", path)
    assert "villages.csv row 2 field population: '1e30' is more than any real value" in msg
    assert Workspace.open(ws).read_if_present("communities") is None
