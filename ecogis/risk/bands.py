"""Distance bands: who and what is within 0.5 / 1 / 3 / 5 km, and emergency-planning rings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from ecogis.errors import DataValidationError
from ecogis.receptors import is_sensitive
from ecogis.risk._geom import anchor_points, pairs_within, require_columns
from ecogis.risk.proximity import _in, choose_metric_crs
from ecogis.schema import LayerContract

DEFAULT_BANDS_M: tuple[float, ...] = (500.0, 1000.0, 3000.0, 5000.0)
"""Default distance bands in metres (configurable everywhere)."""

CLASS_MAX_BAND_M: dict[str, float] = {"high": float("inf"), "medium": 1000.0}
"""Planning rings drawn per hazard class: high-hazard factories get every band, medium ones
the bands up to 1 km (ecogis's planning convention; pass your own mapping to change it)."""


def check_bands(bands_m: Sequence[float]) -> tuple[float, ...]:
    """Sorted, unique, positive band distances in metres (raises on anything else).

    Parameters
    ----------
    bands_m
        Band distances (m).

    Returns
    -------
    tuple of float
        Sorted and unique (m).
    """
    try:
        vals = sorted({float(b) for b in bands_m})
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"bands {list(bands_m)!r} are not numbers", fix="give metres, e.g. 500,1000,3000,5000"
        ) from exc
    if not vals or any(not np.isfinite(b) or b <= 0 for b in vals):
        raise DataValidationError(
            f"bands {list(bands_m)!r} must be distances > 0 in metres",
            fix="give metres, e.g. 500,1000,3000,5000",
        )
    return tuple(vals)


def band_label(b: float) -> str:
    """Column suffix of a band: 500 → ``500m``.

    Parameters
    ----------
    b
        A band distance (m).

    Returns
    -------
    str
    """
    return f"{round(b)}m"


RECEPTOR_BAND_PREFIXES = ("haz",)
"""Per-band columns of receptors (:func:`band_counts`): hazardous factories within."""
FACTORY_BAND_PREFIXES = ("rec", "sens", "pop")
"""Per-band columns of factories (:func:`band_counts`): receptors, sensitive ones, people."""

_FrameT = TypeVar("_FrameT", bound=pd.DataFrame)


def band_columns(bands_m: Sequence[float], prefixes: Sequence[str]) -> list[str]:
    """Column names of ``prefixes`` for each band, band by band (``rec_500m``, ``sens_500m`` …).

    Parameters
    ----------
    bands_m
        Band distances (m).
    prefixes
        Column prefixes, e.g. :data:`FACTORY_BAND_PREFIXES`.

    Returns
    -------
    list of str
    """
    return [f"{p}_{band_label(b)}" for b in check_bands(bands_m) for p in prefixes]


def select_banded(
    layer: LayerContract, frame: _FrameT, *, bands_m: Sequence[float], prefixes: Sequence[str]
) -> _FrameT:
    """``frame`` as ``layer``'s contract has it, with the per-band columns of ``bands_m``.

    The contract lists the per-band fields of the default bands (0.5, 1, 3, 5 km). Bands a
    user chose that it does not list follow the contract's fields; listed bands not chosen
    are left out (the workspace writes them empty).

    Parameters
    ----------
    layer
        The result layer's contract (``risk_receptors`` or ``risk_factories``).
    frame
        :func:`band_counts` output holding every contract field.
    bands_m
        The bands computed, in metres.
    prefixes
        The per-band column prefixes of that layer (:data:`RECEPTOR_BAND_PREFIXES`,
        :data:`FACTORY_BAND_PREFIXES`).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        The contract's fields (less the bands not chosen), then the extra bands, then
        geometry.
    """
    made = band_columns(bands_m, prefixes)
    per_band = re.compile(rf"^(?:{'|'.join(map(re.escape, prefixes))})_\d+m$")
    listed = [f for f in layer.field_names if per_band.match(f)]
    return layer.select(
        frame,
        extra=[c for c in made if c not in listed],
        absent=[f for f in listed if f not in made],
    )


def _population(frame: pd.DataFrame, col: str) -> npt.NDArray[np.float64]:
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def band_counts(
    receptors: gpd.GeoDataFrame,
    factories: gpd.GeoDataFrame,
    *,
    bands_m: Sequence[float] = DEFAULT_BANDS_M,
    population_col: str = "population",
    hazardous_col: str = "hazardous",
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Count, per band, hazardous factories around receptors and people around factories.

    Distances are between anchor points (a polygon's centroid) in the metric CRS chosen by
    :func:`~ecogis.risk.proximity.choose_metric_crs`; a distance equal to the band counts.

    Parameters
    ----------
    receptors
        Communities; ``population`` (persons) where known, ``sensitive`` / ``kind``.
    factories
        Factories with a boolean ``hazardous_col`` (see :func:`ecogis.risk.assign_hazard`);
        all factories count as hazardous when the column is absent.
    bands_m
        Band distances in metres.

    Returns
    -------
    (receptors, factories)
        Copies (same index) with, per band ``B`` (e.g. ``500m``): on receptors ``haz_B``
        (hazardous factories within); on factories ``rec_B`` (receptors within),
        ``sens_B`` (sensitive receptors, :func:`ecogis.receptors.is_sensitive`)
        and ``pop_B`` (Σ population of the receptors within that have one; NaN when the
        receptors have no population column at all).
    """
    bands = check_bands(bands_m)
    crs = choose_metric_crs(receptors, factories)
    r_xy = anchor_points(_in(receptors, crs).geometry)
    f_xy = anchor_points(_in(factories, crs).geometry)
    haz = (
        factories[hazardous_col].fillna(False).astype(bool).to_numpy()
        if hazardous_col in factories.columns
        else np.ones(len(factories), dtype=bool)
    )
    i, j, d = pairs_within(r_xy, f_xy, bands[-1])
    pop = _population(receptors, population_col)
    pop_known = np.nan_to_num(pop, nan=0.0)
    sens = is_sensitive(receptors)
    rec_out, fac_out = receptors.copy(), factories.copy()
    for b in bands:
        m = d <= b
        lab = band_label(b)
        rec_out[f"haz_{lab}"] = np.bincount(
            i[m], weights=haz[j[m]].astype(float), minlength=len(receptors)
        ).astype("int64")
        fac_out[f"rec_{lab}"] = np.bincount(j[m], minlength=len(factories)).astype("int64")
        fac_out[f"sens_{lab}"] = np.bincount(
            j[m], weights=sens[i[m]].astype(float), minlength=len(factories)
        ).astype("int64")
        people = np.bincount(j[m], weights=pop_known[i[m]], minlength=len(factories)).astype(float)
        fac_out[f"pop_{lab}"] = people if population_col in receptors.columns else np.nan
    return rec_out, fac_out


def risk_zones(
    factories: gpd.GeoDataFrame,
    *,
    bands_m: Sequence[float] = DEFAULT_BANDS_M,
    class_max_band_m: Mapping[str, float] | None = None,
    quad_segs: int = 32,
) -> gpd.GeoDataFrame:
    """Emergency-planning rings around hazardous factories, built in metres.

    Parameters
    ----------
    factories
        Factories with ``factory_id`` and ``hazard_class``
        (from :func:`ecogis.risk.assign_hazard`).
    bands_m
        Ring outer radii in metres; each ring runs from the previous band to this one.
    class_max_band_m
        Hazard class → largest band drawn (default :data:`CLASS_MAX_BAND_M`); classes not
        named get no rings.
    quad_segs
        Segments per quarter circle (32 keeps the area within 0.1 % of a true circle).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per factory and ring: ``factory_id``, ``name_th``, ``hazard_class``,
        ``inner_m``, ``band_m``, geometry (MultiPolygon annulus) in the metric CRS used.
    """
    bands = check_bands(bands_m)
    require_columns(
        factories,
        ("factory_id", "hazard_class"),
        "factories",
        fix="classify the factories first with ecogis.risk.assign_hazard",
    )
    limits = dict(CLASS_MAX_BAND_M if class_max_band_m is None else class_max_band_m)
    hclass = factories["hazard_class"].astype("string").fillna("")
    placed = ~(factories.geometry.isna() | factories.geometry.is_empty).to_numpy()
    keep = hclass.isin(list(limits)).to_numpy() & placed
    if not keep.any():  # no ring to draw (no hazardous factory): an empty layer
        return gpd.GeoDataFrame(
            {"factory_id": [], "name_th": [], "hazard_class": [], "inner_m": [], "band_m": []},
            geometry=[],
            crs=factories.crs,
        )
    crs = choose_metric_crs(factories[keep], factories[keep])
    fm = _in(factories[keep], crs)
    centres: npt.NDArray[np.object_] = np.asarray(shapely.points(anchor_points(fm.geometry)))
    classes = fm["hazard_class"].astype(str).to_numpy()
    reach = np.array([limits[c] for c in classes], dtype="float64")
    names = fm["name_th"].to_numpy(object) if "name_th" in fm.columns else None
    # One vectorised buffer per band (not one per factory and band): the annulus of band b
    # runs from the previous band to b, for every factory whose class reaches b.
    parts = []
    inner = 0.0
    for band_index, b in enumerate(bands):
        which = np.flatnonzero(reach >= b)
        outer = shapely.buffer(centres[which], b, quad_segs=quad_segs)
        if inner > 0:
            outer = shapely.difference(
                outer, shapely.buffer(centres[which], inner, quad_segs=quad_segs)
            )
        parts.append((which, band_index, inner, b, outer))
        inner = b
    which = np.concatenate([w for w, *_ in parts])
    band_order = np.concatenate([np.full(len(w), i) for w, i, *_ in parts])
    order = np.lexsort((band_order, which))  # per factory, then outward, as before
    which = which[order]
    rings = np.concatenate([g for *_, g in parts])[order]
    table = {
        "factory_id": fm["factory_id"].to_numpy(object)[which],
        "name_th": names[which] if names is not None else [None] * len(which),
        "hazard_class": classes[which],
        "inner_m": np.concatenate([np.full(len(w), lo) for w, _, lo, _, _ in parts])[order],
        "band_m": np.concatenate([np.full(len(w), hi) for w, _, _, hi, _ in parts])[order],
    }
    geoms = shapely.multipolygons(rings, indices=np.arange(len(rings)))
    return gpd.GeoDataFrame(table, geometry=geoms, crs=crs)
