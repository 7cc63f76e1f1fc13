"""The TOR database check: which factories have a complete compliance record and mass balance.

A factory's **compliance record** is complete when every requirement of the catalogue
that applies to it has a status (a record whose status is not ``unknown``). Whether a
legal duty applies (a licence for class 3 only, a waste report where there is waste …) is
the one compliance rule's (:func:`ecogis.compliance.factory_compliance`); a voluntary
certificate (ISO 14001, CSR-DIW …) applies to every factory: its status says yes or no.
Its **mass balance** is complete when ``material_flows`` lists each item of the targets'
``[[database.mass_balance]]`` (raw materials, energy and water in; products and waste out).
"""

from __future__ import annotations

import pandas as pd

from ecogis.compliance import Requirement, factory_compliance, records_sheet
from ecogis.programme.targets import MassBalanceItem
from ecogis.programme.words import words

DATABASE_COLUMNS = [
    "factory_id",
    "name_th",
    "name_en",
    "compliance_complete",
    "mass_balance_complete",
    "complete",
    "lacks_compliance",
    "lacks_mass_balance",
]


def database_check(
    factories: pd.DataFrame,
    records: pd.DataFrame | None,
    flows: pd.DataFrame | None,
    *,
    requirements: dict[str, Requirement],
    mass_balance: tuple[MassBalanceItem, ...],
    as_of: str,
) -> pd.DataFrame:
    """Per factory: whether its compliance record and mass balance are complete, and what lacks.

    Parameters
    ----------
    factories
        The factories to check (the area's), with ``factory_id`` (``name_th``/``name_en``,
        ``factory_class``, ``diw_type_main`` when present).
    records
        The ``compliance`` table (``None``: no records at all).
    flows
        The ``material_flows`` table (``None``: no mass balances at all).
    requirements
        The requirement catalogue.
    mass_balance
        What a complete mass balance lists (:attr:`TorTargets.mass_balance`).
    as_of
        Assessment date (ISO) for the compliance rule.

    Returns
    -------
    pandas.DataFrame
        Index of ``factories``; :data:`DATABASE_COLUMNS`. ``lacks_compliance`` holds the
        requirement ids without a status, ``lacks_mass_balance`` the item ids missing, each
        ``;``-joined (empty when complete).
    """
    ids = factories["factory_id"].astype("string")
    sheet = records_sheet(factories, records, requirements=requirements, as_of=as_of)
    unknown = sheet[sheet["status"] == "unknown"]
    status = factory_compliance(
        factories, records, requirements=requirements, as_of=as_of, flows=flows
    )
    # A legal duty lacks a status only where it applies: the rule lists it as missing.
    applies = {
        (fid, r)
        for fid, missing in zip(status["factory_id"], status["legal_missing"], strict=True)
        for r in str(missing).split(";")
        if r
    }
    lacking: dict[str, list[str]] = {str(f): [] for f in ids}
    for fid, rid in zip(unknown["factory_id"], unknown["requirement"], strict=True):
        req = requirements[str(rid)]
        if not req.mandatory or (fid, rid) in applies:
            lacking[str(fid)].append(str(rid))
    present: set[tuple[str, str, str]] = set()
    if flows is not None and len(flows):
        present = set(
            zip(
                flows["factory_id"].astype(str),
                flows["direction"].astype(str),
                flows["flow_kind"].astype(str),
                strict=True,
            )
        )
    missing_flows: dict[str, list[str]] = {}
    for fid in ids.astype(str):
        missing_flows[fid] = [
            item.id
            for item in mass_balance
            if not any((fid, item.direction, k) in present for k in item.flow_kinds)
        ]
    out = pd.DataFrame(index=factories.index)
    out["factory_id"] = ids
    for col in ("name_th", "name_en"):
        out[col] = factories[col].astype("string") if col in factories else pd.NA
    out["lacks_compliance"] = [";".join(lacking[str(f)]) for f in ids]
    out["lacks_mass_balance"] = [";".join(missing_flows[str(f)]) for f in ids]
    out["compliance_complete"] = out["lacks_compliance"].eq("")
    out["mass_balance_complete"] = out["lacks_mass_balance"].eq("")
    out["complete"] = out["compliance_complete"] & out["mass_balance_complete"]
    return out[DATABASE_COLUMNS]


def describe_lacks(
    row: pd.Series,
    *,
    requirements: dict[str, Requirement],
    mass_balance: tuple[MassBalanceItem, ...],
    lang: str = "th",
) -> str:
    """Describe what one factory of :func:`database_check` lacks, in words (``''`` when complete).

    Parameters
    ----------
    row : pandas.Series
        One row of :func:`database_check` (``lacks_compliance``, ``lacks_mass_balance``:
        ``;``-joined ids).
    requirements : dict of str to Requirement
        The requirement catalogue by id, for the requirement names.
    mass_balance : tuple of MassBalanceItem
        The TOR's mass-balance items, for their names (an unknown id is shown as is).
    lang : str
        ``th`` (default) or ``en``.

    Returns
    -------
    str
        E.g. ``no status: …; mass balance lacks: …``; ``''`` when the factory lacks nothing.

    Raises
    ------
    KeyError
        If ``lacks_compliance`` names a requirement not in ``requirements``.
    """
    items = {i.id: (i.name_th if lang == "th" else i.name_en) for i in mass_balance}
    parts = []
    reqs = [r for r in str(row["lacks_compliance"]).split(";") if r]
    if reqs:
        names = [requirements[r].name_th if lang == "th" else requirements[r].name_en for r in reqs]
        head = words(lang)["lacks_status"]
        parts.append(f"{head}: {', '.join(names)}")
    flows = [items.get(f, f) for f in str(row["lacks_mass_balance"]).split(";") if f]
    if flows:
        head = words(lang)["lacks_flows"]
        parts.append(f"{head}: {', '.join(flows)}")
    return "; ".join(parts)
