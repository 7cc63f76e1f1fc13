"""``ecogis sync pull|push``: offline provincial copies of a database workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ecogis.cli._common import WORKSPACE, echo_json, info, json_option

if TYPE_CHECKING:
    from ecogis.sync import Conflict


def _resolution(ours: bool, theirs: bool) -> str | None:
    if ours and theirs:
        raise click.UsageError("give --ours or --theirs, not both")
    return "ours" if ours else "theirs" if theirs else None


def _report_conflicts(conflicts: list[Conflict], out: Path | None, copy: str, verb: str) -> None:
    from ecogis.sync import write_conflicts
    from ecogis.sync.conflicts import screen_lines

    path = out or Path(copy).with_name(f"{Path(copy).stem}-conflicts.csv")
    if not conflicts:
        if out is None and path.exists():
            path.unlink()
            info(f"no conflicts left; removed the old conflict list {path}")
        return
    written = write_conflicts(conflicts, path)
    for line in screen_lines(conflicts):
        info(line)
    info(
        f"{len(conflicts)} row(s) changed both in the copy and in the database were not "
        f"overwritten / แถวที่ขัดแย้ง {len(conflicts)} แถวไม่ถูกเขียนทับ: listed in {written}; "
        f"resolve with 'ecogis sync {verb} … --ours' (keep the copy's) or '--theirs' (take "
        "the database's), or edit the rows and push again"
    )


@click.group("sync")
def sync_group() -> None:
    """Offline provincial copies: pull a province into a GeoPackage, work offline, push.

    \b
    Example:
      ecogis sync pull postgresql://somchai@dbhost/ecogis?schema=ecogis --province 21 \\
          --to rayong.gpkg
      ecogis import compliance visits.csv -w rayong.gpkg     # offline, any verb
      ecogis sync push rayong.gpkg postgresql://somchai@dbhost/ecogis?schema=ecogis
    """


@sync_group.command("pull")
@click.argument("url", type=WORKSPACE)
@click.option("--province", required=True, help="The province's 2-digit code, e.g. 21.")
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The copy (.gpkg): made when missing, brought up to date when it is a copy.",
)
@click.option("--ours", is_flag=True, help="Conflicts: keep the copy's version (push it next).")
@click.option("--theirs", is_flag=True, help="Conflicts: take the database's version.")
@click.option(
    "--conflicts",
    "conflicts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to list conflicts (default: COPY-conflicts.csv beside the copy).",
)
@json_option()
def pull_cmd(
    url: str,
    province: str,
    to: Path,
    ours: bool,
    theirs: bool,
    conflicts_file: Path | None,
    as_json: bool,
) -> None:
    """Copy PROVINCE's rows of the database at URL into the GeoPackage --to.

    Every layer with pro_code gives the province's rows, tables of factories (compliance,
    material flows …) the rows of its factories, and the shared reference layers
    (provinces, districts, zones) come whole. The copy records which database it came from
    and the rows as pulled, so a push later sends exactly what changed. Pulling into an
    existing copy brings the database's changes since (added, updated and deleted rows)
    into the rows you did not change. A row changed on both sides is a conflict: listed
    and left as the copy has it (--ours keeps it, to be pushed; --theirs takes the
    database's).

    \b
    Example:
      ecogis sync pull postgresql://somchai@dbhost/ecogis?schema=ecogis --province 21 \\
          --to rayong.gpkg
    """
    from ecogis.sync import pull

    summary = pull(url, province, to, resolve=_resolution(ours, theirs))
    for line in summary.lines():
        info(line)
    _report_conflicts(summary.conflicts, conflicts_file, str(to), "pull")
    if as_json:
        echo_json(summary.as_dict())
    else:
        click.echo(f"work offline with: ecogis layers -w {to}")


@sync_group.command("push")
@click.argument("copy", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("url", type=WORKSPACE)
@click.option("--ours", is_flag=True, help="Conflicts: the copy's version goes to the database.")
@click.option("--theirs", is_flag=True, help="Conflicts: the copy takes the database's version.")
@click.option(
    "--conflicts",
    "conflicts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to list conflicts (default: COPY-conflicts.csv beside the copy).",
)
@json_option()
def push_cmd(
    copy: Path, url: str, ours: bool, theirs: bool, conflicts_file: Path | None, as_json: bool
) -> None:
    """Send the rows changed in COPY since its pull to the database at URL, in one transaction.

    The rows sent are those added, updated or deleted since the pull, by business key. The
    copy must have been pulled from that database. If the database refuses a row
    (row-level security: a province you may not write), nothing is written. A row changed
    in the copy and in the database since the last sync is a conflict: it is not
    overwritten but listed (on screen and in COPY-conflicts.csv) while the other rows land;
    --ours sends the copy's version, --theirs takes the database's. A second push without
    new edits changes nothing.

    \b
    Example:
      ecogis sync push rayong.gpkg postgresql://somchai@dbhost/ecogis?schema=ecogis
      ecogis sync push rayong.gpkg postgresql://somchai@dbhost/ecogis?schema=ecogis --theirs
    """
    from ecogis.sync import push

    summary = push(copy, url, resolve=_resolution(ours, theirs))
    for line in summary.lines():
        info(line)
    _report_conflicts(summary.conflicts, conflicts_file, str(copy), "push")
    if as_json:
        echo_json(summary.as_dict())
    else:
        click.echo(
            f"{summary.added} added, {summary.updated} updated, {summary.deleted} deleted; "
            f"{len(summary.conflicts)} conflicts"
        )


def register(cli: click.Group) -> None:
    """Add ``sync`` to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(sync_group)
