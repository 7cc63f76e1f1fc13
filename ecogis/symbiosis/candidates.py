"""Candidate exchanges: each waste stream × each potential receiver within reach.

A *stream* is an output of a factory's mass balance that another factory could use: a
``waste`` or ``by_product`` flow, or an energy/water cascade (steam, waste heat, treated
wastewater). A *receiver* is found in three tiers, strongest first:

1. ``declared`` — the receiver's own mass balance names the same material as an input
   (grade A: both mass balances name it);
2. ``substitute`` — the receiver declares an input this material is known to replace
   (e.g. treated wastewater for water, waste heat for steam, husk for biomass fuel) (grade B);
3. ``sector`` — the receiver's TSIC is one the catalogue names for the stream's material or
   waste code (grade B for a material or 6-digit precedent, C for a back-off only).

Gates: road distance (straight line × a detour factor) within the material class's typical
maximum; a hazardous stream (``HA``, or ``HM`` unless told otherwise) only to a licensed
receiver (DIW type 101/105/106, or ``waste_permit``); struck-off and stopped factories are
neither providers nor receivers. Receivers are searched with one :class:`scipy.spatial.cKDTree`
per receiving industry (nearest ``k_per_industry`` each), so national registries stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from scipy.spatial import cKDTree

from ecogis.crs import metric_crs
from ecogis.symbiosis.catalogue import (
    CASCADE_CLASSES,
    CODE_REFINES_MATERIAL,
    DIW_TYPE_TSIC,
    Catalogue,
    compatible_receivers,
    load_catalogue,
)
from ecogis.symbiosis.options import SymbiosisOptions
from ecogis.symbiosis.scoring import describe_candidates, stream_findings

CASCADE_MATERIALS = frozenset(
    {"steam", "waste_heat_low", "waste_heat_medium", "waste_heat_high", "treated_wastewater"}
)
"""Energy and water outputs offered to neighbours whatever their flow kind."""

STREAM_KINDS = frozenset({"waste", "by_product"})
LICENSED_TYPES = frozenset(DIW_TYPE_TSIC)
INACTIVE_STATUS = frozenset({"struck_off", "stopped"})

SUBSTITUTE_INPUTS: dict[str, tuple[str, ...]] = {
    "treated_wastewater": ("water",),
    "waste_heat_high": ("steam",),
    "waste_heat_medium": ("steam",),
    "steam": ("natural_gas", "fuel_oil", "coal"),
    "rice_husk": ("biomass", "coal", "lignite"),
    "wood_waste": ("biomass", "wood", "coal"),
    "bagasse": ("biomass",),
    "palm_shell": ("biomass", "coal"),
    "palm_fibre": ("biomass",),
    "palm_efb": ("biomass",),
    "fgd_gypsum": ("gypsum",),
    "fly_ash": ("cement", "clinker"),
    "rice_husk_ash": ("cement",),
    "foundry_sand": ("sand",),
    "bottom_ash": ("sand", "aggregate"),
    "steel_slag": ("aggregate", "iron_ore"),
    "glass_cullet": ("silica_sand", "soda_ash"),
    "paper_scrap": ("pulp",),
    "plastic_scrap": ("plastic_resin",),
    "metal_scrap": ("iron_ore", "pig_iron"),
    "spent_solvent": ("solvent",),
    "used_oil": ("fuel_oil", "base_oil"),
    "cassava_pulp": ("maize", "animal_feed"),
    "spent_grain": ("soybean_meal", "animal_feed"),
    "molasses": ("sugar", "cassava_root"),
}
"""Inputs a material can (partly) replace at a receiver that declares them (grade B)."""


def _placed_xy(factories: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, CRS | None]:
    """Metric coordinates (m) of every factory, a mask of those with a point, and the CRS."""
    geom = factories.geometry
    ok = ~(geom.isna() | geom.is_empty).to_numpy()
    xy = np.full((len(factories), 2), np.nan)
    crs = None
    if ok.any():
        placed = factories[ok]
        crs = metric_crs(placed)
        metric = placed.geometry.to_crs(crs)
        xy[ok, 0] = metric.x.to_numpy()
        xy[ok, 1] = metric.y.to_numpy()
    return xy, ok, crs


def _col(frame: pd.DataFrame, name: str, default: Any = pd.NA) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series(default, index=frame.index)


def waste_streams(
    flows: pd.DataFrame, factories: gpd.GeoDataFrame, *, options: SymbiosisOptions | None = None
) -> pd.DataFrame:
    """Find the outputs of the mass balances that could go to another factory.

    Parameters
    ----------
    flows
        The ``material_flows`` table (canonical units); its outputs with a quantity > 0 of
        kind ``waste`` or ``by_product``, or of a cascade material (steam, waste heat,
        treated wastewater), are streams.
    factories
        The ``factories`` layer; flows of factories whose ``status`` is ``struck_off`` or
        ``stopped`` are left out.
    options
        Analysis parameters (``hm_is_hazardous``, ``max_km`` overrides); ``None`` (the
        default) uses :class:`~ecogis.symbiosis.options.SymbiosisOptions` defaults.

    Returns
    -------
    pandas.DataFrame
        One row per stream: ``stream_id`` (``factory_id/flow_id``), provider attributes,
        ``material``, ``waste_code``, ``hazard_mark``, ``is_hazardous``, ``supply`` and
        ``unit`` (canonical), ``price_thb_per_unit``, ``already_sold`` (a stream with a selling
        price, or a by-product of a material: not diverted from disposal), ``material_class``,
        ``max_km`` (the largest transport distance for the class, km).

    Raises
    ------
    CatalogueError
        If the package's materials catalogue is malformed.
    """
    opts = options or SymbiosisOptions()
    cat = load_catalogue()
    out = flows[(flows["direction"] == "out") & (flows["quantity"].astype(float) > 0)]
    is_stream = out["flow_kind"].isin(STREAM_KINDS) | out["material"].isin(CASCADE_MATERIALS)
    s = out[is_stream].copy()
    active = factories[~_col(factories, "status", "unknown").isin(INACTIVE_STATUS)]
    s = s[s["factory_id"].isin(set(active["factory_id"]))]
    code = _col(s, "waste_code").astype("string")
    mark = _col(s, "hazardous").astype("string").fillna("none")
    default_mark = s["material"].map(cat.materials["hazardous"]).fillna("none")
    mark = mark.where(mark != "none", default_mark.astype("string")).fillna("none")
    hazardous = (mark == "HA") | ((mark == "HM") & opts.hm_is_hazardous)
    pairs = pd.DataFrame({"m": s["material"].astype(str), "c": code})
    known = {
        (m, c): cat.material_class(m, None if pd.isna(c) else str(c))
        for m, c in pairs.drop_duplicates().itertuples(index=False)
    }
    classes = [known[(m, c)] for m, c in pairs.itertuples(index=False)]
    limits = {c: opts.max_km.get(c, cat.max_km(c)) for c in set(classes)}
    max_km = [limits[c] for c in classes]
    price = pd.to_numeric(_col(s, "price_thb_per_unit"), errors="coerce")
    # Already sold: any stream the provider declares a selling price for, and by-products of
    # materials (energy and water cascades without a price are surpluses). It is not
    # diverted from disposal and earns only the buyer's saving.
    cascade = np.isin(classes, list(CASCADE_CLASSES))
    sold = price.gt(0).to_numpy() | (s["flow_kind"].eq("by_product").to_numpy() & ~cascade)
    return pd.DataFrame(
        {
            "stream_id": s["factory_id"].astype(str) + "/" + s["flow_id"].astype(str),
            "provider_id": s["factory_id"].astype(str),
            "flow_id": s["flow_id"].astype(str),
            "flow_kind": s["flow_kind"].astype(str),
            "material": s["material"].astype(str),
            "waste_code": code,
            "hazard_mark": mark.astype(str),
            "is_hazardous": hazardous.astype(bool),
            "supply": s["quantity"].astype(float),
            "unit": s["unit"].astype(str),
            "price_thb_per_unit": price,
            "already_sold": sold,
            "material_class": classes,
            "max_km": np.asarray(max_km, dtype=float),
        },
        index=s.index,
    ).reset_index(drop=True)


def _declared_inputs(flows: pd.DataFrame) -> pd.DataFrame:
    """Sum declared inputs per (factory, material, unit), with a mean declared price."""
    inp = flows[(flows["direction"] == "in") & (flows["quantity"].astype(float) > 0)].copy()
    inp["price"] = pd.to_numeric(_col(inp, "price_thb_per_unit"), errors="coerce")
    inp["quantity"] = inp["quantity"].astype(float)
    grouped = inp.groupby(["factory_id", "material", "unit"], sort=False)
    return grouped.agg(quantity=("quantity", "sum"), price=("price", "mean")).reset_index()


def _receiver_table(factories: gpd.GeoDataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    """Receiver attributes: metric xy, TSIC (and the class implied by a licensed type)."""
    xy, ok, crs = _placed_xy(factories)
    status = _col(factories, "status", "unknown").astype("string").fillna("unknown")
    main = pd.to_numeric(_col(factories, "diw_type_main"), errors="coerce")
    permit = _col(factories, "waste_permit", False).astype("boolean").fillna(False)
    tsic = _col(factories, "tsic").astype("string").fillna("")
    implied = main.map(lambda t: DIW_TYPE_TSIC.get(int(t), "") if pd.notna(t) else "")
    workers = pd.to_numeric(_col(factories, "workers"), errors="coerce")
    kinds = ["raw_material", "energy", "water"]
    inputs = flows[(flows["direction"] == "in") & flows["flow_kind"].isin(kinds)]
    intake = inputs.groupby(["factory_id", "unit"])["quantity"].sum()
    ids = factories["factory_id"].astype(str).to_numpy()
    table = pd.DataFrame(
        {
            "factory_id": ids,
            "x": xy[:, 0],
            "y": xy[:, 1],
            "usable": ok & ~status.isin(INACTIVE_STATUS).to_numpy(),
            "licensed": (main.isin(LICENSED_TYPES) | permit).to_numpy(dtype=bool),
            "tsic": tsic.to_numpy(dtype=object),
            "implied_tsic": implied.to_numpy(dtype=object),
            "tsic4": [t[:4] if len(t) == 5 else "" for t in tsic.astype(str)],
            "tsic2": [t[:2] for t in tsic.astype(str)],
            "known_class": tsic.isin(load_catalogue().tsic.index).to_numpy(dtype=bool),
            "workers": workers.to_numpy(dtype=float),
        }
    )
    for unit in ("t/yr", "m3/yr", "MWh/yr"):
        per_unit = (
            intake.xs(unit, level="unit") if unit in intake.index.get_level_values(1) else None
        )
        table[f"intake_{unit}"] = (
            pd.Series(ids).map(per_unit).fillna(0.0).to_numpy(dtype=float)
            if per_unit is not None
            else 0.0
        )
    table.attrs["crs"] = crs
    return table


def _tsic_match_weight(rec: pd.DataFrame, key: str) -> np.ndarray:
    """How well each receiver's TSIC matches a catalogue key (0 = not at all).

    1.0 for the same 5-digit class (or the class implied by a licensed DIW type) or for any
    class of a 2-digit division key; 0.9 for another class of the same 4-digit ISIC class —
    but only when the catalogue does not describe the receiver's own class: a class it knows
    and does not list for this waste is not a receiver of it.
    """
    tsic = rec["tsic"].to_numpy(dtype=object)
    if len(key) == 2:
        return np.where(rec["tsic2"].to_numpy(dtype=object) == key, 1.0, 0.0)
    exact = (tsic == key) | (rec["implied_tsic"].to_numpy(dtype=object) == key)
    near = (rec["tsic4"].to_numpy(dtype=object) == key[:4]) & ~rec["known_class"].to_numpy()
    return np.where(exact, 1.0, np.where(near, 0.9, 0.0))


def _nearest(
    rec_xy: np.ndarray, rec_idx: np.ndarray, q_xy: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Find the k nearest receivers (receiver-table positions, metres) for each query point."""
    tree = cKDTree(rec_xy)
    kk = min(k, len(rec_idx))
    dist, pos = tree.query(q_xy, k=kk)
    dist = np.asarray(dist, dtype=float).reshape(len(q_xy), kk)
    pos = np.asarray(pos).reshape(len(q_xy), kk)
    return dist, rec_idx[pos]


def _pairs(
    s_idx: np.ndarray,
    s_xy: np.ndarray,
    rec: pd.DataFrame,
    rec_mask: np.ndarray,
    k: int,
    provider_pos: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stream × nearest-k receivers among ``rec_mask`` (the provider itself excluded)."""
    idx = np.flatnonzero(rec_mask & rec["usable"].to_numpy())
    if len(idx) == 0 or len(s_idx) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    xy = rec[["x", "y"]].to_numpy()[idx]
    dist, rpos = _nearest(xy, idx, s_xy, k + 1)
    srep = np.repeat(s_idx, dist.shape[1])
    prov = np.repeat(provider_pos, dist.shape[1])
    r, d = rpos.ravel(), dist.ravel()
    keep = (r != prov) & np.isfinite(d)
    return srep[keep], r[keep], d[keep]


def _catalogue_rows(streams: pd.DataFrame, cat: Catalogue) -> tuple[np.ndarray, pd.DataFrame]:
    """Catalogue receivers per stream, shared by streams with the same material/code/hazard.

    Returns
    -------
    tuple
        ``(signature per stream, table)``; the table has one row per (signature, TSIC key).
    """
    known = set(cat.compat["key"])
    sig_of: dict[tuple[Any, Any, bool], int] = {}
    tables = []
    sigs = np.empty(len(streams), dtype=np.int64)
    for i, (m, c, h) in enumerate(
        zip(streams["material"], streams["waste_code"], streams["is_hazardous"], strict=True)
    ):
        key = (m, None if pd.isna(c) else str(c), bool(h))
        if key not in sig_of:
            sig_of[key] = len(sig_of)
            # A material the catalogue knows is more specific than its waste code (020103
            # covers husk, shell and fibre alike), so the code's back-off is used only for
            # materials the catalogue does not know.
            found = compatible_receivers(
                material=m if m in known else None,
                waste_code=None if m in known else key[1],
                hazardous=key[2],
                catalogue=cat,
            )
            if m in CODE_REFINES_MATERIAL and key[1] in cat.by_key:
                by_code = {str(r["receiver_tsic"]) for r in cat.by_key[key[1]]}
                both = found["tsic"].isin(by_code)
                found = found[both | (found["level"] == "hazardous_route")] if both.any() else found
            tables.append(found.rename(columns={"tsic": "key"}).assign(sig=sig_of[key]))
        sigs[i] = sig_of[key]
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return sigs, table


@dataclass(frozen=True)
class _Search:
    """What every receiver search of :func:`find_candidates` shares."""

    rec: pd.DataFrame  # the receiver table (metric x, y; licensed)
    s_xy: np.ndarray  # each stream's provider position (metric)
    prov_pos: np.ndarray  # each stream's provider row in ``rec``
    k: int  # receivers kept per stream and industry

    def pairs(self, si: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
        """(stream, receiver, metres) of the ``k`` nearest receivers in ``mask``."""
        return _pairs(si, self.s_xy[si], self.rec, mask, k, self.prov_pos[si])


def _frame(tier: str, s: np.ndarray, r: np.ndarray, d: np.ndarray, **cols: Any) -> pd.DataFrame:
    return pd.DataFrame({"s": s, "r": r, "dist_m": d, "tier": tier, **cols})


def _declared_pairs(
    search: _Search, streams: pd.DataFrame, demand: pd.DataFrame
) -> list[pd.DataFrame]:
    """Tiers 1 and 2: receivers whose mass balance declares the material or an input it replaces.

    ``streams`` holds the placed streams only.
    """
    licensed = search.rec["licensed"].to_numpy()
    parts: list[pd.DataFrame] = []
    for tier, lookup in (("declared", None), ("substitute", SUBSTITUTE_INPUTS)):
        for (mat, unit), grp in streams.groupby(["material", "unit"], sort=False):
            wanted = (str(mat),) if lookup is None else lookup.get(str(mat), ())
            dem = demand[demand["material"].isin(wanted) & (demand["unit"] == unit)]
            if dem.empty:
                continue
            dem = dem.groupby("pos").agg(quantity=("quantity", "sum"), price=("price", "mean"))
            for hz in (False, True):
                g = grp[grp["is_hazardous"] == hz]
                if g.empty:
                    continue
                mask = np.zeros(len(search.rec), dtype=bool)
                mask[dem.index.to_numpy(dtype=np.int64)] = True
                if hz:
                    mask &= licensed
                s, r, d = search.pairs(g.index.to_numpy(), mask, search.k * 2)
                parts.append(
                    _frame(
                        tier,
                        s,
                        r,
                        d,
                        declared_qty=dem["quantity"].reindex(r).to_numpy(),
                        declared_price=dem["price"].reindex(r).to_numpy(),
                        declared_material=", ".join(wanted),
                    )
                )
    return parts


def _sector_pairs(
    search: _Search,
    streams: pd.DataFrame,
    placed: np.ndarray,
    sigs: np.ndarray,
    sig_table: pd.DataFrame,
) -> list[pd.DataFrame]:
    """Tier 3: receivers of a compatible industry (catalogue), searched per industry."""
    if not len(sig_table):
        return []
    lf = pd.DataFrame({"s": np.arange(len(streams)), "sig": sigs})[placed]
    lf = lf.merge(sig_table[["sig", "key", "score"]], on="sig").rename(columns={"score": "compat"})
    licensed = search.rec["licensed"].to_numpy()
    haz = streams["is_hazardous"].to_numpy()
    parts: list[pd.DataFrame] = []
    for key, grp in lf.groupby("key", sort=False):
        weight = _tsic_match_weight(search.rec, str(key))
        for hz in (False, True):
            g = grp[haz[grp["s"].to_numpy()] == hz]
            if g.empty:
                continue
            mask = weight > 0
            if hz:
                mask &= licensed
            si = g["s"].to_numpy()
            s, r, d = search.pairs(si, mask, search.k)
            comp = pd.Series(g["compat"].to_numpy(), index=si)
            parts.append(
                _frame(
                    "sector",
                    s,
                    r,
                    d,
                    key=str(key),
                    compat=comp.groupby(level=0).max().reindex(s).to_numpy() * weight[r],
                    tsic_weight=weight[r],
                )
            )
    return parts


def _road_km(
    search: _Search, cand: pd.DataFrame, streams: pd.DataFrame, roads: gpd.GeoDataFrame
) -> np.ndarray:
    """Shortest-path km on ``roads`` of every candidate pair."""
    from ecogis.symbiosis.roads import road_distances_m

    si = cand["s"].to_numpy(dtype=np.int64)
    xy = search.rec[["x", "y"]].to_numpy()
    # A straight line never exceeds the road; search paths up to the class limit only.
    metres = road_distances_m(
        roads, search.rec.attrs["crs"], search.s_xy[si], xy[cand["r"].to_numpy(dtype=np.int64)],
        streams["max_km"].to_numpy()[si] * 1000.0,
    )  # fmt: skip
    return np.asarray(metres) / 1000.0


def find_candidates(
    flows: pd.DataFrame,
    factories: gpd.GeoDataFrame,
    *,
    options: SymbiosisOptions | None = None,
    roads: gpd.GeoDataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Find the candidate exchanges of every waste stream.

    Parameters
    ----------
    flows
        The ``material_flows`` table (canonical units).
    factories
        The ``factories`` layer (points; unplaced factories take part in nothing).
    options
        Distances, factors and limits (see :class:`SymbiosisOptions`).
    roads
        Road centrelines. When given, the distance of every pair the straight-line search
        found is its shortest path on this network (see :mod:`ecogis.symbiosis.roads`);
        otherwise straight line × ``options.detour_factor``.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(candidates, streams)``. Candidates: one row per stream × receiver with the
        evidence, capacity, quantity fit, road km, CO2e (t/yr), money (THB/yr), score, grade
        and the reason for the grade; sorted by stream then score. Streams: the output of
        :func:`waste_streams` plus ``n_candidates``, ``nearest_km`` and ``finding`` (why a
        stream has no candidate).
    """
    opts = options or SymbiosisOptions()
    cat = load_catalogue()
    streams = waste_streams(flows, factories, options=opts)
    rec = _receiver_table(factories, flows)
    pos_of = pd.Series(np.arange(len(rec)), index=rec["factory_id"])
    pos_of = pos_of[~pos_of.index.duplicated()]
    prov_pos = streams["provider_id"].map(pos_of).to_numpy(dtype=np.int64)
    search = _Search(rec, rec[["x", "y"]].to_numpy()[prov_pos], prov_pos, opts.k_per_industry)
    placed = np.isfinite(search.s_xy).all(axis=1)
    demand = _declared_inputs(flows)
    demand["pos"] = demand["factory_id"].map(pos_of)
    demand = demand.dropna(subset=["pos"])
    parts = _declared_pairs(search, streams[placed], demand)
    sigs, sig_table = _catalogue_rows(streams, cat)
    parts += _sector_pairs(search, streams, placed, sigs, sig_table)
    streams = streams.copy()
    parts = [p for p in parts if len(p)]
    if not parts:
        cand = pd.DataFrame(columns=["s", "r", "dist_m", "tier"])
    else:
        cand = pd.concat(parts, ignore_index=True)
    cand["road_km"] = cand["dist_m"].astype(float) / 1000.0 * opts.detour_factor
    if roads is not None and len(cand):
        cand["road_km"] = _road_km(search, cand, streams, roads)
    streams["distance_basis"] = (
        "road network" if roads is not None else f"straight line × {opts.detour_factor:g}"
    )
    nearest = cand.groupby("s")["road_km"].min() if len(cand) else pd.Series(dtype=float)
    streams["nearest_km"] = nearest.reindex(streams.index).to_numpy(dtype=float)
    if len(cand):
        cand = cand[
            cand["road_km"].to_numpy()
            <= streams["max_km"].to_numpy()[cand["s"].to_numpy(dtype=np.int64)]
        ]
    cand = describe_candidates(
        cand.reset_index(drop=True), streams, rec, sigs, sig_table, cat, opts
    )
    streams["n_candidates"] = (
        cand.groupby("stream_id")
        .size()
        .reindex(streams["stream_id"])
        .fillna(0)
        .astype(int)
        .to_numpy()
    )
    streams["finding"] = stream_findings(streams, sigs, sig_table, placed)
    return cand, streams
