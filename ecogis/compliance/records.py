"""Compliance records: the names the compliance analyses and their callers use.

The requirement catalogue is read in :mod:`ecogis.catalogue.requirements` and the planners'
sheets are parsed in :mod:`ecogis.importers.compliance` (both below the analyses, so the
importer never reaches up to them); this module gives their names to the compliance package.
The allowed statuses are the ``status`` values of ``layers/compliance.toml``.
"""

from __future__ import annotations

from ecogis.catalogue.requirements import (
    CATEGORIES,
    MANAGEMENT_CATEGORIES,
    Requirement,
    load_requirements,
)
from ecogis.importers.compliance import parse_compliance_date as parse_date
from ecogis.importers.compliance import parse_compliance_records, statuses

STATUSES: tuple[str, ...] = statuses()
"""The statuses a record may have (``layers/compliance.toml``)."""

__all__ = [
    "CATEGORIES",
    "MANAGEMENT_CATEGORIES",
    "STATUSES",
    "Requirement",
    "load_requirements",
    "parse_compliance_records",
    "parse_date",
]
