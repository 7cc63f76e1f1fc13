"""Workspace tasks: mass balance (``ecogis massbalance``) and symbiosis (``ecogis symbiosis``).

Each reads ``factories`` and ``material_flows``, checks them (:func:`ecogis.flows.check_flows`),
runs the pure analyses and writes every result in one :meth:`~ecogis.workspace.Workspace.batch`
— ``mass_balance`` and ``mass_balance_areas``; or ``symbiosis_candidates``,
``symbiosis_streams``, ``symbiosis_links`` and ``symbiosis_summary`` — so a failure leaves the
workspace as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ecogis.errors import DataValidationError, InputFileError
from ecogis.flows import DEFAULT_TOLERANCE, check_flows, mass_balance, mass_balance_areas
from ecogis.importers.csvout import write_csv
from ecogis.symbiosis import (
    SymbiosisOptions,
    allocate,
    build_links,
    find_candidates,
    greedy_allocate,
    material_contributions,
    stream_report,
    summarise_areas,
)
from ecogis.symbiosis.allocation import UNWEIGHTED, objective_value
from ecogis.symbiosis.candidates import LICENSED_TYPES
from ecogis.workspace import Workspace

log = logging.getLogger(__name__)

_OBJECTIVE_WORDS = {"benefit": "net benefit", "tonnes": "tonnes", "co2e": "net CO2e"}
_OBJECTIVE_UNITS = {"benefit": "THB/yr", "tonnes": "t/yr", "co2e": "kg CO2e/yr"}


@dataclass
class MassBalanceResult:
    """What :func:`run_massbalance` made."""

    balance: pd.DataFrame
    areas: pd.DataFrame
    lines: list[str] = field(default_factory=list)


@dataclass
class SymbiosisResult:
    """What :func:`run_symbiosis` made, with the totals the CLI and demo print."""

    candidates: pd.DataFrame
    streams: pd.DataFrame
    links: gpd.GeoDataFrame
    summary: pd.DataFrame
    totals: dict[str, float]
    by_material: pd.DataFrame = field(default_factory=pd.DataFrame)
    lines: list[str] = field(default_factory=list)


def _inputs(ws: Workspace, zone: str | None) -> tuple[gpd.GeoDataFrame, pd.DataFrame, set[str]]:
    """Factories and flows, checked; with the factory ids a zone filter keeps."""
    factories = ws.read("factories")
    flows = ws.read("material_flows")
    check_flows(flows, set(factories["factory_id"].astype(str)))
    ids = set(factories["factory_id"].astype(str))
    if zone is not None:
        in_zone = factories["zone_id"].astype("string") == zone
        if not in_zone.any():
            known = sorted(set(factories["zone_id"].dropna().astype(str)))
            raise DataValidationError(
                f"no factory lies in zone {zone!r}",
                source="factories",
                field="zone_id",
                fix=f"use one of {', '.join(known[:12])}" if known else "assign zones first",
            )
        ids = set(factories.loc[in_zone, "factory_id"].astype(str))
    return factories, flows, ids


def run_massbalance(
    ws: Workspace, *, zone: str | None = None, tolerance: float = DEFAULT_TOLERANCE
) -> MassBalanceResult:
    """Mass balance per factory (optionally one zone's) and per zone/province; writes both.

    Parameters
    ----------
    ws : Workspace
        The workspace (needs ``factories`` and ``material_flows``); ``mass_balance`` and
        ``mass_balance_areas`` are written in one batch.
    zone : str or None, default None
        Only the factories of this industrial zone (``zone_id``); all when ``None``.
    tolerance : float, default DEFAULT_TOLERANCE
        Largest |inputs − outputs| / max(inputs, outputs), as a fraction (0.10 = 10 %), for
        a factory's balance to count as closed.

    Returns
    -------
    MassBalanceResult
        ``balance`` (one row per factory, tonnes/year in and out, status and explanation),
        ``areas`` (per zone and province) and the summary lines.

    Raises
    ------
    DataValidationError
        The flows fail :func:`ecogis.flows.check_flows`, or no factory lies in ``zone``.
    """
    factories, flows, ids = _inputs(ws, zone)
    flows = flows[flows["factory_id"].astype(str).isin(ids)]
    balance = mass_balance(flows, factories, tolerance=tolerance)
    areas = mass_balance_areas(balance)
    with ws.batch():
        ws.write("mass_balance", balance)
        ws.write("mass_balance_areas", areas)
    counts = balance["status"].value_counts()
    lines = [
        f"mass balance: {len(balance)} factories, {int(counts.get('closed', 0))} close within "
        f"{tolerance:.0%}, {len(balance) - int(counts.get('closed', 0))} do not "
        "(see the explanation column)",
    ]
    return MassBalanceResult(balance, areas, lines)


def run_symbiosis(
    ws: Workspace,
    *,
    objective: str = "benefit",
    zone: str | None = None,
    options: SymbiosisOptions | None = None,
    roads: str | None = None,
) -> SymbiosisResult:
    """Candidates, allocation, links and summaries; all four layers written in one batch.

    Parameters
    ----------
    ws : Workspace
        The workspace (needs ``factories`` and ``material_flows``).
    objective : str, default "benefit"
        ``benefit`` (THB/yr), ``tonnes`` (t/yr diverted) or ``co2e`` (net CO2e avoided;
        its objective values are in kg CO2e/yr).
    zone : str or None, default None
        Only streams of factories in this industrial zone (receivers may be anywhere).
    options : SymbiosisOptions or None, default None
        Distances (metres), factors and limits (:class:`~ecogis.symbiosis.SymbiosisOptions`);
        the defaults when ``None``.
    roads : str or None, default None
        A workspace layer or a vector file of road centrelines: distances are then
        shortest paths on it instead of straight line × detour factor.

    Returns
    -------
    SymbiosisResult
        The candidates (with ``allocated``), the stream report, the chosen links
        (GeoDataFrame of lines), the area summary, ``totals`` (counts; ``diverted_t_yr``
        in t/yr, ``net_co2e_t_yr`` in t CO2e/yr, ``benefit_thb_yr`` in THB/yr; the LP,
        greedy and unweighted objective values), the contributions by material and the
        summary lines.

    Raises
    ------
    DataValidationError
        The flows fail their checks, no factory lies in ``zone``, or a hazardous stream
        would go to an unlicensed receiver.
    InputFileError
        ``roads`` is neither a workspace layer nor a readable file.
    """
    opts = options or SymbiosisOptions()
    factories, flows, ids = _inputs(ws, zone)
    road_lines = _roads(ws, roads) if roads else None
    candidates, streams = find_candidates(flows, factories, options=opts, roads=road_lines)
    if zone is not None:
        candidates = candidates[candidates["provider_id"].isin(ids)].reset_index(drop=True)
        streams = streams[streams["provider_id"].isin(ids)].reset_index(drop=True)
    conf = opts.grade_confidence
    allocated = allocate(candidates, objective=objective, grade_confidence=conf)
    greedy = greedy_allocate(candidates, objective=objective, grade_confidence=conf)
    report = stream_report(streams, candidates, allocated, objective=objective)
    links = build_links(candidates, allocated, factories)
    summary = summarise_areas(report, links, factories)
    _check_hazard_gate(links, factories)
    out = candidates.assign(allocated=allocated.to_numpy())
    with ws.batch():
        ws.write("symbiosis_candidates", out)
        ws.write("symbiosis_streams", report)
        ws.write("symbiosis_links", links)
        ws.write("symbiosis_summary", summary)
    whole = summary[summary["area_type"] == "all"].iloc[0] if len(summary) else None
    totals = {
        "streams": float(len(report)),
        "candidates": float(len(candidates)),
        "exchanges": float(len(links)),
        "diverted_t_yr": float(whole["diverted_t_yr"]) if whole is not None else 0.0,
        "net_co2e_t_yr": float(whole["net_co2e_t_yr"]) if whole is not None else 0.0,
        "benefit_thb_yr": float(whole["benefit_thb_yr"]) if whole is not None else 0.0,
        "objective_lp": objective_value(
            candidates, allocated, objective=objective, grade_confidence=conf
        ),
        "objective_greedy": objective_value(
            candidates, greedy, objective=objective, grade_confidence=conf
        ),
        "objective_unweighted": objective_value(
            candidates, allocated, objective=objective, grade_confidence=UNWEIGHTED
        ),
    }
    grades = candidates["grade"].value_counts()
    lines = [
        f"symbiosis: {len(report)} streams, {len(candidates)} candidates "
        f"(A {int(grades.get('A', 0))}, B {int(grades.get('B', 0))}, "
        f"C {int(grades.get('C', 0))}), {len(links)} exchanges chosen "
        f"(objective: {objective})",
        f"diverted {totals['diverted_t_yr']:,.0f} t/yr from disposal, "
        f"net {totals['net_co2e_t_yr']:,.0f} t CO2e/yr avoided, "
        f"net benefit {totals['benefit_thb_yr']:,.0f} THB/yr",
        f"objective: expected {objective} = {_OBJECTIVE_WORDS[objective]} × grade confidence "
        f"({', '.join(f'{g} {c:g}' for g, c in sorted(conf.items()))}); "
        f"LP {totals['objective_lp']:,.0f} vs greedy {totals['objective_greedy']:,.0f}, "
        f"unweighted {totals['objective_unweighted']:,.0f} {_OBJECTIVE_UNITS[objective]}",
    ]
    by_material = material_contributions(candidates, allocated, report)
    lines += _contribution_lines(by_material)
    for row in report[report["status"] == "no_candidate"].itertuples(index=False):
        lines.append(f"no receiver: {row.stream_id} {row.material}: {row.finding}")
    return SymbiosisResult(out, report, links, summary, totals, by_material, lines)


def _contribution_lines(by_material: pd.DataFrame, top: int = 5) -> list[str]:
    """Name the materials that carry most of the totals, and which figures are indicative."""
    if by_material.empty:
        return []
    parts = [
        f"{r.material} {r.share_of_benefit:.0%} of THB, {r.share_of_co2e:.0%} of CO2e"
        + (" (already sold: buyer's saving only)" if r.already_sold else "")
        for r in by_material.head(top).itertuples(index=False)
    ]
    value = by_material["benefit_thb_yr"].abs()
    indicative = float((value * by_material["indicative_share"]).sum() / (value.sum() or 1.0))
    return [
        "largest contributions: " + "; ".join(parts),
        f"indicative figures: {indicative:.0%} of the money rests on catalogue or provider "
        "prices rather than the receiver's own; avoided CO2e uses catalogue factors "
        "(DEFRA 2022 material factors where they exist, otherwise project estimates) — "
        "see docs/symbiosis.md §4 before quoting them",
    ]


def _roads(ws: Workspace, name: str) -> gpd.GeoDataFrame:
    """Road lines from a workspace layer of that name, else from a vector file."""
    if ws.has_layer(name):
        lines = ws.read(name)
    elif Path(name).exists():
        try:
            lines = gpd.read_file(name, engine="pyogrio")
        except Exception as exc:  # pyogrio raises several types for unreadable files
            raise InputFileError(
                f"cannot read the road file: {exc}",
                source=name,
                fix="give a GeoPackage, GeoJSON or Shapefile of road lines",
            ) from exc
    else:
        raise InputFileError(
            "is neither a workspace layer nor a file",
            source=name,
            fix="import the roads into the workspace or give the path of a road file",
        )
    if not isinstance(lines, gpd.GeoDataFrame) or lines.crs is None:
        raise InputFileError(
            "the road data have no geometry or no CRS", source=name, fix="set the CRS first"
        )
    return lines


def _check_hazard_gate(links: gpd.GeoDataFrame, factories: gpd.GeoDataFrame) -> None:
    """Guard: a hazardous stream must never be linked to an unlicensed receiver."""
    haz = links[links["hazard_mark"].isin(["HA", "HM"])]
    if haz.empty:
        return
    fac = factories.drop_duplicates("factory_id").set_index("factory_id")
    main = pd.to_numeric(fac["diw_type_main"], errors="coerce") if "diw_type_main" in fac else None
    permit = (
        fac["waste_permit"].astype("boolean").fillna(False)
        if "waste_permit" in fac
        else pd.Series(False, index=fac.index)
    )
    licensed = permit | (main.isin(LICENSED_TYPES) if main is not None else False)
    bad = haz[~haz["receiver_id"].map(licensed).fillna(False).astype(bool)]
    # Mirror entries are only hazardous when the option says so; HA never passes unlicensed.
    bad = bad[bad["hazard_mark"] == "HA"]
    if len(bad):
        raise DataValidationError(
            f"{len(bad)} hazardous stream(s) would go to an unlicensed receiver",
            source="symbiosis_links",
            row=str(bad["link_id"].iloc[0]),
            fix="report this: the hazard gate in candidate generation failed",
        )


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Run the mass balance and the symbiosis analysis on the demo workspace; summary lines.

    Parameters
    ----------
    ws : Workspace
        The demo workspace; the mass balance and symbiosis layers are written.
    out_dir : Path
        Folder of ``mass_balance.csv`` and ``symbiosis_exchanges.csv``.

    Returns
    -------
    list[str]
        The summary lines of both analyses and the two tables written.
    """
    mb = run_massbalance(ws)
    lines = list(mb.lines)
    mb_csv = out_dir / "mass_balance.csv"
    write_csv(mb.balance, mb_csv, encoding="utf-8")
    lines.append(f"mass balance table: {mb_csv}")
    result = run_symbiosis(ws)
    lines += result.lines
    links_csv = out_dir / "symbiosis_exchanges.csv"
    write_csv(pd.DataFrame(result.links.drop(columns="geometry")), links_csv, encoding="utf-8")
    lines.append(f"symbiosis exchanges table: {links_csv}")
    return lines
