"""``ecogis qgis styles`` and ``ecogis qgis project``: QGIS styles and projects."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ecogis.cli._common import echo_json, echo_table, info, open_workspace, workspace_option
from ecogis.tasks.qgis import RENDERER_WORDS, style_and_project

_lang_option = click.option(
    "--lang",
    type=click.Choice(["th", "en"]),
    default=None,
    help="Language of layer names, legends, labels and field aliases; it becomes the "
    "workspace language [default: the workspace's, else th].",
)


@click.group("qgis")
def qgis_group() -> None:
    """QGIS: default styles and a project inside the GeoPackage.

    Every write already restyles the layers it touched; these verbs restyle everything
    (for instance in the other language) or write a separate project file.

    \b
    Example:
      ecogis qgis project --workspace ecogis-demo/demo.gpkg --out ecogis-demo/demo.qgz
    """


@qgis_group.command("styles")
@workspace_option()
@_lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the styled layers as JSON.")
def styles_cmd(workspace: Path, lang: str | None, as_json: bool) -> None:
    """Write the default QGIS style of every layer (and refresh the stored project).

    \b
    Example:
      ecogis qgis styles --workspace ecogis-demo/demo.gpkg --lang en
    """
    ws = open_workspace(workspace)
    summary = style_and_project(ws, lang=lang)
    if as_json:
        echo_json([s.as_dict() for s in summary.styled])
    else:
        echo_table(
            pd.DataFrame(
                [
                    {
                        "layer": s.name,
                        "group": s.group,
                        "style": RENDERER_WORDS.get(s.renderer, s.renderer),
                        "classes": s.classes,
                        "labels": s.label_field or "",
                    }
                    for s in summary.styled
                ]
            ),
            max_rows=200,
        )
    for line in summary.lines():
        info(line)


@qgis_group.command("project")
@workspace_option()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a separate .qgz (or .qgs) that refers to the GeoPackage by relative "
    "path, e.g. next to it.",
)
@_lang_option
def project_cmd(workspace: Path, out: Path | None, lang: str | None) -> None:
    """Store the QGIS project in the GeoPackage, and optionally write it to a file.

    In QGIS: Browser → GeoPackage → the workspace → project 'ecogis', or open the
    written .qgz. Keep the .qgz beside the GeoPackage (or move both together).

    \b
    Example:
      ecogis qgis project --workspace ecogis-demo/demo.gpkg --out ecogis-demo/demo.qgz
    """
    ws = open_workspace(workspace)
    summary = style_and_project(ws, lang=lang, out=out)
    for line in summary.lines():
        click.echo(line)


def register(cli: click.Group) -> None:
    """Add the ``qgis`` group to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(qgis_group)
