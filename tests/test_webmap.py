"""Web maps: recipes, layer data, escaping, assets, the CLI — checked by parsing the HTML."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import LineString, Point, box

from ecogis.cli import cli
from ecogis.errors import CatalogueError, InputFileError
from ecogis.webmap import (
    build_map,
    load_recipe,
    map_html,
    parse_recipe,
    province,
    recipe_names,
    save_map,
)
from ecogis.webmap.assets import (
    LICENCE_FILES,
    MAP_ASSETS,
    AssetSource,
    localize_folium,
    vendor_files,
    vendored_dir,
)
from ecogis.webmap.data import compliance_fields
from ecogis.workspace import Workspace

EVIL = "</script><img src=x onerror=alert(1)>${alert(2)}\"'<!--"


def _frames(n_factories: int = 30, *, name: str | None = None) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    prov = gpd.GeoDataFrame(
        {
            "pro_code": ["25", "21"],
            "name_th": ["ปราจีนบุรี", "ระยอง"],
            "name_en": ["Prachin Buri", "Rayong"],
        },
        geometry=[box(101.1, 13.7, 102.0, 14.4), box(100.9, 12.5, 101.8, 13.2)],
        crs=4326,
    )
    dist = gpd.GeoDataFrame(
        {
            "amp_code": ["2501", "2502"],
            "name_th": ["เมืองปราจีนบุรี", "กบินทร์บุรี"],
            "name_en": ["Mueang", "Kabin Buri"],
            "pro_code": ["25", "25"],
        },
        geometry=[box(101.1, 13.7, 101.55, 14.4), box(101.55, 13.7, 102.0, 14.4)],
        crs=4326,
    )
    names = [f"โรงงานทดสอบ {i}" for i in range(n_factories)]
    if name is not None:
        names[0] = name
    fac = gpd.GeoDataFrame(
        {
            "factory_id": [f"3-9(6)-{i}/60ปจ" for i in range(n_factories)],
            "name_th": names,
            "name_en": [f"Test factory {i}" for i in range(n_factories)],
            "diw_type": ["9(6)"] * n_factories,
            "tsic": ["10611"] * n_factories,
            "factory_class": pd.array(rng.integers(1, 4, n_factories), dtype="Int64"),
            "workers": pd.array(rng.integers(0, 400, n_factories), dtype="Int64"),
            "pro_code": ["25"] * (n_factories - 1) + ["21"],
            "amp_code": ["2501"] * (n_factories - 1) + ["2101"],
            "coord_flag": ["ok"] * n_factories,
        },
        geometry=gpd.points_from_xy(
            rng.uniform(101.2, 101.9, n_factories), rng.uniform(13.8, 14.3, n_factories)
        ),
        crs=4326,
    )
    return {
        "provinces": prov,
        "districts": dist,
        "factories": fac,
        "compliance": _records(fac["factory_id"][0], fac["factory_id"][1]),
    }


ALL_REQUIREMENTS = (
    "factory_licence",
    "waste_report",
    "hazardous_manifest",
    "pollution_staff",
    "env_monitoring",
    "iso14001",
    "iso45001",
    "csr_diw",
    "green_industry",
)


def _records(with_gap: str, complete: str, *, licence_until: str | None = None) -> pd.DataFrame:
    """Compliance records: ``with_gap`` has a licence but no waste report; ``complete`` has
    every requirement of the catalogue, its licence valid until ``licence_until``."""
    n = len(ALL_REQUIREMENTS)
    return pd.DataFrame(
        {
            "factory_id": [with_gap, with_gap, *[complete] * n],
            "requirement": ["factory_licence", "waste_report", *ALL_REQUIREMENTS],
            "status": ["yes", "no", *["yes"] * n],
            "level": [None, None, *[None] * (n - 1), "GI3"],
            "valid_until": [None, None, licence_until, *[None] * (n - 1)],
        }
    )


def point_values(layer: dict[str, Any], field: str) -> list[Any]:
    """The values of ``field`` of a point layer in the map document, decoded."""
    return list(layer["points"]["columns"][field])


def test_shipped_recipes_load_and_name_contract_layers() -> None:
    assert {"overview", "risk", "symbiosis", "action_plan"} <= set(recipe_names())
    for name in recipe_names():
        rec = load_recipe(name)
        assert rec.layers and rec.title_th and rec.title_en


def test_overview_map_layers_popups_and_thai_labels(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    frames = _frames()
    before = {k: v.copy() for k, v in frames.items()}
    result = build_map(frames, load_recipe("overview"), province=province("25"), tiles="none")
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name])  # inputs never modified
    _, data = parse_page(map_html(result))
    ids = [layer["id"] for layer in data["layers"]]
    assert ids == ["indicator_factories_per_km2", "provinces", "districts", "factories"]
    # Known layers the workspace lacks are skipped with a note, not an error.
    assert any("พื้นที่อุตสาหกรรม" in n for n in data["notes"])
    fac = next(layer for layer in data["layers"] if layer["id"] == "factories")
    assert fac["cluster"] is True
    assert len(fac["points"]["lat"]) == 29  # the Rayong factory is outside province 25
    labels = [p["label"] for p in fac["popup"]]
    assert labels[:3] == ["ชื่อโรงงาน", "ชื่อโรงงาน (อังกฤษ)", "เลขทะเบียนโรงงาน"]
    assert fac["search"] == ["name_th", "name_en", "factory_id"]
    assert [c["label"] for c in fac["style"]["classes"]] == ["จำพวกที่ 1", "จำพวกที่ 2", "จำพวกที่ 3"]
    assert {e["label"] for e in fac["legend"]} >= {"จำพวกที่ 1", "จำพวกที่ 3"}
    names = {fac["points"]["columns"]["name_th"][i] for i in range(3)}
    assert names <= {f"โรงงานทดสอบ {i}" for i in range(30)}
    assert data["subtitle"].startswith("จังหวัดปราจีนบุรี")
    # The choropleth counts factories per district, per km².
    ind = data["layers"][0]
    values = {
        f["properties"]["amp_code"]: f["properties"]["indicator_value"]
        for f in ind["geojson"]["features"]
    }
    assert values["2502"] == 0 and values["2501"] > 0


def test_english_labels_with_lang_en(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    result = build_map(_frames(), load_recipe("overview"), lang="en", tiles="none")
    _, data = parse_page(map_html(result))
    fac = next(layer for layer in data["layers"] if layer["id"] == "factories")
    assert fac["title"] == "Factories"
    assert [p["label"] for p in fac["popup"]][:3] == ["Name (Thai)", "Name", "Registration no."]
    assert data["labels"]["legend"] == "Legend"


def test_compliance_colouring_and_summary(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    frames = _frames()
    result = build_map(frames, load_recipe("action_plan"), tiles="none")
    _, data = parse_page(map_html(result))
    fac = next(layer for layer in data["layers"] if layer["id"] == "factories_compliance")
    assert fac["style"]["field"] == "compliance_status"
    status = point_values(fac, "compliance_status")
    assert status[0] == "gap" and status[1] == "ok" and status[2] == "unknown"


def test_compliance_fields_keep_index_and_input() -> None:
    frames = _frames(5)
    fac = frames["factories"].set_index(pd.Index([10, 11, 12, 13, 14]))
    before = fac.copy()
    out = compliance_fields(fac, frames["compliance"], lang="en", as_of="2024-06-01")
    assert list(out.index) == [10, 11, 12, 13, 14]
    assert out.loc[10, "compliance_summary"].startswith(
        "Missing legal items: Annual waste report (Sor.Kor.3)"
    )
    assert out.loc[11, "compliance_summary"] == "all requirements met"
    assert out.loc[12, "compliance_status"] == "unknown"
    pd.testing.assert_frame_equal(fac, before)


def test_expired_licence_is_expired_on_the_map_as_in_the_gap_list(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    """Issue 13.2: the map takes the status from the compliance rule, with the date."""
    from ecogis.compliance import factory_compliance, load_requirements, rank_gaps

    frames = _frames()
    ids = frames["factories"]["factory_id"]
    frames["compliance"] = _records(ids[0], ids[1], licence_until="2020-03-31")
    recipe = load_recipe("action_plan")

    def status_on(day: str, lang: str = "en") -> tuple[list[Any], list[Any]]:
        html = map_html(build_map(frames, recipe, tiles="none", compliance_as_of=day, lang=lang))
        fac = next(x for x in parse_page(html)[1]["layers"] if x["id"] == "factories_compliance")
        return point_values(fac, "compliance_status"), point_values(fac, "compliance_summary")

    status, summary = status_on("2024-06-01")
    assert status[1] == "gap"
    assert summary[1] == "Expired items: Factory operating licence (Ror.Ngor.4)"
    status_th, summary_th = status_on("2024-06-01", "th")
    assert status_th[1] == "gap" and summary_th[1].startswith("รายการที่หมดอายุ: ใบอนุญาต")
    # Before the licence ran out the same factory met every requirement.
    status, summary = status_on("2019-06-01")
    assert status[1] == "ok" and summary[1] == "all requirements met"
    # The gap list of the compliance analysis agrees, factory by factory.
    reqs = load_requirements()
    fac = frames["factories"]
    st = factory_compliance(fac, frames["compliance"], requirements=reqs, as_of="2024-06-01")
    gaps, _ = rank_gaps(fac, st)
    status, _ = status_on("2024-06-01")
    on_list = set(gaps["factory_id"])
    placed = fac["factory_id"].tolist()
    for fid, cls in zip(placed, status, strict=True):
        assert (fid in on_list) == (cls != "ok"), (fid, cls)


def test_map_and_report_date_option_on_the_cli(
    tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    ws = Workspace.create(tmp_path / "w.gpkg")
    frames = _frames(5)
    ids = frames["factories"]["factory_id"]
    with ws.batch():
        for name in ("provinces", "districts", "factories"):
            ws.write(name, frames[name])
        records = _records(ids[0], ids[1], licence_until="2020-03-31")
        ws.write("compliance", records.assign(source="test"))
    for day, want in (("2024-06-01", "gap"), ("2019-06-01", "ok")):
        out = tmp_path / f"m_{day}.html"
        args = ["map", "-w", ws.location, "-r", "action_plan", "--date", day, "-o", str(out)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        layers = parse_page(out.read_text(encoding="utf-8"))[1]["layers"]
        fac = next(x for x in layers if x["id"] == "factories_compliance")
        assert point_values(fac, "compliance_status")[1] == want


def test_hostile_names_neither_break_nor_inject(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    frames = _frames(name=EVIL)
    html = map_html(build_map(frames, load_recipe("overview"), tiles="none"))
    page, data = parse_page(html)
    assert "</script><img" not in html
    assert page.tags.get("img", 0) == 0
    fac = next(layer for layer in data["layers"] if layer["id"] == "factories")
    assert EVIL in fac["points"]["columns"]["name_th"]
    # Every script is either the JSON document, inline code, or a link — none came from data.
    inline = [text for attrs, text in page.scripts if not attrs.get("type")]
    assert not any("alert(1)" in text for text in inline)


def test_twenty_thousand_factories_travel_in_compact_columns(
    tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    frames = _frames(20_000)
    result = build_map(frames, load_recipe("overview"), tiles="none")
    out = save_map(result, tmp_path / "big.html")
    assert out.stat().st_size < 2_000_000  # issue 12: ≤ 2 MB at 20,000 points
    html = out.read_text(encoding="utf-8")
    _, data = parse_page(html)
    fac = next(layer for layer in data["layers"] if layer["id"] == "factories")
    pts = fac["points"]
    assert len(pts["lat"]) == 20_000
    # Coordinates within 1e-5° (~1 m) of the data, every name and number as it was.
    placed = frames["factories"]
    np.testing.assert_allclose(pts["lon"], placed.geometry.x, atol=0.6e-5)
    np.testing.assert_allclose(pts["lat"], placed.geometry.y, atol=0.6e-5)
    assert pts["columns"]["name_th"] == placed["name_th"].tolist()
    assert pts["columns"]["workers"] == placed["workers"].tolist()
    assert pts["columns"]["factory_class"] == placed["factory_class"].tolist()
    # One renderer, no per-point JavaScript written by Python; no JSON row per point.
    assert html.count("new EcoPoints(") == 1
    assert html.count("L.marker(") == 2  # a cluster bubble and a place name, in the renderer
    assert "โรงงานทดสอบ 19999" not in html  # the names travel packed


def test_local_assets_are_relative_links_and_folium_defaults_untouched(
    tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    assets = tmp_path / "assets"
    for a in MAP_ASSETS:
        (assets / a.relative()).parent.mkdir(parents=True, exist_ok=True)
        (assets / a.relative()).write_text("/* stub */", encoding="utf-8")
    default_js = list(folium.Map.default_js)
    out_dir = tmp_path / "maps"
    out_dir.mkdir()
    result = build_map(
        _frames(),
        load_recipe("overview"),
        assets=AssetSource("local", str(assets)),
        tiles="none",
        html_dir=out_dir,
    )
    page, _ = parse_page(map_html(result))
    srcs = [attrs["src"] for attrs, _ in page.scripts if attrs.get("src")]
    hrefs = [attrs["href"] for attrs in page.links if attrs.get("rel") == "stylesheet"]
    assert len(srcs) == len([a for a in MAP_ASSETS if a.kind == "js"])
    assert len(hrefs) == len([a for a in MAP_ASSETS if a.kind == "css"])
    for url in srcs + hrefs:
        assert url is not None and not re.match(r"^[a-z]+:", url)
        assert (out_dir / url).resolve().is_file()
    assert folium.Map.default_js == default_js


def test_inline_assets_make_one_self_contained_file(
    tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    assets = tmp_path / "assets"
    for a in MAP_ASSETS:
        (assets / a.relative()).parent.mkdir(parents=True, exist_ok=True)
        text = (
            "/* stub */ .x{background:url(images/layers.png)}"
            if a.kind == "css"
            else "var x = '</script>';"
        )
        (assets / a.relative()).write_text(text, encoding="utf-8")
    (assets / "leaflet@1.9.3/dist/images").mkdir(parents=True, exist_ok=True)
    (assets / "leaflet@1.9.3/dist/images/layers.png").write_bytes(b"\x89PNG")
    html = map_html(
        build_map(
            _frames(),
            load_recipe("overview"),
            assets=AssetSource("inline", str(assets)),
            tiles="none",
        )
    )
    page, _ = parse_page(html)
    assert not [a for a, _ in page.scripts if a.get("src")]
    assert not [a for a in page.links if a.get("rel") == "stylesheet"]
    assert "url(data:image/png;base64," in html
    assert not re.search(r"https?://(?!www\.w3\.org)", html.replace("http://leafletjs.com", ""))


def test_localize_folium_rewrites_plugin_and_default_cdns(tmp_path: Path) -> None:
    m = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)
    folium.plugins.Fullscreen().add_to(m)
    folium.plugins.MeasureControl().add_to(m)
    folium.Marker([14, 101], icon=folium.Icon(icon="info-sign")).add_to(m)
    localize_folium(m, AssetSource("local", "https://intranet.example/ecogis-assets"))
    html = m.get_root().render()
    urls = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert urls and all(u.startswith("https://intranet.example/ecogis-assets/") for u in urls)
    assert folium.Map.default_js[0][1].startswith("https://cdn.jsdelivr.net/")


def test_missing_assets_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="assets folder"):
        build_map(
            _frames(), load_recipe("overview"), assets=AssetSource("local", str(tmp_path / "nope"))
        )
    with pytest.raises(InputFileError, match="needs an assets folder"):
        AssetSource("local")
    with pytest.raises(InputFileError, match="contradict"):
        AssetSource.from_options("cdn", offline=True)


def test_asset_options_map_to_sources(tmp_path: Path) -> None:
    vendored = str(vendored_dir())
    assert AssetSource.from_options(None) == AssetSource("inline")
    assert AssetSource.from_options(None).folder == vendored
    assert AssetSource.from_options(None, offline=True).folder == vendored
    assert AssetSource.from_options("CDN") == AssetSource("cdn")
    assert AssetSource.from_options(str(tmp_path)) == AssetSource("local", str(tmp_path))
    assert AssetSource.from_options(str(tmp_path), offline=True) == AssetSource(
        "inline", str(tmp_path)
    )
    url = "https://intranet.example/a"
    assert AssetSource.from_options(url) == AssetSource("local", url)


def test_default_map_inlines_the_vendored_assets_and_draws_the_workspace_basemap(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    html = map_html(build_map(_frames(), load_recipe("overview")))
    page, data = parse_page(html)
    assert not [a for a, _ in page.scripts if a.get("src")]
    assert not [a for a in page.links if a.get("rel") == "stylesheet"]
    # The offline basemap: the workspace's own boundaries (by reference to the overlays
    # already in the page, not a second copy) and Thai place names.
    base = data["basemap"]
    assert base["kind"] == "workspace"
    assert {"layer": "provinces", "ref": "provinces"} in base["layers"]
    assert {"layer": "districts", "ref": "districts"} in base["layers"]
    assert {lab["text"] for lab in base["labels"]} >= {"ปราจีนบุรี", "กบินทร์บุรี"}
    assert "var protomapsL=" not in html  # vector-tile code only with a tile basemap
    # Leaflet, the plugins and the CSS images are in the page itself.
    for marker in ("Supercluster", "inflateSync", "leaflet-control-measure", "fullscreen"):
        assert marker in html
    assert "url(data:image/png;base64," in html and "url(data:image/svg+xml;base64," in html
    # Nothing that a browser would fetch: no src/href/url() pointing outside the page
    # (Leaflet's attribution is a plain link, not a request).
    assert not re.search(
        r"""(?:src|href)\s*=\s*["']https?://""", html.replace('href="https://leafletjs.com"', "")
    )
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)


def test_assets_cdn_links_jsdelivr_and_shows_osm(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    html = map_html(build_map(_frames(), load_recipe("overview"), assets=AssetSource("cdn")))
    page, data = parse_page(html)
    srcs = [a["src"] for a, _ in page.scripts if a.get("src")]
    assert len(srcs) == len([a for a in MAP_ASSETS if a.kind == "js"])
    assert all(str(u).startswith("https://cdn.jsdelivr.net/npm/") for u in srcs)
    assert "tile.openstreetmap.org" in data["basemap"]["url"]


def test_vendored_assets_are_minimal_complete_and_licensed() -> None:
    root = vendored_dir()
    on_disk = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert on_disk == sorted(vendor_files(root))
    assert not [f for f in on_disk if f.endswith(".map") or "-src" in f]
    assert sum((root / f).stat().st_size for f in on_disk) < 1_000_000
    AssetSource("inline").check()
    for pkg in {a.package for a in MAP_ASSETS}:
        assert any((root / pkg.folder / n).is_file() for n in LICENCE_FILES), pkg.folder
        assert pkg.folder in (root.parent / "NOTICE.md").read_text(encoding="utf-8")


def test_wheel_package_data_carry_the_vendored_assets(monkeypatch: pytest.MonkeyPatch) -> None:
    """What setuptools' build_py puts in the wheel from pyproject's [tool.setuptools]."""
    import tomllib
    import warnings

    from setuptools.dist import Distribution

    repo = Path(__file__).resolve().parent.parent
    cfg = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    monkeypatch.chdir(repo)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dist = Distribution(
            {
                "name": "ecogis",
                "packages": cfg["packages"],
                "package_dir": cfg["package-dir"],
                "package_data": cfg["package-data"],
            }
        )
        build_py = dist.get_command_obj("build_py")
        build_py.ensure_finalized()
        data = {pkg: set(names) for pkg, _src, _build, names in build_py.data_files}
    shipped = data.get("ecogis.webmap.static", set())
    assert "NOTICE.md" in shipped
    expected = {f"vendor/{f}" for f in vendor_files(vendored_dir())}
    assert expected and expected <= shipped


def test_recipe_naming_unknown_layer_or_field_names_the_recipe(tmp_path: Path) -> None:
    bad_layer = tmp_path / "bad_layer.toml"
    bad_layer.write_text(
        'name = "x"\ntitle_th = "x"\ntitle_en = "x"\n[[layers]]\nlayer = "factoriez"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"bad_layer\.toml.*factoriez"):
        load_recipe(bad_layer)
    bad_field = tmp_path / "bad_field.toml"
    bad_field.write_text(
        'name = "x"\ntitle_th = "x"\ntitle_en = "x"\n[[layers]]\nlayer = "factories"\n'
        'popup = ["name_th", "owner_phone"]\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"bad_field\.toml.*field owner_phone"):
        load_recipe(bad_field)
    with pytest.raises(CatalogueError, match="no map recipe named"):
        load_recipe("nonesuch")
    with pytest.raises(CatalogueError, match="has no indicator"):
        load_recipe("overview").indicator("nonesuch")
    with pytest.raises(CatalogueError, match="unknown"):
        parse_recipe(
            {
                "name": "x",
                "title_th": "x",
                "title_en": "x",
                "layers": [{"layer": "factories"}],
                "indicators": [
                    {
                        "id": "a",
                        "source": "factories",
                        "stat": "median",
                        "title_th": "a",
                        "title_en": "a",
                    }
                ],
            },
            source="inline.toml",
        )


def test_unknown_province_code_is_an_error() -> None:
    with pytest.raises(InputFileError, match="'99' is not a Thai province code"):
        province("99")


@pytest.fixture(scope="module")
def small_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws") / "ws.gpkg"
    ws = Workspace.create(path)
    frames = _frames(name=EVIL)
    with ws.batch():
        for name in ("provinces", "districts", "factories", "compliance"):
            ws.write(name, frames[name])
    return path


def test_cli_map_writes_html_and_reports_notes(
    small_ws: Path, tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    out = tmp_path / "risk.html"
    res = CliRunner().invoke(
        cli,
        [
            "map",
            "-w",
            str(small_ws),
            "--recipe",
            "risk",
            "--province",
            "25",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["layers"] == ["provinces", "districts"]
    assert any("risk" in n or "ความเสี่ยง" in n or "ชุมชน" in n for n in summary["notes"])
    _, data = parse_page(out.read_text(encoding="utf-8"))
    assert data["title"] == "ความเสี่ยงจากโรงงานต่อชุมชน"


def test_cli_map_bad_input_one_line_exit_1(
    small_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ECOGIS_ASSETS", raising=False)
    res = CliRunner().invoke(
        cli, ["map", "-w", str(small_ws), "--province", "99", "--out", str(tmp_path / "x.html")]
    )
    assert res.exit_code == 1
    assert "not a Thai province code" in res.stderr
    res = CliRunner().invoke(
        cli,
        [
            "map",
            "-w",
            str(small_ws),
            "--offline",
            "--assets",
            "https://intranet.example/a",
            "--out",
            str(tmp_path / "x.html"),
        ],
    )
    assert res.exit_code == 1 and "--offline needs a local assets folder" in res.stderr
    res = CliRunner().invoke(
        cli,
        [
            "map",
            "-w",
            str(small_ws),
            "--assets",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "x.html"),
        ],
    )
    assert res.exit_code == 1 and "assets folder does not exist" in res.stderr
    assert not (tmp_path / "x.html").exists()


def test_cli_map_list_recipes() -> None:
    res = CliRunner().invoke(cli, ["map", "--list-recipes", "-w", "unused.gpkg"])
    assert res.exit_code == 0
    assert "risk" in res.stdout and "action_plan" in res.stdout


def test_map_as_subprocess(
    small_ws: Path, tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    out = tmp_path / "en.html"
    args = ["map", "-w", str(small_ws), "--lang", "en", "--out", str(out)]
    proc = subprocess.run(
        [sys.executable, "-m", "ecogis", *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    page, data = parse_page(out.read_text(encoding="utf-8"))
    fac = next(layer for layer in data["layers"] if layer["id"] == "factories")
    assert EVIL in fac["points"]["columns"]["name_th"]
    assert "map overview" in proc.stderr
    # No --assets: Leaflet is in the page, nothing is loaded from elsewhere.
    assert not [a for a, _ in page.scripts if a.get("src")]


def test_map_of_workspace_does_not_change_it(small_ws: Path, tmp_path: Path) -> None:
    before = small_ws.read_bytes()
    CliRunner().invoke(cli, ["map", "-w", str(small_ws), "--out", str(tmp_path / "m.html")])
    assert small_ws.read_bytes() == before


def test_real_province_boundaries_choropleth(
    provinces_geojson: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    provs = gpd.read_file(provinces_geojson)
    provs = provs.rename(columns={c: c.lower() for c in provs.columns})
    assert "pro_code" in provs.columns
    provs["pro_code"] = provs["pro_code"].astype(str).str.zfill(2)
    name_th = next(c for c in provs.columns if c in ("name_th", "pro_th", "pro_name_th"))
    name_en = next(c for c in provs.columns if c in ("name_en", "pro_en", "pro_name_en"))
    provs = provs.rename(columns={name_th: "name_th", name_en: "name_en"})[
        ["pro_code", "name_th", "name_en", "geometry"]
    ]
    fac = _frames(200)["factories"]
    result = build_map(
        {"provinces": provs, "factories": fac}, load_recipe("overview"), tiles="none"
    )
    html = map_html(result)
    assert len(html) < 5_000_000
    _, data = parse_page(html)
    ind = data["layers"][0]
    assert len(ind["geojson"]["features"]) == 77
    by_code = {f["properties"]["pro_code"]: f["properties"] for f in ind["geojson"]["features"]}
    assert by_code["21"]["name_th"] == "ระยอง"
    assert by_code["25"]["indicator_value"] > 0 and by_code["10"]["indicator_value"] == 0
    assert Point(101.5, 14.0).within(provs[provs.pro_code == "25"].geometry.iloc[0])


def test_local_tile_folder_becomes_relative_template(
    tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    tiles = tmp_path / "tiles"
    (tiles / "9" / "400").mkdir(parents=True)
    result = build_map(_frames(), load_recipe("overview"), tiles=str(tiles), html_dir=tmp_path)
    _, data = parse_page(map_html(result))
    assert data["basemap"]["url"] == "tiles/{z}/{x}/{y}.png"
    none = map_html(build_map(_frames(), load_recipe("overview"), tiles="none"))
    assert parse_page(none)[1]["basemap"] is None


def test_assets_fetch_without_npm_and_check_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecogis.webmap.assets import fetch_assets

    with pytest.raises(InputFileError, match="npm is not installed"):
        fetch_assets(tmp_path / "a", npm="no-such-npm-here")
    monkeypatch.setenv("ECOGIS_ASSETS", str(tmp_path / "nowhere"))
    res = CliRunner().invoke(cli, ["assets", "check"])
    assert res.exit_code == 1 and "assets folder does not exist" in res.stderr


def test_demo_step_writes_self_contained_pages(
    tmp_path: Path, parse_page: Callable[[str], tuple[Any, dict[str, Any]]]
) -> None:
    """With nothing fetched, the demo's pages carry Leaflet and need no internet."""
    from ecogis.tasks import maps, reports

    ws = Workspace.create(tmp_path / "ws.gpkg")
    frames = _frames()
    with ws.batch():
        for name in ("provinces", "districts", "factories", "compliance"):
            ws.write(name, frames[name])
    out = tmp_path / "out"
    # The demo runs the reports step (which adds an illustrative plan) before the maps.
    lines = reports.demo_step(ws, out)
    assert ws.has_layer("action_plans")
    assert {p.name for p in out.iterdir()} == {"report_25.html"}
    lines = maps.demo_step(ws, out)
    assert any("self-contained" in line for line in lines)
    assert {p.name for p in out.iterdir()} == {
        "map_overview.html",
        "map_risk.html",
        "map_symbiosis.html",
        "map_action_plan.html",
        "report_25.html",
    }
    page, _ = parse_page((out / "map_risk.html").read_text(encoding="utf-8"))
    assert not [a for a, _ in page.scripts if a.get("src")]


def _links(frames: dict[str, pd.DataFrame], grades: list[str]) -> gpd.GeoDataFrame:
    """Symbiosis links between the test factories, one per grade given (tonnes rising)."""
    fac = frames["factories"]
    rows, geoms = [], []
    for i, grade in enumerate(grades):
        a, b = fac.iloc[i % 20], fac.iloc[(i + 3) % 20]
        rows.append(
            {
                "link_id": f"L{i}",
                "stream_id": f"S{i}",
                "provider_id": a["factory_id"],
                "receiver_id": b["factory_id"],
                "material": "fly_ash",
                "quantity": 10.0 * (i + 1),
                "tonnes": 10.0 * (i + 1),
                "distance_km": 1.5,
                "use_th": "ทดแทนปูนซีเมนต์",
                "use_en": "cement replacement",
                "grade": grade,
                "grade_reason": f"{grade}: test",
                "pro_code": "25",
            }
        )
        geoms.append(LineString([a.geometry, b.geometry]))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def _grade_recipe() -> Any:
    """Links split by grade as the symbiosis map drew them before bundling (split_by)."""
    return parse_recipe(
        {
            "name": "grades",
            "title_th": "เกรด",
            "title_en": "Grades",
            "layers": [
                {"layer": "factories"},
                {
                    "layer": "symbiosis_links",
                    "split_by": "grade",
                    "hide": ["C"],
                    "max_shown": 120,
                    "popup": [
                        "provider_name",
                        "receiver_name",
                        "material_name",
                        "tonnes",
                        "distance_km",
                        "grade_reason",
                    ],
                    "search": ["route", "material_name", "provider_id", "receiver_id"],
                },
            ],
        },
        source="test",
    )


def test_symbiosis_map_opens_with_bundled_exchanges_and_a_flow_diagram(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    """Issue 12.4: chosen exchanges bundled by area and material group, arrows, a Sankey."""
    import base64

    frames = _frames()
    frames["symbiosis_links"] = _links(frames, ["A"] * 6 + ["B"] * 4)
    result = build_map(frames, load_recipe("symbiosis"), province=province("25"))
    _, data = parse_page(map_html(result))
    layers = {c["id"]: c for c in data["layers"]}
    shown = [c["id"] for c in data["layers"] if c["show"]]
    assert "exchanges" in shown and not any(s.startswith("symbiosis_links_") for s in shown)
    ex = layers["exchanges"]
    assert ex["arrows"] and ex["style"]["field"] == "material_group"
    assert ex["style"]["width_field"] == "tonnes"
    feats = ex["geojson"]["features"]
    # All ten links are fly ash between factories of no zone: bundled by pairs of clusters.
    assert sum(f["properties"]["n_links"] for f in feats) == 10 and len(feats) <= 10
    assert {f["properties"]["material_group"] for f in feats} == {"bulk_mineral"}
    assert sum(f["properties"]["tonnes"] for f in feats) == pytest.approx(
        float(frames["symbiosis_links"]["tonnes"].sum()), rel=1e-3
    )
    assert "bulk_mineral" in {c["value"] for c in ex["style"]["classes"]}
    svg = base64.b64decode(data["sankey"]["image"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "เถ้าลอย" in svg and "<script" not in svg


def _exchange_frames() -> dict[str, pd.DataFrame]:
    """A zone with three factories, two factories 600 m apart outside it, one far away, and
    chosen exchanges: two zone → pair (two material groups), one back, one inside."""
    zone = gpd.GeoDataFrame(
        {
            "zone_id": ["Z1"],
            "name_th": ["นิคมทดสอบ"],
            "name_en": ["Test estate"],
            "pro_code": ["25"],
        },
        geometry=[box(101.40, 13.95, 101.44, 13.99)],
        crs=4326,
    )
    ids = ["Z-a", "Z-b", "Z-c", "P-a", "P-b", "Far"]
    fac = gpd.GeoDataFrame(
        {
            "factory_id": ids,
            "name_th": [f"โรงงาน {i}" for i in ids],
            "zone_id": ["Z1", "Z1", "Z1", None, None, None],
            "pro_code": ["25"] * 6,
            "coord_flag": ["ok"] * 6,
        },
        geometry=[
            Point(101.41, 13.96),
            Point(101.42, 13.97),
            Point(101.43, 13.98),
            Point(101.60, 14.10),
            Point(101.605, 14.104),  # 650 m from P-a: the same cluster
            Point(101.90, 13.75),
        ],
        crs=4326,
    )
    pairs = [
        ("Z-a", "P-a", "fly_ash", 100.0),
        ("Z-b", "P-b", "metal_scrap", 300.0),
        ("P-a", "Z-c", "fly_ash", 50.0),
        ("Z-a", "Z-b", "plastic_scrap", 20.0),
    ]
    where = fac.set_index("factory_id").geometry
    links = gpd.GeoDataFrame(
        {
            "link_id": [f"L{i}" for i in range(len(pairs))],
            "stream_id": [f"S{i}" for i in range(len(pairs))],
            "provider_id": [a for a, _, _, _ in pairs],
            "receiver_id": [b for _, b, _, _ in pairs],
            "material": [m for _, _, m, _ in pairs],
            "tonnes": [t for _, _, _, t in pairs],
            "quantity": [t for _, _, _, t in pairs],
            "grade": ["A"] * len(pairs),
            "pro_code": ["25"] * len(pairs),
        },
        geometry=[LineString([where[a], where[b]]) for a, b, _, _ in pairs],
        crs=4326,
    )
    frames = _frames()
    frames.update(factories=fac, industrial_zones=zone, symbiosis_links=links)
    return frames


def test_exchanges_between_two_areas_are_one_curved_arrow_listing_its_members() -> None:
    """Issue 12.4: fewer lines than exchanges; opposite directions bow to opposite sides."""
    from ecogis.webmap.data import link_fields, material_names
    from ecogis.webmap.exchanges import exchange_bundles, material_group_of

    frames = _exchange_frames()
    links = frames["symbiosis_links"]
    links = links.assign(**link_fields(links, frames["factories"], lang="th"))
    out = exchange_bundles(
        links,
        frames["factories"],
        frames["industrial_zones"],
        lang="th",
        material_names=material_names("th"),
    )
    assert len(out) == 3 < len(links)  # zone → pair (2 exchanges), pair → zone, inside zone
    assert int(out["n_links"].sum()) == len(links)
    there = out[out["route"] == "นิคมทดสอบ → โรงงาน P-a และอีก 1 แห่ง"].iloc[0]
    back = out[out["route"] == "โรงงาน P-a และอีก 1 แห่ง → นิคมทดสอบ"].iloc[0]
    assert there["n_links"] == 2 and there["tonnes"] == 400.0
    # Coloured by the group with the most tonnes (metal scrap, 300 of the 400 t).
    metal = str(material_group_of(pd.Series(["metal_scrap"])).iloc[0])
    assert there["material_group"] == metal
    assert there["materials"].split(", ") == ["เศษโลหะ", "เถ้าลอย"]
    members = there["members"].split("\n")
    assert len(members) == 2 and members[0].startswith("โรงงาน Z-b → โรงงาน P-b")
    assert "300 ตัน/ปี" in members[0]
    # Curved, from provider to receiver; the way back bows to the other side of the chord.
    assert there.geometry.geom_type == "LineString" and len(there.geometry.coords) > 2
    a, b = np.array(there.geometry.coords[0]), np.array(there.geometry.coords[-1])
    assert tuple(b) == pytest.approx(tuple(np.array(back.geometry.coords[0])))

    def side(line: Any) -> float:
        mid = np.array(line.coords[len(line.coords) // 2])
        (dx, dy), (mx, my) = b - a, mid - a
        return float(dx * my - dy * mx)  # > 0 left of a → b, < 0 right

    assert side(there.geometry) * side(back.geometry) < 0
    inside = out[out.geometry.geom_type == "Point"]
    assert list(inside["route"]) == ["นิคมทดสอบ"] and list(inside["n_links"]) == [1]


def test_symbiosis_map_draws_only_chosen_bundles_at_first_with_a_width_legend(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    """The tangle guard: what the map opens with holds the chosen exchanges, bundled."""
    frames = _exchange_frames()
    frames["symbiosis_candidates"] = pd.DataFrame(
        {
            "candidate_id": [f"C{i}" for i in range(30)],
            "provider_id": ["Z-a"] * 30,
            "receiver_id": ["Far"] * 30,
            "material": ["fly_ash"] * 30,
            "pro_code": ["25"] * 30,
        }
    )
    result = build_map(frames, load_recipe("symbiosis"), province=province("25"))
    _, data = parse_page(map_html(result))
    lines_shown = [
        c
        for c in data["layers"]
        if c["show"] and c["layer"] in ("symbiosis_links", "symbiosis_candidates")
    ]
    assert [c["id"] for c in lines_shown] == ["exchanges"]
    feats = lines_shown[0]["geojson"]["features"]
    assert len(feats) == 3 and sum(f["properties"]["n_links"] for f in feats) == 4
    cand = next(c for c in data["layers"] if c["id"] == "candidates")
    assert cand["show"] is False and cand["count"] == 30
    ex = lines_shown[0]
    # The legend: the material groups on the map only, and the width scale in t/yr.
    groups = {f["properties"]["material_group"] for f in feats}
    swatches = [r for r in ex["legend"] if "label" in r]
    assert {r["label"] for r in swatches if r["color"] != "#666666"} == {
        c["label"] for c in ex["style"]["classes"]
    }
    assert {str(c["value"]) for c in ex["style"]["classes"]} == groups
    widths = [r for r in swatches if r["color"] == "#666666"]
    assert len(widths) >= 2 and widths[0]["label"] == "400 ตัน/ปี"
    assert widths[0]["width"] == ex["style"]["width_max"]
    assert [w["width"] for w in widths] == sorted((w["width"] for w in widths), reverse=True)
    assert any(p["field"] == "members" for p in ex["popup"])


def test_symbiosis_links_one_layer_per_grade_a_on_top(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    frames = _frames()
    frames["symbiosis_links"] = _links(frames, ["B"] * 5 + ["A"] * 3 + ["C"] * 2)
    before = frames["symbiosis_links"].copy()
    result = build_map(frames, _grade_recipe(), province=province("25"))
    _, data = parse_page(map_html(result))
    links = [c for c in data["layers"] if c["layer"] == "symbiosis_links"]
    assert [c["id"] for c in links] == [
        "symbiosis_links_A",
        "symbiosis_links_B",
        "symbiosis_links_C",
    ]
    assert [c["count"] for c in links] == [3, 5, 2]
    assert [c["show"] for c in links] == [True, True, False]  # C off by default
    z = [c["pane"]["z"] for c in links]
    assert z[0] > z[1] > z[2]  # A drawn above B above C
    # Thai names from the contract's class labels; one legend group for the three.
    assert links[0]["title"].endswith("A: ทั้งสองโรงงานระบุวัสดุในสมดุลมวล")
    assert {c["legend_title"] for c in links} == {"การแลกเปลี่ยนของเสียที่เสนอ"}
    assert [r["label"] for r in links[1]["legend"] if "label" in r] == ["B: มีแบบอย่างตามรหัสของเสีย"]
    # Popup and hover: provider → receiver by name, material in Thai, t/yr and km.
    feat = links[0]["geojson"]["features"][0]["properties"]
    fac = frames["factories"].set_index("factory_id")
    provider, receiver = fac.loc[feat["provider_id"]], fac.loc[feat["receiver_id"]]
    assert feat["route"] == f"{provider['name_th']} → {receiver['name_th']}"
    assert feat["material_name"] == "เถ้าลอย"
    assert "เถ้าลอย" in feat["hover"] and "ตัน/ปี" in feat["hover"] and "กม." in feat["hover"]
    assert links[0]["title_field"] == "route" and links[0]["tooltip_field"] == "hover"
    assert {p["field"] for p in links[0]["popup"]} >= {
        "provider_name",
        "receiver_name",
        "material_name",
        "tonnes",
        "distance_km",
        "grade_reason",
    }
    # Width by tonnes on one scale across the grades.
    assert {tuple(c["style"]["width_domain"]) for c in links} == {(10.0, 100.0)}
    pd.testing.assert_frame_equal(frames["symbiosis_links"], before)


def test_symbiosis_grade_b_off_when_many_links(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    frames = _frames()
    frames["symbiosis_links"] = _links(frames, ["A"] * 60 + ["B"] * 80)
    result = build_map(frames, _grade_recipe(), lang="en")
    _, data = parse_page(map_html(result))
    shown = {c["id"]: c["show"] for c in data["layers"] if c["layer"] == "symbiosis_links"}
    assert shown == {"symbiosis_links_A": True, "symbiosis_links_B": False}
    link = next(c for c in data["layers"] if c["id"] == "symbiosis_links_A")
    assert link["geojson"]["features"][0]["properties"]["material_name"] == "Fly ash"


def test_recipe_split_by_unknown_field_names_the_recipe() -> None:
    raw = {
        "name": "x",
        "title_th": "x",
        "title_en": "x",
        "layers": [{"layer": "symbiosis_links", "split_by": "colour"}],
    }
    with pytest.raises(CatalogueError, match="split_by names field 'colour'"):
        parse_recipe(raw, source="x.toml")


def test_choropleth_from_summary_tables_keyed_by_code_and_level(
    parse_page: Callable[[str], tuple[Any, dict[str, Any]]],
) -> None:
    frames = _frames()
    frames["risk_summary"] = pd.DataFrame(
        {
            "level": ["tambon", "district", "district", "province"],
            "code": ["250101", "2501", "2502", "25"],
            "prox_score": [9.0, 2.0, 4.5, 3.0],
        }
    )
    frames["compliance_gaps_summary"] = pd.DataFrame(
        {
            "level": ["province", "zone", "total"],
            "area_id": ["25", "Z1", "all"],
            "share_with_gap": [80.0, 10.0, 80.0],
        }
    )
    risk = load_recipe("risk")
    _, data = parse_page(
        map_html(build_map(frames, risk, province=province("25"), indicator="risk_score"))
    )
    feats = data["layers"][0]["geojson"]["features"]
    by_code = {f["properties"]["amp_code"]: f["properties"]["indicator_value"] for f in feats}
    assert by_code == {"2501": 2.0, "2502": 4.5}  # district rows only, tambon row ignored
    _, data = parse_page(map_html(build_map(frames, risk, indicator="risk_score")))
    feats = data["layers"][0]["geojson"]["features"]
    by_code = {f["properties"]["pro_code"]: f["properties"]["indicator_value"] for f in feats}
    assert by_code == {"25": 3.0, "21": None}
    _, data = parse_page(
        map_html(build_map(frames, load_recipe("overview"), indicator="share_with_gap"))
    )
    feats = data["layers"][0]["geojson"]["features"]
    assert {f["properties"]["pro_code"]: f["properties"]["indicator_value"] for f in feats} == {
        "25": 80.0,
        "21": None,
    }


def test_indicator_key_and_levels_are_checked() -> None:
    base = {"name": "x", "title_th": "x", "title_en": "x", "layers": [{"layer": "provinces"}]}
    ind = {"id": "i", "source": "risk_summary", "stat": "mean", "field": "prox_score"}
    ind |= {"title_th": "t", "title_en": "t"}
    with pytest.raises(CatalogueError, match="no pro_code or amp_code"):
        parse_recipe({**base, "indicators": [ind]}, source="x.toml")
    with pytest.raises(CatalogueError, match="key names field 'area'"):
        parse_recipe({**base, "indicators": [{**ind, "key": "area"}]}, source="x.toml")
    with pytest.raises(CatalogueError, match="not a boundary layer"):
        parse_recipe(
            {**base, "indicators": [{**ind, "key": "code", "levels": {"tambons": "tambon"}}]},
            source="x.toml",
        )
