"""The eco-industrial town assessment: indicators, rounds, comparison, guidelines.

The indicator framework is data (``ecogis/catalogue/eit_indicators.toml``, DIW's five
dimensions with a PROVISIONAL level-2 set); this package reads it
(:mod:`~ecogis.eit.framework`), selects the assessed area (:mod:`~ecogis.eit.area`),
computes the indicators for an area from the workspace's
layers (:mod:`~ecogis.eit.compute`), stores and compares rounds
(:mod:`~ecogis.eit.rounds`) and proposes ranked actions (:mod:`~ecogis.eit.guidelines`).
All functions are pure: frames in, frames out.
"""

from ecogis.eit.area import DEFAULT_SURROUND_M, Area, select_area
from ecogis.eit.compute import COMPUTATIONS, AreaInputs, Result, parse_manual_scores
from ecogis.eit.framework import DIMENSIONS, Aspect, Dimension, Indicator, IndicatorSet, Level
from ecogis.eit.framework_table import load_framework_table
from ecogis.eit.guidelines import guidelines
from ecogis.eit.levels import level_gap, reached_level
from ecogis.eit.loading import load_indicators
from ecogis.eit.rounds import ROUNDS, area_level, compare_rounds, compute_round, store_round

__all__ = [
    "COMPUTATIONS",
    "DEFAULT_SURROUND_M",
    "DIMENSIONS",
    "ROUNDS",
    "Area",
    "AreaInputs",
    "Aspect",
    "Dimension",
    "Indicator",
    "IndicatorSet",
    "Level",
    "Result",
    "area_level",
    "compare_rounds",
    "compute_round",
    "guidelines",
    "level_gap",
    "load_framework_table",
    "load_indicators",
    "parse_manual_scores",
    "reached_level",
    "select_area",
    "store_round",
]
