"""Compliance status per factory on an assessment date."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ecogis.compliance.records import CATEGORIES, Requirement


# --------------------------------------------------------------------------- status
def effective_status(records: pd.DataFrame, *, as_of: str) -> pd.Series:
    """Each record's status on ``as_of`` (ISO date): ``yes`` past ``valid_until`` → ``expired``.

    Returns a string Series aligned with ``records``.
    """
    status = records["status"].astype("string").fillna("unknown")
    until = records["valid_until"].astype("string")
    lapsed = status.eq("yes") & until.notna() & (until < as_of).fillna(False)
    return status.mask(lapsed, "expired")


def _level_rank(level: Any) -> int:
    mt = (
        re.fullmatch(r"GI([1-5])", str(level)) if level is not None and level is not pd.NA else None
    )
    return int(mt[1]) if mt else 0


def factory_compliance(
    factories: pd.DataFrame,
    records: pd.DataFrame | None,
    *,
    requirements: dict[str, Requirement],
    as_of: str,
    flows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per factory: which categories it has, which items are missing or expired.

    Parameters
    ----------
    factories
        The ``factories`` layer (``factory_id``, ``factory_class``, ``diw_type_main``).
    records
        The ``compliance`` table (``None``: no records at all).
    requirements
        The requirement catalogue.
    as_of
        Assessment date, ISO.
    flows
        ``material_flows``; decides which factories generate (hazardous) waste for the
        requirements that apply only then. Without it those requirements apply to all.

    Returns
    -------
    pandas.DataFrame
        Same index as ``factories``: ``factory_id``, ``has_records``, one boolean column
        per category in :data:`CATEGORIES` (``has_<category>``), ``gi_level`` (``GI1``…
        or empty), ``legal_missing``, ``expired``, ``in_progress`` (``;``-joined
        requirement ids), ``n_missing_legal``, ``n_expired``.
    """
    ids = factories["factory_id"].astype("string")
    recs = (
        records
        if records is not None
        else pd.DataFrame(columns=["factory_id", "requirement", "status", "level", "valid_until"])
    )
    recs = recs[recs["factory_id"].isin(set(ids.dropna()))].copy()
    recs["eff"] = effective_status(recs, as_of=as_of) if len(recs) else pd.Series(dtype="string")
    lookup = {(r.factory_id, r.requirement): r for r in recs.itertuples(index=False)}
    waste_ids: set[str] | None = None
    haz_ids: set[str] | None = None
    if flows is not None:
        w = flows[flows["direction"].eq("out") & flows["flow_kind"].eq("waste")]
        waste_ids = set(w["factory_id"].dropna())
        haz_ids = set(w.loc[w["hazardous"].isin(["HA", "HM"]).fillna(False), "factory_id"].dropna())
    with_records = set(recs["factory_id"].dropna())
    out: dict[str, list[Any]] = {
        k: []
        for k in (
            "has_records",
            *(f"has_{c}" for c in CATEGORIES),
            "gi_level",
            "legal_missing",
            "expired",
            "in_progress",
        )
    }
    for fid, cls, typ in zip(
        ids,
        factories.get("factory_class", pd.Series(pd.NA, index=factories.index)),
        factories.get("diw_type_main", pd.Series(pd.NA, index=factories.index)),
        strict=True,
    ):
        has = dict.fromkeys(CATEGORIES, False)
        missing: list[str] = []
        expired: list[str] = []
        pending: list[str] = []
        gi = ""
        for rid, req in requirements.items():
            rec = lookup.get((fid, rid))
            eff = rec.eff if rec is not None else "unknown"
            if rec is not None and rid == "green_industry" and eff == "yes":
                gi = str(rec.level) if rec.level is not pd.NA and rec.level is not None else ""
            if eff == "yes":
                if not req.min_level or _level_rank(rec.level) >= _level_rank(req.min_level):  # type: ignore[union-attr]
                    for cat in req.evidences:
                        has[cat] = True
                elif req.category in has:
                    has[req.category] = True
                continue
            if eff == "expired":
                expired.append(rid)
            elif eff == "in_progress":
                pending.append(rid)
            if (
                req.mandatory
                and eff not in ("not_required", "expired")
                and _applies(req, cls, typ, fid, waste_ids, haz_ids)
            ):
                missing.append(rid)
        out["has_records"].append(fid in with_records)
        for c in CATEGORIES:
            out[f"has_{c}"].append(has[c])
        out["gi_level"].append(gi)
        out["legal_missing"].append(";".join(missing))
        out["expired"].append(";".join(expired))
        out["in_progress"].append(";".join(pending))
    result = pd.DataFrame(out, index=factories.index)
    result.insert(0, "factory_id", ids)
    for c in ("legal_missing", "expired"):
        result[f"n_{c if c != 'legal_missing' else 'missing_legal'}"] = result[c].map(
            lambda s: len(s.split(";")) if s else 0
        )
    return result


def _applies(
    req: Requirement,
    cls: Any,
    typ: Any,
    fid: str,
    waste_ids: set[str] | None,
    haz_ids: set[str] | None,
) -> bool:
    def known(v: Any) -> bool:
        return v is not None and v is not pd.NA and not (isinstance(v, float) and np.isnan(v))

    if req.applies_classes and known(cls) and int(cls) not in req.applies_classes:
        return False
    if req.applies_types and known(typ) and int(typ) not in req.applies_types:
        return False
    if req.applies_if == "waste" and waste_ids is not None:
        return fid in waste_ids
    if req.applies_if == "hazardous_waste" and haz_ids is not None:
        return fid in haz_ids
    return True
