"""Each factory's compliance at an assessment round, kept so a later report can compare.

The compliance table holds the records as they are now (an import replaces a record), so
the state of a factory on the baseline date cannot be read back from it a year later.
Each ``ecogis assess`` round therefore stores the one compliance rule's verdict per
factory of the area (``eit_factory_status``); :func:`factory_changes` compares two rounds.
"""

from __future__ import annotations

import pandas as pd

from ecogis import schema

LAYER = "eit_factory_status"
SYSTEMS = ("has_environmental_management", "has_safety_management", "has_csr")
"""The management systems whose gain or loss the upgrade report names, per factory."""


def factory_status_rows(
    status: pd.DataFrame, *, area_id: str, round_name: str, assessed_on: str
) -> pd.DataFrame:
    """Rows of ``eit_factory_status`` from :func:`ecogis.compliance.factory_compliance`.

    Parameters
    ----------
    status : pandas.DataFrame
        :func:`ecogis.compliance.factory_compliance` output for the area's factories;
        contract fields it lacks are left empty.
    area_id : str
        The assessed area.
    round_name : str
        ``baseline`` or ``followup``.
    assessed_on : str
        The round's date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    pandas.DataFrame
        One row per factory with the fields of ``layers/eit_factory_status.toml``, typed
        by the contract.
    """
    contract = schema.contract(LAYER)
    out = pd.DataFrame(index=range(len(status)))
    for name in contract.field_names:
        out[name] = status[name].to_numpy() if name in status else pd.NA
    out["area_id"] = area_id
    out["round"] = round_name
    out["assessed_on"] = assessed_on
    return schema.coerce_dtypes(out, contract)


def store_factory_status(existing: pd.DataFrame | None, rows: pd.DataFrame) -> pd.DataFrame:
    """``existing`` with the (area, round) of ``rows`` replaced; other rounds stay.

    Parameters
    ----------
    existing : pandas.DataFrame or None
        The stored ``eit_factory_status`` rows, or ``None`` when there are none.
    rows : pandas.DataFrame
        :func:`factory_status_rows` output.

    Returns
    -------
    pandas.DataFrame
        What to store (index reset).
    """
    if existing is None or existing.empty:
        return rows.reset_index(drop=True)
    keys = set(zip(rows["area_id"], rows["round"], strict=True))
    same = pd.Series(
        [(a, r) in keys for a, r in zip(existing["area_id"], existing["round"], strict=True)],
        index=existing.index,
    )
    kept = existing[~same]
    return pd.concat([kept, rows], ignore_index=True) if len(kept) else rows.reset_index(drop=True)


def factory_changes(snapshots: pd.DataFrame, *, area_id: str) -> pd.DataFrame:
    """Per factory of the area: its status at baseline and follow-up and what changed.

    Parameters
    ----------
    snapshots : pandas.DataFrame
        The ``eit_factory_status`` layer.
    area_id : str
        The area; only factories stored at both rounds are compared.

    Returns
    -------
    pandas.DataFrame
        ``factory_id``, ``gained`` and ``lost`` (``;``-joined names of the
        :data:`SYSTEMS` the factory gained or lost), ``resolved`` (legal items missing
        or expired at baseline and no longer at follow-up), ``new_issues`` (the other
        way round), ``gi_baseline``, ``gi_followup``, and the systems at both rounds
        (``<system>_baseline`` …). Empty when either round is not stored.
    """
    mine = snapshots[snapshots["area_id"].astype("string") == area_id]
    base = mine[mine["round"] == "baseline"].set_index("factory_id")
    foll = mine[mine["round"] == "followup"].set_index("factory_id")
    if base.empty or foll.empty:
        return pd.DataFrame(columns=["factory_id", "gained", "lost", "resolved", "new_issues"])
    ids = [f for f in foll.index if f in base.index]
    rows = []
    for fid in ids:
        b, f = base.loc[fid], foll.loc[fid]
        gained = [s for s in SYSTEMS if bool(f[s]) and not bool(b[s])]
        lost = [s for s in SYSTEMS if bool(b[s]) and not bool(f[s])]

        def items(row: pd.Series) -> set[str]:
            text = f"{row['legal_missing'] or ''};{row['expired'] or ''}"
            return {x for x in text.split(";") if x and x != "<NA>"}

        gi_b = str(b["gi_level"] or "") if pd.notna(b["gi_level"]) else ""
        gi_f = str(f["gi_level"] or "") if pd.notna(f["gi_level"]) else ""
        rows.append(
            {
                "factory_id": fid,
                "gained": ";".join(gained),
                "lost": ";".join(lost),
                "resolved": ";".join(sorted(items(b) - items(f))),
                "new_issues": ";".join(sorted(items(f) - items(b))),
                "gi_baseline": gi_b,
                "gi_followup": gi_f,
                **{f"{s}_baseline": bool(b[s]) for s in SYSTEMS},
                **{f"{s}_followup": bool(f[s]) for s in SYSTEMS},
            }
        )
    return pd.DataFrame(rows)
