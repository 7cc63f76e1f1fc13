"""Summaries of scored receptors by tambon, district, province and industrial zone."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.risk._geom import anchor_points
from ecogis.risk.proximity import _in, choose_metric_crs, group_scores

LEVELS = ("tambon", "district", "province", "zone")


TOP_COLUMNS = (
    "rank",
    "community_id",
    "name_th",
    "kind",
    "population",
    "prox_score",
    "percentile",
    "n_within",
    "nearest_m",
    "nearest_id",
)
"""Columns of the top-receptor table (screen, CSV and report), best first."""


def top_table(top: pd.DataFrame, *, columns: tuple[str, ...] = TOP_COLUMNS) -> pd.DataFrame:
    """Return the top receptors as a plain table, rounded for reading.

    Parameters
    ----------
    top
        Ranked receptors (from :func:`ecogis.risk.proximity.rank_receptors`), best first.
    columns
        The columns to keep, in order (default :data:`TOP_COLUMNS`); those ``top`` lacks
        are left out.

    Returns
    -------
    pandas.DataFrame
        Plain (not geo) frame, same rows: ``prox_score`` to 2 decimals, ``percentile``
        (0–100) to 1, ``nearest_m`` to the metre.
    """
    cols = [c for c in columns if c in top.columns]
    return pd.DataFrame(top[cols]).round({"prox_score": 2, "percentile": 1, "nearest_m": 0})


def admin_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """``tam_code``, ``amp_code``, ``pro_code`` of each row, coarser codes filled from finer.

    A 6-digit tambon code starts with its 4-digit district code, which starts with the
    2-digit province code.

    Parameters
    ----------
    frame
        Rows with any of ``tam_code``, ``amp_code``, ``pro_code``.

    Returns
    -------
    pandas.DataFrame
        The three columns (``string`` dtype, NA where unknown), same index as ``frame``.
    """

    def col(name: str) -> pd.Series:
        if name in frame.columns:
            return frame[name].astype("string")
        return pd.Series(pd.NA, index=frame.index, dtype="string")

    tam, amp, pro = col("tam_code"), col("amp_code"), col("pro_code")
    amp = amp.fillna(tam.str.slice(0, 4))
    pro = pro.fillna(amp.str.slice(0, 2))
    return pd.DataFrame({"tam_code": tam, "amp_code": amp, "pro_code": pro}, index=frame.index)


def nearest_zone(
    receptors: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, *, max_distance_m: float
) -> pd.Series:
    """``zone_id`` of the industrial zone nearest each receptor within ``max_distance_m``.

    Parameters
    ----------
    receptors
        Communities and places (points or polygons, any CRS), measured from their anchor
        points.
    zones
        Industrial zones with ``zone_id`` (any CRS).
    max_distance_m
        Farthest distance in metres from a receptor to a zone's edge (0 inside the zone).

    Returns
    -------
    pandas.Series
        ``string`` dtype, same index as ``receptors``: the nearest zone's ``zone_id`` (the
        first one on a tie), NA when no zone is within ``max_distance_m``.
    """
    crs = choose_metric_crs(receptors, zones)
    pts = gpd.GeoDataFrame(
        {"_pos": np.arange(len(receptors))},
        geometry=gpd.points_from_xy(*anchor_points(_in(receptors, crs).geometry).T),
        crs=crs,
    )
    zm = _in(zones, crs)[["zone_id", "geometry"]]
    j = gpd.sjoin_nearest(pts, zm, how="left", max_distance=max_distance_m)
    j = j.sort_values("_pos", kind="mergesort").drop_duplicates("_pos")
    return pd.Series(j["zone_id"].to_numpy(), index=receptors.index, dtype="string")


def risk_summary(
    scored: pd.DataFrame,
    factories: pd.DataFrame,
    *,
    zone_of_receptor: pd.Series | None = None,
    names: dict[tuple[str, str], tuple[str | None, str | None]] | None = None,
    population_col: str = "population",
) -> pd.DataFrame:
    """One row per tambon, district, province and industrial zone.

    Parameters
    ----------
    scored
        Receptors scored by :func:`~ecogis.risk.proximity.proximity_scores`, with admin codes
        and a population column (NaN counts as 0 people here: schools and temples often
        have none; a unit with no people takes the plain mean score).
    factories
        Factories with ``hazardous`` and admin / ``zone_id`` codes, counted per unit.
    zone_of_receptor
        The industrial zone each receptor is counted in (see :func:`nearest_zone`).
    names
        (level, code) → (name_th, name_en).

    Returns
    -------
    pandas.DataFrame
        ``level``, ``code``, ``name_th``, ``name_en``, ``n_receptors``, ``population``,
        ``prox_score`` (population-weighted mean), ``percentile`` (population-weighted,
        among the units of the same level), ``n_factories``, ``n_hazardous``.
    """
    names = names or {}
    rec = admin_codes(scored)
    rec["prox_score"] = scored["prox_score"].to_numpy()
    pop = (
        pd.to_numeric(scored[population_col], errors="coerce")
        if population_col in scored.columns
        else pd.Series(np.nan, index=scored.index)
    )
    rec["population"] = pop.fillna(0.0).clip(lower=0).to_numpy()
    rec["zone_id"] = zone_of_receptor if zone_of_receptor is not None else pd.NA
    fac = admin_codes(factories)
    fac["zone_id"] = (
        factories["zone_id"].astype("string") if "zone_id" in factories.columns else pd.NA
    )
    fac["hazardous"] = (
        factories["hazardous"].fillna(False).astype(bool)
        if "hazardous" in factories.columns
        else False
    )
    parts = []
    for level, code_col in zip(
        LEVELS, ("tam_code", "amp_code", "pro_code", "zone_id"), strict=True
    ):
        have = rec[rec[code_col].notna()]
        if have.empty:
            continue
        g = group_scores(have, code_col, population_col="population")
        g.index = g.index.astype("string")
        fcount = fac.groupby(code_col, dropna=True)["hazardous"].agg(["size", "sum"])
        fcount.index = fcount.index.astype("string")
        part = pd.DataFrame(
            {
                "level": level,
                "code": g.index.to_numpy(),
                "n_receptors": g["n_receptors"].to_numpy(),
                "population": g["population"].to_numpy(),
                "prox_score": g["prox_score"].to_numpy(),
                "percentile": g["percentile"].to_numpy(),
                "n_factories": fcount["size"].reindex(g.index).fillna(0).astype("int64").to_numpy(),
                "n_hazardous": fcount["sum"].reindex(g.index).fillna(0).astype("int64").to_numpy(),
            }
        )
        part["name_th"] = [names.get((level, str(c)), (None, None))[0] for c in part["code"]]
        part["name_en"] = [names.get((level, str(c)), (None, None))[1] for c in part["code"]]
        parts.append(part)
    layer = schema.contract("risk_summary")
    if not parts:
        return pd.DataFrame({c: [] for c in layer.field_names})
    return layer.select(pd.concat(parts, ignore_index=True))
