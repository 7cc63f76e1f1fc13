"""Assessment rounds: an area's indicator values on a date, stored, compared, levelled."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.eit.compute import COMPUTATIONS, AreaInputs, Result
from ecogis.eit.framework import IndicatorSet
from ecogis.eit.levels import level_gap, reached_level

ROUNDS: tuple[str, ...] = tuple(schema.contract("eit_assessments").values("round"))
"""The assessment rounds, in order (the ``round`` values of ``layers/eit_assessments.toml``)."""


def compute_round(
    inputs: AreaInputs,
    indicators: IndicatorSet,
    *,
    round_name: str,
    assessor: str | None = None,
    manual: pd.DataFrame | None = None,
    recorded_at: str | None = None,
) -> pd.DataFrame:
    """Every indicator's value for one area and round, as rows of ``eit_assessments``.

    Parameters
    ----------
    inputs
        The area's layers (see :class:`~ecogis.eit.compute.AreaInputs`).
    indicators
        The indicator set.
    round_name
        ``baseline`` or ``followup``.
    assessor
        Who assessed (a role or office, e.g. "DIW provincial office"; no private names).
    manual
        :func:`~ecogis.eit.compute.parse_manual_scores` output; a manual value replaces a
        computed one (the note keeps the computed value).
    recorded_at
        Timestamp stored with the round (now, UTC, by default).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, the fields of ``eit_assessments`` in contract order.
    """
    if round_name not in ROUNDS:
        raise ValueError(f"round must be one of {ROUNDS}, not {round_name!r}")
    stamp = recorded_at or datetime.now(UTC).isoformat(timespec="seconds")
    manual = manual if manual is not None else pd.DataFrame(columns=["value", "evidence", "note"])
    rows: list[dict[str, Any]] = []
    for ind in indicators.indicators:
        computed: Result | None = None
        if not ind.is_manual:
            computed = COMPUTATIONS[ind.computation](inputs)
        if ind.id in manual.index:
            m = manual.loc[ind.id]
            note = str(m["note"] or "")
            if computed is not None and computed.value is not None:
                note = (note + "; " if note else "") + f"replaces computed {computed.value:g}"
            value: float | None = float(m["value"])  # type: ignore[arg-type]
            method, evidence = "manual", str(m["evidence"])
        elif computed is not None:
            value, evidence, note = computed.value, computed.evidence, computed.note
            method = "computed" if value is not None else "missing"
        else:
            value, method, evidence = None, "missing", ""
            note = "manual indicator: enter it with --scores FILE (indicator_id,value,evidence)"
        rows.append(
            {
                "area_id": inputs.area_id,
                "area_kind": inputs.area_kind,
                "round": round_name,
                "assessed_on": inputs.as_of,
                "assessor": assessor,
                "indicator_id": ind.id,
                "name_th": ind.name_th,
                "name_en": ind.name_en,
                "dimension": ind.dimension,
                "level": ind.level,
                "unit": ind.unit,
                "direction": ind.direction,
                "threshold": ind.threshold,
                "value": value,
                "meets": ind.meets(value),
                "method": method,
                "evidence": evidence or None,
                "note": note or None,
                "catalogue_version": indicators.version,
                "recorded_at": stamp,
            }
        )
    out = schema.contract("eit_assessments").from_records(rows)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["threshold"] = pd.to_numeric(out["threshold"], errors="coerce").astype("float64")
    out["meets"] = out["meets"].astype("boolean")
    return out


def store_round(existing: pd.DataFrame | None, new_round: pd.DataFrame) -> pd.DataFrame:
    """``existing`` assessments with the rounds in ``new_round`` replaced (others untouched).

    Parameters
    ----------
    existing
        The stored ``eit_assessments`` rows, or ``None``.
    new_round
        :func:`compute_round` output.

    Returns
    -------
    pandas.DataFrame
        What to store.
    """
    if existing is None or existing.empty:
        return new_round.reset_index(drop=True)
    keys = set(zip(new_round["area_id"], new_round["round"], strict=True))
    keep = ~pd.Series(
        [(a, r) in keys for a, r in zip(existing["area_id"], existing["round"], strict=True)],
        index=existing.index,
    )
    kept = existing[keep]
    return (
        pd.concat([kept, new_round], ignore_index=True)
        if len(kept)
        else new_round.reset_index(drop=True)
    )


def area_level(rows: pd.DataFrame, indicators: IndicatorSet) -> tuple[int, list[str]]:
    """Find the highest level the area reaches on one round's rows, with the reasoning.

    The rule is the framework's (:func:`ecogis.eit.levels.reached_level`): level L is
    reached when levels 1 … L are each reached; a level is reached when at least
    ``min_coverage`` of its indicators have a value and at least ``pass_share`` of those with
    a value and a threshold at that level meet it. Missing values never count as passes.

    Parameters
    ----------
    rows
        One round of one area (``eit_assessments`` rows).
    indicators
        The indicator set (levels, ``min_coverage``, ``pass_share``).

    Returns
    -------
    (int, list of str)
        The level reached (0: none) and one line of reasoning per level judged.
    """
    return reached_level(round_values(rows), indicators)


def round_values(rows: pd.DataFrame) -> dict[str, float | None]:
    """Map indicator id → value of one round's rows (``None`` where missing).

    Parameters
    ----------
    rows : pandas.DataFrame
        ``eit_assessments`` rows of one area and round (``indicator_id``, ``value``).

    Returns
    -------
    dict of str to float or None
        Each indicator's value in its unit; ``None`` where the value is missing.
    """
    return {
        str(i): (None if pd.isna(v) else float(v))
        for i, v in zip(rows["indicator_id"], rows["value"], strict=True)
    }


def compare_rounds(
    assessments: pd.DataFrame, *, area_id: str, indicators: IndicatorSet
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Baseline vs follow-up of one area: per indicator and the overall level.

    Parameters
    ----------
    assessments
        The ``eit_assessments`` layer.
    area_id
        The area.
    indicators
        The indicator set (its order and ids).

    Returns
    -------
    (DataFrame, dict)
        Per indicator: ``indicator_id``, names, ``dimension``, ``level``, ``unit``,
        ``direction``, ``threshold``, ``baseline``, ``followup``, ``change`` (follow-up −
        baseline), ``improvement`` (``better``/``worse``/``same``/empty when a value is
        missing, direction-aware), ``meets_baseline``, ``meets_followup``,
        ``evidence_baseline``, ``evidence_followup`` (what each value was computed from or
        the document given for it, so a change can be explained), ``threshold_level2``
        (the framework's level-2 threshold). The dict holds ``level_baseline``,
        ``level_followup``, their reasons, the dates and counts, and ``to_level2``: the
        indicators that stand between the follow-up and level 2
        (:func:`ecogis.eit.levels.level_gap`).
    """
    mine = assessments[assessments["area_id"].astype("string") == area_id]
    rounds = {r: mine[mine["round"] == r] for r in ROUNDS}
    base = rounds["baseline"].set_index("indicator_id")
    foll = rounds["followup"].set_index("indicator_id")
    ids = [i for i in indicators.ids] + [
        i for i in pd.Index(base.index).union(foll.index) if i not in indicators.ids
    ]
    out = pd.DataFrame({"indicator_id": ids})
    meta = pd.concat([foll, base])
    meta = meta[~meta.index.duplicated()]
    for col in ("name_th", "name_en", "dimension", "level", "unit", "direction", "threshold"):
        out[col] = out["indicator_id"].map(meta[col]) if col in meta else pd.NA
    out["baseline"] = out["indicator_id"].map(base["value"]).astype("float64")
    out["followup"] = out["indicator_id"].map(foll["value"]).astype("float64")
    out["change"] = (out["followup"] - out["baseline"]).round(4)
    sign = np.where(out["direction"] == "lower", -1.0, 1.0) * out["change"]
    out["improvement"] = np.select(
        [out["change"].isna(), sign > 1e-9, sign < -1e-9], ["", "better", "worse"], "same"
    )
    out["meets_baseline"] = out["indicator_id"].map(base["meets"]).astype("boolean")
    out["meets_followup"] = out["indicator_id"].map(foll["meets"]).astype("boolean")
    for r, frame in (("baseline", base), ("followup", foll)):
        ev = frame["evidence"] if "evidence" in frame else pd.Series(dtype=object)
        out[f"evidence_{r}"] = out["indicator_id"].map(ev).astype(object)
    out["threshold_level2"] = [
        indicators.get(i).threshold_at(2) if i in indicators.ids else None
        for i in out["indicator_id"]
    ]
    out["threshold_level2"] = pd.to_numeric(out["threshold_level2"]).astype("float64")
    summary: dict[str, Any] = {"area_id": area_id, "to_level2": []}
    for r, frame in rounds.items():
        if frame.empty:
            summary[f"level_{r}"] = None
            summary[f"date_{r}"] = None
            summary[f"reasons_{r}"] = [f"no {r} round stored"]
            continue
        lvl, reasons = area_level(frame, indicators)
        if r == "followup":  # what still stands between the area and level 2
            summary["to_level2"] = [
                {"indicator_id": i, "level": lv, "why": why}
                for i, lv, why in level_gap(round_values(frame), indicators, level=2)
            ]
        summary[f"level_{r}"] = lvl
        summary[f"date_{r}"] = str(frame["assessed_on"].iloc[0])
        summary[f"reasons_{r}"] = reasons
    summary["better"] = int((out["improvement"] == "better").sum())
    summary["worse"] = int((out["improvement"] == "worse").sum())
    summary["same"] = int((out["improvement"] == "same").sum())
    summary["missing"] = int((out["improvement"] == "").sum())
    return out, summary
