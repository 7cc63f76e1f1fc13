"""``ecogis db init URL``: prepare a PostgreSQL/PostGIS database as an ecogis workspace."""

from __future__ import annotations

import click

from ecogis.cli._common import WORKSPACE, info


@click.group("db")
def db_group() -> None:
    """Set up a PostgreSQL/PostGIS database as a shared workspace.

    \b
    Example:
      ecogis db init postgresql://ecogis@localhost:5432/ecogis?schema=ecogis
      ecogis import factories registry.csv -w postgresql://ecogis@localhost/ecogis
    """


@db_group.command("init")
@click.argument("url", type=WORKSPACE)
def init_cmd(url: str) -> None:
    """Create PostGIS, the schema, every layer's table (types, keys, GiST indexes) and the
    QGIS tables (public.layer_styles, <schema>.qgis_projects) in the database at URL.

    Running it again changes nothing that exists. The user needs the right to create a
    schema (and, the first time, the extension: the database owner or a superuser).

    \b
    Example:
      ecogis db init postgresql://ecogis@localhost:5432/ecogis?schema=ecogis
    """
    from ecogis.workspace.locate import open_store
    from ecogis.workspace.postgis import PostGISStore, init_database

    store = open_store(url, engine="pyogrio")
    if not isinstance(store, PostGISStore):
        raise click.UsageError("db init takes a postgresql://user@host:port/db?schema=NAME URL")
    made = init_database(url)
    info(
        f"{store.location}: schema {store.schema} ready with {len(made)} layer tables, "
        "ecogis_meta, qgis_projects and public.layer_styles"
    )
    click.echo(f"use it with: ecogis layers -w '{store.location}'")


def register(cli: click.Group) -> None:
    """Add ``db`` to the ``ecogis`` group."""
    cli.add_command(db_group)
