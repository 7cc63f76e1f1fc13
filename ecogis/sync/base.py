"""What an offline copy remembers of its pull: where it came from, and the rows as pulled.

Origin
    ``ecogis_meta`` key ``sync_origin`` holds JSON: the database's identity (the cluster's
    ``system_identifier``, the database and the schema; host and port for messages), the
    URL without password, the province, the time of the pull (and of the last push), and
    the layers the copy carries. A push to any other database is refused by this.

Base snapshot
    For every layer the copy carries, a hidden table ``_sync_base_<layer>`` (never listed as
    a layer; :func:`ecogis.workspace.store.is_layer_table`) holds the rows as last agreed
    with the database, as text tokens (:mod:`ecogis.sync.rows`): the joined business key
    and one column per field and for the geometry. A row of the copy that differs from its
    base was changed offline; a row of the database that differs from it was changed
    centrally. Both are written in the same batch as the copy's layers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

import pandas as pd

from ecogis import schema
from ecogis.errors import SyncError
from ecogis.sync import rows
from ecogis.workspace import Workspace

ORIGIN_KEY = "sync_origin"
BASE_PREFIX = "_sync_base_"


@dataclass(frozen=True)
class Origin:
    """Where an offline copy came from (stored as JSON in its ``ecogis_meta``).

    Attributes
    ----------
    system_identifier : str
        The PostgreSQL cluster's ``system_identifier`` (set by ``initdb``).
    database, schema : str
        The database and the workspace schema pulled from.
    host, port : str
        Where the server was reached (for messages only; not part of the identity).
    url : str
        The workspace URL without password.
    province : str
        The 2-digit province code (``pro_code``) pulled.
    pulled_at : str
        Time of the pull, ISO 8601 in UTC.
    pushed_at : str or None
        Time of the last push, ``None`` before the first.
    layers : tuple of str
        The layers the copy carries.
    """

    system_identifier: str
    database: str
    schema: str
    host: str
    port: str
    url: str
    province: str
    pulled_at: str
    pushed_at: str | None = None
    layers: tuple[str, ...] = field(default_factory=tuple)

    def same_database(self, identity: dict[str, str]) -> bool:
        """Whether ``identity`` (:meth:`PostGISStore.identity`) is this copy's database.

        Parameters
        ----------
        identity : dict of str to str
            A database identity with ``system_identifier``, ``database`` and ``schema``.

        Returns
        -------
        bool
            True when all three match (host and port may differ).
        """
        return (self.system_identifier, self.database, self.schema) == (
            identity["system_identifier"],
            identity["database"],
            identity["schema"],
        )

    def describe(self) -> str:
        """Describe the database in words, for messages.

        Returns
        -------
        str
            ``database ecogis, schema ecogis (cluster 7312…) at host:port``.
        """
        return (
            f"database {self.database}, schema {self.schema} (cluster "
            f"{self.system_identifier}) at {self.host}:{self.port}"
        )

    def to_json(self) -> str:
        """Return the JSON stored in ``ecogis_meta``.

        Returns
        -------
        str
            Every field by name (keys sorted, Thai text unescaped), ``layers`` as a list.
        """
        data = asdict(self)
        data["layers"] = list(self.layers)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    def stamped(self, **changes: object) -> Origin:
        """Return a copy with some fields changed.

        Parameters
        ----------
        **changes : object
            Field name → new value (e.g. ``pushed_at=now_utc()``).

        Returns
        -------
        Origin
            A new record; this one is unchanged.
        """
        return replace(self, **changes)  # type: ignore[arg-type]


def open_database(url: str) -> tuple[Workspace, dict[str, str]]:
    """Open the central workspace at ``url`` and read its identity.

    A file or an unreachable server is refused with one line.

    Parameters
    ----------
    url : str
        ``postgresql://user@host:port/db?schema=NAME``.

    Returns
    -------
    tuple of (Workspace, dict of str to str)
        The opened workspace and its :meth:`PostGISStore.identity`.

    Raises
    ------
    SyncError
        When ``url`` is not a database URL or not a PostgreSQL workspace.
    WorkspaceError
        When there is no workspace there or the server cannot be reached.
    """
    from ecogis.workspace.postgis import PostGISStore
    from ecogis.workspace.store import is_database_url

    if not is_database_url(url):
        raise SyncError(
            f"{url!r} is not a database URL: an offline copy syncs with a PostgreSQL/PostGIS "
            "workspace",
            fix="give postgresql://user@host:port/db?schema=NAME",
        )
    ws = Workspace.open(url)
    store = ws.store
    if not isinstance(store, PostGISStore):
        raise SyncError(
            "is not a PostgreSQL workspace", source=ws.location, fix="give a postgresql:// URL"
        )
    return ws, store.identity()


def now_utc() -> str:
    """Return the time now, ISO 8601 in UTC to the second.

    Returns
    -------
    str
        E.g. ``2026-12-03T08:15:00+00:00``.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


def describe_identity(identity: dict[str, str]) -> str:
    """Describe a database identity in the words of :meth:`Origin.describe`.

    Parameters
    ----------
    identity : dict of str to str
        As :meth:`PostGISStore.identity` returns it.

    Returns
    -------
    str
        ``database D, schema S (cluster ID) at host:port``.
    """
    return (
        f"database {identity['database']}, schema {identity['schema']} (cluster "
        f"{identity['system_identifier']}) at {identity['host']}:{identity['port']}"
    )


def read_origin(copy: Workspace) -> Origin | None:
    """Read the copy's origin, or ``None`` for a workspace that was never pulled.

    Parameters
    ----------
    copy : Workspace
        The offline copy (a GeoPackage workspace).

    Returns
    -------
    Origin or None
        The stored origin, ``None`` without a ``sync_origin`` setting.

    Raises
    ------
    SyncError
        When the stored record is not valid JSON of an origin.
    """
    text = copy.get_meta(ORIGIN_KEY)
    if text is None:
        return None
    try:
        data = json.loads(text)
        data["layers"] = tuple(data.get("layers", ()))
        return Origin(**data)
    except (ValueError, TypeError) as exc:
        raise SyncError(
            f"its sync record ({ORIGIN_KEY} in ecogis_meta) is damaged ({exc})",
            source=copy.location,
            fix="pull a new copy with 'ecogis sync pull URL --province CODE --to FILE'",
        ) from exc


def require_origin(copy: Workspace) -> Origin:
    """Read the copy's origin; a plain workspace is refused with the fix.

    Parameters
    ----------
    copy : Workspace
        The offline copy.

    Returns
    -------
    Origin
        The stored origin.

    Raises
    ------
    SyncError
        When ``copy`` was never pulled, or its record is damaged.
    """
    origin = read_origin(copy)
    if origin is None:
        raise SyncError(
            "is not an offline copy (it was never pulled from a database, so there is no "
            "base to tell what changed)",
            source=copy.location,
            fix="pull a copy first: ecogis sync pull URL --province CODE --to FILE, work in "
            "it, then push it; to load a plain workspace into a database use "
            "'ecogis import … -w URL'",
        )
    return origin


def write_origin(copy: Workspace, origin: Origin) -> None:
    """Store ``origin`` in the copy (inside the caller's batch).

    Parameters
    ----------
    copy : Workspace
        The offline copy.
    origin : Origin
        What to store under ``sync_origin``.
    """
    copy.set_meta(ORIGIN_KEY, origin.to_json())


def base_table(layer: str) -> str:
    """Return the hidden table holding ``layer``'s base rows.

    Parameters
    ----------
    layer : str
        A contract layer.

    Returns
    -------
    str
        ``_sync_base_<layer>``.
    """
    return f"{BASE_PREFIX}{layer}"


def read_base(copy: Workspace, layer: str) -> pd.DataFrame:
    """``layer``'s base rows as tokens (empty when the copy has none for it).

    Parameters
    ----------
    copy : Workspace
        The offline copy.
    layer : str
        A contract layer.

    Returns
    -------
    pandas.DataFrame
        A token frame (:func:`ecogis.sync.rows.tokens` layout): index the joined business
        key, object columns :func:`~ecogis.sync.rows.token_columns`.
    """
    contract = schema.contract(layer)
    name = base_table(layer)
    if not copy.store.field_names(name):  # no such table: a layer pulled without a base
        return rows.from_stored(pd.DataFrame({rows.KEY_COLUMN: []}), contract)
    stored = copy.store.read_frame(name, columns=None, filters=None, bbox=None)
    return rows.from_stored(stored, contract)


def write_base(copy: Workspace, layer: str, toks: pd.DataFrame) -> None:
    """Replace ``layer``'s base rows with the token frame ``toks`` (inside a batch).

    Parameters
    ----------
    copy : Workspace
        The offline copy.
    layer : str
        A contract layer.
    toks : pandas.DataFrame
        A token frame (index the joined key); stored as a text table with the key in
        column ``_key`` and NULL as NULL.
    """
    out = toks.reset_index()
    out[rows.KEY_COLUMN] = out[rows.KEY_COLUMN].astype(str)
    # Object columns with None for NULL: pandas would make NaN of it, which GDAL writes
    # as the text "nan".
    frame = pd.DataFrame(
        {c: pd.Series(rows.none_for_na(out[c]), dtype=object) for c in out.columns}
    )
    with copy.batch():
        copy.store.write_frame(base_table(layer), frame, None, geometry_type=None, description="")
