"""Symbiosis exchanges a planner can read: bundled by area, coloured by material, as a Sankey.

The allocation chooses exchanges between factories; drawn one line each they are a tangle.
Here the factories of one industrial zone are one node (outside zones, a cluster of
factories no two of which are more than 5 km apart is one), and all the chosen exchanges
from one node to another become one curved arrow: width by tonnes, colour by the material
group with the most tonnes (groups of the symbiosis catalogue, ``material_classes.csv``),
from provider to receiver, bowed to its right so that the exchanges the other way do not
lie on it. Its popup lists the exchanges it holds. Exchanges inside one node are a circle
at the node.

:func:`sankey_flows` gives the same exchanges as waste material → receiving industry (the
receiver's TSIC division), for :func:`ecogis.webmap.sankey.sankey_svg`.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from shapely.geometry import LineString, Point

from ecogis.crs import metric_crs
from ecogis.errors import CatalogueError
from ecogis.webmap.sankey import Flow

CLUSTER_M = 5000.0
"""Factories outside zones are clustered so that no two of one cluster are farther apart
than this, in metres."""

BLOCK_DEG = 0.5
"""Clustering works on blocks of this many degrees (≈ 55 km), so its cost stays small for
a national map; a cluster never spans two blocks."""

MAX_LINKAGE = 3000
"""A block with more linked factories than this is cut into square cells of
:data:`CLUSTER_M` instead (a distance matrix of more would take too much memory)."""

ARC_BEND = 0.12
"""Height of an exchange's arc as a share of the distance between its ends."""

ARC_POINTS = 17
"""Points of an arc (enough for a smooth curve at any zoom)."""

MEMBERS_SHOWN = 12
"""At most this many exchanges are listed in a bundle's popup (largest first)."""

GROUP_PALETTE = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b15928",
    "#6a3d9a",
    "#33a02c",
    "#e31a1c",
    "#525252",
    "#0570b0",
    "#8c6bb1",
)
"""Colours of the material groups, in the catalogue's order of groups."""


def _catalogue() -> Any:
    from ecogis.symbiosis.catalogue import load_catalogue

    try:
        return load_catalogue()
    except CatalogueError:
        return None


def material_group_classes() -> list[dict[str, Any]]:
    """Legend classes of the material groups (``value``, ``color``, ``label_th/en``).

    Returns
    -------
    list of dict of str to Any
        One class per material group of the symbiosis catalogue, coloured from
        :data:`GROUP_PALETTE` in the catalogue's order; empty when the catalogue cannot be
        read.
    """
    cat = _catalogue()
    if cat is None:
        return []
    classes = cat.classes
    return [
        {
            "value": str(key),
            "color": GROUP_PALETTE[i % len(GROUP_PALETTE)],
            "label_th": str(classes.loc[key, "name_th"]),
            "label_en": str(classes.loc[key, "name_en"]),
        }
        for i, key in enumerate(classes.index)
    ]


def material_group_of(materials: pd.Series) -> pd.Series:
    """Each material key's group (``material_class`` in the catalogue; blank if unknown).

    Parameters
    ----------
    materials : pandas.Series
        Material keys of the symbiosis catalogue.

    Returns
    -------
    pandas.Series
        String groups, indexed like ``materials``; ``<NA>`` for an unknown key.
    """
    cat = _catalogue()
    lookup = {} if cat is None else cat.materials["material_class"].astype(str).to_dict()
    return materials.astype("string").map(lookup).astype("string")


def _names(frame: pd.DataFrame, lang: str) -> pd.Series:
    first, second = ("name_th", "name_en") if lang == "th" else ("name_en", "name_th")
    name = frame[first].astype("string") if first in frame else None
    if second in frame:
        other = frame[second].astype("string")
        name = other if name is None else name.fillna(other)
    return name if name is not None else pd.Series(pd.NA, index=frame.index, dtype="string")


def _clusters(x: np.ndarray, y: np.ndarray, crs_data: gpd.GeoSeries) -> np.ndarray:
    """Return the cluster number of each point.

    Complete linkage: no two points of one cluster are more than :data:`CLUSTER_M` metres
    apart (worked block by block of :data:`BLOCK_DEG`).
    """
    if len(x) == 0:
        return np.zeros(0, dtype=np.int64)
    metric = crs_data.to_crs(metric_crs(crs_data))
    mx, my = metric.x.to_numpy(), metric.y.to_numpy()
    out = np.zeros(len(x), dtype=np.int64)
    blocks = pd.Series(
        [f"{int(a // BLOCK_DEG)}:{int(b // BLOCK_DEG)}" for a, b in zip(x, y, strict=True)]
    )
    next_id = 0
    for _, idx in blocks.groupby(blocks).groups.items():
        rows = np.asarray(idx, dtype=np.int64)
        if len(rows) == 1:
            labels = np.ones(1, dtype=np.int64)
        elif len(rows) <= MAX_LINKAGE:
            pts = np.column_stack([mx[rows], my[rows]])
            labels = fcluster(linkage(pts, "complete"), CLUSTER_M, "distance").astype(np.int64)
        else:  # too many for a distance matrix: square cells of CLUSTER_M
            cx = (mx[rows] // CLUSTER_M).astype(np.int64)
            cy = (my[rows] // CLUSTER_M).astype(np.int64)
            cells = pd.Series([f"{a}:{b}" for a, b in zip(cx, cy, strict=True)])
            labels = pd.factorize(cells)[0].astype(np.int64) + 1
        out[rows] = labels + next_id
        next_id += int(labels.max())
    return out


def exchange_nodes(
    factories: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None, *, lang: str
) -> pd.DataFrame:
    """Find the node of each placed factory: its industrial zone, else its cluster.

    Factories outside zones are clustered so that no two factories of one cluster are
    more than :data:`CLUSTER_M` metres apart (complete linkage).

    Parameters
    ----------
    factories : geopandas.GeoDataFrame
        The ``factories`` layer (``factory_id``, ``zone_id``, names), points in EPSG:4326;
        unplaced factories are left out.
    zones : geopandas.GeoDataFrame or None
        The ``industrial_zones`` layer (``zone_id``, names, polygons); ``None`` clusters
        every factory.
    lang : str
        ``th`` or ``en``: node names (a zone's name, or the cluster's first factory "and
        N more").

    Returns
    -------
    pandas.DataFrame
        Indexed by ``factory_id``: ``node`` (id), ``node_name``, ``lon``, ``lat`` (degrees:
        the zone's inner point, or the mean of the cluster's factories).
    """
    placed = factories[factories.geometry.notna() & ~factories.geometry.is_empty]
    fid = placed["factory_id"].astype("string")
    x, y = placed.geometry.x.to_numpy(), placed.geometry.y.to_numpy()
    names = _names(placed, lang).fillna(fid)
    zone_of = (
        placed["zone_id"].astype("string")
        if "zone_id" in placed
        else pd.Series(pd.NA, index=placed.index)
    )
    zone_pts: dict[str, tuple[float, float, str]] = {}
    if zones is not None and len(zones):
        inner = zones.geometry.representative_point()
        znames = _names(zones, lang).fillna(zones["zone_id"].astype("string"))
        for zid, pt, zname in zip(zones["zone_id"].astype(str), inner, znames, strict=True):
            zone_pts[zid] = (float(pt.x), float(pt.y), str(zname))
    in_zone = zone_of.isin(list(zone_pts)).fillna(False).to_numpy(dtype=bool)
    node = np.where(in_zone, "zone:" + zone_of.fillna("").to_numpy(dtype=object), "")
    outside = np.flatnonzero(~in_zone)
    cluster = _clusters(x[outside], y[outside], placed.geometry.iloc[outside])
    node[outside] = [f"cluster:{c}" for c in cluster]
    out = pd.DataFrame(
        {"node": node, "x": x, "y": y, "name": names.to_numpy(dtype=object)},
        index=fid.to_numpy(),
    )
    groups = out.groupby("node")
    mean = groups[["x", "y"]].mean()
    size = groups.size()
    first = groups["name"].min()  # the same name whatever the order of the rows
    more = "และอีก {n} แห่ง" if lang == "th" else "and {n} more"
    node_name = {}
    lon, lat = {}, {}
    for key in mean.index:
        if key.startswith("zone:"):
            zx, zy, zname = zone_pts[key[5:]]
            lon[key], lat[key], node_name[key] = zx, zy, zname
        else:
            lon[key], lat[key] = float(mean.loc[key, "x"]), float(mean.loc[key, "y"])
            n = int(size[key]) - 1
            node_name[key] = str(first[key]) + (" " + more.format(n=n) if n else "")
    out["node_name"] = out["node"].map(node_name)
    out["lon"] = out["node"].map(lon)
    out["lat"] = out["node"].map(lat)
    return out[["node", "node_name", "lon", "lat"]]


def arc(a: tuple[float, float], b: tuple[float, float], *, bend: float = ARC_BEND) -> LineString:
    """Draw a curved line from ``a`` to ``b`` (lon, lat in degrees), bowed to the right.

    The arc is a quadratic Bézier curve whose middle lies ``bend`` × the chord's length to
    the right of the chord (seen from ``a``), so the exchanges B → A and A → B curve to
    opposite sides and never lie on each other. Lengths are taken with longitudes scaled
    by the cosine of the latitude, so the curve keeps its shape on the map.

    Parameters
    ----------
    a, b
        Start (provider) and end (receiver), degrees.
    bend
        Height of the arc as a share of the chord's length.

    Returns
    -------
    shapely.geometry.LineString
        :data:`ARC_POINTS` points from ``a`` to ``b``.
    """
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    ax, ay, bx, by = a[0] * k, a[1], b[0] * k, b[1]
    dx, dy = bx - ax, by - ay
    # The control point sits twice the arc's height off the chord's middle, on the right.
    cx, cy = (ax + bx) / 2 + 2 * bend * dy, (ay + by) / 2 - 2 * bend * dx
    t = np.linspace(0.0, 1.0, ARC_POINTS)
    px = (1 - t) ** 2 * ax + 2 * (1 - t) * t * cx + t**2 * bx
    py = (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t**2 * by
    return LineString(np.column_stack([np.round(px / k, 6), np.round(py, 6)]))


def _member_lines(part: pd.DataFrame, lang: str) -> str:
    """One line per exchange of a bundle, largest first (at most :data:`MEMBERS_SHOWN`)."""
    unit = "ตัน/ปี" if lang == "th" else "t/yr"
    rows = part.sort_values("tonnes", ascending=False, kind="stable")
    lines = []
    for who, mat, t in zip(rows["who"], rows["material_label"], rows["tonnes"], strict=True):
        amount = f"{t:,.0f} {unit}" if t == t else ""
        lines.append(" · ".join(str(p) for p in (who, mat, amount) if isinstance(p, str) and p))
    if len(lines) > MEMBERS_SHOWN:
        rest = len(lines) - MEMBERS_SHOWN
        more = f"… และอีก {rest} รายการ" if lang == "th" else f"… and {rest} more"
        lines = [*lines[:MEMBERS_SHOWN], more]
    return "\n".join(lines)


def exchange_bundles(
    links: pd.DataFrame,
    factories: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None,
    *,
    lang: str,
    material_names: dict[str, str],
) -> gpd.GeoDataFrame:
    """Bundle the chosen exchanges by (provider node, receiver node).

    Parameters
    ----------
    links
        ``symbiosis_links`` (``provider_id``, ``receiver_id``, ``material``, ``tonnes``,
        ``benefit_thb_yr``, ``net_co2e_t_yr``; ``provider_name``/``receiver_name`` when
        :func:`ecogis.webmap.data.link_fields` added them).
    factories, zones
        The whole workspace's factories and industrial zones (a link's end may lie
        outside the map's area).
    lang
        ``th`` or ``en``.
    material_names
        Material key → name in ``lang``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per bundle, largest first: ``route`` (from → to), ``material_group`` (the
        group with the most tonnes, which colours the bundle), ``materials`` (names,
        largest first), ``members`` (one line per exchange: provider → receiver, material,
        t/yr), ``n_links``, ``tonnes`` (t/yr), ``benefit_thb_yr`` (baht/yr),
        ``net_co2e_t_yr`` (t CO2e/yr); a curved line from provider to receiver
        (:func:`arc`), or a point for exchanges inside one node.
    """
    columns = [
        "route",
        "material_group",
        "materials",
        "members",
        "n_links",
        "tonnes",
        "benefit_thb_yr",
        "net_co2e_t_yr",
    ]
    empty = gpd.GeoDataFrame(columns=[*columns, "geometry"], geometry="geometry", crs=4326)
    if links.empty or factories is None or factories.empty:
        return empty
    ends = set(links["provider_id"].astype("string")) | set(links["receiver_id"].astype("string"))
    linked = factories[factories["factory_id"].astype("string").isin(ends)]
    nodes = exchange_nodes(linked, zones, lang=lang)
    frame = pd.DataFrame(links.drop(columns="geometry", errors="ignore")).copy()
    frame["from_node"] = frame["provider_id"].astype("string").map(nodes["node"])
    frame["to_node"] = frame["receiver_id"].astype("string").map(nodes["node"])
    frame = frame[frame["from_node"].notna() & frame["to_node"].notna()]
    if frame.empty:
        return empty
    frame["material_group"] = material_group_of(frame["material"]).fillna("general")
    frame["material_label"] = (
        frame["material"]
        .astype("string")
        .map(lambda k: material_names.get(k, k) if isinstance(k, str) else k)
    )
    for col in ("tonnes", "benefit_thb_yr", "net_co2e_t_yr"):
        values = frame[col] if col in frame else pd.Series(np.nan, index=frame.index)
        frame[col] = pd.to_numeric(values, errors="coerce").astype("float64")
    provider = frame.get("provider_name", frame["provider_id"]).astype("string")
    receiver = frame.get("receiver_name", frame["receiver_id"]).astype("string")
    frame["who"] = (
        provider.fillna(frame["provider_id"].astype("string"))
        + " → "
        + receiver.fillna(frame["receiver_id"].astype("string"))
    )
    where = nodes.drop_duplicates("node").set_index("node")
    lon, lat = where["lon"].to_dict(), where["lat"].to_dict()
    label = where["node_name"].astype(str).to_dict()
    rows = []
    for (a, b), part in frame.groupby(["from_node", "to_node"], sort=True):
        pa = (float(lon[a]), float(lat[a]))
        pb = (float(lon[b]), float(lat[b]))
        inside = a == b or pa == pb
        label_a, label_b = label[a], label[b]
        by_group = part.groupby("material_group")["tonnes"].sum(min_count=1).fillna(0.0)
        by_material = part.groupby("material_label")["tonnes"].sum(min_count=1).fillna(0.0)
        rows.append(
            {
                "route": label_a if inside else f"{label_a} → {label_b}",
                # The largest group by tonnes; ties (and no tonnes) by name, for stability.
                "material_group": str(sorted(by_group.index, key=lambda g: (-by_group[g], g))[0]),
                "materials": ", ".join(
                    sorted(by_material.index.astype(str), key=lambda m: (-by_material[m], m))
                ),
                "members": _member_lines(part, lang),
                "n_links": len(part),
                "tonnes": round(float(part["tonnes"].sum()), 1),
                "benefit_thb_yr": round(float(part["benefit_thb_yr"].sum()), 0),
                "net_co2e_t_yr": round(float(part["net_co2e_t_yr"].sum()), 1),
                "geometry": Point(pa) if inside else arc(pa, pb),
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    return out.sort_values("tonnes", ascending=False, kind="stable").reset_index(drop=True)


def sankey_flows(links: pd.DataFrame, *, lang: str, material_names: dict[str, str]) -> list[Flow]:
    """Waste material → receiving industry (TSIC division), tonnes, coloured by group.

    Parameters
    ----------
    links : pandas.DataFrame
        ``symbiosis_links`` rows (``material``, ``tonnes`` t/yr, ``receiver_tsic``).
    lang : str
        ``th`` or ``en``: industry names (the TSIC division's, else the class's, else the
        code; "industry not given" without one).
    material_names : dict of str to str
        Material key → its name in ``lang`` (:func:`ecogis.webmap.data.material_names`).

    Returns
    -------
    list of Flow
        One band per link with a material and a tonnage (tonnes/year), in link order;
        empty when the links have no ``material`` or ``tonnes``.
    """
    if links.empty or "material" not in links or "tonnes" not in links:
        return []
    cat = _catalogue()
    names: dict[str, str] = {}
    if cat is not None:
        col = "name_th" if lang == "th" else "name_en"
        names = {str(k): str(v) for k, v in cat.tsic[col].items()}
    colours = {c["value"]: c["color"] for c in material_group_classes()}
    groups = material_group_of(links["material"])
    receiver = (
        links["receiver_tsic"].astype("string")
        if "receiver_tsic" in links
        else pd.Series(pd.NA, index=links.index, dtype="string")
    )
    unknown = "ไม่ระบุประเภท" if lang == "th" else "Industry not given"
    flows = []
    for mat, tsic_code, tonnes, group in zip(
        links["material"].astype("string"),
        receiver,
        pd.to_numeric(links["tonnes"], errors="coerce").astype("float64"),
        groups,
        strict=True,
    ):
        if not isinstance(mat, str) or tonnes != tonnes:
            continue
        # The industry's division name, else its own class name, else its code.
        code = str(tsic_code) if isinstance(tsic_code, str) else ""
        industry = names.get(code[:2]) or names.get(code) or (f"TSIC {code}" if code else unknown)
        colour = colours.get(group, "#7f7f7f") if isinstance(group, str) else "#7f7f7f"
        flows.append(Flow(material_names.get(mat, mat), industry, float(tonnes), colour))
    return flows
