"""The programme as data: the TOR activity ledger's progress and the factory database check.

Pure functions, frames in and frames out:

* :func:`~ecogis.programme.targets.load_targets` reads the TOR targets
  (``ecogis/catalogue/tor_targets.toml``);
* :func:`~ecogis.programme.database.database_check` says, per factory, whether its
  compliance record and mass balance are complete and what lacks;
* :func:`~ecogis.programme.progress.tor_progress` counts every deliverable from the
  ledger (``activities`` + ``activity_factories``) against its target.

The workspace job is :mod:`ecogis.tasks.programme`; the verb ``ecogis programme``.
"""

from ecogis.programme.database import DATABASE_COLUMNS, database_check, describe_lacks
from ecogis.programme.progress import PROGRESS_COLUMNS, Area, area_activities, tor_progress
from ecogis.programme.targets import Deliverable, MassBalanceItem, TorTargets, load_targets

__all__ = [
    "DATABASE_COLUMNS",
    "PROGRESS_COLUMNS",
    "Area",
    "Deliverable",
    "MassBalanceItem",
    "TorTargets",
    "area_activities",
    "database_check",
    "describe_lacks",
    "load_targets",
    "tor_progress",
]
