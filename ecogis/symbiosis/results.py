"""Result layers of the symbiosis analysis: link lines, the stream report, area summaries."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import LineString

from ecogis import schema
from ecogis.symbiosis.allocation import objective_weights


def stream_report(
    streams: pd.DataFrame, candidates: pd.DataFrame, allocated: pd.Series, *, objective: str
) -> pd.DataFrame:
    """Per stream: supply, what was allocated, what stays unallocated, and why.

    Parameters
    ----------
    streams
        The stream table from :func:`~ecogis.symbiosis.candidates.find_candidates`.
    candidates, allocated
        The candidates and the quantity allocated to each (aligned).
    objective
        The objective used, for the wording of the finding.

    Returns
    -------
    pandas.DataFrame
        One row per stream with ``allocated`` and ``unallocated`` in the stream's unit per
        year, ``status`` (``allocated`` / ``partial`` / ``unallocated`` / ``no_candidate``)
        and ``finding`` in words.
    """
    per_stream = allocated.groupby(candidates["stream_id"]).sum()
    out = streams.copy()
    if "distance_basis" not in out:
        out["distance_basis"] = None
    out["allocated"] = out["stream_id"].map(per_stream).fillna(0.0).astype(float)
    out["unallocated"] = np.maximum(out["supply"] - out["allocated"], 0.0)
    tol = 1e-6 * out["supply"].clip(lower=1.0)
    status = np.select(
        [
            out["n_candidates"] == 0,
            out["unallocated"] <= tol,
            out["allocated"] > tol,
        ],
        ["no_candidate", "allocated", "partial"],
        "unallocated",
    )
    out["status"] = status
    best_w = pd.Series(objective_weights(candidates, objective), index=candidates.index)
    best_w = best_w.groupby(candidates["stream_id"]).max()
    positive = out["stream_id"].map(best_w).fillna(0.0) > 0
    words = {
        "allocated": "allocated in full",
        "partial": "partly allocated: the receivers within reach are full",
    }
    full = "candidates exist, but competing streams filled the receivers' capacity"
    worthless = (
        f"candidates exist, but none adds {objective} (no known value, or haulage costs more)"
    )
    sold_words = (
        "already sold: a local buyer saves nothing known over its sale price, so no exchange "
        f"adds {objective}"
    )
    if "already_sold" not in out:
        out["already_sold"] = False
    out["finding"] = [
        f
        if s == "no_candidate"
        else words.get(s, full if pos else sold_words if sold else worthless)
        for s, f, pos, sold in zip(
            out["status"], out["finding"], positive, out["already_sold"], strict=True
        )
    ]
    return schema.contract("symbiosis_streams").select(out).reset_index(drop=True)


def build_links(
    candidates: pd.DataFrame, allocated: pd.Series, factories: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Lines provider → receiver for every allocated exchange (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString per exchange with ``material``, ``waste_code``, ``quantity`` and
        ``unit``, ``tonnes`` (t/yr; 0 for energy), road ``distance_km``, ``benefit_thb_yr``,
        ``net_co2e_t_yr``, ``grade`` and its reason, and a bilingual ``label``.
    """
    chosen = candidates.assign(quantity=allocated.to_numpy(dtype=float))
    chosen = chosen[chosen["quantity"] > 0].reset_index(drop=True)
    pts = factories.drop_duplicates("factory_id").set_index("factory_id").geometry.to_crs(4326)
    geoms = [
        LineString([pts[a], pts[b]])
        for a, b in zip(chosen["provider_id"], chosen["receiver_id"], strict=True)
    ]
    q = chosen["quantity"].to_numpy()
    per_unit = chosen["benefit_thb_per_unit"].to_numpy(dtype=float)
    net_kg = chosen["net_co2e_kg_per_unit"].to_numpy(dtype=float)
    links = pd.DataFrame(
        {
            "link_id": [f"L{i + 1:05d}" for i in range(len(chosen))],
            "candidate_id": chosen["candidate_id"],
            "stream_id": chosen["stream_id"],
            "provider_id": chosen["provider_id"],
            "receiver_id": chosen["receiver_id"],
            "receiver_tsic": chosen["receiver_tsic"],
            "material": chosen["material"],
            "waste_code": chosen["waste_code"],
            "hazard_mark": chosen["hazard_mark"],
            "quantity": q,
            "unit": chosen["unit"],
            "tonnes": q * chosen["mass_t_per_unit"].to_numpy(dtype=float),
            "distance_km": chosen["distance_km"],
            "benefit_thb_yr": q * per_unit,
            "net_co2e_t_yr": q * net_kg / 1000.0,
            "use_en": chosen["use_en"],
            "use_th": chosen["use_th"],
            "match": chosen["match"],
            "grade": chosen["grade"],
            "grade_reason": chosen["grade_reason"],
            "label": [
                f"{m}: {a} → {b}"
                for m, a, b in zip(
                    chosen["material"], chosen["provider_id"], chosen["receiver_id"], strict=True
                )
            ],
        }
    )
    return schema.contract("symbiosis_links").select(
        gpd.GeoDataFrame(links, geometry=geoms, crs=4326)
    )


def summarise_areas(
    streams: pd.DataFrame, links: gpd.GeoDataFrame, factories: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Totals per industrial zone and per province of the providing factories.

    Returns
    -------
    pandas.DataFrame
        Rows with ``area_type`` (``zone`` / ``province`` / ``all``) and ``area_id``: number of
        streams and exchanges, waste offered and diverted from disposal (t/yr; flows of
        kind ``waste`` that are not already sold), all material exchanged incl. by-products (t/yr),
        energy (MWh/yr) and water (m³/yr) cascaded, net CO2e avoided (t/yr), net benefit
        (THB/yr) and the share of waste diverted.
    """
    fac = factories.drop_duplicates("factory_id").set_index("factory_id")
    zone = fac["zone_id"] if "zone_id" in fac else pd.Series(pd.NA, index=fac.index)
    prov = fac["pro_code"] if "pro_code" in fac else pd.Series(pd.NA, index=fac.index)
    s = streams.assign(
        zone=streams["provider_id"].map(zone), province=streams["provider_id"].map(prov)
    )
    # Diverted from disposal: waste that is not already sold (DOMAIN.md §6).
    disposed = streams["flow_kind"].eq("waste") & ~streams["already_sold"].astype(bool)
    s = s.assign(disposed=disposed.to_numpy())
    lk = pd.DataFrame(links.drop(columns="geometry")).assign(
        zone=links["provider_id"].map(zone),
        province=links["provider_id"].map(prov),
        disposed=links["stream_id"].map(s.set_index("stream_id")["disposed"]).fillna(False),
    )
    rows = []
    for area_type, col in (("zone", "zone"), ("province", "province"), ("all", None)):
        keys = s[col].dropna().unique() if col else ["all"]
        for key in sorted(map(str, keys)):
            ss = s[s[col].astype("string") == key] if col else s
            ll = lk[lk[col].astype("string") == key] if col else lk
            mass = ss["unit"] == "t/yr"
            waste = mass & ss["disposed"]
            offered = float(ss.loc[waste, "supply"].sum())
            lmass = ll["unit"] == "t/yr"
            diverted = float(ll.loc[lmass & ll["disposed"].astype(bool), "quantity"].sum())
            rows.append(
                {
                    "area_type": area_type,
                    "area_id": key,
                    "streams": len(ss),
                    "streams_without_candidate": int((ss["status"] == "no_candidate").sum()),
                    "exchanges": len(ll),
                    "offered_t_yr": offered,
                    "diverted_t_yr": diverted,
                    "exchanged_t_yr": float(ll.loc[lmass, "quantity"].sum()),
                    "unallocated_t_yr": float(ss.loc[mass, "unallocated"].sum()),
                    "share_diverted": min(diverted / offered, 1.0) if offered > 0 else None,
                    "energy_mwh_yr": float(ll.loc[ll["unit"] == "MWh/yr", "quantity"].sum()),
                    "water_m3_yr": float(ll.loc[ll["unit"] == "m3/yr", "quantity"].sum()),
                    "net_co2e_t_yr": float(ll["net_co2e_t_yr"].sum()),
                    "benefit_thb_yr": float(ll["benefit_thb_yr"].sum()),
                }
            )
    return schema.contract("symbiosis_summary").from_records(rows)


MATERIAL_COLUMNS = [
    "material", "exchanges", "quantity", "unit", "tonnes", "diverted_t_yr", "net_co2e_t_yr",
    "benefit_thb_yr", "share_of_co2e", "share_of_benefit", "indicative_share", "already_sold",
]  # fmt: skip


def material_contributions(
    candidates: pd.DataFrame, allocated: pd.Series, streams: pd.DataFrame
) -> pd.DataFrame:
    """Where the totals come from: the chosen exchanges summed per material and unit.

    ``streams`` is the stream table (for ``flow_kind`` and ``already_sold``).

    Returns
    -------
    pandas.DataFrame
        One row per (material, unit), largest benefit first: exchanges, quantity (unit/yr),
        tonnes (t/yr), diverted from disposal (t/yr), net CO2e (t/yr), net benefit (THB/yr),
        their shares of the totals, ``indicative_share`` (share of the material's value
        that rests on catalogue or provider prices, not on the receiver's own price) and
        ``already_sold`` (the streams are by-products or priced wastes).
    """
    q = allocated.to_numpy(dtype=float)
    c = candidates.assign(quantity=q)[q > 0]
    if c.empty:
        return pd.DataFrame(columns=MATERIAL_COLUMNS)
    st = streams.set_index("stream_id")
    sold = c["stream_id"].map(st["already_sold"]).fillna(False).astype(bool)
    disposed = c["stream_id"].map(st["flow_kind"]).eq("waste") & ~sold
    mass = c["quantity"] * c["mass_t_per_unit"].astype(float)
    value = c["quantity"] * c["benefit_thb_per_unit"].astype(float)
    frame = c.assign(
        tonnes=mass,
        diverted_t_yr=mass.where(disposed & (c["unit"] == "t/yr"), 0.0),
        net_co2e_t_yr=c["quantity"] * c["net_co2e_kg_per_unit"].astype(float) / 1000.0,
        benefit_thb_yr=value,
        indicative=value.where(c["price_source"] != "declared by receiver", 0.0).abs(),
        absvalue=value.abs(),
        sold=sold,
    )
    g = frame.groupby(["material", "unit"], sort=False).agg(
        exchanges=("quantity", "size"),
        quantity=("quantity", "sum"),
        tonnes=("tonnes", "sum"),
        diverted_t_yr=("diverted_t_yr", "sum"),
        net_co2e_t_yr=("net_co2e_t_yr", "sum"),
        benefit_thb_yr=("benefit_thb_yr", "sum"),
        indicative=("indicative", "sum"),
        absvalue=("absvalue", "sum"),
        already_sold=("sold", "all"),
    )
    g = g.reset_index()
    g["share_of_co2e"] = g["net_co2e_t_yr"] / (g["net_co2e_t_yr"].sum() or 1.0)
    g["share_of_benefit"] = g["benefit_thb_yr"] / (g["benefit_thb_yr"].sum() or 1.0)
    g["indicative_share"] = g["indicative"] / g["absvalue"].where(g["absvalue"] > 0, 1.0)
    g = g.sort_values("benefit_thb_yr", ascending=False, kind="stable")
    return g[MATERIAL_COLUMNS].reset_index(drop=True)
