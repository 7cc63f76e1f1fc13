"""``ecogis demo``: build the illustrative workspace, then run every analysis on it.

The demo data come from :mod:`ecogis.demo` (deterministic, clearly labelled as
illustrative). Each analysis contributes a ``demo_step(ws, out_dir) -> list[str]`` in its
own task module; the steps run in the order of :data:`DEMO_STEPS`, all in one batch, so a
killed or failed run leaves the workspace as the data build left it (marked as an unfinished
run, which ``ecogis validate`` reports) or complete — never some steps' layers and not
others'.
"""

from __future__ import annotations

import importlib
import logging
import os
import tempfile
from pathlib import Path

from ecogis.errors import WorkspaceError
from ecogis.workspace import Workspace
from ecogis.workspace.store import is_database_url

DEMO_STEPS = (
    "imports",
    "risk",
    "symbiosis",
    "ledger",
    "compliance",
    "programme",
    "reports",
    "maps",
    "qgis",
)
"""Task modules (``ecogis.tasks.<name>``) whose ``demo_step`` the demo runs, in order."""

log = logging.getLogger(__name__)


def run_demo(
    workspace: str | Path, out_dir: Path, *, steps: tuple[str, ...] = DEMO_STEPS
) -> list[str]:
    """Write the demo workspace and run the analyses on it.

    Parameters
    ----------
    workspace
        The GeoPackage to write (replaced if it exists), or a PostgreSQL URL whose schema
        receives the demo (an earlier demo there is replaced; other data are refused).
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
    if is_database_url(workspace):
        ws, lines = demo_in_database(str(workspace), out_dir)
    else:
        ws, lines = build_demo_workspace(workspace, open_run="ecogis demo")
    with ws.batch():
        for name in steps:
            module = importlib.import_module(f"ecogis.tasks.{name}")
            log.info("demo: running %s", name)
            lines += module.demo_step(ws, out_dir)
        ws.finish_run()
    return lines


def demo_in_database(url: str, out_dir: Path) -> tuple[Workspace, list[str]]:
    """Build the demo GeoPackage privately, then copy it into the database at ``url``.

    The population raster goes to ``out_dir`` (the database records its absolute path).
    The copy is one transaction that also marks the demo run as open.

    Parameters
    ----------
    url : str
        A PostgreSQL URL (``postgresql://…?schema=…``) whose schema receives the demo; an
        earlier demo there is replaced.
    out_dir : Path
        Folder for the population raster (and the temporary build).

    Returns
    -------
    tuple[Workspace, list[str]]
        The database workspace and the build's summary lines (paths as in the database).

    Raises
    ------
    WorkspaceError
        The schema holds data that are not an ecogis demo, or ``out_dir`` holds a
        population raster that is not the demo's.
    """
    from ecogis.demo import POPULATION_RASTER, build_demo_workspace, is_demo_raster

    raster = out_dir / POPULATION_RASTER
    if raster.exists() and not is_demo_raster(raster):
        raise WorkspaceError(
            f"{raster.name} there is not the demo's raster; the demo will not overwrite it",
            source=raster,
            fix="give another --out folder, or move that file away",
        )
    ws = Workspace.create(url)
    if ws.layer_names() and ws.get_meta("demo") != "illustrative":
        raise WorkspaceError(
            "holds data that are not an ecogis demo; the demo will not overwrite them",
            source=ws.location,
            fix="give another ?schema= in the URL",
        )
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".demo-build-") as tmp:
        local, lines = build_demo_workspace(Path(tmp) / "demo.gpkg")
        os.replace(Path(tmp) / POPULATION_RASTER, raster)
        with ws.batch():
            for name in ws.layer_names():
                ws.delete_layer(name)
            ws.copy_from(local)
            ws.set_meta("population_raster", str(raster.resolve()))
            ws.begin_run("ecogis demo")
        lines = [
            line.replace(str(local.path), ws.location).replace(
                str(Path(tmp) / POPULATION_RASTER), str(raster)
            )
            for line in lines
        ]
    return ws, lines


def demo_workspace(path: Path) -> Workspace:
    """Open the demo workspace written by :func:`run_demo`.

    Parameters
    ----------
    path : Path
        The demo GeoPackage.

    Returns
    -------
    Workspace
        The opened workspace.
    """
    return Workspace.open(path)
