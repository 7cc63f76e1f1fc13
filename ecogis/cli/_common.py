"""Shared pieces of the command-line interface: options, output helpers, progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from ecogis.workspace import ENGINES, Workspace

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def workspace_option(required: bool = True) -> Callable[[F], F]:
    """``--workspace/-w FILE.gpkg`` (also read from ``ECOGIS_WORKSPACE``)."""
    return click.option(
        "--workspace",
        "-w",
        "workspace",
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,
        envvar="ECOGIS_WORKSPACE",
        show_envvar=True,
        help="The workspace GeoPackage.",
    )


def engine_option() -> Callable[[F], F]:
    """``--engine pyogrio|fiona``."""
    return click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="pyogrio",
        show_default=True,
        help="I/O engine (fiona needs the ecogis[fiona] extra).",
    )


def lang_option() -> Callable[[F], F]:
    """``--lang th|en`` (Thai first)."""
    return click.option(
        "--lang",
        type=click.Choice(["th", "en"]),
        default="th",
        show_default=True,
        help="Language of labels, legends and headings.",
    )


def json_option() -> Callable[[F], F]:
    """``--json``: machine-readable output on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def open_workspace(path: Path, engine: str = "pyogrio", *, create: bool = False) -> Workspace:
    """Open (or with ``create`` make) the workspace named on the command line."""
    if create:
        return Workspace.create(path, engine=engine)
    return Workspace.open(path, engine=engine)


def echo_json(data: Any) -> None:
    """Print JSON with Thai text as is (UTF-8), not \\u-escaped."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_table(frame: pd.DataFrame, *, max_rows: int = 40, max_colwidth: int = 40) -> None:
    """Print a DataFrame as a plain table on stdout."""
    if frame.empty:
        click.echo("(none)")
        return
    with pd.option_context(
        "display.max_rows",
        max_rows,
        "display.max_columns",
        50,
        "display.width",
        200,
        "display.max_colwidth",
        max_colwidth,
        "display.unicode.east_asian_width",
        False,
    ):
        click.echo(frame.to_string(index=False, max_rows=max_rows))
    if len(frame) > max_rows:
        click.echo(f"... {len(frame)} rows in all", err=True)


def info(message: str) -> None:
    """A progress or summary line on stderr (keeps stdout clean for data)."""
    click.echo(message, err=True)


def progress(items: Iterable[T], label: str, length: int | None = None) -> Iterator[T]:
    """A progress bar on stderr, shown only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, length=length, file=sys.stderr) as bar:
        yield from bar
