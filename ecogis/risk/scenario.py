"""Emergency scenario around one factory: who is inside the cordon and the evacuation radius.

Modelled on the 5 July 2021 Ming Dih chemical fire in Bang Phli, Samut Prakan (DOMAIN.md §5):
a 500 m public cordon and a 5 km evacuation radius. For each radius the scenario lists the
communities and sensitive receptors inside (geodesic distance to the receptor's boundary,
so a village polygon reaching into the radius is inside), the people in them, the other
factories inside, and — when a population grid is given — the people counted from it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ecogis import schema
from ecogis.crs import STORAGE_CRS
from ecogis.errors import DataValidationError, EcogisError
from ecogis.receptors import is_sensitive
from ecogis.risk._geom import anchor_points, require_layer
from ecogis.risk.exposure import PopulationGrid, exposed_population
from ecogis.risk.proximity import _in, choose_metric_crs
from ecogis.risk.siting import boundary_distance_m

RING_NAMES = {"cordon": ("เขตปิดกั้น", "cordon"), "evacuation": ("เขตอพยพ", "evacuation")}


class UnknownFactoryError(EcogisError):
    """The factory ID asked for is not in the factories layer."""


@dataclass(frozen=True)
class Scenario:
    """The result of :func:`scenario`."""

    rings: gpd.GeoDataFrame
    """One disc per radius (EPSG:4326) with the counts of :attr:`summary`."""
    receptors: gpd.GeoDataFrame
    """Receptors inside the largest radius, nearest first (EPSG:4326)."""
    summary: pd.DataFrame
    """One row per radius: counts of communities, sensitive receptors, people, factories
    (``n_factories`` and ``n_hazardous`` count the *other* factories inside). Its
    ``village_population`` sums the receptors whose population is known and is NaN when
    receptors are inside but none has a population (unknown, not 0)."""
    nearest: tuple[str, str, float] | None = None
    """(community_id, name_th, geodesic metres) of the nearest receptor, inside or not."""
    site: dict[str, Any] = field(default_factory=dict)
    """The factory: ``factory_id``, ``name_th``, ``diw_type``, ``hazard_class`` (when
    classified), ``lon`` and ``lat`` (degrees, EPSG:4326)."""


def _known_sum(values: np.ndarray) -> float:
    """Sum of the known values; NaN when there are values and none is known (unknown ≠ 0)."""
    if len(values) and np.isnan(values).all():
        return float("nan")
    return float(np.nansum(values))


def find_factory(factories: pd.DataFrame, factory_id: str) -> int:
    """Position of ``factory_id`` in ``factories`` (raises with close matches when absent).

    Parameters
    ----------
    factories
        The factories layer, with ``factory_id``.
    factory_id
        The DIW registration number as displayed (e.g. ``3-22(3)-1/41ชน``), matched exactly.

    Returns
    -------
    int
        The 0-based position (for ``iloc``) of the first row with that ID.

    Raises
    ------
    UnknownFactoryError
        If no row has that ID; the message suggests up to three close IDs.
    """
    ids = factories["factory_id"].astype("string").fillna("")
    hit = np.flatnonzero((ids == str(factory_id)).to_numpy())
    if len(hit):
        return int(hit[0])
    close = difflib.get_close_matches(str(factory_id), list(ids), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownFactoryError(
        f"factory ID {factory_id!r} is not in the factories layer{hint}",
        source="factories",
        field="factory_id",
        fix="list the IDs with 'ecogis risk factories -w WORKSPACE [--search TEXT]' "
        "(IDs are the DIW registration numbers as displayed, e.g. 3-22(3)-1/41ชน)",
    )


def scenario(
    factory_id: str,
    factories: gpd.GeoDataFrame,
    receptors: gpd.GeoDataFrame,
    *,
    radius_m: float = 5000.0,
    cordon_m: float = 500.0,
    grid: PopulationGrid | None = None,
    population_col: str = "population",
) -> Scenario:
    """Who is inside the cordon and the evacuation radius of one factory.

    Parameters
    ----------
    factory_id
        The factory's ``factory_id``.
    factories
        The factories layer (any CRS); other factories inside each radius are counted.
    receptors
        Communities and sensitive receptors (points or polygons, any CRS) with
        ``community_id``, ``name_th``, ``kind``, ``sensitive`` and ``population`` where known.
    radius_m, cordon_m
        Evacuation radius and cordon in metres (Bang Phli 2021: 5000 and 500).
    grid
        Optional population grid: people counted from it inside each radius.

    Returns
    -------
    Scenario
        Rings, receptors inside and a summary table (see :class:`Scenario`).

    Raises
    ------
    UnknownFactoryError
        The ID is not in ``factories``.
    DataValidationError
        The factory has no coordinates, a radius ≤ 0, or empty layers.
    """
    for r, label in ((radius_m, "radius_m"), (cordon_m, "cordon_m")):
        if not np.isfinite(r) or r <= 0:
            raise DataValidationError(
                f"{label} {r} is not a distance > 0",
                fix="give metres, e.g. --radius-m 5000 --cordon-m 500",
            )
    if "factory_id" not in factories.columns or len(factories) == 0:
        raise DataValidationError(
            "has no factories", source="factories", fix="import the DIW registry first"
        )
    pos = find_factory(factories, factory_id)
    site = factories.iloc[[pos]]
    if site.geometry.isna().iloc[0] or site.geometry.is_empty.iloc[0]:
        raise DataValidationError(
            "the factory has no coordinates, so no radius can be drawn around it",
            source="factories",
            row=str(factory_id),
            field="geometry",
            fix="add its latitude and longitude to the registry and import again",
        )
    require_layer(receptors, "receptors", key="community_id")
    placed = factories[~(factories.geometry.isna() | factories.geometry.is_empty)]
    crs = choose_metric_crs(receptors, site)
    centre = shapely.Point(anchor_points(_in(site, crs).geometry)[0])
    radii = sorted({float(cordon_m), float(radius_m)})
    names = {float(cordon_m): "cordon", float(radius_m): "evacuation"}

    rm = _in(receptors, crs)
    tree = shapely.STRtree(rm.geometry.to_numpy())
    cand = tree.query(centre, predicate="dwithin", distance=radii[-1] * 1.02 + 5.0)
    dist = boundary_distance_m(
        gpd.GeoSeries([centre] * len(cand), crs=crs), rm.geometry.iloc[cand], crs
    )
    inside = cand[dist <= radii[-1]]
    dist = dist[dist <= radii[-1]]
    order = np.argsort(dist, kind="mergesort")
    inside, dist = inside[order], dist[order]
    sel = receptors.iloc[inside]
    table = gpd.GeoDataFrame(
        {
            "factory_id": str(factory_id),
            "community_id": _col(sel, "community_id"),
            "name_th": _col(sel, "name_th"),
            "name_en": _col(sel, "name_en"),
            "kind": _col(sel, "kind"),
            "sensitive": is_sensitive(sel),
            "population": pd.to_numeric(
                pd.Series(_col(sel, population_col), dtype=object), errors="coerce"
            ).to_numpy(dtype="float64", na_value=np.nan),
            "tam_code": _col(sel, "tam_code"),
            "distance_m": dist,
            "ring": [names[min(r for r in radii if d <= r)] for d in dist],
        },
        geometry=sel.geometry.to_crs(STORAGE_CRS).to_numpy(),
        crs=STORAGE_CRS,
    )
    fm_xy = anchor_points(_in(placed, crs).geometry)
    fdist = np.hypot(fm_xy[:, 0] - centre.x, fm_xy[:, 1] - centre.y)
    is_self = (placed["factory_id"].astype("string") == str(factory_id)).to_numpy()
    haz = (
        placed["hazardous"].fillna(False).astype(bool).to_numpy()
        if "hazardous" in placed.columns
        else np.zeros(len(placed), dtype=bool)
    )
    raster: dict[float, float] = {}
    if grid is not None:
        exp = exposed_population(site, grid, bands_m=radii)
        raster = dict(zip(exp["band_m"].astype(float), exp["raster_population"], strict=True))
    rows = []
    for r in radii:
        m = table["distance_m"].to_numpy() <= r
        pop = table["population"].to_numpy()[m]
        kinds = table["kind"].astype("string").fillna("").to_numpy()[m]
        rows.append(
            {
                "factory_id": str(factory_id),
                "ring": names[r],
                "radius_m": r,
                "n_receptors": int(m.sum()),
                "n_villages": int((kinds == "village").sum()),
                "n_sensitive": int(table["sensitive"].to_numpy()[m].sum()),
                "village_population": _known_sum(pop),
                "n_population_unknown": int(np.isnan(pop).sum()),
                "raster_population": raster.get(r, np.nan),
                "n_factories": int(((fdist <= r) & ~is_self).sum()),
                "n_hazardous": int(((fdist <= r) & ~is_self & haz).sum()),
            }
        )
    summary = pd.DataFrame(rows)
    discs = [shapely.MultiPolygon([centre.buffer(r, quad_segs=64)]) for r in radii]
    rings = gpd.GeoDataFrame(
        summary.assign(
            name_th=pd.Series([_site_name(site)] * len(radii), dtype=object),
            label_th=[f"{RING_NAMES[names[r]][0]} {r / 1000:g} กม." for r in radii],
            label_en=[f"{RING_NAMES[names[r]][1]} {r / 1000:g} km" for r in radii],
        ),
        geometry=gpd.GeoSeries(discs, crs=crs).to_crs(STORAGE_CRS).to_numpy(),
        crs=STORAGE_CRS,
    )
    rings = schema.contract("risk_scenario").select(rings)
    near_pos = int(tree.nearest(centre))
    near_d = float(
        boundary_distance_m(gpd.GeoSeries([centre], crs=crs), rm.geometry.iloc[[near_pos]], crs)[0]
    )
    nearest = (
        str(_col(receptors, "community_id")[near_pos]),
        str(_col(receptors, "name_th")[near_pos]),
        near_d,
    )
    where = site.geometry.to_crs(STORAGE_CRS).representative_point().iloc[0]
    info: dict[str, Any] = {"factory_id": str(factory_id), "lon": where.x, "lat": where.y}
    for col in ("name_th", "name_en", "diw_type", "hazard_class", "hazard_reason"):
        if col in site.columns and pd.notna(site[col].iloc[0]):
            info[col] = str(site[col].iloc[0])
    return Scenario(rings=rings, receptors=table, summary=summary, nearest=nearest, site=info)


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name in frame.columns:
        return frame[name].to_numpy(dtype=object)
    return np.full(len(frame), None, dtype=object)


def _site_name(site: pd.DataFrame) -> str | None:
    if "name_th" in site.columns and pd.notna(site["name_th"].iloc[0]):
        return str(site["name_th"].iloc[0])
    return None
