"""The Sankey flow diagram (issue 12.4): inline SVG for the map, the report and PDFs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from ecogis.report import gather
from ecogis.webmap import province
from ecogis.webmap.exchanges import sankey_flows
from ecogis.webmap.sankey import Flow, sankey_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_bands_add_up_small_nodes_merge_and_text_is_escaped() -> None:
    evil = '<script>x</script>&"{{7*7}}"'
    flows = [Flow(evil, "ปูนซีเมนต์", 100.0, "#1b9e77"), Flow(evil, "ปูนซีเมนต์", 50.0, "#1b9e77")]
    flows += [Flow(f"วัสดุ {i}", "พลังงาน", 1.0 + i, "#d95f02") for i in range(12)]
    svg = sankey_svg(flows, title="การไหล", unit="ตัน/ปี", lang="th", keep=5)
    root = ET.fromstring(svg)  # well-formed XML: nothing unescaped
    assert root.find(f"{SVG}script") is None and "<script>" not in svg
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert any(evil in t and "(150)" in t for t in texts)  # two bands of one pair added up
    assert any(t.startswith("อื่น ๆ") for t in texts)  # beyond the 5 largest: "other"
    lefts = [t for t in texts if t.startswith("วัสดุ")]
    assert len(lefts) == 4  # 5 kept sources: the evil one and the 4 largest of the rest
    assert sankey_svg([], title="x", unit="t") == ""
    assert sankey_svg([Flow("a", "b", float("nan"))], title="x", unit="t") == ""


def _frames() -> dict[str, pd.DataFrame]:
    provinces = gpd.GeoDataFrame(
        {"pro_code": ["25"], "name_th": ["ปราจีนบุรี"], "name_en": ["Prachin Buri"]},
        geometry=[box(101.0, 13.7, 102.0, 14.4)],
        crs=4326,
    )
    factories = gpd.GeoDataFrame(
        {
            "factory_id": ["F1", "F2", "F3"],
            "name_th": ["โรงไฟฟ้า", "ปูนซีเมนต์", "กระดาษ"],
            "pro_code": ["25"] * 3,
            "coord_flag": ["ok"] * 3,
        },
        geometry=[Point(101.2, 14.0), Point(101.6, 14.1), Point(101.8, 13.9)],
        crs=4326,
    )
    links = gpd.GeoDataFrame(
        {
            "link_id": ["L1", "L2"],
            "stream_id": ["S1", "S2"],
            "provider_id": ["F1", "F3"],
            "receiver_id": ["F2", "F2"],
            "receiver_tsic": ["23941", "23941"],
            "material": ["fly_ash", "paper_sludge"],
            "tonnes": [1200.0, 300.0],
            "grade": ["A", "B"],
        },
        geometry=[
            LineString([(101.2, 14.0), (101.6, 14.1)]),
            LineString([(101.8, 13.9), (101.6, 14.1)]),
        ],
        crs=4326,
    )
    return {"provinces": provinces, "factories": factories, "symbiosis_links": links}


def test_flows_name_the_material_and_the_receiving_industry() -> None:
    from ecogis.webmap.data import material_names

    flows = sankey_flows(
        _frames()["symbiosis_links"], lang="en", material_names=material_names("en")
    )
    assert [(f.source, f.value) for f in flows] == [("Fly ash", 1200.0), (flows[1].source, 300.0)]
    assert {f.target for f in flows} == {"Manufacture of cement"}  # TSIC 23941


def test_the_province_report_draws_the_flow_diagram() -> None:
    report = gather(_frames(), province("25"), lang="th")
    section = next(s for s in report.sections if s.key == "symbiosis")
    diagrams = [c for c in section.charts if 'class="chart sankey"' in c]
    assert len(diagrams) == 1 and "เถ้าลอย" in diagrams[0]
    ET.fromstring(diagrams[0])
