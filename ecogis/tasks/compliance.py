"""Workspace jobs of the compliance gap list and the eco-industrial town assessment.

``run_compliance``  reads factories, compliance, communities and the risk results when
                    present → the ranked gap list (layer ``compliance_gaps``), the summary
                    by zone and province (``compliance_gaps_summary``) and a CSV.
``run_assessment``  computes one round of indicators for an area → ``eit_assessments``
                    (the round replaced, other rounds untouched) and ``eit_guidelines``.
``compare``         baseline vs follow-up of an area (read-only).
``demo_step``       all of it on the demo workspace, with an ILLUSTRATIVE programme year
                    in between (:mod:`ecogis.demo.programme_year`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ecogis import compliance as comp
from ecogis import eit
from ecogis.demo import programme_year
from ecogis.errors import DataValidationError, WorkspaceError
from ecogis.importers.csvout import write_csv
from ecogis.programme.snapshot import factory_status_rows, store_factory_status
from ecogis.workspace import Workspace

log = logging.getLogger(__name__)

DEFAULT_SURROUND_M = eit.DEFAULT_SURROUND_M
"""Around a zone, factories within this distance (metres) belong to the assessed area."""


@dataclass
class AssessmentResult:
    """What :func:`run_assessment` made and stored."""

    rows: pd.DataFrame
    """The round: one row per indicator, as stored in ``eit_assessments``."""
    level: int
    """The highest level the area reaches on this round (0: none)."""
    level_reasons: list[str]
    """Per level, why it is reached or not."""
    factory_ids: list[str]
    """The area's factories, sorted."""
    guidelines: pd.DataFrame
    """The area's ranked actions, as stored in ``eit_guidelines``."""
    description: str
    """The area in words (which zone or province, how many factories)."""
    provisional: bool
    """Whether the indicator set is provisional (not DIW's official list)."""
    version: str
    """The indicator set's version."""


@dataclass
class GapResult:
    """What :func:`run_compliance` made."""

    gaps: gpd.GeoDataFrame  # the selection, re-ranked within it
    summary: pd.DataFrame
    notes: list[str]
    n_factories: int
    as_of: str
    selection: str
    csv: Path | None = None
    layers: list[str] = field(default_factory=list)


def _today() -> str:
    return date.today().isoformat()


def _check_date(text: str | None, ws: Workspace | None = None) -> str:
    """Choose the assessment date: as given, else the workspace's ``compliance_as_of``, else today.

    ``compliance_as_of`` is the day the workspace's compliance records describe (e.g. the
    demo's).
    """
    if text is None:
        stored = ws.get_meta("compliance_as_of") if ws is not None else None
        return stored if stored else _today()
    iso = comp.parse_date(text, source="--date", row=1, field="date")
    if iso is None:
        raise DataValidationError("is empty", source="--date", fix="give a date YYYY-MM-DD")
    return iso


def assessment_date(ws: Workspace, text: str | None = None) -> str:
    """Return the compliance assessment date every job uses (gap list, maps, reports).

    Parameters
    ----------
    ws
        The workspace (its ``compliance_as_of`` setting is the default).
    text
        A date given by the user (``--date``), in any form the importers read.

    Returns
    -------
    str
        ISO ``YYYY-MM-DD``: ``text``, else the workspace setting, else today.
    """
    return _check_date(text, ws)


def _select(
    factories: gpd.GeoDataFrame, *, zone: str | None, province: str | None, zones: Any
) -> tuple[gpd.GeoDataFrame, str]:
    if zone and province:
        raise DataValidationError("give --zone or --province, not both", source="options")
    if zone:
        known = set(zones["zone_id"]) if zones is not None else set(factories["zone_id"].dropna())
        if zone not in known:
            raise DataValidationError(
                f"zone {zone!r} is not in the workspace",
                source="industrial_zones",
                field="zone_id",
                fix=f"use one of {', '.join(sorted(map(str, known))) or '(none imported)'}",
            )
        return factories[factories["zone_id"] == zone], f"zone {zone}"
    if province:
        sel = factories[factories["pro_code"] == province]
        if sel.empty:
            codes = sorted(set(factories["pro_code"].dropna()))
            raise DataValidationError(
                f"no factory has province code {province!r}",
                source="factories",
                field="pro_code",
                fix=f"use one of {', '.join(codes)}",
            )
        return sel, f"province {province}"
    return factories, "all factories"


def _status(ws: Workspace, factories: Any, *, as_of: str, requirements: Any) -> pd.DataFrame:
    records = ws.read_if_present("compliance")
    flows = ws.read_if_present("material_flows")
    return comp.factory_compliance(
        factories, records, requirements=requirements, as_of=as_of, flows=flows
    )


def write_records_sheet(
    ws: Workspace,
    path: Path,
    *,
    as_of: str | None = None,
    zone: str | None = None,
    province: str | None = None,
    requirements_path: Path | None = None,
) -> int:
    """Write the selection's compliance records as an editable sheet; return its rows.

    Works before any record is imported (every status then reads ``unknown``): the blank
    sheet is how a team starts its factory database. See
    :func:`ecogis.compliance.records_sheet`.

    Parameters
    ----------
    ws
        The workspace (needs ``factories``).
    path
        The CSV to write (UTF-8 with BOM, opens in Excel).
    as_of
        Assessment date (ISO); default the workspace's ``compliance_as_of``, else today.
    zone, province
        Limit the sheet to one zone or one province.
    requirements_path
        A planner's own requirement catalogue (default the shipped one).

    Returns
    -------
    int
        Rows written (factory × requirement).
    """
    as_of = _check_date(as_of, ws)
    requirements = comp.load_requirements(requirements_path)
    factories = ws.read("factories")
    selected, _ = _select(
        factories, zone=zone, province=province, zones=ws.read_if_present("industrial_zones")
    )
    sheet = comp.records_sheet(
        selected, ws.read_if_present("compliance"), requirements=requirements, as_of=as_of
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(sheet, path)
    return len(sheet)


def run_compliance(
    ws: Workspace,
    *,
    as_of: str | None = None,
    zone: str | None = None,
    province: str | None = None,
    out_csv: Path | None = None,
    requirements_path: Path | None = None,
    radius_m: float = 1000.0,
    records_csv: Path | None = None,
) -> GapResult:
    """Rank the factories with compliance gaps; write the layers and the CSV.

    The ``compliance_gaps`` layer and the summary always cover every factory of the
    workspace (so a map shows them all); the returned gap list and the CSV cover the
    selection (``zone`` or ``province``), ranked within it. ``records_csv`` receives
    the selection's records as an editable sheet (:func:`ecogis.compliance.records_sheet`)
    to change and re-import with ``ecogis import compliance``.

    Parameters
    ----------
    ws
        The workspace (needs ``factories`` and ``compliance``).
    as_of
        Assessment date (ISO); default the workspace's ``compliance_as_of``, else today.
    zone, province
        The selection the returned list and the CSV cover (not both).
    out_csv
        Where to write the selection's gap list.
    requirements_path
        A planner's own requirement catalogue.
    radius_m
        Neighbourhood radius (m) when people are counted from ``communities``.
    records_csv
        Where to write the selection's records sheet.

    Returns
    -------
    GapResult
        The selection's gap list (re-ranked), the summary, the ranking inputs and what was
        written.
    """
    as_of = _check_date(as_of, ws)
    requirements = comp.load_requirements(requirements_path)
    factories = ws.read("factories")
    if not ws.has_layer("compliance"):
        raise WorkspaceError(
            "layer 'compliance' is not in the workspace",
            source=ws.location,
            fix="import compliance records with 'ecogis import compliance FILE -w WORKSPACE' "
            "(a blank sheet to fill in: 'ecogis compliance -w WORKSPACE --records FILE')",
        )
    zones = ws.read_if_present("industrial_zones")
    selected, label = _select(factories, zone=zone, province=province, zones=zones)
    status = _status(ws, factories, as_of=as_of, requirements=requirements)
    gaps, notes = comp.rank_gaps(
        factories,
        status,
        risk_factories=ws.read_if_present("risk_factories"),
        communities=ws.read_if_present("communities"),
        radius_m=radius_m,
        as_of=as_of,
    )
    summary = comp.gap_summary(factories, status, gaps)
    with ws.batch():
        ws.write("compliance_gaps", gaps)
        ws.write("compliance_gaps_summary", summary)
    sel = gaps[gaps.index.isin(selected.index)].copy()
    sel["rank"] = range(1, len(sel) + 1)
    if out_csv is not None:
        out_csv.parent.mkdir(parents=True, exist_ok=True)
        write_csv(pd.DataFrame(sel.drop(columns="geometry")), out_csv)
    if records_csv is not None:
        write_records_sheet(
            ws,
            records_csv,
            as_of=as_of,
            zone=zone,
            province=province,
            requirements_path=requirements_path,
        )
    return GapResult(
        gaps=sel,
        summary=summary,
        notes=notes,
        n_factories=len(selected),
        as_of=as_of,
        selection=label,
        csv=out_csv,
        layers=["compliance_gaps", "compliance_gaps_summary"],
    )


# --------------------------------------------------------------------------- assessment
def area_inputs(
    ws: Workspace,
    *,
    area_id: str,
    area_kind: str,
    as_of: str,
    indicators: eit.IndicatorSet,
    requirements: dict[str, comp.Requirement],
    surround_m: float = DEFAULT_SURROUND_M,
) -> tuple[eit.AreaInputs, gpd.GeoDataFrame]:
    """Read the layers an assessment needs, limited to the area; also its gap list.

    The area is :func:`ecogis.eit.select_area` of the factories and zones (a zone and
    ``surround_m`` metres around it, or a province).

    Parameters
    ----------
    ws
        The workspace.
    area_id, area_kind
        A zone_id (``zone``) or a province code (``province``).
    as_of
        Assessment date (ISO).
    indicators
        The indicator set (its recovery and landfill codes).
    requirements
        The requirement catalogue.
    surround_m
        Around a zone, factories within this many metres belong to the area (m).

    Returns
    -------
    (AreaInputs, GeoDataFrame)
        What the computations read, and the area's gap list.
    """
    area = eit.select_area(
        ws.read("factories"),
        ws.read_if_present("industrial_zones"),
        area_id=area_id,
        area_kind=area_kind,
        surround_m=surround_m,
    )
    area_f, area_z, desc = area.factories, area.zones, area.description
    records = ws.read_if_present("compliance")
    flows = ws.read_if_present("material_flows")
    ids = set(area_f["factory_id"])
    status = None
    if records is not None:
        status = comp.factory_compliance(
            area_f, records, requirements=requirements, as_of=as_of, flows=flows
        )
    communities = ws.read_if_present("communities")
    risk = ws.read_if_present("risk_factories")
    inputs = eit.AreaInputs(
        area_id=area_id,
        area_kind=area_kind,
        factories=area_f,
        zones=area_z,
        as_of=as_of,
        status=status,
        mandatory=tuple(r for r, q in requirements.items() if q.mandatory),
        flows=flows[flows["factory_id"].isin(ids)] if flows is not None else None,
        communities=communities,
        risk_factories=risk,
        siting_flags=ws.read_if_present("siting_flags"),
        links=ws.read_if_present("symbiosis_links"),
        activities=ws.read_if_present("activities"),
        attendance=ws.read_if_present("activity_factories"),
        recovery_prefixes=indicators.recovery_prefixes,
        landfill_codes=indicators.landfill_codes,
        description=desc,
    )
    if status is not None:
        gaps, _ = comp.rank_gaps(area_f, status, risk_factories=risk, communities=communities)
    else:
        gaps = gpd.GeoDataFrame(columns=["factory_id", "priority", "rank"], geometry=[], crs=4326)
    return inputs, gaps


def read_scores(path: Path, indicators: eit.IndicatorSet) -> pd.DataFrame:
    """Read and check an assessor's manual score sheet (CSV or XLSX).

    Parameters
    ----------
    path
        The sheet (``indicator_id``, ``value``, ``evidence``, optional ``note``).
    indicators
        The indicator set the ids must belong to.

    Returns
    -------
    pandas.DataFrame
        Indexed by indicator id.
    """
    from ecogis.importers.tabular import read_table

    return eit.parse_manual_scores(read_table(path), source=str(path), indicator_ids=indicators.ids)


def run_assessment(
    ws: Workspace,
    *,
    area_id: str,
    round_name: str,
    area_kind: str = "zone",
    as_of: str | None = None,
    scores: Path | None = None,
    assessor: str | None = None,
    indicators_path: Path | None = None,
    requirements_path: Path | None = None,
    surround_m: float = DEFAULT_SURROUND_M,
) -> AssessmentResult:
    """Compute and store one assessment round of an area, and its guidelines.

    Everything is checked before anything is written; the round and the guidelines land in
    one batch.

    Parameters
    ----------
    ws
        The workspace.
    area_id, area_kind
        A zone_id (``zone``) or a province code (``province``).
    round_name
        ``baseline`` or ``followup``.
    as_of
        Assessment date (ISO); default the workspace's ``compliance_as_of``, else today.
    scores
        The assessor's manual indicator sheet.
    assessor
        Who assessed (an office or role, never a private person's name).
    indicators_path, requirements_path
        A planner's own indicator set and requirement catalogue.
    surround_m
        Around a zone, factories within this many metres belong to the area (m).

    Returns
    -------
    AssessmentResult
        The round, the area's level with the reasons, the guidelines and what was assessed.
    """
    if round_name not in eit.ROUNDS:
        raise DataValidationError(
            f"round {round_name!r} is unknown",
            source="--round",
            fix=f"use {' or '.join(eit.ROUNDS)}",
        )
    as_of = _check_date(as_of, ws)
    indicators = eit.load_indicators(indicators_path)
    requirements = comp.load_requirements(requirements_path)
    manual = read_scores(scores, indicators) if scores is not None else None
    # Read and write in one batch: the stored rounds are read under the writer's lock, so
    # a round stored meanwhile by another process is kept, never overwritten.
    with ws.batch():
        inputs, gaps = area_inputs(
            ws,
            area_id=area_id,
            area_kind=area_kind,
            as_of=as_of,
            indicators=indicators,
            requirements=requirements,
            surround_m=surround_m,
        )
        rows = eit.compute_round(
            inputs, indicators, round_name=round_name, assessor=assessor, manual=manual
        )
        guide = eit.guidelines(
            area_id=area_id,
            gaps=gaps,
            values=rows,
            links=inputs.links,
            candidates=ws.read_if_present("symbiosis_candidates"),
            siting_flags=inputs.siting_flags,
            factory_ids=set(inputs.factories["factory_id"]),
            generated_on=as_of,
            flows=inputs.flows,
            exchange_codes=indicators.exchange_codes,
            item_names={k: (r.name_th, r.name_en) for k, r in requirements.items()},
        )
        stored = eit.store_round(ws.read_if_present("eit_assessments"), rows)
        old_guide = ws.read_if_present("eit_guidelines")
        if old_guide is not None and len(old_guide):
            guide_all = pd.concat(
                [old_guide[old_guide["area_id"] != area_id], guide], ignore_index=True
            )
        else:
            guide_all = guide
        ws.write("eit_assessments", stored)
        ws.write("eit_guidelines", guide_all)
        if inputs.status is not None:  # each factory's status on this round's date, kept
            ws.write(
                "eit_factory_status",
                store_factory_status(
                    ws.read_if_present("eit_factory_status"),
                    factory_status_rows(
                        inputs.status, area_id=area_id, round_name=round_name, assessed_on=as_of
                    ),
                ),
            )
    level, reasons = eit.area_level(rows, indicators)
    return AssessmentResult(
        rows=rows,
        level=level,
        level_reasons=reasons,
        factory_ids=sorted(inputs.factories["factory_id"]),
        guidelines=guide,
        description=inputs.description,
        provisional=indicators.provisional,
        version=indicators.version,
    )


def compare(
    ws: Workspace, *, area_id: str, indicators_path: Path | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Baseline vs follow-up of an area from ``eit_assessments`` (nothing is written).

    Parameters
    ----------
    ws
        The workspace (needs ``eit_assessments``).
    area_id
        The area assessed.
    indicators_path
        The indicator file the rounds used (default the shipped one).

    Returns
    -------
    (DataFrame, dict)
        See :func:`ecogis.eit.compare_rounds`.
    """
    stored = ws.read_if_present("eit_assessments")
    if stored is None or not (stored["area_id"] == area_id).any():
        areas = sorted(set(stored["area_id"].dropna().astype(str))) if stored is not None else []
        also = f" (areas assessed so far: {', '.join(areas)})" if areas else ""
        raise WorkspaceError(
            f"no assessment of area {area_id!r} is stored{also}",
            source=ws.location,
            fix=f"run 'ecogis assess -w {ws.location} --area {area_id} --round baseline' first",
        )
    return eit.compare_rounds(
        stored, area_id=area_id, indicators=eit.load_indicators(indicators_path)
    )


# --------------------------------------------------------------------------- demo
def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Gaps, a baseline round, an ILLUSTRATIVE programme year, a follow-up and the comparison.

    Parameters
    ----------
    ws
        The demo workspace.
    out_dir
        Folder for the gap lists, sheets and comparison CSVs.

    Returns
    -------
    list of str
    """
    lines = ["compliance and eco-industrial town assessment:"]
    if not ws.has_layer("compliance"):
        return [*lines, "  skipped: the demo workspace has no compliance table"]
    baseline_date, followup_date = "2025-01-15", "2026-01-15"
    scores = programme_year.illustrative_scores(out_dir)
    res = run_compliance(ws, as_of=baseline_date, out_csv=out_dir / "compliance_gaps_baseline.csv")
    lines.append(
        f"  {len(res.gaps)} of {res.n_factories} factories have a compliance gap on {res.as_of} "
        f"(baseline) → {res.csv}"
    )
    lines += [f"  ranking input — {n}" for n in res.notes]
    zones = ws.read("industrial_zones")
    counts = ws.read("factories")["zone_id"].value_counts()
    area = str(counts.index[0]) if len(counts) else str(zones["zone_id"].iloc[0])
    who = "ecogis demo (illustrative)"
    base = run_assessment(
        ws,
        area_id=area,
        round_name="baseline",
        as_of=baseline_date,
        assessor=who,
        scores=scores["baseline"],
    )
    lines.append(f"  baseline round for {base.description} on {baseline_date}")
    lines += programme_year.illustrative_programme_year(
        ws,
        res.gaps,
        out_dir=out_dir,
        as_of=baseline_date,
        followup=followup_date,
        first=set(base.factory_ids),
    )
    run_assessment(
        ws,
        area_id=area,
        round_name="followup",
        as_of=followup_date,
        assessor=who,
        scores=scores["followup"],
    )
    # the records now describe the follow-up date: later runs without --date judge them then
    ws.set_meta("compliance_as_of", followup_date)
    # The gap layer (maps, report) shows where the area stands now, not at the baseline.
    after = run_compliance(ws, as_of=followup_date, out_csv=out_dir / "compliance_gaps.csv")
    lines.append(
        f"  after the programme year: {len(after.gaps)} of {after.n_factories} factories still "
        f"have a gap on {after.as_of} → layer compliance_gaps, {after.csv}"
    )
    table, summary = compare(ws, area_id=area)
    write_csv(table, out_dir / f"eit_compare_{area}.csv")
    for rec in table.to_dict("records"):
        if rec["improvement"] in ("better", "worse"):
            lines.append(
                f"  {rec['indicator_id']} {rec['name_en']}: {rec['baseline']:g} → "
                f"{rec['followup']:g} {rec['unit']} ({rec['improvement']})"
            )
    lines.append(
        f"  area {area}: level {summary['level_baseline']} at baseline → level "
        f"{summary['level_followup']} at follow-up (PROVISIONAL indicator set); "
        f"{summary['better']} better, {summary['worse']} worse, {summary['missing']} missing"
    )
    other = [str(z) for z in counts.index if str(z) != area]
    lines.append(
        f"  compliance records now dated {followup_date} (the workspace's compliance_as_of; "
        "--date overrides it)"
    )
    if other:
        z, w = other[0], ws.location
        lines += [
            f"  try it on another zone: ecogis assess -w {w} --area {z} --round baseline",
            f"    ecogis compliance -w {w} --zone {z} --records {z}.csv   # edit the sheet",
            f"    ecogis import compliance {z}.csv -w {w}",
            f"    ecogis assess -w {w} --area {z} --round followup --date YYYY-MM-DD",
            f"    ecogis assess compare -w {w} --area {z}",
        ]
    return lines
