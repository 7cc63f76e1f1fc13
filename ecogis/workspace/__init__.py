"""The workspace: every layer and table of a project, in one store.

This is the only package that reads or writes workspace data. Everything else receives
GeoDataFrames and DataFrames from :meth:`Workspace.read` and hands results to
:meth:`Workspace.write` / :meth:`Workspace.upsert`.

Stores
    Where the data live is a *store* (:mod:`ecogis.workspace.store`): one GeoPackage file
    (:mod:`~ecogis.workspace.gpkg`, the embedded default) or a PostgreSQL schema with
    PostGIS (:mod:`~ecogis.workspace.postgis`). ``Workspace.open("w.gpkg")`` and
    ``Workspace.open("postgresql://user@host:5432/db?schema=ecogis")`` give the same API;
    the workspace keeps the data model (contract coercion, validation, the upsert rule),
    the store moves rows in and out.

Atomicity and writers
    :meth:`Workspace.batch` is one store transaction: on GeoPackage a locked private copy
    moved over the original at the end, on PostGIS one database transaction. Everything
    written inside lands together or not at all, and a second writer waits for the first
    (GeoPackage) or merges through row locks (PostGIS), so no write is lost.

Hooks
    Code above storage registers :func:`add_after_write_hook` functions that run at the
    end of each batch that wrote layers, inside the batch (:mod:`ecogis.qgis` refreshes
    default styles and the stored project this way). The workspace imports no
    presentation code.

Metadata
    ``ecogis_meta`` holds key/value settings such as the workspace language and the
    layout version (``schema_version``): a workspace written with another layout is
    refused with a clear message, never migrated silently.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ecogis import schema
from ecogis.errors import DataValidationError, WorkspaceError
from ecogis.workspace._merge import common_geometry_type, merge_by_key
from ecogis.workspace._settings import (
    ENGINES,
    add_after_write_hook,
    after_write_hooks,
    default_engine,
    remove_after_write_hook,
    set_default_engine,
)
from ecogis.workspace._validate import validate_workspace
from ecogis.workspace.locate import open_store
from ecogis.workspace.store import (
    META_TABLE,
    SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
    Filters,
    KeyedStore,
    Store,
    StyleRecord,
    check_identifier,
    is_database_url,
)

__all__ = [
    "ENGINES",
    "META_TABLE",
    "LayerInfo",
    "StyleRecord",
    "UpsertResult",
    "Workspace",
    "add_after_write_hook",
    "remove_after_write_hook",
    "set_default_engine",
]

RUN_OPEN_KEY = "run_open"
"""``ecogis_meta`` key a multi-step run sets when it starts and removes when it finished."""


@dataclass(frozen=True)
class LayerInfo:
    """What :meth:`Workspace.layers` reports about one layer.

    Attributes
    ----------
    name : str
        The layer (table) name, lowercase snake_case.
    kind : str
        ``"vector"`` (features with a geometry) or ``"table"`` (attributes only).
    geometry_type : str or None
        The stored geometry type in title case (``"Point"``, ``"Multipolygon"`` …);
        ``None`` for a table.
    rows : int
        Number of rows (features) stored.
    title_th, title_en : str
        The Thai and English titles from the layer contract (the name when it has none).
    description : str
        The description stored with the layer (Thai | English from the contract).
    group : str
        The contract's group (one of :data:`ecogis.schema.GROUPS`), ``"other"`` without one.
    """

    name: str
    kind: str  # "vector" or "table"
    geometry_type: str | None
    rows: int
    title_th: str
    title_en: str
    description: str
    group: str

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict.

        Returns
        -------
        dict of str to Any
            The fields of this record by name (``name``, ``kind``, ``geometry_type``,
            ``rows``, ``title_th``, ``title_en``, ``description``, ``group``).
        """
        return asdict(self)


@dataclass(frozen=True)
class UpsertResult:
    """Counts from :meth:`Workspace.upsert`.

    Attributes
    ----------
    added : int
        Incoming rows whose business key was new (rows).
    updated : int
        Incoming rows whose key existed and whose values differed from the stored row.
    unchanged : int
        Incoming rows whose key existed with the same values (nothing written for them).
    """

    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        """Rows in the incoming frame."""
        return self.added + self.updated + self.unchanged


class Workspace:
    """An ecogis workspace: a GeoPackage file or a PostGIS schema.

    Parameters
    ----------
    location : str or os.PathLike of str
        A ``.gpkg`` path or a ``postgresql://user@host:port/db?schema=NAME`` URL. Use
        :meth:`create` or :meth:`open` rather than the constructor so that a missing or
        foreign workspace is reported clearly.
    engine : str or None, optional
        GeoPackage I/O: ``"pyogrio"`` (about ten times faster) or ``"fiona"`` (needs the
        ``ecogis[fiona]`` extra). ``None`` (default) takes the process default
        (:func:`set_default_engine`, normally ``"pyogrio"``).

    Raises
    ------
    WorkspaceError
        For an unknown engine, the fiona engine when fiona is not installed, or a
        location URL of a scheme other than ``postgresql://``.

    Examples
    --------
    >>> ws = Workspace.create("demo.gpkg")                                  # doctest: +SKIP
    >>> with ws.batch():                                                    # doctest: +SKIP
    ...     ws.write("factories", factories)
    ...     ws.write("communities", communities)
    >>> ws.read("factories", filters={"pro_code": "25"}).head()             # doctest: +SKIP
    """

    def __init__(self, location: str | os.PathLike[str], *, engine: str | None = None) -> None:
        engine = engine or default_engine()
        if engine not in ENGINES:
            raise WorkspaceError(
                f"unknown engine {engine!r}", fix=f"use one of {', '.join(ENGINES)}"
            )
        if engine == "fiona":
            try:
                import fiona  # noqa: F401
            except ImportError as exc:
                raise WorkspaceError(
                    "the fiona engine is not installed",
                    fix="pip install 'ecogis[fiona]', or leave --engine at pyogrio",
                ) from exc
        self.engine = engine
        self._store: Store = open_store(os.fspath(location), engine=engine)
        self._written: list[str] = []
        self._dirty = False

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, location: str | os.PathLike[str], *, engine: str | None = None) -> Workspace:
        """Open ``location``, creating an empty workspace there if it does not exist.

        A new workspace gets one ``ecogis_meta`` setting, ``created`` (ISO 8601, UTC), and
        the layout version.

        Parameters
        ----------
        location : str or os.PathLike of str
            A ``.gpkg`` path (its folder must exist) or a ``postgresql://`` URL.
        engine : str or None, optional
            GeoPackage I/O engine, ``"pyogrio"`` or ``"fiona"``; ``None`` (default): the
            process default.

        Returns
        -------
        Workspace
            The workspace, existing or just created.

        Raises
        ------
        WorkspaceError
            When an existing file is not a GeoPackage (or is damaged), was written with
            another workspace layout version, or the location cannot be written.
        """
        ws = cls(location, engine=engine)
        if ws._store.exists():
            ws._check_opened()
            return ws
        with ws.batch():
            ws.set_meta("created", datetime.now(UTC).isoformat(timespec="seconds"))
        return ws

    @classmethod
    def open(cls, location: str | os.PathLike[str], *, engine: str | None = None) -> Workspace:
        """Open an existing workspace; raise :class:`WorkspaceError` if it is missing.

        Parameters
        ----------
        location : str or os.PathLike of str
            A ``.gpkg`` path or a ``postgresql://`` URL.
        engine : str or None, optional
            GeoPackage I/O engine, ``"pyogrio"`` or ``"fiona"``; ``None`` (default): the
            process default.

        Returns
        -------
        Workspace
            The opened workspace.

        Raises
        ------
        WorkspaceError
            When there is no workspace at ``location``, it is not a GeoPackage or is
            damaged, or it was written with another workspace layout version.
        """
        ws = cls(location, engine=engine)
        if not ws._store.exists():
            if is_database_url(str(location)):
                raise WorkspaceError(
                    f"schema {ws.title!r} of this database holds no ecogis workspace",
                    source=ws.location,
                    fix="check ?schema= in the URL, or create the workspace: "
                    f"ecogis db init '{ws.location}'",
                )
            raise WorkspaceError(
                "workspace does not exist",
                source=ws.location,
                fix="create one with 'ecogis demo' or 'ecogis import ... --workspace FILE'",
            )
        ws._check_opened()
        return ws

    @classmethod
    def open_if_exists(
        cls, location: str | os.PathLike[str], *, engine: str | None = None
    ) -> Workspace | None:
        """Open the workspace at ``location``, or ``None`` when none has been created there.

        Parameters
        ----------
        location : str or os.PathLike of str
            A ``.gpkg`` path or a ``postgresql://`` URL.
        engine : str or None, optional
            GeoPackage I/O engine, ``"pyogrio"`` or ``"fiona"``; ``None`` (default): the
            process default.

        Returns
        -------
        Workspace or None
            The opened workspace, or ``None`` when the file (the database schema) does not
            exist.

        Raises
        ------
        WorkspaceError
            When what is there is not a readable workspace of this layout version.
        """
        ws = cls(location, engine=engine)
        if not ws._store.exists():
            return None
        ws._check_opened()
        return ws

    def _check_opened(self) -> None:
        self._store.check_open()
        found = self._store.get_meta(SCHEMA_VERSION_KEY)
        if found is not None and found != SCHEMA_VERSION:
            raise WorkspaceError(
                f"was written by another ecogis version (workspace schema {found}; this "
                f"ecogis reads schema {SCHEMA_VERSION}) and is not changed silently",
                source=self.location,
                fix="open it with the ecogis version that wrote it, or export its layers "
                "and import them into a new workspace",
            )

    # ------------------------------------------------------------------ where it lives
    @property
    def store(self) -> Store:
        """The store behind this workspace (GeoPackage or PostGIS)."""
        return self._store

    @property
    def path(self) -> Path:
        """The GeoPackage file (a GeoPackage workspace only; others use :attr:`location`)."""
        path = getattr(self._store, "path", None)
        if not isinstance(path, Path):
            raise WorkspaceError(
                "is a database workspace, not a file",
                source=self.location,
                fix="use Workspace.location (text) or Workspace.output_dir (a folder)",
            )
        return path

    @property
    def location(self) -> str:
        """Where the workspace lives, for messages and commands shown to a person.

        The GeoPackage's path (on a database store: its URL without the password).
        """
        return self._store.location

    @property
    def output_dir(self) -> Path:
        """The default folder for files a verb writes for people (CSVs, maps, rasters).

        The GeoPackage's folder (on a database store: the current folder).
        """
        return self._store.output_dir

    @property
    def title(self) -> str:
        """A short name: the file's stem, or the database schema."""
        return self._store.title

    # ------------------------------------------------------------------ batches
    @contextlib.contextmanager
    def batch(self) -> Iterator[Workspace]:
        """Group writes so that they all land together or none does.

        Inside the block reads see the batch's own writes; other processes see the
        workspace as it was until the block ends. Nested batches join the outer one. At the
        end of a batch that wrote layers the after-write hooks run (inside it), and the
        layout version is recorded when anything was written.

        Yields
        ------
        Workspace
            This workspace, for ``with ws.batch() as ws:``.

        Raises
        ------
        WorkspaceError
            When the store cannot be written (read-only file or folder, full disk, a
            refused database write); nothing of the batch is then written.
        """
        if self._store.in_transaction:
            yield self
            return
        self._written, self._dirty = [], False
        try:
            with self._store.transaction():
                yield self
                if self._written:
                    for hook in after_write_hooks():
                        hook(self, list(self._written))
                if self._dirty and self._store.get_meta(SCHEMA_VERSION_KEY) != SCHEMA_VERSION:
                    self._store.set_meta(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
        finally:
            self._written, self._dirty = [], False

    def _wrote(self, layer: str | None = None) -> None:
        self._dirty = True
        if layer is not None and layer not in self._written:
            self._written.append(layer)

    def begin_run(self, name: str) -> None:
        """Mark a multi-step run as started (inside a batch).

        :meth:`validate` reports the workspace as incomplete until :meth:`finish_run`
        removes the mark.

        Parameters
        ----------
        name : str
            The run's name as a person reads it in the message (e.g. ``"assess"``); the
            start time (UTC, to the minute) is added to it.
        """
        self.set_meta(RUN_OPEN_KEY, f"{name} (started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")

    def finish_run(self) -> None:
        """Remove the mark :meth:`begin_run` set."""
        with self.batch():
            self._store.set_meta(RUN_OPEN_KEY, None)
            self._wrote()

    # ------------------------------------------------------------------ listing
    def layer_names(self) -> list[str]:
        """Names of the user-visible layers and tables (internal tables left out).

        Returns
        -------
        list of str
            Layer names sorted by name; ``ecogis_meta``, ``layer_styles``,
            ``qgis_projects`` and hidden ``_``-prefixed tables are left out. Empty for a
            workspace not yet created.
        """
        return self._store.layer_names()

    def has_layer(self, name: str) -> bool:
        """Whether the workspace holds layer ``name``.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        bool
            True when ``name`` is one of :meth:`layer_names`.
        """
        return name in self.layer_names()

    def layers(self) -> list[LayerInfo]:
        """Every layer with its kind, geometry type, row count, titles and description.

        Returns
        -------
        list of LayerInfo
            One per user-visible layer, ordered by the contract group (in the order of
            :data:`ecogis.schema.GROUPS`, layers without a contract last) and then by name.
        """
        out = []
        for s in self._store.layer_list():
            c = schema.contract(s.name) if schema.has_contract(s.name) else None
            out.append(
                LayerInfo(
                    name=s.name,
                    kind=s.kind,
                    geometry_type=s.geometry_type.title() if s.geometry_type else None,
                    rows=s.rows,
                    title_th=c.title_th if c else s.name,
                    title_en=c.title_en if c else s.name,
                    description=s.description,
                    group=c.group if c else "other",
                )
            )
        order = {g: i for i, g in enumerate(schema.GROUPS)}
        return sorted(out, key=lambda i: (order.get(i.group, 99), i.name))

    # ------------------------------------------------------------------ reading
    def read(
        self,
        name: str,
        *,
        columns: list[str] | None = None,
        filters: Filters | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read a layer as a GeoDataFrame (a DataFrame for a table), with contract dtypes.

        Parameters
        ----------
        name : str
            Layer name.
        columns : list of str or None, optional
            Only these attribute columns (default ``None``: all); the geometry always comes.
        filters : Filters or None, optional
            Only rows matching every item: ``{"pro_code": "25"}`` (equal),
            ``{"factory_id": ["a", "c"]}`` (any of), ``{"zone_id": None}`` (blank).
            Default ``None``: every row.
        bbox : tuple of float or None, optional
            (min lon, min lat, max lon, max lat) in degrees (EPSG:4326): only features
            intersecting it. Default ``None``: no spatial filter.

        Returns
        -------
        geopandas.GeoDataFrame or pandas.DataFrame
            A GeoDataFrame in EPSG:4326 for a vector layer, a DataFrame for a table.

        Raises
        ------
        WorkspaceError
            If the layer is not in the workspace, or a filter names an unknown column.
        """
        if not self.has_layer(name):
            raise WorkspaceError(
                f"layer {name!r} is not in the workspace",
                source=self.location,
                fix=self._hint_for_missing(name),
            )
        contract = schema.contract(name) if schema.has_contract(name) else None
        if filters and contract is not None:
            unknown = [c for c in filters if c not in contract.field_names]
            if unknown:
                raise WorkspaceError(
                    f"cannot filter {name} on {', '.join(unknown)}: not a field of the layer",
                    fix=f"filter on one of {', '.join(contract.field_names)}",
                )
        frame = self._store.read_frame(name, columns=columns, filters=filters, bbox=bbox)
        if contract is not None:
            frame = schema.coerce_dtypes(frame, contract)
            if columns is not None:
                keep = [col for col in frame.columns if col in columns or col == "geometry"]
                frame = frame[keep]
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None and "geometry" in frame:
            frame = frame.set_crs(4326)
        return frame

    def read_if_present(
        self,
        name: str,
        *,
        columns: list[str] | None = None,
        filters: Filters | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> gpd.GeoDataFrame | pd.DataFrame | None:
        """Like :meth:`read`, but ``None`` when the layer is absent.

        Parameters
        ----------
        name : str
            Layer name.
        columns : list of str or None, optional
            Only these attribute columns (default ``None``: all).
        filters : Filters or None, optional
            Only rows matching every item, as for :meth:`read` (default ``None``: all rows).
        bbox : tuple of float or None, optional
            (min lon, min lat, max lon, max lat) in degrees (EPSG:4326): only features
            intersecting it (default ``None``: no spatial filter).

        Returns
        -------
        geopandas.GeoDataFrame or pandas.DataFrame or None
            The layer as :meth:`read` returns it, or ``None`` when the workspace has no
            layer ``name``.

        Raises
        ------
        WorkspaceError
            When a filter names a column that is not a field of the layer.
        """
        if not self.has_layer(name):
            return None
        return self.read(name, columns=columns, filters=filters, bbox=bbox)

    @staticmethod
    def _hint_for_missing(name: str) -> str:
        hints = {
            "factories": "import the DIW registry with 'ecogis import factories FILE'",
            "provinces": "import boundaries with 'ecogis import provinces FILE'",
            "districts": "import boundaries with 'ecogis import districts FILE'",
            "communities": "import receptors with 'ecogis import communities FILE'",
            "industrial_zones": "import zones with 'ecogis import zones FILE'",
            "material_flows": "import mass balances with 'ecogis import flows FILE'",
            "compliance": "import compliance records with 'ecogis import compliance FILE'",
        }
        return hints.get(name, "run the analysis that makes it, or see 'ecogis layers'")

    # ------------------------------------------------------------------ writing
    def write(
        self, name: str, frame: gpd.GeoDataFrame | pd.DataFrame, *, validate: bool = True
    ) -> None:
        """Replace layer ``name`` with ``frame``, atomically.

        Parameters
        ----------
        name : str
            Layer name (lowercase snake_case).
        frame : geopandas.GeoDataFrame or pandas.DataFrame
            A GeoDataFrame for a vector layer, a DataFrame for a table. Vector data are
            reprojected to EPSG:4326 (the storage CRS) when they come in another CRS; a
            contract layer's columns are coerced to the contract dtypes.
        validate : bool, optional
            Check the frame against the layer contract first (when one exists) and raise
            :class:`DataValidationError` instead of writing bad data (default ``True``).

        Raises
        ------
        DataValidationError
            When the GeoDataFrame has no CRS, a vector layer comes without geometry, or
            (``validate``) a row breaks the layer contract.
        WorkspaceError
            When ``name`` is not lowercase snake_case, or the store cannot be written.
        """
        contract = schema.contract(name) if schema.has_contract(name) else None
        frame = self._prepare(name, frame, contract, validate=validate)
        gtype = None
        if isinstance(frame, gpd.GeoDataFrame):
            gtype = contract.geometry if contract and contract.geometry else None
            if gtype == "Geometry" or gtype is None:
                gtype = common_geometry_type(frame)
        with self.batch():
            self._store.write_frame(
                name, frame, contract, geometry_type=gtype, description=_description(contract)
            )
            self._wrote(name)

    def _prepare(
        self,
        name: str,
        frame: pd.DataFrame,
        contract: schema.LayerContract | None,
        *,
        validate: bool,
    ) -> pd.DataFrame:
        check_identifier(name, what="layer")
        if isinstance(frame, gpd.GeoDataFrame):
            if frame.crs is None:
                raise DataValidationError(
                    "has no CRS", source=name, fix="set the CRS before writing (EPSG:4326)"
                )
            if frame.crs.to_epsg() != 4326:
                frame = frame.to_crs(4326)
        if contract is not None:
            frame = schema.coerce_dtypes(frame, contract)
            if contract.is_spatial and not isinstance(frame, gpd.GeoDataFrame):
                raise DataValidationError(
                    "is a vector layer but the frame has no geometry",
                    source=name,
                    fix="pass a GeoDataFrame",
                )
            if validate:
                schema.require_valid(frame, contract, source=name)
        return frame

    def upsert(
        self, name: str, frame: gpd.GeoDataFrame | pd.DataFrame, *, validate: bool = True
    ) -> UpsertResult:
        """Insert or update rows of ``frame`` into layer ``name`` by its business key.

        Rows whose key is new are added; rows whose key exists replace the stored row,
        except that a column the incoming frame does not have keeps its stored value.
        Nothing stored under other keys is touched. The stored rows are read inside the
        batch, so a concurrent writer's rows are never overwritten with a stale copy.

        Parameters
        ----------
        name : str
            A layer with a contract (a business key, ``layers/<name>.toml``).
        frame : geopandas.GeoDataFrame or pandas.DataFrame
            The incoming rows, with at least the key columns; a GeoDataFrame for a vector
            layer (reprojected to EPSG:4326 when in another CRS).
        validate : bool, optional
            Check the incoming rows against the contract and raise
            :class:`DataValidationError` instead of writing bad data (default ``True``).

        Returns
        -------
        UpsertResult
            How many rows were added, updated and unchanged.

        Raises
        ------
        WorkspaceError
            When the layer has no contract (no business key), or the store refused the
            write (on PostGIS: a row outside the role's province); nothing is written then.
        DataValidationError
            When the frame has no CRS, or (``validate``) a row breaks the contract.
        """
        contract = schema.contract(name) if schema.has_contract(name) else None
        if contract is None:
            raise WorkspaceError(
                f"cannot upsert into {name!r}: it has no layer contract (no business key)",
                fix="use Workspace.write to replace the layer",
            )
        incoming = self._prepare(name, frame, contract, validate=False)
        columns = [str(c) for c in frame.columns]
        with self.batch():
            if not self.has_layer(name):
                self.write(name, incoming, validate=validate)
                return UpsertResult(added=len(incoming), updated=0, unchanged=0)
            if isinstance(self._store, KeyedStore):
                if validate:
                    schema.require_valid(incoming, contract, source=name)
                counts = self._store.upsert_rows(name, incoming[columns], contract)
                if counts.added or counts.updated:
                    self._wrote(name)
                return UpsertResult(counts.added, counts.updated, counts.unchanged)
            stored = self.read(name)
            merged, added, updated, unchanged = merge_by_key(
                stored, incoming, list(contract.key), columns
            )
            if merged is not None:
                self.write(name, merged, validate=validate)
        return UpsertResult(added=added, updated=updated, unchanged=unchanged)

    def delete_rows(self, name: str, rows: pd.DataFrame) -> int:
        """Delete the rows of layer ``name`` whose business key is one of ``rows``' keys.

        Parameters
        ----------
        name : str
            A contract layer.
        rows : pandas.DataFrame
            A frame with (at least) the layer's key columns; other columns are ignored
            except to name refused rows in an error. Keys not stored are no error.

        Returns
        -------
        int
            How many stored rows were deleted.

        Raises
        ------
        WorkspaceError
            When the layer has no contract (no business key), or the database refused a
            row (row-level security): then nothing of the batch is written.
        """
        contract = schema.contract(name) if schema.has_contract(name) else None
        if contract is None:
            raise WorkspaceError(
                f"cannot delete rows of {name!r} by key: it has no layer contract",
                fix="use Workspace.write to replace the layer",
            )
        key = list(contract.key)
        missing = [k for k in key if k not in rows.columns]
        if missing:
            raise WorkspaceError(
                f"cannot delete rows of {name}: the frame lacks key column(s) {', '.join(missing)}",
                fix=f"pass a frame with {', '.join(key)}",
            )
        with self.batch():
            if not len(rows) or not self.has_layer(name):
                return 0
            wanted = schema.coerce_dtypes(pd.DataFrame(rows), contract)[list(rows.columns)]
            if isinstance(self._store, KeyedStore):
                deleted = self._store.delete_rows(name, wanted, contract)
            else:
                stored = self.read(name)
                gone = schema.join_key(stored, key).isin(set(schema.join_key(wanted, key)))
                deleted = int(gone.sum())
                if deleted:
                    self.write(name, stored[~gone.to_numpy()], validate=False)
            if deleted:
                self._wrote(name)
        return deleted

    def delete_layer(self, name: str) -> None:
        """Remove a layer (and its default style) from the workspace.

        The after-write hooks run for it at the end of the batch (so the stored QGIS
        project is rebuilt without it). A layer that is not there is no error.

        Parameters
        ----------
        name : str
            Layer name.
        """
        with self.batch():
            if not self.has_layer(name):
                return
            self._store.drop_layer(name)
            # Let the end-of-batch hooks rebuild the stored QGIS project without it.
            self._wrote(name)

    # ------------------------------------------------------------------ metadata
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """Read a workspace setting from ``ecogis_meta``.

        Parameters
        ----------
        key : str
            The setting, e.g. ``"language"``, ``"created"``, ``"schema_version"``.
        default : str or None, optional
            What to return when the setting (or the whole workspace) is absent (default
            ``None``).

        Returns
        -------
        str or None
            The stored text, or ``default``.
        """
        if not self._store.exists() and not self._store.in_transaction:
            return default
        value = self._store.get_meta(key)
        return default if value is None else value

    def meta_items(self) -> dict[str, str]:
        """Every workspace setting of ``ecogis_meta``.

        Returns
        -------
        dict of str to str
            Key → value text; empty for a workspace not yet created.
        """
        return self._store.meta_items() if self._store.exists() else {}

    def copy_from(self, source: Workspace) -> list[str]:
        """Write every layer and setting of ``source`` into this workspace, in one batch.

        Layers are copied as stored (already checked when they were written, so not
        validated again); this workspace's own layout version is kept.

        Parameters
        ----------
        source : Workspace
            The workspace to copy from (either store kind).

        Returns
        -------
        list of str
            The names of the layers copied, sorted.
        """
        names = source.layer_names()
        with self.batch():
            for name in names:
                self.write(name, source.read(name), validate=False)
            for key, value in source.meta_items().items():
                if key != SCHEMA_VERSION_KEY:
                    self.set_meta(key, value)
        return names

    def set_meta(self, key: str, value: str) -> None:
        """Store a workspace setting in ``ecogis_meta`` (key/value text).

        Parameters
        ----------
        key : str
            The setting's name.
        value : str
            Its value (replaces a stored one).
        """
        with self.batch():
            self._store.set_meta(key, value)
            self._wrote()

    # ------------------------------------------------------------------ QGIS tables
    def write_styles(self, records: list[StyleRecord]) -> None:
        """Insert or replace default QGIS styles in ``layer_styles`` (one row per layer).

        ``f_table_catalog`` and ``f_table_schema`` follow QGIS's own layout (empty on a
        GeoPackage, the schema on PostGIS) and ``useAsDefault`` is set so QGIS applies the
        style on load.

        Parameters
        ----------
        records : list of StyleRecord
            One style per layer; an empty list writes nothing.
        """
        if not records:
            return
        with self.batch():
            self._store.write_styles(records)
            self._wrote()

    def read_styles(self) -> pd.DataFrame:
        """Read the ``layer_styles`` rows of this workspace (empty frame when there is none).

        Returns
        -------
        pandas.DataFrame
            One row per stored style, with the GeoPackage ``layer_styles`` column names on
            both stores: ``f_table_catalog``, ``f_table_schema``, ``f_table_name``,
            ``f_geometry_column``, ``styleName``, ``styleQML``, ``styleSLD``,
            ``useAsDefault``, ``description``.
        """
        return self._store.read_styles()

    def write_qgis_project(self, name: str, content: bytes) -> None:
        """Store a QGIS project (the bytes of a ``.qgz``) in ``qgis_projects``.

        Parameters
        ----------
        name : str
            The project name QGIS lists it under (replaces a stored one of that name).
        content : bytes
            The ``.qgz`` file's bytes.
        """
        with self.batch():
            self._store.write_qgis_project(name, content)
            self._wrote()

    def read_qgis_projects(self) -> dict[str, bytes]:
        """Project name → ``.qgz`` bytes of the projects stored in the workspace.

        Returns
        -------
        dict of str to bytes
            Empty when no project is stored.
        """
        return self._store.read_qgis_projects()

    def qgis_project_uri(self, name: str) -> str:
        """Return the URI QGIS opens the stored project ``name`` with.

        Parameters
        ----------
        name : str
            A project name stored with :meth:`write_qgis_project`.

        Returns
        -------
        str
            ``geopackage:/abs/path.gpkg?projectName=NAME`` on a GeoPackage,
            ``postgresql://…?sslmode=…&dbname=…&schema=…&project=NAME`` on PostGIS.
        """
        return self._store.qgis_project_uri(name)

    def qgis_dataset_ref(self, relative_to: Path | None = None) -> str:
        """How a QGIS project names this workspace (``./demo.gpkg``, a relative path …).

        Parameters
        ----------
        relative_to : pathlib.Path or None, optional
            The folder of the ``.qgz`` file that will reference the data; ``None``
            (default): a project stored inside the workspace itself.

        Returns
        -------
        str
            A GeoPackage path relative to ``relative_to`` (``./<name>.gpkg`` when
            ``None``, an absolute path when no relative one exists), or
            ``postgres:<libpq conninfo>|schema=<schema>`` for a database workspace.
        """
        return self._store.qgis_dataset_ref(relative_to)

    def layer_extent(self, name: str) -> tuple[float, float, float, float] | None:
        """Return a vector layer's extent (min lon, min lat, max lon, max lat); no feature read.

        Parameters
        ----------
        name : str
            A vector layer.

        Returns
        -------
        tuple of float or None
            (min lon, min lat, max lon, max lat) in degrees (EPSG:4326), or ``None`` when
            the layer has no extent (a table, an empty layer).
        """
        return self._store.layer_extent(name)

    def geometry_types(self, name: str) -> list[str]:
        """List the geometry types in a vector layer (``Point``, ``LineString``, ``Polygon``).

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            The distinct base types found (multi types counted as their single type),
            empty for a table.
        """
        return self._store.geometry_types(name)

    def geometry_column(self, name: str) -> str | None:
        """Return the real geometry column of a vector layer as stored (``geom``).

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        str or None
            The stored column name, ``None`` for a table.
        """
        return self._store.geometry_column(name)

    def field_names(self, name: str) -> list[str]:
        """Column names of a layer as stored (without the fid and geometry columns).

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            Attribute column names in stored order.
        """
        return self._store.field_names(name)

    # ------------------------------------------------------------------ validation
    def validate(self, *, runs: bool = True) -> list[schema.Problem]:
        """Check every contract layer, the cross-layer references, and unfinished runs.

        Parameters
        ----------
        runs : bool, optional
            Also report a multi-step run that started and did not finish
            (:meth:`begin_run`; default ``True``); ``False`` for the run itself checking
            its data.

        Returns
        -------
        list of Problem
            Each names the layer, the business key and the field.
        """
        open_run = self.get_meta(RUN_OPEN_KEY) if runs else None
        frames = {
            name: self.read(name)
            for name in sorted(self.layer_names())
            if schema.has_contract(name)
        }
        return validate_workspace(frames, open_run=open_run)


def _description(contract: schema.LayerContract | None) -> str:
    """Return the layer description stored with it: Thai | English, from the contract."""
    if contract is None:
        return ""
    th = contract.description_th or contract.title_th
    en = contract.description_en or contract.title_en
    return f"{th} | {en}"
