"""CRS policy: store in EPSG:4326, measure in metres.

Distances and areas are computed only in a metric CRS: the WGS 84 UTM zone of the data
(EPSG:32647 west of 102°E, EPSG:32648 east of it) or geodesically with :class:`pyproj.Geod`
where a legal distance is judged. A dataset that spans the 102°E line uses 32647: Thailand
reaches 105.6°E, and zone 47's scale error there stays under 0.6 % (DOMAIN.md §7), which is
smaller than the error of switching zones mid-dataset. Asking for a distance in a geographic
CRS raises :class:`~ecogis.errors.CRSError`; it never warns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyproj
from pyproj import CRS, Geod

from ecogis.errors import CRSError

STORAGE_CRS = CRS.from_epsg(4326)
"""The CRS every layer is stored in (what QGIS, folium and DIW data use)."""

UTM_47N = CRS.from_epsg(32647)
UTM_48N = CRS.from_epsg(32648)
ZONE_LINE_LON = 102.0
"""Longitude (degrees east) of the boundary between UTM zones 47 and 48."""

THAILAND_BOUNDS = (97.3, 5.6, 105.7, 20.5)
"""Thailand's extent (min lon, min lat, max lon, max lat) in degrees, with a small margin."""

WGS84_GEOD = Geod(ellps="WGS84")


def metric_crs_for_lon_range(min_lon: float, max_lon: float) -> CRS:
    """Choose the UTM zone for data spanning a longitude range.

    Parameters
    ----------
    min_lon, max_lon
        Longitudes of the data in degrees east (WGS 84).

    Returns
    -------
    pyproj.CRS
        EPSG:32648 when all the data lie east of 102°E, else EPSG:32647 (also for data that
        span the zone line; see the module docstring for why).

    Raises
    ------
    CRSError
        If either longitude is NaN or infinite (the dataset has no coordinates).
    """
    if not (np.isfinite(min_lon) and np.isfinite(max_lon)):
        raise CRSError(
            "cannot choose a metric CRS for a dataset with no coordinates",
            fix="give the layer at least one feature with a geometry",
        )
    if min_lon >= ZONE_LINE_LON:
        return UTM_48N
    return UTM_47N


def metric_crs(data: Any) -> CRS:
    """Return the metric (UTM) CRS to measure a GeoDataFrame or GeoSeries in.

    Parameters
    ----------
    data
        A GeoDataFrame or GeoSeries with a CRS set. Several may be given as a list or tuple;
        the zone is then chosen for their joint extent so they can be measured together.

    Returns
    -------
    pyproj.CRS
        EPSG:32647 or EPSG:32648 by longitude (see :func:`metric_crs_for_lon_range`). If the
        data already are in a projected CRS whose unit is the metre, that CRS is kept.

    Raises
    ------
    CRSError
        If a frame has no CRS, or no feature of any frame has a geometry.
    """
    frames = list(data) if isinstance(data, list | tuple) else [data]
    lons: list[float] = []
    for frame in frames:
        if frame.crs is None:
            raise CRSError(
                "the data have no CRS, so distances cannot be measured",
                fix="set one with .set_crs(...) or import with --crs EPSG:4326",
            )
    first = CRS.from_user_input(frames[0].crs)
    if all(CRS.from_user_input(f.crs) == first for f in frames) and is_metric(first):
        return first
    for frame in frames:
        geoms = frame.geometry if hasattr(frame, "geometry") else frame
        geoms = geoms[~(geoms.isna() | geoms.is_empty)]
        if len(geoms) == 0:
            continue
        minx, _, maxx, _ = geoms.to_crs(STORAGE_CRS).total_bounds
        lons += [minx, maxx]
    if not lons:
        raise CRSError(
            "cannot choose a metric CRS: no feature has a geometry",
            fix="give the layer at least one feature with a geometry",
        )
    return metric_crs_for_lon_range(min(lons), max(lons))


def is_metric(crs: Any) -> bool:
    """Return True when ``crs`` is projected with metre units.

    Parameters
    ----------
    crs
        Anything :meth:`pyproj.CRS.from_user_input` accepts (an EPSG code such as ``32647``,
        ``"EPSG:32647"``, a :class:`pyproj.CRS`), or ``None``.

    Returns
    -------
    bool
        True when the CRS is projected and every axis is in metres; False for ``None``, a
        geographic CRS (degrees) or a projected CRS in other units (e.g. US feet).
    """
    if crs is None:
        return False
    c = CRS.from_user_input(crs)
    if not c.is_projected:
        return False
    units = {axis.unit_name.lower() for axis in c.axis_info}
    return units <= {"metre", "meter", "m"}


def require_metric(crs: Any, *, what: str = "a distance") -> CRS:
    """Raise unless ``crs`` is a projected CRS in metres.

    Parameters
    ----------
    crs
        Anything :meth:`pyproj.CRS.from_user_input` accepts.
    what
        What is being measured, for the message (default ``"a distance"``).

    Returns
    -------
    pyproj.CRS
        ``crs`` parsed, so the caller can use it directly.

    Raises
    ------
    CRSError
        If the CRS is missing, geographic (degrees) or not in metres.
    """
    if crs is None:
        raise CRSError(f"cannot measure {what} without a CRS", fix="set the layer's CRS first")
    c = CRS.from_user_input(crs)
    if not is_metric(c):
        raise CRSError(
            f"cannot measure {what} in {c.name} ({'degrees' if c.is_geographic else 'not metres'})",
            fix="reproject first with ecogis.crs.to_metric(...)",
        )
    return c


def to_metric(data: Any, crs: Any | None = None) -> Any:
    """Return ``data`` reprojected to a metric CRS (its UTM zone unless ``crs`` is given).

    Parameters
    ----------
    data
        A GeoDataFrame or GeoSeries with a CRS set.
    crs
        The metric CRS to reproject to (anything :meth:`pyproj.CRS.from_user_input`
        accepts, e.g. ``32647``); ``None`` (the default) chooses the UTM zone of the data
        with :func:`metric_crs`.

    Returns
    -------
    geopandas.GeoDataFrame or geopandas.GeoSeries
        Same type as ``data``, coordinates in metres; ``data`` itself (not a copy) when it is
        already in that CRS.

    Raises
    ------
    CRSError
        If ``crs`` is given but is not a projected CRS in metres, or (``crs`` not given)
        ``data`` has no CRS or no feature with a geometry.
    """
    target = require_metric(crs) if crs is not None else metric_crs(data)
    if data.crs is not None and CRS.from_user_input(data.crs) == target:
        return data
    return data.to_crs(target)


def geodesic_distance_m(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Geodesic distance on the WGS 84 ellipsoid, in metres (vectorised).

    Parameters
    ----------
    lon1, lat1, lon2, lat2
        Coordinates in degrees (EPSG:4326); arrays broadcast together.

    Returns
    -------
    numpy.ndarray
        Distances in metres.
    """
    lo1, la1, lo2, la2 = np.broadcast_arrays(
        *(np.asarray(v, dtype="float64") for v in (lon1, lat1, lon2, lat2))
    )
    _, _, dist = WGS84_GEOD.inv(lo1, la1, lo2, la2)
    return np.asarray(dist, dtype="float64")


def transformer(src: Any, dst: Any) -> pyproj.Transformer:
    """Return an always-xy :class:`pyproj.Transformer` between two CRSs.

    Parameters
    ----------
    src, dst
        The source and target CRS: anything :meth:`pyproj.Transformer.from_crs` accepts
        (an EPSG code such as ``4326``, ``"EPSG:32647"``, a :class:`pyproj.CRS`).

    Returns
    -------
    pyproj.Transformer
        Takes and gives coordinates in x, y order (longitude, latitude in degrees for a
        geographic CRS; easting, northing in the CRS's unit for a projected one), whatever
        axis order the CRS definition declares.
    """
    return pyproj.Transformer.from_crs(src, dst, always_xy=True)
