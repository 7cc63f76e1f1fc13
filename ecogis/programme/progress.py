"""TOR progress: each deliverable's target, the count so far from the ledger, met or not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecogis.programme.targets import Deliverable, TorTargets

PROGRESS_COLUMNS = [
    "deliverable",
    "scope",
    "name_th",
    "name_en",
    "target",
    "actual",
    "met",
    "detail",
    "evidence",
]


@dataclass(frozen=True)
class Area:
    """The upgraded area: its factories and (for a zone) the zone id.

    ``factory_ids`` ``None`` means every factory (no area chosen); ``label`` names the
    selection in the ``scope`` column (``zone DEMO-IE-01``, ``province 25``, ``all``).
    """

    label: str
    factory_ids: frozenset[str] | None = None
    zone_id: str | None = None


def _empty_ledger() -> tuple[pd.DataFrame, pd.DataFrame]:
    acts = pd.DataFrame(
        columns=["activity_id", "kind", "date", "pro_code", "zone_id", "participants", "report"]
    )
    att = pd.DataFrame(columns=["activity_id", "factory_id", "persons", "man_days"])
    return acts, att


def area_activities(activities: pd.DataFrame, attendance: pd.DataFrame, area: Area) -> pd.DataFrame:
    """Select the activities of ``area``: held for its zone, or attended by one of its factories.

    Without an area (``factory_ids`` ``None``) every activity.

    Parameters
    ----------
    activities : pandas.DataFrame
        The ``activities`` ledger.
    attendance : pandas.DataFrame
        ``activity_factories`` rows (``activity_id``, ``factory_id``).
    area : Area
        The upgraded area.

    Returns
    -------
    pandas.DataFrame
        The rows of ``activities`` that belong to the area (index kept).
    """
    if area.factory_ids is None:
        return activities
    with_area_factory = set(
        attendance.loc[attendance["factory_id"].isin(area.factory_ids), "activity_id"]
    )
    mine = activities["activity_id"].isin(with_area_factory)
    if area.zone_id is not None:
        mine |= activities["zone_id"].eq(area.zone_id).fillna(False)
    return activities[mine]


def _counts_for_area(attendance: pd.DataFrame, activities: pd.DataFrame, area: Area) -> pd.Series:
    """Which attendance rows count for the area's deliverables.

    Every factory at an activity held for the area's zone counts (a training of the upgrade
    project may take in a few neighbours); at other activities only the area's own
    factories count. Without an area, every row counts.
    """
    if area.factory_ids is None:
        return pd.Series(True, index=attendance.index)
    own = attendance["factory_id"].isin(area.factory_ids)
    if area.zone_id is None or activities.empty:
        return own
    held_here = set(
        activities.loc[activities["zone_id"].eq(area.zone_id).fillna(False), "activity_id"]
    )
    return own | attendance["activity_id"].isin(held_here)


def tor_progress(
    activities: pd.DataFrame | None,
    attendance: pd.DataFrame | None,
    *,
    targets: TorTargets,
    provinces: Iterable[str],
    area: Area,
    database: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every deliverable of ``targets`` with its count so far.

    Parameters
    ----------
    activities, attendance
        The ``activities`` and ``activity_factories`` tables (``None``: nothing recorded).
    targets
        :func:`~ecogis.programme.targets.load_targets`.
    provinces
        Province codes the province deliverables are counted for (one row each).
    area
        The upgraded area, for the area deliverables.
    database
        :func:`~ecogis.programme.database.database_check` of the area's factories.

    Returns
    -------
    pandas.DataFrame
        :data:`PROGRESS_COLUMNS`: ``deliverable`` (the id), ``scope`` (``province 25`` or the
        area's label), names, ``target``, ``actual`` (a count, man-days for man-days),
        ``met`` (actual ≥ target), ``detail`` in words, ``evidence`` (the activity ids
        counted, ``;``-joined).
    """
    acts, att = _empty_ledger()
    if activities is not None:
        acts = activities
    if attendance is not None:
        att = attendance
    kinds_of = acts.set_index("activity_id")["kind"] if len(acts) else pd.Series(dtype="string")
    att = att.assign(kind=att["activity_id"].map(kinds_of))
    local = area_activities(acts, att, area)
    counted = att[_counts_for_area(att, acts, area).to_numpy()]
    rows: list[dict[str, object]] = []
    codes = list(dict.fromkeys(str(p) for p in provinces))
    for d in targets.deliverables:
        if d.scope == "province":
            rows += [_province_row(d, acts, code) for code in codes]
        elif d.measure == "database":
            rows.append(_database_row(d, database, area))
        else:
            rows.append(_area_row(d, local, counted, area))
    out = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    out["met"] = out["met"].astype(bool)
    return out


def _row(d: Deliverable, scope: str, actual: float, detail: str, evidence: list[str]) -> dict:
    return {
        "deliverable": d.id,
        "scope": scope,
        "name_th": d.name_th,
        "name_en": d.name_en,
        "target": d.target,
        "actual": float(actual),
        "met": bool(actual >= d.target),
        "detail": detail,
        "evidence": ";".join(evidence),
    }


def _province_row(d: Deliverable, acts: pd.DataFrame, code: str) -> dict:
    mine = acts[acts["kind"].isin(d.kinds) & acts["pro_code"].eq(code).fillna(False)]
    mine = mine.sort_values("date", kind="stable")
    parts = []
    counted: list[str] = []
    participants = pd.to_numeric(mine["participants"], errors="coerce")
    for r, count in zip(mine.itertuples(index=False), participants, strict=True):
        people = None if pd.isna(count) else int(count)
        enough = d.min_participants is None or (people is not None and people >= d.min_participants)
        if enough:
            counted.append(str(r.activity_id))
        who = f", {people} participants" if people is not None else ", participants unknown"
        short = "" if enough else f" — not counted (under {d.min_participants})"
        parts.append(f"{r.date} {r.activity_id}{who if d.min_participants else ''}{short}")
    detail = "; ".join(parts) if parts else "none recorded"
    return _row(d, f"province {code}", len(counted), detail, counted)


def _area_row(d: Deliverable, local: pd.DataFrame, att: pd.DataFrame, area: Area) -> dict:
    if d.measure == "reports":
        mine = local[local["kind"].isin(d.kinds)]
        has = mine[mine["report"].notna() & mine["report"].astype("string").str.strip().ne("")]
        detail = "; ".join(f"{r.activity_id}: {r.report}" for r in has.itertuples()) or (
            "no report recorded (fill in the report column of the consulting log)"
        )
        return _row(d, area.label, len(has), detail, list(has["activity_id"].astype(str)))
    mine = att[att["kind"].isin(d.kinds).fillna(False)]
    evidence = sorted(set(mine["activity_id"].astype(str)))
    if d.measure == "factories":
        n = int(mine["factory_id"].nunique())
        detail = f"{n} factories at {_activities(len(evidence))}" if n else "none recorded"
        return _row(d, area.label, n, detail, evidence)
    days = float(np.nansum(pd.to_numeric(mine["man_days"], errors="coerce")))
    n = int(
        mine.loc[
            pd.to_numeric(mine["man_days"], errors="coerce").fillna(0) > 0, "factory_id"
        ].nunique()
    )
    detail = (
        f"{days:g} man-days for {n} factories at {len(evidence)} activities"
        if n
        else "none recorded"
    )
    return _row(d, area.label, round(days, 2), detail, evidence)


def _activities(n: int) -> str:
    return f"{n} activity" if n == 1 else f"{n} activities"


def _database_row(d: Deliverable, database: pd.DataFrame | None, area: Area) -> dict:
    if database is None or database.empty:
        return _row(d, area.label, 0, "no factories in the area", [])
    complete = int(database["complete"].sum())
    detail = (
        f"{complete} of {len(database)} factories complete "
        f"({int(database['compliance_complete'].sum())} with every requirement's status, "
        f"{int(database['mass_balance_complete'].sum())} with a full mass balance)"
    )
    return _row(d, area.label, complete, detail, [])
