"""Offline provincial copies: pull, work offline in a GeoPackage, push back (issue 10.6).

A province is pulled from the central database into a GeoPackage, worked on offline,
and its changes pushed back::

    ecogis sync pull postgresql://…?schema=ecogis --province 21 --to rayong.gpkg
    ecogis sync push rayong.gpkg postgresql://…?schema=ecogis

* :func:`~ecogis.sync.pull.pull` — the province's rows of every contract layer
  (:mod:`~ecogis.sync.scope`) into a styled GeoPackage, with where it came from and a base
  snapshot (:mod:`~ecogis.sync.base`); into an existing copy, the database's changes since.
* :func:`~ecogis.sync.push.push` — the copy's added, updated and deleted rows, by business
  key, in one database transaction; rows changed on both sides are conflicts
  (:mod:`~ecogis.sync.plan`, :mod:`~ecogis.sync.conflicts`), never overwritten.

Change tracking is ecogis's own, by business key (:mod:`~ecogis.sync.rows`), not geodiff's:
see ``docs/postgis.md`` for why.
"""

from ecogis.sync.conflicts import Conflict, write_conflicts
from ecogis.sync.pull import PullSummary, pull
from ecogis.sync.push import PushSummary, push

__all__ = ["Conflict", "PullSummary", "PushSummary", "pull", "push", "write_conflicts"]
