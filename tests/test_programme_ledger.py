"""The activity ledger: ``ecogis import activities`` of sign-in sheets and consulting logs."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.demo import build_demo_workspace
from ecogis.errors import DataValidationError, InputFileError
from ecogis.importers import read_table
from ecogis.importers.activities import activity_id, parse_activities
from ecogis.workspace import Workspace

SIGNIN_HEADER = "ประเภทกิจกรรม,วันที่,จังหวัด,พื้นที่,ชื่อกิจกรรม,สถานที่,หลักฐาน,เลขทะเบียนโรงงาน,ชื่อ-สกุล,จำนวนคน\n"


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ledger")
    build_demo_workspace(folder / "demo.gpkg")
    return folder / "demo.gpkg"


@pytest.fixture
def ws(demo_copy: Path, tmp_path: Path) -> Path:
    path = tmp_path / "w.gpkg"
    shutil.copy(demo_copy, path)
    return path


@pytest.fixture(scope="module")
def ids(demo_copy: Path) -> list[str]:
    f = Workspace.open(demo_copy).read("factories")
    return list(f.loc[f["zone_id"] == "DEMO-IE-01", "factory_id"])


def signin(ids: list[str]) -> str:
    """A training sign-in sheet as a planner keeps it: the activity on its first row."""
    return SIGNIN_HEADER + (
        f"ฝึกอบรม,12/03/2568,ปราจีนบุรี,DEMO-IE-01,อบรม ISO 14001,"
        f"ห้องประชุมสำนักงานอุตสาหกรรมจังหวัด,ใบลงทะเบียน 12 มี.ค. 2568,{ids[0]},ผู้แทน,2\n"
        f",,,,,,,{ids[1]},ผู้แทน,1\n"
        f",,,,,,,,สำนักงานอุตสาหกรรมจังหวัด,3\n"
    )


def consulting_log(ids: list[str], days: str = "1.5") -> str:
    return (
        "kind,date,province,zone_id,title,factory_id,man_days,report\n"
        f"consulting,2025-04-02,25,DEMO-IE-01,ให้คำปรึกษาเชิงลึก,{ids[0]},{days},\n"
        f"consulting,2025-04-02,25,DEMO-IE-01,ให้คำปรึกษาเชิงลึก,{ids[1]},2,\n"
        f"consulting,2025-04-09,25,DEMO-IE-01,ให้คำปรึกษาเชิงลึก,{ids[0]},1,CR-2568-01\n"
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8-sig")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.output + (res.stderr if hasattr(res, "stderr") else "")


def test_signin_sheet_parsed_with_fill_down_and_no_names(ids: list[str], tmp_path: Path) -> None:
    raw = read_table(write(tmp_path / "s.csv", signin(ids)))
    out = parse_activities(raw, source="s.csv", known_factory_ids=set(ids))
    act, att = out["activities"], out["activity_factories"]
    assert len(act) == 1
    row = act.iloc[0]
    assert row["kind"] == "training" and row["date"] == "2025-03-12" and row["pro_code"] == "25"
    assert row["participants"] == 6  # 2 + 1 from factories + 3 officials
    assert row["activity_id"] == activity_id(
        "training", "2025-03-12", "อบรม ISO 14001", "25", "DEMO-IE-01"
    )
    assert list(att["factory_id"]) == ids[:2] and list(att["persons"]) == [2, 1]
    # the signers' names are not kept anywhere
    assert "ผู้แทน" not in act.to_string() + att.to_string()


def test_import_cli_writes_both_tables_and_reimport_changes_nothing(
    ws: Path, ids: list[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "signin.csv", signin(ids))
    code, out = run("import", "activities", str(path), "-w", str(ws))
    assert code == 0, out
    w = Workspace.open(ws)
    assert len(w.read("activities")) == 1 and len(w.read("activity_factories")) == 2
    before = digest(ws)
    code, out = run("import", "activities", str(path), "-w", str(ws))
    assert code == 0 and digest(ws) == before, out


def test_corrected_sheet_replaces_that_activitys_attendance(
    ws: Path, ids: list[str], tmp_path: Path
) -> None:
    run("import", "activities", str(write(tmp_path / "c.csv", consulting_log(ids))), "-w", str(ws))
    run("import", "activities", str(write(tmp_path / "s.csv", signin(ids))), "-w", str(ws))
    fewer = "\n".join(signin(ids).splitlines()[:2]) + "\n"  # ids[1] struck off the sheet
    code, out = run("import", "activities", str(write(tmp_path / "s2.csv", fewer)), "-w", str(ws))
    assert code == 0, out
    att = Workspace.open(ws).read("activity_factories")
    training = att[att["activity_id"].str.startswith("TR-")]
    assert list(training["factory_id"]) == [ids[0]]
    assert (att["activity_id"].str.startswith("CO-")).sum() == 3  # the consulting log stays


def test_consulting_log_groups_visits_and_keeps_man_days(ids: list[str], tmp_path: Path) -> None:
    raw = read_table(write(tmp_path / "c.csv", consulting_log(ids)))
    out = parse_activities(raw, source="c.csv", known_factory_ids=set(ids))
    assert len(out["activities"]) == 2  # two dates
    assert out["activity_factories"]["man_days"].sum() == pytest.approx(4.5)
    assert out["activities"]["report"].notna().sum() == 1


@pytest.mark.parametrize(
    ("edit", "row", "field", "words"),
    [
        (lambda s, i: s.replace(i[1], "9-99-9/99ปจ"), 3, "เลขทะเบียนโรงงาน", "not in the workspace"),
        (lambda s, i: s.replace("12/03/2568", "31/02/2568"), 2, "วันที่", "not a real date"),
        (lambda s, i: s.replace("12/03/2568", "เดือนหน้า"), 2, "วันที่", "is not a date"),
        (
            lambda s, i: s.replace(f",,,,,,,{i[1]}", f",,,,,,,{i[0]}"),
            3,
            "เลขทะเบียนโรงงาน",
            "listed twice",
        ),
        (lambda s, i: s.replace("ฝึกอบรม", "งานเลี้ยง"), 2, "ประเภทกิจกรรม", "unknown activity kind"),
        (lambda s, i: s.replace("ผู้แทน,2", "ผู้แทน,สอง"), 2, "จำนวนคน", "not a number of people"),
    ],
)
def test_bad_signin_rows_are_refused_with_row_and_field_nothing_stored(
    ws: Path, ids: list[str], tmp_path: Path, edit: object, row: int, field: str, words: str
) -> None:
    before = digest(ws)
    path = write(tmp_path / "bad.csv", edit(signin(ids), ids))  # type: ignore[operator]
    code, out = run("import", "activities", str(path), "-w", str(ws))
    assert code == 1
    assert f"bad.csv row {row} field {field}" in out and words in out, out
    assert "Traceback" not in out and digest(ws) == before


def test_negative_man_days_refused(ws: Path, ids: list[str], tmp_path: Path) -> None:
    before = digest(ws)
    path = write(tmp_path / "log.csv", consulting_log(ids, days="-1"))
    code, out = run("import", "activities", str(path), "-w", str(ws))
    assert code == 1 and "log.csv row 2 field man_days" in out and "negative" in out, out
    assert digest(ws) == before


def test_man_days_on_training_and_contradicting_rows_refused(
    ids: list[str], tmp_path: Path
) -> None:
    text = (
        "activity_id,kind,date,province,title,factory_id,man_days\n"
        f"T1,training,2025-03-12,25,อบรม,{ids[0]},1\n"
    )
    raw = read_table(write(tmp_path / "t.csv", text))
    with pytest.raises(DataValidationError, match="man-days given for a training"):
        parse_activities(raw, source="t.csv", known_factory_ids=set(ids))
    text = (
        "activity_id,kind,date,province,title,factory_id\n"
        f"T1,training,2025-03-12,25,อบรม,{ids[0]}\n"
        f"T1,training,2025-03-13,25,อบรม,{ids[1]}\n"
    )
    raw = read_table(write(tmp_path / "t2.csv", text))
    with pytest.raises(DataValidationError, match=r"row 3.*T1 has date '2025-03-12' on row 2"):
        parse_activities(raw, source="t2.csv", known_factory_ids=set(ids))


def test_participants_fewer_than_listed_and_missing_column(ids: list[str], tmp_path: Path) -> None:
    text = (
        "kind,date,province,title,participants,factory_id,persons\n"
        f"workshop,2025-05-01,25,สัมมนา,2,{ids[0]},3\n"
    )
    raw = read_table(write(tmp_path / "w.csv", text))
    with pytest.raises(DataValidationError, match="2 participants, but its rows list 3"):
        parse_activities(raw, source="w.csv", known_factory_ids=set(ids))
    raw = read_table(write(tmp_path / "n.csv", "kind,date,title\nworkshop,2025-05-01,x\n"))
    with pytest.raises(InputFileError, match="no pro_code column"):
        parse_activities(raw, source="n.csv", known_factory_ids=None)


def test_xlsx_sign_in_sheet(ids: list[str], tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "ประเภทกิจกรรม": ["ศึกษาดูงาน", None],
            "วันที่": ["2025-06-20", None],
            "จังหวัด": ["25", None],
            "ชื่อกิจกรรม": ["ศึกษาดูงานโรงงานต้นแบบ", None],
            "เลขทะเบียนโรงงาน": [ids[0], ids[2]],
        }
    )
    path = tmp_path / "tour.xlsx"
    frame.to_excel(path, index=False)
    out = parse_activities(read_table(path), source=path.name, known_factory_ids=set(ids))
    assert out["activities"].iloc[0]["kind"] == "study_tour"
    assert list(out["activity_factories"]["factory_id"]) == [ids[0], ids[2]]
    assert out["activities"].iloc[0]["participants"] == 2


def test_factory_keys_written_with_thai_digits_or_invisible_characters(
    ids: list[str], tmp_path: Path
) -> None:
    thai = ids[0].translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    text = (
        "kind,date,province,title,factory_id\n"
        f"training,2025-03-12,25,อบรม,{thai}\n"
        f",,,,\u200b{ids[1]}\n"
    )
    raw = read_table(write(tmp_path / "k.csv", text))
    out = parse_activities(raw, source="k.csv", known_factory_ids=set(ids))
    assert list(out["activity_factories"]["factory_id"]) == ids[:2]
