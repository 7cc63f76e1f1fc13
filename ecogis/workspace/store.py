"""The storage interface behind :class:`~ecogis.workspace.Workspace`.

A *store* is where a workspace's layers physically live: one GeoPackage file
(:class:`~ecogis.workspace.gpkg.GeoPackageStore`, the embedded default) or a PostgreSQL
schema with PostGIS (:class:`~ecogis.workspace.postgis.PostGISStore`). The workspace keeps
everything that is about the data model — contract coercion, validation, upsert rules,
hooks — and hands the store frames that are already in contract shape. The store only
moves them in and out, atomically.

A store is chosen from the location a person types (``--workspace``): a ``postgresql://``
URL is a database, any other text without ``://`` is a GeoPackage path
(:func:`ecogis.workspace.locate.open_store`).

Filters
    :meth:`Store.read_frame` takes a structured filter, ``{"pro_code": "25"}`` or
    ``{"factory_id": ["a", "c"]}`` (a list means IN, ``None`` means IS NULL), which each
    store turns into its own query with quoting it controls; no caller ever writes SQL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import pandas as pd

from ecogis.errors import WorkspaceError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ecogis import schema

SCHEMA_VERSION = "1"
"""The layout of ecogis's own tables this version writes and reads (``ecogis_meta``)."""

SCHEMA_VERSION_KEY = "schema_version"
META_TABLE = "ecogis_meta"
STYLE_TABLE = "layer_styles"
PROJECT_TABLE = "qgis_projects"
GRANTS_TABLE = "ecogis_grants"
"""PostGIS: the provinces ``ecogis db grant`` gave each role (read by the refusal message)."""
INTERNAL_TABLES = frozenset({META_TABLE, STYLE_TABLE, PROJECT_TABLE, GRANTS_TABLE})
HIDDEN_PREFIX = "_"
"""Tables whose name starts with it are bookkeeping (scratch tables, an offline copy's
sync base), never listed as layers on either store (:func:`is_layer_table`)."""

FilterValue = str | int | float | bool | None
Filters = Mapping[str, FilterValue | Sequence[FilterValue]]
"""Column → value (equality), list of values (IN) or ``None`` (IS NULL); all ANDed."""

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class StoredLayer:
    """What a store knows about one of its layers without reading features.

    Attributes
    ----------
    name : str
        The table name.
    kind : str
        ``"vector"`` or ``"table"``.
    geometry_type : str or None
        The declared geometry type as the store names it (``"POINT"``,
        ``"MULTIPOLYGON"``, ``"GEOMETRY"`` …); ``None`` for a table.
    rows : int
        Number of rows stored.
    description : str
        The description stored with the table (``gpkg_contents`` or the table comment).
    """

    name: str
    kind: str  # "vector" or "table"
    geometry_type: str | None  # e.g. "POINT", "MULTIPOLYGON", "GEOMETRY"
    rows: int
    description: str


@dataclass(frozen=True)
class StyleRecord:
    """One default style row for ``layer_styles`` (produced by :mod:`ecogis.qgis`).

    Attributes
    ----------
    layer : str
        The layer the style is for (``f_table_name``).
    geometry_column : str
        Its stored geometry column (``f_geometry_column``, ``geom``).
    name : str
        The style's name as QGIS lists it (``styleName``).
    qml : str
        The QGIS style document (QML XML).
    sld : str
        The same style as SLD XML (empty when none could be made).
    description : str, optional
        Free text shown by QGIS (default empty).
    """

    layer: str
    geometry_column: str
    name: str
    qml: str
    sld: str
    description: str = ""


@dataclass(frozen=True)
class UpsertCounts:
    """How many incoming rows a store added, updated and left unchanged.

    Attributes
    ----------
    added, updated, unchanged : int
        Row counts; their sum is the number of incoming rows.
    """

    added: int
    updated: int
    unchanged: int


class Store(Protocol):
    """What :class:`~ecogis.workspace.Workspace` asks of a store.

    Every write method must be called inside :meth:`transaction`; reads inside one see the
    transaction's own writes. Frames handed to :meth:`write_frame` are in contract shape
    (EPSG:4326, contract dtypes).
    """

    engine: str

    @property
    def location(self) -> str:
        """Where the data live, for messages (a path; a URL without its password)."""
        ...

    @property
    def output_dir(self) -> Path:
        """Default folder for files written for people (CSVs, maps, rasters)."""
        ...

    @property
    def title(self) -> str:
        """A short name of the workspace (the file's stem, the database schema)."""
        ...

    def exists(self) -> bool:
        """Whether the workspace has been created.

        Returns
        -------
        bool
            True when the file exists (GeoPackage) or the schema has ``ecogis_meta`` (PostGIS).

        Raises
        ------
        WorkspaceError
            When the location cannot be reached (a folder without permission, a server that
            does not answer, a database without PostGIS).
        """
        ...

    def check_open(self) -> None:
        """Raise :class:`WorkspaceError` when the store cannot be read as a workspace."""
        ...

    def check_writable(self) -> None:
        """Raise :class:`WorkspaceError` (file, why, fix) when writes cannot succeed."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside land together or none does; nested calls join the outer one.

        Returns
        -------
        contextlib.AbstractContextManager of None
            The transaction; leaving it normally commits, an exception rolls back.
        """
        ...

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` is open."""
        ...

    def layer_list(self) -> list[StoredLayer]:
        """Every user-visible layer (internal tables left out), sorted by name.

        Returns
        -------
        list of StoredLayer
            One per layer, without ``ecogis_meta``, ``layer_styles``, ``qgis_projects`` and
            ``_``-prefixed tables.
        """
        ...

    def layer_names(self) -> list[str]:
        """Names of the user-visible layers.

        Returns
        -------
        list of str
            Sorted layer names (internal and hidden tables left out).
        """
        ...

    def read_frame(
        self,
        name: str,
        *,
        columns: list[str] | None,
        filters: Filters | None,
        bbox: tuple[float, float, float, float] | None,
    ) -> pd.DataFrame:
        """Read a layer as stored (a GeoDataFrame for a vector layer), not yet coerced.

        Parameters
        ----------
        name : str
            Layer name.
        columns : list of str or None
            Only these attribute columns (``None``: all); the geometry always comes.
        filters : Filters or None
            Only rows matching every item (see :data:`Filters`); ``None``: every row.
        bbox : tuple of float or None
            (min lon, min lat, max lon, max lat) in degrees (EPSG:4326): only features
            intersecting it; ``None``: no spatial filter.

        Returns
        -------
        pandas.DataFrame
            A GeoDataFrame (geometry column ``geometry``, EPSG:4326) for a vector layer, a
            DataFrame for a table, in the store's own dtypes.
        """
        ...

    def write_frame(
        self,
        name: str,
        frame: pd.DataFrame,
        contract: schema.LayerContract | None,
        *,
        geometry_type: str | None,
        description: str,
    ) -> None:
        """Replace layer ``name`` with ``frame``.

        Parameters
        ----------
        name : str
            Layer name (a checked identifier).
        frame : pandas.DataFrame
            The rows in contract shape (a GeoDataFrame in EPSG:4326 for a vector layer).
        contract : schema.LayerContract or None
            The layer's contract (column types, business key), ``None`` for a layer without.
        geometry_type : str or None
            The geometry type to declare (``"Point"``, ``"MultiPolygon"``, ``"Unknown"``);
            ``None`` for a table.
        description : str
            The text stored with the layer (Thai | English), empty for none.
        """
        ...

    def drop_layer(self, name: str) -> None:
        """Remove a layer and its styles.

        Parameters
        ----------
        name : str
            Layer name.
        """
        ...

    def get_meta(self, key: str) -> str | None:
        """Read a value of ``ecogis_meta``.

        Parameters
        ----------
        key : str
            The setting's name.

        Returns
        -------
        str or None
            Its value, ``None`` when it (or the table) is absent.
        """
        ...

    def set_meta(self, key: str, value: str | None) -> None:
        """Store (``None``: remove) a value of ``ecogis_meta``.

        Parameters
        ----------
        key : str
            The setting's name.
        value : str or None
            The value text; ``None`` removes the setting.
        """
        ...

    def meta_items(self) -> dict[str, str]:
        """Every ``ecogis_meta`` key and value.

        Returns
        -------
        dict of str to str
            Key → value; empty when there is no table yet.
        """
        ...

    def write_styles(self, records: list[StyleRecord]) -> None:
        """Insert or replace default QGIS styles in ``layer_styles``.

        Parameters
        ----------
        records : list of StyleRecord
            One style per layer; each becomes that layer's default (``useAsDefault``).
        """
        ...

    def read_styles(self) -> pd.DataFrame:
        """Read the ``layer_styles`` rows of this workspace.

        Returns
        -------
        pandas.DataFrame
            Columns ``f_table_catalog``, ``f_table_schema``, ``f_table_name``,
            ``f_geometry_column``, ``styleName``, ``styleQML``, ``styleSLD``,
            ``useAsDefault``, ``description``; no rows when there is no style.
        """
        ...

    def write_qgis_project(self, name: str, content: bytes) -> None:
        """Store a ``.qgz`` in ``qgis_projects``.

        Parameters
        ----------
        name : str
            The project name (replaces a stored project of that name).
        content : bytes
            The ``.qgz`` file's bytes.
        """
        ...

    def read_qgis_projects(self) -> dict[str, bytes]:
        """Read the stored projects: name → ``.qgz`` bytes.

        Returns
        -------
        dict of str to bytes
            Empty when no project is stored.
        """
        ...

    def qgis_project_uri(self, name: str) -> str:
        """Return the URI QGIS opens the stored project ``name`` with.

        Parameters
        ----------
        name : str
            A stored project's name.

        Returns
        -------
        str
            A ``geopackage:`` or ``postgresql://`` project-storage URI.
        """
        ...

    def qgis_dataset_ref(self, relative_to: Path | None) -> str:
        """How a QGIS project names this dataset (a relative path, a connection string).

        Parameters
        ----------
        relative_to : pathlib.Path or None
            The folder of the ``.qgz`` that references the data; ``None``: a project stored
            inside the workspace.

        Returns
        -------
        str
            The reference :mod:`ecogis.qgis.project` turns into layer sources.
        """
        ...

    def layer_extent(self, name: str) -> tuple[float, float, float, float] | None:
        """(min lon, min lat, max lon, max lat) of a vector layer, without reading features.

        Parameters
        ----------
        name : str
            A vector layer.

        Returns
        -------
        tuple of float or None
            The extent in degrees (EPSG:4326); ``None`` for a table or an empty layer.
        """
        ...

    def geometry_types(self, name: str) -> list[str]:
        """Point / LineString / Polygon present in a vector layer.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            The base types present, in the order Point, LineString, Polygon (Multi types
            count as their single type); empty for a table.
        """
        ...

    def geometry_column(self, name: str) -> str | None:
        """Return the stored geometry column (``geom``).

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        str or None
            The column name, ``None`` for a table.
        """
        ...

    def field_names(self, name: str) -> list[str]:
        """List the stored attribute columns (no fid, no geometry).

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            Column names in stored order.
        """
        ...


@runtime_checkable
class KeyedStore(Store, Protocol):
    """A store that merges and deletes by business key itself (a database).

    :class:`~ecogis.workspace.Workspace` hands such a store the rows of an ``upsert`` or a
    ``delete_rows`` (``INSERT … ON CONFLICT``, ``DELETE … RETURNING``); for any other store
    it reads the layer, merges or filters, and writes the layer back.
    """

    def upsert_rows(
        self, name: str, frame: pd.DataFrame, contract: schema.LayerContract
    ) -> UpsertCounts:
        """Merge ``frame`` by ``contract.key`` in the store itself.

        Parameters
        ----------
        name : str
            A contract layer.
        frame : pandas.DataFrame
            The incoming rows in contract shape.
        contract : schema.LayerContract
            The layer's contract; its ``key`` is the merge key.

        Returns
        -------
        UpsertCounts
            Rows added, updated and unchanged.
        """
        ...

    def delete_rows(self, name: str, keys: pd.DataFrame, contract: schema.LayerContract) -> int:
        """Delete the rows whose ``contract.key`` values are those of ``keys``.

        Parameters
        ----------
        name : str
            A contract layer.
        keys : pandas.DataFrame
            A frame with (at least) the key columns, in contract dtypes.
        contract : schema.LayerContract
            The layer's contract; its ``key`` names the key columns.

        Returns
        -------
        int
            How many stored rows were deleted.
        """
        ...


def is_layer_table(name: str) -> bool:
    """Whether table ``name`` is a user-visible layer (not ecogis's, QGIS's or a hidden one).

    Parameters
    ----------
    name : str
        A table name.

    Returns
    -------
    bool
        False for ``ecogis_meta``, ``layer_styles``, ``qgis_projects`` and names starting
        with ``_``; True otherwise.
    """
    return name not in INTERNAL_TABLES and not name.startswith(HIDDEN_PREFIX)


def is_database_url(location: str | Path) -> bool:
    """Whether ``location`` names a database (a ``scheme://`` URL), not a file.

    Parameters
    ----------
    location : str or pathlib.Path
        A workspace location as a person typed it.

    Returns
    -------
    bool
        True when it contains ``://``.
    """
    return "://" in str(location)


def check_identifier(name: str, *, what: str = "column") -> str:
    """``name`` if it is a lowercase ASCII snake_case identifier, else :class:`WorkspaceError`.

    Parameters
    ----------
    name : str
        A layer, column, table or schema name.
    what : str, optional
        What the name is, for the message (default ``"column"``).

    Returns
    -------
    str
        ``name`` unchanged.

    Raises
    ------
    WorkspaceError
        When ``name`` does not match ``[a-z_][a-z0-9_]*``.
    """
    if not _IDENTIFIER.match(name):
        raise WorkspaceError(
            f"{what} name {name!r} is not lowercase ASCII snake_case", fix="rename it"
        )
    return name


def filter_items(filters: Filters) -> Iterator[tuple[str, list[FilterValue] | None, bool]]:
    """``(column, values, is_list)`` of a filter, checked; ``values`` ``None`` means IS NULL.

    Parameters
    ----------
    filters : Filters
        Column → value, list of values, or ``None``.

    Yields
    ------
    tuple of (str, list or None, bool)
        The column; its values (one for an equality, any number for a list, ``None`` for
        IS NULL); and whether the filter gave a list (IN).

    Raises
    ------
    WorkspaceError
        For a column name that is not an identifier or a value that is not a plain
        string, number or boolean.
    """
    for col, raw in filters.items():
        check_identifier(col)
        if raw is None:
            yield col, None, False
            continue
        is_list = isinstance(raw, list | tuple | set | frozenset)
        values: list[FilterValue] = list(raw) if is_list else [raw]  # type: ignore[arg-type,list-item]
        for v in values:
            ok = isinstance(v, str | int | float | bool) and not (
                isinstance(v, float) and not math.isfinite(v)
            )
            if not ok or (isinstance(v, str) and "\x00" in v):
                raise WorkspaceError(
                    f"filter {col}={v!r} is not a text, number or yes/no value",
                    fix="filter on plain values, e.g. {'pro_code': '25'}",
                )
        yield col, values, is_list


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (an OSError, or a GDAL/SQLite error text) says the disk is full.

    Parameters
    ----------
    exc : BaseException
        The error raised by a write.

    Returns
    -------
    bool
        True for errno ENOSPC or EDQUOT, or a message saying "no space left",
        "database or disk is full" or "disk quota".
    """
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left" in text or "database or disk is full" in text or "disk quota" in text


def is_read_only_fs(exc: BaseException) -> bool:
    """Whether ``exc`` says the file system is mounted read-only (errno 30, EROFS).

    Parameters
    ----------
    exc : BaseException
        The error raised by a write.

    Returns
    -------
    bool
        True for errno EROFS or a message saying "read-only file system".
    """
    import errno

    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return True
    return "read-only file system" in str(exc).lower()
