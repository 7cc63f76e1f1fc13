"""SQL of the GeoPackage tables beside the layers, and cheap introspection of a layer.

The tables: QGIS default styles, stored QGIS projects, ``ecogis_meta``; the
introspection: geometry column, fields, extent, geometry types.

Functions over an open :class:`sqlite3.Connection`, used only by
:class:`~ecogis.workspace.gpkg.GeoPackageStore`.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecogis.workspace.store import PROJECT_TABLE, STYLE_TABLE, StyleRecord

STYLE_COLUMNS = [
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
]


def table_exists(con: sqlite3.Connection, table: str) -> bool:
    """Whether ``table`` is a table of the GeoPackage.

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection to the GeoPackage.
    table : str
        Table name.

    Returns
    -------
    bool
        True when ``sqlite_master`` lists it as a table.
    """
    row = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def write_styles(con: sqlite3.Connection, records: list[StyleRecord]) -> None:
    """Insert or replace default QGIS styles in ``layer_styles`` (one row per layer and name).

    The table follows QGIS's own layout: ``f_table_catalog`` and ``f_table_schema`` are
    empty strings (QGIS matches on them; NULL would hide the style), and
    ``useAsDefault`` is 1 so QGIS applies the style on load. The table is created (and
    registered in ``gpkg_contents``) when missing.

    Parameters
    ----------
    con : sqlite3.Connection
        A writable connection to the GeoPackage.
    records : list of StyleRecord
        One style per layer; the layer's other styles stop being its default.
    """
    _ensure_style_table(con)
    for r in records:
        con.execute(
            f"DELETE FROM {STYLE_TABLE} WHERE f_table_name = ? AND styleName = ?",
            (r.layer, r.name),
        )
        con.execute(f"UPDATE {STYLE_TABLE} SET useAsDefault = 0 WHERE f_table_name = ?", (r.layer,))
        con.execute(
            f"INSERT INTO {STYLE_TABLE} (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
            "owner, ui, update_time) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, 'ecogis', NULL, "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            (r.layer, r.geometry_column, r.name, r.qml, r.sld, r.description),
        )


def read_styles(con: sqlite3.Connection) -> pd.DataFrame:
    """Read the ``layer_styles`` table (empty frame when there is none).

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection to the GeoPackage.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`STYLE_COLUMNS`, one row per style.
    """
    if not table_exists(con, STYLE_TABLE):
        return pd.DataFrame(columns=STYLE_COLUMNS)
    return pd.read_sql_query(f"SELECT {', '.join(STYLE_COLUMNS)} FROM {STYLE_TABLE}", con)


def project_metadata() -> str:
    """Build the ``metadata`` text QGIS writes beside a stored project.

    Returns
    -------
    str
        JSON with ``last_modified_time`` (now, UTC, ISO 8601 with milliseconds) and
        ``last_modified_user`` ``"ecogis"``.
    """
    return (
        '{"last_modified_time": "'
        + datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        + '", "last_modified_user": "ecogis"}'
    )


def write_qgis_project(con: sqlite3.Connection, name: str, content: bytes) -> None:
    """Store a QGIS project (the bytes of a ``.qgz``) in ``qgis_projects``.

    This is the table QGIS's GeoPackage project storage reads: a project stored here is
    listed under the GeoPackage in the QGIS browser and opens with one click.

    Parameters
    ----------
    con : sqlite3.Connection
        A writable connection to the GeoPackage.
    name : str
        The project name (replaces one of that name).
    content : bytes
        The ``.qgz`` bytes (stored as hex text, as QGIS does).
    """
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {PROJECT_TABLE} "
        "(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)"
    )
    con.execute(
        f"INSERT OR REPLACE INTO {PROJECT_TABLE} (name, metadata, content) VALUES (?, ?, ?)",
        # QGIS (QgsGeoPackageProjectStorage) stores and reads the .qgz as hex text.
        (name, project_metadata(), content.hex()),
    )


def read_qgis_projects(con: sqlite3.Connection) -> dict[str, bytes]:
    """Project name → ``.qgz`` bytes of the projects stored in the GeoPackage.

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection to the GeoPackage.

    Returns
    -------
    dict of str to bytes
        Empty when there is no ``qgis_projects`` table.
    """
    if not table_exists(con, PROJECT_TABLE):
        return {}
    rows = con.execute(f"SELECT name, content FROM {PROJECT_TABLE}").fetchall()
    return {name: project_bytes(content) for name, content in rows}


def drop_layer(con: sqlite3.Connection, name: str) -> None:
    """Drop a layer's table, its GeoPackage registrations and its styles.

    Parameters
    ----------
    con : sqlite3.Connection
        A writable connection to the GeoPackage.
    name : str
        Layer name (no error when it is absent).
    """
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    for table in ("gpkg_contents", "gpkg_geometry_columns"):
        con.execute(f"DELETE FROM {table} WHERE table_name = ?", (name,))
    if table_exists(con, STYLE_TABLE):
        con.execute(f"DELETE FROM {STYLE_TABLE} WHERE f_table_name = ?", (name,))


def layer_extent(con: sqlite3.Connection, name: str) -> tuple[float, float, float, float] | None:
    """Read a vector layer's extent (min lon, min lat, max lon, max lat) from ``gpkg_contents``.

    GDAL keeps this up to date on every write, so no feature is read.

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection to the GeoPackage.
    name : str
        Layer name.

    Returns
    -------
    tuple of float or None
        The extent in degrees (EPSG:4326); ``None`` for a table or an empty layer.
    """
    row = con.execute(
        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", (name,)
    ).fetchone()
    if row is None or any(v is None for v in row):
        return None
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


_WKB_NAMES = {1: "Point", 2: "LineString", 3: "Polygon", 4: "Point", 5: "LineString", 6: "Polygon"}


def geometry_types(con: sqlite3.Connection, name: str, geom: str) -> list[str]:
    """List the geometry types present in a vector layer (``Point``, ``LineString``, ``Polygon``).

    Read from each GeoPackage geometry's header (a few bytes per row; no geometry is
    decoded), for layers declared as generic ``GEOMETRY`` that may mix points and
    polygons. Multi-types count as their single type.

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection to the GeoPackage.
    name : str
        Layer name.
    geom : str
        Its geometry column.

    Returns
    -------
    list of str
        The types present, in the order Point, LineString, Polygon (empty geometries
        and other types left out).
    """
    heads = con.execute(
        f'SELECT DISTINCT substr("{geom}", 1, 77) FROM "{name}" WHERE "{geom}" IS NOT NULL'
    ).fetchall()
    found: set[str] = set()
    for (head,) in heads:
        if not head or len(head) < 8 or head[:2] != b"GP":
            continue
        flags = head[3]
        if flags & 0x10:  # empty geometry
            continue
        env = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 7, 0)
        wkb = head[8 + env :]
        if len(wkb) < 5:
            continue
        raw = int.from_bytes(wkb[1:5], "little" if wkb[0] == 1 else "big")
        # Drop the old 0x80000000-style Z/M flags, then ISO's Z/M thousands.
        code = (raw & 0x0FFFFFFF) % 1000
        if code in _WKB_NAMES:
            found.add(_WKB_NAMES[code])
    return sorted(found, key=["Point", "LineString", "Polygon"].index)


def geometry_column(con: sqlite3.Connection, name: str) -> str | None:
    """Return the real geometry column of a vector layer as GDAL wrote it (``geom``).

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection to the GeoPackage.
    name : str
        Layer name.

    Returns
    -------
    str or None
        The column from ``gpkg_geometry_columns``, ``None`` for a table.
    """
    row = con.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (name,)
    ).fetchone()
    return row[0] if row else None


def field_names(con: sqlite3.Connection, name: str, geom: str | None) -> list[str]:
    """Column names of a layer as stored (without the fid and geometry columns).

    Parameters
    ----------
    con : sqlite3.Connection
        An open connection to the GeoPackage.
    name : str
        Layer name.
    geom : str or None
        The geometry column to leave out (``None``: none).

    Returns
    -------
    list of str
        Column names in table order.
    """
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")').fetchall()]
    return [c for c in cols if c not in ("fid", geom)]


def project_bytes(content: bytes | str) -> bytes:
    """``qgis_projects.content`` as bytes: QGIS writes hex text; accept raw bytes too.

    Parameters
    ----------
    content : bytes or str
        The stored value: hex text (as str or ASCII bytes) or a raw ``.qgz`` (starts with
        ``PK``).

    Returns
    -------
    bytes
        The ``.qgz`` file's bytes.
    """
    if isinstance(content, str):
        return bytes.fromhex(content)
    if content[:2] == b"PK":
        return bytes(content)
    return bytes.fromhex(content.decode("ascii"))


def _ensure_style_table(con: sqlite3.Connection) -> None:
    if table_exists(con, STYLE_TABLE):
        return
    con.execute(
        f"CREATE TABLE {STYLE_TABLE} ("
        "id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
        "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), "
        "styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, "
        "description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT "
        "(strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
    )
    con.execute(
        "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change, srs_id) VALUES (?, 'attributes', ?, '', "
        "strftime('%Y-%m-%dT%H:%M:%fZ','now'), 0)",
        (STYLE_TABLE, STYLE_TABLE),
    )


_FIONA_TYPES = {"i": "int", "u": "int", "f": "float", "b": "bool"}


def write_table_with_fiona(frame: pd.DataFrame, target: Path, layer: str) -> None:
    """Write an attribute table (no geometry) with fiona, which geopandas cannot do.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows; integer, float and boolean columns keep their type, others are text;
        NULLs stay NULL.
    target : pathlib.Path
        The GeoPackage file (the staged copy).
    layer : str
        The table name.
    """
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
