"""Compliance status per factory on an assessment date."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecogis.compliance.records import CATEGORIES, Requirement


# --------------------------------------------------------------------------- status
def effective_status(records: pd.DataFrame, *, as_of: str) -> pd.Series:
    """Each record's status on ``as_of`` (ISO date): ``yes`` past ``valid_until`` → ``expired``.

    Parameters
    ----------
    records
        The ``compliance`` table (``status``, ``valid_until`` as ISO dates).
    as_of
        The assessment date, ISO ``YYYY-MM-DD``; a ``valid_until`` before it has lapsed.

    Returns
    -------
    pandas.Series
        ``string`` dtype, aligned with ``records``: the stored status (``unknown`` where
        empty), with ``expired`` for a lapsed ``yes``.
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
    ids = factories["factory_id"].astype("string").reset_index(drop=True)
    n, req_ids = len(ids), list(requirements)
    recs = (
        records
        if records is not None
        else pd.DataFrame(columns=["factory_id", "requirement", "status", "level", "valid_until"])
    )
    recs = recs[recs["factory_id"].isin(set(ids.dropna()))]
    recs = recs.assign(eff=effective_status(recs, as_of=as_of) if len(recs) else "unknown")
    recs = recs.drop_duplicates(["factory_id", "requirement"], keep="last")
    # A factory × requirement grid (factory-major, catalogue order), records joined in.
    grid = pd.DataFrame(
        {
            "pos": np.repeat(np.arange(n), len(req_ids)),
            "factory_id": np.repeat(ids.to_numpy(dtype=object), len(req_ids)),
            "requirement": np.tile(np.array(req_ids, dtype=object), n),
        }
    )
    grid = grid.merge(
        pd.DataFrame(recs[["factory_id", "requirement", "eff", "level"]]).astype(object),
        on=["factory_id", "requirement"],
        how="left",
        sort=False,
    )
    eff = grid["eff"].fillna("unknown").astype(str).to_numpy()
    level_rank = grid["level"].map(_level_rank).to_numpy()
    req_col = grid["requirement"].to_numpy()
    grid_pos = grid["pos"].to_numpy()
    grid_level = grid["level"].to_numpy()
    yes = eff == "yes"
    cls = _as_int(factories.get("factory_class"), n)
    typ = _as_int(factories.get("diw_type_main"), n)
    waste_ids: set[str] | None = None
    haz_ids: set[str] | None = None
    if flows is not None:
        w = flows[flows["direction"].eq("out") & flows["flow_kind"].eq("waste")]
        waste_ids = set(w["factory_id"].dropna())
        haz_ids = set(w.loc[w["hazardous"].isin(["HA", "HM"]).fillna(False), "factory_id"].dropna())
    has = {c: np.zeros(n, dtype=bool) for c in CATEGORIES}
    missing = np.zeros(len(grid), dtype=bool)
    gi = np.full(n, "", dtype=object)
    for rid, req in requirements.items():
        on = req_col == rid
        pos = grid_pos[on]
        r_yes = yes[on]
        enough = level_rank[on] >= _level_rank(req.min_level) if req.min_level else True
        for cat in req.evidences:
            has[cat][pos[r_yes & enough]] = True
        if req.category in has:  # below min_level it still evidences its own category
            has[req.category][pos[r_yes]] = True
        if rid == "green_industry":
            gi[pos[r_yes]] = grid_level[on][r_yes]
        if req.mandatory:
            applies = _applies_vec(req, cls, typ, ids, waste_ids, haz_ids)
            missing[on] = ~np.isin(eff[on], ["yes", "not_required", "expired"]) & applies
    out = pd.DataFrame({"factory_id": ids.to_numpy()}, index=factories.index)
    out["has_records"] = ids.isin(set(recs["factory_id"])).to_numpy()
    for c in CATEGORIES:
        out[f"has_{c}"] = has[c]
    out["gi_level"] = [g if isinstance(g, str) else "" for g in gi]
    # Requirement ids joined with ";" per factory, in catalogue order (the grid is
    # factory-major, so each requirement's rows are one value per factory, in order).
    r_per = len(req_ids)
    for col, mask in (
        ("legal_missing", missing),
        ("expired", eff == "expired"),
        ("in_progress", eff == "in_progress"),
    ):
        acc = np.full(n, "", dtype=object)
        flags = mask.reshape(n, r_per) if n else np.zeros((0, r_per), dtype=bool)
        for k, rid in enumerate(req_ids):
            acc = acc + np.where(flags[:, k], rid + ";", "")
        out[col] = [a[:-1] for a in acc]
    out["n_missing_legal"] = np.bincount(grid_pos[missing], minlength=n)
    out["n_expired"] = np.bincount(grid_pos[eff == "expired"], minlength=n)
    return out


def has_gap(status: pd.DataFrame) -> pd.Series:
    """Whether each factory has a compliance gap (the rule of the gap list).

    A gap is: no environmental management, no safety management or no CSR-DIW, or a
    mandatory item missing, or any item expired on the assessment date.

    Parameters
    ----------
    status
        :func:`factory_compliance` of the factories.

    Returns
    -------
    pandas.Series
        Boolean, same index as ``status``.
    """
    lacks = ~(
        status["has_environmental_management"].astype(bool)
        & status["has_safety_management"].astype(bool)
        & status["has_csr"].astype(bool)
    )
    return lacks | (status["n_missing_legal"] > 0) | (status["n_expired"] > 0)


COMPLIANCE_CLASSES = ("ok", "in_progress", "gap", "unknown")
"""The classes of :func:`compliance_class`, in the order a legend lists them."""


def compliance_class(status: pd.DataFrame) -> pd.Series:
    """One class per factory for maps, reports and counts, from the one gap rule.

    ``unknown``: no compliance record at all; ``ok``: no gap (:func:`has_gap`);
    ``in_progress``: a gap, but no mandatory item is missing or expired and at least one
    item is in progress (a management system on its way); ``gap``: any other gap.

    Parameters
    ----------
    status
        :func:`factory_compliance` of the factories (on the assessment date).

    Returns
    -------
    pandas.Series
        One of :data:`COMPLIANCE_CLASSES` per factory (string dtype), same index.
    """
    gap = has_gap(status)
    legal_ok = (status["n_missing_legal"] == 0) & (status["n_expired"] == 0)
    working = status["in_progress"].astype("string").fillna("").str.len() > 0
    out = np.where(gap, np.where(legal_ok & working, "in_progress", "gap"), "ok")
    out = np.where(status["has_records"].astype(bool), out, "unknown")
    return pd.Series(out, index=status.index, dtype="string")


def _as_int(col: pd.Series | None, n: int) -> npt.NDArray[np.float64]:
    """Read a numeric column as floats with NaN for missing (class, type)."""
    if col is None:
        return np.full(n, np.nan, dtype="float64")
    return np.asarray(pd.to_numeric(col, errors="coerce"), dtype="float64")


def _applies_vec(
    req: Requirement,
    cls: npt.NDArray[np.float64],
    typ: npt.NDArray[np.float64],
    ids: pd.Series,
    waste_ids: set[str] | None,
    haz_ids: set[str] | None,
) -> npt.NDArray[np.bool_]:
    """Whether ``req`` applies to each factory; an unknown class or type does not exempt."""
    ok = np.ones(len(ids), dtype=bool)
    if req.applies_classes:
        ok &= np.isnan(cls) | np.isin(cls, req.applies_classes)
    if req.applies_types:
        ok &= np.isnan(typ) | np.isin(typ, req.applies_types)
    if req.applies_if == "waste" and waste_ids is not None:
        ok &= ids.isin(waste_ids).to_numpy()
    if req.applies_if == "hazardous_waste" and haz_ids is not None:
        ok &= ids.isin(haz_ids).to_numpy()
    return ok


SHEET_COLUMNS = (
    "factory_id",
    "name_th",
    "requirement",
    "requirement_name_th",
    "status",
    "level",
    "issued",
    "valid_until",
    "evidence",
    "status_on_date",
)
"""Columns of :func:`records_sheet`; ``ecogis import compliance`` reads the ones it knows
(factory_id, requirement, status, level, issued, valid_until, evidence) and ignores the
others, which are there for the person editing."""


def records_sheet(
    factories: pd.DataFrame,
    records: pd.DataFrame | None,
    *,
    requirements: dict[str, Requirement],
    as_of: str,
) -> pd.DataFrame:
    """Build an editable sheet of the factories' compliance records, ready to re-import.

    One row per factory and catalogue requirement, in the order of ``factories`` and of
    the catalogue: the stored record where there is one, else status ``unknown`` with the
    other cells empty (for the planner to fill in). ``status_on_date`` is the status on
    ``as_of`` (a ``yes`` past its ``valid_until`` reads ``expired``); it is not imported.

    Parameters
    ----------
    factories
        The ``factories`` layer (``factory_id``; ``name_th`` when present).
    records
        The stored ``compliance`` table, or ``None`` when there are no records.
    requirements
        The requirement catalogue, by requirement id (its order is the sheet's).
    as_of
        The assessment date, ISO ``YYYY-MM-DD``, for ``status_on_date``.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`SHEET_COLUMNS`, all text.
    """
    ids = factories["factory_id"].astype("string").tolist()
    names = (
        factories["name_th"].astype("string").tolist()
        if "name_th" in factories
        else [pd.NA] * len(ids)
    )
    grid = pd.DataFrame(
        {
            "factory_id": [f for f in ids for _ in requirements],
            "name_th": [n for n in names for _ in requirements],
            "requirement": list(requirements) * len(ids),
        }
    )
    grid["requirement_name_th"] = grid["requirement"].map(
        {rid: r.name_th for rid, r in requirements.items()}
    )
    cols = ["status", "level", "issued", "valid_until", "evidence"]
    if records is not None and len(records):
        rec = pd.DataFrame(records).copy()
        rec["status_on_date"] = effective_status(rec, as_of=as_of)
        keep = ["factory_id", "requirement", *[c for c in cols if c in rec], "status_on_date"]
        rec = rec[keep].astype({"factory_id": "string", "requirement": "string"})
        rec = rec.drop_duplicates(["factory_id", "requirement"], keep="last")
        grid = grid.merge(rec, on=["factory_id", "requirement"], how="left")
    for c in [*cols, "status_on_date"]:
        if c not in grid:
            grid[c] = pd.NA
    grid["status"] = grid["status"].astype("string").fillna("unknown")
    grid["status_on_date"] = grid["status_on_date"].astype("string").fillna("unknown")
    return grid[list(SHEET_COLUMNS)].astype("string")
