"""One province filter for maps and reports (issue 13.2): ``ecogis.webmap.area``."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from ecogis.report import gather
from ecogis.webmap import build_map, load_recipe, map_html, province
from ecogis.webmap.area import area_frames, in_area
from ecogis.webmap.encode import read_document


def _frames() -> dict[str, pd.DataFrame]:
    provinces = gpd.GeoDataFrame(
        {"pro_code": ["25", "21"], "name_th": ["ปราจีนบุรี", "ระยอง"], "name_en": ["P", "R"]},
        geometry=[box(101.0, 13.5, 102.0, 14.5), box(100.9, 12.5, 101.8, 13.2)],
        crs=4326,
    )
    factories = gpd.GeoDataFrame(
        {
            "factory_id": ["F1", "F2", "F3", "F4"],
            "name_th": ["หนึ่ง", "สอง", "สาม", "สี่"],
            "pro_code": ["25", "25", "21", pd.NA],
            "coord_flag": ["ok"] * 4,
        },
        geometry=[Point(101.5, 14.0), Point(101.6, 14.1), Point(101.2, 12.8), Point(101.4, 13.9)],
        crs=4326,
    )
    factories["pro_code"] = factories["pro_code"].astype("string")
    links = gpd.GeoDataFrame(
        {
            "link_id": ["L1", "L2", "L3"],
            "provider_id": ["F1", "F3", "F3"],
            "receiver_id": ["F3", "F2", "F3"],
            "material": ["fly_ash", "fly_ash", "fly_ash"],
            "tonnes": [10.0, 20.0, 30.0],
            "grade": ["A", "A", "A"],
        },
        # A line from Rayong to Rayong that crosses province 25 still belongs to Rayong.
        geometry=[
            LineString([(101.5, 14.0), (101.2, 12.8)]),
            LineString([(101.2, 12.8), (101.6, 14.1)]),
            LineString([(101.2, 12.8), (101.5, 14.4), (101.3, 12.7)]),
        ],
        crs=4326,
    )
    zones = gpd.GeoDataFrame(
        {"zone_id": ["Z1", "Z2"], "name_th": ["นิคม", "สวน"], "zone_type": ["estate", "park"]},
        geometry=[box(101.4, 13.9, 101.7, 14.2), box(101.0, 12.6, 101.3, 12.9)],
        crs=4326,
    )
    assess = pd.DataFrame({"area_id": ["25", "Z1", "Z2", "21"], "value": [1.0, 2.0, 3.0, 4.0]})
    return {
        "provinces": provinces,
        "factories": factories,
        "symbiosis_links": links,
        "industrial_zones": zones,
        "eit_assessments": assess,
        "unrelated": pd.DataFrame({"x": [1, 2]}),
    }


def test_each_rule_of_the_area_filter() -> None:
    frames = _frames()
    before = {k: v.copy() for k, v in frames.items()}
    local = area_frames(frames, ["25"])
    assert list(local["provinces"]["pro_code"]) == ["25"]
    # By code; a factory whose code is blank is not guessed into the province.
    assert list(local["factories"]["factory_id"]) == ["F1", "F2"]
    # Zones have no code: by geometry. Links: by provider or receiver in the province.
    assert list(local["industrial_zones"]["zone_id"]) == ["Z1"]
    assert list(local["symbiosis_links"]["link_id"]) == ["L1", "L2"]
    # Indicator rounds by area id: the province and its zones.
    assert list(local["eit_assessments"]["area_id"]) == ["25", "Z1"]
    assert local["unrelated"].empty
    # Index kept, inputs untouched; several provinces at once.
    assert list(local["symbiosis_links"].index) == [0, 1]
    both = area_frames(frames, ["25", "21"])
    assert list(both["factories"]["factory_id"]) == ["F1", "F2", "F3"]
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_geometry_rule_without_codes() -> None:
    zones = _frames()["industrial_zones"]
    boundary = _frames()["provinces"].geometry.iloc[0]
    assert list(in_area(zones, ["25"], boundary=boundary)["zone_id"]) == ["Z1"]
    frames = _frames()
    fac = frames["factories"].drop(columns=["pro_code"])
    frames["factories"] = fac
    assert list(area_frames(frames, ["25"])["factories"]["factory_id"]) == ["F1", "F2", "F4"]


def test_map_and_report_select_the_same_rows() -> None:
    frames = {k: v for k, v in _frames().items() if k != "eit_assessments"}
    prov = province("25")
    html = map_html(build_map(frames, load_recipe("symbiosis"), province=prov, tiles="none"))
    layers = {x["id"]: x for x in read_document(html)["layers"]}
    report = gather(frames, prov, lang="en")
    figures = dict(report.figures)
    assert layers["factories"]["count"] == int(figures["Factories"]) == 2
    links_on_map = sum(x["count"] for k, x in layers.items() if k.startswith("symbiosis_links"))
    section = next(s for s in report.sections if s.key == "symbiosis")
    assert links_on_map == len(section.tables[0].rows) == 2
