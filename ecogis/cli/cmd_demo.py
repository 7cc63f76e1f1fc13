"""``ecogis demo``: build the illustrative workspace and run every analysis on it."""

from __future__ import annotations

from pathlib import Path

import click

from ecogis.cli._common import info

DEFAULT_WORKSPACE = Path("ecogis-demo") / "demo.gpkg"


@click.command("demo")
@click.option(
    "--workspace",
    "-w",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_WORKSPACE,
    show_default=True,
    help="Demo workspace to write (an earlier demo workspace there is replaced).",
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
def demo_cmd(workspace: Path, out_dir: Path | None, data_only: bool) -> None:
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
      ecogis layers -w ecogis-demo/demo.gpkg
    """
    out = out_dir if out_dir is not None else workspace.parent
    if data_only:
        from ecogis.demo import build_demo_workspace

        _, lines = build_demo_workspace(workspace)
    else:
        from ecogis.tasks.demo import run_demo

        lines = run_demo(workspace, out)
    for line in lines:
        click.echo(line)
    info(f"done: open {workspace} in QGIS, or run 'ecogis layers -w {workspace}'")


def register(cli: click.Group) -> None:
    """Add ``demo`` to the ``ecogis`` group."""
    cli.add_command(demo_cmd)
