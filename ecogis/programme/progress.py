"""TOR progress: each deliverable's target, the count so far from the ledger, met or not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecogis.programme.targets import Deliverable, TorTargets
from ecogis.programme.words import LANGS, WORDS, both

PROGRESS_COLUMNS = [
    "deliverable",
    "scope",
    "scope_th",
    "scope_en",
    "name_th",
    "name_en",
    "target",
    "actual",
    "met",
    "detail_th",
    "detail_en",
    "evidence",
]


@dataclass(frozen=True)
class Area:
    """The upgraded area: its factories and (for a zone) the zone id.

    ``factory_ids`` ``None`` means every factory (no area chosen); ``label`` names the
    selection in the ``scope`` column (``zone DEMO-IE-01``, ``province 25``, ``all``),
    ``label_th`` in Thai (``scope_th``; ``label`` when empty).
    """

    label: str
    factory_ids: frozenset[str] | None = None
    zone_id: str | None = None
    label_th: str = ""

    def scopes(self) -> dict[str, str]:
        """Name the selection in each language.

        Returns
        -------
        dict of str to str
            ``{"th": …, "en": …}``; the Thai name falls back to ``label``.
        """
        return {"th": self.label_th or self.label, "en": self.label}


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
        ``met`` (actual ≥ target), ``detail_th``/``detail_en`` in words
        (:mod:`ecogis.programme.words`), ``scope_th``/``scope_en`` the scope in words,
        ``evidence`` (the activity ids counted, ``;``-joined).
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


def _row(
    d: Deliverable,
    scope: str,
    scopes: dict[str, str],
    actual: float,
    detail: dict[str, str],
    evidence: list[str],
) -> dict:
    return {
        "deliverable": d.id,
        "scope": scope,
        "scope_th": scopes["th"],
        "scope_en": scopes["en"],
        "name_th": d.name_th,
        "name_en": d.name_en,
        "target": d.target,
        "actual": float(actual),
        "met": bool(actual >= d.target),
        "detail_th": detail["th"],
        "detail_en": detail["en"],
        "evidence": ";".join(evidence),
    }


def _joined(parts: list[dict[str, str]]) -> dict[str, str]:
    """Detail parts joined per language; "none recorded" when there are none."""
    if not parts:
        return both("none_recorded")
    return {lang: "; ".join(p[lang] for p in parts) for lang in LANGS}


def _acts(n: int) -> dict[str, str]:
    return both("acts_one" if n == 1 else "acts", n=n)


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
        part = {}
        for lang in LANGS:
            w = WORDS[lang]
            who = ""
            if d.min_participants:
                who = w["participants"].format(n=people) if people is not None else ""
                who = who or w["participants_unknown"]
            short = "" if enough else w["not_counted"].format(minimum=d.min_participants)
            part[lang] = f"{r.date} {r.activity_id}{who}{short}"
        parts.append(part)
    scope = both("scope_province", code=code)
    return _row(d, f"province {code}", scope, len(counted), _joined(parts), counted)


def _area_row(d: Deliverable, local: pd.DataFrame, att: pd.DataFrame, area: Area) -> dict:
    scopes = area.scopes()
    if d.measure == "reports":
        mine = local[local["kind"].isin(d.kinds)]
        has = mine[mine["report"].notna() & mine["report"].astype("string").str.strip().ne("")]
        if len(has):
            text = "; ".join(f"{r.activity_id}: {r.report}" for r in has.itertuples())
            detail = {lang: text for lang in LANGS}
        else:
            detail = both("no_report")
        evidence = list(has["activity_id"].astype(str))
        return _row(d, area.label, scopes, len(has), detail, evidence)
    mine = att[att["kind"].isin(d.kinds).fillna(False)]
    evidence = sorted(set(mine["activity_id"].astype(str)))
    acts = _acts(len(evidence))
    if d.measure == "factories":
        n = int(mine["factory_id"].nunique())
        detail = (
            {lang: WORDS[lang]["factories_at"].format(n=n, acts=acts[lang]) for lang in LANGS}
            if n
            else both("none_recorded")
        )
        return _row(d, area.label, scopes, n, detail, evidence)
    days = float(np.nansum(pd.to_numeric(mine["man_days"], errors="coerce")))
    n = int(
        mine.loc[
            pd.to_numeric(mine["man_days"], errors="coerce").fillna(0) > 0, "factory_id"
        ].nunique()
    )
    detail = (
        {
            lang: WORDS[lang]["man_days_for"].format(days=f"{days:g}", n=n, acts=acts[lang])
            for lang in LANGS
        }
        if n
        else both("none_recorded")
    )
    return _row(d, area.label, scopes, round(days, 2), detail, evidence)


def _database_row(d: Deliverable, database: pd.DataFrame | None, area: Area) -> dict:
    scopes = area.scopes()
    if database is None or database.empty:
        return _row(d, area.label, scopes, 0, both("no_factories"), [])
    complete = int(database["complete"].sum())
    detail = both(
        "database",
        complete=complete,
        total=len(database),
        compliance=int(database["compliance_complete"].sum()),
        mass_balance=int(database["mass_balance_complete"].sum()),
    )
    return _row(d, area.label, scopes, complete, detail, [])
