"""Open maps and reports in headless Chromium, as a planner would, and look at them.

The browser is Debian's ``chromium`` driven over the Chrome DevTools protocol (a small
websocket client below, standard library only). Each test fails on any JavaScript console
error or uncaught exception; the offline map also fails on any request that is not the
file itself or a ``data:`` URI. Screenshots are saved in ``ECOGIS_SCREENSHOTS`` (default:
the test's temporary folder).

Skipped with the reason when chromium is missing — failed instead under ``CI=true``. The
served assets folder is ``ECOGIS_ASSETS`` when set, else the copies vendored in the package
(``ecogis/webmap/static/vendor``), which default maps inline.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecogis.webmap.chromium import CHROMIUM, Chromium, Page
from ecogis.workspace import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _skip_or_fail(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    if not Path(CHROMIUM).exists():
        _skip_or_fail(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    b = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def page(browser: Chromium) -> Iterator[Page]:
    p = browser.new_page()
    try:
        yield p
    finally:
        p.close()


@pytest.fixture(scope="session")
def assets_dir() -> Path:
    """The map assets: ``ECOGIS_ASSETS`` when set, else the package's vendored copies."""
    from ecogis.webmap.assets import AssetSource, vendored_dir

    given = os.environ.get("ECOGIS_ASSETS")
    folder = Path(given) if given else vendored_dir()
    AssetSource("local", str(folder)).check()
    return folder


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo workspace with the risk and compliance analyses run (no maps yet)."""
    from ecogis.tasks.demo import run_demo

    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder / "demo.gpkg", folder / "out", steps=("risk", "compliance"))
    return Workspace.open(folder / "demo.gpkg")


@pytest.fixture
def served(tmp_path: Path, assets_dir: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over loopback HTTP with the assets at ``assets/`` inside it."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(assets_dir, root / "assets")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ECOGIS_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


MAP_READY = "window.ecogisMaps && window.ecogisMaps.length > 0"


def _layer_counts(page: Page) -> dict[str, dict[str, Any]]:
    counts = page.evaluate("JSON.stringify(window.ecogisMaps[0].counts)")
    return {c["id"]: c for c in json.loads(counts)}


def test_risk_map_served_from_local_assets_renders_layers(
    demo_ws: Workspace, served: tuple[Path, str], page: Page, tmp_path: Path
) -> None:
    from ecogis.tasks.maps import make_map
    from ecogis.webmap.assets import AssetSource

    root, base = served
    make_map(
        demo_ws,
        root / "risk.html",
        recipe="risk",
        province_code="25",
        assets=AssetSource("local", str(root / "assets")),
    )
    page.goto(f"{base}/risk.html", ready=MAP_READY)
    assert page.errors == []
    assert all(u.startswith(base) or u.startswith("data:") for u in page.requests), page.requests
    counts = _layer_counts(page)
    assert counts["risk_receptors"]["shown"] and counts["risk_receptors"]["features"] > 0
    assert counts["risk_factories"]["features"] > 0
    # Layers that belong to the province through their factories (rings, siting breaches).
    assert counts["risk_zones"]["features"] > 0 and counts["siting_flags"]["features"] > 0
    # Drawn on screen: receptor circles on the canvas, cluster icons, a legend per layer.
    assert page.evaluate("document.querySelectorAll('.marker-cluster').length") > 0
    assert page.evaluate("document.querySelectorAll('.eco-legend-section').length") >= 4
    assert page.evaluate("document.querySelector('.leaflet-control-scale') !== null")
    assert page.evaluate("document.querySelector('.leaflet-control-measure') !== null")
    assert page.evaluate(
        "document.querySelector('.leaflet-control-fullscreen,"
        " .leaflet-control-zoom-fullscreen') !== null"
    )
    page.screenshot(_shots(tmp_path) / "risk_map.png")
    _measure(page, _shots(tmp_path) / "risk_map_measuring.png")
    assert page.errors == []


def _measure(page: Page, shot: Path) -> None:
    """Measure a distance as a person would: open the tool, click three points, finish."""
    page.evaluate(
        "void document.querySelector('.leaflet-control-measure')"
        ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))"
    )
    page.evaluate("void document.querySelector('.leaflet-control-measure .js-start').click()")
    for x, y in ((400, 400), (600, 450), (650, 300)):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            page.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
        time.sleep(0.2)
    results = page.evaluate(
        "document.querySelector('.leaflet-control-measure .js-results').textContent"
    )
    assert "distance" in results.lower() or "ระยะ" in results
    page.screenshot(shot)
    page.evaluate("void document.querySelector('.leaflet-control-measure .js-finish').click()")
    time.sleep(0.3)


def test_default_map_makes_no_external_request_and_search_finds_factory(
    demo_ws: Workspace, tmp_path: Path, page: Page
) -> None:
    from ecogis.tasks.maps import make_map

    # No assets given, as a planner runs it: the page must work with no network at all.
    out = tmp_path / "offline" / "overview.html"
    make_map(demo_ws, out, recipe="overview", province_code="25", lang="en")
    page.goto(out.as_uri(), ready=MAP_READY)
    assert page.errors == []
    others = [u for u in page.requests if u != out.as_uri() and not u.startswith("data:")]
    assert others == []
    counts = _layer_counts(page)
    assert counts["factories"]["features"] > 0
    # Not blank: the basemap of the workspace's own layers is drawn, with place names.
    assert page.evaluate("document.querySelector('.leaflet-eco-base-pane canvas') !== null")
    assert page.evaluate("document.querySelectorAll('.eco-place').length") > 0
    # The controls the vendored plugins provide are there (scripts ran, CSS images inlined).
    assert page.evaluate("document.querySelector('.leaflet-control-measure') !== null")
    assert page.evaluate("document.querySelectorAll('.marker-cluster').length") > 0
    # Search by a registration number typed as a person would.
    factory_id = demo_ws.read("factories")["factory_id"].iloc[0]
    page.evaluate(
        "(() => { const i = document.querySelector('.eco-search-input');"
        f" i.value = {json.dumps(factory_id)}; i.dispatchEvent(new Event('input')); }})()"
    )
    hits = page.evaluate(
        "Array.from(document.querySelectorAll('.eco-search-hit')).map(b => b.textContent)"
    )
    assert any(factory_id in h for h in hits)
    page.evaluate("void document.querySelector('.eco-search-hit').click()")
    time.sleep(1.0)
    popup = page.evaluate(
        "(document.querySelector('.leaflet-popup-content') || {}).textContent || ''"
    )
    assert factory_id in popup
    page.screenshot(_shots(tmp_path) / "offline_overview_en_search.png")
    # The measure tool draws Leaflet's default markers: their images are inlined too.
    _measure(page, _shots(tmp_path) / "offline_overview_measuring.png")
    others = [u for u in page.requests if u != out.as_uri() and not u.startswith("data:")]
    assert others == [] and page.errors == []


def test_hostile_factory_name_stays_text_in_browser(
    tmp_path: Path, assets_dir: Path, page: Page
) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    from ecogis.webmap import build_map, load_recipe, save_map
    from ecogis.webmap.assets import AssetSource

    evil = (
        '</script><img src=x onerror="window.pwned=1">${window.pwned=2}\'"'
        " {{7*7}} {% if true %}x{% endif %} {# c #} {{ cycler.__init__.__globals__ }}"
    )
    factories = gpd.GeoDataFrame(
        {
            "factory_id": ["3-1-1/60ปจ"],
            "name_th": [evil],
            "name_en": [evil],
            "factory_class": [3],
            "coord_flag": ["ok"],
            "pro_code": ["25"],
        },
        geometry=[Point(101.6, 14.0)],
        crs=4326,
    )
    result = build_map(
        {"factories": factories},
        load_recipe("overview"),
        assets=AssetSource("inline", str(assets_dir)),
        tiles="none",
    )
    out = save_map(result, tmp_path / "evil.html")
    page.goto(out.as_uri(), ready=MAP_READY)
    assert page.errors == []
    assert page.evaluate("window.pwned === undefined")
    page.evaluate("void window.ecogisMaps[0].layers.factories.showPoint(0)")
    time.sleep(0.5)
    popup = page.evaluate("document.querySelector('.leaflet-popup-content').textContent")
    assert evil in popup
    assert page.evaluate("document.querySelectorAll('.leaflet-popup-content img').length") == 0
    assert page.evaluate("window.pwned === undefined")


def test_report_renders_with_embedded_map_and_charts(
    demo_ws: Workspace, served: tuple[Path, str], page: Page, tmp_path: Path
) -> None:
    from ecogis.tasks.reports import ensure_action_plan, make_report
    from ecogis.webmap.assets import AssetSource

    root, base = served
    ensure_action_plan(demo_ws, "25")
    make_report(
        demo_ws,
        root / "report_25.html",
        province_code="25",
        assets=AssetSource("local", str(root / "assets")),
    )
    page.goto(
        f"{base}/report_25.html",
        ready="document.querySelector('iframe.map').contentWindow.ecogisMaps",
    )
    assert page.errors == []
    assert all(
        u.startswith(base) or u.startswith("data:") or u == "about:srcdoc" for u in page.requests
    ), page.requests
    assert page.evaluate("document.querySelectorAll('svg.chart').length") >= 3
    assert page.evaluate("document.querySelectorAll('#action_plan tbody tr').length") == 8
    assert (
        page.evaluate(
            "document.querySelector('iframe.map').contentWindow.ecogisMaps[0].counts.length"
        )
        >= 4
    )
    page.screenshot(_shots(tmp_path) / "report_25.png", full=True)
    # Prints to PDF (A4) as a planner would from the browser's print dialog.
    pdf = base64.b64decode(
        page.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=True)[
            "data"
        ]
    )
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 5
    (_shots(tmp_path) / "report_25.pdf").write_bytes(pdf)


def test_report_with_template_syntax_in_names_shows_it_literally(
    demo_ws: Workspace, tmp_path: Path, page: Page
) -> None:
    """Issue 14.1 as a planner sees it: names holding Jinja syntax read as typed."""
    import pandas as pd

    from ecogis.tasks.reports import ensure_action_plan, make_report

    evil_factory = "บริษัท {{7*7}} จำกัด {% if true %}x{% endif %} {# c #}"
    evil_project = "โครงการ {{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"
    copy = tmp_path / "hostile.gpkg"
    shutil.copy(demo_ws.location, copy)
    ws = Workspace.open(copy)
    ensure_action_plan(ws, "25")
    fac = ws.read("factories")
    fac["name_th"] = pd.array([evil_factory] * len(fac), dtype="string")
    plan = ws.read("action_plans")
    plan["project"] = pd.array([evil_project] * len(plan), dtype="string")
    with ws.batch():
        ws.write("factories", fac)
        ws.write("action_plans", plan)
    out = tmp_path / "report_hostile.html"
    make_report(ws, out, province_code="25")
    page.goto(out.as_uri(), ready="document.querySelector('iframe.map').contentWindow.ecogisMaps")
    assert page.errors == []
    cells = page.evaluate(
        "Array.from(document.querySelectorAll('#action_plan tbody td')).map(t => t.textContent)"
    )
    assert evil_project in cells
    frame = "document.querySelector('iframe.map').contentWindow"
    page.evaluate(
        f"(() => {{ const d = {frame}.document; const i = d.querySelector('.eco-search-input');"
        f" i.value = '{{{{7*7}}}}'; i.dispatchEvent(new Event('input')); }})()"
    )
    hits = page.evaluate(
        f"Array.from({frame}.document.querySelectorAll('.eco-search-hit')).map(b => b.textContent)"
    )
    assert hits and all(evil_factory in h for h in hits)
    page.screenshot(_shots(tmp_path) / "report_hostile.png", full=True)
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


@pytest.fixture(scope="module")
def symbiosis_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo workspace with the symbiosis analysis run (its chosen exchanges)."""
    from ecogis.tasks.demo import run_demo

    folder = tmp_path_factory.mktemp("demo-symbiosis")
    run_demo(folder / "demo.gpkg", folder / "out", steps=("symbiosis",))
    return Workspace.open(folder / "demo.gpkg")


def test_symbiosis_map_opens_with_bundled_chosen_exchanges_and_the_flow_panel(
    symbiosis_ws: Workspace, tmp_path: Path, page: Page
) -> None:
    """Issue 12.4 as a planner sees it: bundled arrows, not a tangle of every candidate."""
    from ecogis.tasks.maps import make_map

    links = symbiosis_ws.read("symbiosis_links")
    out = tmp_path / "symbiosis.html"
    make_map(symbiosis_ws, out, recipe="symbiosis", province_code="25")
    page.call(
        "Emulation.setDeviceMetricsOverride",
        width=1400,
        height=1000,
        deviceScaleFactor=1,
        mobile=False,
    )
    page.goto(out.as_uri(), ready="window.ecogisRendered")
    assert page.errors == []
    counts = _layer_counts(page)
    shown = {k for k, c in counts.items() if c["shown"]}
    assert "exchanges" in shown
    assert not shown & {"candidates", "symbiosis_links_A", "symbiosis_links_B"}
    drawn = json.loads(
        page.evaluate(
            "JSON.stringify(window.ecogisMaps[0].layers.exchanges.getLayers()"
            ".filter(l => l.feature).map(l => l.feature.properties.n_links))"
        )
    )
    # Every chosen exchange is in one bundle, and bundling halves the lines at least.
    assert sum(drawn) == len(links) and len(drawn) * 2 <= len(links)
    heads = page.evaluate(
        "window.ecogisMaps[0].layers.exchanges.getLayers().filter(l => l.ecoHead).length"
    )
    assert heads > 0  # arrowheads, provider → receiver
    # The flow diagram starts folded at 1400 x 1000 (it would hide the exchanges); its
    # button opens it, the image decoded.
    assert page.evaluate("document.querySelector('.eco-sankey-image').naturalWidth") > 0
    assert page.evaluate("document.querySelector('.eco-sankey-image').offsetHeight") == 0
    page.evaluate("document.querySelector('.eco-sankey-toggle').click()")
    assert page.evaluate("document.querySelector('.eco-sankey-image').offsetHeight") > 100
    # The legend has the width scale; the largest bundle's popup lists its exchanges.
    legend = page.evaluate("document.querySelector('.eco-legend').textContent")
    assert "ตัน/ปี" in legend
    page.evaluate(
        "(() => { const ls = window.ecogisMaps[0].layers.exchanges.getLayers()"
        ".filter(l => l.feature && l.getLatLngs && l.feature.properties.n_links > 1);"
        " ls[0].openPopup(); })()"
    )
    time.sleep(0.5)
    popup = page.evaluate("document.querySelector('.leaflet-popup-content').innerText")
    assert popup.count("→") >= 3  # the title and at least two members, one a line
    page.screenshot(_shots(tmp_path) / "symbiosis_map.png")
    assert page.errors == []


class _RangeHandler(_QuietHandler):
    """Static files with HTTP range requests (``206 Partial Content``), as nginx, Apache or
    IIS answer them: what a PMTiles reader needs (docs/maps.md, "A Thailand basemap")."""

    def send_head(self) -> Any:
        wanted = self.headers.get("Range", "")
        path = Path(self.translate_path(self.path))
        if not wanted.startswith("bytes=") or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, _, last = wanted[len("bytes=") :].partition("-")
        start = int(first) if first else max(size - int(last), 0)
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size:
            self.send_error(416, "Requested Range Not Satisfiable")
            return None
        f = path.open("rb")
        f.seek(start)
        self._remaining = end - start + 1
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self._remaining))
        self.end_headers()
        return f

    def copyfile(self, source: Any, outputfile: Any) -> None:
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            super().copyfile(source, outputfile)
            return
        outputfile.write(source.read(remaining))


def _write_pmtiles(path: Path, bbox: tuple[float, float, float, float], zooms: range) -> int:
    """A real PMTiles v3 archive of gzipped Mapbox vector tiles in the Protomaps basemap
    schema: land (``earth``), a lake (``water``), a road with a Thai name (``roads``), a
    province boundary (``boundaries``) and a town (``places``). Returns the tile count."""
    import gzip
    import math

    import mapbox_vector_tile
    import numpy as np
    import shapely
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer
    from pyproj import Transformer
    from shapely.geometry import LineString, Point, box

    to_merc = Transformer.from_crs(4326, 3857, always_xy=True).transform
    w, s, e, n = bbox
    province = box(w, s, e, n)
    lake = Point((w + e) / 2 - 0.12, (s + n) / 2 + 0.08).buffer(0.05)
    road = LineString([(w + 0.02, s + 0.05), ((w + e) / 2, (s + n) / 2), (e - 0.02, n - 0.05)])
    town = Point((w + e) / 2 + 0.05, (s + n) / 2 - 0.05)
    features = {
        "earth": [(province.buffer(0.5), {"kind": "earth"})],
        "water": [(lake, {"kind": "water", "name": "บึงทดสอบ", "name:th": "บึงทดสอบ"})],
        "roads": [
            (
                road,
                {
                    "kind": "highway",
                    "kind_detail": "trunk",
                    "ref": "33",
                    "name": "ถนนสุวรรณศร",
                    "name:th": "ถนนสุวรรณศร",
                    "min_zoom": 0,
                },
            )
        ],
        "boundaries": [(province.exterior, {"kind": "region", "kind_detail": 4, "admin_level": 4})],
        "places": [
            (
                town,
                {
                    "kind": "locality",
                    "name": "เมืองทดสอบ",
                    "name:th": "เมืองทดสอบ",
                    "min_zoom": 0,
                    "population_rank": 10,
                },
            )
        ],
    }

    def project(g: Any) -> Any:
        return shapely.transform(g, lambda c: np.column_stack(to_merc(c[:, 0], c[:, 1])))

    merc = {k: [(project(g), p) for g, p in v] for k, v in features.items()}
    half = 20037508.342789244
    tiles: list[tuple[int, bytes]] = []
    for z in zooms:
        count = 2**z

        def col(lon: float, count: int = count) -> int:
            return min(count - 1, max(0, int((lon + 180) / 360 * count)))

        def row(lat: float, count: int = count) -> int:
            r = math.radians(lat)
            return min(count - 1, max(0, int((1 - math.asinh(math.tan(r)) / math.pi) / 2 * count)))

        for x in range(col(w - 0.5), col(e + 0.5) + 1):
            for y in range(row(n + 0.5), row(s - 0.5) + 1):
                size = 2 * half / count
                minx, maxy = -half + x * size, half - y * size
                bounds = (minx, maxy - size, minx + size, maxy)
                clip = box(*bounds).buffer(size / 16)
                layers = []
                for name, feats in merc.items():
                    kept = [
                        {"geometry": shapely.intersection(g, clip).wkt, "properties": p}
                        for g, p in feats
                        if g.intersects(clip)
                    ]
                    if kept:
                        layers.append({"name": name, "features": kept})
                data = mapbox_vector_tile.encode(
                    layers, default_options={"quantize_bounds": bounds, "extents": 4096}
                )
                tiles.append((zxy_to_tileid(z, x, y), gzip.compress(data, mtime=0)))
    tiles.sort()
    with path.open("wb") as f:
        writer = Writer(f)
        for tile_id, data in tiles:
            writer.write_tile(tile_id, data)
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.GZIP,
                "min_lon_e7": int((w - 0.5) * 1e7),
                "min_lat_e7": int((s - 0.5) * 1e7),
                "max_lon_e7": int((e + 0.5) * 1e7),
                "max_lat_e7": int((n + 0.5) * 1e7),
                "center_zoom": 10,
                "center_lon_e7": int((w + e) / 2 * 1e7),
                "center_lat_e7": int((s + n) / 2 * 1e7),
            },
            {
                "name": "ecogis test basemap",
                "vector_layers": [{"id": k, "fields": {}} for k in features],
                "attribution": "test data",
            },
        )
    return len(tiles)


def test_pmtiles_basemap_served_with_range_requests_draws_in_the_browser(
    tmp_path: Path, page: Page
) -> None:
    """Issue 12.3: ``--tiles FILE.pmtiles`` with a real archive, as an intranet serves it."""
    import io

    import geopandas as gpd
    from shapely.geometry import Point, box

    from ecogis.webmap import build_map, load_recipe, save_map

    pytest.importorskip("pmtiles", reason="pip install -e '.[test]' (the pmtiles writer)")
    pytest.importorskip("mapbox_vector_tile", reason="pip install -e '.[test]'")
    root = tmp_path / "site"
    root.mkdir()
    bbox = (101.3, 13.8, 101.9, 14.3)
    n_tiles = _write_pmtiles(root / "basemap.pmtiles", bbox, range(0, 13))
    assert n_tiles > 20
    frames = {
        "factories": gpd.GeoDataFrame(
            {
                "factory_id": ["3-1-1/60ปจ", "3-1-2/60ปจ"],
                "name_th": ["โรงงานหนึ่ง", "โรงงานสอง"],
                "factory_class": [3, 2],
                "coord_flag": ["ok", "ok"],
                "pro_code": ["25", "25"],
            },
            geometry=[Point(101.45, 13.9), Point(101.75, 14.2)],
            crs=4326,
        ),
        "provinces": gpd.GeoDataFrame(
            {"pro_code": ["25"], "name_th": ["ปราจีนบุรี"], "name_en": ["Prachin Buri"]},
            geometry=[box(*bbox)],
            crs=4326,
        ),
    }
    result = build_map(
        frames, load_recipe("overview"), tiles=str(root / "basemap.pmtiles"), html_dir=root
    )
    assert result.config["basemap"] == {
        "kind": "pmtiles",
        "url": "basemap.pmtiles",
        "attribution": "",
        "max_zoom": 19,
    }
    save_map(result, root / "map.html")
    handler = functools.partial(_RangeHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=1000,
            height=800,
            deviceScaleFactor=1,
            mobile=False,
        )
        page.goto(f"{base}/map.html", ready="window.ecogisRendered")
        # The tiles come in by range requests after the first render: wait for them.
        colours = "0"
        deadline = time.monotonic() + 20
        count_colours = (
            "(() => { const seen = new Set();"
            " document.querySelectorAll('.leaflet-tile-pane canvas').forEach(c => {"
            "  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            "  for (let i = 0; i < d.length; i += 4 * 7) {"
            "   if (d[i + 3]) { seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); } } });"
            " return seen.size; })()"
        )
        while time.monotonic() < deadline:
            colours = page.evaluate(count_colours)
            if colours >= 4:
                break
            time.sleep(0.5)
        assert page.errors == []
        assert any(u.endswith("/basemap.pmtiles") for u in page.requests), page.requests
        # Land, lake, road and boundary drawn: several colours on the tile canvases.
        n_canvas = page.evaluate("document.querySelectorAll('.leaflet-tile-pane canvas').length")
        assert n_canvas > 0 and colours >= 4, (n_canvas, colours)
        shot = page.screenshot(_shots(tmp_path) / "pmtiles_basemap.png")
    finally:
        server.shutdown()
        server.server_close()
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(io.BytesIO(shot.read_bytes())) as img:
        # The map area is not one flat colour: the basemap is on screen, not a blank pane.
        extrema = img.convert("L").crop((200, 150, 800, 650)).getextrema()
    assert extrema[1] - extrema[0] > 40, extrema


def test_national_map_of_140000_factories_in_the_browser(
    national_frames: dict[str, Any], tmp_path: Path, page: Page
) -> None:
    """Issue 12: the registry's size on one offline page: clusters, search, a popup."""
    from ecogis.webmap import build_map, load_recipe, save_map
    from ecogis.webmap.area import Area

    result = build_map(national_frames, load_recipe("national"), area=Area(), tiles="none")
    out = save_map(result, tmp_path / "thailand.html")
    assert out.stat().st_size < 10_000_000
    page.goto(out.as_uri(), ready="window.ecogisRendered", timeout=120)
    assert page.errors == []
    others = [u for u in page.requests if u != out.as_uri() and not u.startswith("data:")]
    assert others == []
    counts = _layer_counts(page)
    assert counts["factories"]["features"] == 140_000 and counts["factories"]["shown"]
    assert page.evaluate("document.querySelectorAll('.marker-cluster').length") > 20
    page.screenshot(_shots(tmp_path) / "national_140000.png")
    # Search one registration number among 140,000, as a person types it; open it.
    wanted = str(national_frames["factories"]["factory_id"].iloc[123_456])
    page.evaluate(
        "(() => { const i = document.querySelector('.eco-search-input');"
        f" i.value = {json.dumps(wanted)}; i.dispatchEvent(new Event('input')); }})()"
    )
    hits = page.evaluate(
        "Array.from(document.querySelectorAll('.eco-search-hit')).map(b => b.textContent)"
    )
    assert len(hits) == 1 and wanted in hits[0]
    page.evaluate("void document.querySelector('.eco-search-hit').click()")
    time.sleep(1.0)
    popup = page.evaluate(
        "(document.querySelector('.leaflet-popup-content') || {}).textContent || ''"
    )
    assert wanted in popup and "อันตราย" in popup
    page.screenshot(_shots(tmp_path) / "national_140000_search.png")
    # Panning keeps drawing; no error appears on the way.
    for dx in (300, -600, 300):
        page.evaluate(f"void window.ecogisMaps[0].map.panBy([{dx}, 0], {{animate: false}})")
    assert page.errors == []
