"""Rows as comparable text: one token per field, one key per row, and what changed.

Three versions of a row meet in a sync: the *base* (as pulled), the *copy* (as the office
left it) and the *database* (as it is now). They come from two stores (GeoPackage and
PostGIS) and from the copy's own snapshot table, so they are compared as canonical text
*tokens*, identical whichever store a value came from:

* text as is; integers ``"12"``; floats ``repr`` (``"1500000.0"``, exact for a double);
  booleans ``"true"``/``"false"``; dates ISO (the workspace reads them so);
* a geometry as hex WKB, 2-D, without SRID (both stores keep the coordinates bit for bit);
* NULL (and an empty geometry) as ``None``.

Rows are matched by their business key (:func:`ecogis.schema.join_key`), never by ``fid``:
a GeoPackage layer is rewritten whole on every write and its fids renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ecogis import schema

GEOMETRY_TOKEN = "geometry_wkb"
"""The token column of a vector layer's geometry."""

Row = dict[str, str | None]
"""One row's tokens by column."""

KEY_COLUMN = "_key"
"""The joined business key (the index of a token frame, a column of a stored base)."""

_NULL = "\x00"  # never in a token: NULL while comparing


def token_columns(contract: schema.LayerContract) -> list[str]:
    """List the columns compared for a layer: its contract fields, and its geometry.

    Parameters
    ----------
    contract : schema.LayerContract
        The layer's contract.

    Returns
    -------
    list of str
        The contract field names in order, then ``geometry_wkb`` for a vector layer.
    """
    return [*contract.field_names, *([GEOMETRY_TOKEN] if contract.is_spatial else [])]


def tokens(frame: pd.DataFrame, contract: schema.LayerContract) -> pd.DataFrame:
    """``frame`` (as :meth:`~ecogis.workspace.Workspace.read` returns it) as tokens.

    Parameters
    ----------
    frame : pandas.DataFrame
        A layer in contract dtypes (a GeoDataFrame for a vector layer).
    contract : schema.LayerContract
        Its contract.

    Returns
    -------
    pandas.DataFrame
        Object columns :func:`token_columns` (text tokens or ``None``), index the joined
        business key (named ``_key``).
    """
    frame = schema.coerce_dtypes(frame, contract)
    out: dict[str, Any] = {}
    for f in contract.fields:
        out[f.name] = _field_tokens(frame[f.name], f.type)
    if contract.is_spatial:
        geoms: Any = (
            np.asarray(frame.geometry.to_numpy(), dtype=object)
            if isinstance(frame, gpd.GeoDataFrame)
            else np.full(len(frame), None, dtype=object)
        )
        empty = pd.isna(geoms) | shapely.is_empty(geoms)
        placed: Any = np.where(empty, None, geoms)
        out[GEOMETRY_TOKEN] = list(shapely.to_wkb(placed, hex=True, output_dimension=2))
    result = pd.DataFrame({k: pd.Series(v).to_numpy(dtype=object) for k, v in out.items()})
    result.index = pd.Index(schema.join_key(frame, list(contract.key)).to_numpy(), name=KEY_COLUMN)
    return result[token_columns(contract)]


def _field_tokens(col: pd.Series, kind: str) -> list[str | None]:
    values = col.astype(object).to_numpy()
    missing = pd.isna(col).to_numpy()
    if kind == "float":
        return [None if m else repr(float(v)) for v, m in zip(values, missing, strict=True)]
    if kind == "int":
        return [None if m else str(int(v)) for v, m in zip(values, missing, strict=True)]
    if kind == "bool":
        return [
            None if m else ("true" if v else "false") for v, m in zip(values, missing, strict=True)
        ]
    return [None if m else str(v) for v, m in zip(values, missing, strict=True)]


def from_stored(frame: pd.DataFrame, contract: schema.LayerContract) -> pd.DataFrame:
    """Turn a token frame stored as a text table (:mod:`ecogis.sync.base`) back into tokens.

    Parameters
    ----------
    frame : pandas.DataFrame
        The stored table, with column ``_key`` and token columns.
    contract : schema.LayerContract
        The layer's contract; a token column the table lacks comes back all ``None``.

    Returns
    -------
    pandas.DataFrame
        Object columns :func:`token_columns`, index the key as text.
    """
    columns = token_columns(contract)
    out = pd.DataFrame(index=pd.Index(frame[KEY_COLUMN].astype(str).to_numpy(), name=KEY_COLUMN))
    for c in columns:
        if c in frame.columns:
            out[c] = none_for_na(frame[c])
        else:
            out[c] = np.full(len(frame), None, dtype=object)
    return out


def none_for_na(values: pd.Series) -> np.ndarray:
    """``values`` as an object array with ``None`` (never NaN) for each missing value.

    Parameters
    ----------
    values : pandas.Series
        Any column.

    Returns
    -------
    numpy.ndarray
        Object array of the same length.
    """
    missing = pd.isna(values).to_numpy()
    out = values.astype(object).to_numpy(dtype=object, copy=True)
    out[missing] = None
    return out


def digests(toks: pd.DataFrame) -> pd.Series:
    """One text per row standing for all its tokens (equal rows, equal digests).

    Parameters
    ----------
    toks : pandas.DataFrame
        A token frame.

    Returns
    -------
    pandas.Series
        Text per row, indexed like ``toks`` (NULL kept apart from any text).
    """
    if toks.empty:
        return pd.Series([], index=toks.index, dtype=object)
    parts = toks.fillna(_NULL).astype(str)
    return parts.agg("\x1e".join, axis=1)


@dataclass
class Changes:
    """How one side moved away from the base: keys added, updated and deleted.

    Attributes
    ----------
    added, updated, deleted : list of str
        Joined business keys; a ``Changes`` is false when all three are empty.
    """

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """Every changed key."""
        return [*self.added, *self.updated, *self.deleted]

    def __bool__(self) -> bool:
        """Return True when any key was added, updated or deleted.

        Returns
        -------
        bool
            False for no change at all.
        """
        return bool(self.added or self.updated or self.deleted)


def changes(base: pd.DataFrame, now: pd.DataFrame) -> Changes:
    """Find what ``now`` changed against ``base`` (two token frames), by business key.

    Parameters
    ----------
    base : pandas.DataFrame
        The token frame as last agreed.
    now : pandas.DataFrame
        The token frame of one side now (the copy or the database).

    Returns
    -------
    Changes
        Keys only in ``now`` (added), in both with other tokens (updated), only in
        ``base`` (deleted).
    """
    b, n = digests(base), digests(now)
    common = b.index.intersection(n.index)
    differ = b.loc[common] != n.loc[common]
    return Changes(
        added=[str(k) for k in n.index.difference(b.index)],
        updated=[str(k) for k in common[differ.to_numpy()]],
        deleted=[str(k) for k in b.index.difference(n.index)],
    )


def row_tokens(toks: pd.DataFrame, key: str) -> Row | None:
    """One row's tokens by column, or ``None`` when the key is not there.

    Parameters
    ----------
    toks : pandas.DataFrame
        A token frame.
    key : str
        A joined business key.

    Returns
    -------
    Row or None
        Column → token (``None`` for NULL).
    """
    if key not in toks.index:
        return None
    row = toks.loc[key]
    return {str(c): (None if v is None or pd.isna(v) else str(v)) for c, v in row.items()}


def frame_of_keys(toks: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """Return the token columns ``columns`` of rows ``keys`` as a plain frame (for deletions).

    Parameters
    ----------
    toks : pandas.DataFrame
        A token frame holding every key of ``keys``.
    keys : list of str
        Joined business keys.
    columns : list of str
        The columns wanted (those not in ``toks`` are left out).

    Returns
    -------
    pandas.DataFrame
        One row per key, in ``keys`` order, with a fresh index.
    """
    return toks.loc[keys, [c for c in columns if c in toks.columns]].reset_index(drop=True)


def select(frame: pd.DataFrame, contract: schema.LayerContract, keys: list[str]) -> pd.DataFrame:
    """Select the rows of a layer frame whose joined business key is one of ``keys``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A layer frame with the key columns.
    contract : schema.LayerContract
        The layer's contract (its key).
    keys : list of str
        Joined business keys.

    Returns
    -------
    pandas.DataFrame
        The matching rows, in ``frame`` order (same type as ``frame``).
    """
    mask = schema.join_key(frame, list(contract.key)).isin(set(keys)).to_numpy()
    return frame[mask]


def drop_keys(frame: pd.DataFrame, contract: schema.LayerContract, keys: list[str]) -> pd.DataFrame:
    """Return a layer frame without the rows of ``keys``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A layer frame with the key columns.
    contract : schema.LayerContract
        The layer's contract (its key).
    keys : list of str
        Joined business keys to leave out.

    Returns
    -------
    pandas.DataFrame
        The other rows, in ``frame`` order (same type as ``frame``).
    """
    mask = schema.join_key(frame, list(contract.key)).isin(set(keys)).to_numpy()
    return frame[~mask]
