"""Legal siting distances (Ministerial Regulation No. 2, B.E. 2535) judged geodesically.

The rules are data (``ecogis/catalogue/siting_rules.csv``, or a user file with the same
columns): which factory classes, which receptor kinds, the minimum distance in metres from
the receptor's boundary, whether the rule is verified, and its source. A factory *breaks*
a rule when its geodesic distance to the receptor's boundary (0 inside a polygon) is
**less than** the rule's distance — the regulation asks for "not less than" the distance,
so exactly 50 m complies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ecogis import schema
from ecogis.crs import STORAGE_CRS, geodesic_distance_m, transformer
from ecogis.errors import CatalogueError
from ecogis.resources import read_catalogue_text
from ecogis.risk._geom import anchor_points, require_columns, require_layer
from ecogis.risk.hazard import catalogue_rows
from ecogis.risk.proximity import _in, choose_metric_crs

RULE_COLUMNS = (
    "rule_id",
    "factory_classes",
    "receptor_kinds",
    "distance_m",
    "verified",
    "instrument",
    "source",
)
PACKAGE_RULES = "siting_rules.csv"
_PREFILTER_FACTOR = 1.02  # UTM scale error in Thailand stays under 0.6 %
_PREFILTER_PAD_M = 5.0


class _RuleRow(NamedTuple):
    rule_id: str
    factory_classes: tuple[int, ...]
    receptor_kinds: tuple[str, ...]
    distance_m: float
    verified: bool
    instrument: str
    source: str


def load_siting_rules(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the siting rules (the package's own file by default).

    Parameters
    ----------
    path
        A rules CSV (UTF-8) with the columns ``rule_id, factory_classes, receptor_kinds,
        distance_m, verified, instrument, source``; ``None`` (the default) reads
        ``ecogis/catalogue/siting_rules.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per rule: ``rule_id``; ``factory_classes`` as a tuple of ints (1, 2, 3);
        ``receptor_kinds`` as a tuple of strings; ``distance_m`` float (metres);
        ``verified`` bool; ``instrument`` and ``source`` as text.

    Raises
    ------
    CatalogueError
        Naming the file, row (header = row 1) and field of the first bad value.
    """
    text, source = read_catalogue_text(path, PACKAGE_RULES)
    rows: list[dict[str, Any]] = []
    for n, rec in catalogue_rows(text, source=source, columns=RULE_COLUMNS):
        try:
            classes = tuple(int(c) for c in rec["factory_classes"].split(";") if c.strip())
        except ValueError as exc:
            raise CatalogueError(
                f"factory_classes {rec['factory_classes']!r} is not a list of classes",
                source=source,
                row=n,
                field="factory_classes",
                fix="write e.g. 1;2",
            ) from exc
        if not classes or any(c not in (1, 2, 3) for c in classes):
            raise CatalogueError(
                f"factory_classes {rec['factory_classes']!r} must name classes 1, 2 or 3",
                source=source,
                row=n,
                field="factory_classes",
                fix="write e.g. 1;2",
            )
        kinds = tuple(k.strip() for k in (rec["receptor_kinds"] or "").split(";") if k.strip())
        if not kinds:
            raise CatalogueError(
                "receptor_kinds is empty",
                source=source,
                row=n,
                field="receptor_kinds",
                fix="write e.g. school;temple;hospital",
            )
        try:
            dist = float(rec["distance_m"])
        except (TypeError, ValueError):
            dist = float("nan")
        if not np.isfinite(dist) or dist <= 0:
            raise CatalogueError(
                f"distance_m {rec['distance_m']!r} is not a distance > 0",
                source=source,
                row=n,
                field="distance_m",
                fix="give metres, e.g. 50",
            )
        rows.append(
            {
                "rule_id": rec["rule_id"].strip(),
                "factory_classes": classes,
                "receptor_kinds": kinds,
                "distance_m": dist,
                "verified": (rec["verified"] or "").strip().lower() in ("yes", "true", "1"),
                "instrument": (rec["instrument"] or "").strip(),
                "source": (rec["source"] or "").strip(),
            }
        )
    if not rows:
        raise CatalogueError("no rules", source=source, fix="add at least one rule row")
    return pd.DataFrame(rows)


def boundary_distance_m(points: gpd.GeoSeries, targets: gpd.GeoSeries, crs: CRS) -> np.ndarray:
    """Geodesic distance (m) from each point to the boundary of its paired target.

    ``points`` and ``targets`` are aligned pairs in the metric ``crs``. The nearest point of
    the target is found in that CRS, then the distance is measured on the WGS 84 ellipsoid
    (:func:`ecogis.crs.geodesic_distance_m`); a point inside a polygon is at 0.

    Parameters
    ----------
    points
        Points (factories), in ``crs``.
    targets
        One geometry (receptor) per point, in the same order and in ``crs``.
    crs
        The metric CRS both are in.

    Returns
    -------
    numpy.ndarray
        float64, one geodesic distance in metres per pair.
    """
    p = points.to_numpy()
    t = targets.to_numpy()
    lines = shapely.shortest_line(p, t)
    coords = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    to_ll = transformer(crs, STORAGE_CRS)
    lon1, lat1 = to_ll.transform(coords[:, 0, 0], coords[:, 0, 1])
    lon2, lat2 = to_ll.transform(coords[:, 1, 0], coords[:, 1, 1])
    d = geodesic_distance_m(lon1, lat1, lon2, lat2)
    inside = shapely.intersects(p, t)
    return np.where(inside, 0.0, d)


def siting_flags(
    factories: gpd.GeoDataFrame,
    receptors: gpd.GeoDataFrame,
    *,
    rules: pd.DataFrame | None = None,
    kind_col: str = "kind",
) -> gpd.GeoDataFrame:
    """Factory–receptor pairs that break a siting rule.

    Parameters
    ----------
    factories
        Points with ``factory_id`` and ``factory_class`` (1/2/3); factories without a class
        are not judged.
    receptors
        Points or polygons with ``community_id`` and a kind column (school, temple, …).
    rules
        From :func:`load_siting_rules` (the package rules when ``None``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per breach, at the factory's location (EPSG:4326): ``factory_id``,
        ``factory_name``, ``factory_class``, ``community_id``, ``receptor_name``,
        ``receptor_kind``, ``distance_m`` (geodesic, to the receptor's boundary),
        ``rule_id``, ``rule_distance_m``, ``shortfall_m``, ``verified``, ``instrument``,
        ``source``. Sorted by distance.
    """
    require_layer(factories, "factories", key="factory_id")
    require_layer(receptors, "receptors", key="community_id")
    why = ", so the siting rules cannot be applied"
    fix_class = "add the factory class (จำพวก 1/2/3)"
    require_columns(factories, ["factory_class"], "factories", why=why, fix=fix_class)
    fix_kind = "add the kind: school, temple, hospital, …"
    require_columns(receptors, [kind_col], "receptors", why=why, fix=fix_kind)
    rules = load_siting_rules() if rules is None else rules
    crs = choose_metric_crs(receptors, factories)
    fm, rm = _in(factories, crs), _in(receptors, crs)
    fclass = pd.to_numeric(fm["factory_class"], errors="coerce")
    kinds = rm[kind_col].astype("string").fillna("")
    parts: list[pd.DataFrame] = []
    for rec in rules.to_dict("records"):
        rule = _RuleRow(**{k: rec[k] for k in _RuleRow._fields})
        f_sel = np.flatnonzero(fclass.isin(rule.factory_classes).to_numpy())
        if len(f_sel) == 0:
            continue
        r_sel = np.flatnonzero(kinds.isin(rule.receptor_kinds).to_numpy())
        if len(r_sel) == 0:
            continue
        tree = shapely.STRtree(rm.geometry.to_numpy()[r_sel])
        f_pts = np.asarray(shapely.points(anchor_points(fm.geometry.iloc[f_sel])), dtype=object)
        q = tree.query(
            f_pts,
            predicate="dwithin",
            distance=rule.distance_m * _PREFILTER_FACTOR + _PREFILTER_PAD_M,
        )
        if q.shape[1] == 0:
            continue
        fi, ri = f_sel[q[0]], r_sel[q[1]]
        dist = boundary_distance_m(gpd.GeoSeries(f_pts[q[0]], crs=crs), rm.geometry.iloc[ri], crs)
        breach = dist < rule.distance_m
        fi, ri, dist = fi[breach], ri[breach], dist[breach]
        parts.append(
            pd.DataFrame(
                {
                    "_f": fi,
                    "_r": ri,
                    "distance_m": dist,
                    "rule_id": rule.rule_id,
                    "rule_distance_m": rule.distance_m,
                    "shortfall_m": rule.distance_m - dist,
                    "verified": rule.verified,
                    "instrument": rule.instrument,
                    "source": rule.source,
                }
            )
        )
    cols = schema.contract("siting_flags").field_names
    if not parts or sum(len(p) for p in parts) == 0:
        return gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=STORAGE_CRS)
    hits = pd.concat(parts, ignore_index=True)

    def take(frame: pd.DataFrame, pos: np.ndarray, col: str) -> Any:
        if col not in frame.columns:
            return [None] * len(pos)
        return frame[col].to_numpy(dtype=object)[pos]

    f, r = hits["_f"].to_numpy(), hits["_r"].to_numpy()
    out = pd.DataFrame(
        {
            "factory_id": take(factories, f, "factory_id"),
            "factory_name": take(factories, f, "name_th"),
            "factory_class": fclass.to_numpy()[f],
            "community_id": take(receptors, r, "community_id"),
            "receptor_name": take(receptors, r, "name_th"),
            "receptor_kind": take(receptors, r, kind_col),
        }
    )
    for c in cols:
        if c not in out.columns:
            out[c] = hits[c].to_numpy()
    geom = gpd.GeoSeries(shapely.points(anchor_points(fm.geometry.iloc[f])), crs=crs)
    gdf = gpd.GeoDataFrame(out, geometry=geom.to_crs(STORAGE_CRS).to_numpy(), crs=STORAGE_CRS)
    return gdf.sort_values(["distance_m", "factory_id"], kind="mergesort").reset_index(drop=True)
