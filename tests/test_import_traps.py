"""Trap files a registry clerk or a GIS colleague really sends: each must give a correct
import or one clear line, never a traceback, a silent wrong result or a changed workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from ecogis.errors import InputFileError
from ecogis.importers import ImportOptions, parse_file
from ecogis.tasks.imports import import_file
from ecogis.workspace import Workspace


@pytest.fixture
def seeded_ws(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> Path:
    """A workspace holding 50 imported API factories."""
    ws = tmp_path / "ws.gpkg"
    import_file(ws, "factories", write_api_csv(api_rows(), tmp_path / "Factory_Data.csv"))
    return ws


def empty_ws(tmp_path: Path) -> Path:
    """A new workspace without layers (its bytes are compared after a failed import)."""
    ws = tmp_path / "ws.gpkg"
    Workspace.create(ws)
    return ws


def _csv_lines(n: int, api_rows: Callable[..., pd.DataFrame]) -> list[str]:
    return api_rows(n).to_csv(index=False).splitlines()


# ---------------------------------------------------------------------------- CSV layout


def test_trailing_separator_on_data_rows_only(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame]
) -> None:
    """pandas would take the first column as the index and shift every field left."""
    lines = _csv_lines(5, api_rows)
    path = tmp_path / "trailing.csv"
    path.write_text("\n".join([lines[0], *(ln + "," for ln in lines[1:])]), encoding="utf-8")
    frame = parse_file("factories", path).frame.set_index("factory_id")
    rows = api_rows(5)
    assert list(frame.index) == list(rows["DISPFACREG"])
    assert frame.loc[rows.loc[0, "DISPFACREG"], "name_th"] == rows.loc[0, "FNAME"]


def test_filled_extra_cell_is_refused_with_row(
    tmp_path: Path,
    seeded_ws: Path,
    cli_import_fails: Callable[..., str],
    api_rows: Callable[..., pd.DataFrame],
) -> None:
    lines = _csv_lines(5, api_rows)
    lines[3] += ",101.6"
    path = tmp_path / "shifted.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    msg = cli_import_fails(seeded_ws, "factories", str(path))
    assert "shifted.csv row 4" in msg and "'101.6'" in msg and "quotes" in msg


def test_repeated_header_and_totals_row_skipped(
    tmp_path: Path, seeded_ws: Path, api_rows: Callable[..., pd.DataFrame]
) -> None:
    lines = _csv_lines(6, api_rows)
    width = lines[0].count(",")
    body = [lines[0], *lines[1:4], lines[0], *lines[4:], "", "รวมทั้งสิ้น 6 โรงงาน" + "," * width]
    path = tmp_path / "report.csv"
    path.write_text("\n".join(body) + "\n", encoding="utf-8-sig")
    result = parse_file("factories", path)
    assert len(result.frame) == 6
    assert set(result.frame["factory_id"]) == set(api_rows(6)["DISPFACREG"])
    assert any("repeating the header skipped (5)" in n for n in result.notes)
    assert any("totals row" in n and "row 10" in n for n in result.notes)


def test_factory_named_like_a_total_is_kept(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows(4)
    rows.loc[3, "FNAME"] = "รวมมิตรพืชผล"
    rows.loc[3, "DISPFACREG"] = "3-9(6)-77/50ปจ"
    frame = parse_file("factories", write_api_csv(rows, tmp_path / "r.csv")).frame
    assert "รวมมิตรพืชผล" in set(frame["name_th"])


def test_footnote_row_is_not_a_factory(
    tmp_path: Path,
    seeded_ws: Path,
    cli_import_fails: Callable[..., str],
    api_rows: Callable[..., pd.DataFrame],
) -> None:
    lines = _csv_lines(5, api_rows)
    width = lines[0].count(",")
    lines.append(",ที่มา: กรมโรงงานอุตสาหกรรม ข้อมูล ณ 1 ม.ค. 2568" + "," * (width - 1))
    path = tmp_path / "note.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    msg = cli_import_fails(seeded_ws, "factories", str(path))
    assert "note.csv row 7 field DISPFACREG" in msg and "not a registration number" in msg


# ---------------------------------------------------------------------------- coordinates


@pytest.mark.parametrize(
    ("text", "degrees"),
    [
        ("13°37'8.1\"", 13.618917),
        ("13° 37.135' N", 13.618917),
        ("E 101 53 3.5", 101.884306),
        ("101°53′03.5″E", 101.884306),
        ("13 องศา 37 ลิปดา 8 ฟิลิปดา", 13.618889),
        ("13°37'8.1\"S", -13.618917),
        ("๑๓.๕", 13.5),
        (" 13.61891 ", 13.61891),
        ("13.95N", 13.95),
        ("S 13.5", -13.5),
    ],
)
def test_coordinate_text_forms(text: str, degrees: float) -> None:
    from ecogis.importers.base import parse_coordinate

    assert parse_coordinate(text) == pytest.approx(degrees, abs=1e-6)


def test_dms_and_thai_digit_coordinates_import_at_the_right_place(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows(3).assign(LAT="", LNG="")
    rows.loc[0, ["LAT", "LNG"]] = ["13°37'8.1\"", "101°53'3.5\""]
    rows.loc[1, ["LAT", "LNG"]] = ["๑๓.๖๑๘๙", "๑๐๑.๘๘๔๓"]
    frame = parse_file("factories", write_api_csv(rows, tmp_path / "dms.csv")).frame
    pts = frame.set_index("factory_id").geometry
    for i in (0, 1):
        p = pts[rows.loc[i, "DISPFACREG"]]
        assert (p.y, p.x) == pytest.approx((13.6189, 101.8843), abs=1e-4)


def test_bad_coordinate_text_names_row_and_field(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(4)
    rows.loc[2, ["LAT", "LNG"]] = ["13°75'0\"", "101.5"]
    msg = cli_import_fails(seeded_ws, "factories", str(write_api_csv(rows, tmp_path / "m.csv")))
    assert "m.csv row 4 field LAT" in msg and "minutes or seconds of 60" in msg
    rows.loc[2, ["LAT", "LNG"]] = ["สิบสาม", "101.5"]
    msg = cli_import_fails(seeded_ws, "factories", str(write_api_csv(rows, tmp_path / "m.csv")))
    assert "row 4 field LAT: 'สิบสาม' is not a latitude" in msg
    assert "could not convert" not in msg


def test_number_placeholders_keep_the_row_unplaced(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    rows = api_rows(5).assign(LAT="13.9", LNG="101.5")
    rows.loc[1, ["LAT", "LNG"]] = ["999", "999"]
    rows.loc[2, ["LAT", "LNG"]] = ["-9999", "-9999"]
    rows.loc[3, ["LAT", "LNG"]] = ["0", "101.5"]
    result = parse_file("factories", write_api_csv(rows, tmp_path / "p.csv"))
    flags = result.frame.set_index("factory_id")["coord_flag"]
    assert list(flags[rows["DISPFACREG"]]) == ["ok", *["placeholder"] * 3, "ok"]
    assert result.unplaced == 3


def test_a_few_swapped_features_are_called_swapped_not_metres(
    landmarks_geojson: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    """Three points with x/y exchanged among a thousand right ones."""
    lm = gpd.read_file(landmarks_geojson)
    lm.loc[lm.index[:3], "geometry"] = [shapely.Point(p.y, p.x) for p in lm.geometry[:3]]
    path = tmp_path / "landmarks_swapped.geojson"
    lm.to_file(path)
    ws = empty_ws(tmp_path)
    msg = cli_import_fails(ws, "communities", str(path))
    assert "row 1" in msg and "3 feature(s) have latitude and longitude swapped" in msg
    assert "metres" not in msg
    s = import_file(ws, "communities", path, ImportOptions(swap_latlon=True))
    assert s.added == len(lm)
    first = Workspace.open(ws).read("communities").set_index("community_id").geometry
    p = first[f"LM-{lm.loc[0, 'lm_id']}"]
    assert 99 < p.x < 101 and 13 < p.y < 15


# ---------------------------------------------------------------------------- cleaned registry


def test_clean_registry_csv_is_recognised_and_equals_the_raw_export(
    shared_data: Path, diw_raw_geojson: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    """The English-named derivative of the GIS export gives exactly the same factories."""
    import pandas as pd

    clean = shared_data / "thailand" / "diw_factories_prachinburi_clean.csv"
    if not clean.exists():
        pytest.skip(f"{clean} is not here")
    a = parse_file("factories", diw_raw_geojson).frame.set_index("factory_id")
    r = parse_file("factories", clean)
    assert r.fmt == "diw-clean"
    b = r.frame.set_index("factory_id")
    assert len(b) == 632 and set(a.index) == set(b.index)
    b = b.loc[a.index]
    for col in a.columns.drop(["source", "geometry"]):
        pd.testing.assert_series_equal(a[col], b[col], check_dtype=False, obj=col)
    assert a.geometry.geom_equals_exact(b.geometry, tolerance=1e-7).all()
    assert (
        "operator" not in b.columns
        and not b.astype(str).isin(["[individual - withheld]"]).any().any()
    )
    # a bad value is named with the file's own column name
    raw = pd.read_csv(clean, dtype=str, keep_default_na=False)
    raw.loc[4, "isic"] = "ABC"
    bad = tmp_path / "clean.csv"
    raw.to_csv(bad, index=False)
    ws = empty_ws(tmp_path)
    assert "clean.csv row 6 field isic: 'ABC'" in cli_import_fails(ws, "factories", str(bad))


def test_clean_layout_with_human_types_only(tmp_path: Path) -> None:
    import pandas as pd

    from ecogis.importers.diw_clean import clean_to_gis

    raw = pd.DataFrame(
        {"reg_no_old": ["3-105-1/60ปจ", "3-9(6)-2/60ปจ"], "factory_type": ["105", "9(6)"],
         "workers_total": ["12", "3"], "operator": ["นาย ก", "บริษัท ข"]}
    )  # fmt: skip
    out = clean_to_gis(raw)
    assert list(out["ประเภท"]) == ["10500", "00906"]
    assert list(out["ช่างฝีมือช"]) == ["12", "3"]
    assert "operator" not in out.columns


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("15 ธ.ค. 2551", "2008-12-15"),
        ("๑๕ ธ.ค. ๒๕๕๑", "2008-12-15"),
        ("15 ธันวาคม พ.ศ. 2551", "2008-12-15"),
        ("15 ธ.ค. 51", "2008-12-15"),
        ("15 ธค 2551", "2008-12-15"),
        ("2551-12-15", "2008-12-15"),
        ("15-Dec-2008", "2008-12-15"),
        ("39797", "2008-12-15"),
        ("239021", "2011-05-31"),
        ("0", None),
        ("00/00/0000", None),
        ("0000-00-00 00:00:00", None),
    ],
)
def test_date_forms(text: str, iso: str | None) -> None:
    from ecogis.importers.base import parse_date

    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("15/12/08", "two-digit year"),
        ("15 Dec 08", "two-digit year"),
        ("12/15/2008", "month/day/year"),
        ("31/02/2008", "not a real date"),
        ("2551", "is a year, not a date"),
        ("120", "too small: before 1927"),
    ],
)
def test_ambiguous_dates_refused_with_the_reason(
    text: str,
    words: str,
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(4).assign(LICENSE_DATE="2008-12-15")
    rows.loc[1, "LICENSE_DATE"] = text
    msg = cli_import_fails(seeded_ws, "factories", str(write_api_csv(rows, tmp_path / "d.csv")))
    assert "d.csv row 3 field LICENSE_DATE" in msg and words in msg


# ---------------------------------------------------------------------------- vector traps


def _raw_without_coordinate_columns(diw_raw_geojson: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(diw_raw_geojson).drop(columns=["ละติจูด", "ลองติจูด"]).head(40)


def test_factory_sites_as_polygons_or_multipoints(diw_raw_geojson: Path, tmp_path: Path) -> None:
    raw = _raw_without_coordinate_columns(diw_raw_geojson)
    sites = raw.assign(geometry=raw.to_crs(32647).buffer(30).to_crs(4326))
    multi = raw.assign(geometry=[shapely.MultiPoint([g]) for g in raw.geometry])
    for name, frame in (("sites.geojson", sites), ("multi.gpkg", multi)):
        frame.to_file(tmp_path / name)
        r = parse_file("factories", tmp_path / name)
        assert r.unplaced == 0 and any("not single points" in n for n in r.notes)
        got = r.frame.set_index("factory_id").geometry.loc[raw["เลขทะเบียน"]]
        want = gpd.GeoSeries(raw.geometry.to_numpy(), index=got.index, crs=4326)
        assert (got.to_crs(32647).distance(want.to_crs(32647)) < 31).all()


def test_utf8_shapefile_with_cut_thai_column_names(
    diw_raw_geojson: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpd.read_file(diw_raw_geojson).head(20).to_file(tmp_path / "f.shp", encoding="utf-8")
    ws = empty_ws(tmp_path)
    msg = cli_import_fails(ws, "factories", str(tmp_path / "f.shp"))
    assert "column names were cut to 10 bytes" in msg and "'เลข'" in msg and "GeoPackage" in msg


def test_utf8_shapefile_with_cut_thai_values(
    tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    names = ["วัดหนองดินแดง", "โรงเรียนบ้านหนองดินแดง"]
    frame = gpd.GeoDataFrame(
        {"lm_id": [1, 2], "lm_type": ["04102", "04104"], "lm_name_t": names},
        geometry=[shapely.Point(100.05, 13.84), shapely.Point(100.06, 13.85)],
        crs=4326,
    )
    frame.to_file(tmp_path / "lm.shp", encoding="utf-8")
    dbf = tmp_path / "lm.dbf"
    data = bytearray(dbf.read_bytes())
    whole = names[1].encode("utf-8")
    at = data.find(whole)
    data[at + len(whole) - 2 : at + len(whole)] = b"  "  # the field ended mid-character
    dbf.write_bytes(bytes(data))
    ws = empty_ws(tmp_path)
    msg = cli_import_fails(ws, "communities", str(tmp_path / "lm.shp"))
    assert "column 'lm_name_t' is cut in the middle of a character (row 2" in msg


def test_registration_number_with_spaces_is_the_same_factory(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
) -> None:
    rows = api_rows()
    spaced = rows["DISPFACREG"].str.replace("/", " / ", regex=False)
    s = import_file(
        seeded_ws, "factories", write_api_csv(rows.assign(DISPFACREG=spaced), tmp_path / "s.csv")
    )
    assert s.added == 0 and s.unchanged == 50
    assert any("spaces removed" in n for n in s.notes)


def test_title_row_merged_across_above_a_communities_sheet(
    tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["รายชื่อชุมชน อำเภอกบินทร์บุรี"])
    sheet.merge_cells("A1:E1")
    sheet.append(["community_id", "name_th", "kind", "lat", "lon"])
    sheet.append(["C1", "บ้านหนองปลาไหล", "หมู่บ้าน", 13.95, 101.72])
    sheet.append(["C2", "โรงเรียนวัดใหม่", "โรงเรียน", "", ""])
    path = tmp_path / "communities.xlsx"
    book.save(path)
    ws = empty_ws(tmp_path)
    # the second place has no coordinates: the message names its spreadsheet row (4)
    assert "communities.xlsx row 4 field lat" in cli_import_fails(ws, "communities", str(path))
    sheet["D4"], sheet["E4"] = 13.96, 101.70
    book.save(path)
    r = parse_file("communities", path)
    assert list(r.frame["kind"]) == ["village", "school"]
    assert "the header is on row 2, below title lines" in r.notes


# ---------------------------------------------------------------------------- mapped files


def test_mapped_values_checked_with_their_row(
    tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    ws = empty_ws(tmp_path)
    table = tmp_path / "mine.csv"
    table.write_text(
        "id,ชื่อ,status,lat,lon,tsic\n"
        "F1,โรงงาน ก,operating,13.9,101.5,1062\n"
        "F2,โรงงาน ข,running,13.95,101.6,10621\n",
        encoding="utf-8",
    )
    msg = cli_import_fails(
        ws, "factories", str(table), "--map", "id=factory_id", "--map", "ชื่อ=name_th"
    )
    assert "mine.csv row 3 field status: 'running' is not one of" in msg
    assert "more row" not in msg  # TSIC 1062 is normalised to 01062 first, not a problem


def test_communities_yes_no_column(tmp_path: Path, cli_import_fails: Callable[..., str]) -> None:
    ws = empty_ws(tmp_path)
    table = tmp_path / "places.csv"
    table.write_text(
        "id,ชื่อ,kind,sensitive,lat,lon\n"
        "C1,บ้าน ก,หมู่บ้าน,,13.9,101.5\n"
        "C2,วัด ข,วัด,ไม่ใช่,13.9,101.6\n"
        "C3,ร้าน ค,shop,,13.9,101.61\n",
        encoding="utf-8",
    )
    opts = ImportOptions(mapping={"id": "community_id", "ชื่อ": "name_th"})
    frame = parse_file("communities", table, opts).frame.set_index("community_id")
    # the one receptor rule (ecogis.receptors): a village is population, not a protected
    # place; a temple is protected whatever the cell says; a shop is not
    assert frame["sensitive"].to_dict() == {"C1": False, "C2": True, "C3": False}
    table.write_text(table.read_text().replace("ไม่ใช่", "maybe"), encoding="utf-8")
    msg = cli_import_fails(
        ws, "communities", str(table), "--map", "id=community_id", "--map", "ชื่อ=name_th"
    )
    assert "places.csv row 3 field sensitive: 'maybe' is not yes or no" in msg


def test_report_style_export_as_a_user_runs_it(
    tmp_path: Path,
    seeded_ws: Path,
    file_digest: Callable[[Path], str],
    api_rows: Callable[..., pd.DataFrame],
) -> None:
    """``python -m ecogis import``: a good trap imports, a bad one leaves the file as it was."""
    import json
    import subprocess
    import sys

    lines = _csv_lines(50, api_rows)
    width = lines[0].count(",")
    good = [lines[0], *(ln + "," for ln in lines[1:30]), lines[0], *lines[30:]]
    good += ["", "รวมทั้งสิ้น 50 โรงงาน" + "," * width]
    path = tmp_path / "รายงานโรงงาน.csv"
    path.write_text("\n".join(good) + "\n", encoding="utf-8-sig")
    cmd = [sys.executable, "-m", "ecogis", "import", "factories", str(path), "-w", str(seeded_ws)]
    done = subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["added"], summary["unchanged"]) == (0, 50)
    assert any("totals row" in n for n in summary["notes"])
    before = file_digest(seeded_ws)
    lines[7] += ",13.9"
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert done.returncode == 1 and len(errors) == 1 and "Traceback" not in done.stderr
    assert "รายงานโรงงาน.csv row 8" in errors[0]
    assert file_digest(seeded_ws) == before


def test_files_of_the_wrong_sort(
    tmp_path: Path, landmarks_geojson: Path, cli_import_fails: Callable[..., str]
) -> None:
    ws = empty_ws(tmp_path)
    msg = cli_import_fails(ws, "compliance", str(landmarks_geojson))
    assert "is a .geojson file, not a table" in msg
    plain = tmp_path / "export.json"
    plain.write_text('[{"name": "วัดใหม่", "lat": 13.9}]', encoding="utf-8")
    assert "is JSON but not GeoJSON (a list" in cli_import_fails(ws, "communities", str(plain))
    cut = tmp_path / "cut.geojson"
    cut.write_bytes(landmarks_geojson.read_bytes()[:5000])
    msg = cli_import_fails(ws, "communities", str(cut))
    assert "fetched again" in msg and "It might help" not in msg


def test_encoding_traps(
    tmp_path: Path,
    seeded_ws: Path,
    api_rows: Callable[..., pd.DataFrame],
    write_api_csv: Callable[..., Path],
    cli_import_fails: Callable[..., str],
) -> None:
    rows = api_rows(6)
    utf8 = write_api_csv(rows, tmp_path / "utf8.csv")
    msg = cli_import_fails(seeded_ws, "factories", str(utf8), "--encoding", "cp874")
    assert "the file is UTF-8: leave out --encoding" in msg
    utf16 = write_api_csv(rows, tmp_path / "utf16.csv", encoding="utf-16")
    assert import_file(tmp_path / "w16.gpkg", "factories", utf16).added == 6
    msg = cli_import_fails(seeded_ws, "factories", str(utf16), "--encoding", "utf-8")
    assert "UTF-16" in msg and "leave out --encoding" in msg
    cut = tmp_path / "cut16.csv"
    cut.write_bytes(utf16.read_bytes()[:1001])
    assert "UTF-16 file is cut" in cli_import_fails(seeded_ws, "factories", str(cut))


def test_two_columns_mapped_onto_one_field(
    tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    ws = empty_ws(tmp_path)
    table = tmp_path / "mine.csv"
    table.write_text("id,ชื่อ,ชื่อเดิม,lat,lon\nF1,โรงงาน ก,เดิม,13.9,101.5\n", encoding="utf-8")
    args = ("--map", "id=factory_id", "--map", "ชื่อ=name_th", "--map", "ชื่อเดิม=name_th")
    msg = cli_import_fails(ws, "factories", str(table), *args)
    assert "--map sends two columns ('ชื่อ' and 'ชื่อเดิม') to name_th" in msg


def test_arcgis_point_xy_table_in_utm(
    landmarks_geojson: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    lm = gpd.read_file(landmarks_geojson).head(30)
    utm = lm.to_crs(32647)
    table = lm.drop(columns="geometry").assign(
        POINT_X=utm.geometry.x.round(2), POINT_Y=utm.geometry.y.round(2)
    )
    path = tmp_path / "landmarks_xy.csv"
    table.to_csv(path, index=False)
    ws = empty_ws(tmp_path)
    assert "pass --crs EPSG:32647" in cli_import_fails(ws, "communities", str(path))
    got = parse_file("communities", path, ImportOptions(crs="EPSG:32647")).frame
    got = got.set_index("community_id").geometry.to_crs(32647)
    want = utm.set_index("LM-" + lm["lm_id"].astype(str)).geometry
    assert (got.distance(want.loc[got.index]) < 0.05).all()


def test_crs_given_for_a_geojson_without_one(landmarks_geojson: Path, tmp_path: Path) -> None:
    import json

    data = json.loads(gpd.read_file(landmarks_geojson).head(20).to_crs(32647).to_json())
    data.pop("crs", None)
    path = tmp_path / "utm.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = parse_file("communities", path, ImportOptions(crs="EPSG:32647"))
    assert "the file declares no CRS; read as EPSG:32647 (--crs)" in r.notes
    assert not any("overridden" in n for n in r.notes)


def test_features_of_the_wrong_geometry_kind(
    landmarks_geojson: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    ws = empty_ws(tmp_path)
    zones = gpd.GeoDataFrame(
        {"CODE": ["Z1", "Z2"], "NAME": ["นิคม ก", "สวน ข"]},
        geometry=[shapely.Point(101.75, 13.95), shapely.box(101.5, 13.85, 101.56, 13.9)],
        crs=4326,
    )
    zones.to_file(tmp_path / "zones.geojson")
    msg = cli_import_fails(
        ws,
        "zones",
        str(tmp_path / "zones.geojson"),
        "--map",
        "CODE=zone_id",
        "--map",
        "NAME=name_th",
    )
    assert "row 1 field geometry: the feature is a Point; industrial_zones are polygons" in msg
    lm = gpd.read_file(landmarks_geojson).head(3)
    lm["geometry"] = [shapely.LineString([(p.x, p.y), (p.x + 0.001, p.y)]) for p in lm.geometry]
    lm.to_file(tmp_path / "roads.geojson")
    msg = cli_import_fails(ws, "communities", str(tmp_path / "roads.geojson"))
    assert "the feature is a LineString; communities are points or polygons" in msg


# ---------------------------------------------------------------------------- re-import


def test_a_later_file_without_coordinates_keeps_the_stored_points(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    """GIS-like file with points, then the API CSV where 40 % of rows have none."""
    rows = api_rows(10).assign(LAT="13.95", LNG="101.72", FFLAG="1")
    ws = tmp_path / "ws.gpkg"
    import_file(ws, "factories", write_api_csv(rows, tmp_path / "first.csv"))
    later = rows.copy()
    later.loc[:3, ["LAT", "LNG"]] = ["", ""]
    later.loc[4, ["LAT", "LNG"]] = ["0", "0"]
    later.loc[5, ["LAT", "LNG"]] = ["13.90", "101.52"]  # a real new position wins
    later["FID"] = ""  # a column the later export does not fill
    s = import_file(ws, "factories", write_api_csv(later, tmp_path / "later.csv"))
    assert s.unplaced == 0 and (s.added, s.updated) == (0, 1)
    assert any(
        "5 factory(ies) without coordinates in this file kept the point" in n for n in s.notes
    )
    f = Workspace.open(ws).read("factories").set_index("factory_id")
    ids = rows["DISPFACREG"]
    assert f.loc[ids[:5], "coord_flag"].eq("ok").all()
    assert all(p.x == pytest.approx(101.72) for p in f.loc[ids[:5]].geometry)
    assert f.loc[ids[5]].geometry.x == pytest.approx(101.52)
    assert list(f.loc[ids, "fid_diw"]) == list(rows["FID"])


def test_gis_export_after_the_api_keeps_the_status(
    diw_raw_geojson: Path, tmp_path: Path, write_api_csv: Callable[..., Path]
) -> None:
    raw = gpd.read_file(diw_raw_geojson).head(5)
    api = pd.DataFrame(
        {"DISPFACREG": raw["เลขทะเบียน"], "FNAME": raw["ชื่อโรงงาน"].fillna("x"), "FFLAG": "1",
         "LAT": raw["ละติจูด"].astype(str), "LNG": raw["ลองติจูด"].astype(str)}
    )  # fmt: skip
    ws = tmp_path / "ws.gpkg"
    import_file(ws, "factories", write_api_csv(api, tmp_path / "api.csv"))
    raw.to_file(tmp_path / "gis.geojson")
    s = import_file(ws, "factories", tmp_path / "gis.geojson")
    assert any("kept as stored" in n and "status" in n for n in s.notes)
    status = Workspace.open(ws).read("factories")["status"]
    assert status.eq("operating").all()


def test_districts_given_as_provinces(
    shared_data: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    """Would have replaced every province by one of its districts (rows 'merged')."""
    districts = shared_data / "thailand" / "th_districts_opengisdata.geojson"
    if not districts.exists():
        pytest.skip(f"{districts} is not here")
    ws = empty_ws(tmp_path)
    msg = cli_import_fails(ws, "provinces", str(districts))
    assert "holds district boundaries" in msg and "ecogis import districts" in msg


def test_same_key_different_shape_is_a_duplicate_not_a_repeat(
    tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    zones = gpd.GeoDataFrame(
        {"CODE": ["Z1", "Z1"], "NAME": ["นิคม ก", "นิคม ก"]},
        geometry=[shapely.box(101.5, 13.8, 101.6, 13.9), shapely.box(101.7, 13.9, 101.8, 14.0)],
        crs=4326,
    )
    zones.to_file(tmp_path / "z.geojson")
    ws = empty_ws(tmp_path)
    msg = cli_import_fails(
        ws, "zones", str(tmp_path / "z.geojson"), "--map", "CODE=zone_id", "--map", "NAME=name_th"
    )
    assert "row 2 field zone_id: duplicate zone ID 'Z1' (also in row 1)" in msg
    places = tmp_path / "places.csv"
    places.write_text(
        "community_id,name_th,kind,lat,lon\n"
        "C1,บ้าน ก,village,13.9,101.5\n"
        "C1,บ้าน ก,village,14.1,101.7\n",
        encoding="utf-8",
    )
    assert "duplicate" in cli_import_fails(ws, "communities", str(places))


def test_gis_features_with_one_id_at_two_places(
    diw_raw_geojson: Path, tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    raw = _raw_without_coordinate_columns(diw_raw_geojson)
    twin = raw.iloc[[3]].assign(geometry=[shapely.Point(101.5, 14.0)])
    pd.concat([raw, twin]).pipe(gpd.GeoDataFrame, crs=4326).to_file(tmp_path / "twin.geojson")
    ws = empty_ws(tmp_path)
    msg = cli_import_fails(ws, "factories", str(tmp_path / "twin.geojson"))
    assert f"row {len(raw) + 1} field เลขทะเบียน: duplicate registration number" in msg
    raw.iloc[[3]].pipe(lambda d: pd.concat([raw, d])).to_file(tmp_path / "repeat.geojson")
    r = parse_file("factories", tmp_path / "repeat.geojson")
    assert len(r.frame) == len(raw) and any("1 exact duplicate" in n for n in r.notes)


def test_excel_separator_hint_line(tmp_path: Path, api_rows: Callable[..., pd.DataFrame]) -> None:
    """Excel writes 'sep=;' as the first line of some CSVs; it hides it (header = row 1)."""
    rows = api_rows(5)
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\r\n" + rows.to_csv(index=False, sep=";"), encoding="utf-8-sig")
    frame = parse_file("factories", path).frame
    assert set(frame["factory_id"]) == set(rows["DISPFACREG"])
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] += ";13.9"  # the spreadsheet's row 3
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError, match="row 3"):
        parse_file("factories", path)


def test_workbook_whose_data_is_on_another_sheet(
    tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "คำอธิบาย"
    notes.append(["ข้อมูลชุมชน", "จัดทำโดย อบต."])
    notes.append(["ปรับปรุง", "2567"])
    data = book.create_sheet("ชุมชน")
    data.append(["community_id", "name_th", "kind", "lat", "lon"])
    data.append(["C1", "บ้านหนองปลาไหล", "หมู่บ้าน", 13.95, 101.72])
    path = tmp_path / "book.xlsx"
    book.save(path)
    ws = empty_ws(tmp_path)
    assert "--sheet ชุมชน" in cli_import_fails(ws, "communities", str(path))
    assert len(parse_file("communities", path, ImportOptions(sheet="ชุมชน")).frame) == 1


def test_mapped_qgis_layer_in_utm_with_blank_names(diw_raw_geojson: Path, tmp_path: Path) -> None:
    raw = gpd.read_file(diw_raw_geojson).head(30)
    layer = gpd.GeoDataFrame(
        {"REG": raw["เลขทะเบียน"], "NAME": raw["ชื่อโรงงาน"].where(raw.index % 5 > 0, "-")},
        geometry=raw.geometry,
        crs=4326,
    ).to_crs(32647)
    layer.to_file(tmp_path / "qgis.gpkg", layer="โรงงาน")
    opts = ImportOptions(mapping={"REG": "factory_id", "NAME": "name_th"})
    r = parse_file("factories", tmp_path / "qgis.gpkg", opts)
    f = r.frame.set_index("factory_id")
    assert f["name_th"].notna().all() and any("labelled" in n for n in r.notes)
    got = f.geometry.loc[raw["เลขทะเบียน"]].to_crs(32647)
    assert (got.distance(layer.set_index("REG").geometry) < 0.01).all()


def test_blank_required_name_is_named_by_row(
    tmp_path: Path, cli_import_fails: Callable[..., str]
) -> None:
    places = tmp_path / "places.csv"
    places.write_text(
        "community_id,name_th,kind,lat,lon\nC1,บ้าน ก,village,13.9,101.5\nC2,,school,14.1,101.7\n",
        encoding="utf-8",
    )
    msg = cli_import_fails(empty_ws(tmp_path), "communities", str(places))
    assert "places.csv row 3 field name_th: Name (Thai) (ชื่อ) is empty" in msg
