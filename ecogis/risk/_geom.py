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
    missing = (frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    if missing.any():
        pos = int(np.flatnonzero(missing)[0])
        raise DataValidationError(
            f"has {int(missing.sum())} feature(s) without a geometry",
            source=name,
            row=label_of(frame, pos, key),
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
    if col not in frame.columns:
        raise DataValidationError(
            f"has no column {col!r} ({what})",
            source=name,
            field=col,
            fix=f"add the column or choose another with the {what} option",
        )
    raw = frame[col]
    vals = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    text_bad = np.asarray(raw.notna()) & np.isnan(vals)
    if text_bad.any():
        pos = int(np.flatnonzero(text_bad)[0])
        raise DataValidationError(
            f"{raw.iloc[pos]!r} is not a number",
            source=name,
            row=label_of(frame, pos, key),
            field=col,
            fix=f"give a numeric {what}",
        )
    if not allow_nan and np.isnan(vals).any():
        pos = int(np.flatnonzero(np.isnan(vals))[0])
        raise DataValidationError(
            f"{what} is missing (NaN) for {int(np.isnan(vals).sum())} row(s)",
            source=name,
            row=label_of(frame, pos, key),
            field=col,
            fix=f"fill in the {what} or drop those rows",
        )
    if (vals < 0).any():
        pos = int(np.flatnonzero(vals < 0)[0])
        raise DataValidationError(
            f"{what} {vals[pos]} is negative",
            source=name,
            row=label_of(frame, pos, key),
            field=col,
            fix=f"give a {what} ≥ 0",
        )
    return vals
