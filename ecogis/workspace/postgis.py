"""The PostGIS store: a workspace in one schema of a PostgreSQL database with PostGIS.

``postgresql://user@host:5432/db?schema=ecogis`` (the password from ``~/.pgpass``,
``PGPASSWORD`` or the URL). Rows move through geopandas ``to_postgis``/``read_postgis``
with SQLAlchemy 2, psycopg 3 and GeoAlchemy2.

Tables
    A contract layer's table is made from its contract (:mod:`ecogis.workspace._pgschema`):
    contract types (text IDs stay text, dates are ``date``), a ``fid`` primary key, a
    UNIQUE constraint on the business key (what ``ON CONFLICT`` merges on) and a GiST index
    on ``geom``. ``ecogis db init URL`` creates them all up front.

Transactions and writers
    :meth:`transaction` is one database transaction: every layer of a batch lands or none
    does. It starts by taking the workspace's writer lock (a transaction-level advisory
    lock on the schema), so a second writer waits — and says so after a few seconds — and
    then reads what the first committed, exactly as on GeoPackage; upserts merge with
    ``INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM …`` under row locks.
"""

from __future__ import annotations

import contextlib
import os
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import geopandas as gpd
import pandas as pd

from ecogis.errors import WorkspaceError
from ecogis.workspace import _lock, _pgerrors, _pgschema
from ecogis.workspace.store import (
    META_TABLE,
    PROJECT_TABLE,
    STYLE_TABLE,
    Filters,
    StoredLayer,
    StyleRecord,
    UpsertCounts,
    check_identifier,
    filter_items,
    is_layer_table,
)

if TYPE_CHECKING:
    import sqlalchemy as sa

    from ecogis import schema
    from ecogis.workspace._pgadmin import GrantSummary as _GrantSummary

DEFAULT_SCHEMA = "ecogis"
COPY_SLICE_ROWS = 20_000
"""Rows per ``to_postgis`` call when a layer is written (bounds the client's memory)."""
_engines: dict[tuple[str, int], Any] = {}


def _sqlalchemy() -> Any:
    try:
        import geoalchemy2  # noqa: F401  (registers the geometry type for reflection)
        import psycopg  # noqa: F401
        import sqlalchemy
    except ImportError as exc:
        raise WorkspaceError(
            f"the PostgreSQL store needs {exc.name}, which is not installed",
            fix="pip install 'ecogis[postgis]'",
        ) from exc
    return sqlalchemy


class PostGISStore:
    """A workspace in one schema of a PostGIS database.

    Parameters
    ----------
    url : str
        ``postgresql://user[:password]@host[:port]/database?schema=NAME``; the schema
        defaults to ``ecogis``, the port to 5432, the host to ``localhost``. Other query
        parameters go to the driver.
    engine : str
        Unused (GDAL engines are for files); kept for the common interface.

    Raises
    ------
    WorkspaceError
        When the schema name is not lowercase snake_case.
    """

    def __init__(self, url: str, *, engine: str) -> None:
        self.engine = engine
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.schema = check_identifier(
            (query.pop("schema", [DEFAULT_SCHEMA]) or [DEFAULT_SCHEMA])[0], what="schema"
        )
        self.host = parts.hostname or "localhost"
        self.port = parts.port or 5432
        self.database = (parts.path or "/").lstrip("/") or (parts.username or "postgres")
        self.user = parts.username or ""
        rest = urlencode({k: v[0] for k, v in query.items()})
        self._url = urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, rest, ""))
        shown = parts.netloc.rsplit("@", 1)
        netloc = shown[-1] if len(shown) == 1 else f"{shown[0].split(':')[0]}@{shown[1]}"
        self._location = urlunsplit(
            ("postgresql", netloc, parts.path, urlencode({"schema": self.schema}), "")
        )
        self._conn: Any = None
        self._checked = False

    # ------------------------------------------------------------------ identity
    @property
    def location(self) -> str:
        """The URL without its password."""
        return self._location

    @property
    def output_dir(self) -> Path:
        """The current folder (a database has no folder of its own)."""
        return Path(".")

    @property
    def title(self) -> str:
        """The schema's name."""
        return self.schema

    def identity(self) -> dict[str, str]:
        """Which database this is, for an offline copy to recognise it (``ecogis sync``).

        The cluster's ``system_identifier`` (set by ``initdb``, the same for every database
        of a cluster and different for another cluster, even one on the same host and
        port), the database and the schema; host and port only for messages.

        Returns
        -------
        dict of str to str
            Keys ``system_identifier``, ``database``, ``schema``, ``host``, ``port``.

        Raises
        ------
        WorkspaceError
            When the server cannot be reached or the database has no PostGIS.
        """
        self._check_server()
        with self._connection() as conn:
            ident, database = conn.exec_driver_sql(
                "SELECT system_identifier::text, current_database() FROM pg_control_system()"
            ).one()
        return {
            "system_identifier": str(ident),
            "database": str(database),
            "schema": self.schema,
            "host": self.host,
            "port": str(self.port),
        }

    def qgis_project_uri(self, name: str) -> str:
        """Return the URI of QGIS's PostgreSQL project storage for project ``name``.

        Parameters
        ----------
        name : str
            A project name stored in ``<schema>.qgis_projects``.

        Returns
        -------
        str
            ``postgresql://[user@]host:port?sslmode=disable&dbname=DB&schema=S&project=NAME``
            (no password: QGIS takes it from ``~/.pgpass`` or asks).
        """
        user = f"{self.user}@" if self.user else ""
        return (
            f"postgresql://{user}{self.host}:{self.port}?sslmode=disable&dbname={self.database}"
            f"&schema={self.schema}&project={name}"
        )

    def qgis_dataset_ref(self, relative_to: Path | None) -> str:
        """``postgres:<libpq conninfo>|schema=<schema>``, the form QGIS project code reads.

        :func:`ecogis.qgis.project.layer_datasource` turns it into ``postgres`` layer
        sources.

        Parameters
        ----------
        relative_to : pathlib.Path or None
            Unused (a database has no relative path); kept for the common interface.

        Returns
        -------
        str
            ``postgres:dbname='DB' host=H port=P [user='U'] sslmode=disable|schema=S``.
        """
        user = f" user='{self.user}'" if self.user else ""
        conninfo = (
            f"dbname='{self.database}' host={self.host} port={self.port}{user} sslmode=disable"
        )
        return f"postgres:{conninfo}|schema={self.schema}"

    # ------------------------------------------------------------------ connections
    def _engine(self) -> Any:
        sa = _sqlalchemy()
        key = (self._url, os.getpid())  # a forked child must not reuse its parent's pool
        if key not in _engines:
            _engines[key] = sa.create_engine(self._url, pool_pre_ping=True)
        return _engines[key]

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        """Yield the transaction's connection, or a short-lived one for a read outside it."""
        if self._conn is not None:
            yield self._conn
            return
        engine = self._engine()
        try:
            conn = engine.connect()
        except Exception as exc:
            raise self._connect_error(exc) from exc
        try:
            yield conn
        finally:
            conn.close()

    def _connect_error(self, exc: BaseException) -> BaseException:
        return _pgerrors.connect_error(self, exc)

    def _q(self, name: str) -> str:
        """``"schema"."name"`` for SQL text (``name`` already checked as an identifier)."""
        return f'"{self.schema}"."{check_identifier(name, what="table")}"'

    # ------------------------------------------------------------------ checks
    def exists(self) -> bool:
        """Whether the schema holds an ecogis workspace (its ``ecogis_meta`` table).

        Returns
        -------
        bool
            True when ``<schema>.ecogis_meta`` exists.

        Raises
        ------
        WorkspaceError
            When the server cannot be reached or the database has no PostGIS.
        """
        self._check_server()
        with self._connection() as conn:
            return bool(
                conn.exec_driver_sql(
                    "SELECT to_regclass(%(t)s) IS NOT NULL", {"t": f'"{self.schema}".{META_TABLE}'}
                ).scalar()
            )

    def _check_server(self) -> None:
        """Refuse a server that cannot be reached or a database without PostGIS."""
        if self._checked:
            return
        with self._connection() as conn:
            has = conn.exec_driver_sql(
                "SELECT 1 FROM pg_extension WHERE extname = 'postgis'"
            ).scalar()
        if not has:
            raise WorkspaceError(
                f"database {self.database!r} has no PostGIS extension",
                source=self.location,
                fix=f"run CREATE EXTENSION postgis; in database {self.database} (as its owner "
                "or a superuser), or 'ecogis db init URL' with such a user",
            )
        self._checked = True

    def check_open(self) -> None:
        """Refuse a server that cannot be reached or a database without PostGIS.

        Raises
        ------
        WorkspaceError
            With the host, port, what failed and the fix.
        """
        self._check_server()

    def check_writable(self) -> None:
        """Check nothing first: a database says so itself when a write is not allowed.

        Only the server is checked (reachable, PostGIS present).

        Raises
        ------
        WorkspaceError
            When the server cannot be reached or the database has no PostGIS.
        """
        self._check_server()

    # ------------------------------------------------------------------ transactions
    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self._conn is not None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One database transaction holding the workspace's writer lock.

        The schema is created when missing. A nested call joins the open transaction.

        Returns
        -------
        Iterator of None
            Used as a context manager; leaving it normally commits, an exception rolls
            everything back.

        Raises
        ------
        WorkspaceError
            When the server cannot be reached or the database has no PostGIS.
        """
        if self._conn is not None:
            yield
            return
        self._check_server()
        engine = self._engine()
        try:
            conn = engine.connect()
        except Exception as exc:
            raise self._connect_error(exc) from exc
        try:
            with conn.begin():
                self._conn = conn
                self._take_writer_lock(conn)
                if conn.exec_driver_sql(
                    "SELECT to_regnamespace(%(s)s) IS NULL", {"s": f'"{self.schema}"'}
                ).scalar():
                    conn.exec_driver_sql(f'CREATE SCHEMA "{self.schema}"')
                yield
        finally:
            self._conn = None
            conn.close()

    def _take_writer_lock(self, conn: Any) -> None:
        """Wait for the schema's advisory lock (released when the transaction ends)."""
        key = zlib.crc32(f"ecogis:{self.database}:{self.schema}".encode()) - 2**31
        _lock.advisory(conn, key, self.location)

    # ------------------------------------------------------------------ listing
    def layer_list(self) -> list[StoredLayer]:
        """Every user-visible table of the schema with kind, geometry type, rows, comment.

        Returns
        -------
        list of StoredLayer
            Sorted by name; internal and ``_``-prefixed tables left out; the geometry type
            as PostGIS registers it (``POINT``, ``MULTIPOLYGON``, ``GEOMETRY``).
        """
        out = []
        with self._connection() as conn:
            rows = conn.exec_driver_sql(
                "SELECT c.relname, g.type, obj_description(c.oid, 'pg_class') "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN geometry_columns g ON g.f_table_schema = n.nspname "
                "AND g.f_table_name = c.relname WHERE n.nspname = %(s)s AND c.relkind = 'r' "
                "ORDER BY c.relname",
                {"s": self.schema},
            ).fetchall()
            for name, gtype, comment in rows:
                if not is_layer_table(name):
                    continue
                count = conn.exec_driver_sql(f"SELECT count(*) FROM {self._q(name)}").scalar()
                out.append(
                    StoredLayer(
                        name=name,
                        kind="vector" if gtype else "table",
                        geometry_type=gtype,
                        rows=int(count),
                        description=comment or "",
                    )
                )
        return out

    def layer_names(self) -> list[str]:
        """Names of the user-visible tables.

        Returns
        -------
        list of str
            The schema's base tables, sorted, internal and ``_``-prefixed ones left out.
        """
        with self._connection() as conn:
            rows = conn.exec_driver_sql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %(s)s "
                "AND table_type = 'BASE TABLE' ORDER BY table_name",
                {"s": self.schema},
            ).fetchall()
        return [r[0] for r in rows if is_layer_table(r[0])]

    # ------------------------------------------------------------------ data
    def _table(self, conn: Any, name: str) -> sa.Table:
        sa = _sqlalchemy()
        return sa.Table(name, sa.MetaData(schema=self.schema), autoload_with=conn)

    def read_frame(
        self,
        name: str,
        *,
        columns: list[str] | None,
        filters: Filters | None,
        bbox: tuple[float, float, float, float] | None,
    ) -> pd.DataFrame:
        """Read a table through ``read_postgis``; filters become bound parameters.

        Parameters
        ----------
        name : str
            Layer name.
        columns : list of str or None
            Only these attribute columns (``None``: all but ``fid``).
        filters : Filters or None
            Only rows matching every item; ``None``: every row.
        bbox : tuple of float or None
            (min lon, min lat, max lon, max lat) in degrees (EPSG:4326): only features
            intersecting it (``ST_Intersects``); ``None``: no spatial filter.

        Returns
        -------
        pandas.DataFrame
            Rows in ``fid`` order: a GeoDataFrame (geometry ``geometry``, EPSG:4326) for a
            table with geometry, else a DataFrame; ``date`` columns as ISO text.

        Raises
        ------
        WorkspaceError
            When a filter names a column the table does not have, or a value is not plain.
        """
        sa = _sqlalchemy()
        with self._connection() as conn:
            table = self._table(conn, name)
            geom = self.geometry_column(name)
            names = [c.name for c in table.columns if c.name not in ("fid", geom)]
            wanted = names if columns is None else [c for c in names if c in columns]
            cols = [table.c[c] for c in wanted]
            if geom:
                cols.append(sa.func.ST_AsEWKB(table.c[geom]).label("geom"))
            stmt = sa.select(*cols)
            for col, values, is_list in filter_items(filters or {}):
                if col not in table.c:
                    raise WorkspaceError(f"cannot filter {name} on {col}: no such column")
                if values is None:
                    stmt = stmt.where(table.c[col].is_(None))
                elif is_list:
                    stmt = stmt.where(table.c[col].in_(values))
                else:
                    stmt = stmt.where(table.c[col] == values[0])
            if bbox is not None and geom:
                env = sa.func.ST_MakeEnvelope(*map(float, bbox), 4326)
                stmt = stmt.where(sa.func.ST_Intersects(table.c[geom], env))
            stmt = stmt.order_by(table.c.fid) if "fid" in table.c else stmt
            if geom:
                gdf = gpd.read_postgis(stmt, conn, geom_col="geom", crs=4326)
                frame: pd.DataFrame = gdf.rename_geometry("geometry")
            else:
                frame = pd.read_sql(stmt, conn)
            dates = [c.name for c in table.columns if isinstance(c.type, sa.Date)]
        for col in dates:
            if col in frame.columns:
                frame[col] = frame[col].map(lambda d: d.isoformat() if d is not None else None)
        return frame

    def _replace_rows(self, conn: Any, name: str, frame: pd.DataFrame) -> None:
        """Insert ``frame`` into the (emptied) table ``name`` with to_postgis / to_sql.

        geopandas writes with COPY, which row-level security does not allow: a table under
        RLS gets the rows through a scratch table and one ``INSERT … SELECT`` instead, so
        every row passes the policies.
        """
        rls = conn.exec_driver_sql(
            "SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(%(t)s)",
            {"t": self._q(name)},
        ).scalar()
        if rls:
            scratch = f"_ecogis_rows_{uuid.uuid4().hex[:10]}"
            conn.exec_driver_sql(
                f"CREATE TABLE {self._q(scratch)} "
                f"(LIKE {self._q(name)} INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )
            self._copy_rows(conn, scratch, frame)
            cols = ", ".join(f'"{c}"' if c != "geometry" else "geom" for c in frame.columns)
            conn.exec_driver_sql(
                f"INSERT INTO {self._q(name)} ({cols}) SELECT {cols} FROM {self._q(scratch)} "
                "ORDER BY fid"
            )
            conn.exec_driver_sql(f"DROP TABLE {self._q(scratch)}")
            return
        self._copy_rows(conn, name, frame)

    def _copy_rows(self, conn: Any, name: str, frame: pd.DataFrame) -> None:
        """Append ``frame`` to table ``name`` in slices of :data:`COPY_SLICE_ROWS` rows.

        ``to_postgis`` / ``to_sql`` per slice: geopandas holds a slice three times over as
        text (EWKB hex, the CSV buffer, the string sent), so a whole layer of 160,000
        emergency rings took 3 GB more than the rings themselves.
        """
        dtypes = _pgschema.column_types(self._table(conn, name))
        for start in range(0, max(len(frame), 1), COPY_SLICE_ROWS):
            part = frame.iloc[start : start + COPY_SLICE_ROWS]
            if isinstance(part, gpd.GeoDataFrame):
                out = part.rename_geometry("geom") if part.geometry.name != "geom" else part
                out.to_postgis(
                    name, conn, schema=self.schema, if_exists="append", index=False, dtype=dtypes
                )
            else:
                pd.DataFrame(part).to_sql(
                    name, conn, schema=self.schema, if_exists="append", index=False, dtype=dtypes
                )

    def write_frame(
        self,
        name: str,
        frame: pd.DataFrame,
        contract: schema.LayerContract | None,
        *,
        geometry_type: str | None,
        description: str,
    ) -> None:
        """Replace the table's rows (creating or widening the table as its contract says).

        Parameters
        ----------
        name : str
            Layer name.
        frame : pandas.DataFrame
            The rows in contract shape (a GeoDataFrame in EPSG:4326 for a vector layer).
        contract : schema.LayerContract or None
            Column types and business key of a new table.
        geometry_type : str or None
            Geometry type of a new table when the contract gives none.
        description : str
            Stored as the comment of a table created now (empty: none).

        Raises
        ------
        WorkspaceError
            When row-level security refuses a row (naming it) or the user may not write
            the table.
        """
        with self._connection() as conn:
            self._require_transaction()
            frame = _pgschema.for_database(frame, contract)
            created = _pgschema.ensure_table(
                conn, self.schema, name, frame, contract, geometry_type=geometry_type
            )
            if created and description:
                # COMMENT takes no bound parameter: a literal (standard_conforming_strings).
                text = "'" + description.replace("'", "''") + "'"
                conn.exec_driver_sql(
                    f"COMMENT ON TABLE {self._q(name)} IS {text}".replace("%", "%%")
                )
            with self._refusals(name, frame, contract):
                conn.exec_driver_sql(f"DELETE FROM {self._q(name)}")
                self._replace_rows(conn, name, frame)

    def upsert_rows(
        self, name: str, frame: pd.DataFrame, contract: schema.LayerContract
    ) -> UpsertCounts:
        """``INSERT … ON CONFLICT (key) DO UPDATE … WHERE (…) IS DISTINCT FROM (…)``.

        The incoming rows go into a scratch table of the transaction (with
        ``to_postgis``), then one statement merges them; ``RETURNING (xmax = 0)`` tells an
        inserted row from an updated one, and a row whose values are all the same is
        neither (the WHERE leaves it alone, so it is not even rewritten).

        Parameters
        ----------
        name : str
            A contract layer (its table is created or widened when needed).
        frame : pandas.DataFrame
            The incoming rows in contract shape; columns it lacks keep their stored values.
        contract : schema.LayerContract
            The layer's contract; ``contract.key`` is the conflict target.

        Returns
        -------
        UpsertCounts
            Rows inserted, updated, and unchanged (incoming rows minus the two).

        Raises
        ------
        WorkspaceError
            When row-level security refuses a row or the user may not write the table.
        """
        with self._connection() as conn:
            self._require_transaction()
            frame = _pgschema.for_database(frame, contract)
            _pgschema.ensure_table(conn, self.schema, name, frame, contract, geometry_type=None)
            scratch = f"_ecogis_incoming_{uuid.uuid4().hex[:10]}"
            conn.exec_driver_sql(
                f"CREATE TABLE {self._q(scratch)} "
                f"(LIKE {self._q(name)} INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )
            # On a failure the transaction rolls back, and the scratch table with it.
            self._copy_rows(conn, scratch, frame)
            cols = [str(c) if c != "geometry" else "geom" for c in frame.columns]
            key = list(contract.key)
            value_cols = [c for c in cols if c not in key]
            quoted = ", ".join(f'"{c}"' for c in cols)
            sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in value_cols)
            old = ", ".join(f't."{c}"' for c in value_cols)
            new = ", ".join(f'EXCLUDED."{c}"' for c in value_cols)
            action = (
                f"DO UPDATE SET {sets} WHERE ROW({old}) IS DISTINCT FROM ROW({new})"
                if value_cols
                else "DO NOTHING"
            )
            with self._refusals(name, frame, contract):
                result = conn.exec_driver_sql(
                    f"INSERT INTO {self._q(name)} AS t ({quoted}) "
                    f"SELECT {quoted} FROM {self._q(scratch)} ORDER BY fid "
                    f"ON CONFLICT ({', '.join(chr(34) + k + chr(34) for k in key)}) {action} "
                    "RETURNING (xmax = 0)"
                )
                rows = result.fetchall()
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self._q(scratch)}")
        added = sum(1 for (inserted,) in rows if inserted)
        updated = len(rows) - added
        return UpsertCounts(added=added, updated=updated, unchanged=len(frame) - len(rows))

    def delete_rows(self, name: str, keys: pd.DataFrame, contract: schema.LayerContract) -> int:
        """``DELETE … WHERE (key) IN (…) RETURNING``; a row left by row-level security is refused.

        Row-level security does not raise on a DELETE: it hides the rows a role may not
        delete. A key that is still there afterwards (the role can read it) was refused, and
        is named in one clear error, so the batch rolls back instead of half-deleting.

        Parameters
        ----------
        name : str
            A contract layer (a missing table deletes nothing).
        keys : pandas.DataFrame
            A frame with (at least) the key columns.
        contract : schema.LayerContract
            The layer's contract; ``contract.key`` names the key columns.

        Returns
        -------
        int
            How many rows were deleted.

        Raises
        ------
        WorkspaceError
            When a row was refused (row-level security) or the user may not write the table.
        """
        import json

        key = list(contract.key)
        with self._connection() as conn:
            self._require_transaction()
            if (
                not keys.shape[0]
                or conn.exec_driver_sql(
                    "SELECT to_regclass(%(t)s) IS NULL", {"t": self._q(name)}
                ).scalar()
            ):
                return 0
            types = dict(
                conn.exec_driver_sql(
                    "SELECT column_name, format_type(atttypid, atttypmod) FROM "
                    "information_schema.columns c JOIN pg_attribute a ON a.attrelid = "
                    "to_regclass(%(t)s) AND a.attname = c.column_name WHERE table_schema = "
                    "%(s)s AND table_name = %(n)s",
                    {"t": self._q(name), "s": self.schema, "n": name},
                ).fetchall()
            )
            records = [
                {k: (None if pd.isna(v) else v) for k, v in zip(key, row, strict=True)}
                for row in keys[key].astype(object).itertuples(index=False, name=None)
            ]
            wanted = (
                f"SELECT {', '.join(chr(34) + k + chr(34) for k in key)} FROM "
                "jsonb_to_recordset(%(rows)s::jsonb) AS x("
                + ", ".join(f'"{k}" {types[k]}' for k in key)
                + ")"
            )
            cols = ", ".join(f't."{k}"' for k in key)
            params = {"rows": json.dumps(records, ensure_ascii=False, default=str)}
            with self._refusals(name, keys, contract):
                deleted = conn.exec_driver_sql(
                    f"DELETE FROM {self._q(name)} AS t WHERE ROW({cols}) IN ({wanted}) "
                    f"RETURNING {cols}",
                    params,
                ).fetchall()
                left = conn.exec_driver_sql(
                    f"SELECT {cols} FROM {self._q(name)} AS t WHERE ROW({cols}) IN ({wanted})",
                    params,
                ).fetchall()
            if left:
                refused = {tuple(str(v) for v in r) for r in left}
                mask = [
                    tuple(str(v) for v in row) in refused
                    for row in keys[key].astype(object).itertuples(index=False, name=None)
                ]
                raise self._rls_error(name, keys[mask], contract)
        return len(deleted)

    @contextlib.contextmanager
    def _refusals(
        self, name: str, frame: pd.DataFrame, contract: schema.LayerContract | None
    ) -> Iterator[None]:
        """Turn a refusal by row-level security or a missing grant into one clear line."""
        import psycopg

        sa = _sqlalchemy()
        try:
            yield
        except (sa.exc.DBAPIError, psycopg.Error) as exc:
            orig = getattr(exc, "orig", None) or exc
            text = str(orig).splitlines()[0]
            if "row-level security" in text:
                raise self._rls_error(name, frame, contract) from exc
            if "permission denied" in text:
                with self._engine().connect() as fresh:
                    user = fresh.exec_driver_sql("SELECT current_user").scalar()
                raise WorkspaceError(
                    f"user {user} may not write layer {name} ({text})",
                    source=self.location,
                    fix="ask the administrator for write access (ecogis db grant)",
                ) from exc
            raise

    def _rls_error(
        self, name: str, frame: pd.DataFrame, contract: schema.LayerContract | None
    ) -> WorkspaceError:
        with self._engine().connect() as conn:
            return _pgerrors.rls_error(conn, self, name, frame, contract)

    def grant_province(self, role: str, province: str) -> _GrantSummary:
        """``ecogis db grant``: ``role`` reads every province, writes ``province`` only.

        Parameters
        ----------
        role : str
            The group role, lowercase snake_case (created when missing).
        province : str
            The 2-digit province code (``pro_code``), e.g. ``"21"``.

        Returns
        -------
        GrantSummary
            The tables limited by province, by factory, and read-only
            (:func:`ecogis.workspace._pgadmin.grant_province`).

        Raises
        ------
        WorkspaceError
            For a role that is not snake_case or a province that is not two digits.
        """
        from ecogis.workspace import _pgadmin

        with self._connection() as conn:
            self._require_transaction()
            return _pgadmin.grant_province(conn, self.schema, role, province)

    def drop_layer(self, name: str) -> None:
        """Drop a table and its styles.

        Parameters
        ----------
        name : str
            Layer name (no error when it is absent).
        """
        with self._connection() as conn:
            self._require_transaction()
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self._q(name)}")
            if _pgschema.has_style_table(conn):
                conn.exec_driver_sql(
                    f"DELETE FROM public.{STYLE_TABLE} WHERE f_table_schema = %(s)s "
                    "AND f_table_name = %(t)s",
                    {"s": self.schema, "t": name},
                )

    def _require_transaction(self) -> None:
        if self._conn is None:
            raise RuntimeError("writes to PostGIS must happen inside a transaction")

    # ------------------------------------------------------------------ metadata
    def get_meta(self, key: str) -> str | None:
        """Read a value of ``ecogis_meta``.

        Parameters
        ----------
        key : str
            The setting's name.

        Returns
        -------
        str or None
            Its value, ``None`` when it or the table is absent.
        """
        with self._connection() as conn:
            present = conn.exec_driver_sql(
                "SELECT to_regclass(%(t)s) IS NOT NULL", {"t": f'"{self.schema}".{META_TABLE}'}
            ).scalar()
            if not present:
                return None
            value = conn.exec_driver_sql(
                f"SELECT value FROM {self._q(META_TABLE)} WHERE key = %(k)s", {"k": key}
            ).scalar()
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str | None) -> None:
        """Store or (``None``) remove a value of ``ecogis_meta``.

        Parameters
        ----------
        key : str
            The setting's name.
        value : str or None
            The value text; ``None`` removes the setting.
        """
        with self._connection() as conn:
            self._require_transaction()
            _pgschema.ensure_internal_tables(conn, self.schema)
            if value is None:
                conn.exec_driver_sql(
                    f"DELETE FROM {self._q(META_TABLE)} WHERE key = %(k)s", {"k": key}
                )
                return
            conn.exec_driver_sql(
                f"INSERT INTO {self._q(META_TABLE)} (key, value) VALUES (%(k)s, %(v)s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                {"k": key, "v": value},
            )

    def meta_items(self) -> dict[str, str]:
        """Every ``ecogis_meta`` key and value.

        Returns
        -------
        dict of str to str
            Key → value; empty when the table is absent.
        """
        with self._connection() as conn:
            present = conn.exec_driver_sql(
                "SELECT to_regclass(%(t)s) IS NOT NULL", {"t": f'"{self.schema}".{META_TABLE}'}
            ).scalar()
            if not present:
                return {}
            rows = conn.exec_driver_sql(f"SELECT key, value FROM {self._q(META_TABLE)}")
            return {str(k): str(v) for k, v in rows.fetchall()}

    # ------------------------------------------------------------------ QGIS tables
    def write_styles(self, records: list[StyleRecord]) -> None:
        """Insert or replace default styles in QGIS's own ``public.layer_styles``.

        Parameters
        ----------
        records : list of StyleRecord
            One style per layer, recorded with this database and schema.
        """
        with self._connection() as conn:
            self._require_transaction()
            _pgschema.write_styles(conn, self.database, self.schema, records)

    def read_styles(self) -> pd.DataFrame:
        """Read the rows of ``public.layer_styles`` for this schema (GeoPackage column names).

        Returns
        -------
        pandas.DataFrame
            See :func:`ecogis.workspace._pgschema.read_styles`.
        """
        with self._connection() as conn:
            return _pgschema.read_styles(conn, self.schema)

    def write_qgis_project(self, name: str, content: bytes) -> None:
        """Store a project in ``<schema>.qgis_projects`` (QGIS's PostgreSQL project storage).

        Parameters
        ----------
        name : str
            The project name (replaces one of that name).
        content : bytes
            The ``.qgz`` file's bytes (stored as ``bytea``).
        """
        with self._connection() as conn:
            self._require_transaction()
            _pgschema.ensure_internal_tables(conn, self.schema)
            conn.exec_driver_sql(
                f"INSERT INTO {self._q(PROJECT_TABLE)} (name, metadata, content) "
                "VALUES (%(n)s, %(m)s, %(c)s) ON CONFLICT (name) DO UPDATE SET "
                "metadata = EXCLUDED.metadata, content = EXCLUDED.content",
                {"n": name, "m": _pgschema.project_metadata(), "c": content},
            )

    def read_qgis_projects(self) -> dict[str, bytes]:
        """Read stored projects by name.

        Returns
        -------
        dict of str to bytes
            Project name → ``.qgz`` bytes; empty when the table is absent.
        """
        with self._connection() as conn:
            present = conn.exec_driver_sql(
                "SELECT to_regclass(%(t)s) IS NOT NULL", {"t": f'"{self.schema}".{PROJECT_TABLE}'}
            ).scalar()
            if not present:
                return {}
            rows = conn.exec_driver_sql(
                f"SELECT name, content FROM {self._q(PROJECT_TABLE)}"
            ).fetchall()
        return {name: bytes(content) for name, content in rows}

    def layer_extent(self, name: str) -> tuple[float, float, float, float] | None:
        """Return the extent from ``ST_Extent``.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        tuple of float or None
            (min lon, min lat, max lon, max lat) in degrees; ``None`` for a table or an
            empty layer.
        """
        geom = self.geometry_column(name)
        if geom is None:
            return None
        with self._connection() as conn:
            return _pgschema.layer_extent(conn, self._q(name), geom)

    def geometry_types(self, name: str) -> list[str]:
        """Point / LineString / Polygon present in the layer.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            The types present (Multi counts as single), in that order; empty for a table.
        """
        geom = self.geometry_column(name)
        if geom is None:
            return []
        with self._connection() as conn:
            return _pgschema.geometry_types(conn, self._q(name), geom)

    def geometry_column(self, name: str) -> str | None:
        """Return the geometry column registered in ``geometry_columns``.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        str or None
            The column name (``geom``), ``None`` for a table.
        """
        with self._connection() as conn:
            return _pgschema.geometry_column(conn, self.schema, name)

    def field_names(self, name: str) -> list[str]:
        """Columns without fid and geometry, in table order.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            Attribute column names.
        """
        geom = self.geometry_column(name)
        with self._connection() as conn:
            return _pgschema.field_names(conn, self.schema, name, geom)

    def init_tables(self) -> list[str]:
        """Create the schema, ecogis's tables and every contract layer's table (``db init``).

        Returns
        -------
        list of str
            The contract layer tables (created now or already there).
        """
        with self._connection() as conn:
            self._require_transaction()
            _pgschema.ensure_internal_tables(conn, self.schema)
            _pgschema.ensure_style_table(conn)
            return _pgschema.create_contract_tables(conn, self.schema)
