"""Benchmark: a web map of many factories — ecogis's compact page vs the common approaches.

Builds the same clustered factory map (province and district boundaries, factories coloured
by class with a popup each, search by name and registration number) from seeded synthetic
data, and for each approach prints the build time (to HTML text), the HTML size, peak Python
memory and — with Chromium installed — the browser's load-to-rendered time:

* ``ecogis`` (the default, self-contained): :func:`ecogis.webmap.build_map` — compact
  columns, typed arrays, deflate + base64, decoded and clustered in the browser; also with
  ``--assets cdn`` (links only);
* ``ecogis JSON columns (before)``: the previous encoding, one JSON array per field
  (size and build time only: today's renderer reads the compact document);
* ``folium FastMarkerCluster``: folium's own array-based cluster;
* ``folium Marker per point``: one ``CircleMarker`` with a ``Popup`` per factory in a
  ``MarkerCluster`` (above 20,000 points measured at 20,000 and scaled, marked ``~``).

Targets (issue 12): the self-contained page with 140,000 factories ≤ 10 MB, built ≤ 5 s,
rendered ≤ 4 s; with 20,000 ≤ 2 MB.

    python scripts/bench_maps.py               # 20,000 factories
    python scripts/bench_maps.py --scale 7     # 140,000
    python scripts/bench_maps.py --scale 7 --json   # {"points", "html_mb", "build_s", "render_s"}
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from ecogis.webmap import build_map, load_recipe, map_html
from ecogis.webmap.assets import AssetSource, available_assets, localize_folium
from ecogis.webmap.chromium import CHROMIUM, Chromium


def synthetic_frames(n: int, seed: int = 2024) -> dict[str, gpd.GeoDataFrame]:
    """Make a province split into 8 districts and ``n`` factories with Thai names (seeded)."""
    rng = np.random.default_rng(seed)
    prov = gpd.GeoDataFrame(
        {"pro_code": ["25"], "name_th": ["ปราจีนบุรี"], "name_en": ["Prachin Buri"]},
        geometry=[box(101.1, 13.6, 102.1, 14.5)],
        crs=4326,
    )
    xs = np.linspace(101.1, 102.1, 5)
    dist = gpd.GeoDataFrame(
        {
            "amp_code": [f"25{i:02d}" for i in range(1, 9)],
            "name_th": [f"อำเภอที่ {i}" for i in range(1, 9)],
            "name_en": [f"District {i}" for i in range(1, 9)],
            "pro_code": ["25"] * 8,
        },
        geometry=[
            box(xs[i % 4], 13.6 + 0.45 * (i // 4), xs[i % 4 + 1], 14.05 + 0.45 * (i // 4))
            for i in range(8)
        ],
        crs=4326,
    )
    lon = rng.uniform(101.12, 102.08, n)
    lat = rng.uniform(13.62, 14.48, n)
    col = np.clip(((lon - 101.1) / 0.25).astype(int), 0, 3)
    row = (lat > 14.05).astype(int)
    amp = [f"25{r * 4 + c + 1:02d}" for r, c in zip(row, col, strict=True)]
    words = ["ไทย", "รุ่งเรือง", "อุตสาหกรรม", "การเกษตร", "พลังงาน", "โลหะ", "พลาสติก", "อาหาร"]
    names = [f"บริษัท {words[i % 8]}{words[(i // 8) % 8]} จำกัด {i}" for i in range(n)]
    fac = gpd.GeoDataFrame(
        {
            "factory_id": [f"3-{rng.integers(1, 107)}-{i}/6{i % 10}ปจ" for i in range(n)],
            "name_th": names,
            "name_en": [f"Factory {i} Co., Ltd." for i in range(n)],
            "diw_type": rng.choice(["9(6)", "42", "53", "64", "88", "101", "105", "106"], n),
            "tsic": rng.choice(["10611", "20111", "22220", "24101", "35101", "38220"], n),
            "factory_class": pd.array(rng.choice([1, 2, 3], n, p=[0.1, 0.3, 0.6]), dtype="Int64"),
            "workers": pd.array(rng.integers(5, 900, n), dtype="Int64"),
            "pro_code": ["25"] * n,
            "amp_code": amp,
            "coord_flag": ["ok"] * n,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )
    return {"provinces": prov, "districts": dist, "factories": fac}


def ecogis_map(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """Render the ecogis overview map as HTML text, as written by default (assets inlined)."""
    return map_html(build_map(frames, load_recipe("overview"), tiles="none"))


def ecogis_map_cdn(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """Render the same map linking Leaflet from the CDN (``--assets cdn``)."""
    return map_html(
        build_map(frames, load_recipe("overview"), assets=AssetSource("cdn"), tiles="none")
    )


_CLASS_COLOR = {1: "#fee08b", 2: "#fc8d59", 3: "#d73027"}


def folium_markers(frames: dict[str, gpd.GeoDataFrame], assets: Path | None = None) -> str:
    """Render the common approach: one CircleMarker + Popup per factory in a MarkerCluster."""
    fac = frames["factories"]
    m = folium.Map(location=[14.05, 101.6], zoom_start=9, tiles=None)
    folium.GeoJson(frames["provinces"][["name_th", "geometry"]], name="provinces").add_to(m)
    folium.GeoJson(frames["districts"][["name_th", "geometry"]], name="districts").add_to(m)
    cluster = folium.plugins.MarkerCluster(name="factories").add_to(m)
    for rec in fac.itertuples():
        html = (
            f"<b>{rec.name_th}</b><br>{rec.name_en}<br>{rec.factory_id}<br>"
            f"{rec.diw_type} · {rec.tsic} · class {rec.factory_class} · {rec.workers} workers"
        )
        folium.CircleMarker(
            [rec.geometry.y, rec.geometry.x],
            radius=6,
            fill=True,
            color="#333333",
            fill_color=_CLASS_COLOR[int(rec.factory_class)],
            popup=folium.Popup(html, max_width=300),
        ).add_to(cluster)
    folium.LayerControl().add_to(m)
    if assets is not None:  # folium's own files inlined, so the page renders offline
        localize_folium(m, AssetSource("inline", str(assets)))
    return str(m.get_root().render())


def folium_fast_cluster(frames: dict[str, gpd.GeoDataFrame], assets: Path | None = None) -> str:
    """Render folium's FastMarkerCluster (one array, a JS callback; no escaping of popup data)."""
    fac = frames["factories"]
    m = folium.Map(location=[14.05, 101.6], zoom_start=9, tiles=None)
    folium.GeoJson(frames["provinces"][["name_th", "geometry"]]).add_to(m)
    folium.GeoJson(frames["districts"][["name_th", "geometry"]]).add_to(m)
    data = [[g.y, g.x, n] for g, n in zip(fac.geometry, fac["name_th"], strict=True)]
    callback = (
        "function (row) { var m = L.circleMarker(new L.LatLng(row[0], row[1]));"
        " m.bindPopup(row[2]); return m; }"
    )
    folium.plugins.FastMarkerCluster(data, callback=callback).add_to(m)
    if assets is not None:  # folium's own files inlined, so the page renders offline
        localize_folium(m, AssetSource("inline", str(assets)))
    return str(m.get_root().render())


def ecogis_json_columns(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """Render the previous encoding: the factories as one JSON array per field (with the page).

    Measured for size and build time; the renderer of today reads the compact document.
    """
    from ecogis.webmap.page import json_for_html

    fac = frames["factories"]
    cols: dict[str, list[Any]] = {}
    dicts: dict[str, list[Any]] = {}
    for name in (
        "name_th",
        "name_en",
        "factory_id",
        "diw_type",
        "tsic",
        "factory_class",
        "workers",
    ):
        col = fac[name]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            codes, uniques = pd.factorize(col)
            if len(uniques) < len(col) / 4:
                dicts[name] = uniques.tolist()
                cols[name] = codes.tolist()
                continue
            cols[name] = col.astype(object).tolist()
        else:
            cols[name] = [None if v is pd.NA else int(v) for v in col.tolist()]
    doc = {
        "lat": np.round(fac.geometry.y.to_numpy(), 5).tolist(),
        "lon": np.round(fac.geometry.x.to_numpy(), 5).tolist(),
        "cols": cols,
        "dict": dicts,
    }
    page = map_html(
        build_map(
            {k: v for k, v in frames.items() if k != "factories"},
            load_recipe("overview"),
            tiles="none",
        )
    )
    return page + f'<script type="application/json">{json_for_html(doc)}</script>'


def render_seconds(html: str, *, ready: str, browser: Chromium) -> float:
    """Seconds from navigation start to the map drawn, in headless Chromium.

    For ecogis pages the renderer marks the first frame with every layer
    (``window.ecogisRendered``); for folium pages the first frame after the load event.
    """
    with tempfile.TemporaryDirectory(prefix="ecogis-bench-") as tmp:
        path = Path(tmp) / "map.html"
        path.write_text(html, encoding="utf-8")
        page = browser.new_page()
        try:
            page.goto(path.as_uri(), ready=ready, timeout=300)
            at = page.evaluate(
                "window.ecogisRendered ? window.ecogisRendered.at : "
                "new Promise(r => requestAnimationFrame(() => r(performance.now())))"
            )
            if page.errors:
                print(f"  browser errors: {page.errors[:3]}", file=sys.stderr)
            return float(at) / 1000.0
        finally:
            page.close()


def measure(
    build: Callable[[dict[str, Any]], str], frames: dict[str, Any], *, memory: bool = True
) -> dict[str, float]:
    """Build time (s), HTML size (MB) and peak traced memory (MB) of one builder.

    Time is measured on a plain run; memory on a second run under tracemalloc (which
    slows allocation-heavy code several times, so it must not be timed).
    """
    gc.collect()
    t0 = time.perf_counter()
    html = build(frames)
    seconds = time.perf_counter() - t0
    size = len(html.encode("utf-8")) / 1e6
    del html
    if not memory:
        return {"seconds": seconds, "mb": size, "peak_mb": float("nan")}
    gc.collect()
    tracemalloc.start()
    build(frames)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "mb": size, "peak_mb": peak / 1e6}


def main() -> None:
    """Build the maps, time them (and their rendering in Chromium when installed); print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiple of 20,000 factories (7: 140,000)"
    )
    parser.add_argument(
        "--skip-markers", action="store_true", help="skip the slow per-point folium build"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print only the default page's figures as one JSON object",
    )
    args = parser.parse_args()
    n = max(10, int(20_000 * args.scale))
    frames = synthetic_frames(n)
    ecogis_map(synthetic_frames(50))  # warm up imports and templates
    browser = None
    if Path(CHROMIUM).exists():
        browser = Chromium(Path(tempfile.mkdtemp(prefix="ecogis-chromium-")))
    try:
        if args.json:
            html = ecogis_map(frames)
            ours = measure(ecogis_map, frames, memory=False)
            render = (
                render_seconds(html, ready="window.ecogisRendered", browser=browser)
                if browser
                else None
            )
            print(
                json.dumps(
                    {
                        "points": n,
                        "html_mb": round(ours["mb"], 3),
                        "build_s": round(ours["seconds"], 3),
                        "render_s": round(render, 3) if render is not None else None,
                    }
                )
            )
            return
        _report(frames, n, browser, skip_markers=args.skip_markers)
    finally:
        if browser is not None:
            browser.close()


def _report(
    frames: dict[str, gpd.GeoDataFrame], n: int, browser: Chromium | None, *, skip_markers: bool
) -> None:
    print(f"{n:,} factories, 1 province, 8 districts (seeded synthetic data)")
    folium_assets = available_assets()  # folium's pages need markercluster etc. offline
    rows: list[tuple[str, dict[str, float], str | None, str]] = []

    def add(
        name: str,
        build: Callable[[dict[str, Any]], str],
        ready: str | None,
        sample: dict[str, Any] | None = None,
        factor: float = 1.0,
    ) -> None:
        r = measure(build, sample or frames)
        mark = "~" if factor != 1.0 else ""
        if factor != 1.0:
            r = {k: v * factor for k, v in r.items()}
        r["render"] = float("nan")
        if browser is not None and ready is not None and factor == 1.0:
            html = build(frames)
            r["render"] = render_seconds(html, ready=ready, browser=browser)
        rows.append((name, r, ready, mark))

    add("ecogis (compact, inlined)", ecogis_map, "window.ecogisRendered")
    add("ecogis (compact, cdn)", ecogis_map_cdn, None)
    add("ecogis JSON columns (before)", ecogis_json_columns, None)
    fast = _offline(folium_fast_cluster, folium_assets)
    add("folium FastMarkerCluster", fast, "document.readyState === 'complete'")
    if not skip_markers:
        markers = _offline(folium_markers, folium_assets)
        if n <= 20_000:
            add("folium Marker per point", markers, "document.readyState === 'complete'")
        else:
            add("folium Marker per point", markers, None, synthetic_frames(20_000), n / 20_000)
    print(f"{'approach':32s} {'build s':>9s} {'HTML MB':>9s} {'peak MB':>9s} {'render s':>9s}")
    for name, r, _, mark in rows:
        render = "" if r["render"] != r["render"] else f"{r['render']:9.2f}"
        print(
            f"{name:32s} {mark}{r['seconds']:8.2f} {mark}{r['mb']:8.2f} {mark}{r['peak_mb']:8.1f}"
            f" {render:>9s}"
        )
    ours = rows[0][1]
    ref = next((r for name, r, _, _ in rows if name.startswith("folium Marker")), None)
    if ref:
        print(
            f"per-point markers / ecogis: {ref['seconds'] / ours['seconds']:.1f}× the time, "
            f"{ref['mb'] / ours['mb']:.1f}× the HTML, "
            f"{ref['peak_mb'] / ours['peak_mb']:.1f}× the peak memory"
        )
    before = next(r for name, r, _, _ in rows if name.startswith("ecogis JSON"))
    print(f"compact / JSON columns: {ours['mb'] / before['mb']:.2f}× the HTML")
    mb_target = 2.0 if n <= 20_000 else 10.0
    ok = ours["mb"] <= mb_target and ours["seconds"] <= 5 and not ours["render"] > 4
    print(
        f"ecogis (self-contained page) {'meets' if ok else 'MISSES'} the targets "
        f"(≤ {mb_target:g} MB, build ≤ 5 s, render ≤ 4 s; this run: {n:,} points)"
    )
    if folium_assets is None:
        print("(folium pages link the CDN: run 'ecogis assets fetch' to render them offline)")


def _offline(
    build: Callable[[dict[str, Any]], str], assets: Path | None
) -> Callable[[dict[str, Any]], str]:
    """``build`` with folium's files inlined from ``assets`` (so Chromium can draw it)."""
    return functools.partial(build, assets=assets)


if __name__ == "__main__":
    main()
