"""DIW registry importers: the open-data API CSV (fixtures built here) and the GIS export
(the real Prachin Buri extract), re-import by key, and the registry's traps."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.errors import CRSError, DataValidationError, EcogisError, InputFileError
from ecogis.importers import ImportOptions, parse_file, read_table
from ecogis.importers.base import parse_date
from ecogis.importers.diw import normalise_diw_type, normalise_tsic, type_from_registration
from ecogis.tasks.imports import import_file
from ecogis.workspace import Workspace

# ---------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "coded", "expected"),
    [
        ("00906", True, ("9(6)", 9)),
        ("10500", True, ("105", 105)),
        (906.0, True, ("9(6)", 9)),
        ("05204", True, ("52(4)", 52)),
        ("9(6)", False, ("9(6)", 9)),
        ("105", False, ("105", 105)),
        ("42 (1)", False, ("42(1)", 42)),
        ("-", True, None),
    ],
)
def test_normalise_diw_type(value: object, coded: bool, expected: object) -> None:
    assert normalise_diw_type(value, coded=coded) == expected


def test_normalise_diw_type_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="1 to 107"):
        normalise_diw_type("20000", coded=True)
    with pytest.raises(ValueError, match="not a DIW factory type"):
        normalise_diw_type("abc", coded=False)


def test_type_from_registration_and_tsic() -> None:
    assert type_from_registration("จ3-9(6)-100/51ปจ") == (3, "9(6)")
    assert type_from_registration("3-22(3)-1/41ชน") == (3, "22(3)")
    assert normalise_tsic(1111.0) == "01111"
    assert normalise_tsic("10621") == "10621"
    with pytest.raises(ValueError):
        normalise_tsic("106")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("39797", "2008-12-15"),
        ("239021", "2011-05-31"),
        ("2551-12-15", "2008-12-15"),
        ("15/12/2551", "2008-12-15"),
        ("15/12/2008", "2008-12-15"),
        ("15 ธ.ค. 2551", "2008-12-15"),
        ("2008-12-15 00:00:00", "2008-12-15"),
        ("", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31/02/2008", "next week", "12/2008", "15/12/1066"])
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_read_table_unwraps_excel_ids_and_bom(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    path = write_api_csv(api_rows(5), tmp_path / "f.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    raw = read_table(path)
    assert raw.columns[0] == "FACREG"
    assert raw["FACREG"].iloc[0] == "0630000000"
    assert raw.index[0] == 2  # spreadsheet numbering: the header is row 1
    assert raw["FNAME"].iloc[0].startswith("บริษัท")


# ---------------------------------------------------------------------------- API CSV


def test_api_csv_imports_with_unplaced_rows_kept(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows()
    ws = tmp_path / "ws.gpkg"
    s = import_file(ws, "factories", write_api_csv(rows, tmp_path / "Factory_Data.csv"))
    assert s.fmt == "diw-api"
    assert (s.added, s.updated, s.unchanged, len(s.rejected)) == (50, 0, 0, 0)
    f = Workspace.open(ws).read("factories")
    assert len(f) == 50
    no_coords = (rows["LAT"] == "").sum()
    placeholders = rows["LAT"].isin(["0", "1"]).sum()
    assert s.unplaced == no_coords + placeholders
    assert (f["coord_flag"] == "missing").sum() == no_coords
    assert (f["coord_flag"] == "placeholder").sum() == placeholders
    assert f.geometry.isna().sum() == s.unplaced
    first = f.set_index("factory_id").loc["2-9(6)-1/50ปจ"]
    assert first["factory_class"] == 2  # FACTYPE '-' → class from the registration no.
    assert first["diw_type"] == "9(6)" and first["diw_type_main"] == 9
    assert first["tsic"] == "10621" and first["fid_diw"] == "10250000100000"
    assert first["capital_thb"] == 1_250_000 and first["workers"] == 5
    assert first["status"] == "licensed"  # FFLAG 0
    assert first["pro_code"] == "25" and first["amp_code"] == "2502"
    assert first["tam_code"] is not None and first["tam_code"].startswith("2502")
    assert "ONAME" not in f.columns and "operator" not in f.columns
    # Operator names never reach the workspace file.
    assert "ONAME" not in Workspace.open(ws).field_names("factories")
    status = f.set_index("factory_id")["status"]
    assert set(status) == {"licensed", "operating", "struck_off", "stopped"}


def test_reimport_is_idempotent_and_updates_by_key(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
) -> None:
    rows = api_rows()
    again = import_file(seeded_ws, "factories", write_api_csv(rows, tmp_path / "Factory_Data.csv"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 50)
    changed = rows.copy()
    changed.loc[3, "TOTAL_WORKER"] = "999"
    extra = api_rows(52).iloc[50:]
    changed = pd.concat([changed, extra], ignore_index=True)
    s = import_file(seeded_ws, "factories", write_api_csv(changed, tmp_path / "Factory_Data.csv"))
    assert (s.added, s.updated, s.unchanged) == (2, 1, 49)
    f = Workspace.open(seeded_ws).read("factories")
    assert len(f) == 52 and f["factory_id"].is_unique
    assert f.set_index("factory_id").loc[rows.loc[3, "DISPFACREG"], "workers"] == 999


def test_person_factory_names_are_withheld(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows(4)
    rows.loc[1, "FNAME"] = "นายสมมติ ทดสอบ"
    s = import_file(tmp_path / "ws.gpkg", "factories", write_api_csv(rows, tmp_path / "f.csv"))
    names = Workspace.open(tmp_path / "ws.gpkg").read("factories")["name_th"]
    assert not names.str.contains("สมมติ").any()
    assert any("PDPA" in n for n in s.notes)


def test_exact_duplicate_rows_merged_and_reported(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows(5)
    rows = pd.concat([rows, rows.iloc[[2]]], ignore_index=True)
    s = import_file(tmp_path / "ws.gpkg", "factories", write_api_csv(rows, tmp_path / "f.csv"))
    assert s.added == 5
    assert any("duplicate row(s) merged" in n for n in s.notes)


# ---------------------------------------------------------------------------- GIS export


def test_gis_export_imports_632_factories(
    diw_raw_geojson: Path, shared_data: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws.gpkg"
    s = import_file(ws, "factories", diw_raw_geojson)
    assert s.fmt == "diw-gis" and s.added == 632 and not s.rejected
    f = Workspace.open(ws).read("factories")
    assert len(f) == 632
    clean = pd.read_csv(
        shared_data / "thailand" / "diw_factories_prachinburi_clean.csv",
        dtype=str,
        keep_default_na=False,
    )
    m = f.merge(clean, left_on="factory_id", right_on="reg_no_old", how="outer", indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["diw_type"] == m["factory_type"]).all()
    assert (m["diw_type_main"] == m["factory_type_main"].astype(int)).all()
    assert (m["factory_class_x"] == m["factory_class_y"].astype(int)).all()
    assert np.allclose(m["workers"].astype(float), m["workers_total"].astype(float))
    assert np.allclose(m["capital_thb"], m["capital_total_thb"].astype(float))
    assert (m["licence_date_x"] == m["licence_date_y"]).all()
    assert (m["tsic"] == m["isic"]).all() and f["tsic"].str.len().eq(5).all()
    row = f.set_index("factory_id").loc["จ3-9(6)-100/51ปจ"]
    assert row["name_th"] == "อุดมทรัพย์" and row["diw_type"] == "9(6)"
    assert row["licence_date"] == "2008-12-15" and row["pro_code"] == "25"
    assert (f["diw_type"] == "105").sum() == 29
    # The Buddhist-Era serial (239021) became 2011-05-31.
    assert "2011-05-31" in set(f["licence_date"])
    assert (f["coord_flag"] == "ok").all()
    again = import_file(ws, "factories", diw_raw_geojson)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 632)


def test_gis_export_province_check(
    diw_raw_geojson: Path, provinces_geojson: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws.gpkg"
    import_file(ws, "provinces", provinces_geojson)
    s = import_file(ws, "factories", diw_raw_geojson)
    assert any("lie in the province" in n for n in s.notes)
    f = Workspace.open(ws).read("factories")
    assert (f["coord_flag"] == "ok").all()


def test_point_outside_its_province_is_flagged(
    provinces_geojson: Path,
    tmp_path: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
) -> None:
    ws = tmp_path / "ws.gpkg"
    import_file(ws, "provinces", provinces_geojson)
    rows = api_rows(6)
    rows["LAT"], rows["LNG"] = "13.95", "101.72"
    rows.loc[2, ["LAT", "LNG"]] = ["12.68", "101.27"]  # Rayong, not Prachin Buri
    s = import_file(ws, "factories", write_api_csv(rows, tmp_path / "f.csv"))
    f = Workspace.open(ws).read("factories").set_index("factory_id")
    assert f.loc[rows.loc[2, "DISPFACREG"], "coord_flag"] == "outside_province"
    assert f.loc[rows.loc[2, "DISPFACREG"]].geometry is not None
    assert any("outside the province" in n for n in s.notes)


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("pos", "column", "value", "expected"),
    [
        (4, "DISPFACREG", "", "bad.csv row 6 field DISPFACREG: the registration number is missing"),
        (5, "LAST_UPDATE", "เมื่อวาน", "row 7 field LAST_UPDATE: 'เมื่อวาน' is not a date"),
        (0, "HP", "12x", "row 2 field HP: '12x' is not a horsepower"),
    ],
)
def test_one_bad_cell(
    pos: int,
    column: str,
    value: str,
    expected: str,
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    """Missing ID, unparseable date, bad number: one line naming file, row, field, value."""
    rows = api_rows(8)
    rows.loc[pos, column] = value
    msg = cli_import_fails(seeded_ws, "factories", str(write_api_csv(rows, tmp_path / "bad.csv")))
    assert expected in msg


def test_duplicate_id_with_other_values(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(8)
    rows.loc[6, "DISPFACREG"] = rows.loc[1, "DISPFACREG"]
    msg = cli_import_fails(seeded_ws, "factories", str(write_api_csv(rows, tmp_path / "bad.csv")))
    assert "row 8" in msg and "duplicate" in msg and "row 3" in msg


def test_skip_bad_rows_rejects_with_reasons(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows(8)
    rows.loc[4, "DISPFACREG"] = ""
    rows.loc[5, "TOTAL_WORKER"] = "ห้าสิบ"
    s = import_file(
        tmp_path / "ws.gpkg",
        "factories",
        write_api_csv(rows, tmp_path / "bad.csv"),
        ImportOptions(skip_bad_rows=True),
    )
    assert s.added == 6
    assert [r for r, _ in s.rejected] == [6, 7]
    assert "TOTAL_WORKER" in s.rejected[1][1]


def test_point_outside_thailand(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(8)
    rows.loc[3, ["LAT", "LNG"]] = ["35.68", "139.69"]  # Tokyo
    path = write_api_csv(rows, tmp_path / "bad.csv")
    msg = cli_import_fails(seeded_ws, "factories", str(path))
    assert "row 5" in msg and "outside Thailand" in msg and "--skip-bad-rows" in msg
    s = import_file(tmp_path / "w2.gpkg", "factories", path, ImportOptions(skip_bad_rows=True))
    f = Workspace.open(tmp_path / "w2.gpkg").read("factories").set_index("factory_id")
    assert s.added == 8 and f.loc[rows.loc[3, "DISPFACREG"], "coord_flag"] == "outside_thailand"
    assert f.loc[rows.loc[3, "DISPFACREG"]].geometry is None


def test_swapped_latlon_detected_then_fixed_with_flag(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(8)
    rows["LAT"], rows["LNG"] = "13.95", "101.72"
    rows.loc[2, ["LAT", "LNG"]] = ["101.72", "13.95"]
    path = write_api_csv(rows, tmp_path / "swapped.csv")
    msg = cli_import_fails(seeded_ws, "factories", str(path))
    assert "row 4" in msg and "swapped" in msg and "--swap-latlon" in msg
    result = CliRunner().invoke(
        cli, ["import", "factories", str(path), "-w", str(tmp_path / "w2.gpkg"), "--swap-latlon"]
    )
    assert result.exit_code == 0, result.output
    f = Workspace.open(tmp_path / "w2.gpkg").read("factories").set_index("factory_id")
    g = f.loc[rows.loc[2, "DISPFACREG"]]
    assert g["coord_flag"] == "swapped_fixed"
    assert abs(g.geometry.x - 101.72) < 1e-9 and abs(g.geometry.y - 13.95) < 1e-9


def test_utm_metres_in_lat_lng_refused_with_zone(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(8)
    rows["LAT"], rows["LNG"] = "1543210.5", "791234.2"  # Prachin Buri in UTM 47N metres
    path = write_api_csv(rows, tmp_path / "utm.csv")
    msg = cli_import_fails(seeded_ws, "factories", str(path))
    assert "metres" in msg and "EPSG:32647" in msg
    s = import_file(tmp_path / "w2.gpkg", "factories", path, ImportOptions(crs="EPSG:32647"))
    assert s.unplaced == 0
    pt = Workspace.open(tmp_path / "w2.gpkg").read("factories").geometry.iloc[0]
    assert 101.0 < pt.x < 102.5 and 13.5 < pt.y < 14.5


def test_cp874_file_read_as_utf8(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    path = write_api_csv(api_rows(5), tmp_path / "thai.csv", encoding="cp874")
    msg = cli_import_fails(seeded_ws, "factories", str(path))
    assert "cp874" in msg
    s = import_file(tmp_path / "w2.gpkg", "factories", path, ImportOptions(encoding="cp874"))
    assert s.added == 5
    assert (
        Workspace.open(tmp_path / "w2.gpkg")
        .read("factories")["name_th"]
        .str.startswith("บริษัท")
        .all()
    )


def test_mojibake_detected(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(5)
    rows["FNAME"] = rows["FNAME"].map(lambda s: s.encode("utf-8").decode("latin-1"))
    msg = cli_import_fails(
        seeded_ws, "factories", str(write_api_csv(rows, tmp_path / "garbled.csv"))
    )
    assert "garbled" in msg and "row 2 field FNAME" in msg


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("header_only.csv", b"\xef\xbb\xbfFACREG,DISPFACREG\n", "no data rows"),
        (
            "page.csv",
            b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>",
            "web page",
        ),
        ("archive.geojson", b"PK\x03\x04" + b"\x00" * 40, "ZIP"),
        ("book.csv", b"PK\x03\x04" + b"\x00" * 40, ".xlsx"),
        ("notes.xlsx", b"just text, not a workbook\n", "plain text"),
    ],
)
def test_file_not_what_it_says(
    tmp_path: Path,
    seeded_ws: Path,
    name: str,
    content: bytes,
    words: str,
    cli_import_fails: Callable[..., str],
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    msg = cli_import_fails(seeded_ws, "factories", str(path))
    assert name in msg and words in msg


def test_missing_file_is_one_line(
    tmp_path: Path, seeded_ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    msg = cli_import_fails(seeded_ws, "factories", str(tmp_path / "nope.csv"))
    assert "not found" in msg


def test_odd_registry_rows(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
) -> None:
    """A registry export with odd rows: blank lines, '-' cells, spaces, odd FFLAG."""
    rows = api_rows(6)
    rows.loc[1, ["FACTYPE", "ISIC_CODE", "HP", "TOTAL_CAP"]] = ["-", "-", " ", "-"]
    rows.loc[2, "FFLAG"] = "9"
    rows.loc[3, "DISPFACREG"] = "  " + rows.loc[3, "DISPFACREG"] + "  "
    path = write_api_csv(rows, tmp_path / "odd.csv")
    path.write_text(
        path.read_text(encoding="utf-8-sig") + ",,,,,,,,,,,,,,,,,,,,,,,\n\n", encoding="utf-8-sig"
    )
    s = import_file(tmp_path / "w2.gpkg", "factories", path)
    assert s.added == 6 and not s.rejected
    assert any("FFLAG" in n for n in s.notes)
    f = Workspace.open(tmp_path / "w2.gpkg").read("factories").set_index("factory_id")
    assert rows.loc[3, "DISPFACREG"].strip() in f.index
    assert pd.isna(f.loc[rows.loc[1, "DISPFACREG"], "tsic"])


def test_errors_are_ecogis_errors(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows(3)
    rows.loc[0, "LAT"], rows.loc[0, "LNG"] = "101.5", "14.0"
    with pytest.raises(CRSError):
        parse_file("factories", write_api_csv(rows, tmp_path / "s.csv"))
    rows = api_rows(3)
    rows.loc[0, "FACTYPE"] = "7"
    with pytest.raises(DataValidationError, match="factory class"):
        parse_file("factories", write_api_csv(rows, tmp_path / "c.csv"))
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(InputFileError):
        parse_file("factories", tmp_path / "e.csv")
    assert issubclass(InputFileError, EcogisError)


def test_help_has_examples() -> None:
    runner = CliRunner()
    for kind in (
        "factories",
        "provinces",
        "districts",
        "zones",
        "communities",
        "flows",
        "compliance",
        "actionplan",
    ):
        out = runner.invoke(cli, ["import", kind, "--help"])
        assert (
            out.exit_code == 0 and "Example" in out.output and f"ecogis import {kind}" in out.output
        )


def test_cli_subprocess_keeps_thai(diw_raw_geojson: Path, tmp_path: Path) -> None:
    ws = tmp_path / "w.gpkg"
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecogis",
            "import",
            "factories",
            str(diw_raw_geojson),
            "-w",
            str(ws),
            "--json",
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    import json

    summary = json.loads(done.stdout.decode("utf-8"))
    assert summary["added"] == 632 and summary["format"] == "diw-gis"
    assert "โรงงานทะเบียน" in " ".join(summary["notes"])
    bad = tmp_path / "bad.csv"
    bad.write_text("<html>oops</html>")
    done = subprocess.run(
        [sys.executable, "-m", "ecogis", "import", "factories", str(bad), "-w", str(ws)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1 and b"Traceback" not in done.stderr


def test_gis_export_as_thai_shapefile(
    diw_raw_geojson: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    """The GIS export as a cp874 Shapefile without .cpg: garbled column names are caught."""
    import geopandas as gpd

    shp = tmp_path / "diw.shp"
    gpd.read_file(diw_raw_geojson).to_file(shp, encoding="cp874")
    shp.with_suffix(".cpg").unlink()
    ws = tmp_path / "ws.gpkg"
    Workspace.create(ws)
    msg = cli_import_fails(ws, "factories", str(shp))
    assert "garbled" in msg and "--encoding cp874" in msg
    s = import_file(ws, "factories", shp, ImportOptions(encoding="cp874"))
    assert s.added == 632 and s.fmt == "diw-gis"
    names = Workspace.open(ws).read("factories").set_index("factory_id")["name_th"]
    assert names["จ3-9(6)-100/51ปจ"] == "อุดมทรัพย์"


def test_demo_step_round_trip(tmp_path: Path, file_digest: Callable[[Path], str]) -> None:
    from ecogis.demo import build_demo_workspace
    from ecogis.tasks.imports import demo_step

    ws, _ = build_demo_workspace(tmp_path / "demo.gpkg")
    before = file_digest(tmp_path / "demo.gpkg")
    lines = demo_step(ws, tmp_path)
    assert file_digest(tmp_path / "demo.gpkg") == before  # the demo workspace is only read
    assert "all fields identical" in lines[1] and "0 added, 0 updated" in lines[1]
    raw = read_table(tmp_path / "demo_factories_diw_api.csv")
    assert raw["FACREG"].notna().all() and not raw["FACREG"].str.startswith("=").any()


def test_registry_header_below_title_lines(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame]
) -> None:
    rows = api_rows(5)
    rows.loc[2, "HP"] = "สามร้อย"
    width = rows.shape[1]
    title = pd.DataFrame(
        [["ทะเบียนโรงงาน จังหวัดปราจีนบุรี"] + [""] * (width - 1), [""] * width, list(rows.columns)],
        columns=rows.columns,
    )
    path = tmp_path / "titled.xlsx"
    pd.concat([title, rows], ignore_index=True).to_excel(path, index=False, header=False)
    with pytest.raises(DataValidationError, match="row 6 field HP"):
        parse_file("factories", path)  # title row 1, blank row 2, header row 3, data from 4
    rows.loc[2, "HP"] = "300"
    pd.concat([title, rows], ignore_index=True).to_excel(path, index=False, header=False)
    s = import_file(tmp_path / "ws.gpkg", "factories", path)
    assert s.added == 5 and any("header is on row 3" in n for n in s.notes)


def test_decimal_comma_semicolon_csv_and_wrong_sheet(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame]
) -> None:
    rows = api_rows(6)
    rows["LAT"], rows["LNG"] = "13,95", "101,72"  # decimal commas, as Thai/European Excel writes
    path = tmp_path / "semi.csv"
    rows.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    s = import_file(tmp_path / "ws.gpkg", "factories", path)
    assert s.added == 6 and s.unplaced == 0
    pt = Workspace.open(tmp_path / "ws.gpkg").read("factories").geometry.iloc[0]
    assert (pt.x, pt.y) == (101.72, 13.95)
    book = tmp_path / "two.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"หมายเหตุ": ["อ่านก่อน"]}).to_excel(writer, sheet_name="README", index=False)
        api_rows(3).to_excel(writer, sheet_name="Factory_Data", index=False)
    with pytest.raises(InputFileError, match="pass --sheet Factory_Data"):
        parse_file("factories", book)
    assert parse_file("factories", book, ImportOptions(sheet="Factory_Data")).frame.shape[0] == 3


def test_ragged_csv_row(tmp_path: Path, api_rows: Callable[..., pd.DataFrame]) -> None:
    lines = api_rows(4).to_csv(index=False).splitlines()
    lines[2] += ",extra,cells"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError, match="row 3"):
        parse_file("factories", path)


def test_unchanged_reimport_leaves_file_untouched(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    file_digest: Callable[[Path], str],
) -> None:
    before = file_digest(seeded_ws)
    s = import_file(seeded_ws, "factories", write_api_csv(api_rows(), tmp_path / "again.csv"))
    assert (s.added, s.updated, s.unchanged) == (0, 0, 50)
    assert file_digest(seeded_ws) == before
