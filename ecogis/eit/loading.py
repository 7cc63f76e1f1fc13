"""Read an indicator framework from any of its forms (TOML, or an official list as a table)."""

from __future__ import annotations

from pathlib import Path

from ecogis.eit.framework import IndicatorSet, load_framework_toml
from ecogis.eit.framework_table import load_framework_table

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


def load_indicators(path: str | Path | None = None) -> IndicatorSet:
    """Read an indicator framework; the shipped provisional set by default.

    Parameters
    ----------
    path
        A TOML file in the shape of ``ecogis/catalogue/eit_indicators.toml``, or DIW's
        official list as CSV/XLSX (:func:`~ecogis.eit.framework_table.load_framework_table`).

    Returns
    -------
    IndicatorSet
        Dimensions → aspects → indicators with their thresholds per level, the levels and
        the level rule.

    Raises
    ------
    CatalogueError
        Naming the file, the indicator (by position and id, or the spreadsheet row) and the
        field that is missing or wrong.
    """
    if path is not None and Path(path).suffix.lower() in TABLE_SUFFIXES:
        return load_framework_table(path)
    return load_framework_toml(path)
