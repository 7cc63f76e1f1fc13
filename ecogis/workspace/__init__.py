"""The workspace: one GeoPackage that holds every layer and table of a project.

This is the only module that reads or writes the GeoPackage. Everything else receives
GeoDataFrames and DataFrames from :meth:`Workspace.read` and hands results to
:meth:`Workspace.write` / :meth:`Workspace.upsert`.

Atomicity
    Writes never touch the live file. A write (or every write inside one
    :meth:`Workspace.batch`) goes to a private copy next to the workspace; only when all of
    them succeeded is the copy moved over the original with :func:`os.replace`, which is
    atomic on POSIX and Windows. A crash or an exception part-way leaves the previous file
    exactly as it was, and the copy is removed. The cost is one file copy per batch, which
    is small next to the analyses for the workspaces ecogis is built for (tens of MB).

Metadata
    ``gpkg_contents`` carries each layer's identifier and a description in Thai and
    English (from the layer contract). A small ``ecogis_meta`` table holds key/value
    settings such as the workspace language. Default QGIS styles (``layer_styles``) and
    the embedded QGIS project (``qgis_projects``) are refreshed whenever a layer is written,
    see :mod:`ecogis.qgis`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ecogis import schema
from ecogis.errors import DataValidationError, WorkspaceError
from ecogis.workspace._tables import (
    PROJECT_TABLE,
    STYLE_TABLE,
    GeoPackageTables,
    _table_exists,
)

ENGINES = ("pyogrio", "fiona")
_default_engine = "pyogrio"


def set_default_engine(engine: str) -> None:
    """Choose the I/O engine of every workspace opened without an explicit ``engine``.

    The CLI's ``ecogis --engine fiona …`` (or ``ECOGIS_ENGINE=fiona``) calls this once, so
    every verb and task honours it without passing it through each call.
    """
    global _default_engine
    if engine not in ENGINES:
        raise WorkspaceError(f"unknown engine {engine!r}", fix=f"use one of {', '.join(ENGINES)}")
    _default_engine = engine


META_TABLE = "ecogis_meta"
_INTERNAL_TABLES = {META_TABLE, STYLE_TABLE, PROJECT_TABLE}
_SQLITE_MAGIC = b"SQLite format 3\x00"
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"


@dataclass(frozen=True)
class LayerInfo:
    """What :meth:`Workspace.layers` reports about one layer."""

    name: str
    kind: str  # "vector" or "table"
    geometry_type: str | None
    rows: int
    title_th: str
    title_en: str
    description: str
    group: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class UpsertResult:
    """Counts from :meth:`Workspace.upsert`."""

    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        """Rows in the incoming frame."""
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True)
class StyleRecord:
    """One default style row for ``layer_styles`` (produced by :mod:`ecogis.qgis`)."""

    layer: str
    geometry_column: str
    name: str
    qml: str
    sld: str
    description: str = ""


class Workspace(GeoPackageTables):
    """An ecogis workspace stored in one GeoPackage.

    Parameters
    ----------
    path
        The ``.gpkg`` file. Use :meth:`create` or :meth:`open` rather than the constructor
        so that a missing or foreign file is reported clearly.
    engine
        ``"pyogrio"`` (default; about ten times faster on GeoPackage) or ``"fiona"``
        (needs the ``ecogis[fiona]`` extra).

    Examples
    --------
    >>> ws = Workspace.create("demo.gpkg")                                  # doctest: +SKIP
    >>> with ws.batch():                                                    # doctest: +SKIP
    ...     ws.write("factories", factories)
    ...     ws.write("communities", communities)
    >>> ws.read("factories").head()                                         # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike[str], *, engine: str | None = None) -> None:
        engine = engine or _default_engine
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
        self.path = Path(path)
        self.engine = engine
        self._staging: Path | None = None
        self._staged_layers: list[str] = []

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str | os.PathLike[str], *, engine: str | None = None) -> Workspace:
        """Open ``path``, creating an empty workspace there if it does not exist."""
        ws = cls(path, engine=engine)
        if ws.path.exists():
            ws._check_is_gpkg()
            return ws
        if not ws.path.parent.exists():
            raise WorkspaceError(
                f"folder {ws.path.parent} does not exist", source=ws.path, fix="create it first"
            )
        with ws.batch():
            ws.set_meta("created", datetime.now(UTC).isoformat(timespec="seconds"))
        return ws

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, engine: str | None = None) -> Workspace:
        """Open an existing workspace; raise :class:`WorkspaceError` if it is missing."""
        ws = cls(path, engine=engine)
        if not ws.path.exists():
            raise WorkspaceError(
                "workspace does not exist",
                source=ws.path,
                fix="create one with 'ecogis demo' or 'ecogis import ... --workspace FILE'",
            )
        ws._check_is_gpkg()
        return ws

    def _check_is_gpkg(self) -> None:
        with open(self.path, "rb") as fh:
            head = fh.read(100)
        if not head.startswith(_SQLITE_MAGIC):
            raise WorkspaceError(
                "is not a GeoPackage (not an SQLite file)",
                source=self.path,
                fix="give a .gpkg workspace, or a new file name to create one",
            )
        app_id = int.from_bytes(head[68:72], "big")
        if app_id != _GPKG_APPLICATION_ID:
            raise WorkspaceError(
                "is an SQLite file but not a GeoPackage",
                source=self.path,
                fix="give a .gpkg workspace, or a new file name to create one",
            )

    @property
    def location(self) -> str:
        """Where the workspace lives, for messages and commands shown to a person.

        The GeoPackage's path (on a database store: its URL without the password).
        Code outside the workspace uses this instead of ``ws.path``.
        """
        return str(self.path)

    @property
    def output_dir(self) -> Path:
        """The default folder for files a verb writes for people (CSVs, maps, rasters).

        The GeoPackage's folder (on a database store: the current folder). Code outside
        the workspace uses this instead of ``ws.path.parent``.
        """
        return self.path.parent

    @property
    def _file(self) -> Path:
        """The file reads and writes go to: the staged copy inside a batch, else the live one."""
        return self._staging if self._staging is not None else self.path

    # ------------------------------------------------------------------ batches
    @contextlib.contextmanager
    def batch(self) -> Iterator[Workspace]:
        """Group writes so that they all land together or none does.

        Inside the block reads see the staged writes. Nested batches join the outer one.
        """
        if self._staging is not None:
            yield self
            return
        staging = self.path.parent / f".{self.path.name}.{uuid.uuid4().hex[:8]}.tmp.gpkg"
        if self.path.exists():
            shutil.copy2(self.path, staging)
        self._staging = staging
        self._staged_layers = []
        try:
            yield self
            self._after_batch(staging)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(str(staging) + suffix).unlink(missing_ok=True)
            with open(staging, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(staging, self.path)
        finally:
            self._staging = None
            self._staged_layers = []
            for p in (staging, *(Path(str(staging) + s) for s in ("-wal", "-shm", "-journal"))):
                p.unlink(missing_ok=True)

    def _after_batch(self, staging: Path) -> None:
        """Refresh QGIS styles and the embedded project for the layers written in a batch."""
        if not self._staged_layers:
            return
        from ecogis import qgis  # local import: qgis builds on workspace, not the reverse

        qgis.refresh_workspace_styles(self, self._staged_layers)

    # ------------------------------------------------------------------ listing
    def _connect(self, *, write: bool = False) -> sqlite3.Connection:
        target = self._file
        if write:
            if self._staging is None:
                raise RuntimeError("writes to the GeoPackage must happen inside Workspace.batch()")
            return sqlite3.connect(target)
        return sqlite3.connect(f"file:{target}?mode=ro", uri=True)

    def layer_names(self) -> list[str]:
        """Names of the user-visible layers and tables (internal tables left out)."""
        if not self._file.exists():
            return []
        with contextlib.closing(self._connect()) as con:
            rows = con.execute(
                "SELECT table_name FROM gpkg_contents ORDER BY table_name"
            ).fetchall()
        return [r[0] for r in rows if r[0] not in _INTERNAL_TABLES]

    def has_layer(self, name: str) -> bool:
        """Whether the workspace holds layer ``name``."""
        return name in self.layer_names()

    def layers(self) -> list[LayerInfo]:
        """Every layer with its kind, geometry type, row count, titles and description."""
        if not self._file.exists():
            return []
        out = []
        with contextlib.closing(self._connect()) as con:
            rows = con.execute(
                "SELECT c.table_name, c.data_type, c.description, g.geometry_type_name "
                "FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g "
                "ON g.table_name = c.table_name ORDER BY c.table_name"
            ).fetchall()
            for name, data_type, description, gtype in rows:
                if name in _INTERNAL_TABLES:
                    continue
                (count,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
                c = schema.contract(name) if schema.has_contract(name) else None
                out.append(
                    LayerInfo(
                        name=name,
                        kind="vector" if data_type == "features" else "table",
                        geometry_type=gtype.title() if gtype else None,
                        rows=int(count),
                        title_th=c.title_th if c else name,
                        title_en=c.title_en if c else name,
                        description=description or "",
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
        where: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> Any:
        """Read a layer as a GeoDataFrame (a DataFrame for a table), with contract dtypes.

        Parameters
        ----------
        name
            Layer name.
        columns
            Only these attribute columns (all by default).
        where
            An SQL WHERE clause evaluated by GDAL, e.g. ``"pro_code = '25'"``.
        bbox
            (min lon, min lat, max lon, max lat) in degrees: only features intersecting it.

        Raises
        ------
        WorkspaceError
            If the layer is not in the workspace.
        """
        if not self.has_layer(name):
            raise WorkspaceError(
                f"layer {name!r} is not in the workspace",
                source=self.path,
                fix=self._hint_for_missing(name),
            )
        if self.engine == "fiona":
            frame = gpd.read_file(self._file, layer=name, engine="fiona", where=where, bbox=bbox)
            if columns is not None:
                keep = [c for c in columns if c in frame.columns]
                frame = frame[keep + (["geometry"] if "geometry" in frame.columns else [])]
        else:
            frame = pyogrio.read_dataframe(
                self._file, layer=name, columns=columns, where=where, bbox=bbox, use_arrow=True
            )
        if schema.has_contract(name):
            c = schema.contract(name)
            frame = schema.coerce_dtypes(frame, c)
            if columns is not None:
                keep = [col for col in frame.columns if col in columns or col == "geometry"]
                frame = frame[keep]
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None and "geometry" in frame:
            frame = frame.set_crs(4326)
        return frame

    def read_if_present(self, name: str, **kwargs: Any) -> Any | None:
        """Like :meth:`read`, but ``None`` when the layer is absent."""
        return self.read(name, **kwargs) if self.has_layer(name) else None

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
    def write(self, name: str, frame: Any, *, validate: bool = True) -> None:
        """Replace layer ``name`` with ``frame``, atomically.

        Parameters
        ----------
        name
            Layer name (lowercase snake_case).
        frame
            A GeoDataFrame for a vector layer, a DataFrame for a table. Vector data are
            reprojected to EPSG:4326 (the storage CRS) when they come in another CRS.
        validate
            Check the frame against the layer contract first (when one exists) and raise
            :class:`DataValidationError` instead of writing bad data.
        """
        contract = schema.contract(name) if schema.has_contract(name) else None
        frame = self._prepare(name, frame, contract, validate=validate)
        with self.batch():
            self._write_frame(name, frame, contract)
            if name not in self._staged_layers:
                self._staged_layers.append(name)

    def _prepare(
        self, name: str, frame: Any, contract: schema.LayerContract | None, *, validate: bool
    ) -> Any:
        if not name.replace("_", "").isalnum() or not name.isascii() or name != name.lower():
            raise WorkspaceError(
                f"layer name {name!r} is not lowercase ASCII snake_case", fix="rename it"
            )
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

    def _write_frame(self, name: str, frame: Any, contract: schema.LayerContract | None) -> None:
        target = self._file
        layer_options: dict[str, Any] = {}
        desc = self._description(name, contract)
        if desc:
            layer_options["DESCRIPTION"] = desc
        frame = self._for_disk(frame)
        if isinstance(frame, gpd.GeoDataFrame):
            gtype = contract.geometry if contract and contract.geometry else None
            if gtype == "Geometry" or gtype is None:
                gtype = _common_geometry_type(frame)
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
                    geometry_type=gtype,
                    promote_to_multi=bool(gtype and gtype.startswith("Multi")),
                    layer_options=layer_options,
                )
        else:
            df = pd.DataFrame(frame)
            if self.engine == "fiona":
                _write_table_with_fiona(df, target, name)
            else:
                pyogrio.write_dataframe(
                    df, target, layer=name, driver="GPKG", layer_options=layer_options
                )
        with contextlib.closing(self._connect(write=True)) as con, con:
            con.execute(
                "UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?",
                (contract.title_en if contract else name, desc, name),
            )

    @staticmethod
    def _for_disk(frame: Any) -> Any:
        """Cast nullable extension dtypes to ones GDAL writes with NULLs preserved."""
        out = frame.copy()
        for col in out.columns:
            if col == "geometry":
                continue
            dtype = out[col].dtype
            if isinstance(dtype, pd.BooleanDtype | pd.StringDtype):
                out[col] = out[col].astype(object).where(out[col].notna(), None)
        return out

    @staticmethod
    def _description(name: str, contract: schema.LayerContract | None) -> str:
        if contract is None:
            return ""
        th = contract.description_th or contract.title_th
        en = contract.description_en or contract.title_en
        return f"{th} | {en}"

    def upsert(self, name: str, frame: Any, *, validate: bool = True) -> UpsertResult:
        """Insert or update rows of ``frame`` into layer ``name`` by its business key.

        Rows whose key is new are added; rows whose key exists replace the stored row,
        except that a column the incoming frame does not have keeps its stored value.
        Nothing stored under other keys is touched.

        Returns
        -------
        UpsertResult
            How many rows were added, updated and unchanged.
        """
        contract = schema.contract(name) if schema.has_contract(name) else None
        if contract is None:
            raise WorkspaceError(
                f"cannot upsert into {name!r}: it has no layer contract (no business key)",
                fix="use Workspace.write to replace the layer",
            )
        key = list(contract.key)
        incoming = self._prepare(name, frame, contract, validate=False)
        incoming_cols = [c for c in frame.columns]
        if not self.has_layer(name):
            self.write(name, incoming, validate=validate)
            return UpsertResult(added=len(incoming), updated=0, unchanged=0)
        stored = self.read(name).reset_index(drop=True)
        incoming = incoming.reset_index(drop=True)
        stored_keys = schema.join_key(stored, key)
        in_keys = schema.join_key(incoming, key)
        position = pd.Series(np.arange(len(stored)), index=stored_keys.to_numpy())
        position = position[~position.index.duplicated(keep="last")]
        is_new = ~in_keys.isin(stored_keys).to_numpy()
        old_rows = position.reindex(in_keys[~is_new].to_numpy()).to_numpy()
        new_of_old = incoming.index[~is_new].to_numpy()
        compare = [c for c in incoming_cols if c in stored.columns]
        changed = np.zeros(len(old_rows), dtype=bool)
        for col in compare:
            changed |= ~_values_equal(stored[col].iloc[old_rows], incoming[col].iloc[new_of_old])
        merged = stored.copy()
        if changed.any():
            rows, src = old_rows[changed], new_of_old[changed]
            for col in compare:
                values = merged[col].to_numpy(copy=True)
                if values.dtype != object and incoming[col].dtype != merged[col].dtype:
                    values = values.astype(object)
                values[rows] = incoming[col].to_numpy()[src]
                merged[col] = pd.Series(values, index=merged.index).astype(merged[col].dtype)
        updated, unchanged = int(changed.sum()), int((~changed).sum())
        if updated == 0 and not is_new.any():
            return UpsertResult(added=0, updated=0, unchanged=unchanged)  # nothing to write
        new_rows = incoming[is_new]
        if len(new_rows):
            merged = pd.concat([merged, new_rows], ignore_index=True)
            if isinstance(stored, gpd.GeoDataFrame):
                merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=stored.crs)
        self.write(name, merged, validate=validate)
        return UpsertResult(added=int(is_new.sum()), updated=updated, unchanged=unchanged)

    def delete_layer(self, name: str) -> None:
        """Remove a layer (and its default style) from the workspace."""
        if not self.has_layer(name):
            return
        with self.batch(), contextlib.closing(self._connect(write=True)) as con, con:
            con.execute(f'DROP TABLE IF EXISTS "{name}"')
            for table in ("gpkg_contents", "gpkg_geometry_columns"):
                con.execute(f"DELETE FROM {table} WHERE table_name = ?", (name,))
            if _table_exists(con, STYLE_TABLE):
                con.execute(f"DELETE FROM {STYLE_TABLE} WHERE f_table_name = ?", (name,))
            # Let the end-of-batch hook rebuild the embedded QGIS project without it.
            self._staged_layers.append(name)

    # ------------------------------------------------------------------ metadata
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A workspace setting from ``ecogis_meta``."""
        if not self._file.exists():
            return default
        with contextlib.closing(self._connect()) as con:
            if not _table_exists(con, META_TABLE):
                return default
            row = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Store a workspace setting in ``ecogis_meta`` (key/value text)."""
        with self.batch():
            if not self._file.exists() or not self._has_table(META_TABLE):
                pyogrio.write_dataframe(
                    pd.DataFrame(
                        {
                            "key": pd.Series([key], dtype=object),
                            "value": pd.Series([value], dtype=object),
                        }
                    ),
                    self._file,
                    layer=META_TABLE,
                    driver="GPKG",
                )
                return
            with contextlib.closing(self._connect(write=True)) as con, con:
                cur = con.execute(f"UPDATE {META_TABLE} SET value = ? WHERE key = ?", (value, key))
                if cur.rowcount == 0:
                    con.execute(
                        f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?)", (key, value)
                    )

    def _has_table(self, table: str) -> bool:
        with contextlib.closing(self._connect()) as con:
            return _table_exists(con, table)

    # ------------------------------------------------------------------ validation
    def validate(self) -> list[schema.Problem]:
        """Check every contract layer of the workspace and its cross-layer references.

        Returns
        -------
        list of Problem
            Each names the layer, the business key and the field.
        """
        problems: list[schema.Problem] = []
        present = set(self.layer_names())
        frames: dict[str, Any] = {}
        for name in sorted(present):
            if not schema.has_contract(name):
                continue
            c = schema.contract(name)
            frames[name] = self.read(name)
            problems += schema.check_frame(frames[name], c)
        for name, frame in frames.items():
            c = schema.contract(name)
            for f in c.fields:
                if not f.references or f.name not in frame.columns:
                    continue
                ref_layer, ref_field = f.references.split(".")
                if ref_layer not in frames:
                    continue
                known = set(frames[ref_layer][ref_field].dropna())
                vals = frame[f.name]
                for v in sorted(set(vals.dropna()) - known):
                    problems.append(
                        schema.Problem(name, str(v), f.name, f"names no row of {ref_layer}")
                    )
        return problems


def _values_equal(x: pd.Series, y: pd.Series) -> np.ndarray:
    """Element-wise equality of two aligned columns; two NULLs are equal, geometries exact."""
    x, y = x.reset_index(drop=True), y.reset_index(drop=True)
    na_x, na_y = x.isna().to_numpy(), y.isna().to_numpy()
    if isinstance(x.dtype, gpd.array.GeometryDtype) or isinstance(y.dtype, gpd.array.GeometryDtype):
        same = shapely.equals_exact(
            np.asarray(x, dtype=object), np.asarray(y, dtype=object), tolerance=1e-9
        )
        eq = np.asarray(same, dtype=bool)
    else:
        try:
            eq = (x == y).fillna(False).to_numpy(dtype=bool)
        except (TypeError, ValueError):  # mixed dtypes in columns outside the contract
            eq = (x.astype(object) == y.astype(object)).to_numpy(dtype=bool)
    return (na_x & na_y) | (~na_x & ~na_y & eq)


def _common_geometry_type(frame: gpd.GeoDataFrame) -> str | None:
    types = set(frame.geometry.dropna().geom_type.unique())
    if not types:
        return "Unknown"
    if len(types) == 1:
        return types.pop()
    bases = {t.replace("Multi", "") for t in types}
    if len(bases) == 1:
        return "Multi" + bases.pop()
    return "Unknown"


_FIONA_TYPES = {"i": "int", "u": "int", "f": "float", "b": "bool"}


def _write_table_with_fiona(frame: pd.DataFrame, target: Path, layer: str) -> None:
    """Write an attribute table (no geometry) with fiona, which geopandas cannot do."""
    import fiona

    properties: dict[str, str] = {}
    for col in frame.columns:
        kind = getattr(frame[col].dtype, "kind", "O")
        properties[str(col)] = _FIONA_TYPES.get(kind, "str")
    schema = {"geometry": "None", "properties": properties}

    def plain(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return None
        return value.item() if hasattr(value, "item") else value

    records = (
        {"geometry": None, "properties": {str(c): plain(v) for c, v in row.items()}}
        for row in frame.to_dict("records")
    )
    with fiona.open(target, "w", driver="GPKG", layer=layer, schema=schema) as dst:
        dst.writerecords(records)
