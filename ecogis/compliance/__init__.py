"""Factory compliance: the requirement catalogue, record import, status and the gap list.

Pure functions: frames in, frames out, no file I/O except reading the requirement
catalogue (package data or a planner's own CSV).

Vocabulary
    *record*       one row of the ``compliance`` table: a factory, a requirement, a status.
    *effective*    the status on an assessment date: a ``yes`` whose ``valid_until`` lies
                   before that date counts as ``expired``.
    *category*     what a requirement evidences: ``legal``, ``environmental_management``,
                   ``safety_management``, ``csr``, ``green_industry``. A factory "has" a
                   category when any requirement that evidences it is effectively ``yes``
                   (at the requirement's ``min_level`` or above, e.g. GI3 for Green Industry).

Modules: :mod:`~ecogis.compliance.records` (catalogue, dates, import),
:mod:`~ecogis.compliance.status` (status per factory on a date),
:mod:`~ecogis.compliance.gaps` (the ranked gap list and the summary by zone and province).
"""

from ecogis.compliance.gaps import (
    describe_gaps,
    gap_summary,
    neighbours_within,
    rank_gaps,
    risk_columns,
)
from ecogis.compliance.records import (
    CATEGORIES,
    STATUSES,
    Requirement,
    load_requirements,
    parse_compliance_records,
    parse_date,
)
from ecogis.compliance.status import (
    COMPLIANCE_CLASSES,
    compliance_class,
    effective_status,
    factory_compliance,
    has_gap,
    records_sheet,
)

__all__ = [
    "CATEGORIES",
    "COMPLIANCE_CLASSES",
    "STATUSES",
    "Requirement",
    "compliance_class",
    "describe_gaps",
    "effective_status",
    "factory_compliance",
    "gap_summary",
    "has_gap",
    "load_requirements",
    "neighbours_within",
    "parse_compliance_records",
    "parse_date",
    "rank_gaps",
    "records_sheet",
    "risk_columns",
]
