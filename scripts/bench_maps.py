"""Benchmark: a web map of 20,000 factories, ecogis's one-array map vs per-point folium markers.

Builds the same clustered factory map (province and district boundaries, factories coloured
by class with a popup each) two ways from seeded synthetic data:

* ``ecogis``: :func:`ecogis.webmap.build_map` — every layer in one JSON array, clustered
  and drawn in the browser by one small renderer; measured as written by default (Leaflet
  and the plugins inlined, ~0.35 MB: a self-contained page) and with ``--assets cdn``
  (links only, like the folium references);
* ``folium Marker``: the common approach, one ``folium.CircleMarker`` with a ``Popup`` per
  factory inside a ``MarkerCluster``;
* ``folium FastMarkerCluster``: folium's own array-based cluster (no popups beyond a
  callback), as a second reference.

Prints build time (to HTML text, untraced run), HTML size and peak Python memory
(tracemalloc, a second run) for each,
and the ratios against the per-point approach. Targets: ≤ 3 s and ≤ 5 MB at 20,000 points,
for the default self-contained page.

    python scripts/bench_maps.py             # 20,000 factories
    python scripts/bench_maps.py --scale 0.1 # 2,000, for a quick run
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from ecogis.webmap import build_map, load_recipe, map_html
from ecogis.webmap.assets import AssetSource


def synthetic_frames(n: int, seed: int = 2024) -> dict[str, gpd.GeoDataFrame]:
    """A province split into 8 districts and ``n`` factories with Thai names (seeded)."""
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
    """The ecogis overview map as HTML text, as written by default (assets inlined)."""
    return map_html(build_map(frames, load_recipe("overview"), tiles="none"))


def ecogis_map_cdn(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """The same map linking Leaflet from the CDN (``--assets cdn``)."""
    return map_html(
        build_map(frames, load_recipe("overview"), assets=AssetSource("cdn"), tiles="none")
    )


_CLASS_COLOR = {1: "#fee08b", 2: "#fc8d59", 3: "#d73027"}


def folium_markers(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """The common approach: one CircleMarker + Popup per factory in a MarkerCluster."""
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
    return str(m.get_root().render())


def folium_fast_cluster(frames: dict[str, gpd.GeoDataFrame]) -> str:
    """folium's FastMarkerCluster (one array, a JS callback; no escaping of popup data)."""
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
    return str(m.get_root().render())


def measure(build: Callable[[dict[str, Any]], str], frames: dict[str, Any]) -> dict[str, float]:
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
    gc.collect()
    tracemalloc.start()
    build(frames)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "mb": size, "peak_mb": peak / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of 20,000 factories (default 1.0)"
    )
    parser.add_argument(
        "--skip-markers", action="store_true", help="skip the slow per-point folium build"
    )
    args = parser.parse_args()
    n = max(10, int(20_000 * args.scale))
    frames = synthetic_frames(n)
    print(f"{n:,} factories, 1 province, 8 districts (seeded synthetic data)")
    ecogis_map(synthetic_frames(50))  # warm up imports and templates
    results: dict[str, dict[str, float]] = {
        "ecogis (one array, inlined)": measure(ecogis_map, frames),
        "ecogis (one array, cdn)": measure(ecogis_map_cdn, frames),
    }
    results["folium FastMarkerCluster"] = measure(folium_fast_cluster, frames)
    if not args.skip_markers:
        results["folium Marker per point"] = measure(folium_markers, frames)
    print(f"{'approach':30s} {'build s':>9s} {'HTML MB':>9s} {'peak MB':>9s}")
    for name, r in results.items():
        print(f"{name:30s} {r['seconds']:9.2f} {r['mb']:9.2f} {r['peak_mb']:9.1f}")
    ours = results["ecogis (one array, inlined)"]
    ref = results.get("folium Marker per point")
    if ref:
        print(
            f"per-point markers / ecogis (inlined): "
            f"{ref['seconds'] / ours['seconds']:.1f}× the time, "
            f"{ref['mb'] / ours['mb']:.1f}× the HTML, "
            f"{ref['peak_mb'] / ours['peak_mb']:.1f}× the peak memory"
        )
    target = "meets" if ours["seconds"] <= 3 and ours["mb"] <= 5 else "MISSES"
    print(
        f"ecogis (self-contained page) {target} the targets "
        f"(≤ 3 s, ≤ 5 MB at 20,000 points; this run: {n:,})"
    )


if __name__ == "__main__":
    main()
