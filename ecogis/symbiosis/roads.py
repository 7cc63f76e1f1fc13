"""Road-network distances for candidate exchanges (optional; straight line × detour otherwise).

The road layer's lines are split at their vertices into an undirected graph (nodes where
vertices coincide to 0.1 m, edge weight = segment length in metres, in the data's UTM zone).
Each factory is joined to its nearest graph node (the straight connector length is added),
and the shortest paths from each provider's node are found with SciPy's Dijkstra, bounded
by the largest distance any of its streams may travel. Lines that do not share a vertex are
not connected: a road layer must be noded (as OpenStreetMap extracts are) for paths to cross.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from ecogis.errors import DataValidationError

_CHUNK = 256  # origins per Dijkstra call: bounds memory to CHUNK × nodes floats


def _graph(roads: gpd.GeoDataFrame, crs: CRS) -> tuple[sparse.csr_matrix, np.ndarray]:
    lines = roads.geometry.to_crs(crs)
    lines = lines[~(lines.isna() | lines.is_empty)].explode(index_parts=False)
    lines = lines[lines.geom_type == "LineString"]
    if lines.empty:
        raise DataValidationError(
            "the road layer has no lines", source="roads", fix="give a layer of road centrelines"
        )
    coords, part = shapely.get_coordinates(lines.to_numpy(), return_index=True)
    same = part[1:] == part[:-1]
    start, end = coords[:-1][same], coords[1:][same]
    keys = np.round(np.vstack([start, end]) * 10).astype(np.int64)
    nodes, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    a, b = inverse[: len(start)], inverse[len(start) :]
    length = np.hypot(*(end - start).T)
    n = len(nodes)
    graph = sparse.coo_matrix((length, (a, b)), shape=(n, n)).tocsr()
    return graph, nodes.astype(float) / 10.0


def road_distances_m(
    roads: gpd.GeoDataFrame,
    crs: CRS,
    origin_xy: np.ndarray,
    dest_xy: np.ndarray,
    limit_m: np.ndarray,
) -> np.ndarray:
    """Road distance (m) for each origin → destination pair; ``inf`` where none is found.

    Parameters
    ----------
    roads
        Road centrelines (any CRS; reprojected to ``crs``).
    crs
        The metric CRS the points are in.
    origin_xy, dest_xy
        Pair coordinates, shape (n, 2), metres in ``crs``.
    limit_m
        Per pair, the longest path worth finding (m): the search stops beyond it, so a
        longer path may come back as ``inf``.

    Returns
    -------
    numpy.ndarray
        float64, one distance in metres per pair: the path along the roads plus the straight
        connectors from each point to its nearest road vertex; ``inf`` where no path is
        found (roads not connected, or longer than the limit).

    Raises
    ------
    DataValidationError
        If the road layer has no lines.
    """
    graph, node_xy = _graph(roads, crs)
    tree = cKDTree(node_xy)
    snap_o, node_o = tree.query(origin_xy)
    snap_d, node_d = tree.query(dest_xy)
    out = np.full(len(origin_xy), np.inf)
    uniq, which = np.unique(node_o, return_inverse=True)
    for lo in range(0, len(uniq), _CHUNK):
        block = uniq[lo : lo + _CHUNK]
        rows = np.flatnonzero((which >= lo) & (which < lo + len(block)))
        limit = float(np.max(limit_m[rows])) if len(rows) else 0.0
        dist = dijkstra(graph, directed=False, indices=block, limit=limit)
        out[rows] = dist[which[rows] - lo, node_d[rows]]
    return out + snap_o + snap_d
