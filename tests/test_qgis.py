"""QGIS styles and projects written without QGIS: QML/SLD from the contract, the batch
hook, the project stored in the GeoPackage and the ``ecogis qgis`` verbs."""

from __future__ import annotations

import io
import logging
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner

from ecogis import qgis, schema
from ecogis.cli import cli
from ecogis.qgis._xml import qgis_color
from ecogis.qgis.plan import build_plan, symbol_kind
from ecogis.qgis.qml import LayerSource, layer_qml
from ecogis.qgis.sld import layer_sld
from ecogis.schema import LayerContract
from ecogis.workspace import Workspace

SLD_NS = {"se": "http://www.opengis.net/se", "ogc": "http://www.opengis.net/ogc"}


def _source(name: str, gtype: str | None, fields: list[str], kind: str = "vector") -> LayerSource:
    return LayerSource(name, kind, gtype, "geom" if kind == "vector" else "", tuple(fields))


def _qgs(ws: Workspace) -> ET.Element:
    qgz = ws.read_qgis_projects()[qgis.PROJECT_NAME]
    with zipfile.ZipFile(io.BytesIO(qgz)) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".qgs")]
        return ET.fromstring(zf.read(name))


# ------------------------------------------------------------------------ QML from contracts
def test_factories_qml_is_categorized_by_class_with_thai_labels_and_aliases() -> None:
    c = schema.contract("factories")
    root = ET.fromstring(layer_qml(_source("factories", "POINT", c.field_names), c, "th"))
    r = root.find("renderer-v2")
    assert r is not None and r.get("type") == "categorizedSymbol"
    assert r.get("attr") == "factory_class"
    cats = r.findall("categories/category")
    wanted = c.style["classes"]
    assert [x.get("value") for x in cats[:-1]] == [str(k["value"]) for k in wanted]
    assert [x.get("label") for x in cats[:-1]] == [k["label_th"] for k in wanted]
    assert cats[-1].get("value") == ""  # catch-all class for other values and NULL
    colors = [
        s.find("layer/Option/Option[@name='color']").get("value")
        for s in r.findall("symbols/symbol")
    ]
    assert colors[0] == qgis_color(wanted[0]["color"])
    assert {s.get("type") for s in r.findall("symbols/symbol")} == {"marker"}
    assert root.get("labelsEnabled") == "1"
    assert root.find("labeling/settings/text-style").get("fieldName") == "name_th"
    aliases = {a.get("field"): a.get("name") for a in root.findall("aliases/alias")}
    assert aliases["factory_class"] == "จำพวกโรงงาน"
    assert aliases["fid"] == ""
    assert root.find("layerGeometryType").text == "0"
    vm = root.find("fieldConfiguration/field[@name='factory_class']/editWidget")
    assert vm is not None and vm.get("type") == "ValueMap"
    pairs = [(o.get("name"), o.get("value")) for o in vm.iter("Option") if o.get("value")]
    assert pairs == [(k["label_th"], str(k["value"])) for k in wanted]


def test_english_style_uses_english_labels_aliases_and_label_field() -> None:
    c = schema.contract("industrial_zones")
    root = ET.fromstring(
        layer_qml(_source("industrial_zones", "MULTIPOLYGON", c.field_names), c, "en")
    )
    labels = [x.get("label") for x in root.findall("renderer-v2/categories/category")]
    assert labels[0] == "Industrial estate"
    assert root.find("labeling/settings/text-style").get("fieldName") == "name_en"
    aliases = {a.get("field"): a.get("name") for a in root.findall("aliases/alias")}
    assert aliases["zone_type"] == "Zone type"
    fill = root.find("renderer-v2/symbols/symbol/layer")
    assert fill.get("class") == "SimpleFill"
    # opacity 0.35 of the contract goes into the fill colour's alpha
    color = fill.find("Option/Option[@name='color']").get("value")
    assert color.endswith(f",{round(255 * 0.35)}")


def test_outline_only_polygon_with_dash_gets_no_fill_and_a_dashed_line() -> None:
    c = schema.contract("districts")
    root = ET.fromstring(layer_qml(_source("districts", "MULTIPOLYGON", c.field_names), c, "th"))
    layers = root.findall("renderer-v2/symbols/symbol/layer")
    assert [lyr.get("class") for lyr in layers] == ["SimpleFill", "SimpleLine"]
    fill_style = layers[0].find("Option/Option[@name='style']").get("value")
    assert fill_style == "no"
    assert layers[1].find("Option/Option[@name='use_custom_dash']").get("value") == "1"


def test_graduated_style_closes_open_ranges_and_keeps_class_order() -> None:
    c = LayerContract(
        name="score_points",
        kind="vector",
        key=("id",),
        title_th="คะแนน",
        title_en="Score",
        geometry="Point",
        style={
            "type": "graduated",
            "field": "score",
            "classes": [
                {"max": 1, "color": "#ffffb2", "label_th": "ต่ำ", "label_en": "Low"},
                {"min": 1, "max": 5, "color": "#fd8d3c", "label_th": "กลาง", "label_en": "Mid"},
                {"min": 5, "color": "#e31a1c", "label_th": "สูง", "label_en": "High"},
            ],
            "width_field": "score",
        },
    )
    root = ET.fromstring(layer_qml(_source("score_points", "POINT", ["id", "score"]), c, "en"))
    r = root.find("renderer-v2")
    assert r.get("type") == "graduatedSymbol" and r.get("attr") == "score"
    ranges = [
        (float(x.get("lower")), float(x.get("upper")), x.get("label"))
        for x in r.findall("ranges/range")
    ]
    assert ranges == [(-1e12, 1.0, "Low"), (1.0, 5.0, "Mid"), (5.0, 1e12, "High")]
    dd = r.find(".//data_defined_properties/Option/Option[@name='properties']/Option[@name='size']")
    assert dd is not None and "scale_linear" in dd.find("Option[@name='expression']").get("value")


def test_every_shipped_contract_with_a_style_gives_valid_qml_and_sld() -> None:
    """Generic over layers/: result layers of every analysis are styled the same way."""
    kinds = {
        "Point": "POINT",
        "MultiPolygon": "MULTIPOLYGON",
        "Polygon": "POLYGON",
        "LineString": "LINESTRING",
        "MultiLineString": "MULTILINESTRING",
        "Geometry": "POINT",
    }
    checked = 0
    for name, c in schema.contracts().items():
        if c.kind != "vector" or not c.style:
            continue
        src = _source(name, kinds.get(c.geometry or "Geometry", "POINT"), c.field_names)
        for lang in ("th", "en"):
            root = ET.fromstring(layer_qml(src, c, lang))
            expected = {
                "single": "singleSymbol",
                "categorized": "categorizedSymbol",
                "graduated": "graduatedSymbol",
            }[c.style.get("type", "single")]
            assert root.find("renderer-v2").get("type") == expected, name
            n_classes = len(c.style.get("classes", []))
            if expected == "categorizedSymbol":
                assert len(root.findall("renderer-v2/categories/category")) == n_classes + 1
            if expected == "graduatedSymbol":
                assert len(root.findall("renderer-v2/ranges/range")) == n_classes
            label_field = c.style.get(f"label_field_{lang}")
            if label_field:
                assert root.find("labeling/settings/text-style").get("fieldName") == label_field
            plan = build_plan(c, name, symbol_kind(src.geometry_type) or "marker", lang=lang)
            sld = ET.fromstring(layer_sld(plan, c.title(lang)).encode())
            assert len(sld.findall(".//se:Rule", SLD_NS)) == len(plan.rules) + bool(
                plan.label_field
            )
        checked += 1
    assert checked >= 5


def test_sld_rules_filter_each_class() -> None:
    c = schema.contract("factories")
    plan = build_plan(c, "factories", "marker", lang="th")
    sld = ET.fromstring(layer_sld(plan, c.title("th")).encode())
    literals = [e.text for e in sld.findall(".//ogc:PropertyIsEqualTo/ogc:Literal", SLD_NS)]
    assert literals == ["1", "2", "3"]
    assert sld.find(".//se:ElseFilter", SLD_NS) is not None
    assert sld.find(".//se:TextSymbolizer/se:Label/ogc:PropertyName", SLD_NS).text == "name_th"


def test_bad_colour_is_refused() -> None:
    assert qgis_color("#d73027", 0.5) == "215,48,39,128"
    with pytest.raises(ValueError, match="not a #rrggbb"):
        qgis_color("red")


# ------------------------------------------------------------------------ the batch hook
def test_every_write_stores_styles_qgis_can_find(
    tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    with sqlite3.connect(ws.path) as con:
        rows = con.execute(
            "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
            "useAsDefault FROM layer_styles ORDER BY f_table_name, styleName"
        ).fetchall()
    layers = {r[2] for r in rows}
    assert layers == {"provinces", "industrial_zones", "factories", "communities", "material_flows"}
    for catalog, sch, table, geom, _name, _default in rows:
        assert catalog == "" and sch == ""  # '' not NULL: QGIS matches on them
        assert geom == ("" if table == "material_flows" else "geom")
    defaults = [(r[2], r[4]) for r in rows if r[5] == 1]
    assert sorted(defaults) == sorted((t, "ecogis-th") for t in layers)


def test_rewriting_a_layer_never_duplicates_style_rows(
    tmp_path: Path,
    build_qgis_workspace: Callable[..., Workspace],
    qgis_factories: Callable[[], gpd.GeoDataFrame],
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    before = len(ws.read_styles())
    for _ in range(3):
        ws.write("factories", qgis_factories())
        ws.upsert("factories", qgis_factories().iloc[:2])
    styles = ws.read_styles()
    assert len(styles) == before
    assert styles.groupby(["f_table_name", "styleName"]).size().max() == 1
    assert len(ws.read_qgis_projects()) == 1


def test_hook_reads_no_feature_data(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    build_qgis_workspace: Callable[..., Workspace],
    qgis_zones: Callable[[], gpd.GeoDataFrame],
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the style refresh must not read layer data")

    monkeypatch.setattr(Workspace, "read", no_read)
    ws.write("industrial_zones", qgis_zones())
    assert "industrial_zones" in set(ws.read_styles()["f_table_name"])


def test_project_is_stored_as_hex_qgz_with_grouped_relative_layers(
    tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    with sqlite3.connect(ws.path) as con:
        kind, head = con.execute(
            "SELECT typeof(content), substr(content, 1, 8) FROM qgis_projects WHERE name = 'ecogis'"
        ).fetchone()
    assert kind == "text" and head == "504b0304"  # hex of a zip, as QGIS writes it
    qgs = _qgs(ws)
    groups = [g.get("name") for g in qgs.findall("layer-tree-group/layer-tree-group")]
    assert groups == ["ข้อมูลพื้นฐาน", "โรงงานและพื้นที่อุตสาหกรรม", "การใช้ประโยชน์ร่วมทางอุตสาหกรรม"]
    sources = {m.findtext("datasource") for m in qgs.findall("projectlayers/maplayer")}
    assert "./ws.gpkg|layername=factories" in sources
    # the mixed layer is shown as one sublayer per geometry type
    assert "./ws.gpkg|layername=communities|geometrytype=Point" in sources
    assert "./ws.gpkg|layername=communities|geometrytype=Polygon" in sources
    assert qgs.findtext("projectCrs/spatialrefsys/authid") == "EPSG:32647"
    assert qgs.findtext("properties/Paths/Absolute") == "false"
    order = [e.text for e in qgs.findall("layer-tree-group/custom-order/item")]
    assert order[0].startswith("ecogis_factories") or order[0].startswith("ecogis_communities")
    # outlines (provinces) are drawn above filled polygons, polygons below points
    assert order.index("ecogis_provinces") < order.index("ecogis_industrial_zones")
    assert order.index("ecogis_factories") < order.index("ecogis_provinces")
    for ml in qgs.findall("projectlayers/maplayer"):
        if ml.get("geometry") != "No geometry":
            assert ml.find("renderer-v2") is not None, ml.findtext("id")
        assert ml.find("aliases") is not None


def test_table_gets_aliases_only(
    tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    qml = (
        ws.read_styles()
        .set_index(["f_table_name", "styleName"])
        .loc[("material_flows", "ecogis-th"), "styleQML"]
    )
    root = ET.fromstring(qml.split("\n", 1)[1])
    assert root.find("renderer-v2") is None
    aliases = {a.get("field"): a.get("name") for a in root.findall("aliases/alias")}
    assert aliases["quantity"] == "ปริมาณ"


def test_handmade_qml_replaces_the_generated_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    own = tmp_path / "layers"
    own.mkdir()
    (own / "provinces.qml").write_text(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.22.0" labelsEnabled="0"><renderer-v2 type="singleSymbol">'
        "<symbols/></renderer-v2><aliases/></qgis>\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(qgis, "layers_dir", lambda: own)
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    styles = ws.read_styles().set_index(["f_table_name", "styleName"])
    assert "<symbols/>" in styles.loc[("provinces", "ecogis-th"), "styleQML"]
    assert "<symbols/>" not in styles.loc[("factories", "ecogis-th"), "styleQML"]


# ------------------------------------------------------------------------ CLI
def test_cli_styles_in_english_switches_default_style_and_project(
    tmp_path: Path,
    build_qgis_workspace: Callable[..., Workspace],
    qgis_factories: Callable[[], gpd.GeoDataFrame],
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    res = CliRunner().invoke(cli, ["qgis", "styles", "-w", str(ws.path), "--lang", "en", "--json"])
    assert res.exit_code == 0, res.output
    assert "categorizedSymbol" in res.stdout
    styles = ws.read_styles()
    defaults = set(styles.loc[styles["useAsDefault"] == 1, "styleName"])
    assert defaults == {"ecogis-en"}
    assert ws.get_meta("lang") == "en"
    groups = [g.get("name") for g in _qgs(ws).findall("layer-tree-group/layer-tree-group")]
    assert groups[0] == "Base layers"
    # the next ordinary write keeps the workspace language
    ws.write("factories", qgis_factories())
    styles = ws.read_styles()
    assert set(styles.loc[styles["useAsDefault"] == 1, "styleName"]) == {"ecogis-en"}


def test_cli_project_file_refers_to_the_gpkg_relatively(
    tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    (tmp_path / "maps").mkdir()
    out = tmp_path / "maps" / "ws.qgz"
    res = CliRunner().invoke(cli, ["qgis", "project", "-w", str(ws.path), "--out", str(out)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out) as zf:
        qgs = ET.fromstring(zf.read("ws.qgs"))
    sources = {m.findtext("datasource") for m in qgs.findall("projectlayers/maplayer")}
    assert "../ws.gpkg|layername=factories" in sources


@pytest.mark.parametrize(
    ("out", "message"),
    [("ws.txt", "must end in .qgz or .qgs"), ("missing/ws.qgz", "does not exist")],
)
def test_cli_project_bad_output_is_one_line_and_exit_1(
    tmp_path: Path, out: str, message: str, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    res = CliRunner().invoke(
        cli, ["qgis", "project", "-w", str(ws.path), "--out", str(tmp_path / out)]
    )
    assert res.exit_code == 1
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_cli_missing_workspace_is_reported(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["qgis", "styles", "-w", str(tmp_path / "none.gpkg")])
    assert res.exit_code == 1 and "does not exist" in res.stderr


def test_cli_as_subprocess_writes_a_qgs(
    tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    out = tmp_path / "ws.qgs"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecogis",
            "qgis",
            "project",
            "-w",
            str(ws.path),
            "--out",
            str(out),
            "--lang",
            "th",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "geopackage:" in proc.stdout
    text = out.read_text(encoding="utf-8")
    assert "./ws.gpkg|layername=provinces" in text and "โรงงาน" in text


def test_map_themes_follow_the_web_map_recipes(
    tmp_path: Path, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    from ecogis.qgis.themes import map_themes

    ws = build_qgis_workspace(tmp_path / "ws.gpkg", mixed=False)
    qgs = _qgs(ws)
    themes = map_themes()
    assert themes[0].name == "overview"
    presets = {p.get("name"): p for p in qgs.findall("visibility-presets/visibility-preset")}
    assert set(presets) == {t.title_th for t in themes}
    overview = presets[themes[0].title_th]
    ids = {e.get("id") for e in overview.findall("layer")}
    assert "ecogis_factories" in ids and "ecogis_provinces" in ids
    assert "ecogis_communities" not in ids  # show = false in maps/overview.toml
    ticks = {n.get("id"): n.get("checked") for n in qgs.iter("layer-tree-layer")}
    assert ticks["ecogis_factories"] == "Qt::Checked"
    assert ticks["ecogis_communities"] == "Qt::Unchecked"
    assert ticks["ecogis_material_flows"] == "Qt::Unchecked"  # a table draws nothing


def test_broken_style_colour_is_named_and_does_not_block_the_write(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    build_qgis_workspace: Callable[..., Workspace],
) -> None:
    import dataclasses

    from ecogis.errors import CatalogueError
    from ecogis.qgis.plan import check_style_colors

    good = schema.contract("factories")
    classes = [dict(c) for c in good.style["classes"]]
    classes[1]["color"] = "orange"
    bad = dataclasses.replace(good, style={**good.style, "classes": classes})
    with pytest.raises(
        CatalogueError, match=r"layers/factories.toml field style.classes\[2\].color"
    ):
        check_style_colors(bad)
    # The CLI tests stop the "ecogis" logger from propagating; let caplog see it again.
    monkeypatch.setattr(logging.getLogger("ecogis"), "propagate", True)
    real = qgis._contract
    monkeypatch.setattr(qgis, "_contract", lambda name: bad if name == "factories" else real(name))
    ws = build_qgis_workspace(tmp_path / "ws.gpkg")
    assert len(ws.read("factories")) == 4  # the data were written
    assert "factories" not in set(ws.read_styles()["f_table_name"])
    assert "not a colour" in caplog.text and "#rrggbb" in caplog.text
    factories_layer = next(
        m
        for m in _qgs(ws).findall("projectlayers/maplayer")
        if m.findtext("id") == "ecogis_factories"
    )
    assert factories_layer.find("renderer-v2").get("type") == "singleSymbol"  # plain fallback
