"""The GeoPackage store: a workspace in one ``.gpkg`` file (the embedded default).

Atomicity
    Writes never touch the live file. The first write of a transaction makes a private
    copy beside the workspace (``.<name>.<random>.tmp.gpkg``); every write of the
    transaction goes to it, and only when all of them succeeded is it moved over the
    original with :func:`os.replace` (atomic on POSIX and Windows), keeping the original's
    mode and owner. An exception or a killed process leaves the original as it was; a copy
    left by a killed process is removed at the next open.

No lost writes
    A transaction holds the writer's lock (:mod:`ecogis.workspace._lock`) from before the
    copy is made until after the move, so a second writer waits and then works on the
    file as the first one left it.

Guards
    Before any work a transaction checks that the file and its folder can be written
    (a read-only file is refused even for root, whose writes mode bits do not stop); the
    copy is verified to hold every table of the original before it replaces it; a full
    disk or a read-only file system is one clear :class:`WorkspaceError`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import pyogrio

from ecogis.errors import WorkspaceError
from ecogis.workspace import _gpkg_guards, _lock, _tables
from ecogis.workspace.store import (
    META_TABLE,
    Filters,
    StoredLayer,
    StyleRecord,
    filter_items,
    is_layer_table,
)

if TYPE_CHECKING:
    from ecogis import schema

SQLITE_MAGIC = b"SQLite format 3\x00"
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_SIDE_FILES = ("-wal", "-shm", "-journal")

_held_in_process: set[str] = set()
"""Workspaces this process holds the writer's lock of (a second holder would deadlock)."""


class GeoPackageStore:
    """A workspace in one GeoPackage file.

    Parameters
    ----------
    path : pathlib.Path
        The ``.gpkg`` file (it need not exist yet; its folder must, to write).
    engine : str
        GDAL binding for layer I/O: ``"pyogrio"`` or ``"fiona"``.
    """

    def __init__(self, path: Path, *, engine: str) -> None:
        self.path = Path(path)
        self.engine = engine
        self._staging: Path | None = None
        self._locked = False
        self._tables_before: set[str] = set()
        self._dropped: set[str] = set()

    # ------------------------------------------------------------------ identity
    @property
    def location(self) -> str:
        """The file's path as given."""
        return str(self.path)

    @property
    def output_dir(self) -> Path:
        """The GeoPackage's folder."""
        return self.path.parent

    @property
    def title(self) -> str:
        """The file name without ``.gpkg``."""
        return self.path.stem

    def exists(self) -> bool:
        """Whether the file exists.

        Returns
        -------
        bool
            True when the ``.gpkg`` file is there.

        Raises
        ------
        WorkspaceError
            When a folder on the path cannot be searched (permission denied).
        """
        try:
            return self.path.exists()
        except PermissionError as exc:
            raise WorkspaceError(
                "cannot be reached: permission denied on one of its folders",
                source=self.path,
                fix="ask for access to the folder, or work on a copy in your own folder",
            ) from exc

    def qgis_project_uri(self, name: str) -> str:
        """``geopackage:/abs/path.gpkg?projectName=NAME`` (QGIS's GeoPackage project storage).

        Parameters
        ----------
        name : str
            A project name stored in ``qgis_projects``.

        Returns
        -------
        str
            The URI, with the file's absolute POSIX path.
        """
        return f"geopackage:{self.path.resolve().as_posix()}?projectName={name}"

    def qgis_dataset_ref(self, relative_to: Path | None) -> str:
        """Name the GeoPackage as a QGIS project does: relative to ``relative_to`` (a folder).

        Parameters
        ----------
        relative_to : pathlib.Path or None
            The folder of the ``.qgz`` that references the data. ``None`` is a project
            stored inside the GeoPackage itself.

        Returns
        -------
        str
            ``./<name>.gpkg`` for ``None``; otherwise the relative POSIX path (``./`` added
            when it has no leading dot), or the absolute path when none exists (another
            drive on Windows).
        """
        if relative_to is None:
            return f"./{self.path.name}"
        try:
            rel = os.path.relpath(self.path.resolve(), relative_to.resolve())
        except ValueError:  # another drive on Windows: only an absolute path can work
            rel = str(self.path.resolve())
        ref = Path(rel).as_posix()
        if not ref.startswith((".", "/")) and ":" not in ref:
            ref = "./" + ref
        return ref

    # ------------------------------------------------------------------ checks
    def check_open(self) -> None:
        """Refuse a file that is not a GeoPackage or is cut short; tidy a killed run's copies.

        Raises
        ------
        WorkspaceError
            For a folder, a file that cannot be read, a file that is not SQLite or not a
            GeoPackage (application id), or one shorter than its header says.
        """
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(100)
        except IsADirectoryError as exc:
            raise WorkspaceError(
                "is a folder, not a GeoPackage", source=self.path, fix="give a .gpkg file"
            ) from exc
        except PermissionError as exc:
            raise WorkspaceError(
                "cannot be read (permission denied)",
                source=self.path,
                fix="ask its owner for read access, or work on a copy",
            ) from exc
        if not head.startswith(SQLITE_MAGIC):
            raise WorkspaceError(
                "is not a GeoPackage (not an SQLite file)",
                source=self.path,
                fix="give a .gpkg workspace, or a new file name to create one",
            )
        if int.from_bytes(head[68:72], "big") != GPKG_APPLICATION_ID:
            raise WorkspaceError(
                "is an SQLite file but not a GeoPackage",
                source=self.path,
                fix="give a .gpkg workspace, or a new file name to create one",
            )
        _gpkg_guards.check_whole(self.path, head)
        self._remove_stale_copies()

    def check_writable(self) -> None:
        """Refuse, before any work, a file or folder that cannot be written.

        See :func:`~ecogis.workspace._gpkg_guards.check_writable`.

        Raises
        ------
        WorkspaceError
            For a missing or read-only folder, or a read-only file.
        """
        _gpkg_guards.check_writable(self.path)

    def _remove_stale_copies(self) -> None:
        """Remove private copies left by a killed run (only when no writer is running)."""
        folder = self.path.parent
        pattern = f".{self.path.name}.*.tmp.gpkg*"
        if self._locked:
            stale = list(folder.glob(pattern))
        else:
            if not any(folder.glob(pattern)) or not os.access(folder, os.W_OK):
                return
            fd = _lock.try_lock(self.path)
            if fd is None:
                return  # a writer is at work: its copy is not stale
            try:
                stale = list(folder.glob(pattern))
            finally:
                os.close(fd)
        for p in stale:
            if self._staging is not None and str(p).startswith(str(self._staging)):
                continue
            with contextlib.suppress(OSError):
                p.unlink()
                if not p.name.endswith(_SIDE_FILES):
                    print(
                        f"ecogis: note: removed {p.name}, a temporary copy left by an "
                        f"interrupted run; {self.path.name} is as that run found it",
                        file=sys.stderr,
                    )

    # ------------------------------------------------------------------ transactions
    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self._locked

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock, stage writes in a private copy, and move it over the original at the end.

        Returns
        -------
        Iterator of None
            Used as a context manager (``with store.transaction():``); a nested call joins
            the open transaction.

        Raises
        ------
        WorkspaceError
            When the file or folder cannot be written, the disk is full, the file system is
            read-only, or the copy lost a table; the original is then left as it was.
        RuntimeError
            When another object of this process already holds a batch on the same file.
        """
        if self._locked:
            yield
            return
        self.check_writable()
        key = str(self.path.resolve())
        if key in _held_in_process:
            raise RuntimeError(
                f"a batch on {self.path} is already open in this process: write through "
                "the Workspace object that opened it"
            )
        with _lock.exclusive(self.path):
            _held_in_process.add(key)
            self._locked = True
            self._dropped = set()
            try:
                self._remove_stale_copies()
                yield
                if self._staging is not None:
                    self._commit(self._staging)
            except Exception as exc:
                # GDAL often says only "Failed to commit transaction" when the disk is full.
                gdal = isinstance(
                    exc, pyogrio.errors.DataSourceError | pyogrio.errors.DataLayerError
                )
                clear = _gpkg_guards.disk_error(self.path, exc, gdal=gdal)
                if clear is exc:
                    raise
                raise clear from exc
            finally:
                self._locked = False
                _held_in_process.discard(key)
                staging, self._staging = self._staging, None
                if staging is not None:
                    for p in (staging, *(Path(str(staging) + s) for s in _SIDE_FILES)):
                        p.unlink(missing_ok=True)

    def _target(self, *, write: bool) -> Path:
        """Pick the file to read or write: the staged copy once a write began, else the live one."""
        if not write:
            return self._staging if self._staging is not None else self.path
        if not self._locked:
            raise RuntimeError("writes to the GeoPackage must happen inside a transaction")
        if self._staging is None:
            staging = self.path.parent / f".{self.path.name}.{uuid.uuid4().hex[:8]}.tmp.gpkg"
            self._staging = staging  # set first: removed in the finally if the copy fails
            if self.path.exists():
                shutil.copyfile(self.path, staging)
                self._tables_before = _tables_in(staging)
            else:
                self._tables_before = set()
            if staging.exists():
                os.chmod(staging, 0o600)  # a copy of a 444 file must still be writable
        return self._staging

    def _commit(self, staging: Path) -> None:
        """Check the copy, give it the original's mode and owner, and move it into place."""
        kept = _tables_in(staging)
        lost = self._tables_before - self._dropped - kept
        if lost:
            raise WorkspaceError(
                f"the private copy lost tables {', '.join(sorted(lost))}; the workspace was "
                "left as it was",
                source=self.path,
                fix="run the command again; if it happens again, please report it",
            )
        for suffix in _SIDE_FILES:
            Path(str(staging) + suffix).unlink(missing_ok=True)
        if self.path.exists():
            st = self.path.stat()
            os.chmod(staging, stat.S_IMODE(st.st_mode))
            if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(PermissionError):
                    os.chown(staging, st.st_uid, st.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(staging, 0o666 & ~umask)
        with open(staging, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(staging, self.path)
        with contextlib.suppress(OSError):  # make the rename itself durable
            dfd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    # ------------------------------------------------------------------ connections
    def _connect(self, *, write: bool = False) -> sqlite3.Connection:
        target = self._target(write=write)
        if write:
            return sqlite3.connect(target)
        return sqlite3.connect(f"file:{target}?mode=ro", uri=True)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """Open a read-only connection; a damaged file is a :class:`WorkspaceError`."""
        try:
            with contextlib.closing(self._connect()) as con:
                yield con
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with contextlib.closing(self._connect(write=True)) as con, con:
            yield con

    def _damaged(self, exc: BaseException) -> WorkspaceError:
        return WorkspaceError(
            f"is damaged and cannot be read ({exc})",
            source=self.path,
            fix="restore it from a backup or copy it again",
        )

    # ------------------------------------------------------------------ listing
    def layer_list(self) -> list[StoredLayer]:
        """Every user-visible layer with kind, geometry type, rows and description.

        Returns
        -------
        list of StoredLayer
            From ``gpkg_contents`` sorted by name (internal and hidden tables left out);
            empty when the file does not exist yet.
        """
        if not self._target(write=False).exists():
            return []
        out = []
        with self._reading() as con:
            rows = con.execute(
                "SELECT c.table_name, c.data_type, c.description, g.geometry_type_name "
                "FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g "
                "ON g.table_name = c.table_name ORDER BY c.table_name"
            ).fetchall()
            for name, data_type, description, gtype in rows:
                if not is_layer_table(name):
                    continue
                (count,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
                out.append(
                    StoredLayer(
                        name=name,
                        kind="vector" if data_type == "features" else "table",
                        geometry_type=gtype,
                        rows=int(count),
                        description=description or "",
                    )
                )
        return out

    def layer_names(self) -> list[str]:
        """Names of the user-visible layers.

        Returns
        -------
        list of str
            From ``gpkg_contents``, sorted; empty when the file does not exist yet.
        """
        if not self._target(write=False).exists():
            return []
        with self._reading() as con:
            rows = con.execute(
                "SELECT table_name FROM gpkg_contents ORDER BY table_name"
            ).fetchall()
        return [r[0] for r in rows if is_layer_table(r[0])]

    # ------------------------------------------------------------------ data
    def read_frame(
        self,
        name: str,
        *,
        columns: list[str] | None,
        filters: Filters | None,
        bbox: tuple[float, float, float, float] | None,
    ) -> pd.DataFrame:
        """Read a layer through GDAL; ``filters`` become an SQLite WHERE with quoted literals.

        Parameters
        ----------
        name : str
            Layer name.
        columns : list of str or None
            Only these attribute columns (``None``: all).
        filters : Filters or None
            Only rows matching every item (:func:`sqlite_where`); ``None``: every row.
        bbox : tuple of float or None
            (min lon, min lat, max lon, max lat) in degrees (EPSG:4326), or ``None``.

        Returns
        -------
        pandas.DataFrame
            A GeoDataFrame for a vector layer, a DataFrame for a table, as GDAL reads it.

        Raises
        ------
        WorkspaceError
            When GDAL cannot open the file (damaged).
        """
        source = self._target(write=False)
        where = sqlite_where(filters) if filters else None
        try:
            if self.engine == "fiona":
                frame = gpd.read_file(source, layer=name, engine="fiona", where=where, bbox=bbox)
                if columns is not None:
                    keep = [c for c in columns if c in frame.columns]
                    frame = frame[keep + (["geometry"] if "geometry" in frame.columns else [])]
                return frame
            out: pd.DataFrame = pyogrio.read_dataframe(
                source, layer=name, columns=columns, where=where, bbox=bbox, use_arrow=True
            )
            return out
        except pyogrio.errors.DataSourceError as exc:
            raise self._damaged(exc) from exc

    def write_frame(
        self,
        name: str,
        frame: pd.DataFrame,
        contract: schema.LayerContract | None,
        *,
        geometry_type: str | None,
        description: str,
    ) -> None:
        """Replace layer ``name`` in the staged copy with GDAL.

        Parameters
        ----------
        name : str
            Layer name.
        frame : pandas.DataFrame
            The rows in contract shape (a GeoDataFrame in EPSG:4326 for a vector layer).
        contract : schema.LayerContract or None
            Gives the ``gpkg_contents`` identifier (its English title; else the name).
        geometry_type : str or None
            Declared geometry type; a ``Multi…`` type promotes single geometries.
        description : str
            Stored in ``gpkg_contents.description`` (empty: none).
        """
        target = self._target(write=True)
        layer_options: dict[str, Any] = {"DESCRIPTION": description} if description else {}
        frame = _for_disk(frame)
        if isinstance(frame, gpd.GeoDataFrame):
            if self.engine == "fiona":
                frame.to_file(
                    target, layer=name, driver="GPKG", engine="fiona", layer_options=layer_options
                )
            else:
                pyogrio.write_dataframe(
                    frame,
                    target,
                    layer=name,
                    driver="GPKG",
                    geometry_type=geometry_type,
                    promote_to_multi=bool(geometry_type and geometry_type.startswith("Multi")),
                    layer_options=layer_options,
                )
        else:
            df = pd.DataFrame(frame)
            if self.engine == "fiona":
                _tables.write_table_with_fiona(df, target, name)
            else:
                pyogrio.write_dataframe(
                    df, target, layer=name, driver="GPKG", layer_options=layer_options
                )
        with self._writing() as con:
            con.execute(
                "UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
                (contract.title_en if contract else name, description, name),
            )

    def drop_layer(self, name: str) -> None:
        """Drop a layer, its GeoPackage registrations and its styles.

        Parameters
        ----------
        name : str
            Layer name (no error when it is absent).
        """
        with self._writing() as con:
            _tables.drop_layer(con, name)
        self._dropped.add(name)

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
            Its value; ``None`` when it, the table or the file is absent.
        """
        if not self._target(write=False).exists():
            return None
        with self._reading() as con:
            if not _tables.table_exists(con, META_TABLE):
                return None
            row = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Store or (``None``) remove a value of ``ecogis_meta``.

        The table is created with the first value.

        Parameters
        ----------
        key : str
            The setting's name.
        value : str or None
            The value text; ``None`` removes the setting.
        """
        target = self._target(write=True)
        if not target.exists() or not self._has_table(META_TABLE):
            if value is None:
                return
            pyogrio.write_dataframe(
                pd.DataFrame(
                    {
                        "key": pd.Series([key], dtype=object),
                        "value": pd.Series([value], dtype=object),
                    }
                ),
                target,
                layer=META_TABLE,
                driver="GPKG",
            )
            return
        with self._writing() as con:
            if value is None:
                con.execute(f"DELETE FROM {META_TABLE} WHERE key = ?", (key,))
                return
            cur = con.execute(f"UPDATE {META_TABLE} SET value = ? WHERE key = ?", (value, key))
            if cur.rowcount == 0:
                con.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?)", (key, value))

    def meta_items(self) -> dict[str, str]:
        """Every ``ecogis_meta`` key and value.

        Returns
        -------
        dict of str to str
            Key → value; empty when the file or the table is absent.
        """
        if not self._target(write=False).exists():
            return {}
        with self._reading() as con:
            if not _tables.table_exists(con, META_TABLE):
                return {}
            return dict(con.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())

    def _has_table(self, table: str) -> bool:
        with self._reading() as con:
            return _tables.table_exists(con, table)

    # ------------------------------------------------------------------ QGIS tables
    def write_styles(self, records: list[StyleRecord]) -> None:
        """Insert or replace default styles in ``layer_styles``.

        Parameters
        ----------
        records : list of StyleRecord
            One style per layer (see :func:`ecogis.workspace._tables.write_styles`).
        """
        with self._writing() as con:
            _tables.write_styles(con, records)

    def read_styles(self) -> pd.DataFrame:
        """Read the ``layer_styles`` table (empty when there is none).

        Returns
        -------
        pandas.DataFrame
            The columns of :data:`ecogis.workspace._tables.STYLE_COLUMNS`, one row per style.
        """
        if not self._target(write=False).exists():
            return pd.DataFrame(columns=_tables.STYLE_COLUMNS)
        with self._reading() as con:
            return _tables.read_styles(con)

    def write_qgis_project(self, name: str, content: bytes) -> None:
        """Store a project where QGIS's GeoPackage project storage finds it.

        Parameters
        ----------
        name : str
            The project name (replaces one of that name).
        content : bytes
            The ``.qgz`` file's bytes (stored as hex text, as QGIS does).
        """
        with self._writing() as con:
            _tables.write_qgis_project(con, name, content)

    def read_qgis_projects(self) -> dict[str, bytes]:
        """Read stored projects by name.

        Returns
        -------
        dict of str to bytes
            Project name → ``.qgz`` bytes; empty when the file or table is absent.
        """
        if not self._target(write=False).exists():
            return {}
        with self._reading() as con:
            return _tables.read_qgis_projects(con)

    def layer_extent(self, name: str) -> tuple[float, float, float, float] | None:
        """Return the extent GDAL keeps in ``gpkg_contents`` (no feature is read).

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
        with self._reading() as con:
            return _tables.layer_extent(con, name)

    def geometry_types(self, name: str) -> list[str]:
        """Geometry types present, from each geometry's header bytes.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            ``Point``, ``LineString``, ``Polygon`` present (Multi counts as single), in that
            order; empty for a table.
        """
        geom = self.geometry_column(name)
        if geom is None:
            return []
        with self._reading() as con:
            return _tables.geometry_types(con, name, geom)

    def geometry_column(self, name: str) -> str | None:
        """Read the geometry column from ``gpkg_geometry_columns``.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        str or None
            The column name (``geom``), ``None`` for a table.
        """
        with self._reading() as con:
            return _tables.geometry_column(con, name)

    def field_names(self, name: str) -> list[str]:
        """Columns from ``PRAGMA table_info`` without fid and geometry.

        Parameters
        ----------
        name : str
            Layer name.

        Returns
        -------
        list of str
            Attribute column names in table order.
        """
        geom = self.geometry_column(name)
        with self._reading() as con:
            return _tables.field_names(con, name, geom)


def sqlite_where(filters: Filters) -> str:
    """Write a structured filter as an SQLite WHERE clause for GDAL, every literal quoted here.

    Parameters
    ----------
    filters : Filters
        Column → value (``=``), list of values (``IN``; an empty list matches nothing)
        or ``None`` (``IS NULL``).

    Returns
    -------
    str
        The conditions joined with ``AND`` (``1 = 1`` for an empty filter); columns
        double-quoted, text single-quoted with quotes doubled, booleans as 1/0.

    Raises
    ------
    WorkspaceError
        For a column that is not an identifier or a value that is not plain.
    """
    parts = []
    for col, values, is_list in filter_items(filters):
        if values is None:
            parts.append(f'"{col}" IS NULL')
        elif is_list:
            parts.append(f'"{col}" IN ({", ".join(map(_literal, values))})' if values else "0 = 1")
        else:
            parts.append(f'"{col}" = {_literal(values[0])}')
    return " AND ".join(parts) if parts else "1 = 1"


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _tables_in(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _for_disk(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast nullable extension dtypes to ones GDAL writes with NULLs preserved."""
    out = frame.copy()
    for col in out.columns:
        if col == "geometry":
            continue
        dtype = out[col].dtype
        if isinstance(dtype, pd.BooleanDtype | pd.StringDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out
