"""Static maps and charts for printed reports, drawn with matplotlib from the workspace.

Maps are drawn in metres (the data's UTM zone, :func:`ecogis.crs.metric_crs`) with a scale
bar and a north arrow turned by the grid's convergence at the map centre, so north is true
north. Images carry no Thai text: matplotlib does not shape Thai (its marks would sit
wrong), so titles, legends and labels in Thai are HTML around the image, laid out by
Pango; inside the image there are only numbers, ``km``, ``N`` and indicator ids. Figures
are returned as SVG text (vector in the PDF) for :func:`svg_data_uri`.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

MAP_COLORS = {
    "all": "#1a9850",
    "some": "#fdae61",
    "none": "#d73027",
    "unknown": "#969696",
}
"""Factory colour by how many of environmental management, safety management and CSR-DIW
it holds: all three, some, none; unknown when it has no compliance record."""

ZONE_FILL, ZONE_EDGE = "#c6dbef", "#08519c"
RECEPTOR_COLOR, VILLAGE_COLOR, BREACH_COLOR = "#6a3d9a", "#bdbdbd", "#e31a1c"


def _figure(width_in: float, height_in: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # numbers stay text: searchable in the PDF
    plt.rcParams["font.family"] = ["DejaVu Sans"]
    plt.rcParams["svg.hashsalt"] = "ecogis"  # the same ids every run: reproducible files
    return plt.subplots(figsize=(width_in, height_in))


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.02, metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def svg_data_uri(svg: str) -> str:
    """``data:image/svg+xml;base64,…`` of an SVG, for an ``<img src>`` template variable.

    Parameters
    ----------
    svg : str
        SVG text.

    Returns
    -------
    str
        The data URI (UTF-8, base64).
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def nice_length(span_m: float) -> float:
    """Pick a round scale-bar length (1, 2 or 5 × 10ⁿ metres) near a quarter of ``span_m``.

    Parameters
    ----------
    span_m : float
        Width of the map in metres.

    Returns
    -------
    float
        The largest 1, 2 or 5 × 10ⁿ metres not over a quarter of ``span_m`` (at least 1 m).
    """
    target = max(span_m / 4.0, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def grid_convergence_deg(crs: Any, lon: float, lat: float) -> float:
    """Angle (degrees) from grid north to true north at a point, for the north arrow.

    Parameters
    ----------
    crs : Any
        The map's projected CRS (anything :meth:`pyproj.CRS.from_user_input` takes: an
        EPSG code, a CRS …).
    lon, lat : float
        The point, in degrees (EPSG:4326).

    Returns
    -------
    float
        The meridian convergence in degrees (PROJ's ``meridian_convergence``), the angle
        the north arrow is turned by.
    """
    from pyproj import CRS, Proj

    factors = Proj(CRS.from_user_input(crs)).get_factors(lon, lat)
    return float(factors.meridian_convergence)


def _scale_bar(ax: Any, extent: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = extent
    length = nice_length(x1 - x0)
    bx, by = x0 + 0.05 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    h = 0.012 * (y1 - y0)
    for i in range(2):  # two halves, black and white, as on a printed map
        ax.add_patch(_rect(bx + i * length / 2, by, length / 2, h, "black" if i == 0 else "white"))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(bx, by + 2.2 * h, "0", fontsize=7, ha="center")
    ax.text(bx + length, by + 2.2 * h, label, fontsize=7, ha="center")


def _rect(x: float, y: float, w: float, h: float, color: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=color, edgecolor="black", linewidth=0.6, zorder=6)


def _north_arrow(ax: Any, extent: tuple[float, float, float, float], angle_deg: float) -> None:
    x0, x1, y0, y1 = extent
    cx, cy = x1 - 0.07 * (x1 - x0), y1 - 0.16 * (y1 - y0)
    size = 0.08 * (y1 - y0)
    a = math.radians(angle_deg)  # true north is turned by the convergence from grid north
    dx, dy = -math.sin(a) * size, math.cos(a) * size
    ax.annotate(
        "",
        xy=(cx + dx / 2, cy + dy / 2),
        xytext=(cx - dx / 2, cy - dy / 2),
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2},
        zorder=7,
    )
    ax.text(cx + dx * 0.75, cy + dy * 0.75, "N", fontsize=9, ha="center", va="center", zorder=7)


@dataclass
class MapLayers:
    """What an area map draws, already limited to the area (EPSG:4326 frames)."""

    zones: gpd.GeoDataFrame
    factories: gpd.GeoDataFrame  # with a ``map_class`` column: a key of MAP_COLORS
    communities: gpd.GeoDataFrame | None = None
    sensitive: Sequence[bool] | None = None  # per community: a sensitive receptor
    breaches: gpd.GeoDataFrame | None = None  # factories with a siting breach


def map_extent(layers: MapLayers, *, crs: Any, margin: float = 0.08) -> tuple[float, ...]:
    """Return the metric extent (x0, x1, y0, y1) that shows the zones and the area's factories.

    Parameters
    ----------
    layers : MapLayers
        The frames to fit (zones, and the factories that have a geometry).
    crs : Any
        The metric CRS to measure in (metres).
    margin : float
        Extra room on every side as a fraction of the span; default 0.08 (8 %).

    Returns
    -------
    tuple of float
        A square ``(x0, x1, y0, y1)`` in ``crs`` metres, at least 500 m across.
    """
    parts = [layers.zones.geometry]
    placed = layers.factories[layers.factories.geometry.notna()]
    if len(placed):
        parts.append(placed.geometry)
    geoms = gpd.GeoSeries(pd.concat(parts, ignore_index=True), crs=layers.zones.crs).to_crs(crs)
    x0, y0, x1, y1 = geoms.total_bounds
    span = max(x1 - x0, y1 - y0, 500.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = span / 2 * (1 + margin)
    return (cx - half, cx + half, cy - half, cy + half)


def area_map_svg(
    layers: MapLayers,
    *,
    crs: Any,
    extent: tuple[float, ...] | None = None,
    outline: gpd.GeoDataFrame | None = None,
) -> str:
    """One area map: zones, factories coloured by compliance, receptors, siting breaches.

    Parameters
    ----------
    layers : MapLayers
        The frames to draw (:class:`MapLayers`).
    crs : Any
        The metric CRS to draw in (metres), e.g. :func:`ecogis.crs.metric_crs` of the data.
    extent : tuple of float or None
        ``(x0, x1, y0, y1)`` in ``crs`` metres; the same for two maps shown side by side.
        ``None`` (default) fits the data (:func:`map_extent`).
    outline : geopandas.GeoDataFrame or None
        A boundary drawn under everything (the province), when given; default ``None``.

    Returns
    -------
    str
        SVG text (about 8.5 × 8.5 cm), with a scale bar and a north arrow.
    """
    ext = extent or map_extent(layers, crs=crs)
    fig, ax = _figure(3.4, 3.4)
    if outline is not None:
        outline.to_crs(crs).plot(ax=ax, color="#f7f7f7", edgecolor="#525252", linewidth=0.8)
    if len(layers.zones):
        layers.zones.to_crs(crs).plot(ax=ax, color=ZONE_FILL, edgecolor=ZONE_EDGE, linewidth=0.8)
    if layers.communities is not None and len(layers.communities):
        comm = layers.communities[layers.communities.geometry.notna()].to_crs(crs)
        pts = comm.geometry.representative_point()
        sens = np.asarray(layers.sensitive if layers.sensitive is not None else [False] * len(comm))
        sens = sens[layers.communities.geometry.notna().to_numpy()]
        ax.scatter(pts.x[~sens], pts.y[~sens], s=10, c=VILLAGE_COLOR, marker="o", zorder=3)
        ax.scatter(pts.x[sens], pts.y[sens], s=22, c=RECEPTOR_COLOR, marker="^", zorder=4)
    fac = layers.factories[layers.factories.geometry.notna()].to_crs(crs)
    colors = fac["map_class"].map(MAP_COLORS).fillna(MAP_COLORS["unknown"])
    ax.scatter(
        fac.geometry.x, fac.geometry.y, s=20, c=list(colors), edgecolors="black",
        linewidths=0.4, zorder=5,
    )  # fmt: skip
    if layers.breaches is not None and len(layers.breaches):
        b = layers.breaches[layers.breaches.geometry.notna()].to_crs(crs)
        ax.scatter(
            b.geometry.x, b.geometry.y, s=110, facecolors="none", edgecolors=BREACH_COLOR,
            linewidths=1.4, zorder=6,
        )  # fmt: skip
    x0, x1, y0, y1 = ext
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    centre = gpd.GeoSeries(gpd.points_from_xy([(x0 + x1) / 2], [(y0 + y1) / 2]), crs=crs).to_crs(
        4326
    )
    _scale_bar(ax, (x0, x1, y0, y1))
    _north_arrow(ax, (x0, x1, y0, y1), grid_convergence_deg(crs, centre.x[0], centre.y[0]))
    return _svg(fig)


def indicator_chart_svg(
    ids: Sequence[str],
    baseline: Sequence[float],
    followup: Sequence[float],
    thresholds: Sequence[float],
) -> str:
    """Baseline and follow-up of percentage indicators with their level-2 thresholds.

    One pair of bars per indicator (ids on the axis; their names are in the table beside
    the chart), a black tick at the threshold, 0–100 %.

    Parameters
    ----------
    ids : Sequence of str
        Indicator ids, top to bottom.
    baseline, followup : Sequence of float
        The two rounds' values in percent (0–100); NaN draws no bar.
    thresholds : Sequence of float
        Each indicator's level-2 threshold in percent (NaN: no tick).

    Returns
    -------
    str
        SVG text, about 16 cm wide.
    """
    n = len(ids)
    fig, ax = _figure(6.3, 0.32 * n + 0.7)
    y = np.arange(n)[::-1]
    b = np.nan_to_num(np.asarray(baseline, dtype=float))
    f = np.nan_to_num(np.asarray(followup, dtype=float))
    ax.barh(y + 0.18, b, height=0.34, color="#9ecae1", edgecolor="none")
    ax.barh(y - 0.18, f, height=0.34, color="#08519c", edgecolor="none")
    t = np.asarray(thresholds, dtype=float)
    ax.scatter(t, y, marker="|", s=260, c="black", linewidths=2, zorder=5)
    ax.set_yticks(y, list(ids), fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("%", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)
