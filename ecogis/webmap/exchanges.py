"""Symbiosis exchanges a planner can read: bundled by area, grouped by material, as a Sankey.

The allocation chooses exchanges between factories; drawn one line each they are a tangle.
Here the factories of one industrial zone are one node (outside zones, the factories within
a 2 km grid cell are one), and the chosen exchanges between the same two nodes of one
material group become one arrow: width by tonnes, colour by the material group of the
symbiosis catalogue (``material_classes.csv``), from provider to receiver. Exchanges inside
one node are a circle at the node.

:func:`sankey_flows` gives the same exchanges as waste material → receiving industry (the
receiver's TSIC division), for :func:`ecogis.webmap.sankey.sankey_svg`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point

from ecogis.errors import CatalogueError
from ecogis.webmap.sankey import Flow

CELL_DEG = 0.02
"""Factories outside zones are grouped by grid cells of this size (≈ 2.2 km)."""

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


def exchange_nodes(
    factories: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None, *, lang: str
) -> pd.DataFrame:
    """Find the node of each placed factory: its industrial zone, else its 2 km grid cell.

    Parameters
    ----------
    factories : geopandas.GeoDataFrame
        The ``factories`` layer, EPSG:4326 (unplaced factories are left out).
    zones : geopandas.GeoDataFrame or None
        The ``industrial_zones`` layer; ``None`` puts every factory in a grid cell.
    lang : str
        ``th`` or ``en``: node names (a zone's name, or the cell's first factory "and
        N more").

    Returns
    -------
    pandas.DataFrame
        Indexed by ``factory_id``: ``node`` (id), ``node_name``, ``lon``, ``lat`` (the
        zone's inner point, or the mean of the cell's factories; degrees). Cells are
        :data:`CELL_DEG` (0.02°, about 2 km) square.
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
    cell = [f"cell:{int(a // CELL_DEG)}:{int(b // CELL_DEG)}" for a, b in zip(x, y, strict=True)]
    node = np.where(in_zone, "zone:" + zone_of.fillna("").to_numpy(dtype=object), cell)
    out = pd.DataFrame(
        {"node": node, "x": x, "y": y, "name": names.to_numpy(dtype=object)},
        index=fid.to_numpy(),
    )
    groups = out.groupby("node")
    mean = groups[["x", "y"]].mean()
    size = groups.size()
    first = groups["name"].first()
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


def exchange_bundles(
    links: pd.DataFrame,
    factories: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None,
    *,
    lang: str,
    material_names: dict[str, str],
) -> gpd.GeoDataFrame:
    """Bundle the chosen exchanges by (provider node, receiver node, material group).

    Parameters
    ----------
    links
        ``symbiosis_links`` (``provider_id``, ``receiver_id``, ``material``, ``tonnes``,
        ``benefit_thb_yr``, ``net_co2e_t_yr``).
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
        One row per bundle: ``route`` (from → to), ``material_group``, ``materials``
        (names), ``n_links``, ``tonnes``, ``benefit_thb_yr``, ``net_co2e_t_yr``; a line
        from provider to receiver, or a point for exchanges inside one node.
    """
    columns = [
        "route",
        "material_group",
        "materials",
        "n_links",
        "tonnes",
        "benefit_thb_yr",
        "net_co2e_t_yr",
    ]
    empty = gpd.GeoDataFrame(columns=[*columns, "geometry"], geometry="geometry", crs=4326)
    if links.empty or factories is None or factories.empty:
        return empty
    nodes = exchange_nodes(factories, zones, lang=lang)
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
    where = nodes.drop_duplicates("node").set_index("node")
    lon, lat = where["lon"].to_dict(), where["lat"].to_dict()
    label = where["node_name"].astype(str).to_dict()
    rows = []
    for (a, b, group), part in frame.groupby(["from_node", "to_node", "material_group"], sort=True):
        pa = (float(lon[a]), float(lat[a]))
        pb = (float(lon[b]), float(lat[b]))
        inside = a == b
        label_a, label_b = label[a], label[b]
        rows.append(
            {
                "route": label_a if inside else f"{label_a} → {label_b}",
                "material_group": str(group),
                "materials": ", ".join(sorted(set(part["material_label"].dropna().astype(str)))),
                "n_links": len(part),
                "tonnes": round(float(part["tonnes"].sum()), 1),
                "benefit_thb_yr": round(float(part["benefit_thb_yr"].sum()), 0),
                "net_co2e_t_yr": round(float(part["net_co2e_t_yr"].sum()), 1),
                "geometry": Point(pa) if inside else LineString([pa, pb]),
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
