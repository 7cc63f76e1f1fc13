"""Proximity risk: who lives near hazardous factories, siting breaches, exposed people.

The public API (pure functions: frames in, frames out, inputs never changed, index kept):

- :func:`assign_hazard` — hazard class and weight of each factory from the hazard catalogue
  (:func:`load_hazard_catalogue`; :mod:`ecogis.risk.hazard`);
- :func:`proximity_scores` — EJScreen-style score of each receptor (Σ weight / km);
- :func:`group_scores` — population-weighted score and percentile per group;
- :func:`band_counts` / :func:`risk_zones` — distance bands and emergency-planning rings;
- :func:`siting_flags` — Ministerial Regulation No. 2 B.E. 2535 distances, geodesic;
- :func:`exposed_population` — people per band from a population grid (exact coverage);
- :func:`scenario` — cordon and evacuation radius around one factory (Bang Phli 2021);
- :func:`risk_summary` — by tambon, district, province and industrial zone.

The method and its parameters are described in ``docs/risk.md``.
"""

from ecogis.risk.bands import DEFAULT_BANDS_M, band_counts, check_bands, risk_zones
from ecogis.risk.exposure import PopulationGrid, exposed_population, exposed_population_union
from ecogis.risk.hazard import (
    HAZARD_CLASSES,
    HAZARDOUS_CLASSES,
    assign_hazard,
    load_hazard_catalogue,
)
from ecogis.risk.proximity import (
    choose_metric_crs,
    group_scores,
    proximity_scores,
    rank_receptors,
    weighted_percentile,
)
from ecogis.risk.scenario import Scenario, UnknownFactoryError, scenario
from ecogis.risk.siting import load_siting_rules, siting_flags
from ecogis.risk.summary import TOP_COLUMNS, nearest_zone, risk_summary, top_table

__all__ = [
    "DEFAULT_BANDS_M",
    "HAZARDOUS_CLASSES",
    "HAZARD_CLASSES",
    "TOP_COLUMNS",
    "PopulationGrid",
    "Scenario",
    "UnknownFactoryError",
    "assign_hazard",
    "band_counts",
    "check_bands",
    "choose_metric_crs",
    "exposed_population",
    "exposed_population_union",
    "group_scores",
    "load_hazard_catalogue",
    "load_siting_rules",
    "nearest_zone",
    "proximity_scores",
    "rank_receptors",
    "risk_summary",
    "risk_zones",
    "scenario",
    "siting_flags",
    "top_table",
    "weighted_percentile",
]
