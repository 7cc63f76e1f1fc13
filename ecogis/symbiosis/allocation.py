"""Allocation: which candidate exchanges to make, within supply and receiver capacity.

The transportation linear programme (DOMAIN.md §6)::

    maximise    Σ_c w_c · x_c
    subject to  Σ_{c ∈ stream i} x_c ≤ S_i          (what is not sent, u_i, stays unallocated)
                Σ_{c ∈ node j}   x_c ≤ Cap_j        (receiver j's capacity for that material)
                x_c ≥ 0

``w_c = g_c · v_c``: ``v_c`` is the net benefit per unit (THB), the mass per unit (tonnes
diverted) or the net CO2e avoided per unit, by objective, and ``g_c`` the confidence of the
candidate's evidence grade (default A 1.0, B 0.6, C 0.3: a receiver that declares the
material in its own mass balance is far more likely to take it than one whose industry
merely could). The LP thus maximises the *expected* benefit; pass ``grade_confidence=
UNWEIGHTED`` for the plain figures. Only candidates with ``w_c > 0`` enter: an exchange
that loses money or CO2e is never forced. Solved with SciPy's HiGHS on a sparse matrix.
:func:`greedy_allocate` is the common first-come approach (best candidate first), kept as
the baseline the benchmark and tests compare against.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from ecogis.errors import EcogisError

OBJECTIVES = ("benefit", "tonnes", "co2e")
DEFAULT_GRADE_CONFIDENCE: dict[str, float] = {"A": 1.0, "B": 0.6, "C": 0.3}
"""Chance that an exchange of each evidence grade happens, used to weight the objective."""
UNWEIGHTED: dict[str, float] = {"A": 1.0, "B": 1.0, "C": 1.0}
"""Grade confidences that leave the objective as the plain benefit, tonnes or CO2e."""
_WEIGHT_COLUMN = {
    "benefit": "benefit_thb_per_unit",
    "tonnes": "mass_t_per_unit",
    "co2e": "net_co2e_kg_per_unit",
}


def parse_grade_confidence(text: str) -> dict[str, float]:
    """Read grade confidences written as ``A=1,B=0.6,C=0.3`` or ``1,0.6,0.3``.

    Parameters
    ----------
    text
        Comma-separated values in 0–1, each ``GRADE=value`` or, by position, a bare value
        for A, B, C in turn; a grade not written keeps its default.

    Returns
    -------
    dict of str to float
        Confidence (0–1, no unit) for each of ``A``, ``B``, ``C``.

    Raises
    ------
    EcogisError
        If a value is not a number in 0–1 or a grade is not A, B or C.
    """
    fix = "write three numbers in 0–1 for grades A, B, C, e.g. A=1,B=0.6,C=0.3 (1,1,1 = off)"
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out = dict(DEFAULT_GRADE_CONFIDENCE)
    for i, part in enumerate(parts):
        grade, _, value = part.rpartition("=")
        grade = grade.strip().upper() or ("ABC"[i] if i < 3 else "?")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if grade not in out or not 0.0 <= number <= 1.0:
            raise EcogisError(f"grade confidence {part!r} is not understood", fix=fix)
        out[grade] = number
    return out


def grade_weights(
    candidates: pd.DataFrame, grade_confidence: Mapping[str, float] | None = None
) -> np.ndarray:
    """Confidence of each candidate's evidence grade (1 where the table has no grade).

    Parameters
    ----------
    candidates
        The candidate table, with a ``grade`` column (``A``/``B``/``C``) when graded.
    grade_confidence
        Weight per grade; ``None`` (the default) uses :data:`DEFAULT_GRADE_CONFIDENCE`.

    Returns
    -------
    numpy.ndarray
        float64, one confidence (0–1, no unit) per candidate row; 1 for a grade the mapping
        does not name, or for every row when the table has no ``grade`` column.
    """
    conf = DEFAULT_GRADE_CONFIDENCE if grade_confidence is None else grade_confidence
    if "grade" not in candidates:
        return np.ones(len(candidates))
    mapped = candidates["grade"].map(dict(conf)).astype(float)
    return mapped.fillna(1.0).to_numpy()


def objective_weights(
    candidates: pd.DataFrame,
    objective: str,
    *,
    grade_confidence: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Per-unit weight of each candidate: grade confidence × THB, t or kg CO2e per unit.

    Parameters
    ----------
    candidates
        The candidate table, with ``benefit_thb_per_unit``, ``mass_t_per_unit`` or
        ``net_co2e_kg_per_unit`` (as ``objective`` needs) and optionally ``grade``.
    objective
        ``benefit`` (THB per unit), ``tonnes`` (t per unit) or ``co2e`` (kg CO2e avoided
        per unit).
    grade_confidence
        Weight per grade (default :data:`DEFAULT_GRADE_CONFIDENCE`; :data:`UNWEIGHTED`
        gives the plain per-unit figure).

    Returns
    -------
    numpy.ndarray
        float64, one weight per candidate row, in the objective's unit per unit of the
        stream (a missing figure counts 0).

    Raises
    ------
    EcogisError
        If the objective is not ``benefit``, ``tonnes`` or ``co2e``.
    """
    if objective not in OBJECTIVES:
        raise EcogisError(
            f"unknown objective {objective!r}", fix=f"use one of {', '.join(OBJECTIVES)}"
        )
    plain = candidates[_WEIGHT_COLUMN[objective]].astype(float).fillna(0.0).to_numpy()
    return plain * grade_weights(candidates, grade_confidence)


def _problem(
    candidates: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stream and capacity-node indices of each candidate, with supplies and capacities."""
    s_codes, s_uniques = pd.factorize(candidates["stream_id"])
    n_codes, n_uniques = pd.factorize(candidates["capacity_node"])
    supply = _max_by(candidates["supply"], s_codes, len(s_uniques))
    # A node's capacity is the best-founded figure any of its candidates carries (declared
    # inputs come before estimates, and are larger or equal by construction).
    cap = _max_by(candidates["capacity"], n_codes, len(n_uniques))
    return s_codes, n_codes, supply, cap


def _max_by(values: pd.Series, codes: np.ndarray, n: int) -> np.ndarray:
    """Largest value per group code 0…n−1."""
    grouped = pd.Series(values.to_numpy(dtype=float)).groupby(codes).max()
    return grouped.reindex(range(n)).to_numpy()


def allocate(
    candidates: pd.DataFrame,
    *,
    objective: str = "benefit",
    grade_confidence: Mapping[str, float] | None = None,
) -> pd.Series:
    """Choose the exchanges that maximise the objective (linear programme, HiGHS).

    Parameters
    ----------
    candidates
        The candidate table from :func:`~ecogis.symbiosis.candidates.find_candidates`
        (needs ``stream_id``, ``capacity_node``, ``supply``, ``capacity`` and the per-unit
        weight columns).
    objective
        ``benefit`` (THB/yr, default), ``tonnes`` (t/yr diverted) or ``co2e`` (kg CO2e/yr avoided).
    grade_confidence
        Weight per evidence grade (default A 1.0, B 0.6, C 0.3; :data:`UNWEIGHTED` = none):
        the LP maximises the expected value of the objective.

    Returns
    -------
    pandas.Series
        Quantity allocated to each candidate (stream's canonical unit per year), aligned
        with ``candidates.index``; 0 where not chosen.

    Raises
    ------
    EcogisError
        If the objective is unknown or the solver fails.
    """
    w = objective_weights(candidates, objective, grade_confidence=grade_confidence)
    result = pd.Series(0.0, index=candidates.index, name="allocated")
    use = np.flatnonzero(w > 0)
    if len(use) == 0:
        return result
    s_codes, n_codes, supply, cap = _problem(candidates)
    n_s, n_n, n_x = len(supply), len(cap), len(use)
    cols = np.arange(n_x)
    rows = np.concatenate([s_codes[use], n_s + n_codes[use]])
    a_ub = sparse.csr_matrix(
        (np.ones(2 * n_x), (rows, np.concatenate([cols, cols]))), shape=(n_s + n_n, n_x)
    )
    b_ub = np.concatenate([supply, cap])
    # Scale the objective so HiGHS sees numbers near 1 whatever the currency or unit.
    scale = float(np.max(np.abs(w[use]))) or 1.0
    res = linprog(-w[use] / scale, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    if res.status != 0 or res.x is None:
        raise EcogisError(
            f"the allocation solver stopped: {res.message}",
            fix="check for candidates with non-finite supply or capacity",
        )
    x = np.clip(res.x, 0.0, None)
    x[x < 1e-9 * max(1.0, float(np.max(b_ub)))] = 0.0
    result.iloc[use] = x
    return result


def greedy_allocate(
    candidates: pd.DataFrame,
    *,
    objective: str = "benefit",
    grade_confidence: Mapping[str, float] | None = None,
) -> pd.Series:
    """Allocate the common way: take candidates best weight first, each as much as still fits.

    Used as the baseline :func:`allocate` is compared with.

    Parameters
    ----------
    candidates
        As for :func:`allocate`.
    objective
        ``benefit`` (THB/yr, default), ``tonnes`` (t/yr diverted) or ``co2e`` (kg CO2e/yr).
    grade_confidence
        Weight per evidence grade (default A 1.0, B 0.6, C 0.3).

    Returns
    -------
    pandas.Series
        Quantity allocated to each candidate (stream's canonical unit per year), aligned
        with ``candidates.index``; 0 where not chosen.

    Raises
    ------
    EcogisError
        If the objective is unknown.
    """
    w = objective_weights(candidates, objective, grade_confidence=grade_confidence)
    s_codes, n_codes, supply, cap = _problem(candidates)
    left_s, left_c = supply.copy(), cap.copy()
    x = np.zeros(len(candidates))
    for c in np.argsort(-w, kind="stable"):
        if w[c] <= 0:
            break
        q = min(left_s[s_codes[c]], left_c[n_codes[c]])
        if q > 0:
            x[c] = q
            left_s[s_codes[c]] -= q
            left_c[n_codes[c]] -= q
    return pd.Series(x, index=candidates.index, name="allocated")


def objective_value(
    candidates: pd.DataFrame,
    allocated: pd.Series,
    *,
    objective: str = "benefit",
    grade_confidence: Mapping[str, float] | None = None,
) -> float:
    """Σ w·x of an allocation under an objective (THB, t or kg CO2e per year).

    With the default grade confidences this is the expected value the LP maximises; with
    :data:`UNWEIGHTED` the plain total.

    Parameters
    ----------
    candidates
        The candidate table the allocation was made on.
    allocated
        Quantity per candidate (stream's canonical unit per year), aligned with
        ``candidates`` (from :func:`allocate` or :func:`greedy_allocate`).
    objective
        ``benefit`` (default), ``tonnes`` or ``co2e``.
    grade_confidence
        Weight per evidence grade (default A 1.0, B 0.6, C 0.3).

    Returns
    -------
    float
        THB/yr, t/yr or kg CO2e/yr, by objective.

    Raises
    ------
    EcogisError
        If the objective is unknown.
    """
    w = objective_weights(candidates, objective, grade_confidence=grade_confidence)
    return float(np.dot(w, allocated.to_numpy(dtype=float)))
