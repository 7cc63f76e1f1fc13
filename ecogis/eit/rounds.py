"""Assessment rounds: an area's indicator values on a date, stored, compared, levelled."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.eit.compute import COMPUTATIONS, AreaInputs, Result
from ecogis.eit.framework import IndicatorSet

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
    """The highest level the area reaches on one round's rows, with the reasoning.

    Level L is reached when levels 1 … L are each reached: among that level's indicators at
    least ``min_coverage`` have a value, and at least ``pass_share`` of those with both a
    value and a threshold meet it. Missing values never count as passes.

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
    reasons: list[str] = []
    by_id = rows.set_index("indicator_id")
    reached = 0
    for lvl in sorted({i.level for i in indicators.indicators}):
        ids = [i.id for i in indicators.indicators if i.level == lvl]
        vals = by_id.reindex(ids)
        have = vals["value"].notna()
        judged = have & vals["threshold"].notna()
        passed = vals["meets"].fillna(False).astype(bool) & judged
        coverage = have.mean() if len(ids) else 0.0
        share = passed.sum() / judged.sum() if judged.sum() else 0.0
        ok = (
            coverage >= indicators.min_coverage
            and judged.sum() > 0
            and share >= indicators.pass_share
        )
        reasons.append(
            f"level {lvl}: {int(passed.sum())}/{int(judged.sum())} judged indicators meet "
            f"(need {indicators.pass_share:.0%}), {int(have.sum())}/{len(ids)} have a value "
            f"(need {indicators.min_coverage:.0%}) → {'reached' if ok else 'not reached'}"
        )
        if not ok or lvl != reached + 1:
            break
        reached = lvl
    return reached, reasons


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
        the document given for it, so a change can be explained). The dict holds
        ``level_baseline``, ``level_followup``, their reasons, the dates and counts.
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
    summary: dict[str, Any] = {"area_id": area_id}
    for r, frame in rounds.items():
        if frame.empty:
            summary[f"level_{r}"] = None
            summary[f"date_{r}"] = None
            summary[f"reasons_{r}"] = [f"no {r} round stored"]
            continue
        lvl, reasons = area_level(frame, indicators)
        summary[f"level_{r}"] = lvl
        summary[f"date_{r}"] = str(frame["assessed_on"].iloc[0])
        summary[f"reasons_{r}"] = reasons
    summary["better"] = int((out["improvement"] == "better").sum())
    summary["worse"] = int((out["improvement"] == "worse").sum())
    summary["same"] = int((out["improvement"] == "same").sum())
    summary["missing"] = int((out["improvement"] == "").sum())
    return out, summary
