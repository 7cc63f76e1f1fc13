"""EJScreen-style proximity scores and population-weighted group scores.

The score of a receptor (a village, school, temple …) is, after US EPA's EJScreen
proximity indicators (RMP, TSDF and NPL proximity; DOMAIN.md §5)::

    S = Σ_f  w_f / d_f            d_f in kilometres, over the sources f with d_f ≤ radius

and, when no source lies within the radius, the nearest source alone counts. The distance
is floored, so that a source on top of a receptor gives a finite score: at ``min_distance_m``
when given, else at ``0.9·√(A/π)`` where ``A`` (m²) is the receptor's area — EPA's choice,
about the mean distance from the centre of a disc of that area to its points. EPA sets
every ``w = 1``; ecogis weights sources by hazard (:mod:`ecogis.risk`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from pyproj import CRS
from scipy.spatial import cKDTree

from ecogis.crs import is_metric, metric_crs
from ecogis.errors import DataValidationError
from ecogis.risk._geom import (
    anchor_points,
    label_of,
    numeric_column,
    pairs_within,
    require_columns,
    require_layer,
)

_NON_DISTANCE_METRIC = {3857, 900913, 3395}  # Mercator: metres, but 3 % long at 14°N


def choose_metric_crs(receptors: gpd.GeoDataFrame, sources: gpd.GeoDataFrame) -> CRS:
    """Choose the CRS both layers are measured in.

    Layers already in one projected CRS in metres are used as they are (not reprojected);
    when only one of them is in metres its CRS is used for both; otherwise the UTM zone of
    their joint extent (:func:`ecogis.crs.metric_crs`). Web Mercator is never used to measure.

    Parameters
    ----------
    receptors, sources
        The two layers, each with a CRS.

    Returns
    -------
    pyproj.CRS
        A projected CRS in metres: the receptors' when usable, else the sources', else
        EPSG:32647 or 32648.
    """
    candidates = [CRS.from_user_input(f.crs) for f in (receptors, sources)]
    usable = [c for c in candidates if is_metric(c) and c.to_epsg() not in _NON_DISTANCE_METRIC]
    if usable:
        return usable[0]
    return metric_crs([receptors.to_crs(4326), sources.to_crs(4326)])


def _in(frame: gpd.GeoDataFrame, crs: CRS) -> gpd.GeoDataFrame:
    return frame if CRS.from_user_input(frame.crs) == crs else frame.to_crs(crs)


def distance_floor_m(
    receptors: gpd.GeoDataFrame,
    metric: gpd.GeoSeries,
    *,
    min_distance_m: float | None,
    area_col: str | None,
    name: str = "receptors",
    key: str | None = None,
) -> npt.NDArray[np.float64]:
    """Each receptor's distance floor in metres (see the module docstring).

    ``min_distance_m`` wins when given; else ``0.9·√(area/π)`` with the area in m² from
    ``area_col`` or from the receptor's own polygon (a point has area 0, hence floor 0).

    Parameters
    ----------
    receptors
        The receptor layer (for ``area_col``).
    metric
        The receptors' geometries in a metric CRS (their areas in m² are used when neither
        ``min_distance_m`` nor ``area_col`` is given).
    min_distance_m
        One floor in metres for every receptor, or ``None``.
    area_col
        A column of ``receptors`` with each receptor's area in m², or ``None``.
    name
        The layer's name, cited as the error's source (default ``"receptors"``).
    key
        The business-key column that names a bad row.

    Returns
    -------
    numpy.ndarray
        float64, one floor in metres per receptor.

    Raises
    ------
    DataValidationError
        If ``min_distance_m`` is not a finite distance ≥ 0, or ``area_col`` is missing,
        not numeric, empty or negative in a row.
    """
    if min_distance_m is not None:
        if not np.isfinite(min_distance_m) or min_distance_m < 0:
            raise DataValidationError(
                f"min_distance_m {min_distance_m} is not a distance ≥ 0",
                fix="give the floor in metres, e.g. 100",
            )
        return np.full(len(receptors), float(min_distance_m))
    if area_col is not None:
        area = numeric_column(receptors, area_col, name, key=key, what="area (m²)", allow_nan=False)
    else:
        area = np.asarray(metric.area, dtype="float64")
    return 0.9 * np.sqrt(area / np.pi)


def proximity_scores(
    receptors: gpd.GeoDataFrame,
    sources: gpd.GeoDataFrame,
    *,
    radius_m: float = 5000.0,
    min_distance_m: float | None = None,
    area_col: str | None = None,
    weight_col: str | None = None,
) -> gpd.GeoDataFrame:
    """EJScreen-style proximity score of each receptor to weighted sources.

    Parameters
    ----------
    receptors
        Points or polygons (villages, schools, …) in any CRS (a GeoSeries is accepted and
        returned as a GeoDataFrame). A polygon is measured from
        its centroid (from a point on its surface when the centroid falls outside it).
    sources
        Points (factories) in any CRS; a polygon is reduced the same way. Unplaced sources
        (empty geometry) are an error: drop them first.
    radius_m
        Search radius in metres; a source at exactly ``radius_m`` counts.
    min_distance_m
        Distance floor in metres for every receptor. ``None`` uses ``0.9·√(area/π)``.
    area_col
        Column of ``receptors`` with each receptor's area in m² for the floor (when
        ``min_distance_m`` is ``None``); without it the polygon's own area is used, and a
        point has floor 0 — a source at distance 0 from such a point raises, because its
        score would be infinite.
    weight_col
        Column of ``sources`` with weights ≥ 0 (``None``: every weight is 1, as EJScreen).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``receptors`` (same index, CRS and geometry) with ``prox_score``
        (Σ weight / km), ``n_within`` (sources within the radius, whatever their weight),
        ``nearest_m`` (metres to the nearest source), ``nearest_id`` (its ``factory_id``
        when ``sources`` has that column, else its index label) and ``floor_m``.

    Raises
    ------
    DataValidationError
        Empty layers, missing geometries, NaN / negative / non-numeric weights or areas, a
        radius ≤ 0, or a zero distance with no floor.
    CRSError
        A layer without a CRS.
    """
    if isinstance(receptors, gpd.GeoSeries):
        receptors = gpd.GeoDataFrame(geometry=receptors)
    if isinstance(sources, gpd.GeoSeries):
        sources = gpd.GeoDataFrame(geometry=sources)
    require_layer(receptors, "receptors")
    require_layer(sources, "sources", key="factory_id")
    if not np.isfinite(radius_m) or radius_m <= 0:
        raise DataValidationError(
            f"radius_m {radius_m} is not a distance > 0", fix="give the radius in metres, e.g. 5000"
        )
    if weight_col is None:
        weights = np.ones(len(sources))
    else:
        weights = numeric_column(
            sources, weight_col, "sources", key="factory_id", what="weight", allow_nan=False
        )
    crs = choose_metric_crs(receptors, sources)
    rec_m = _in(receptors, crs).geometry
    src_m = _in(sources, crs).geometry
    floor = distance_floor_m(receptors, rec_m, min_distance_m=min_distance_m, area_col=area_col)
    r_xy, s_xy = anchor_points(rec_m), anchor_points(src_m)

    tree = cKDTree(s_xy)
    i, j, d = pairs_within(r_xy, s_xy, radius_m, tree_b=tree)
    # one floor for all (min_distance_m) needs no gather over the pairs
    d_eff = np.maximum(d, floor[0]) if min_distance_m is not None else np.maximum(d, floor[i])
    near_d, near_j = tree.query(r_xy, k=1)
    near_d = np.asarray(near_d, dtype="float64")
    near_j = np.asarray(near_j, dtype=np.intp)
    zero = d_eff <= 0
    if zero.any() or (np.maximum(near_d, floor) <= 0).any():
        ri = (
            int(i[zero][0])
            if zero.any()
            else int(np.flatnonzero(np.maximum(near_d, floor) <= 0)[0])
        )
        raise DataValidationError(
            "a source lies exactly on this receptor and the receptor has no area, so its "
            "score would be infinite",
            source="receptors",
            row=label_of(receptors, ri, "community_id"),
            fix="pass min_distance_m (e.g. 100) or area_col with the receptor's area in m²",
        )
    n = len(receptors)
    per_km = 1000.0 / d_eff if weight_col is None else weights[j] * (1000.0 / d_eff)
    score = np.bincount(i, weights=per_km, minlength=n).astype("float64")
    n_within = np.bincount(i, minlength=n).astype("int64")
    none = n_within == 0
    score[none] = weights[near_j[none]] / (np.maximum(near_d[none], floor[none]) / 1000.0)

    if "factory_id" in sources.columns:
        ids = sources["factory_id"].astype("string").to_numpy(dtype=object, na_value=None)
    else:
        ids = sources.index.to_numpy(dtype=object)
    out = receptors.copy()
    out["prox_score"] = score
    out["n_within"] = n_within
    out["nearest_m"] = near_d
    out["nearest_id"] = pd.Series(ids[near_j], index=out.index, dtype=object)
    out["floor_m"] = floor
    return out


def weighted_percentile(values: npt.ArrayLike, weights: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Population-weighted percentile rank of each value, 0–100.

    ``P(v) = 100 · Σ w_k [v_k ≤ v] / Σ w_k``: the share of the population whose value is
    equal to or lower than ``v`` (EJScreen's wording). Ties share one percentile; the
    highest value gets 100. When every weight is 0, each value weighs 1.

    Parameters
    ----------
    values
        The values to rank (e.g. proximity scores).
    weights
        One weight per value (persons), finite and ≥ 0.

    Returns
    -------
    numpy.ndarray
        float64 percentiles 0–100, one per value in the input order.

    Raises
    ------
    DataValidationError
        If a weight is not finite or is negative.
    """
    v = np.asarray(values, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    if len(v) == 0:
        return np.empty(0)
    if not np.isfinite(w).all() or (w < 0).any():
        raise DataValidationError(
            "percentile weights must be finite and ≥ 0", fix="check the population column"
        )
    if w.sum() <= 0:
        w = np.ones_like(v)
    order = np.argsort(v, kind="mergesort")
    sv, cw = v[order], np.cumsum(w[order])
    # index of the last element ≤ each value: ties take the cumulative weight of them all
    last = np.searchsorted(sv, v, side="right") - 1
    return np.asarray(100.0 * cw[last] / cw[-1], dtype="float64")


def group_scores(
    scored: pd.DataFrame,
    by: str | Sequence[str],
    *,
    population_col: str = "population",
) -> pd.DataFrame:
    """Population-weighted score of groups of receptors (tambon, district, province, zone).

    Parameters
    ----------
    scored
        Output of :func:`proximity_scores` (needs ``prox_score``) with the ``by`` column(s)
        and ``population_col``.
    by
        Column name or names to group by; rows with an empty key form their own group.
    population_col
        Column with each receptor's population (persons, ≥ 0, no NaN).

    Returns
    -------
    pandas.DataFrame
        One row per group, indexed by the group key(s), sorted by key, with:
        ``prox_score`` — Σ(pop·score)/Σ pop, or the plain mean of the group's scores when
        the group's population is 0; ``population`` — Σ pop; ``n_receptors``; and
        ``percentile`` — the population-weighted percentile of the group's score among
        all the groups: ``100 · Σ_h pop_h [score_h ≤ score_g] / Σ_h pop_h`` (every group
        weighing 1 when all populations are 0), see :func:`weighted_percentile`.

    Raises
    ------
    DataValidationError
        A missing column, a NaN or negative population, or a missing score.
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise DataValidationError("no column to group by", fix="give by='tam_code' or a list")
    require_columns(
        scored,
        [*keys, "prox_score"],
        "scored",
        fix="score the receptors with proximity_scores first and keep the group column",
    )
    pop = numeric_column(
        scored, population_col, "scored", key="community_id", what="population", allow_nan=False
    )
    score = pd.to_numeric(scored["prox_score"], errors="coerce").to_numpy(dtype="float64")
    if np.isnan(score).any():
        pos = int(np.flatnonzero(np.isnan(score))[0])
        raise DataValidationError(
            "prox_score is missing",
            source="scored",
            row=label_of(scored, pos, "community_id"),
            field="prox_score",
            fix="score every receptor before grouping",
        )
    frame = pd.DataFrame({k: scored[k].to_numpy() for k in keys})
    frame["_w"] = pop * score
    frame["_p"] = pop
    frame["_s"] = score
    g = frame.groupby(keys, dropna=False, sort=True)
    agg = g.agg(_w=("_w", "sum"), _p=("_p", "sum"), _s=("_s", "mean"), _n=("_s", "size"))
    weighted = np.where(agg["_p"] > 0, agg["_w"] / agg["_p"].where(agg["_p"] > 0, 1.0), agg["_s"])
    out = pd.DataFrame(index=agg.index)
    out["prox_score"] = np.asarray(weighted, dtype="float64")
    out["population"] = agg["_p"].to_numpy(dtype="float64")
    out["n_receptors"] = agg["_n"].to_numpy(dtype="int64")
    out["percentile"] = weighted_percentile(out["prox_score"], out["population"])
    return out


def rank_receptors(scored: pd.DataFrame, *, population_col: str | None = None) -> pd.DataFrame:
    """Add ``rank`` (1 = highest score) and ``percentile``.

    The percentile is population-weighted (:func:`weighted_percentile`): the share of the
    people, living at the receptors that have a population, whose receptor scores equal or
    lower. Receptors without a population (schools, temples) weigh 0 but still get the
    percentile of their score; when no receptor has a population, each weighs 1.

    Parameters
    ----------
    scored
        Output of :func:`proximity_scores` (needs ``prox_score``).
    population_col
        Column with each receptor's population (persons; empty, non-numeric or ≤ 0 weighs
        0); ``None`` (the default), or a column the frame lacks, weighs every receptor 1.

    Returns
    -------
    pandas.DataFrame
        A copy of ``scored`` with ``percentile`` (0–100) and ``rank`` (int, 1 = highest
        score; ties share the best rank) added.
    """
    out = scored.copy()
    s = out["prox_score"].to_numpy(dtype="float64")
    w: Any = np.ones(len(out))
    if population_col and population_col in out.columns:
        p = pd.to_numeric(out[population_col], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        p = np.where(np.isfinite(p) & (p > 0), p, 0.0)
        if p.sum() > 0:
            w = p
    out["percentile"] = weighted_percentile(s, w)
    out["rank"] = pd.Series(s, index=out.index).rank(ascending=False, method="min").astype("int64")
    return out
