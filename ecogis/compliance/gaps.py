"""The gap list: factories lacking management systems or legal items, ranked."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.compliance.status import has_gap
from ecogis.receptors import is_sensitive

# --------------------------------------------------------------------------- gap list
_COMPUTED = {"hazard_class", "hazard_weight"}
"""Gap-list fields computed here even when the factories layer has a field of that name."""
_PEOPLE_COLS = re.compile(r"^(people|pop|population|persons)_?(within_)?(1000m|1000|1km|1_km)$")
_RECEPTOR_COLS = re.compile(
    r"^(sens|receptors|sensitive|n_sensitive|sensitive_receptors|n_receptors)_?(within_)?"
    r"(1000m|1000|1km|1_km)$"
)


def risk_columns(risk_factories: pd.DataFrame | None) -> dict[str, str]:
    """Which columns of the risk engineer's ``risk_factories`` layer this module can use.

    Parameters
    ----------
    risk_factories
        The ``risk_factories`` layer, or ``None``.

    Returns
    -------
    dict of str to str
        Any of the keys ``hazard_weight``, ``hazard_class``, ``people_1km`` (people within
        1 km) and ``receptors_1km`` (sensitive receptors within 1 km), each mapped to the
        column name found (matched without regard to case); empty for ``None``.
    """
    if risk_factories is None:
        return {}
    found: dict[str, str] = {}
    for col in risk_factories.columns:
        c = str(col).lower()
        if c in ("hazard_weight", "hazard_class"):
            found[c] = str(col)
        elif _PEOPLE_COLS.match(c) and "people_1km" not in found:
            found["people_1km"] = str(col)
        elif _RECEPTOR_COLS.match(c) and "receptors_1km" not in found:
            found["receptors_1km"] = str(col)
    return found


def neighbours_within(
    factories: Any, communities: Any, *, radius_m: float = 1000.0
) -> pd.DataFrame:
    """People and sensitive receptors within ``radius_m`` of each factory, and the nearest one.

    Distances are measured in the data's UTM zone (metres); polygon communities count by
    their representative point. Unplaced factories get NaN.

    Parameters
    ----------
    factories
        Points with an index to align to.
    communities
        Points or polygons with ``population`` and ``kind``/``sensitive``
        (:func:`ecogis.receptors.is_sensitive`).
    radius_m
        Radius (m).

    Returns
    -------
    pandas.DataFrame
        Same index as ``factories``: ``people_1km`` (persons), ``receptors_1km`` (count of
        sensitive receptors), ``nearest_receptor_m`` (metres).
    """
    from scipy.spatial import cKDTree

    from ecogis.crs import metric_crs

    out = pd.DataFrame(
        {"people_1km": np.nan, "receptors_1km": np.nan, "nearest_receptor_m": np.nan},
        index=factories.index,
    )
    placed = factories[factories.geometry.notna() & ~factories.geometry.is_empty]
    comm = communities[communities.geometry.notna() & ~communities.geometry.is_empty]
    if placed.empty or comm.empty:
        return out
    crs = metric_crs([placed, comm])
    fpts = placed.geometry.to_crs(crs)
    cpts = comm.geometry.to_crs(crs).representative_point()
    cxy = np.column_stack([cpts.x.to_numpy(), cpts.y.to_numpy()])
    fxy = np.column_stack([fpts.x.to_numpy(), fpts.y.to_numpy()])
    tree = cKDTree(cxy)
    pop = pd.to_numeric(comm.get("population"), errors="coerce").fillna(0).to_numpy()
    sens = is_sensitive(comm)
    nearest, _ = tree.query(fxy, k=1)
    within = tree.query_ball_point(fxy, r=radius_m)
    out.loc[placed.index, "nearest_receptor_m"] = nearest
    out.loc[placed.index, "people_1km"] = [float(pop[i].sum()) for i in within]
    out.loc[placed.index, "receptors_1km"] = [float(sens[i].sum()) for i in within]
    return out


def rank_gaps(
    factories: Any,
    status: pd.DataFrame,
    *,
    risk_factories: pd.DataFrame | None = None,
    communities: Any | None = None,
    radius_m: float = 1000.0,
    weights: tuple[float, float, float] = (0.4, 0.35, 0.25),
    as_of: str | None = None,
) -> tuple[Any, list[str]]:
    """Rank the factories with a compliance gap for training and consulting.

    A factory has a gap when it lacks environmental management, safety management or
    CSR-DIW, or has a mandatory item missing or any item expired. The priority score is
    ``w_h·H + w_p·P + w_g·G`` (each part 0–1):

    * H, hazard: ``hazard_weight`` from the risk results divided by its maximum; without
      them the factory class (1, 2, 3) divided by 3.
    * P, neighbours: ``log(1 + people within radius) / log(1 + max)`` averaged with the
      same for sensitive receptors; from the risk results when they have the band counts,
      else counted here from ``communities``; 0 when neither is available.
    * G, gap size: the share of {environmental, safety, CSR} lacking, plus 0.25 per
      missing or expired mandatory item, capped at 1.

    Parameters
    ----------
    factories
        The ``factories`` layer (GeoDataFrame).
    status
        :func:`factory_compliance` of those factories (same index).
    risk_factories
        The ``risk_factories`` layer when present (``factory_id`` plus the columns
        :func:`risk_columns` recognises).
    communities
        The ``communities`` layer, used for P when the risk results lack band counts.
    radius_m
        Neighbourhood radius in metres for counting people and receptors here.
    weights
        (w_h, w_p, w_g).
    as_of
        The assessment date (ISO) the statuses were judged on, stored with each row.

    Returns
    -------
    (GeoDataFrame, list of str)
        The gap list (index preserved from ``factories``, sorted by ``rank``) and lines
        saying which ranking inputs were available.
    """
    import geopandas as gpd

    notes: list[str] = []
    f = factories
    hazard = pd.Series(np.nan, index=f.index)
    hazard_class = pd.Series(pd.NA, index=f.index, dtype="string")
    people = pd.Series(np.nan, index=f.index)
    receptors = pd.Series(np.nan, index=f.index)
    nearest = pd.Series(np.nan, index=f.index)
    rc = risk_columns(risk_factories)
    if risk_factories is not None and "factory_id" in risk_factories:
        rf = pd.DataFrame(risk_factories).drop_duplicates("factory_id").set_index("factory_id")
        fid = f["factory_id"]
        if "hazard_weight" in rc:
            hazard = pd.to_numeric(fid.map(rf[rc["hazard_weight"]]), errors="coerce")
        if "hazard_class" in rc:
            hazard_class = fid.map(rf[rc["hazard_class"]]).astype("string")
        if "people_1km" in rc:
            people = pd.to_numeric(fid.map(rf[rc["people_1km"]]), errors="coerce")
        if "receptors_1km" in rc:
            receptors = pd.to_numeric(fid.map(rf[rc["receptors_1km"]]), errors="coerce")
    if hazard.notna().any():
        notes.append("hazard: hazard_weight from the risk results (risk_factories)")
        h = hazard.fillna(0) / max(float(hazard.max()), 1e-9)
    else:
        notes.append("hazard: factory class 1–3 (risk results absent — run 'ecogis risk' first)")
        h = pd.to_numeric(f.get("factory_class"), errors="coerce").fillna(1) / 3.0
    if communities is not None and len(communities):
        counted = neighbours_within(f, communities, radius_m=radius_m)
        nearest = counted["nearest_receptor_m"]
        if people.isna().all():
            people = counted["people_1km"]
            receptors = counted["receptors_1km"]
            notes.append(f"neighbours: communities layer within {radius_m:g} m, counted here")
        else:
            notes.append("neighbours: people and receptors within 1 km from the risk results")
    elif people.notna().any():
        notes.append("neighbours: people and receptors within 1 km from the risk results")
    else:
        notes.append("neighbours: not available (no risk results, no communities layer)")

    def scaled(s: pd.Series) -> pd.Series:
        s = s.fillna(0).clip(lower=0)
        top = float(np.log1p(s.max())) if len(s) else 0.0
        return np.log1p(s) / top if top > 0 else s * 0.0

    p = (scaled(people) + scaled(receptors)) / 2
    lacks = pd.DataFrame(
        {
            "lacks_env": ~status["has_environmental_management"],
            "lacks_safety": ~status["has_safety_management"],
            "lacks_csr": ~status["has_csr"],
        },
        index=f.index,
    )
    g = (lacks.sum(axis=1) / 3 + 0.25 * (status["n_missing_legal"] + status["n_expired"])).clip(
        upper=1
    )
    w_h, w_p, w_g = weights
    score = w_h * h + w_p * p + w_g * g
    gap = has_gap(status)
    layer = schema.contract("compliance_gaps")
    # the factory's own fields the gap list repeats (name, type, class, zone …)
    factory_fields = schema.contract("factories")
    repeated = [c for c in layer.field_names if factory_fields.has_field(c) and c not in _COMPUTED]
    lacking = [c for c in repeated if c not in f.columns]
    out = pd.DataFrame(f[[c for c in repeated if c in f.columns]]).copy()
    out = out.join(lacks)
    out["legal_missing"] = status["legal_missing"]
    out["expired"] = status["expired"]
    out["in_progress"] = status["in_progress"]
    out["gi_level"] = status["gi_level"]
    out["has_records"] = status["has_records"]
    out["n_gaps"] = lacks.sum(axis=1) + status["n_missing_legal"] + status["n_expired"]
    out["hazard_class"] = hazard_class
    out["hazard_weight"] = hazard if hazard.notna().any() else h * 3.0
    out["people_1km"] = people
    out["receptors_1km"] = receptors
    out["nearest_receptor_m"] = nearest.round(1)
    out["priority"] = score.round(4)
    out["as_of"] = as_of
    out = out[gap.to_numpy(dtype=bool)]
    order = out.sort_values(["priority", "n_gaps", "factory_id"], ascending=[False, False, True])
    order["rank"] = np.arange(1, len(order) + 1)
    geometry = f.geometry.loc[order.index] if hasattr(f, "geometry") else None
    gdf = gpd.GeoDataFrame(order, geometry=geometry, crs=getattr(f, "crs", None))
    return layer.select(gdf, absent=lacking), notes


def gap_summary(factories: pd.DataFrame, status: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Count the factories with each kind of gap, and their shares, by province and by zone.

    Parameters
    ----------
    factories
        The factories layer.
    status
        :func:`factory_compliance` of those factories (same index).
    gaps
        :func:`rank_gaps` output (its index says which factories have a gap).

    Returns
    -------
    pandas.DataFrame
        One row per (``level``, ``area_id``) with ``level`` = ``province`` or ``zone``
        (factories outside any zone are grouped under zone ``(outside zones)``, without a
        province under ``(unknown)``), plus a ``total`` row: ``n_factories``,
        ``n_with_gap``, ``n_lacks_env``, ``n_lacks_safety``, ``n_lacks_csr``,
        ``n_legal_missing``, ``n_expired`` and the ``share_*`` of each (% of the area's
        factories, one decimal).
    """
    base = pd.DataFrame(
        {
            "pro_code": factories.get("pro_code", pd.Series(pd.NA, index=factories.index)),
            "zone_id": factories.get("zone_id", pd.Series(pd.NA, index=factories.index)),
            "with_gap": factories.index.isin(gaps.index),
            "lacks_env": ~status["has_environmental_management"],
            "lacks_safety": ~status["has_safety_management"],
            "lacks_csr": ~status["has_csr"],
            "legal_missing": status["n_missing_legal"] > 0,
            "expired": status["n_expired"] > 0,
        },
        index=factories.index,
    )
    base["pro_code"] = base["pro_code"].astype("string").fillna("(unknown)")
    base["zone_id"] = base["zone_id"].astype("string").fillna("(outside zones)")
    flags = ["with_gap", "lacks_env", "lacks_safety", "lacks_csr", "legal_missing", "expired"]
    parts = []
    for level, col in (("province", "pro_code"), ("zone", "zone_id")):
        g = base.groupby(col)[flags].sum()
        g["n_factories"] = base.groupby(col).size()
        g = g.reset_index().rename(columns={col: "area_id"})
        g.insert(0, "level", level)
        parts.append(g)
    total = base[flags].sum().to_frame().T
    total["n_factories"] = len(base)
    total.insert(0, "area_id", "all")
    total.insert(0, "level", "total")
    out = pd.concat([*parts, total], ignore_index=True)
    for fl in flags:
        out = out.rename(columns={fl: f"n_{fl}"})
        out[f"share_{fl}"] = (
            100 * out[f"n_{fl}"] / out["n_factories"].where(out["n_factories"] > 0)
        ).round(1)
    ordered = (
        ["level", "area_id", "n_factories"]
        + [f"n_{f}" for f in flags]
        + [f"share_{f}" for f in flags]
    )
    return out[ordered]


GAP_WORDS = {
    "lacks_env": "no env. mgmt",
    "lacks_safety": "no safety mgmt",
    "lacks_csr": "no CSR-DIW",
}
"""How :func:`describe_gaps` names each missing management system."""


def describe_gaps(gaps: pd.DataFrame) -> pd.Series:
    """One line per factory saying what it lacks, for a table a person reads.

    E.g. ``no safety mgmt; missing: waste_report; expired: iso14001`` from the
    ``lacks_*``, ``legal_missing`` and ``expired`` columns of :func:`rank_gaps` (the
    requirement ids are those of the requirement catalogue).

    Parameters
    ----------
    gaps
        :func:`rank_gaps` output.

    Returns
    -------
    pandas.Series
        Text per row, same index.
    """
    parts: list[list[str]] = [[] for _ in range(len(gaps))]
    for col, words in GAP_WORDS.items():
        if col in gaps.columns:
            flags = gaps[col].fillna(False).astype(bool).to_numpy()
            for pos in np.flatnonzero(flags):
                parts[int(pos)].append(words)
    for col, label in (("legal_missing", "missing"), ("expired", "expired")):
        if col not in gaps.columns:
            continue
        for i, val in enumerate(gaps[col].tolist()):
            if isinstance(val, str) and val.strip():
                items = [v.strip() for v in val.replace(",", ";").split(";") if v.strip()]
                parts[i].append(f"{label}: {', '.join(items)}")
    return pd.Series(["; ".join(p) for p in parts], index=gaps.index, dtype=object)
