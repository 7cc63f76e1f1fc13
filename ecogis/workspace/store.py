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
from typing import TYPE_CHECKING, Protocol

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
    """What a store knows about one of its layers without reading features."""

    name: str
    kind: str  # "vector" or "table"
    geometry_type: str | None  # e.g. "POINT", "MULTIPOLYGON", "GEOMETRY"
    rows: int
    description: str


@dataclass(frozen=True)
class StyleRecord:
    """One default style row for ``layer_styles`` (produced by :mod:`ecogis.qgis`)."""

    layer: str
    geometry_column: str
    name: str
    qml: str
    sld: str
    description: str = ""


@dataclass(frozen=True)
class UpsertCounts:
    """How many incoming rows a store added, updated and left unchanged."""

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

    @property
    def native_upsert(self) -> bool:
        """Whether :meth:`upsert_rows` merges in the store itself (else the workspace does)."""
        ...

    def exists(self) -> bool:
        """Whether the workspace has been created."""
        ...

    def check_open(self) -> None:
        """Raise :class:`WorkspaceError` when the store cannot be read as a workspace."""
        ...

    def check_writable(self) -> None:
        """Raise :class:`WorkspaceError` (file, why, fix) when writes cannot succeed."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside land together or none does; nested calls join the outer one."""
        ...

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` is open."""
        ...

    def layer_list(self) -> list[StoredLayer]:
        """Every user-visible layer (internal tables left out), sorted by name."""
        ...

    def layer_names(self) -> list[str]:
        """Names of the user-visible layers."""
        ...

    def read_frame(
        self,
        name: str,
        *,
        columns: list[str] | None,
        filters: Filters | None,
        bbox: tuple[float, float, float, float] | None,
    ) -> pd.DataFrame:
        """A layer as stored (a GeoDataFrame for a vector layer), not yet coerced."""
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
        """Replace layer ``name`` with ``frame``."""
        ...

    def upsert_rows(
        self, name: str, frame: pd.DataFrame, contract: schema.LayerContract
    ) -> UpsertCounts:
        """Merge ``frame`` by ``contract.key`` (only when :attr:`native_upsert`)."""
        ...

    def delete_rows(self, name: str, keys: pd.DataFrame, contract: schema.LayerContract) -> int:
        """Delete the rows whose ``contract.key`` values are those of ``keys`` (only when
        :attr:`native_upsert`); how many were deleted."""
        ...

    def drop_layer(self, name: str) -> None:
        """Remove a layer and its styles."""
        ...

    def get_meta(self, key: str) -> str | None:
        """A value of ``ecogis_meta``."""
        ...

    def set_meta(self, key: str, value: str | None) -> None:
        """Store (``None``: remove) a value of ``ecogis_meta``."""
        ...

    def meta_items(self) -> dict[str, str]:
        """Every ``ecogis_meta`` key and value."""
        ...

    def write_styles(self, records: list[StyleRecord]) -> None:
        """Insert or replace default QGIS styles in ``layer_styles``."""
        ...

    def read_styles(self) -> pd.DataFrame:
        """The ``layer_styles`` rows of this workspace."""
        ...

    def write_qgis_project(self, name: str, content: bytes) -> None:
        """Store a ``.qgz`` in ``qgis_projects``."""
        ...

    def read_qgis_projects(self) -> dict[str, bytes]:
        """Stored project name → ``.qgz`` bytes."""
        ...

    def qgis_project_uri(self, name: str) -> str:
        """The URI QGIS opens the stored project ``name`` with."""
        ...

    def qgis_dataset_ref(self, relative_to: Path | None) -> str:
        """How a QGIS project names this dataset (a relative path, a connection string)."""
        ...

    def layer_extent(self, name: str) -> tuple[float, float, float, float] | None:
        """(min lon, min lat, max lon, max lat) of a vector layer, without reading features."""
        ...

    def geometry_types(self, name: str) -> list[str]:
        """Point / LineString / Polygon present in a vector layer."""
        ...

    def geometry_column(self, name: str) -> str | None:
        """The stored geometry column (``geom``)."""
        ...

    def field_names(self, name: str) -> list[str]:
        """Stored attribute columns (no fid, no geometry)."""
        ...


def is_layer_table(name: str) -> bool:
    """Whether table ``name`` is a user-visible layer (not ecogis's, QGIS's or a hidden one)."""
    return name not in INTERNAL_TABLES and not name.startswith(HIDDEN_PREFIX)


def is_database_url(location: str | Path) -> bool:
    """Whether ``location`` names a database (a ``scheme://`` URL), not a file."""
    return "://" in str(location)


def check_identifier(name: str, *, what: str = "column") -> str:
    """``name`` if it is a lowercase ASCII snake_case identifier, else :class:`WorkspaceError`."""
    if not _IDENTIFIER.match(name):
        raise WorkspaceError(
            f"{what} name {name!r} is not lowercase ASCII snake_case", fix="rename it"
        )
    return name


def filter_items(filters: Filters) -> Iterator[tuple[str, list[FilterValue] | None, bool]]:
    """``(column, values, is_list)`` of a filter, checked; ``values`` ``None`` means IS NULL.

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
    """Whether ``exc`` (an OSError, or a GDAL/SQLite error text) says the disk is full."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left" in text or "database or disk is full" in text or "disk quota" in text


def is_read_only_fs(exc: BaseException) -> bool:
    """Whether ``exc`` says the file system is mounted read-only (errno 30, EROFS)."""
    import errno

    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return True
    return "read-only file system" in str(exc).lower()
