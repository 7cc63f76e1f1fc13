"""Trap files a registry clerk or a GIS colleague really sends: each must give a correct
import or one clear line, never a traceback, a silent wrong result or a changed workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_diw import _cli_fails, api_rows, write_api_csv

from ecogis.importers import parse_file
from ecogis.tasks.imports import import_file


@pytest.fixture
def seeded_ws(tmp_path: Path) -> Path:
    """A workspace holding 50 imported API factories."""
    ws = tmp_path / "ws.gpkg"
    import_file(ws, "factories", write_api_csv(api_rows(), tmp_path / "Factory_Data.csv"))
    return ws


def _csv_lines(n: int) -> list[str]:
    return api_rows(n).to_csv(index=False).splitlines()


# ---------------------------------------------------------------------------- CSV layout


def test_trailing_separator_on_data_rows_only(tmp_path: Path) -> None:
    """pandas would take the first column as the index and shift every field left."""
    lines = _csv_lines(5)
    path = tmp_path / "trailing.csv"
    path.write_text("\n".join([lines[0], *(ln + "," for ln in lines[1:])]), encoding="utf-8")
    frame = parse_file("factories", path).frame.set_index("factory_id")
    rows = api_rows(5)
    assert list(frame.index) == list(rows["DISPFACREG"])
    assert frame.loc[rows.loc[0, "DISPFACREG"], "name_th"] == rows.loc[0, "FNAME"]


def test_filled_extra_cell_is_refused_with_row(tmp_path: Path, seeded_ws: Path) -> None:
    lines = _csv_lines(5)
    lines[3] += ",101.6"
    path = tmp_path / "shifted.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    msg = _cli_fails(seeded_ws, "factories", str(path))
    assert "shifted.csv row 4" in msg and "'101.6'" in msg and "quotes" in msg


def test_repeated_header_and_totals_row_skipped(tmp_path: Path, seeded_ws: Path) -> None:
    lines = _csv_lines(6)
    width = lines[0].count(",")
    body = [lines[0], *lines[1:4], lines[0], *lines[4:], "", "รวมทั้งสิ้น 6 โรงงาน" + "," * width]
    path = tmp_path / "report.csv"
    path.write_text("\n".join(body) + "\n", encoding="utf-8-sig")
    result = parse_file("factories", path)
    assert len(result.frame) == 6
    assert set(result.frame["factory_id"]) == set(api_rows(6)["DISPFACREG"])
    assert any("repeating the header skipped (5)" in n for n in result.notes)
    assert any("totals row" in n and "row 10" in n for n in result.notes)


def test_factory_named_like_a_total_is_kept(tmp_path: Path) -> None:
    rows = api_rows(4)
    rows.loc[3, "FNAME"] = "รวมมิตรพืชผล"
    rows.loc[3, "DISPFACREG"] = "3-9(6)-77/50ปจ"
    frame = parse_file("factories", write_api_csv(rows, tmp_path / "r.csv")).frame
    assert "รวมมิตรพืชผล" in set(frame["name_th"])


def test_footnote_row_is_not_a_factory(tmp_path: Path, seeded_ws: Path) -> None:
    lines = _csv_lines(5)
    width = lines[0].count(",")
    lines.append(",ที่มา: กรมโรงงานอุตสาหกรรม ข้อมูล ณ 1 ม.ค. 2568" + "," * (width - 1))
    path = tmp_path / "note.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    msg = _cli_fails(seeded_ws, "factories", str(path))
    assert "note.csv row 7 field DISPFACREG" in msg and "not a registration number" in msg
