"""Tables of the PostGIS store, made from the layer contract, and QGIS's own tables.

Used only by :class:`~ecogis.workspace.postgis.PostGISStore`. A contract layer's table has
``fid`` (identity primary key, what QGIS wants as feature id), the contract's fields with
their types (``str`` → text, so ``01111`` keeps its zero; ``int`` → bigint; ``float`` →
double precision; ``bool`` → boolean; ``date`` → date), a UNIQUE constraint on the
business key (the conflict target of upserts; row-level security on ``pro_code`` can come
on top) and ``geom`` with a GiST index (GeoAlchemy2 makes it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely

from ecogis import schema
from ecogis.workspace._tables import project_metadata
from ecogis.workspace.store import META_TABLE, PROJECT_TABLE, STYLE_TABLE, StyleRecord

if TYPE_CHECKING:
    import sqlalchemy as sa

__all__ = ["project_metadata"]


def _types() -> dict[str, Any]:
    import sqlalchemy as sa

    return {
        "str": sa.Text(),
        "int": sa.BigInteger(),
        "float": sa.Double(),
        "bool": sa.Boolean(),
        "date": sa.Date(),
    }


def _type_of_series(series: pd.Series) -> Any:
    """Choose the column type for a column outside the contract, from its pandas dtype."""
    import sqlalchemy as sa

    if pd.api.types.is_bool_dtype(series.dtype):
        return sa.Boolean()
    if pd.api.types.is_integer_dtype(series.dtype):
        return sa.BigInteger()
    if pd.api.types.is_float_dtype(series.dtype):
        return sa.Double()
    return sa.Text()


def _postgis_type(geometry_type: str | None) -> str:
    if not geometry_type or geometry_type in ("Geometry", "Unknown"):
        return "GEOMETRY"
    return geometry_type.upper()


def ensure_table(
    conn: Any,
    schema_name: str,
    name: str,
    frame: pd.DataFrame,
    contract: schema.LayerContract | None,
    *,
    geometry_type: str | None,
) -> bool:
    """Create table ``name`` when missing and add any column of ``frame`` it lacks.

    A new table is made from the contract (else from the frame's dtypes): ``fid``
    identity primary key, the contract's fields, the business-key UNIQUE constraint and a
    ``geom`` column in EPSG:4326 for a spatial layer.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection inside a transaction.
    schema_name : str
        The workspace schema.
    name : str
        The table (layer) name.
    frame : pandas.DataFrame
        The rows about to be written; columns outside the contract get a type from
        their dtype (bool, bigint, double precision, else text).
    contract : schema.LayerContract or None
        The layer's contract, ``None`` for a layer without one.
    geometry_type : str or None
        The geometry type when the contract gives none (``None``/``"Unknown"``:
        generic ``GEOMETRY``).

    Returns
    -------
    bool
        True when the table was created, False when it existed (columns maybe added).
    """
    import sqlalchemy as sa
    from geoalchemy2 import Geometry

    inspector = sa.inspect(conn)
    spatial = isinstance(frame, gpd.GeoDataFrame) or bool(contract and contract.is_spatial)
    if not inspector.has_table(name, schema=schema_name):
        types = _types()
        cols: list[Any] = [sa.Column("fid", sa.BigInteger, sa.Identity(), primary_key=True)]
        known: set[str] = set()
        if contract is not None:
            for f in contract.fields:
                cols.append(sa.Column(f.name, types[f.type]))
                known.add(f.name)
        for col in frame.columns:
            if col not in known and col not in ("geometry", "geom", "fid"):
                cols.append(sa.Column(str(col), _type_of_series(frame[col])))
                known.add(str(col))
        if spatial:
            gtype = contract.geometry if contract is not None and contract.geometry else None
            gtype = gtype or geometry_type
            cols.append(sa.Column("geom", Geometry(_postgis_type(gtype), srid=4326)))
        args: list[Any] = list(cols)
        if contract is not None and contract.key:
            args.append(sa.UniqueConstraint(*contract.key, name=f"{name}_business_key"))
        table = sa.Table(name, sa.MetaData(schema=schema_name), *args)
        table.create(conn)
        return True
    present = {c["name"] for c in inspector.get_columns(name, schema=schema_name)}
    types = _types()
    by_name = {f.name: f for f in contract.fields} if contract is not None else {}
    for col in frame.columns:
        col = str(col)
        if col in present or col in ("geometry", "geom"):
            continue
        kind = types[by_name[col].type] if col in by_name else _type_of_series(frame[col])
        compiled = kind.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f'ALTER TABLE "{schema_name}"."{name}" ADD COLUMN "{col}" {compiled}')
    return False


def column_types(table: sa.Table) -> dict[str, Any]:
    """``dtype=`` for ``to_sql``/``to_postgis``: each stored column's own type (no geometry).

    Parameters
    ----------
    table : sqlalchemy.Table
        The reflected table.

    Returns
    -------
    dict of str to Any
        Column name → SQLAlchemy type, without ``fid`` and geometry columns.
    """
    from geoalchemy2 import Geometry

    return {
        c.name: c.type
        for c in table.columns
        if c.name != "fid" and not isinstance(c.type, Geometry)
    }


def for_database(frame: pd.DataFrame, contract: schema.LayerContract | None) -> pd.DataFrame:
    """``frame`` ready for the driver: dates as dates, NULLs as None, Multi geometries.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows in contract dtypes.
    contract : schema.LayerContract or None
        Gives the date fields and whether geometries must be Multi.

    Returns
    -------
    pandas.DataFrame
        A copy: contract ``date`` fields as :class:`datetime.date`, nullable string and
        boolean columns as objects with ``None``, single geometries promoted when the
        contract's geometry is a Multi type.
    """
    out = frame.copy()
    fields = {f.name: f for f in contract.fields} if contract is not None else {}
    for col in out.columns:
        if col == "geometry":
            continue
        field = fields.get(str(col))
        series = out[col]
        if field is not None and field.type == "date":
            out[col] = series.map(_as_date).astype(object)
        elif isinstance(series.dtype, pd.StringDtype | pd.BooleanDtype):
            out[col] = series.astype(object).where(series.notna(), None)
    multi = bool(contract and contract.geometry and contract.geometry.startswith("Multi"))
    if isinstance(out, gpd.GeoDataFrame) and multi:
        out = out.set_geometry(_promote_to_multi(out.geometry))
    return out


def _as_date(value: Any) -> dt.date | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return dt.date.fromisoformat(str(value)[:10])


def _promote_to_multi(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    single: dict[str, Any] = {
        "Point": shapely.MultiPoint,
        "LineString": shapely.MultiLineString,
        "Polygon": shapely.MultiPolygon,
    }
    values = [
        single[g.geom_type]([g]) if g is not None and g.geom_type in single else g for g in geoms
    ]
    return gpd.GeoSeries(values, index=geoms.index, crs=geoms.crs, name=geoms.name)


def ensure_internal_tables(conn: Any, schema_name: str) -> None:
    """Create the workspace schema's own tables: ecogis's settings and QGIS's project storage.

    Creates the schema, ``ecogis_meta`` (key, value) and ``qgis_projects`` (name,
    metadata jsonb, content bytea) when missing.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection inside a transaction.
    schema_name : str
        The workspace schema.
    """
    present = conn.exec_driver_sql(
        "SELECT to_regclass(%(m)s) IS NOT NULL AND to_regclass(%(p)s) IS NOT NULL",
        {"m": f'"{schema_name}".{META_TABLE}', "p": f'"{schema_name}".{PROJECT_TABLE}'},
    ).scalar()
    if present:
        return
    conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema_name}"')
    conn.exec_driver_sql(
        f'CREATE TABLE IF NOT EXISTS "{schema_name}".{META_TABLE} '
        "(key text PRIMARY KEY, value text)"
    )
    # The layout QGIS's PostgreSQL project storage creates and reads.
    conn.exec_driver_sql(
        f'CREATE TABLE IF NOT EXISTS "{schema_name}".{PROJECT_TABLE} '
        "(name text PRIMARY KEY, metadata jsonb, content bytea)"
    )


def has_style_table(conn: Any) -> bool:
    """Whether ``public.layer_styles`` exists.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection.

    Returns
    -------
    bool
        True when the table exists.
    """
    return bool(
        conn.exec_driver_sql(f"SELECT to_regclass('public.{STYLE_TABLE}') IS NOT NULL").scalar()
    )


def ensure_style_table(conn: Any) -> None:
    """QGIS's own ``public.layer_styles``, with the columns QGIS creates it with.

    Created under an advisory lock, so two workspaces of one database made at once do not
    both create it; nothing is done when it exists.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection inside a transaction.
    """
    if has_style_table(conn):
        return  # (a provincial role may not create tables in public)
    # Two workspaces of one database made at once would both create it: one at a time.
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('ecogis:public.layer_styles'))")
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS public.{STYLE_TABLE} (id serial PRIMARY KEY, "
        "f_table_catalog varchar, f_table_schema varchar, f_table_name varchar, "
        "f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, "
        "useasdefault boolean, description text, owner varchar(63) DEFAULT CURRENT_USER, "
        "ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar, "
        "r_raster_column varchar)"
    )


def write_styles(conn: Any, database: str, schema_name: str, records: list[StyleRecord]) -> None:
    """Insert or replace this workspace's default styles in ``public.layer_styles``.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection inside a transaction.
    database : str
        The database name (``f_table_catalog``).
    schema_name : str
        The workspace schema (``f_table_schema``).
    records : list of StyleRecord
        One style per layer; each replaces a style of the same name and becomes the
        layer's default.
    """
    ensure_style_table(conn)
    for r in records:
        where = {"c": database, "s": schema_name, "t": r.layer}
        conn.exec_driver_sql(
            f"DELETE FROM public.{STYLE_TABLE} WHERE f_table_catalog = %(c)s AND "
            "f_table_schema = %(s)s AND f_table_name = %(t)s AND stylename = %(n)s",
            {**where, "n": r.name},
        )
        conn.exec_driver_sql(
            f"UPDATE public.{STYLE_TABLE} SET useasdefault = false WHERE f_table_catalog = "
            "%(c)s AND f_table_schema = %(s)s AND f_table_name = %(t)s",
            where,
        )
        conn.exec_driver_sql(
            f"INSERT INTO public.{STYLE_TABLE} (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, stylename, styleqml, stylesld, useasdefault, description, "
            "owner, type) VALUES (%(c)s, %(s)s, %(t)s, %(g)s, %(n)s, XMLPARSE(DOCUMENT %(q)s), "
            "XMLPARSE(DOCUMENT %(sld)s), true, %(d)s, 'ecogis', %(kind)s)",
            {
                **where,
                "g": r.geometry_column,
                "n": r.name,
                "q": r.qml,
                "sld": r.sld or None,
                "d": r.description,
                "kind": None,  # QGIS matches type = its geometry word, or NULL: any
            },
        )


def read_styles(conn: Any, schema_name: str) -> pd.DataFrame:
    """Read the styles of schema ``schema_name``, with the GeoPackage table's column names.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection.
    schema_name : str
        The workspace schema.

    Returns
    -------
    pandas.DataFrame
        Columns ``f_table_catalog``, ``f_table_schema``, ``f_table_name``,
        ``f_geometry_column``, ``styleName``, ``styleQML``, ``styleSLD``,
        ``useAsDefault``, ``description``, in insertion order; no rows when none.
    """
    cols = [
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
    if not has_style_table(conn):
        return pd.DataFrame(columns=cols)
    rows = conn.exec_driver_sql(
        "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, stylename, "
        f"styleqml::text, stylesld::text, useasdefault, description FROM public.{STYLE_TABLE} "
        "WHERE f_table_schema = %(s)s ORDER BY id",
        {"s": schema_name},
    ).fetchall()
    return pd.DataFrame([tuple(r) for r in rows], columns=cols)


def create_contract_tables(conn: Any, schema_name: str) -> list[str]:
    """Every contract layer's table (empty), for ``ecogis db init``; their names.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection inside a transaction.
    schema_name : str
        The workspace schema.

    Returns
    -------
    list of str
        The contract layer names, in :func:`ecogis.schema.layer_names` order.
    """
    made = []
    for name in schema.layer_names():
        contract = schema.contract(name)
        empty: pd.DataFrame = pd.DataFrame(
            {f.name: pd.Series(dtype=f.dtype) for f in contract.fields}
        )
        ensure_table(conn, schema_name, name, empty, contract, geometry_type=None)
        made.append(name)
    return made


def layer_extent(conn: Any, table: str, geom: str) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of ``table`` (quoted) from ``ST_Extent``.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection.
    table : str
        The table, already quoted (``"schema"."name"``).
    geom : str
        Its geometry column.

    Returns
    -------
    tuple of float or None
        The extent in degrees (EPSG:4326); ``None`` for an empty table.
    """
    row = conn.exec_driver_sql(
        f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT "
        f'ST_Extent("{geom}") AS e FROM {table}) s'
    ).fetchone()
    if row is None or any(v is None for v in row):
        return None
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def geometry_types(conn: Any, table: str, geom: str) -> list[str]:
    """Point / LineString / Polygon present in ``table`` (quoted); Multi counts as single.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection.
    table : str
        The table, already quoted (``"schema"."name"``).
    geom : str
        Its geometry column.

    Returns
    -------
    list of str
        The types present, in the order Point, LineString, Polygon.
    """
    rows = conn.exec_driver_sql(
        f"SELECT DISTINCT replace(GeometryType(\"{geom}\"), 'MULTI', '') "
        f'FROM {table} WHERE "{geom}" IS NOT NULL'
    ).fetchall()
    names = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon"}
    found = {names[r[0]] for r in rows if r[0] in names}
    return sorted(found, key=["Point", "LineString", "Polygon"].index)


def geometry_column(conn: Any, schema_name: str, name: str) -> str | None:
    """Return the geometry column of a table as PostGIS registers it (``geometry_columns``).

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection.
    schema_name : str
        The workspace schema.
    name : str
        The table name.

    Returns
    -------
    str or None
        The column name (``geom``), ``None`` for a table without geometry.
    """
    value = conn.exec_driver_sql(
        "SELECT f_geometry_column FROM geometry_columns WHERE f_table_schema = %(s)s "
        "AND f_table_name = %(t)s",
        {"s": schema_name, "t": name},
    ).scalar()
    return None if value is None else str(value)


def field_names(conn: Any, schema_name: str, name: str, geom: str | None) -> list[str]:
    """List a table's columns in order, without fid and the geometry column.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection.
    schema_name : str
        The workspace schema.
    name : str
        The table name.
    geom : str or None
        The geometry column to leave out (``None``: none).

    Returns
    -------
    list of str
        Column names in table order.
    """
    rows = conn.exec_driver_sql(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %(s)s "
        "AND table_name = %(t)s ORDER BY ordinal_position",
        {"s": schema_name, "t": name},
    ).fetchall()
    return [r[0] for r in rows if r[0] not in ("fid", geom)]
