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
    """Create PostGIS, the schema, every layer's table and the QGIS tables in the database at URL.

    Every layer's table comes with its types, keys and GiST indexes; the QGIS tables are
    public.layer_styles and <schema>.qgis_projects.

    Running it again changes nothing that exists. The user needs the right to create a
    schema (and, the first time, the extension: the database owner or a superuser).

    \b
    Example:
      ecogis db init postgresql://ecogis@localhost:5432/ecogis?schema=ecogis
    """
    from ecogis.workspace._pgadmin import init_database
    from ecogis.workspace.locate import open_store
    from ecogis.workspace.postgis import PostGISStore

    store = open_store(url, engine="pyogrio")
    if not isinstance(store, PostGISStore):
        raise click.UsageError("db init takes a postgresql://user@host:port/db?schema=NAME URL")
    made = init_database(store)
    info(
        f"{store.location}: schema {store.schema} ready with {len(made)} layer tables, "
        "ecogis_meta, qgis_projects and public.layer_styles"
    )
    click.echo(f"use it with: ecogis layers -w '{store.location}'")


@db_group.command("grant")
@click.argument("url", type=WORKSPACE)
@click.option("--province", required=True, help="The province the role may write (2 digits).")
@click.option("--role", required=True, help="The group role (created when missing).")
def grant_cmd(url: str, province: str, role: str) -> None:
    """Let ROLE read every province and write only PROVINCE's rows (row-level security).

    Tables with pro_code are limited to that province's rows, tables keyed by factory_id
    (compliance, material flows …) to that province's factories. Add a person to the role
    with: CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE ROLE; (see docs/postgis.md).

    \b
    Example:
      ecogis db grant postgresql://admin@localhost/ecogis?schema=ecogis --province 21 \\
          --role rayong_office
    """
    from ecogis.workspace import Workspace
    from ecogis.workspace.postgis import PostGISStore

    ws = Workspace.open(url)
    store = ws.store
    if not isinstance(store, PostGISStore):
        raise click.UsageError("db grant takes a postgresql://user@host:port/db?schema=NAME URL")
    with ws.batch():
        done = store.grant_province(role, province)
    info(
        f"role {done.role}: reads every table of {store.schema}; writes province "
        f"{done.province} only — by pro_code in {', '.join(done.by_province) or 'none'}; "
        f"by factory in {', '.join(done.by_factory) or 'none'}"
    )
    if done.read_only:
        info(f"  read only for the role (no province column): {', '.join(done.read_only)}")
    click.echo(f"add a person: CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE {done.role};")


def register(cli: click.Group) -> None:
    """Add ``db`` to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(db_group)
