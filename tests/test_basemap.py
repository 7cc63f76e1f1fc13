"""The offline basemap (issue 12.3): workspace layers, roads and water, tile options."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely.geometry import LineString, Point, Polygon, box

from ecogis.cli import cli
from ecogis.errors import InputFileError
from ecogis.webmap import build_map, load_recipe, map_html
from ecogis.webmap.basemap import tiles_basemap
from ecogis.webmap.encode import read_document
from ecogis.workspace import Workspace


def _roads(path: Path) -> Path:
    """An OpenStreetMap-style roads file (osm_id, name, name:en, highway, ref)."""
    gpd.GeoDataFrame(
        {
            "osm_id": ["101", "102", "103"],
            "name": ["ถนนสุวรรณศร", "ทางหลวงหมายเลข 304", None],
            "name:en": ["Suwannason Road", None, None],
            "highway": ["trunk", "primary_link", "track"],
            "ref": ["33", "304", None],
        },
        geometry=[
            LineString([(101.2, 13.9), (101.7, 14.1)]),
            LineString([(101.4, 13.8), (101.5, 14.3)]),
            LineString([(101.3, 14.0), (101.35, 14.05)]),
        ],
        crs=4326,
    ).to_file(path)
    return path


def _water(path: Path) -> Path:
    """A Geofabrik-style water file: a river line and a reservoir polygon (fclass)."""
    gpd.GeoDataFrame(
        {
            "osm_id": [1, 2],
            "name": ["แม่น้ำปราจีนบุรี", "อ่างเก็บน้ำจักรพงษ์"],
            "fclass": ["river", "reservoir"],
        },
        geometry=[
            LineString([(101.1, 14.05), (101.9, 13.95)]),
            Polygon([(101.6, 14.2), (101.7, 14.2), (101.7, 14.3)]),
        ],
        crs=4326,
    ).to_file(path)
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "w.gpkg")
    provinces = gpd.GeoDataFrame(
        {"pro_code": ["25"], "name_th": ["ปราจีนบุรี"], "name_en": ["Prachin Buri"]},
        geometry=[box(101.0, 13.7, 102.0, 14.4)],
        crs=4326,
    )
    factories = gpd.GeoDataFrame(
        {
            "factory_id": ["3-1-1/60ปจ"],
            "name_th": ["โรงงานทดสอบ"],
            "pro_code": ["25"],
            "coord_flag": ["ok"],
        },
        geometry=[Point(101.5, 14.0)],
        crs=4326,
    )
    with ws.batch():
        ws.write("provinces", provinces)
        ws.write("factories", factories)
    return ws


def test_import_roads_and_water_from_osm_style_files(ws: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        cli, ["import", "roads", str(_roads(tmp_path / "r.geojson")), "-w", ws.location]
    )
    assert res.exit_code == 0, res.output
    assert "1 road_class value(s) not known, set to 'minor'" in res.output
    roads = ws.read("roads").set_index("road_id")
    assert roads.loc["101", "name_th"] == "ถนนสุวรรณศร" and roads.loc["101", "ref"] == "33"
    assert roads.loc["101", "name_en"] == "Suwannason Road"
    assert list(roads["road_class"]) == ["trunk", "primary", "minor"]
    res = runner.invoke(
        cli, ["import", "water", str(_water(tmp_path / "w.geojson")), "-w", ws.location]
    )
    assert res.exit_code == 0, res.output
    water = ws.read("water").set_index("water_id")
    assert dict(water["water_kind"]) == {"1": "river", "2": "reservoir"}
    assert set(water.geometry.geom_type) == {"LineString", "Polygon"}


def test_bad_roads_files_are_one_clear_line(ws: Workspace, tmp_path: Path) -> None:
    points = tmp_path / "points.geojson"
    gpd.GeoDataFrame(
        {"osm_id": ["1"], "highway": ["primary"]}, geometry=[Point(101.2, 14)], crs=4326
    ).to_file(points)
    res = CliRunner().invoke(cli, ["import", "roads", str(points), "-w", ws.location])
    assert res.exit_code == 1
    assert "row 1 field geometry: the feature is a Point; roads are lines" in res.stderr
    table = tmp_path / "roads.csv"
    table.write_text("name,highway\nถนน,primary\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["import", "roads", str(table), "-w", ws.location])
    assert res.exit_code == 1 and "is a table (CSV/Excel), but roads need lines" in res.stderr
    assert not ws.has_layer("roads")  # nothing half-written


def test_offline_map_draws_roads_water_and_place_names(ws: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["import", "roads", str(_roads(tmp_path / "r.geojson")), "-w", ws.location])
    runner.invoke(cli, ["import", "water", str(_water(tmp_path / "w.geojson")), "-w", ws.location])
    out = tmp_path / "map.html"
    res = runner.invoke(cli, ["map", "-w", ws.location, "-p", "25", "-o", str(out)])
    assert res.exit_code == 0, res.output
    base = read_document(out.read_text(encoding="utf-8"))["basemap"]
    assert base["kind"] == "workspace"
    layers = {entry["layer"]: entry for entry in base["layers"]}
    assert layers["provinces"] == {"layer": "provinces", "ref": "provinces"}
    assert len(layers["roads"]["geojson"]["features"]) == 3
    assert {f["properties"]["water_kind"] for f in layers["water"]["geojson"]["features"]} == {
        "river",
        "reservoir",
    }
    names = {(lab["text"], lab["zoom"]) for lab in base["labels"]}
    assert ("ปราจีนบุรี", 0) in names and ("แม่น้ำปราจีนบุรี", 11) in names
    # English maps label places in English where the data have it.
    res = runner.invoke(cli, ["map", "-w", ws.location, "--lang", "en", "-o", str(out)])
    base = read_document(out.read_text(encoding="utf-8"))["basemap"]
    assert "Prachin Buri" in {lab["text"] for lab in base["labels"]}


def test_tile_options(tmp_path: Path) -> None:
    assert tiles_basemap("none", html_dir=tmp_path) is None
    assert tiles_basemap("osm", html_dir=tmp_path)["kind"] == "raster"
    pm = tmp_path / "tiles" / "thailand.pmtiles"
    pm.parent.mkdir()
    pm.write_bytes(b"PMTiles")
    assert tiles_basemap(str(pm), html_dir=tmp_path) == {
        "kind": "pmtiles",
        "url": "tiles/thailand.pmtiles",
        "attribution": "",
        "max_zoom": 19,
    }
    vec = tmp_path / "vt" / "6" / "50"
    vec.mkdir(parents=True)
    (vec / "30.pbf").write_bytes(b"")
    assert tiles_basemap(str(tmp_path / "vt"), html_dir=tmp_path)["url"] == "vt/{z}/{x}/{y}.pbf"
    url = "https://gis.intranet/basemap/thailand.pmtiles"
    assert tiles_basemap(url, html_dir=tmp_path)["kind"] == "pmtiles"
    with pytest.raises(InputFileError, match="PMTiles file does not exist"):
        tiles_basemap(str(tmp_path / "nope.pmtiles"), html_dir=tmp_path)
    with pytest.raises(InputFileError, match="tile folder does not exist"):
        tiles_basemap(str(tmp_path / "nowhere"), html_dir=tmp_path)


def test_vector_tile_basemap_carries_protomaps_only_then(ws: Workspace, tmp_path: Path) -> None:
    frames = {"provinces": ws.read("provinces"), "factories": ws.read("factories")}
    pm = tmp_path / "thailand.pmtiles"
    pm.write_bytes(b"PMTiles")
    html = map_html(build_map(frames, load_recipe("overview"), tiles=str(pm), html_dir=tmp_path))
    assert "var protomapsL=" in html
    assert read_document(html)["basemap"]["url"] == "thailand.pmtiles"
    plain = map_html(build_map(frames, load_recipe("overview")))
    assert "var protomapsL=" not in plain
