"""The level rule, as data: which level an area reaches, and what stands in the way.

An area reaches level L when every level up to L is reached (``cumulative`` in the
framework's ``[rule]``); a level is reached when at least ``min_coverage`` of its
indicators have a value and at least ``pass_share`` of those with a value and a threshold
at that level meet it. Missing values never count as passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ecogis.eit.framework import IndicatorSet


@dataclass(frozen=True)
class LevelCheck:
    """How one level fares on a round's values."""

    level: int
    judged: int
    passed: int
    have: int
    total: int
    reached: bool
    failing: tuple[str, ...]  # judged and not met
    missing: tuple[str, ...]  # no value


def check_level(
    values: Mapping[str, float | None], indicators: IndicatorSet, level: int
) -> LevelCheck:
    """One level of the rule: coverage, the judged indicators that pass, and which fail.

    Parameters
    ----------
    values : Mapping of str to float or None
        Indicator id → value of one round (``None`` or NaN: no value).
    indicators : IndicatorSet
        The framework (``min_coverage`` and ``pass_share`` are shares 0–1).
    level : int
        The level 1–5 to check.

    Returns
    -------
    LevelCheck
        Counts of the level's indicators (``total``), those with a value (``have``), those
        with a value and a threshold (``judged``) and those meeting it (``passed``);
        ``reached``; the ids failing and missing.
    """
    ids = [i for i in indicators.indicators if i.judged_at(level)]
    have = [i for i in ids if values.get(i.id) is not None and values.get(i.id) == values.get(i.id)]
    judged = [i for i in have if i.threshold_at(level) is not None]
    passed = [i for i in judged if i.meets(values[i.id], level)]
    coverage = len(have) / len(ids) if ids else 0.0
    share = len(passed) / len(judged) if judged else 0.0
    ok = (
        bool(ids)
        and coverage >= indicators.min_coverage
        and bool(judged)
        and share >= indicators.pass_share
    )
    return LevelCheck(
        level=level,
        judged=len(judged),
        passed=len(passed),
        have=len(have),
        total=len(ids),
        reached=ok,
        failing=tuple(i.id for i in judged if i not in passed),
        missing=tuple(i.id for i in ids if i not in have),
    )


def reached_level(
    values: Mapping[str, float | None], indicators: IndicatorSet
) -> tuple[int, list[str]]:
    """Find the highest level the values reach under the framework's rule, with the reasoning.

    Parameters
    ----------
    values : Mapping of str to float or None
        Indicator id → value of one round (``None`` or NaN: no value).
    indicators : IndicatorSet
        The framework and its level rule (``cumulative``: a level counts only when every
        level below it is reached).

    Returns
    -------
    (int, list of str)
        The level reached (0: none) and one line of reasoning per level checked.
    """
    reasons: list[str] = []
    reached = 0
    levels = sorted({lv for i in indicators.indicators for lv in (i.thresholds or {i.level: 0})})
    for lvl in levels:
        c = check_level(values, indicators, lvl)
        reasons.append(
            f"level {lvl}: {c.passed}/{c.judged} judged indicators meet "
            f"(need {indicators.pass_share:.0%}), {c.have}/{c.total} have a value "
            f"(need {indicators.min_coverage:.0%}) → {'reached' if c.reached else 'not reached'}"
        )
        if c.reached and lvl == reached + 1:
            reached = lvl
        elif indicators.cumulative:
            break
    return reached, reasons


def level_gap(
    values: Mapping[str, float | None], indicators: IndicatorSet, *, level: int = 2
) -> list[tuple[str, int, str]]:
    """List the indicators that stand between the values and ``level``.

    Parameters
    ----------
    values : Mapping of str to float or None
        Indicator id → value of one round (``None`` or NaN: no value).
    indicators : IndicatorSet
        The framework.
    level : int
        The level 1–5 aimed at; default 2 (Enhancement).

    Returns
    -------
    list of (indicator id, level, why)
        For each level up to ``level`` that is not reached: its judged indicators that miss
        their threshold (``below threshold``) and those without a value (``no value``).
        Empty when ``level`` is reached.
    """
    out: list[tuple[str, int, str]] = []
    for lvl in range(1, level + 1):
        c = check_level(values, indicators, lvl)
        if c.reached:
            continue
        out += [(i, lvl, "below threshold") for i in c.failing]
        out += [(i, lvl, "no value") for i in c.missing]
    return out
