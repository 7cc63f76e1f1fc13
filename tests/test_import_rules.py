"""One rule per concept for every importer: where table importers live, how they find their
columns and rows, and what a blank cell means (issue 13.2 and 13.4, importers' part)."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from ecogis.errors import InputFileError
from ecogis.importers import TABLE_PARSERS, load_parser, parse_file
from ecogis.importers.actionplan import parse_action_plan
from ecogis.importers.cells import BLANK_WORDS, is_blank, text_or_na
from ecogis.importers.compliance import parse_compliance_records
from ecogis.importers.flows import parse_flow_form
from ecogis.importers.indicator_scores import parse_manual_scores
from ecogis.importers.tabular import (
    header_key,
    normalise_headers,
    spreadsheet_row,
    spreadsheet_rows,
    table_records,
)

IMPORTERS_DIR = Path(__file__).resolve().parent.parent / "ecogis" / "importers"


def text_frame(rows: list[dict[str, str]], first_row: int = 2) -> pd.DataFrame:
    """A table as read_table gives it: text cells, the index = spreadsheet rows."""
    frame = pd.DataFrame(rows, dtype="string")
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    return frame


# ---------------------------------------------------------------------------- each room one job


def test_every_table_importer_lives_in_importers() -> None:
    for kind, dotted in TABLE_PARSERS.items():
        assert dotted.startswith("ecogis.importers."), kind
        assert callable(load_parser(dotted))
    assert parse_manual_scores.__module__ == "ecogis.importers.indicator_scores"


def test_moved_parsers_keep_their_documented_names() -> None:
    import ecogis.actionplan
    import ecogis.compliance
    import ecogis.eit
    import ecogis.flows

    assert ecogis.flows.parse_flow_form is parse_flow_form
    assert ecogis.compliance.parse_compliance_records is parse_compliance_records
    assert ecogis.actionplan.parse_action_plan is parse_action_plan
    assert ecogis.eit.parse_manual_scores is parse_manual_scores


def _package_imports(path: Path) -> list[str]:
    """Names a module takes from the ``ecogis.importers`` package itself (its ``__init__``)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "ecogis.importers":
            names += [a.name for a in node.names]
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None:
            names += [a.name for a in node.names]
    return names


def test_no_importer_module_imports_the_package_back() -> None:
    """``importers/__init__.py`` only gathers names; no module imports it (no circle)."""
    offenders = {
        p.name: names
        for p in IMPORTERS_DIR.glob("*.py")
        if p.name != "__init__.py" and (names := _package_imports(p))
    }
    assert offenders == {}


# ---------------------------------------------------------------------------- headers and rows


@pytest.mark.parametrize(
    "written", ["factory_id", "Factory ID", " FACTORY_ID ", "\ufefffactory_id", "factory\u200b_id"]
)
def test_header_forms_compare_equal(written: str) -> None:
    assert header_key(written) == header_key("factory_id")
    found = normalise_headers(
        text_frame([{written: "F1"}]), {"factory_id": ("factory_id",)}, source="x.csv"
    )
    assert found == {"factory_id": written}


def test_missing_required_column_names_row_1_and_the_accepted_headers() -> None:
    with pytest.raises(InputFileError) as err:
        normalise_headers(
            text_frame([{"ชื่อ": "x"}]),
            {"factory_id": ("factory_id", "เลขทะเบียน"), "name": ("name", "ชื่อ")},
            source="sheet.xlsx",
            required=["factory_id", "name"],
        )
    msg = str(err.value)
    assert msg.startswith("sheet.xlsx row 1 field factory_id: no factory_id column;")
    assert "เลขทะเบียน" in msg and "; the columns are: ชื่อ" in msg


def test_spreadsheet_rows_from_the_index_or_the_position() -> None:
    assert spreadsheet_rows(text_frame([{"a": "1"}, {"a": "2"}], first_row=4)) == [4, 5]
    assert spreadsheet_rows(pd.DataFrame({"a": ["1", "2"]})) == [2, 3]
    titled = pd.DataFrame({"a": ["1", "2"]})
    titled.attrs["header_row"] = 3  # two title lines above the header
    assert spreadsheet_rows(titled) == [4, 5]
    assert spreadsheet_row(0) == 2 and spreadsheet_row(2, header_row=3) == 6


def test_table_records_skip_blank_lines_and_name_the_file_column() -> None:
    raw = text_frame([{"ID": "F1", "Qty": "2"}, {"ID": "-", "Qty": " "}, {"ID": "F2", "Qty": "x"}])
    cols = normalise_headers(raw, {"fid": ("id",), "qty": ("qty",)}, source="t.csv")
    recs = list(table_records(raw, cols, source="t.csv"))
    assert [r.row for r in recs] == [2, 4]
    err = recs[1].error("qty", "'x' is not a number", "write digits")
    assert str(err) == "t.csv row 4 field Qty: 'x' is not a number — write digits"


# ---------------------------------------------------------------------------- blank cells


@pytest.mark.parametrize(
    "value",
    [None, pd.NA, math.nan, "", "  ", "-", "--", "–", "—", "N/A", "null", "ไม่ระบุ", "ไม่มี",
     "\u200b", "\u00a0-\u00a0", "\ufeff"],
)  # fmt: skip
def test_blank_cells(value: object) -> None:
    assert is_blank(value) and text_or_na(value) is pd.NA


@pytest.mark.parametrize("value", ["0", "nan", "Nan", "none", "-3.5", "n", "ไม่มีปัญหา"])
def test_not_blank(value: str) -> None:
    assert not is_blank(value)


def test_the_blank_words_are_documented() -> None:
    doc = (IMPORTERS_DIR.parent.parent / "docs" / "importing.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Blank cells") :]
    section = section[: section.index("\n## ", 5)]
    for word in BLANK_WORDS - {""}:
        assert f"`{word}`" in section, word


BLANKS = ["-", "–", "n/a", "\u200b", "ไม่ระบุ"]


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_means_the_same_in_the_flow_form(blank: str) -> None:
    raw = text_frame(
        [
            {"factory_id": "F1", "direction": "out", "flow_kind": "waste", "material": "sludge",
             "waste_code": blank, "hazardous": blank, "quantity": "5", "unit": "t/yr",
             "year": blank, "disposal_code": blank, "price": blank}
        ]
    )  # fmt: skip
    out = parse_flow_form(raw, source="f.csv", known_factory_ids={"F1"})
    row = out.iloc[0]
    assert pd.isna(row["waste_code"]) and pd.isna(row["disposal_code"])
    assert pd.isna(row["year"]) and pd.isna(row["price_thb_per_unit"])
    assert row["hazardous"] == "none"  # a blank mark of a waste is inferred


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_quantity_is_missing_in_the_flow_form(blank: str) -> None:
    raw = text_frame(
        [{"factory_id": "F1", "direction": "in", "flow_kind": "water", "material": "water",
          "quantity": blank, "unit": "m3/yr"}]
    )  # fmt: skip
    with pytest.raises(Exception, match="row 2 field quantity: the quantity is missing"):
        parse_flow_form(raw, source="f.csv", known_factory_ids=None)


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_means_the_same_in_compliance_records(blank: str) -> None:
    raw = text_frame(
        [
            {"factory_id": "F1", "requirement": "iso14001", "status": blank,
             "valid_until": blank, "evidence": blank},
            {"factory_id": "F2", "requirement": "iso14001", "status": "ไม่มี",
             "valid_until": "", "evidence": ""},
        ]
    )  # fmt: skip
    out = parse_compliance_records(raw, source="c.csv", known_factory_ids={"F1", "F2"})
    own = "not_required" if blank == "n/a" else "unknown"  # the column's own words first
    assert list(out["status"]) == [own, "no"]
    assert out["valid_until"].isna().all() and out["evidence"].isna().all()


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_means_the_same_in_action_plans(blank: str) -> None:
    raw = text_frame(
        [{"จังหวัด": "25", "ยุทธศาสตร์": "s", "โครงการ": "p", "ตัวชี้วัด": blank,
          "เป้าหมาย": blank, "งบประมาณ": blank, "หน่วยงาน": blank, "ระยะเวลา": blank,
          "สถานะ": blank, "เลขทะเบียนโรงงาน": blank}]
    )  # fmt: skip
    plan = parse_action_plan(raw, source="p.csv", known_factory_ids=set())
    row = plan.iloc[0]
    assert pd.isna(row["budget_thb"]) and pd.isna(row["indicator"]) and pd.isna(row["agency"])
    assert row["status"] == "planned" and pd.isna(row["factory_id"])


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_means_the_same_in_score_sheets(blank: str) -> None:
    raw = text_frame(
        [{"indicator_id": "A1", "value": blank, "evidence": blank},
         {"indicator_id": "A2", "value": "3", "evidence": "minutes"}]
    )  # fmt: skip
    out = parse_manual_scores(raw, source="s.csv", indicator_ids=["A1", "A2"])
    assert list(out.index) == ["A2"]  # the unfilled template row is skipped


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_means_the_same_in_the_registry(blank: str, tmp_path: Path) -> None:
    path = tmp_path / "Factory_Data.csv"
    path.write_text(
        "DISPFACREG,FNAME,FACTYPE,TOTAL_WORKER,HP,TOTAL_CAP,FSOI,FPROVNAME\n"
        f"3-9(6)-1/50ปจ,โรงสีตัวอย่าง,{blank},{blank},{blank},{blank},{blank},ปราจีนบุรี\n",
        encoding="utf-8",
    )
    row = parse_file("factories", path).frame.iloc[0]
    assert pd.isna(row["workers"]) and pd.isna(row["horsepower"]) and pd.isna(row["capital_thb"])
    assert row["factory_class"] == 3  # blank FACTYPE: the class comes from the number
    assert row["address"] == "จ.ปราจีนบุรี"


# ---------------------------------------------------------------------------- one list, one box

ECOGIS_DIR = IMPORTERS_DIR.parent


def _code_files() -> list[Path]:
    return sorted(ECOGIS_DIR.rglob("*.py"))


def test_one_list_of_the_15_target_provinces(shared_data: Path) -> None:
    from ecogis.catalogue.provinces import target_province_codes, target_provinces
    from ecogis.webmap import target_provinces as map_targets

    reference = pd.read_csv(
        shared_data / "thailand" / "target_provinces_15.csv", dtype=str, keep_default_na=False
    )
    assert [p.pro_code for p in target_provinces()] == list(reference["pro_code"])
    assert [p.name_th for p in target_provinces()] == list(reference["pro_th"])
    assert map_targets() is target_provinces()
    assert target_province_codes() == set(reference["pro_code"])
    # No second copy typed in code: a target province's name appears in no Python module.
    copies = [p for p in _code_files() if "สุราษฎร์ธานี" in p.read_text(encoding="utf-8")]
    assert copies == []


def test_the_province_importer_marks_the_catalogue_targets(shared_data: Path) -> None:
    from ecogis.catalogue.provinces import target_province_codes

    frame = parse_file(
        "provinces", shared_data / "thailand" / "th_provinces_opengisdata.geojson"
    ).frame
    marked = set(frame.loc[frame["eit_target"].astype(bool), "pro_code"])
    assert marked == target_province_codes()


def test_one_thailand_bounding_box() -> None:
    from ecogis.crs import THAILAND_BOUNDS
    from ecogis.importers.checks import inside_thailand

    south = THAILAND_BOUNDS[1]
    box = re.compile(r"\(\s*9[78]\.\d*\s*,\s*[56]\.\d*\s*,\s*10[56]\.\d*\s*,\s*20\.\d*\s*\)")
    copies = [
        p.relative_to(ECOGIS_DIR).as_posix()
        for p in _code_files()
        if box.search(p.read_text(encoding="utf-8"))
    ]
    assert copies == ["crs.py"]
    # The action plan and the registry judge a point on either side of the box alike.
    inside, outside = (south + 0.01, 101.0), (south - 0.05, 101.0)
    assert inside_thailand([inside[1]], [inside[0]])[0]
    assert not inside_thailand([outside[1]], [outside[0]])[0]

    def plan(lat: float, lon: float) -> pd.DataFrame:
        return text_frame(
            [{"จังหวัด": "90", "ยุทธศาสตร์": "s", "โครงการ": "p", "ตัวชี้วัด": "", "เป้าหมาย": "",
              "งบประมาณ": "", "หน่วยงาน": "", "ระยะเวลา": "", "สถานะ": "",
              "ละติจูด": str(lat), "ลองจิจูด": str(lon)}]
        )  # fmt: skip

    assert parse_action_plan(plan(*inside), source="p.csv").geometry.iloc[0] is not None
    with pytest.raises(Exception, match="outside Thailand"):
        parse_action_plan(plan(*outside), source="p.csv")


# ---------------------------------------------------------------------------- the contract


def test_flow_fields_and_words_come_from_the_contract() -> None:
    from ecogis import schema
    from ecogis.importers import flows

    contract = schema.contract("material_flows")
    assert flows.flow_fields() == contract.field_names
    assert set(flows.form_required()) == set(contract.required_fields) - {"flow_id"}
    for fld, words in (
        ("direction", flows.DIRECTION_WORDS),
        ("flow_kind", flows.KIND_WORDS),
        ("hazardous", flows.HAZARD_WORDS),
    ):
        assert set(words.values()) <= set(contract.field(fld).values or ()), fld
    assert set(flows.KIND_WORDS.values()) == set(contract.field("flow_kind").values or ())


def test_compliance_statuses_come_from_the_contract() -> None:
    from ecogis import compliance, schema
    from ecogis.importers import compliance as records

    allowed = tuple(schema.contract("compliance").field("status").values or ())
    assert compliance.STATUSES == records.statuses() == allowed
    assert set(records.STATUS_WORDS.values()) == set(allowed)


def test_action_plan_words_come_from_the_contract() -> None:
    from ecogis import schema
    from ecogis.importers import actionplan

    contract = schema.contract("action_plans")
    assert set(actionplan.STATUS_WORDS.values()) == set(contract.field("status").values or ())
    assert set(actionplan.COLUMNS) <= set(contract.field_names) | {"lat", "lon"}


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_means_the_same_in_the_activity_ledger(blank: str) -> None:
    from ecogis.importers.activities import parse_activities

    raw = text_frame(
        [{"ประเภท": "ฝึกอบรม", "วันที่": "12/03/2568", "จังหวัด": "25", "ชื่อกิจกรรม": "อบรม",
          "สถานที่": blank, "หลักฐาน": blank, "เลขทะเบียน": blank, "จำนวนคน": blank}]
    )  # fmt: skip
    tables = parse_activities(raw, source="signin.csv", known_factory_ids=set())
    act = tables["activities"].iloc[0]
    assert pd.isna(act["venue"]) and pd.isna(act["evidence"]) and pd.isna(act["participants"])
    assert len(tables["activity_factories"]) == 0
