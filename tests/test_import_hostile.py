"""Hostile and careless input to the importers (issue 14, items 4–8): impossible numbers,
spreadsheets as people make them, one factory written many ways, formulas in CSVs for Excel,
and names of private persons. Each failure is one line naming file, row and field, and the
workspace is left exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
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


# ---------------------------------------------------------------------------- 14.4 numbers


@pytest.mark.parametrize("column", ["TOTAL_WORKER", "HP", "TOTAL_CAP"])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity", "1e30", "1e400"])
def test_impossible_registry_numbers_are_refused_with_row_and_field(
    column: str, value: str, tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = api_csv(tmp_path / "bad.csv", [factory(), factory("3-105-2/60ปจ", **{column: value})])
    msg = cli_import_fails(ws, "factories", path)
    assert f"bad.csv row 3 field {column}: {value!r}" in msg
    assert "finite" in msg or "more than any real value" in msg or "negative" in msg


def test_the_largest_worker_count_is_the_contracts(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    spec = schema.contract("factories").field("workers")
    assert spec.max is not None and spec.max >= 100_000  # a data value, in layers/factories.toml
    ok = api_csv(tmp_path / "ok.csv", [factory(TOTAL_WORKER=f"{spec.max:.0f}")])
    assert parse_file("factories", ok).frame["workers"].iloc[0] == spec.max
    over = api_csv(tmp_path / "over.csv", [factory(TOTAL_WORKER=f"{spec.max + 1:.0f}")])
    msg = cli_import_fails(ws, "factories", over)
    assert f"at most {spec.max:,g}" in msg and "over.csv row 2 field TOTAL_WORKER" in msg


@pytest.mark.parametrize("field", ["workers", "horsepower", "capital_thb"])
def test_factory_numbers_have_a_maximum_in_the_contract(field: str) -> None:
    assert schema.contract("factories").field(field).max is not None
    assert schema.contract("material_flows").field("quantity").max is not None


def test_gis_export_parts_summing_past_the_maximum(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    header = ["เลขทะเบียน", "ประเภท", "ชื่อโรงงาน", "ช่างฝีมือช", "คนงานชาย", "จังหวัด"]
    path = api_csv(
        tmp_path / "gis.csv",
        [["3-9(6)-7/50ปจ", "00906", "โรงสี", "300000", "300000", "ปราจีนบุรี"]],
        header=header,
    )
    msg = cli_import_fails(ws, "factories", path)
    assert "gis.csv row 2 field ช่างฝีมือช + คนงานชาย: the sum 600,000" in msg
    assert "more than any real value of workers" in msg


def test_a_mapped_unit_is_checked_after_conversion(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = tmp_path / "factories.csv"
    path.write_text(
        "factory_id,name_th,lat,lon,cap_m\n3-9(6)-9/50ปจ,โรงสี,13.9,101.5,50000000\n",
        encoding="utf-8",
    )
    msg = cli_import_fails(ws, "factories", path, "--map", "cap_m=capital_thb[ล้านบาท]")
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
    quantity: str,
    unit: str,
    words: str,
    tmp_path: Path,
    ws: Path,
    cli_import_fails: Callable[..., str],
) -> None:
    path = tmp_path / "flows.csv"
    path.write_text(
        "factory_id,direction,flow_kind,material,quantity,unit\n"
        "3-9(6)-1/50ปจ,in,water,water,10,m3/yr\n"
        f"3-9(6)-1/50ปจ,out,waste,sludge,{quantity},{unit}\n",
        encoding="utf-8",
    )
    msg = cli_import_fails(ws, "flows", path)
    assert "flows.csv row 3 field quantity:" in msg and words in msg


def test_an_impossible_budget(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "จังหวัด,ยุทธศาสตร์,โครงการ,ตัวชี้วัด,เป้าหมาย,งบประมาณ,หน่วยงาน,ระยะเวลา,สถานะ\n"
        "25,s,p,i,t,1e30,a,2569,วางแผน\n",
        encoding="utf-8",
    )
    msg = cli_import_fails(ws, "actionplan", path)
    assert "plan.csv row 2 field งบประมาณ: '1e30' is more than any real value of budget" in msg


def test_impossible_population_in_a_communities_table(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = tmp_path / "villages.csv"
    path.write_text(
        "community_id,name_th,kind,population,lat,lon\nV1,บ้านตัวอย่าง,village,1e30,13.9,101.5\n",
        encoding="utf-8",
    )
    msg = cli_import_fails(ws, "communities", path)
    assert "villages.csv row 2 field population: '1e30' is more than any real value" in msg
    assert Workspace.open(ws).read_if_present("communities") is None


# ---------------------------------------------------------------------------- 14.5 spreadsheets

FLOW_HEADER = ["factory_id", "direction", "flow_kind", "material", "waste_code", "quantity", "unit"]


def workbook(path: Path, rows: list[list[object]], *, merge: tuple[str, ...] = ()) -> Path:
    """An .xlsx as a person makes it (openpyxl writes formulas without saved values)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "sheet1"
    for row in rows:
        sheet.append(row)
    for ref in merge:
        sheet.merge_cells(ref)
    book.save(path)
    return path


def saved_by_excel(path: Path, cell: str, value: str, *, error: bool = False) -> Path:
    """Give a formula cell the saved value Excel would have written with it."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    kind = ' t="e"' if error else ""
    xml, n = re.subn(
        rf'<c r="{cell}"><f>([^<]*)</f><v\s*/>',
        rf'<c r="{cell}"{kind}><f>\1</f><v>{value}</v>',
        xml,
    )
    assert n == 1
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_cells_merged_down_take_the_merged_value(tmp_path: Path, ws: Path) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [
            FLOW_HEADER,
            ["3-9(6)-1/50ปจ", "in", "water", "water", None, 100, "m3/yr"],
            [None, "out", "waste", "sludge", "190805", 10, "t/yr"],
            [None, "out", "product", "rice", None, 50, "t/yr"],
        ],
        merge=("A2:A4",),
    )
    s = import_file(ws, "flows", path)
    assert s.added == 3
    flows = Workspace.open(ws).read("material_flows")
    assert set(flows["factory_id"]) == {"3-9(6)-1/50ปจ"}
    assert any("merged cells filled down" in n and "sheet1!A2:A4" in n for n in s.notes)


def test_cells_merged_across_columns_in_a_data_row_are_refused(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [
            FLOW_HEADER,
            ["3-9(6)-1/50ปจ", "in", "water", "water", None, 100, "m3/yr"],
            ["3-9(6)-1/50ปจ", "out", "waste sludge", None, "190805", 10, "t/yr"],
        ],
        merge=("C3:D3",),
    )
    msg = cli_import_fails(ws, "flows", path)
    assert "form.xlsx row 3 field flow_kind: cells sheet1!C3:D3 are merged across" in msg
    assert "flow_kind, material" in msg and "unmerge" in msg


def test_a_title_merged_across_the_sheet_is_a_title(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [
            ["แบบบันทึกสมดุลมวล โรงงานตัวอย่าง", *[None] * 6],
            FLOW_HEADER,
            ["3-9(6)-1/50ปจ", "in", "water", "water", None, 100, "m3/yr"],
            ["3-9(6)-1/50ปจ", "in", "water", "water", None, 100, "m3/yr"],
            ["3-9(6)-1/50ปจ", "out", "waste", "sludge", None, "12 ตัน", "t/yr"],
        ],
        merge=("A1:G1",),
    )
    msg = cli_import_fails(ws, "flows", path)
    assert msg.startswith(f"error: {path} row 5 field quantity: '12 ตัน' is not a number")


def test_action_plan_rows_below_a_merged_title_keep_their_numbers(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    header = ["จังหวัด", "ยุทธศาสตร์", "โครงการ", "ตัวชี้วัด", "เป้าหมาย", "งบประมาณ (บาท)",
              "หน่วยงานรับผิดชอบ", "ระยะเวลา", "สถานะ"]  # fmt: skip
    path = workbook(
        tmp_path / "plan.xlsx",
        [
            ["แผนปฏิบัติการ จังหวัดปราจีนบุรี", *[None] * 8],
            header,
            ["25", "s", "p", "i", "t", "100", "a", "2568", "วางแผน"],
            ["25", "s", "p2", "i", "t", "มาก", "a", "2568", "วางแผน"],
        ],
        merge=("A1:I1",),
    )
    msg = cli_import_fails(ws, "actionplan", path)
    assert "plan.xlsx row 4 field งบประมาณ (บาท): 'มาก' is not an amount of baht" in msg


def test_compliance_rows_below_a_title_keep_their_numbers(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = workbook(
        tmp_path / "records.xlsx",
        [
            ["บันทึกการปฏิบัติตามกฎหมาย", None, None],
            [None, None, None],
            ["factory_id", "requirement", "status"],
            ["3-9(6)-1/50ปจ", "iso14001", "มี"],
            [None, None, None],
            ["3-105-2/60ปจ", "iso14001", "บางที"],
        ],
        merge=("A1:C1",),
    )
    msg = cli_import_fails(ws, "compliance", path)
    assert "records.xlsx row 6 field status: unknown status 'บางที'" in msg


def test_a_sheet_that_starts_below_and_right_of_a1(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [
            [],
            [],
            [None, *FLOW_HEADER],
            [None, "3-9(6)-1/50ปจ", "in", "water", "water", None, "ten", "m3/yr"],
        ],
    )
    msg = cli_import_fails(ws, "flows", path)
    assert "form.xlsx row 4 field quantity: 'ten' is not a number" in msg


def test_a_formula_without_a_saved_value_is_refused_with_its_cell(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [FLOW_HEADER, ["3-9(6)-1/50ปจ", "in", "water", "water", None, "=10*10", "m3/yr"]],
    )
    msg = cli_import_fails(ws, "flows", path)
    assert "form.xlsx row 2 field quantity: cell sheet1!F2 holds the formula '=10*10'" in msg
    assert "no saved value" in msg and "save it again" in msg


def test_a_formula_in_an_optional_text_column_is_never_stored_blank(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = workbook(
        tmp_path / "records.xlsx",
        [
            ["factory_id", "requirement", "status", "evidence"],
            ["3-9(6)-1/50ปจ", "iso14001", "มี", '=CONCATENATE("ใบรับรอง ", "123")'],
        ],
    )
    msg = cli_import_fails(ws, "compliance", path)
    assert "records.xlsx row 2 field evidence: cell sheet1!D2 holds the formula" in msg


def test_a_formula_with_its_saved_value_is_read_and_an_error_value_refused(
    tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    rows: list[list[object]] = [
        FLOW_HEADER,
        ["3-9(6)-1/50ปจ", "in", "water", "water", None, "=10*10", "m3/yr"],
    ]
    good = saved_by_excel(workbook(tmp_path / "good.xlsx", rows), "F2", "100")
    assert import_file(ws, "flows", good).added == 1
    assert Workspace.open(ws).read("material_flows")["quantity"].iloc[0] == 100
    bad = saved_by_excel(workbook(tmp_path / "bad.xlsx", rows), "F2", "#DIV/0!", error=True)
    msg = cli_import_fails(ws, "flows", bad)
    assert (
        "cell sheet1!F2 holds the formula '=10*10', whose saved result is the error #DIV/0!" in msg
    )


def test_a_formula_in_a_skipped_totals_row_is_no_problem(tmp_path: Path, ws: Path) -> None:
    path = workbook(
        tmp_path / "form.xlsx",
        [
            FLOW_HEADER,
            ["3-9(6)-1/50ปจ", "in", "water", "water", None, 100, "m3/yr"],
            ["3-9(6)-1/50ปจ", "out", "wastewater", "wastewater", None, 80, "m3/yr"],
            ["รวม", None, None, None, None, "=SUM(F2:F3)", None],
        ],
    )
    s = import_file(ws, "flows", path)
    assert s.added == 2 and any("totals row" in n for n in s.notes)


def test_excel_quoted_ids_written_as_formulas_read_as_text(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "Factory_Data.xlsx",
        [[*API_HEADER, "FACREG"], [*factory(), '="  0630000000"']],
    )
    frame = parse_file("factories", path).frame
    assert frame["factory_id"].iloc[0] == "3-9(6)-1/50ปจ" and len(frame) == 1


@pytest.mark.parametrize("kind", ["factories", "flows"])
def test_a_title_line_above_a_csv_header_is_skipped(
    kind: str, tmp_path: Path, ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    path = tmp_path / f"{kind}.csv"
    if kind == "factories":
        rows = [factory("3-9(6)-5/50ปจ"), factory("3-9(6)-6/50ปจ", TOTAL_WORKER="สิบ")]
        body = pd.DataFrame(rows, columns=API_HEADER).to_csv(index=False)
    else:
        body = ",".join(FLOW_HEADER) + "\n3-9(6)-1/50ปจ,in,water,water,,100,m3/yr\n"
        body += "3-9(6)-1/50ปจ,in,water,water,,สิบ,m3/yr\n"
    path.write_text("รายงานจากระบบ กรมโรงงานอุตสาหกรรม\n" + body, encoding="utf-8-sig")
    msg = cli_import_fails(ws, kind, path)
    column = "TOTAL_WORKER" if kind == "factories" else "quantity"
    assert f"{kind}.csv row 4 field {column}: 'สิบ'" in msg
    good = tmp_path / f"good_{kind}.csv"
    good.write_text(
        "รายงานจากระบบ กรมโรงงานอุตสาหกรรม\n" + "\n".join(body.splitlines()[:2]) + "\n",
        encoding="utf-8-sig",
    )
    s = import_file(ws, kind, good)
    assert any("header is on row 2" in n for n in s.notes)


# ---------------------------------------------------------------------------- 14.6 one factory

PLAIN = "3-42(1)-15/50ปจ"
SPELLINGS = {
    "Thai digits": "๓-๔๒(๑)-๑๕/๕๐ปจ",
    "zero-width space": "3-42(1)-15/50\u200bปจ",
    "zero-width joiner": "3-42(1)\u200d-15/50ปจ",
    "zero-width non-joiner": "3\u200c-42(1)-15/50ปจ",
    "word joiner": "3-42(1)-15\u2060/50ปจ",
    "no-break space": "3-42(1)-15/50\u00a0ปจ",
    "soft hyphen": "3-42(1)\u00ad-15/50ปจ",
    "byte-order mark": "\ufeff3-42(1)-15/50ปจ",
    "left-to-right mark": "3-42(1)-15/50\u200eปจ",
    "full-width forms": "３－４２（１）－１５／５０ปจ",
    "en dash": "3–42(1)–15/50ปจ",
    "spaces": "3 - 42(1) - 15 / 50 ปจ",
    "Excel quotes": '="3-42(1)-15/50ปจ"',
}


@pytest.mark.parametrize("spelling", list(SPELLINGS.values()), ids=list(SPELLINGS))
def test_one_key_however_the_number_is_written(spelling: str) -> None:
    from ecogis.importers.cells import key_changes, normalise_key

    assert normalise_key(spelling) == PLAIN
    assert key_changes(spelling)  # the summary can say what was changed
    assert normalise_key(PLAIN) == PLAIN and key_changes(PLAIN) == ()


def test_thai_letters_survive_the_key_rule() -> None:
    from ecogis.importers.cells import normalise_key

    # NFKC would split SARA AM (ำ) into two characters; the key keeps it as written.
    assert normalise_key("จ3-9(6)-100/51ลำ") == "จ3-9(6)-100/51ลำ"
    assert normalise_key("น.๓-๑๐๕-๑๓/๖๐ชบ") == "น.3-105-13/60ชบ"


@pytest.fixture
def plain_ws(tmp_path: Path) -> Path:
    """A workspace whose factory is written the plain way (and a second one)."""
    path = tmp_path / "plain.gpkg"
    import_file(path, "factories", api_csv(tmp_path / "p.csv", [factory(PLAIN), factory()]))
    return path


def test_a_re_export_in_other_spellings_adds_no_factory(tmp_path: Path, plain_ws: Path) -> None:
    rows = [factory(s) for s in SPELLINGS.values()]
    # The same factory many times over is one factory: exact repeats merge.
    s = import_file(plain_ws, "factories", api_csv(tmp_path / "again.csv", rows[:1]))
    assert (s.added, s.unchanged) == (0, 1)
    assert any(
        "1 registration number(s) normalised" in n and "Thai digits: 1" in n for n in s.notes
    )
    for i, spelling in enumerate(SPELLINGS.values()):
        again = import_file(
            plain_ws, "factories", api_csv(tmp_path / f"{i}.csv", [factory(spelling)])
        )
        assert (again.added, again.unchanged) == (0, 1), spelling
    assert len(Workspace.open(plain_ws).read("factories")) == 2


def test_gis_export_and_generic_tables_use_the_same_key(tmp_path: Path, plain_ws: Path) -> None:
    gis = api_csv(
        tmp_path / "gis.csv",
        [[SPELLINGS["Thai digits"], "04201", "บริษัท ตัวอย่าง จำกัด", "ปราจีนบุรี"]],
        header=["เลขทะเบียน", "ประเภท", "ชื่อโรงงาน", "จังหวัด"],
    )
    assert parse_file("factories", gis).frame["factory_id"].iloc[0] == PLAIN
    table = tmp_path / "table.csv"
    table.write_text(
        f"factory_id,name_th\n{SPELLINGS['zero-width space']},บริษัท ตัวอย่าง จำกัด\n",
        encoding="utf-8",
    )
    result = parse_file("factories", table)
    assert result.frame["factory_id"].iloc[0] == PLAIN
    assert any("invisible characters: 1" in n for n in result.notes)


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("flows", "factory_id,direction,flow_kind,material,quantity,unit\n"
                  "{id},in,water,water,5,m3/yr\n"),
        ("compliance", "factory_id,requirement,status\n{id},iso14001,มี\n"),
        ("actionplan", "จังหวัด,ยุทธศาสตร์,โครงการ,ตัวชี้วัด,เป้าหมาย,งบประมาณ,หน่วยงาน,ระยะเวลา,"
                       "สถานะ,เลขทะเบียนโรงงาน\n25,s,p,i,t,,a,2569,,{id}\n"),
        ("activities", "ประเภท,วันที่,จังหวัด,ชื่อกิจกรรม,เลขทะเบียน,จำนวนคน\n"
                       "ฝึกอบรม,12/03/2568,25,อบรม,{id},2\n"),
    ],
)  # fmt: skip
def test_every_table_importer_reads_the_key_the_same_way(
    kind: str, body: str, tmp_path: Path, plain_ws: Path
) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(body.format(id=SPELLINGS["Thai digits"]), encoding="utf-8")
    s = import_file(plain_ws, kind, path)  # the factory is known: its key matched
    assert s.added == 1
    assert any("registration number(s) normalised" in n for n in s.notes), s.notes
    layer = {"actionplan": "action_plans", "activities": "activity_factories"}.get(kind, kind)
    layer = "material_flows" if kind == "flows" else layer
    assert set(Workspace.open(plain_ws).read(layer)["factory_id"].dropna()) == {PLAIN}


# ---------------------------------------------------------------------------- 14.7 CSV formulas

FORMULAS = [
    '=HYPERLINK("http://example.invalid/?x=1","คลิก")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''-still text",
]
HARMLESS = ["-", "--", "-3.5", "+66812345678", "3-42(1)-15/50ปจ", "บริษัท -ก- จำกัด", "1e5", "'"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_like_text_is_written_as_text(value: str) -> None:
    from ecogis.importers.csvout import guard_cell, unguard_cell

    guarded = guard_cell(value)
    assert guarded == "'" + value  # spreadsheets read a leading apostrophe as "text"
    assert unguard_cell(guarded) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_values_are_written_as_they_are(value: str) -> None:
    from ecogis.importers.csvout import guard_cell, unguard_cell

    assert guard_cell(value) == value and unguard_cell(value) == value


def test_the_one_writer_round_trips_through_read_table(tmp_path: Path) -> None:
    from ecogis.importers.csvout import write_csv
    from ecogis.importers.tabular import read_table

    texts = [*FORMULAS, *HARMLESS]
    frame = pd.DataFrame(
        {
            "factory_id": [f"3-42(1)-{i}/50ปจ" for i in range(len(texts))],
            "name_th": texts,
            "quantity": [-3.5 + i for i in range(len(texts))],  # numbers: never guarded
        }
    )
    path = write_csv(frame, tmp_path / "out" / "sheet.csv")
    written = path.read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in written and "'@SUM" in written and "'-2+3" in written
    assert "\n3-42(1)-0/50ปจ," in written and ",-3.5\r\n" in written
    back = read_table(path)
    assert list(back["name_th"]) == texts  # exactly as given, a tab or CR before "=" too
    assert list(back["quantity"].astype(float)) == list(frame["quantity"])
    assert not list(tmp_path.joinpath("out").glob(".*.tmp"))  # written whole, then moved


def test_the_registry_export_keeps_excel_quoted_ids(tmp_path: Path) -> None:
    from ecogis.importers.csvout import write_csv

    path = write_csv(
        pd.DataFrame({"FACREG": ["00630", 'a"b'], "FNAME": ["x", "=1"]}),
        tmp_path / "reg.csv",
        excel_text=["FACREG"],
    )
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == '"=""00630""",x'  # ="00630" (CSV-quoted): text with its zeros
    assert lines[2].startswith('"a""b",\'=1')  # a quote cannot be Excel-quoted: plain text


def test_no_csv_for_people_is_written_past_the_one_writer() -> None:
    root = Path(__file__).resolve().parent.parent / "ecogis"
    offenders = [
        f"{p.relative_to(root)}:{i}"
        for folder in ("tasks", "cli", "demo", "report", "webmap", "programme")
        for p in sorted((root / folder).rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if ".to_csv(" in line or "csv.writer(" in line
    ]
    assert offenders == []


def test_hostile_names_reach_gap_lists_and_records_sheets_as_text(tmp_path: Path, ws: Path) -> None:
    hostile = {
        "3-9(6)-11/50ปจ": '=HYPERLINK("http://example.invalid","คลิก")',
        "3-9(6)-12/50ปจ": "@SUM(1+1)",
        "3-9(6)-13/50ปจ": "-2+3 จำกัด",
    }
    rows = [factory(reg, FNAME=name) for reg, name in hostile.items()]
    import_file(ws, "factories", api_csv(tmp_path / "hostile.csv", rows))
    records = tmp_path / "records.csv"
    out = CliRunner().invoke(cli, ["compliance", "-w", str(ws), "--records", str(records)])
    assert out.exit_code == 0, out.output
    text = records.read_text(encoding="utf-8-sig")
    for name in hostile.values():
        assert f"'{name}" in text or f"\"'{name}" in text.replace('""', '"')
    # The sheet goes back in unchanged through ecogis's own importer, names and all.
    sheet = pd.read_csv(records, dtype=str, keep_default_na=False)
    sheet.loc[sheet["factory_id"] == "3-9(6)-11/50ปจ", "status"] = "มี"
    sheet.loc[sheet["factory_id"] == "3-9(6)-11/50ปจ", "evidence"] = "=1+1"
    from ecogis.importers.csvout import write_csv
    from ecogis.importers.tabular import read_table

    edited = write_csv(sheet.map(lambda v: v[1:] if v.startswith("'") else v), records)
    assert set(hostile.values()) <= set(read_table(edited)["name_th"])
    assert import_file(ws, "compliance", edited).added == len(sheet)
    stored = Workspace.open(ws).read("compliance")
    assert set(stored["evidence"].dropna()) == {"=1+1"}
    gaps = tmp_path / "gaps.csv"
    out = CliRunner().invoke(cli, ["compliance", "-w", str(ws), "--out", str(gaps)])
    assert out.exit_code == 0, out.output
    cells = pd.read_csv(gaps, dtype=str, keep_default_na=False).to_numpy().ravel()
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-2")]
    assert "'" + hostile["3-9(6)-12/50ปจ"] in set(cells)


# ---------------------------------------------------------------------------- 14.8 persons

PERSONS = [
    "นายสมมติ ทดสอบ",
    "\u200bนายสมมติ ทดสอบ",
    "\ufeff\u200dนางสาวสมมติ ทดสอบ",
    "  \u00a0นาง สมมติ ทดสอบ",
    "นาย\u200bสมมติ ทดสอบ",
    "น.ส.สมมติ ทดสอบ",
    "นส.สมมติ ทดสอบ",
    "น. ส. สมมติ ทดสอบ",
    "คุณสมมติ ทดสอบ",
    "ว่าที่ร้อยตรีสมมติ ทดสอบ",
    "ว่าที่ ร.ต.สมมติ ทดสอบ",
    "พล.อ.สมมติ ทดสอบ",
    "พันเอก สมมติ ทดสอบ",
    "ร.ต.อ.สมมติ ทดสอบ",
    "พ.ต.ท. สมมติ ทดสอบ",
    "จ.ส.ต.สมมติ ทดสอบ",
    "ด.ต.สมมติ ทดสอบ",
    "พลตำรวจเอกสมมติ ทดสอบ",
    "นาวาอากาศโทสมมติ ทดสอบ",
    "ดร.สมมติ ทดสอบ",
    "นพ.สมมติ ทดสอบ",
    "ม.ร.ว.สมมติ ทดสอบ",
    "เด็กหญิงสมมติ ทดสอบ",
    '"นายสมมติ ทดสอบ"',
    "Mr Sommut Tadsob",
    "Mr.Sommut Tadsob",
    "Mrs Sommut Tadsob",
    "MS. Sommut Tadsob",
    "Miss Sommut Tadsob",
    "Dr Sommut Tadsob",
    "\u200bMr. Sommut Tadsob",
    "ｍｒ Sommut Tadsob",  # full-width letters
    "Khun Sommut",
]
NOT_PERSONS = [
    "บริษัท สมมติ จำกัด",
    "ห้างหุ้นส่วนจำกัด นายสมมติ ทดสอบ",  # a juristic person that bears a name
    "คุณภาพดีอุตสาหกรรม จำกัด",
    "นายอำเภอกบินทร์บุรี (สำนักงาน)",
    "นางรองไรซ์มิลล์",
    "ส.ทวีชัยการช่าง",
    "ส. อยู่เจริญ",
    "Drinks Thailand Co., Ltd.",
    "Mission Foods",
    "โรงสีข้าว",
    "",
]


@pytest.mark.parametrize("name", PERSONS)
def test_names_of_private_persons_are_recognised(name: str) -> None:
    from ecogis.importers.privacy import is_person_name

    assert is_person_name(name)


@pytest.mark.parametrize("name", NOT_PERSONS)
def test_company_and_place_names_are_kept(name: str) -> None:
    from ecogis.importers.privacy import is_person_name

    assert not is_person_name(name)


def test_the_rule_is_documented() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "importing.md").read_text("utf-8")
    section = doc[doc.index("**Personal data (PDPA)**") :][:3000]
    for title in ("คุณ", "ว่าที่", "พล.อ.", "ร.ต.อ.", "จ.ส.ต.", "น.ส.", "Mr", "Miss", "Dr"):
        assert title in section, title
    assert "zero-width" in section and "address" in section


def test_persons_and_their_addresses_stay_out_of_maps_reports_and_csvs(tmp_path: Path) -> None:
    header = [*API_HEADER, "FADDR", "FMOO", "FROAD", "LAT", "LNG"]
    people = {
        "3-9(6)-21/50ปจ": "\u200bนายสมมติ ทดสอบหนึ่ง",
        "3-9(6)-22/50ปจ": "ว่าที่ร้อยตรีสมมติ ทดสอบสอง",
        "3-9(6)-23/50ปจ": "Mr Sommut Tadsobsam",
    }
    rows = [
        [*factory(reg, FNAME=name), f"99/{i}", "7", "ถนนบ้านสมมติ", "13.95", f"101.5{i}"]
        for i, (reg, name) in enumerate(people.items())
    ]
    rows.append([*factory("3-9(6)-24/50ปจ"), "1", "2", "สุวรรณศร", "13.96", "101.55"])
    ws = tmp_path / "ws.gpkg"
    s = import_file(ws, "factories", api_csv(tmp_path / "reg.csv", rows, header=header))
    assert any("3 factory name(s) that are a private person's name withheld" in n for n in s.notes)
    stored = Workspace.open(ws).read("factories").set_index("factory_id")
    assert (stored.loc[list(people), "name_th"] == "[ชื่อบุคคลธรรมดา — ไม่เปิดเผย]").all()
    assert (stored.loc[list(people), "address"] == "[ที่อยู่บุคคลธรรมดา — ไม่เปิดเผย]").all()
    assert "สุวรรณศร" in stored.loc["3-9(6)-24/50ปจ", "address"]
    runner = CliRunner()
    outputs = [tmp_path / "map.html", tmp_path / "report.html", tmp_path / "records.csv"]
    for args in (
        ["map", "-w", str(ws), "--out", str(outputs[0])],
        ["report", "-w", str(ws), "--province", "25", "--out", str(outputs[1])],
        ["compliance", "-w", str(ws), "--records", str(outputs[2])],
    ):
        done = runner.invoke(cli, args)
        assert done.exit_code == 0, done.output
    import json

    secrets = ["สมมติ", "Sommut", "Tadsob", "ถนนบ้านสมมติ", "99/0"]
    for out in outputs:
        text = out.read_text(encoding="utf-8-sig")
        for word in secrets:
            assert word not in text, (out.name, word)
            assert json.dumps(word)[1:-1] not in text, (out.name, word)
