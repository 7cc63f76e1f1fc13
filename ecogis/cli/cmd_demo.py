"""``ecogis demo``: build the illustrative workspace and run every analysis on it."""

from __future__ import annotations

from pathlib import Path

import click

from ecogis.cli._common import WORKSPACE, info
from ecogis.workspace.store import is_database_url

DEFAULT_WORKSPACE = Path("ecogis-demo") / "demo.gpkg"


@click.command("demo")
@click.option(
    "--workspace",
    "-w",
    type=WORKSPACE,
    default=str(DEFAULT_WORKSPACE),
    show_default=True,
    help="Demo workspace to write: a .gpkg, or a postgresql://…?schema=NAME URL (an "
    "earlier demo workspace there is replaced).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for maps, reports and tables [default: the workspace's folder]. The "
    "population raster stays next to the workspace, which refers to it by a relative path.",
)
@click.option(
    "--data-only",
    is_flag=True,
    help="Only write the demo data (layers and population raster); run no analysis.",
)
def demo_cmd(workspace: str, out_dir: Path | None, data_only: bool) -> None:
    """Write an illustrative demo workspace and run every analysis on it.

    The data are made up for demonstration (ข้อมูลตัวอย่าง), generated in code with a fixed
    seed: the same on every run, no internet and no other files needed. The workspace holds
    a province, districts, an industrial estate, park and zone, 65 factories, 45 villages and
    sensitive places, a mass balance for every factory and a compliance table; a population
    GeoTIFF (population.tif) is written next to it. An earlier demo workspace at the same
    path is replaced; any other file there is left alone and the command stops.

    \b
    Example:
      ecogis demo
      ecogis demo --workspace /tmp/demo/demo.gpkg --out /tmp/demo/out
      ecogis demo --workspace postgresql://me@localhost/ecogis?schema=demo
      ecogis layers -w ecogis-demo/demo.gpkg
    """
    default_out = DEFAULT_WORKSPACE.parent if is_database_url(workspace) else Path(workspace).parent
    out = out_dir if out_dir is not None else default_out
    if data_only and is_database_url(workspace):
        raise click.UsageError("--data-only writes a GeoPackage; give a .gpkg --workspace")
    target: str | Path = workspace if is_database_url(workspace) else Path(workspace)
    if data_only:
        from ecogis.demo import build_demo_workspace

        _, lines = build_demo_workspace(target)
    else:
        from ecogis.tasks.demo import run_demo

        lines = run_demo(target, out)
    for line in lines:
        click.echo(line)
    info(f"done: open {workspace} in QGIS, or run 'ecogis layers -w {workspace}'")


def register(cli: click.Group) -> None:
    """Add ``demo`` to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(demo_cmd)
