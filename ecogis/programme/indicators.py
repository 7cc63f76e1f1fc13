"""Indicators that follow from the activity ledger, with the activities as evidence.

Committee meetings per year, emergency drills held with the communities, and the share of
the area's factories trained were manual indicators (an assessor typed a number and named
a document). With the ledger in the workspace they are counted from it, on the assessment
date, and their evidence lists the activities counted. The functions take plain frames
and return ``(value, evidence, note)``; :mod:`ecogis.eit.compute` wraps them as
computations of the indicator framework.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

LedgerValue = tuple[float | None, str, str]
"""(value, evidence, note): ``value`` ``None`` when the ledger cannot say."""

NO_LEDGER = (
    "no activity ledger — import sign-in sheets and consulting logs with "
    "'ecogis import activities FILE', or give the value with --scores"
)


def _year_before(as_of: str) -> str:
    """Return the first day of the 12 months that end on ``as_of`` (ISO)."""
    return (date.fromisoformat(as_of) - timedelta(days=365)).isoformat()


def _list(ids: pd.Series, limit: int = 6) -> str:
    shown = [str(i) for i in ids.head(limit)]
    more = len(ids) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _of_area(
    activities: pd.DataFrame,
    attendance: pd.DataFrame | None,
    *,
    factory_ids: set[str],
    zone_id: str | None,
) -> pd.DataFrame:
    """Select the activities held for the area's zone or attended by one of its factories."""
    mine = pd.Series(False, index=activities.index)
    if zone_id is not None:
        mine |= activities["zone_id"].eq(zone_id).fillna(False)
    if attendance is not None and len(attendance):
        with_ours = set(attendance.loc[attendance["factory_id"].isin(factory_ids), "activity_id"])
        mine |= activities["activity_id"].isin(with_ours)
    return activities[mine]


def committee_meetings_per_year(
    activities: pd.DataFrame | None, *, pro_codes: set[str], as_of: str
) -> LedgerValue:
    """Committee meetings of the area's province(s) in the 12 months up to ``as_of``.

    Parameters
    ----------
    activities : pandas.DataFrame or None
        The ``activities`` ledger (``kind``, ``pro_code``, ``date`` ISO, ``activity_id``);
        ``None`` when the workspace has none.
    pro_codes : set of str
        Province codes of the area (``25`` Prachin Buri …).
    as_of : str
        The assessment date, ISO ``YYYY-MM-DD``; the window is the 365 days up to it.

    Returns
    -------
    LedgerValue
        (count of ``committee_meeting`` activities, evidence listing them, note); the
        value is ``None`` without a ledger.
    """
    if activities is None:
        return None, "", NO_LEDGER
    start = _year_before(as_of)
    held = activities[
        activities["kind"].eq("committee_meeting")
        & activities["pro_code"].isin(pro_codes)
        & (activities["date"] > start)
        & (activities["date"] <= as_of)
    ].sort_values("date")
    evidence = (
        f"{len(held)} committee meetings {start}…{as_of}: {_list(held['activity_id'])}"
        if len(held)
        else f"no committee meeting recorded {start}…{as_of}"
    )
    return float(len(held)), evidence, ""


def emergency_drills_with_communities(
    activities: pd.DataFrame | None,
    attendance: pd.DataFrame | None,
    *,
    factory_ids: set[str],
    zone_id: str | None,
    as_of: str,
) -> LedgerValue:
    """Emergency drills of the area held with communities, 12 months up to ``as_of``.

    A drill counts when the ledger names the communities that took part.

    Parameters
    ----------
    activities : pandas.DataFrame or None
        The ``activities`` ledger; ``None`` when the workspace has none.
    attendance : pandas.DataFrame or None
        ``activity_factories`` (which factory attended which activity), or ``None``.
    factory_ids : set of str
        The area's factories: a drill one of them attended is the area's.
    zone_id : str or None
        The area's zone: a drill held for it is the area's; ``None`` for a province area.
    as_of : str
        The assessment date, ISO ``YYYY-MM-DD``; the window is the 365 days up to it.

    Returns
    -------
    LedgerValue
        (count of drills with communities, evidence listing them and the communities, note
        on drills without communities named); the value is ``None`` without a ledger.
    """
    if activities is None:
        return None, "", NO_LEDGER
    start = _year_before(as_of)
    mine = _of_area(activities, attendance, factory_ids=factory_ids, zone_id=zone_id)
    drills = mine[
        mine["kind"].eq("emergency_drill") & (mine["date"] > start) & (mine["date"] <= as_of)
    ]
    with_people = drills[drills["communities"].astype("string").str.strip().fillna("").ne("")]
    note = (
        f"{len(drills) - len(with_people)} drill(s) without communities named, not counted"
        if len(drills) > len(with_people)
        else ""
    )
    evidence = (
        f"{len(with_people)} drills with communities {start}…{as_of}: "
        + "; ".join(f"{r.activity_id} ({r.communities})" for r in with_people.itertuples())
        if len(with_people)
        else f"no drill with communities recorded {start}…{as_of}"
    )
    return float(len(with_people)), evidence, note


def factories_trained_share(
    activities: pd.DataFrame | None,
    attendance: pd.DataFrame | None,
    *,
    factory_ids: set[str],
    as_of: str,
) -> LedgerValue:
    """Percent of the area's factories that attended a training up to ``as_of``.

    Parameters
    ----------
    activities : pandas.DataFrame or None
        The ``activities`` ledger; ``None`` when the workspace has none.
    attendance : pandas.DataFrame or None
        ``activity_factories``; ``None`` when the workspace has none.
    factory_ids : set of str
        The area's factories (the denominator).
    as_of : str
        The assessment date, ISO ``YYYY-MM-DD``: trainings on or before it count.

    Returns
    -------
    LedgerValue
        (percent 0–100 of ``factory_ids`` at a ``training``, evidence, note); the value is
        ``None`` without a ledger or attendance, or without factories.
    """
    if activities is None or attendance is None:
        return None, "", NO_LEDGER
    if not factory_ids:
        return None, "", "no factories in the area"
    trainings = activities[activities["kind"].eq("training") & (activities["date"] <= as_of)]
    came = attendance[
        attendance["activity_id"].isin(set(trainings["activity_id"]))
        & attendance["factory_id"].isin(factory_ids)
    ]
    n = int(came["factory_id"].nunique())
    evidence = (
        f"{n} of {len(factory_ids)} factories trained by {as_of} at "
        f"{_list(pd.Series(sorted(set(came['activity_id']))))}"
        if n
        else f"no factory of the area trained by {as_of}"
    )
    return round(100.0 * n / len(factory_ids), 2), evidence, ""
