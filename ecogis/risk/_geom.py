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
    """A row's business key (``key`` column) or index label, for messages."""
    if key and key in frame.columns:
        v = frame[key].iloc[pos]
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and v is not pd.NA:
            return str(v)
    return str(frame.index[pos])


def require_columns(
    frame: pd.DataFrame, columns: list[str] | tuple[str, ...], name: str, *, fix: str, why: str = ""
) -> None:
    """Raise naming the first of ``columns`` that ``frame`` lacks (``why`` ends the message)."""
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

    ``message`` may use ``{n}`` (how many rows are bad) and ``{value}`` (the first bad value
    of ``field``).
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
    """Raise unless ``frame`` is a non-empty GeoDataFrame with a CRS and no empty geometry."""
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
    """The metric CRS to measure several layers together (their own when all share one)."""
    return metric_crs(frames)


def anchor_points(geoms: gpd.GeoSeries) -> npt.NDArray[np.float64]:
    """x, y of each feature's anchor: a point itself, else its centroid when it lies inside
    the polygon, else a point on its surface (metric CRS in, metres out)."""
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

    ``tree_b`` is a k-d tree already built on ``b_xy`` (built here when ``None``).
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
    """A numeric column as float64, raising on a missing column, text, NaN or a negative."""
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
