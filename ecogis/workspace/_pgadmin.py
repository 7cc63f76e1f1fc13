"""Administration of a PostGIS workspace: ``ecogis db init`` and provincial roles.

``ecogis db init URL`` (:func:`init_database`) creates PostGIS, the schema and every table.

``ecogis db grant URL --province 21 --role rayong_office`` makes (or reuses) the group role
``rayong_office``, lets it read every table of the workspace schema, and lets it write only
the rows of province 21, by row-level security:

* a table with ``pro_code`` (factories, communities, industrial zones, action plans …):
  rows whose ``pro_code`` is the role's province;
* a table keyed by ``factory_id`` without ``pro_code`` (compliance, material flows …):
  rows of the role's province's factories.

Reading stays open to every role (a ``SELECT`` policy ``USING (true)``). The table owner
(the administrator who ran ``db init``) is not bound by the policies. An administrator adds
a person with ``CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE rayong_office`` (see
``docs/postgis.md``). The grants are recorded in ``<schema>.ecogis_grants`` so a refused
write can say which province the user may write.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecogis.errors import WorkspaceError
from ecogis.workspace.store import (
    GRANTS_TABLE,
    PROJECT_TABLE,
    SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
    STYLE_TABLE,
    check_identifier,
)

if TYPE_CHECKING:
    from ecogis.workspace.postgis import PostGISStore


@dataclass(frozen=True)
class GrantSummary:
    """What :func:`grant_province` did.

    Attributes
    ----------
    role : str
        The group role granted.
    province : str
        The 2-digit province code (``pro_code``) it may write.
    by_province : list of str
        Tables with ``pro_code`` whose writes are limited to that province.
    by_factory : list of str
        Tables keyed by ``factory_id`` (no ``pro_code``) limited to the province's
        factories.
    read_only : list of str
        Tables the role may read but not write.
    """

    role: str
    province: str
    by_province: list[str]
    by_factory: list[str]
    read_only: list[str]


def grant_province(conn: Any, schema: str, role: str, province: str) -> GrantSummary:
    """Give ``role`` read access to the schema and write access to ``province``'s rows.

    Runs inside the caller's transaction (the store's). Idempotent: the role's policies
    are replaced, not added twice. A role that does not exist is created (``NOLOGIN``).

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection inside a transaction, as the schema's owner.
    schema : str
        The workspace schema.
    role : str
        The group role (lowercase snake_case), e.g. ``rayong_office``.
    province : str
        The 2-digit province code (``pro_code``) the role may write, e.g. ``"21"``.

    Returns
    -------
    GrantSummary
        Which tables are limited by province, by factory, or read-only for the role.

    Raises
    ------
    WorkspaceError
        For a role name that is not snake_case or a province that is not two digits.
    """
    check_identifier(role, what="role")
    if not (province.isdigit() and len(province) == 2):
        raise WorkspaceError(
            f"province {province!r} is not a 2-digit province code", fix="e.g. --province 21"
        )
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": role}
    ).scalar()
    if not exists:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" NOLOGIN')
    q = f'"{schema}"'
    conn.exec_driver_sql(f'GRANT USAGE, CREATE ON SCHEMA {q} TO "{role}"')
    conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA {q} TO "{role}"')
    conn.exec_driver_sql(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA {q} TO "{role}"')
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {q}.{GRANTS_TABLE} (role text PRIMARY KEY, pro_code text)"
    )
    conn.exec_driver_sql(
        f"INSERT INTO {q}.{GRANTS_TABLE} (role, pro_code) VALUES (%(r)s, %(p)s) "
        "ON CONFLICT (role) DO UPDATE SET pro_code = EXCLUDED.pro_code",
        {"r": role, "p": province},
    )
    conn.exec_driver_sql(f'GRANT SELECT ON {q}.{GRANTS_TABLE} TO "{role}"')
    for table in ("ecogis_meta", PROJECT_TABLE):
        conn.exec_driver_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {q}.{table} TO "{role}"')
    if conn.exec_driver_sql(f"SELECT to_regclass('public.{STYLE_TABLE}')").scalar():
        conn.exec_driver_sql(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON public.{STYLE_TABLE} TO "{role}"'
        )
        conn.exec_driver_sql(f'GRANT USAGE ON SEQUENCE public.{STYLE_TABLE}_id_seq TO "{role}"')
    columns: dict[str, set[str]] = {}
    for table, column in conn.exec_driver_sql(
        "SELECT table_name, column_name FROM information_schema.columns c JOIN "
        "information_schema.tables t USING (table_schema, table_name) WHERE "
        "table_schema = %(s)s AND t.table_type = 'BASE TABLE'",
        {"s": schema},
    ).fetchall():
        columns.setdefault(table, set()).add(column)
    by_province, by_factory, read_only = [], [], []
    own_factories = f"SELECT f.factory_id FROM {q}.factories f WHERE f.pro_code = '{province}'"
    for table in sorted(columns):
        if table in ("ecogis_meta", PROJECT_TABLE, GRANTS_TABLE) or table.startswith("_"):
            continue
        cols = columns[table]
        if "pro_code" in cols:
            rule = f"pro_code = '{province}'"
            by_province.append(table)
        elif "factory_id" in cols and "factories" in columns:
            rule = f"factory_id IN ({own_factories})"
            by_factory.append(table)
        else:
            read_only.append(table)
            continue
        name = f'{q}."{table}"'
        conn.exec_driver_sql(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"DROP POLICY IF EXISTS ecogis_read ON {name}")
        conn.exec_driver_sql(f"CREATE POLICY ecogis_read ON {name} FOR SELECT USING (true)")
        policy = f'"ecogis_write_{role}"'
        conn.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {name}")
        conn.exec_driver_sql(
            f'CREATE POLICY {policy} ON {name} FOR ALL TO "{role}" USING ({rule}) '
            f"WITH CHECK ({rule})"
        )
        conn.exec_driver_sql(f'GRANT INSERT, UPDATE, DELETE ON {name} TO "{role}"')
    return GrantSummary(role, province, by_province, by_factory, read_only)


def allowed_provinces(conn: Any, schema: str) -> list[str]:
    """List the provinces the current user may write (through the roles it belongs to).

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection.
    schema : str
        The workspace schema (its ``ecogis_grants`` table).

    Returns
    -------
    list of str
        Sorted 2-digit province codes; empty when nothing was granted.
    """
    present = conn.exec_driver_sql(
        "SELECT to_regclass(%(t)s) IS NOT NULL", {"t": f'"{schema}".{GRANTS_TABLE}'}
    ).scalar()
    if not present:
        return []
    rows = conn.exec_driver_sql(
        f'SELECT DISTINCT pro_code FROM "{schema}".{GRANTS_TABLE} '
        "WHERE pg_has_role(current_user, role, 'MEMBER') ORDER BY pro_code"
    ).fetchall()
    return [str(r[0]) for r in rows]


def init_database(store: PostGISStore) -> list[str]:
    """``ecogis db init``: PostGIS, the schema, ecogis's and QGIS's tables, every layer table.

    Creates the ``postgis`` extension when it is missing (that needs the database's owner
    or a superuser), then everything else in one transaction. Running it again changes
    nothing that exists.

    Parameters
    ----------
    store : PostGISStore
        The workspace's store (``postgresql://…?schema=NAME``).

    Returns
    -------
    list of str
        The layer tables the schema now has.

    Raises
    ------
    WorkspaceError
        When the server cannot be reached or PostGIS cannot be created.
    """
    import sqlalchemy as sa

    with store._connection() as conn:
        try:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
            conn.commit()
        except sa.exc.DBAPIError as exc:
            conn.rollback()
            has = conn.exec_driver_sql(
                "SELECT 1 FROM pg_extension WHERE extname = 'postgis'"
            ).scalar()
            if not has:
                raise WorkspaceError(
                    f"cannot create the PostGIS extension in database {store.database!r} "
                    f"({str(exc.orig).splitlines()[0]})",
                    source=store.location,
                    fix="ask a superuser to run CREATE EXTENSION postgis; in that database "
                    "(Debian: apt-get install postgresql-15-postgis-3)",
                ) from exc
    with store.transaction():
        if store.get_meta("created") is None:
            store.set_meta("created", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        made = store.init_tables()
        store.set_meta(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
    return made
