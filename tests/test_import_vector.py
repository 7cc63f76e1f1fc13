"""Vector importers: boundaries, zones, communities; CRS, encoding and geometry traps."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from ecogis.catalogue.provinces import target_provinces
from ecogis.errors import CRSError, DataValidationError, UnitError
from ecogis.importers import ImportOptions, parse_file
from ecogis.importers.checks import garbled_kind, guess_utm_epsg
from ecogis.importers.layouts import community_kind, zone_type
from ecogis.tasks.imports import import_file
from ecogis.workspace import Workspace


def zones_frame() -> gpd.GeoDataFrame:
    """Three zones in Prachin Buri (Kabin Buri / Si Maha Phot), built in code."""
    return gpd.GeoDataFrame(
        {
            "ZONE_CODE": ["Z1", "Z2", "Z3"],
            "NAME": ["นิคมอุตสาหกรรมทดสอบ 304", "สวนอุตสาหกรรมทดสอบ", "เขตประกอบการอุตสาหกรรมทดสอบ"],
            "TYPE": ["นิคมอุตสาหกรรม", "Industrial Park", "เขตประกอบการอุตสาหกรรม"],
            "AREA_RAI": ["6250", "1250", "625"],
        },
        geometry=[
            shapely.box(101.70, 13.90, 101.80, 14.00),
            shapely.box(101.50, 13.85, 101.56, 13.90),
            shapely.box(101.60, 14.05, 101.62, 14.07),
        ],
        crs=4326,
    )


@pytest.fixture
def empty_ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws.gpkg"
    Workspace.create(path)
    return path


# ---------------------------------------------------------------------------- helpers


def test_kind_and_zone_words() -> None:
    assert community_kind("04104") == "school"
    assert community_kind("โรงพยาบาลส่งเสริมสุขภาพตำบล") == "hospital"
    assert community_kind("วัดไผ่ล้อม") == "temple"
    assert community_kind("ร้านค้า") == "other"
    assert zone_type("นิคมอุตสาหกรรม") == "estate"
    assert zone_type("ชุมชนอุตสาหกรรม") == "community"
    assert zone_type("Industrial Park") == "park"
    targets = {p.pro_code: p for p in target_provinces()}
    assert len(targets) == 15 and targets["25"].name_en == "Prachin Buri"


def test_garbled_kinds() -> None:
    thai = "โรงเรียนวัดไผ่ล้อม"
    assert garbled_kind(thai) is None
    assert garbled_kind(thai.encode("utf-8").decode("latin-1")) == "utf8-as-latin1"
    assert garbled_kind(thai.encode("cp874").decode("latin-1")) == "cp874-as-latin1"
    assert garbled_kind("Café Müller") is None


def test_guess_utm_zone_from_numbers() -> None:
    assert guess_utm_epsg([591_000, 644_000], [1_509_000, 1_568_000]) == [32647]
    # Buri Ram in zone 48 (about 103.1°E): in zone 47 the same numbers fall west of Thailand.
    assert guess_utm_epsg([300_000, 320_000], [1_600_000, 1_620_000]) == [32648]
    # Numbers that fit both zones are reported as such (both listed), never guessed silently.
    assert sorted(guess_utm_epsg([490_000, 500_000], [1_680_000, 1_690_000])) == [32647, 32648]


# ---------------------------------------------------------------------------- real boundaries


def test_provinces_real_file(provinces_geojson: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.gpkg"
    s = import_file(ws, "provinces", provinces_geojson)
    assert s.added == 77 and "OpenGISData" in s.fmt
    p = Workspace.open(ws).read("provinces").set_index("pro_code")
    assert p.loc["25", "name_th"] == "ปราจีนบุรี" and p.loc["25", "name_en"] == "Prachin Buri"
    assert p.loc["55", "name_en"] == "Nan"  # not mistaken for a missing value
    assert int(p["eit_target"].sum()) == 15 and bool(p.loc["21", "eit_target"])
    assert p.loc["21", "area_km2"] == pytest.approx(3665, rel=0.01)  # geodesic, km²
    assert p.loc["25", "region"] == "East"
    again = import_file(ws, "provinces", provinces_geojson)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 77)


def test_districts_and_hdx(shared_data: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.gpkg"
    d = shared_data / "thailand"
    s = import_file(ws, "districts", d / "th_districts_opengisdata.geojson")
    assert s.added == 928
    h = import_file(ws, "districts", d / "th_adm2_hdx_codab_simplified.geojson")
    assert "HDX" in h.fmt and h.added == 1  # Wiang Kao: 4026 here, 4029 in HDX
    a1 = import_file(tmp_path / "w1.gpkg", "provinces", d / "th_adm1_hdx_codab_simplified.geojson")
    assert a1.added == 77
    p = Workspace.open(tmp_path / "w1.gpkg").read("provinces")
    assert set(p["pro_code"].str.len()) == {2}
    g = import_file(tmp_path / "w2.gpkg", "provinces", d / "th_admin_boundaries.gpkg")
    assert g.added == 77  # the 'provinces' layer chosen from a two-layer GeoPackage


def test_landmarks_as_communities(landmarks_geojson: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.gpkg"
    s = import_file(ws, "communities", landmarks_geojson)
    assert s.added == 1043
    c = Workspace.open(ws).read("communities")
    counts = c["kind"].value_counts()
    assert counts["temple"] == 215 and counts["school"] == 364 and counts["hospital"] == 151
    assert counts["government"] == 127 and counts["other"] == 1043 - 215 - 364 - 151 - 127
    assert c.loc[c["kind"] == "school", "sensitive"].all()
    assert not c.loc[c["kind"] == "other", "sensitive"].any()
    assert c["community_id"].str.startswith("LM-").all()


def test_landmarks_in_utm_without_crs(
    landmarks_geojson: Path, tmp_path: Path, empty_ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    """The original landmark layer: UTM 47N metres in a GeoJSON with no CRS."""
    utm = gpd.read_file(landmarks_geojson).to_crs(32647)
    data = json.loads(utm.to_json())
    data.pop("crs", None)
    path = tmp_path / "landmarks_utm.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    msg = cli_import_fails(empty_ws, "communities", str(path))
    assert "metres" in msg and "--crs EPSG:32647" in msg and "E 592" in msg
    s = import_file(empty_ws, "communities", path, ImportOptions(crs="EPSG:32647"))
    assert s.added == 1043
    got = Workspace.open(empty_ws).read("communities").geometry.iloc[0]
    want = gpd.read_file(landmarks_geojson).geometry.iloc[0]
    assert got.distance(want) < 1e-7


def test_thai_shapefile_needs_cp874(
    landmarks_geojson: Path, tmp_path: Path, empty_ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    g = gpd.read_file(landmarks_geojson).drop(columns=["lm_type_en", "sensitive_receptor"])
    shp = tmp_path / "lm.shp"
    g.to_file(shp, encoding="cp874")
    shp.with_suffix(".cpg").unlink()  # a Thai DBF without its .cpg, as many are
    msg = cli_import_fails(empty_ws, "communities", str(shp))
    assert "garbled" in msg and "--encoding cp874" in msg and "lm_name_t" in msg
    s = import_file(empty_ws, "communities", shp, ImportOptions(encoding="cp874"))
    assert s.added == 1043
    names = Workspace.open(empty_ws).read("communities")["name_th"]
    assert names.str.contains("[\u0e00-\u0e7f]").all()


def test_indian_1975_named(landmarks_geojson: Path, tmp_path: Path) -> None:
    g = gpd.read_file(landmarks_geojson).head(20).to_crs(24047)
    path = tmp_path / "i75.gpkg"
    g.to_file(path)
    s = import_file(tmp_path / "ws.gpkg", "communities", path)
    note = " ".join(s.notes)
    assert "Indian 1975" in note and "Indian 1975 to WGS 84" in note and "differ by up to" in note


# ---------------------------------------------------------------------------- zones


def test_zones_with_mapping_units_and_factory_join(
    tmp_path: Path, api_rows: Callable[..., pd.DataFrame], write_api_csv: Callable[..., Path]
) -> None:
    ws = tmp_path / "ws.gpkg"
    rows = api_rows(6)
    rows["LAT"], rows["LNG"] = "13.95", "101.75"  # inside Z1
    rows.loc[5, ["LAT", "LNG"]] = ["14.20", "101.30"]  # outside every zone
    import_file(ws, "factories", write_api_csv(rows, tmp_path / "f.csv"))
    zpath = tmp_path / "zones.gpkg"
    zones_frame().to_file(zpath)
    mapping = {
        "ZONE_CODE": "zone_id",
        "NAME": "name_th",
        "TYPE": "zone_type",
        "AREA_RAI": "green_area_ha[rai]",
    }
    s = import_file(ws, "zones", zpath, ImportOptions(mapping=mapping))
    assert s.added == 3 and any("zone_id refreshed: 5 inside" in n for n in s.notes)
    z = Workspace.open(ws).read("industrial_zones").set_index("zone_id")
    assert list(z["zone_type"]) == ["estate", "park", "zone"]
    assert z.loc["Z3", "green_area_ha"] == pytest.approx(100.0)  # 625 rai = 100 ha
    # 0.1° × 0.1° near 14°N ≈ 10.8 km × 11.1 km; computed in metres, not degrees.
    assert 11_000 < z.loc["Z1", "area_ha"] < 12_500
    f = Workspace.open(ws).read("factories").set_index("factory_id")
    assert (f["zone_id"] == "Z1").sum() == 5 and pd.isna(
        f.loc[rows.loc[5, "DISPFACREG"], "zone_id"]
    )
    # New factories imported after the zones get their zone_id at once.
    more = api_rows(8).iloc[6:].assign(LAT="13.87", LNG="101.53")
    s2 = import_file(ws, "factories", write_api_csv(more, tmp_path / "g.csv"))
    assert s2.added == 2
    f = Workspace.open(ws).read("factories").set_index("factory_id")
    assert (f["zone_id"] == "Z2").sum() == 2


def test_invalid_polygon_repaired_and_reported(tmp_path: Path) -> None:
    z = zones_frame()
    bowtie = shapely.Polygon([(101.6, 14.0), (101.7, 14.1), (101.7, 14.0), (101.6, 14.1)])
    z.loc[1, "geometry"] = bowtie
    path = tmp_path / "zones.geojson"
    z.to_file(path)
    opts = ImportOptions(mapping={"ZONE_CODE": "zone_id", "NAME": "name_th", "TYPE": "zone_type"})
    s = import_file(tmp_path / "ws.gpkg", "zones", path, opts)
    assert any("1 invalid polygon(s) repaired with make_valid (rows 2" in n for n in s.notes)
    z2 = Workspace.open(tmp_path / "ws.gpkg").read("industrial_zones")
    assert z2.geometry.is_valid.all() and z2.loc[z2.zone_id == "Z2", "area_ha"].iloc[0] > 0


def test_unknown_unit(tmp_path: Path, empty_ws: Path, cli_import_fails: Callable[..., str]) -> None:
    path = tmp_path / "zones.gpkg"
    zones_frame().to_file(path)
    msg = cli_import_fails(
        empty_ws,
        "zones",
        str(path),
        "--map",
        "ZONE_CODE=zone_id",
        "--map",
        "NAME=name_th",
        "--map",
        "AREA_RAI=green_area_ha[furlong]",
    )
    assert "unknown unit 'furlong'" in msg and "green_area_ha" in msg
    with pytest.raises(UnitError):
        parse_file(
            "zones",
            path,
            ImportOptions(
                mapping={"ZONE_CODE": "zone_id", "NAME": "name_th", "AREA_RAI": "green_area_ha[kg]"}
            ),
        )


def test_missing_and_duplicate_zone_ids(
    tmp_path: Path, empty_ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    z = zones_frame()
    z.loc[2, "ZONE_CODE"] = "Z1"
    path = tmp_path / "dup.gpkg"
    z.to_file(path)
    msg = cli_import_fails(
        empty_ws, "zones", str(path), "--map", "ZONE_CODE=zone_id", "--map", "NAME=name_th"
    )
    assert "row 3 field zone_id" in msg and "duplicate" in msg
    msg = cli_import_fails(empty_ws, "zones", str(path), "--map", "NAME=name_th")
    assert "no column for zone_id" in msg and "--map" in msg


def test_outside_thailand_and_swapped_vectors(
    tmp_path: Path, empty_ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    z = zones_frame()
    swapped = z.set_geometry(z.geometry.map(lambda g: shapely.transform(g, lambda c: c[:, ::-1])))
    path = tmp_path / "swapped.geojson"
    swapped.to_file(path)
    args = ["--map", "ZONE_CODE=zone_id", "--map", "NAME=name_th"]
    msg = cli_import_fails(empty_ws, "zones", str(path), *args)
    assert "swapped" in msg and "--swap-latlon" in msg
    s = import_file(
        empty_ws,
        "zones",
        path,
        ImportOptions(mapping={"ZONE_CODE": "zone_id", "NAME": "name_th"}, swap_latlon=True),
    )
    assert s.added == 3
    far = z.set_geometry(z.geometry.translate(xoff=30))  # in the Pacific
    path2 = tmp_path / "far.geojson"
    far.to_file(path2)
    ws2 = tmp_path / "w2.gpkg"
    Workspace.create(ws2)
    msg = cli_import_fails(ws2, "zones", str(path2), *args)
    assert "outside Thailand" in msg and "--crs" in msg


def test_communities_from_csv_with_coordinates(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "รหัส": ["V1", "V2", "V3"],
            "ชื่อ": ["บ้านหนองโพรง", "โรงเรียนบ้านโคกปีบ", "วัดโคกปีบ"],
            "ประเภท": ["หมู่บ้าน", "โรงเรียน", "วัด"],
            "ประชากร": ["1,250", "", ""],
            "lat": ["13.95", "13.96", "13.97"],
            "lon": ["101.60", "101.61", "101.62"],
        }
    )
    path = tmp_path / "villages.csv"
    table.to_csv(path, index=False, encoding="utf-8-sig")
    opts = ImportOptions(
        mapping={"รหัส": "community_id", "ชื่อ": "name_th", "ประเภท": "kind", "ประชากร": "population"}
    )
    s = import_file(tmp_path / "ws.gpkg", "communities", path, opts)
    assert s.added == 3
    c = Workspace.open(tmp_path / "ws.gpkg").read("communities").set_index("community_id")
    assert list(c["kind"]) == ["village", "school", "temple"]
    assert c.loc["V1", "population"] == 1250
    # a village is population, not a sensitive receptor (ecogis.receptors); the rest are
    assert list(c["sensitive"]) == [False, True, True]


def test_xlsx_communities(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "community_id": ["H1"],
            "name_th": ["รพ.สต.บ้านนา"],
            "kind": ["สถานีอนามัย"],
            "LAT": [13.9],
            "LNG": [101.5],
        }
    )
    path = tmp_path / "h.xlsx"
    table.to_excel(path, index=False, sheet_name="receptors")
    s = import_file(tmp_path / "ws.gpkg", "communities", path, ImportOptions(sheet="receptors"))
    assert s.added == 1
    with pytest.raises(Exception, match="no sheet named 'x'"):
        parse_file("communities", path, ImportOptions(sheet="x"))


def test_polygons_needed_for_boundaries(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("pro_code,name_th\n25,ปราจีนบุรี\n", encoding="utf-8")
    with pytest.raises(Exception, match="need polygons"):
        parse_file("provinces", path)


def test_bad_crs_option(tmp_path: Path) -> None:
    path = tmp_path / "zones.gpkg"
    zones_frame().to_file(path)
    with pytest.raises(CRSError, match="not a CRS"):
        parse_file("zones", path, ImportOptions(crs="EPSG:999999"))


def test_map_to_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "zones.gpkg"
    zones_frame().to_file(path)
    with pytest.raises(DataValidationError, match="not a field of layer industrial_zones"):
        parse_file("zones", path, ImportOptions(mapping={"NAME": "nom"}))


@pytest.mark.parametrize(
    ("unit", "target", "factor"),
    [("rai", "ha", 0.16), ("ไร่", "km2", 0.0016), ("m2", "ha", 1e-4), ("ตร.กม.", "ha", 100.0),
     ("kW", "hp", 1.34102), ("ล้านบาท", "THB", 1e6), ("คน", "persons", 1.0)],
)  # fmt: skip
def test_unit_factors(unit: str, target: str, factor: float) -> None:
    from ecogis.importers.layouts import unit_factor

    assert unit_factor(unit, target, source="f", field="x") == pytest.approx(factor, rel=1e-5)


def test_unit_of_wrong_dimension() -> None:
    from ecogis.importers.layouts import unit_factor

    with pytest.raises(UnitError, match="not convertible to hp"):
        unit_factor("t/yr", "hp", source="f", field="horsepower")


def test_projected_crs_on_degree_numbers(
    tmp_path: Path, empty_ws: Path, cli_import_fails: Callable[..., str]
) -> None:
    """A .prj that says UTM on a file whose numbers are degrees (a wrong CRS label)."""
    z = zones_frame().set_crs(32647, allow_override=True)
    path = tmp_path / "mislabelled.gpkg"
    z.to_file(path)
    msg = cli_import_fails(
        empty_ws, "zones", str(path), "--map", "ZONE_CODE=zone_id", "--map", "NAME=name_th"
    )
    assert "coordinates are degrees" in msg and "--crs EPSG:4326" in msg
    s = import_file(
        empty_ws, "zones", path,
        ImportOptions(crs="EPSG:4326", mapping={"ZONE_CODE": "zone_id", "NAME": "name_th"}),
    )  # fmt: skip
    assert s.added == 3 and any("overridden by --crs" in n for n in s.notes)
