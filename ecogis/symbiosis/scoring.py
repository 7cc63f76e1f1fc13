"""Evidence, capacity, benefits, score and grade of candidate exchanges.

Called by :func:`ecogis.symbiosis.candidates.find_candidates` on the raw stream × receiver
pairs. Per candidate (``q`` = the quantity that fits, min of supply and capacity):

* capacity: the receiver's declared input of the material; else the declared input it
  replaces × the catalogue's largest share; else its declared intake × largest share; else
  workers × intake per worker × largest share; else a default intake × largest share (the
  last three are estimates and say so in ``capacity_basis``);
* quantity fit ``min(S, Cap) / max(S, Cap)``;
* transport CO2e ``q × km × factor`` (road classes only; piped cascades carry none);
* avoided CO2e ``q × (ratio × primary − processing + avoided disposal)``;
* money ``q × (value + avoided disposal fee − haulage)``, value from the receiver's declared
  price, else the catalogue's indicative primary price × ratio for this use capped by the
  provider's declared price, else the provider's price (indirect values × 0.9 by default);
* score ``100 × grade weight × compatibility × √fit × (1 − ½ km / max km)``;
* grade A (both mass balances name the material), B (declared substitute input or a
  material/6-digit catalogue precedent), C (back-off only).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.symbiosis.catalogue import LEVEL_WORDS, Catalogue
from ecogis.symbiosis.options import SymbiosisOptions

_TIER_ORDER = {"declared": 0, "substitute": 1, "sector": 2}
_CAT_COLUMNS = [
    "use_en", "use_th", "level", "matched_key", "substitution_ratio", "max_share",
    "primary_kgco2e_per_unit", "primary_thb_per_unit", "secondary_kgco2e_per_unit",
]  # fmt: skip
ALLOCATION_FIELDS = ("allocated",)
"""Fields of ``symbiosis_candidates`` the allocation adds; the rest are made here."""


def candidate_fields() -> list[str]:
    """Return the candidate table's columns: ``symbiosis_candidates`` without the allocation's.

    Returns
    -------
    list of str
        The contract's field names in contract order, less :data:`ALLOCATION_FIELDS`.
    """
    return [
        n for n in schema.contract("symbiosis_candidates").field_names if n not in ALLOCATION_FIELDS
    ]


def _attach_catalogue(
    cand: pd.DataFrame, rec: pd.DataFrame, sigs: np.ndarray, sig_table: pd.DataFrame
) -> pd.DataFrame:
    """Give every candidate the catalogue row for its receiver's industry (if any)."""
    cand = cand.assign(sig=sigs[cand["s"].to_numpy(dtype=np.int64)])
    out = cand.copy()
    for col in _CAT_COLUMNS:
        out[col] = pd.Series([None] * len(out), index=out.index, dtype=object)
    if sig_table.empty or cand.empty:
        return _numeric_factors(out)
    tab = sig_table.set_index(["sig", "key"])[_CAT_COLUMNS]
    tab = tab[~tab.index.duplicated()]
    tab4 = sig_table[sig_table["key"].str.len() == 5].assign(k4=lambda t: t["key"].str[:4])
    tab4 = tab4.drop_duplicates(["sig", "k4"]).set_index(["sig", "k4"])[_CAT_COLUMNS]
    r = cand["r"].to_numpy(dtype=np.int64)
    tsic = rec["tsic"].to_numpy(dtype=object)[r].astype(str)
    implied = rec["implied_tsic"].to_numpy(dtype=object)[r].astype(str)
    sector_key = cand["key"].astype(object) if "key" in cand else pd.Series(None, index=cand.index)
    tries = [
        (tab, sector_key.to_numpy()),
        (tab, tsic),
        (tab, implied),
        (tab4, np.array([t[:4] for t in tsic], dtype=object)),
        (tab, np.array([t[:2] for t in tsic], dtype=object)),
    ]
    todo = np.ones(len(cand), dtype=bool)
    for table, keys in tries:
        if not todo.any():
            break
        idx = pd.MultiIndex.from_arrays([cand["sig"].to_numpy()[todo], keys[todo]])
        got = table.reindex(idx)
        hit = got["level"].notna().to_numpy()
        rows = np.flatnonzero(todo)[hit]
        for col in _CAT_COLUMNS:
            values = out[col].to_numpy(dtype=object, copy=True)
            values[rows] = got[col].to_numpy()[hit]
            out[col] = values
        todo[rows] = False
    return _numeric_factors(out)


def _numeric_factors(frame: pd.DataFrame) -> pd.DataFrame:
    for col in _CAT_COLUMNS[4:]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def _material_value(
    recv_price: np.ndarray,
    prov_price: np.ndarray,
    cat_price: np.ndarray,
    sold: np.ndarray,
    factor: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Money value per unit of the stream (THB) and where it comes from.

    A waste: the receiver's own price first; otherwise the catalogue's value for this
    receiver's use (so a low-grade use is not paid a high-grade price), capped by the
    provider's declared price (no one pays more than the stream fetches), else the
    provider's price — such indirect values count at ``factor``. A by-product that is
    already sold: the buyer's saving only, the catalogue value of what it replaces minus
    the price paid (the receiver's, else the provider's; with neither it is taken to trade
    at that value, so no saving is claimed).
    """
    capped = np.where(np.isfinite(prov_price), np.fmin(cat_price, prov_price), cat_price)
    known = [np.isfinite(recv_price), np.isfinite(capped), np.isfinite(prov_price)]
    value = np.select(known, [recv_price, capped * factor, prov_price * factor], 0.0)
    source = np.select(
        known,
        ["declared by receiver", "catalogue (indicative)", "declared by provider"],
        "unknown",
    )
    paid = np.where(np.isfinite(recv_price), recv_price, prov_price)
    saving = np.where(np.isfinite(paid), np.nan_to_num(cat_price) - paid, 0.0)
    value = np.where(sold, np.maximum(saving, 0.0) * factor, value)
    source = np.where(sold, "buyer's saving on a sold by-product (indicative)", source)
    return value, source


def describe_candidates(
    cand: pd.DataFrame,
    streams: pd.DataFrame,
    rec: pd.DataFrame,
    sigs: np.ndarray,
    sig_table: pd.DataFrame,
    cat: Catalogue,
    opts: SymbiosisOptions,
) -> pd.DataFrame:
    """Evidence, capacity, benefits, score and grade for every candidate pair.

    The step of :func:`~ecogis.symbiosis.candidates.find_candidates` that turns the pairs
    its searches found into the ``symbiosis_candidates`` rows.

    Parameters
    ----------
    cand
        The pairs: ``s`` (stream position), ``r`` (receiver position), ``tier``
        (``declared`` / ``substitute`` / ``sector``), ``road_km`` (km) and, when the search
        gave them, ``compat``, ``tsic_weight``, ``declared_qty``, ``declared_price`` (THB per
        unit), ``key``, ``declared_material``. Missing ones are added to it (in place).
    streams
        The stream table of :func:`~ecogis.symbiosis.candidates.waste_streams`, positions
        as in ``cand["s"]``.
    rec
        The receiver table (``factory_id``, ``tsic``, ``implied_tsic``, ``workers``,
        ``intake_t/yr``, ``intake_m3/yr``, ``intake_MWh/yr``), positions as in ``cand["r"]``.
    sigs
        One catalogue-signature number per stream.
    sig_table
        The catalogue rows per signature and receiving TSIC key.
    cat
        The loaded catalogue.
    opts
        The analysis parameters (capacity estimates, transport factors, carbon price,
        candidates kept per stream).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`candidate_fields` (no ``allocated`` yet): at most
        ``opts.max_per_stream`` rows per stream, sorted by stream then score (0–100), with
        distances in km, quantities in the stream's canonical unit per year, CO2e in t/yr,
        money in THB/yr and the per-unit weights the allocation uses. Empty (with those
        columns) when ``cand`` is.
    """
    if cand.empty:
        return pd.DataFrame(columns=candidate_fields())
    for col in ("compat", "tsic_weight", "declared_qty", "declared_price"):
        if col not in cand:
            cand[col] = np.nan
    if "key" not in cand:
        cand["key"] = None
    if "declared_material" not in cand:
        cand["declared_material"] = None
    cand["compat"] = cand["compat"].astype(float).fillna(1.0)
    cand["tier_order"] = cand["tier"].map(_TIER_ORDER)
    cand = cand.sort_values(["s", "r", "tier_order", "compat"], ascending=[True, True, True, False])
    cand = cand.drop_duplicates(["s", "r"], keep="first")
    s = cand["s"].to_numpy(dtype=np.int64)
    max_km = streams["max_km"].to_numpy()[s]
    tier_w = np.select([cand["tier"] == "declared", cand["tier"] == "substitute"], [1.0, 0.8], 0.6)
    pre = tier_w * cand["compat"].to_numpy() * (1 - 0.5 * cand["road_km"].to_numpy() / max_km)
    cand = cand.assign(pre=pre).sort_values(["s", "pre"], ascending=[True, False])
    cand = cand.groupby("s", sort=False).head(opts.max_per_stream).reset_index(drop=True)
    cand = _attach_catalogue(cand, rec, sigs, sig_table)

    s = cand["s"].to_numpy(dtype=np.int64)
    r = cand["r"].to_numpy(dtype=np.int64)
    st = streams.iloc[s].reset_index(drop=True)
    tier = cand["tier"].to_numpy(dtype=object)
    unit = st["unit"].to_numpy(dtype=object)
    material = st["material"].to_numpy(dtype=object)
    supply = st["supply"].to_numpy(dtype=float)
    max_km = st["max_km"].to_numpy(dtype=float)
    km = cand["road_km"].to_numpy(dtype=float)
    ratio = cand["substitution_ratio"].astype(float).fillna(1.0).to_numpy()
    share = cand["max_share"].astype(float).fillna(0.3).to_numpy()
    declared_qty = cand["declared_qty"].astype(float).to_numpy()

    # Capacity: what the receiver declares, else a stated estimate (see SymbiosisOptions).
    intake = np.select(
        [unit == "t/yr", unit == "m3/yr", unit == "MWh/yr"],
        [rec[f"intake_{u}"].to_numpy()[r] for u in ("t/yr", "m3/yr", "MWh/yr")],
        0.0,
    )
    workers = rec["workers"].to_numpy(dtype=float)[r]
    per_worker = np.array([opts.intake_per_worker.get(u, 0.0) for u in unit])
    default = np.array([opts.default_intake.get(u, 0.0) for u in unit])
    has_workers = np.isfinite(workers) & (workers > 0)
    capacity = np.select(
        [tier == "declared", tier == "substitute", intake > 0, has_workers],
        [declared_qty, declared_qty * share, intake * share, workers * per_worker * share],
        default * share,
    )
    basis = np.select(
        [tier == "declared", tier == "substitute", intake > 0, has_workers],
        [
            "declared input of this material",
            "declared input it replaces × largest share",
            "declared intake × largest share (estimate)",
            "workers × intake per worker × largest share (estimate)",
        ],
        "default intake × largest share (estimate)",
    )
    q = np.minimum(supply, capacity)
    fit = np.where(np.maximum(supply, capacity) > 0, q / np.maximum(supply, capacity), 0.0)

    # Benefits per unit of the stream, then per year at the quantity that fits.
    mclass = st["material_class"].to_numpy(dtype=object)
    road = (cat.classes["transport"].reindex(mclass) == "road").to_numpy(dtype=bool)

    def per_material(column: str) -> np.ndarray:
        return cat.materials[column].reindex(material).to_numpy(dtype=float)

    density = per_material("density_t_per_m3")
    mass = np.select([unit == "t/yr", unit == "m3/yr"], [1.0, np.nan_to_num(density, nan=1.0)], 0.0)
    t_kg = np.where(road, km * opts.transport_kgco2e_per_tkm * mass, 0.0)
    t_thb = np.where(
        road, km * cat.classes["transport_thb_per_unit_km"].reindex(mclass).to_numpy() * mass, 0.0
    )
    # A stream already sold (see ``already_sold`` in the stream table) is not diverted from
    # disposal: it earns no avoided disposal, and its money is only the buyer's saving.
    sold = st["already_sold"].to_numpy(dtype=bool)
    primary_kg = cand["primary_kgco2e_per_unit"].astype(float).fillna(0.0).to_numpy()
    secondary_kg = cand["secondary_kgco2e_per_unit"].astype(float).to_numpy()
    proc = np.nan_to_num(per_material("processing_kgco2e_per_unit"))
    secondary_kg = np.where(np.isfinite(secondary_kg), secondary_kg, proc)
    disp_kg = np.where(sold, 0.0, np.nan_to_num(per_material("disposal_kgco2e_per_unit")))
    disp_thb = np.where(sold, 0.0, np.nan_to_num(per_material("disposal_thb_per_unit")))
    # Avoided burden (primary − secondary) × substitution ratio, never negative, plus the
    # disposal it avoids.
    avoided_kg = ratio * np.maximum(primary_kg - secondary_kg, 0.0) + disp_kg
    recv_price = cand["declared_price"].astype(float).to_numpy()
    recv_price = np.where(tier == "declared", recv_price, np.nan)
    prov_price = st["price_thb_per_unit"].astype(float).to_numpy()
    cat_price = ratio * cand["primary_thb_per_unit"].astype(float).to_numpy()
    value, price_source = _material_value(
        recv_price, prov_price, cat_price, sold, opts.indicative_value_factor
    )
    net_kg = avoided_kg - t_kg
    benefit_unit = value + disp_thb - t_thb + opts.carbon_price_thb_per_t * net_kg / 1000.0

    level = cand["level"].to_numpy(dtype=object)
    precedent = np.isin(level, ["material", "code", "code_material"]) & (
        cand["tsic_weight"].astype(float).fillna(1.0).to_numpy() >= 0.9
    )
    grade = np.select([tier == "declared", (tier == "substitute") | precedent], ["A", "B"], "C")
    gw = np.select([grade == "A", grade == "B"], [1.0, 0.8], 0.5)
    compat = np.where(tier == "sector", cand["compat"].to_numpy(), 1.0)
    score = 100 * gw * compat * np.sqrt(fit) * np.clip(1 - 0.5 * km / max_km, 0, 1)

    rec_id = rec["factory_id"].to_numpy(dtype=object)[r]
    rec_tsic = rec["tsic"].to_numpy(dtype=object)[r]
    implied = rec["implied_tsic"].to_numpy(dtype=object)[r]
    rec_tsic = np.where(rec_tsic == "", implied, rec_tsic)
    code = st["waste_code"].astype(object).where(st["waste_code"].notna(), None).to_numpy()
    mkey = cand["matched_key"].to_numpy(dtype=object)
    decl_mat = cand["declared_material"].to_numpy(dtype=object)
    evidence = [
        f"{rid} declares {m} as an input ({dq:,.0f} {u})"
        if t == "declared"
        else f"{rid} declares {dm} ({dq:,.0f} {u}); {m} can replace up to {sh:.0%} of it"
        if t == "substitute"
        else f"TSIC {ts} is a known receiver of {mk} ({LEVEL_WORDS.get(str(lv), lv)})"
        for rid, t, m, dq, u, dm, sh, ts, mk, lv in zip(
            rec_id,
            tier,
            material,
            declared_qty,
            unit,
            decl_mat,
            share,
            rec_tsic,
            mkey,
            level,
            strict=True,
        )
    ]
    names = cat.tsic["name_en"].to_dict()
    reason = [
        f"A: both mass balances name {m}"
        if g == "A"
        else "B: the receiver declares an input this material replaces"
        if t == "substitute"
        else f"B: catalogue precedent for {mk} → TSIC {ts} ({names.get(ts, 'its class')})"
        if g == "B"
        else f"C: only the {LEVEL_WORDS.get(str(lv), 'catalogue')} ({mk}) links it to TSIC {ts}"
        for g, t, m, mk, ts, lv in zip(grade, tier, material, mkey, rec_tsic, level, strict=True)
    ]
    out = pd.DataFrame(
        {
            "stream_id": st["stream_id"],
            "provider_id": st["provider_id"],
            "flow_id": st["flow_id"],
            "receiver_id": rec_id,
            "receiver_tsic": rec_tsic,
            "material": material,
            "waste_code": code,
            "hazard_mark": st["hazard_mark"],
            "match": tier,
            "catalogue_key": mkey,
            "catalogue_level": level,
            "use_en": cand["use_en"].fillna("use the material as it declares"),
            "use_th": cand["use_th"].fillna("ใช้ตามที่โรงงานแจ้งในสมดุลมวล"),
            "evidence": evidence,
            "compat_score": np.round(compat, 3),
            "supply": supply,
            "capacity": np.round(capacity, 3),
            "capacity_basis": basis,
            "capacity_node": [
                f"{a}|{m}|{u}" for a, m, u in zip(rec_id, material, unit, strict=True)
            ],
            "unit": unit,
            "quantity_fit": np.round(fit, 4),
            "distance_km": np.round(km, 2),
            "max_km": max_km,
            "substitution_ratio": ratio,
            "transport_co2e_t_yr": q * t_kg / 1000.0,
            "avoided_co2e_t_yr": q * avoided_kg / 1000.0,
            "net_co2e_t_yr": q * net_kg / 1000.0,
            "value_thb_yr": q * value,
            "transport_thb_yr": q * t_thb,
            "benefit_thb_yr": q * benefit_unit,
            "price_source": price_source,
            "already_sold": sold,
            "benefit_thb_per_unit": benefit_unit,
            "net_co2e_kg_per_unit": net_kg,
            "mass_t_per_unit": mass,
            "score": np.round(score, 2),
            "grade": grade,
            "grade_reason": reason,
        }
    )
    out = out.sort_values(["stream_id", "score"], ascending=[True, False], kind="stable")
    out.insert(0, "candidate_id", [f"C{i + 1:06d}" for i in range(len(out))])
    return out.reset_index(drop=True)[candidate_fields()]


def stream_findings(
    streams: pd.DataFrame, sigs: np.ndarray, sig_table: pd.DataFrame, placed: np.ndarray
) -> list[str]:
    """Why a stream has no candidate, in words (empty text when it has some).

    Parameters
    ----------
    streams
        The stream table with ``n_candidates``, ``nearest_km`` (road km, ``inf`` when no path
        on the roads, NaN when no receiver was found), ``max_km`` (km), ``material``,
        ``waste_code``, ``material_class`` and ``is_hazardous``.
    sigs
        One catalogue-signature number per stream.
    sig_table
        The catalogue rows per signature and receiving TSIC key.
    placed
        One bool per stream: whether its provider has coordinates.

    Returns
    -------
    list of str
        One finding per stream, in order: empty for a stream with candidates, else the
        reason (provider unplaced, receivers beyond the distance limit or off the road
        network, no use in the catalogue, no compatible factory in the data).
    """
    known = set(sig_table["sig"]) if len(sig_table) else set()
    keys = (
        sig_table.groupby("sig")["key"].apply(lambda k: ", ".join(list(k)[:3]))
        if len(sig_table)
        else pd.Series(dtype=str)
    )
    out: list[str] = []
    columns = ["material", "waste_code", "n_candidates", "nearest_km", "max_km"]
    records: list[dict[Any, Any]] = streams[[*columns, "material_class", "is_hazardous"]].to_dict(
        "records"
    )
    for i, row in enumerate(records):
        code = row["waste_code"]
        what = str(row["material"]) + (f" ({code})" if isinstance(code, str) else "")
        nearest = float(row["nearest_km"])
        if int(row["n_candidates"]) > 0:
            out.append("")
        elif not placed[i]:
            out.append("the provider has no coordinates: place it to look for receivers")
        elif nearest == math.inf:
            out.append(
                f"no possible receiver of {what} is reachable on the road network within "
                f"{float(row['max_km']):,.0f} km"
            )
        elif math.isfinite(nearest):
            mclass = str(row["material_class"]).replace("_", " ")
            out.append(
                f"nearest possible receiver of {what} is {nearest:,.0f} km by road, beyond "
                f"the {float(row['max_km']):,.0f} km limit for {mclass}"
            )
        elif sigs[i] not in known:
            out.append(
                f"no receiver anywhere: the catalogue knows no use for {what} and no factory "
                "declares it as an input"
            )
        else:
            who = "licensed (type 101/105/106 or permit) " if row["is_hazardous"] else ""
            out.append(
                f"no receiver anywhere: no {who}factory of a compatible industry "
                f"(TSIC {keys.get(sigs[i], '')}) is in the data"
            )
    return out
