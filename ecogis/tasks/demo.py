"""``ecogis demo``: build the illustrative workspace, then run every analysis on it.

The demo data come from :mod:`ecogis.demo` (deterministic, clearly labelled as
illustrative). Each analysis contributes a ``demo_step(ws, out_dir) -> list[str]`` in its
own task module; the steps run in the order of :data:`DEMO_STEPS`, each in its own batch so
a failure names the step and leaves the earlier results in place.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from ecogis.workspace import Workspace

DEMO_STEPS = (
    "imports",
    "risk",
    "symbiosis",
    "ledger",
    "compliance",
    "programme",
    "maps",
    "qgis",
)
"""Task modules (``ecogis.tasks.<name>``) whose ``demo_step`` the demo runs, in order."""

log = logging.getLogger(__name__)


def run_demo(workspace: Path, out_dir: Path, *, steps: tuple[str, ...] = DEMO_STEPS) -> list[str]:
    """Write the demo workspace and run the analyses on it.

    Parameters
    ----------
    workspace
        The GeoPackage to write (replaced if it exists).
    out_dir
        Folder for maps, reports and CSV tables.
    steps
        Which analysis steps to run (all by default).

    Returns
    -------
    list of str
        Summary lines saying what was made, for the CLI to print.
    """
    from ecogis.demo import build_demo_workspace

    out_dir.mkdir(parents=True, exist_ok=True)
    ws, lines = build_demo_workspace(workspace)
    for name in steps:
        module = importlib.import_module(f"ecogis.tasks.{name}")
        log.info("demo: running %s", name)
        lines += module.demo_step(ws, out_dir)
    return lines


def demo_workspace(path: Path) -> Workspace:
    """Open the demo workspace written by :func:`run_demo`."""
    return Workspace.open(path)
