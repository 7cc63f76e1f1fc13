"""Merging incoming rows into stored ones by business key (the upsert rule).

Pure frame functions used by :meth:`ecogis.workspace.Workspace.upsert` on a store that
does not merge by itself (the GeoPackage): rows whose key is new are added, rows whose key
exists take the incoming values of the columns the incoming frame has, and a column it
does not have keeps its stored value.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ecogis import schema


def merge_by_key(
    stored: pd.DataFrame, incoming: pd.DataFrame, key: list[str], columns: list[str]
) -> tuple[pd.DataFrame | None, int, int, int]:
    """Merge ``incoming`` into ``stored`` by ``key``.

    Parameters
    ----------
    stored, incoming : pandas.DataFrame
        Frames in contract dtypes (GeoDataFrames for a vector layer).
    key : list of str
        The business key columns.
    columns : list of str
        The columns the caller's frame carries (others keep their stored values).

    Returns
    -------
    tuple of (pandas.DataFrame or None, int, int, int)
        The merged frame (stored rows in their order with updates applied, new rows
        appended), or ``None`` when nothing would change (the store need not be
        written); then the counts of rows added, updated and unchanged.
    """
    stored = stored.reset_index(drop=True)
    incoming = incoming.reset_index(drop=True)
    stored_keys = schema.join_key(stored, key)
    in_keys = schema.join_key(incoming, key)
    position = pd.Series(np.arange(len(stored)), index=stored_keys.to_numpy())
    position = position[~position.index.duplicated(keep="last")]
    is_new = ~in_keys.isin(stored_keys).to_numpy()
    old_rows = position.reindex(in_keys[~is_new].to_numpy()).to_numpy()
    new_of_old = incoming.index[~is_new].to_numpy()
    compare = [c for c in columns if c in stored.columns]
    changed = np.zeros(len(old_rows), dtype=bool)
    for col in compare:
        changed |= ~values_equal(stored[col].iloc[old_rows], incoming[col].iloc[new_of_old])
    merged = stored.copy()
    if changed.any():
        rows, src = old_rows[changed], new_of_old[changed]
        for col in compare:
            values = merged[col].to_numpy(copy=True)
            if values.dtype != object and incoming[col].dtype != merged[col].dtype:
                values = values.astype(object)
            values[rows] = incoming[col].to_numpy()[src]
            merged[col] = pd.Series(values, index=merged.index).astype(merged[col].dtype)
    added, updated, unchanged = int(is_new.sum()), int(changed.sum()), int((~changed).sum())
    if updated == 0 and added == 0:
        return None, 0, 0, unchanged
    new_rows = incoming[is_new]
    if len(new_rows):
        merged = pd.concat([merged, new_rows], ignore_index=True)
        if isinstance(stored, gpd.GeoDataFrame):
            merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=stored.crs)
    return merged, added, updated, unchanged


def values_equal(x: pd.Series, y: pd.Series) -> np.ndarray:
    """Element-wise equality of two aligned columns; two NULLs are equal, geometries exact.

    Parameters
    ----------
    x, y : pandas.Series
        Columns of the same length, compared by position.

    Returns
    -------
    numpy.ndarray
        Booleans, one per row: both NULL, or both set and equal (geometries equal
        vertex by vertex within 1e-9 degrees).
    """
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
    return np.asarray((na_x & na_y) | (~na_x & ~na_y & eq), dtype=bool)


def common_geometry_type(frame: gpd.GeoDataFrame) -> str | None:
    """Return the one geometry type of ``frame`` (a Multi type when singles and multis mix).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The features to be written.

    Returns
    -------
    str or None
        ``"Point"``, ``"MultiPolygon"`` … when one base type is present; ``"Unknown"``
        for no geometry or mixed base types (a generic geometry column).
    """
    types = set(frame.geometry.dropna().geom_type.unique())
    if not types:
        return "Unknown"
    if len(types) == 1:
        return str(types.pop())
    bases = {t.replace("Multi", "") for t in types}
    if len(bases) == 1:
        return "Multi" + bases.pop()
    return "Unknown"
