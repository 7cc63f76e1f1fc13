"""``ecogis layers`` and ``ecogis validate``."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ecogis.cli._common import (
    echo_json,
    echo_table,
    engine_option,
    info,
    open_workspace,
    workspace_option,
)


@click.command("layers")
@workspace_option()
@engine_option()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of layer objects.")
def layers_cmd(workspace: Path, engine: str, as_json: bool) -> None:
    """List the layers of a workspace with row counts and descriptions.

    \b
    Example:
      ecogis layers --workspace ecogis-demo/demo.gpkg --json
    """
    ws = open_workspace(workspace, engine)
    infos = ws.layers()
    if as_json:
        echo_json([i.as_dict() for i in infos])
        return
    frame = pd.DataFrame(
        [
            {
                "layer": i.name,
                "kind": i.geometry_type or "table",
                "rows": i.rows,
                "group": i.group,
                "title": f"{i.title_th} / {i.title_en}",
            }
            for i in infos
        ]
    )
    echo_table(frame, max_rows=200, max_colwidth=60)


@click.command("validate")
@workspace_option()
@engine_option()
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def validate_cmd(workspace: Path, engine: str, as_json: bool) -> None:
    """Check a workspace against the layer contract (layers/*.toml).

    Reports every problem with its layer, business key and field; exits with 1 when
    there is any.

    \b
    Example:
      ecogis validate --workspace w.gpkg
    """
    ws = open_workspace(workspace, engine)
    problems = ws.validate()
    if as_json:
        echo_json([p.__dict__ for p in problems])
    else:
        for p in problems:
            click.echo(str(p))
    n_layers = len(ws.layer_names())
    if problems:
        info(f"{len(problems)} problem(s) in {workspace}")
        raise SystemExit(1)
    info(f"{workspace}: {n_layers} layers, all keep the layer contract")


def register(cli: click.Group) -> None:
    """Add ``layers`` and ``validate`` to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(layers_cmd)
    cli.add_command(validate_cmd)
