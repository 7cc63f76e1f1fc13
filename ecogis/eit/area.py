"""The assessed area: which factories and zones an eco-industrial town assessment covers.

An eco-industrial town is an industrial zone *and the community around it*: a zone's area
holds the factories of the zone and every factory within ``surround_m`` metres of its
boundary (distances in the data's UTM zone). A province's area holds the factories with
its province code and the zones of that province.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from ecogis.crs import metric_crs
from ecogis.errors import DataValidationError

DEFAULT_SURROUND_M = 2000.0
"""Around a zone, factories within this distance (metres) belong to the assessed area."""

AREA_KINDS = ("zone", "province")


@dataclass(frozen=True)
class Area:
    """The result of :func:`select_area`."""

    area_id: str
    area_kind: str
    factories: gpd.GeoDataFrame
    """The area's factories (rows of the factories layer, index kept)."""
    zones: gpd.GeoDataFrame | None
    """The industrial zones the area's factories belong to (``None`` without a zones layer)."""
    description: str
    """E.g. ``zone DEMO-IE-01 and 2000 m around it: 25 factories``."""


def select_area(
    factories: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None,
    *,
    area_id: str,
    area_kind: str = "zone",
    surround_m: float = DEFAULT_SURROUND_M,
) -> Area:
    """Select the factories and zones of one assessed area (pure: frames in, frames out).

    Parameters
    ----------
    factories
        The factories layer (points; unplaced factories count only by their ``zone_id``).
    zones
        The industrial zones layer, or ``None`` when the workspace has none.
    area_id
        A ``zone_id`` (``area_kind="zone"``) or a 2-digit province code (``"province"``).
    area_kind
        ``zone`` or ``province``.
    surround_m
        Around a zone, factories within this many metres of its boundary belong to it (m).

    Returns
    -------
    Area
        The factories (index kept), the zones they belong to and a one-line description.

    Raises
    ------
    DataValidationError
        When the zone or the province is not in the data (naming those that are).
    """
    if area_kind == "zone":
        return _zone_area(factories, zones, area_id=area_id, surround_m=surround_m)
    if area_kind == "province":
        area_f = factories[(factories["pro_code"] == area_id).fillna(False)]
        if area_f.empty:
            known = ", ".join(sorted(set(factories["pro_code"].dropna().astype(str))))
            raise DataValidationError(
                f"no factory has province code {area_id!r}",
                source="factories",
                field="pro_code",
                fix=f"use one of {known}",
            )
        area_z = zones[(zones["pro_code"] == area_id).fillna(False)] if zones is not None else None
        desc = f"province {area_id}: {len(area_f)} factories"
        return Area(area_id, area_kind, area_f, area_z, desc)
    raise DataValidationError(
        f"unknown area kind {area_kind!r}", fix=f"use {' or '.join(AREA_KINDS)}"
    )


def _zone_area(
    factories: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None,
    *,
    area_id: str,
    surround_m: float,
) -> Area:
    if zones is None or area_id not in set(zones["zone_id"]):
        known = sorted(set(zones["zone_id"])) if zones is not None else []
        raise DataValidationError(
            f"zone {area_id!r} is not in the workspace",
            source="industrial_zones",
            field="zone_id",
            fix=f"use one of {', '.join(known) or '(import zones first)'}",
        )
    zone = zones[zones["zone_id"] == area_id]
    in_zone = (factories["zone_id"] == area_id).fillna(False)
    near = pd.Series(False, index=factories.index)
    placed = factories.geometry.notna() & ~factories.geometry.is_empty
    if surround_m > 0 and placed.any():
        crs = metric_crs([zone, factories[placed]])
        boundary = zone.geometry.to_crs(crs).union_all()
        d = factories[placed].geometry.to_crs(crs).distance(boundary)
        near.loc[d.index] = d <= surround_m
    area_f = factories[in_zone | near]
    area_z = zones[zones["zone_id"].isin(set(area_f["zone_id"].dropna()) | {area_id})]
    desc = f"zone {area_id} and {surround_m:g} m around it: {len(area_f)} factories"
    return Area(area_id, "zone", area_f, area_z, desc)
