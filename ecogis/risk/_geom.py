"""Shared helpers of the risk package: checks, metric reprojection, anchor points, pairs."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import CRS
from scipy.spatial import cKDTree

from ecogis.crs import metric_crs
from ecogis.errors import CRSError, DataValidationError


def label_of(frame: pd.DataFrame, pos: int, key: str | None) -> str:
    """Return a row's business key (``key`` column) or index label, for messages.

    Parameters
    ----------
    frame
        The layer the row is in.
    pos
        The row's position (0-based, as for ``iloc``).
    key
        The business-key column (e.g. ``factory_id``); ``None``, a column the frame lacks
        or an empty value falls back to the index label.

    Returns
    -------
    str
    """
    if key and key in frame.columns:
        v = frame[key].iloc[pos]
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and v is not pd.NA:
            return str(v)
    return str(frame.index[pos])


def require_columns(
    frame: pd.DataFrame, columns: list[str] | tuple[str, ...], name: str, *, fix: str, why: str = ""
) -> None:
    """Raise naming the first of ``columns`` that ``frame`` lacks (``why`` ends the message).

    Parameters
    ----------
    frame
        The layer to check.
    columns
        The columns it must have.
    name
        The layer's name, cited as the error's source.
    fix
        What the user should do, for the message.
    why
        Text appended to the message (e.g. ``" (population)"``); empty by default.

    Raises
    ------
    DataValidationError
        Naming the first missing column.
    """
    for col in columns:
        if col not in frame.columns:
            raise DataValidationError(
                f"has no column {col!r}{why}", source=name, field=col, fix=fix
            )


def raise_at_first(
    frame: pd.DataFrame,
    bad: npt.NDArray[np.bool_],
    message: str,
    *,
    name: str,
    key: str | None,
    field: str,
    fix: str,
) -> None:
    """Raise :class:`DataValidationError` at the first row where ``bad`` is true, if any.

    Parameters
    ----------
    frame
        The layer the rows are in.
    bad
        One bool per row of ``frame``, true where the row is wrong.
    message
        What is wrong; may use ``{n}`` (how many rows are bad) and ``{value}`` (the first bad
        value of ``field``, ``None`` when ``frame`` has no such column).
    name
        The layer's name, cited as the error's source.
    key
        The business-key column that names the row (see :func:`label_of`).
    field
        The field the problem is in.
    fix
        What the user should do, for the message.

    Raises
    ------
    DataValidationError
        At the first bad row, when any is.
    """
    if not bad.any():
        return
    pos = int(np.flatnonzero(bad)[0])
    value = frame[field].iloc[pos] if field in frame.columns else None
    raise DataValidationError(
        message.format(n=int(bad.sum()), value=value),
        source=name,
        row=label_of(frame, pos, key),
        field=field,
        fix=fix,
    )


def require_layer(frame: Any, name: str, *, key: str | None = None) -> gpd.GeoDataFrame:
    """Raise unless ``frame`` is a non-empty GeoDataFrame with a CRS and no empty geometry.

    Parameters
    ----------
    frame
        The layer to check (any object; only a GeoDataFrame passes).
    name
        The layer's name, cited as the error's source.
    key
        The business-key column that names a row without a geometry; ``None`` names it by
        its index label.

    Returns
    -------
    geopandas.GeoDataFrame
        ``frame`` itself, unchanged.

    Raises
    ------
    DataValidationError
        If ``frame`` is not a GeoDataFrame, has no features, or has a feature without a
        geometry.
    CRSError
        If ``frame`` has no CRS.
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise DataValidationError(
            "is not a GeoDataFrame", source=name, fix="pass a geopandas.GeoDataFrame"
        )
    if len(frame) == 0:
        raise DataValidationError(
            "is empty (no features)", source=name, fix="give a layer with at least one feature"
        )
    if frame.crs is None:
        raise CRSError(
            "has no CRS, so distances cannot be measured",
            source=name,
            fix="set it with .set_crs(...) (EPSG:4326 for longitude/latitude)",
        )
    raise_at_first(
        frame,
        (frame.geometry.isna() | frame.geometry.is_empty).to_numpy(),
        "has {n} feature(s) without a geometry",
        name=name,
        key=key,
        field="geometry",
        fix="drop unplaced features or give them coordinates",
    )
    return frame


def common_metric(frames: list[gpd.GeoDataFrame]) -> CRS:
    """Choose the metric CRS to measure several layers together (their own when all share one).

    Parameters
    ----------
    frames
        The layers, each with a CRS.

    Returns
    -------
    pyproj.CRS
        As :func:`ecogis.crs.metric_crs` of all of them: their shared metric CRS, else the
        UTM zone (EPSG:32647 or 32648) of their joint extent.
    """
    return metric_crs(frames)


def anchor_points(geoms: gpd.GeoSeries) -> npt.NDArray[np.float64]:
    """x, y of each feature's anchor (metric CRS in, metres out).

    The anchor of a point is the point itself; of another geometry its centroid when that
    lies inside it, else a point on its surface.

    Parameters
    ----------
    geoms
        Non-empty geometries in a metric CRS.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``, float64: x and y in metres, one row per geometry in order.
    """
    arr = geoms.to_numpy()
    is_point = shapely.get_type_id(arr) == 0
    pts = np.empty(len(arr), dtype=object)
    pts[is_point] = arr[is_point]
    if (~is_point).any():
        other = arr[~is_point]
        cent = shapely.centroid(other)
        inside = shapely.contains(other, cent) | shapely.intersects(other, cent)
        pts[~is_point] = np.where(inside, cent, shapely.point_on_surface(other))
    return np.column_stack([shapely.get_x(pts), shapely.get_y(pts)]).astype("float64")


def pairs_within(
    a_xy: npt.NDArray[np.float64],
    b_xy: npt.NDArray[np.float64],
    radius_m: float,
    *,
    tree_b: cKDTree | None = None,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """All (i, j, distance) with ``‖a_i − b_j‖ ≤ radius_m`` (k-d trees; distance 0 kept).

    Parameters
    ----------
    a_xy, b_xy
        Coordinates, shape ``(n, 2)`` and ``(m, 2)``, in metres (one metric CRS).
    radius_m
        The search radius in metres (a pair at exactly this distance is kept).
    tree_b
        A k-d tree already built on ``b_xy``, to reuse across calls; ``None`` (the default)
        builds one here.

    Returns
    -------
    tuple of numpy.ndarray
        ``(i, j, distance)``: indices into ``a_xy`` and ``b_xy`` (intp) and the distance of
        each pair in metres (float64), in no particular order; three empty arrays when
        either side is empty.
    """
    if len(a_xy) == 0 or len(b_xy) == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty.copy(), np.empty(0, dtype="float64")
    tb = tree_b if tree_b is not None else cKDTree(b_xy)
    m = cKDTree(a_xy).sparse_distance_matrix(tb, float(radius_m), output_type="ndarray")
    return (
        np.asarray(m["i"], dtype=np.intp),
        np.asarray(m["j"], dtype=np.intp),
        np.asarray(m["v"], dtype="float64"),
    )


def numeric_column(
    frame: pd.DataFrame, col: str, name: str, *, key: str | None, what: str, allow_nan: bool
) -> npt.NDArray[np.float64]:
    """Read a numeric column as float64, raising on a missing column, text, NaN or a negative.

    Parameters
    ----------
    frame
        The layer holding the column.
    col
        The column to read.
    name
        The layer's name, cited as the error's source.
    key
        The business-key column that names a bad row (see :func:`label_of`).
    what
        What the column means (e.g. ``population``), for the messages; the fix also names
        the option that chooses the column after it.
    allow_nan
        Whether empty values are accepted (they come back as NaN).

    Returns
    -------
    numpy.ndarray
        The values as float64 (in the column's own unit), one per row.

    Raises
    ------
    DataValidationError
        If the column is missing, a value is not a number, a value is empty (unless
        ``allow_nan``), or a value is negative.
    """
    require_columns(
        frame,
        [col],
        name,
        why=f" ({what})",
        fix=f"add the column or choose another with the {what} option",
    )
    raw = frame[col]
    vals = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    raise_at_first(
        frame,
        np.asarray(raw.notna()) & np.isnan(vals),
        "{value!r} is not a number",
        name=name,
        key=key,
        field=col,
        fix=f"give a numeric {what}",
    )
    if not allow_nan:
        raise_at_first(
            frame,
            np.isnan(vals),
            f"{what} is missing (NaN) for {{n}} row(s)",
            name=name,
            key=key,
            field=col,
            fix=f"fill in the {what} or drop those rows",
        )
    raise_at_first(
        frame,
        vals < 0,
        f"{what} {{value}} is negative",
        name=name,
        key=key,
        field=col,
        fix=f"give a {what} ≥ 0",
    )
    return vals
