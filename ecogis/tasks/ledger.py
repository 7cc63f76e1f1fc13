"""The demo's activity ledger step (before the assessment rounds, which read the ledger).

``ecogis demo`` records the ILLUSTRATIVE ledger (:mod:`ecogis.demo.ledger`) here, before
:mod:`ecogis.tasks.compliance` computes the baseline and follow-up rounds, so that the
indicators that follow from the ledger (committee meetings, drills, factories trained)
are computed from it; :mod:`ecogis.tasks.programme` prints the TOR progress afterwards.
"""

from __future__ import annotations

from pathlib import Path

from ecogis.workspace import Workspace


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Record the ILLUSTRATIVE ledger of the demo's programme year.

    Parameters
    ----------
    ws : Workspace
        The demo workspace; its ``activities`` and ``activity_factories`` are written.
    out_dir : Path
        The demo's output folder (the ledger's sign-in sheets go there).

    Returns
    -------
    list[str]
        Summary lines for ``ecogis demo``; a "skipped" line when the workspace has no zones
        or communities.
    """
    from ecogis.demo.ledger import record_illustrative_ledger
    from ecogis.tasks.programme import demo_area, select_area

    lines = ["programme activity ledger:"]
    if not ws.has_layer("industrial_zones") or not ws.has_layer("communities"):
        return [*lines, "  skipped: the demo workspace has no zones or communities"]
    zone = demo_area(ws)
    area, _, _ = select_area(ws, province=None, area=zone)
    return lines + record_illustrative_ledger(
        ws, out_dir, zone=zone, area_factory_ids=set(area.factory_ids or ())
    )
