"""Workspace task of the proximity-risk analysis (``ecogis risk``, ``ecogis risk scenario``).

Reads ``factories`` and ``communities`` (and, when present, ``industrial_zones``,
``provinces``, ``districts``), runs :mod:`ecogis.risk`, and writes every result layer in
one :meth:`~ecogis.workspace.Workspace.batch`: ``risk_receptors``, ``risk_factories``,
``risk_zones``, ``siting_flags``, ``risk_summary`` and ``risk_exposure``. A failure
anywhere leaves the workspace as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.errors import DataValidationError
from ecogis.importers.csvout import write_csv
from ecogis.risk import (
    DEFAULT_BANDS_M,
    PopulationGrid,
    Scenario,
    assign_hazard,
    band_counts,
    check_bands,
    exposed_population,
    exposed_population_union,
    load_hazard_catalogue,
    load_siting_rules,
    nearest_zone,
    proximity_scores,
    rank_receptors,
    risk_summary,
    risk_zones,
    scenario,
    siting_flags,
    top_table,
)
from ecogis.risk.bands import (
    FACTORY_BAND_PREFIXES,
    RECEPTOR_BAND_PREFIXES,
    band_label,
    select_banded,
)
from ecogis.risk.raster_io import read_population_raster, recorded_population_raster
from ecogis.workspace import Workspace

POINT_FLOOR_M = 100.0
"""Distance floor used by the workspace task for point receptors when none is given (m):
a point has no area for EPA's 0.9·√(area/π) rule; 0.1 km is the fixed floor of the later
re-implementation of EJScreen (DOMAIN.md §5)."""

RESULT_LAYERS = (
    "risk_receptors",
    "risk_factories",
    "risk_zones",
    "siting_flags",
    "risk_summary",
    "risk_exposure",
)


@dataclass
class RiskOptions:
    """Options of :func:`run_risk` (the CLI flags of ``ecogis risk``)."""

    radius_m: float = 5000.0
    bands_m: tuple[float, ...] = DEFAULT_BANDS_M
    min_distance_m: float | None = None
    population: Path | None = None
    population_kind: str = "auto"
    hazard_catalogue: Path | None = None
    siting_rules: Path | None = None
    top: int = 10


@dataclass
class RiskResult:
    """What :func:`run_risk` made (frames as written, and summary lines)."""

    frames: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    top: pd.DataFrame = field(default_factory=pd.DataFrame)
    exposed: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per band: people within it of *any* hazardous factory, each counted once
    (``village_population`` from receptors, ``raster_population`` from the raster)."""


# ---------------------------------------------------------------------------- inputs
def _inputs(
    ws: Workspace, catalogue_path: Path | None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame, int]:
    factories = ws.read("factories")
    receptors = ws.read("communities")
    if len(factories) == 0:
        raise DataValidationError(
            "the factories layer is empty",
            source="factories",
            fix="import the DIW registry with 'ecogis import factories'",
        )
    if len(receptors) == 0:
        raise DataValidationError(
            "the communities layer is empty",
            source="communities",
            fix="import receptors with 'ecogis import communities'",
        )
    catalogue = load_hazard_catalogue(catalogue_path)
    factories = assign_hazard(factories, catalogue=catalogue)
    unplaced = factories.geometry.isna() | factories.geometry.is_empty
    placed = factories[~unplaced.to_numpy()].copy()
    if len(placed) == 0:
        raise DataValidationError(
            "no factory has coordinates",
            source="factories",
            field="geometry",
            fix="add latitude/longitude to the registry",
        )
    return factories, placed, receptors, int(unplaced.sum())


def _names(ws: Workspace) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    names: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for layer, level, code in (
        ("provinces", "province", "pro_code"),
        ("districts", "district", "amp_code"),
        ("industrial_zones", "zone", "zone_id"),
    ):
        frame = ws.read_if_present(layer)
        if frame is None or code not in frame.columns:
            continue
        for rec in frame[[code, "name_th", "name_en"]].itertuples(index=False):
            names[(level, str(rec[0]))] = (
                None if pd.isna(rec[1]) else str(rec[1]),
                None if pd.isna(rec[2]) else str(rec[2]),
            )
    return names


def _floor(receptors: gpd.GeoDataFrame, min_distance_m: float | None) -> float | None:
    if min_distance_m is not None:
        return min_distance_m
    has_points = receptors.geometry.geom_type.isin(["Point", "MultiPoint"]).any()
    return POINT_FLOOR_M if has_points else None


# ---------------------------------------------------------------------------- the analysis
def analyse(ws: Workspace, options: RiskOptions) -> RiskResult:
    """Run the whole risk analysis on a workspace and return the frames (writes nothing).

    Parameters
    ----------
    ws
        The workspace (needs ``factories`` and ``communities``; uses ``industrial_zones``,
        ``provinces``, ``districts`` and the recorded population raster when present).
    options
        Radius and bands (m), distance floor (m), population raster, catalogues, top N.

    Returns
    -------
    RiskResult
        The six result frames by layer name, the top receptors, the people within each band
        of any hazardous factory (persons) and the summary lines.
    """
    bands = check_bands(options.bands_m)
    _, placed, receptors, n_unplaced = _inputs(ws, options.hazard_catalogue)
    haz = placed[placed["hazardous"].to_numpy()]
    sources, note = haz, "hazardous factories (hazard class high or medium)"
    if len(haz) == 0:
        sources, note = placed, "all factories (none is hazardous), weighted by hazard"
    floor = _floor(receptors, options.min_distance_m)
    scored = proximity_scores(
        receptors,
        sources,
        radius_m=options.radius_m,
        min_distance_m=floor,
        weight_col="hazard_weight",
    )
    scored = rank_receptors(scored, population_col="population")
    scored, fac_bands = band_counts(scored, placed, bands_m=bands)
    rules = load_siting_rules(options.siting_rules)
    flags = siting_flags(placed, receptors, rules=rules)
    breaches = flags.groupby("factory_id").size() if len(flags) else pd.Series(dtype="int64")
    fac_bands["n_siting_breaches"] = (
        fac_bands["factory_id"].map(breaches).fillna(0).astype("int64").to_numpy()
    )
    zones = ws.read_if_present("industrial_zones")
    zone_of = None
    scored["zone_id"] = pd.Series(pd.NA, index=scored.index, dtype="string")  # no zones: none
    if zones is not None and len(zones):
        zone_of = nearest_zone(scored, zones, max_distance_m=options.radius_m)
        scored["zone_id"] = zone_of.to_numpy()
    summary = risk_summary(scored, placed, zone_of_receptor=zone_of, names=_names(ws))

    grid = None
    pop_path, pop_kind = options.population, options.population_kind
    if pop_path is None:
        pop_path, pop_kind = _recorded_raster(ws)
    exposure = _exposure_table(fac_bands[fac_bands["hazardous"].to_numpy()], bands)
    if pop_path is not None and len(haz):
        bounds = _bounds_around(haz, max(bands))
        grid = read_population_raster(pop_path, kind=pop_kind, bounds_4326=bounds)
        rast = exposed_population(haz, grid, bands_m=bands)
        exposure = exposure.drop(columns=["raster_population"]).merge(
            rast, on=["factory_id", "band_m"], how="left"
        )
        exposure["raster_kind"] = grid.kind
        exposure = schema.contract("risk_exposure").select(exposure)
    exposed = _exposed_once(scored, haz, grid, bands)
    zones_frame = risk_zones(haz, bands_m=bands)
    zones_frame = _ring_people(zones_frame, exposure)

    fac_out = select_banded(
        schema.contract("risk_factories"), fac_bands, bands_m=bands, prefixes=FACTORY_BAND_PREFIXES
    )
    rec_out = select_banded(
        schema.contract("risk_receptors"), scored, bands_m=bands, prefixes=RECEPTOR_BAND_PREFIXES
    )
    top = scored.sort_values("rank", kind="mergesort").head(options.top)
    result = RiskResult(
        frames={
            "risk_receptors": rec_out,
            "risk_factories": fac_out,
            "risk_zones": zones_frame,
            "siting_flags": flags,
            "risk_summary": summary,
            "risk_exposure": exposure,
        },
        top=top,
        exposed=exposed,
    )
    result.lines = _summary_lines(
        result, placed, haz, n_unplaced, note, floor, options, grid, bands
    )
    return result


def _exposed_once(
    scored: pd.DataFrame,
    haz: gpd.GeoDataFrame,
    grid: PopulationGrid | None,
    bands: tuple[float, ...],
) -> pd.DataFrame:
    pop = (
        pd.to_numeric(scored["population"], errors="coerce")
        if "population" in scored.columns
        else pd.Series(np.nan, index=scored.index)
    )
    rows = []
    for b in bands:
        near = scored[f"haz_{band_label(b)}"].to_numpy() > 0
        rows.append({"band_m": b, "village_population": float(pop[near].sum())})
    out = pd.DataFrame(rows)
    out["raster_population"] = np.nan
    if grid is not None and len(haz):
        out["raster_population"] = exposed_population_union(haz, grid, bands_m=bands).to_numpy()
    return out


def _bounds_around(frame: gpd.GeoDataFrame, radius_m: float) -> tuple[float, float, float, float]:
    west, south, east, north = frame.to_crs(4326).total_bounds
    pad = radius_m / 100_000.0 * 1.2  # about 1.2× the radius in degrees at Thai latitudes
    return (west - pad, south - pad, east + pad, north + pad)


def _exposure_table(fac: pd.DataFrame, bands: tuple[float, ...]) -> pd.DataFrame:
    rows = []
    for rec in fac.itertuples(index=False):
        for b in bands:
            lab = band_label(b)
            rows.append(
                {
                    "factory_id": rec.factory_id,
                    "name_th": getattr(rec, "name_th", None),
                    "hazard_class": rec.hazard_class,
                    "band_m": b,
                    "n_receptors": getattr(rec, f"rec_{lab}"),
                    "n_sensitive": getattr(rec, f"sens_{lab}"),
                    "village_population": getattr(rec, f"pop_{lab}"),
                    "raster_population": np.nan,
                    "raster_kind": None,
                }
            )
    return schema.contract("risk_exposure").from_records(rows)


def _ring_people(zones: gpd.GeoDataFrame, exposure: pd.DataFrame) -> gpd.GeoDataFrame:
    """People inside each ring = people within its outer band − within its inner band."""
    out = zones.copy()
    cols = ["village_population", "raster_population"]
    # One lookup by merge (a per-ring MultiIndex.get took minutes at 140,000 factories).
    table = exposure[["factory_id", "band_m", *cols]].drop_duplicates(["factory_id", "band_m"])
    table = table.astype({"factory_id": str, "band_m": float, **{c: float for c in cols}})
    keys = pd.DataFrame(
        {
            "factory_id": out["factory_id"].astype(str).to_numpy(),
            "outer": out["band_m"].to_numpy(dtype=float),
            "inner": out["inner_m"].to_numpy(dtype=float),
        }
    )
    outer = keys.merge(
        table, left_on=["factory_id", "outer"], right_on=["factory_id", "band_m"], how="left"
    )
    inner = keys.merge(
        table, left_on=["factory_id", "inner"], right_on=["factory_id", "band_m"], how="left"
    )
    at_centre = (keys["inner"] == 0).to_numpy()
    for col in cols:
        within_inner = np.where(at_centre, 0.0, inner[col].to_numpy(dtype=float))
        out[col] = np.clip(outer[col].to_numpy(dtype=float) - within_inner, 0, None)
    return out


def _summary_lines(
    result: RiskResult,
    placed: pd.DataFrame,
    haz: pd.DataFrame,
    n_unplaced: int,
    note: str,
    floor: float | None,
    options: RiskOptions,
    grid: PopulationGrid | None,
    bands: tuple[float, ...],
) -> list[str]:
    rec = result.frames["risk_receptors"]
    flags = result.frames["siting_flags"]
    floor_txt = f"{floor:g} m" if floor is not None else "0.9·√(area/π) of each receptor"
    lines = [
        f"risk: {len(rec)} receptors scored against {len(haz)} {note}; "
        f"radius {options.radius_m:g} m, distance floor {floor_txt}",
        f"risk: {len(placed)} factories placed ({n_unplaced} without coordinates left out); "
        f"hazard: {int((placed['hazard_class'] == 'high').sum())} high, "
        f"{int((placed['hazard_class'] == 'medium').sum())} medium",
    ]
    for r in result.top.head(5).itertuples(index=False):
        name = getattr(r, "name_th", None) or getattr(r, "community_id", "")
        lines.append(
            f"  top receptor #{r.rank}: {name} ({getattr(r, 'kind', '')}) score "
            f"{r.prox_score:.2f}, {r.n_within} hazardous factories within "
            f"{options.radius_m / 1000:g} km, nearest {r.nearest_m:.0f} m"
        )
    n_unverified = int((~flags["verified"].astype(bool)).sum()) if len(flags) else 0
    lines.append(
        f"risk: {len(flags)} siting-distance breaches "
        f"({n_unverified} under the unverified class-3 100 m rule)"
    )
    known = "population" in rec.columns and pd.to_numeric(rec["population"]).notna().any()
    if not known:
        lines.append(
            "risk: people near hazardous factories are unknown from the village register: no "
            "community has a population (import one with the communities, or give "
            "--population RASTER)"
        )
    for rec_ in result.exposed.to_dict("records"):
        band, village, raster = (
            float(rec_[k]) for k in ("band_m", "village_population", "raster_population")
        )
        counts = [f"{village:,.0f} (village register)"] if known else []
        if grid is not None:
            counts.append(f"{raster:,.0f} (population raster, {grid.kind})")
        if counts:
            lines.append(
                f"risk: people within {band / 1000:g} km of any hazardous factory: "
                + ", ".join(counts)
            )
    return lines


def run_risk(ws: Workspace, options: RiskOptions | None = None) -> RiskResult:
    """Analyse and write every risk layer in one batch; return the result and lines.

    Parameters
    ----------
    ws
        The workspace.
    options
        As for :func:`analyse` (defaults: 5 km radius, 0.5/1/3/5 km bands).

    Returns
    -------
    RiskResult
        What was written (see :func:`analyse`).
    """
    result = analyse(ws, options or RiskOptions())
    with ws.batch():
        for name in RESULT_LAYERS:
            ws.write(name, result.frames[name])
    return result


# ---------------------------------------------------------------------------- scenario
def list_factories(
    ws: Workspace, *, search: str | None = None, hazardous_only: bool = False
) -> pd.DataFrame:
    """List factory IDs with names, type, class and hazard, for choosing a scenario.

    ``search`` is matched (case-insensitive) in the ID, the Thai and English names, the
    licensed activity and the DIW type.

    Parameters
    ----------
    ws
        The workspace (needs ``factories``).
    search
        Text to look for, or ``None`` for all.
    hazardous_only
        Only factories of hazard class high or medium.

    Returns
    -------
    pandas.DataFrame
        ``factory_id``, ``name_th``, ``diw_type``, ``class``, ``hazard``, ``placed``; high
        hazard first, then by ID.
    """
    fac = assign_hazard(ws.read("factories"))
    if hazardous_only:
        fac = fac[fac["hazardous"].to_numpy()]
    if search:
        blank = pd.Series("", index=fac.index, dtype="string")
        text = blank
        for col in ("factory_id", "name_th", "name_en", "activity", "diw_type"):
            if col in fac.columns:
                text = text + " " + fac[col].astype("string").fillna("")
        fac = fac[text.str.contains(search, case=False, regex=False).to_numpy()]
    placed = ~(fac.geometry.isna() | fac.geometry.is_empty)
    out = pd.DataFrame(
        {
            "factory_id": fac["factory_id"],
            "name_th": fac["name_th"],
            "diw_type": fac.get("diw_type"),
            "class": fac.get("factory_class"),
            "hazard": fac["hazard_class"],
            "placed": placed.to_numpy(),
        }
    )
    order = out["hazard"].map({"high": 0, "medium": 1, "low": 2})
    return out.assign(_o=order).sort_values(["_o", "factory_id"]).drop(columns="_o")


def run_scenario(
    ws: Workspace,
    factory_id: str,
    *,
    radius_m: float = 5000.0,
    cordon_m: float = 500.0,
    population: Path | None = None,
    population_kind: str = "auto",
    csv_path: Path | None = None,
) -> tuple[Scenario, Path]:
    """Run :func:`ecogis.risk.scenario` on the workspace, write its layers and a CSV.

    The layers ``risk_scenario`` and ``risk_scenario_receptors`` keep the scenarios of other
    factories; this factory's rows are replaced. The CSV (UTF-8 with BOM, so Excel shows
    Thai) lists the receptors inside, nearest first; it is written after the layers.

    Parameters
    ----------
    ws
        The workspace.
    factory_id
        The factory at the centre.
    radius_m, cordon_m
        Evacuation radius and cordon (m).
    population, population_kind
        A population raster and its kind (``auto``/``count``/``density``); default the one
        recorded in the workspace.
    csv_path
        Where to write the receptor table (default ``scenario_<id>.csv`` in the workspace's
        output folder).

    Returns
    -------
    (Scenario, Path)
        The scenario and the CSV written.
    """
    factories = assign_hazard(ws.read("factories"))
    done = ws.read_if_present("risk_factories", columns=["factory_id", "hazardous", "hazard_class"])
    if done is not None and len(done):
        # the last 'ecogis risk' run may have used the user's own hazard catalogue
        known = dict(zip(done["factory_id"], done["hazardous"].fillna(False), strict=True))
        factories["hazardous"] = [
            bool(known.get(f, h))
            for f, h in zip(factories["factory_id"], factories["hazardous"], strict=True)
        ]
        classes = dict(zip(done["factory_id"], done["hazard_class"], strict=True))
        factories["hazard_class"] = [
            classes.get(f, c)
            for f, c in zip(factories["factory_id"], factories["hazard_class"], strict=True)
        ]
    receptors = ws.read("communities")
    grid = None
    pop_path, pop_kind = population, population_kind
    if pop_path is None:
        pop_path, pop_kind = _recorded_raster(ws)
    # the first call checks the ID and the factory's coordinates before any raster is read
    result = scenario(factory_id, factories, receptors, radius_m=radius_m, cordon_m=cordon_m)
    if pop_path is not None:
        site = factories[factories["factory_id"].astype("string") == str(factory_id)]
        grid = read_population_raster(
            pop_path, kind=pop_kind, bounds_4326=_bounds_around(site, max(radius_m, cordon_m))
        )
        result = scenario(
            factory_id, factories, receptors, radius_m=radius_m, cordon_m=cordon_m, grid=grid
        )
    with ws.batch():
        for name, frame in (
            ("risk_scenario", result.rings),
            ("risk_scenario_receptors", result.receptors),
        ):
            old = ws.read_if_present(name)
            if old is not None and len(old):
                old = old[old["factory_id"].astype("string") != str(factory_id)]
                frame = gpd.GeoDataFrame(
                    pd.concat([old, frame], ignore_index=True), geometry="geometry", crs=4326
                )
            ws.write(name, frame)
    if csv_path is None:
        safe = re.sub(r"[^\w.-]+", "_", str(factory_id)).strip("_") or "factory"
        csv_path = ws.output_dir / f"scenario_{safe}.csv"
    table = pd.DataFrame(result.receptors.drop(columns="geometry"))
    write_csv(table, csv_path)
    return result, csv_path


def people_text(value: float) -> str:
    """'1,234 people', or 'people unknown' for NaN (receptors inside, none with a population).

    Parameters
    ----------
    value
        Persons (NaN when unknown).

    Returns
    -------
    str
    """
    return "people unknown" if pd.isna(value) else f"{value:,.0f} people"


def scenario_title(result: Scenario) -> str:
    """One line naming the scenario's factory: ID, name, DIW type, hazard and position.

    Parameters
    ----------
    result
        From :func:`run_scenario`.

    Returns
    -------
    str
    """
    site = result.site
    parts = [str(site.get("factory_id", ""))]
    if site.get("name_th"):
        parts.append(str(site["name_th"]))
    kind = []
    if site.get("diw_type"):
        kind.append(f"DIW type {site['diw_type']}")
    if site.get("hazard_class"):
        kind.append(f"hazard {site['hazard_class']}")
    text = " ".join(parts) + (f" ({', '.join(kind)})" if kind else "")
    if "lat" in site and "lon" in site:
        text += f" at {site['lat']:.5f}, {site['lon']:.5f}"
    return f"scenario for {text}"


# ---------------------------------------------------------------------------- demo
def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Run the whole risk analysis on the demo workspace, plus one scenario; summary lines.

    Parameters
    ----------
    ws
        The demo workspace.
    out_dir
        Folder for the scenario and top-receptor CSVs.

    Returns
    -------
    list of str
    """
    result = run_risk(ws, RiskOptions())
    lines = list(result.lines)
    fac = result.frames["risk_factories"]
    haz = fac[fac["hazard_class"] == "high"]
    if len(haz):
        worst = haz.sort_values(
            ["pop_1000m", "pop_5000m", "factory_id"], ascending=[False, False, True]
        ).iloc[0]
        scen, csv_path = run_scenario(
            ws, str(worst["factory_id"]), csv_path=out_dir / "risk_scenario.csv"
        )
        s = scen.summary.set_index("ring")
        for ring in s.index:
            r = s.loc[ring]
            raster = (
                ""
                if pd.isna(r["raster_population"])
                else f", {r['raster_population']:,.0f} by the population raster"
            )
            lines.append(
                f"scenario {worst['factory_id']} {ring} {r['radius_m'] / 1000:g} km: "
                f"{int(r['n_receptors'])} communities and receptors "
                f"({int(r['n_sensitive'])} sensitive); "
                f"{people_text(r['village_population'])} in the village register{raster}"
            )
        lines.append(f"scenario table: {csv_path}")
    top_csv = out_dir / "risk_top_receptors.csv"
    write_csv(top_table(result.top), top_csv)
    lines.append(f"top receptors table: {top_csv}")
    return lines


def _recorded_raster(ws: Workspace) -> tuple[Path | None, str]:
    """Return the population raster the workspace records (its folder-relative path) and kind."""
    return recorded_population_raster(
        ws.get_meta("population_raster"),
        ws.get_meta("population_raster_kind"),
        folder=ws.output_dir,
    )
