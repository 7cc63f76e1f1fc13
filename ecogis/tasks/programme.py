"""Workspace job of the TOR progress: the ledger and the factory database against the targets.

``run_programme`` reads the ledger (``activities``, ``activity_factories``), the factories
of the selection and their compliance records and mass balances, and returns each TOR
deliverable with its target, its count so far and whether it is met. Nothing is written.
``demo_step`` records the demo's ILLUSTRATIVE ledger (:mod:`ecogis.demo.ledger`) and prints
the progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ecogis import compliance as comp
from ecogis import eit
from ecogis import programme as prog
from ecogis.eit import DEFAULT_SURROUND_M
from ecogis.eit.exchanges import exchange_state, started_exchanges
from ecogis.errors import DataValidationError
from ecogis.programme.words import both
from ecogis.tasks.compliance import assessment_date
from ecogis.workspace import Workspace


@dataclass
class ProgrammeResult:
    """What :func:`run_programme` found."""

    progress: pd.DataFrame  # prog.PROGRESS_COLUMNS
    database: pd.DataFrame  # prog.DATABASE_COLUMNS, the selection's factories
    selection: str
    as_of: str
    targets: prog.TorTargets
    requirements: dict[str, comp.Requirement]
    notes: list[str] = field(default_factory=list)
    selection_th: str = ""  # ``selection`` in Thai

    def as_records(self) -> list[dict[str, object]]:
        """List the progress as JSON objects (``deliverable``, ``target``, ``actual``, ``met`` …).

        The database deliverable also lists each incomplete factory and what it lacks.

        Returns
        -------
        list[dict[str, object]]
            One object per TOR deliverable: ``deliverable``, ``target`` and ``actual`` (counts
            in the deliverable's unit: activities, factories, people), ``met``, ``scope``,
            ``name_th``, ``name_en``, ``detail``, ``evidence`` (a list); the
            ``factory_database`` one adds ``incomplete`` (``factory_id``, ``lacks_compliance``,
            ``lacks_mass_balance``).
        """
        out: list[dict[str, object]] = []
        for rec in self.progress.to_dict("records"):
            item: dict[str, object] = {
                "deliverable": rec["deliverable"],
                "target": rec["target"],
                "actual": rec["actual"],
                "met": bool(rec["met"]),
                "scope": rec["scope"],
                "scope_th": rec["scope_th"],
                "scope_en": rec["scope_en"],
                "name_th": rec["name_th"],
                "name_en": rec["name_en"],
                "detail_th": rec["detail_th"],
                "detail_en": rec["detail_en"],
                "evidence": [e for e in str(rec["evidence"]).split(";") if e],
            }
            if rec["deliverable"] == "factory_database":
                item["incomplete"] = [
                    {
                        "factory_id": r["factory_id"],
                        "lacks_compliance": [x for x in r["lacks_compliance"].split(";") if x],
                        "lacks_mass_balance": [x for x in r["lacks_mass_balance"].split(";") if x],
                    }
                    for r in self.incomplete().to_dict("records")
                ]
            out.append(item)
        return out

    def incomplete(self) -> pd.DataFrame:
        """Return the selection's factories whose record or mass balance is not complete.

        Returns
        -------
        pandas.DataFrame
            The rows of ``database`` (its columns, :data:`ecogis.programme.DATABASE_COLUMNS`)
            whose ``complete`` is false.
        """
        return self.database[~self.database["complete"]]


def select_area(
    ws: Workspace,
    *,
    province: str | None,
    area: str | None,
    surround_m: float = DEFAULT_SURROUND_M,
) -> tuple[prog.Area, pd.DataFrame, list[str]]:
    """Select the upgraded area, its factories and the provinces whose deliverables are counted.

    ``area`` is a zone: the zone and the factories within ``surround_m`` of it
    (:func:`ecogis.eit.select_area`, the assessment's area rule); ``province`` a 2-digit
    code; neither: every factory and the 15 target provinces plus any other province in
    the ledger.

    Parameters
    ----------
    ws : Workspace
        The workspace (only read); it must have factories.
    province : str or None
        A 2-digit province code, or ``None``.
    area : str or None
        A zone id, or ``None``.
    surround_m : float, default DEFAULT_SURROUND_M
        Distance around the zone, in metres, within which factories belong to the area.

    Returns
    -------
    tuple[ecogis.programme.Area, pandas.DataFrame, list[str]]
        The area (label, its factory ids, the zone id), the chosen rows of the
        ``factories`` layer, and the 2-digit codes of the provinces counted.

    Raises
    ------
    DataValidationError
        Both ``province`` and ``area`` given, or no factory has the province code.
    """
    if province and area:
        raise DataValidationError("give --province or --area, not both", source="options")
    factories = ws.read("factories")
    if area:
        zones = ws.read_if_present("industrial_zones")
        chosen = eit.select_area(factories, zones, area_id=area, surround_m=surround_m).factories
        codes = []
        if zones is not None:
            codes = [str(c) for c in zones.loc[zones["zone_id"] == area, "pro_code"].dropna()]
        scope = both("scope_zone", zone=area)
        return (
            prog.Area(scope["en"], frozenset(chosen["factory_id"]), area, label_th=scope["th"]),
            chosen,
            codes,
        )
    if province:
        chosen = factories[factories["pro_code"] == province]
        if chosen.empty:
            known = ", ".join(sorted(set(factories["pro_code"].dropna().astype(str))))
            raise DataValidationError(
                f"no factory has province code {province!r}",
                source="factories",
                field="pro_code",
                fix=f"use one of {known}",
            )
        scope = both("scope_province", code=province)
        return (
            prog.Area(scope["en"], frozenset(chosen["factory_id"]), label_th=scope["th"]),
            chosen,
            [province],
        )
    from ecogis.catalogue.provinces import target_provinces

    codes = [p.pro_code for p in target_provinces()]
    ledger = ws.read_if_present("activities")
    if ledger is not None:
        codes += sorted(set(ledger["pro_code"].dropna().astype(str)) - set(codes))
    scope = both("scope_all")
    return prog.Area(scope["en"], label_th=scope["th"]), factories, codes


def run_programme(
    ws: Workspace,
    *,
    province: str | None = None,
    area: str | None = None,
    as_of: str | None = None,
    targets_path: Path | None = None,
    requirements_path: Path | None = None,
    surround_m: float = DEFAULT_SURROUND_M,
) -> ProgrammeResult:
    """Each TOR deliverable for the selection: target, count so far, met or not.

    Parameters
    ----------
    ws : Workspace
        The workspace (only read).
    province, area : str or None, default None
        A province code, or a zone id (the zone and ``surround_m`` metres around it).
    as_of : str or None, default None
        Date of the compliance rule, ``YYYY-MM-DD`` (default: the workspace's
        ``compliance_as_of``).
    targets_path, requirements_path : Path or None, default None
        Planners' own TOR targets and requirement catalogue (default: shipped).
    surround_m : float, default DEFAULT_SURROUND_M
        Distance around the zone, in metres.

    Returns
    -------
    ProgrammeResult
        ``progress`` (one row per deliverable, :data:`ecogis.programme.PROGRESS_COLUMNS`),
        ``database`` (the selection's factories and what each lacks), the selection's
        label, the date used, targets, requirements and notes on missing tables.

    Raises
    ------
    DataValidationError
        A bad selection (see :func:`select_area`) or date.
    """
    as_of = assessment_date(ws, as_of)
    targets = prog.load_targets(targets_path)
    requirements = comp.load_requirements(requirements_path)
    chosen_area, factories, codes = select_area(
        ws, province=province, area=area, surround_m=surround_m
    )
    activities = ws.read_if_present("activities")
    attendance = ws.read_if_present("activity_factories")
    records = ws.read_if_present("compliance")
    flows = ws.read_if_present("material_flows")
    notes: list[str] = []
    if activities is None:
        notes.append(
            "no activities recorded yet — import sign-in sheets and consulting logs with "
            "'ecogis import activities FILE'"
        )
    if records is None:
        notes.append("no compliance records — 'ecogis import compliance FILE'")
    if flows is None:
        notes.append("no mass balances — 'ecogis import flows FILE'")
    database = prog.database_check(
        factories,
        records,
        flows,
        requirements=requirements,
        mass_balance=targets.mass_balance,
        as_of=as_of,
    )
    progress = prog.tor_progress(
        activities,
        attendance,
        targets=targets,
        provinces=codes,
        area=chosen_area,
        database=database,
    )
    return ProgrammeResult(
        progress=progress,
        database=database,
        selection=chosen_area.label,
        selection_th=chosen_area.label_th,
        as_of=as_of,
        targets=targets,
        requirements=requirements,
        notes=notes,
    )


def demo_area(ws: Workspace) -> str:
    """Pick the demo's assessed area: the zone with the most factories (as the assessment picks).

    Parameters
    ----------
    ws : Workspace
        The demo workspace.

    Returns
    -------
    str
        The zone id; the first zone when no factory has one.
    """
    counts = ws.read("factories", columns=["zone_id"])["zone_id"].value_counts()
    if len(counts):
        return str(counts.index[0])
    return str(ws.read("industrial_zones")["zone_id"].iloc[0])


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Compute the TOR progress of the demo's area after the ILLUSTRATIVE programme year.

    Parameters
    ----------
    ws : Workspace
        The demo workspace (only read).
    out_dir : Path
        Folder for ``upgrade_report_<zone>.pdf`` (written when the assessment rounds are
        stored).

    Returns
    -------
    list[str]
        Summary lines: each deliverable's count against its target, the incomplete
        factories, the upgrade report; a "skipped" line without a ledger.
    """
    lines = ["TOR progress (ILLUSTRATIVE ledger):"]
    if not ws.has_layer("activities"):
        return [*lines, "  skipped: no activity ledger in the workspace"]
    zone = demo_area(ws)
    res = run_programme(ws, area=zone)
    for rec in res.progress.to_dict("records"):
        state = "met" if rec["met"] else "NOT met"
        lines.append(
            f"  {rec['name_en']} ({rec['scope']}): {rec['actual']:g} of {rec['target']:g} — {state}"
        )
    lines.append(
        f"  {len(res.incomplete())} factories of {res.selection} lack part of their record: "
        f"ecogis programme -w {ws.location} --area {zone}"
    )
    if ws.has_layer("eit_assessments"):
        report = make_upgrade_report(ws, out_dir / f"upgrade_report_{zone}.pdf", area=zone)
        lines += [f"  {line}" for line in report.lines()]
    return lines


# --------------------------------------------------------------------------- upgrade report
@dataclass
class UpgradeReport:
    """What :func:`make_upgrade_report` wrote."""

    path: Path
    area: str
    kind: str  # "pdf" or "html"
    size_bytes: int
    level_baseline: object
    level_followup: object

    def lines(self) -> list[str]:
        """Return the summary lines for the CLI and the demo.

        Returns
        -------
        list[str]
            One line: the area, the format, the path, the size in MB and the level at the
            baseline → at the follow-up.
        """
        return [
            f"upgrade report {self.area} ({self.kind.upper()}): {self.path} "
            f"({self.size_bytes / 1e6:.2f} MB; level {self.level_baseline} → "
            f"{self.level_followup})"
        ]


def _level_lines(comparison: pd.DataFrame, indicators: eit.IndicatorSet, lang: str) -> list[str]:
    """Explain the level rule at the follow-up, level by level, in ``lang`` (for the report)."""
    from ecogis.eit.levels import check_level
    from ecogis.report.upgrade_text import TEXT

    t = TEXT[lang]
    values = {
        str(i): (None if pd.isna(v) else float(v))
        for i, v in zip(comparison["indicator_id"], comparison["followup"], strict=True)
    }
    lines = []
    for level in (1, 2):
        c = check_level(values, indicators, level)
        lines.append(
            t["level_line"].format(
                level=level,
                name=indicators.level_name(level, lang),
                passed=c.passed,
                judged=c.judged,
                share=f"{indicators.pass_share:.0%}",
                have=c.have,
                total=c.total,
                cover=f"{indicators.min_coverage:.0%}",
                result=t["reached"] if c.reached else t["not_reached"],
            )
        )
    return lines


def upgrade_inputs(ws: Workspace, *, area: str, lang: str = "th") -> object:
    """Read everything the upgrade report of ``area`` (a zone) shows.

    Parameters
    ----------
    ws : Workspace
        The workspace (only read): both assessment rounds of the area, the ledger,
        factories, compliance records, mass balances, guidelines.
    area : str
        The zone id assessed.
    lang : str, default "th"
        ``th`` or ``en``: the language of the names and level lines.

    Returns
    -------
    object
        An :class:`ecogis.report.upgrade.UpgradeInputs` (typed ``object``: the report
        package is imported only when a report is made).

    Raises
    ------
    WorkspaceError
        No assessment of the area is stored.
    """
    from ecogis.report.upgrade import UpgradeInputs
    from ecogis.tasks.compliance import compare

    comparison, summary = compare(ws, area_id=area)
    res = run_programme(ws, area=area, as_of=summary.get("date_followup") or None)
    chosen, factories, _ = select_area(ws, province=None, area=area)
    ids = set(chosen.factory_ids or ())
    zones = ws.read("industrial_zones")
    zone = zones[zones["zone_id"] == area]
    activities = ws.read_if_present("activities")
    attendance = ws.read_if_present("activity_factories")
    pro = str(zone["pro_code"].iloc[0]) if len(zone) and pd.notna(zone["pro_code"].iloc[0]) else ""
    if activities is not None and attendance is not None:
        # the area's own activities, and its province's meetings and workshops
        province_kinds = {
            k for d in res.targets.deliverables if d.scope == "province" for k in d.kinds
        }
        own = set(prog.area_activities(activities, attendance, chosen)["activity_id"])
        provincial = activities["pro_code"].eq(pro) & activities["kind"].isin(province_kinds)
        activities = activities[activities["activity_id"].isin(own) | provincial.fillna(False)]
    flags = ws.read_if_present("siting_flags")
    guide = ws.read_if_present("eit_guidelines")
    indicators = eit.load_indicators()
    lacks = [
        prog.describe_lacks(
            row, requirements=res.requirements, mass_balance=res.targets.mass_balance, lang=lang
        )
        for _, row in res.database.iterrows()
    ]
    links = ws.read_if_present("symbiosis_links")
    flows = ws.read_if_present("material_flows")
    codes = indicators.exchange_codes
    exchanges = started_exchanges(links, flows, exchange_codes=codes, providers=ids)
    if guide is not None and links is not None and len(links):
        # The guidelines were ranked at the last assessment; an exchange started since
        # (the one rule, ecogis.eit.exchanges) is not something still to start.
        state = exchange_state(links, flows, exchange_codes=codes)["state"]
        pair = links["provider_id"].astype(str) + "→" + links["receiver_id"].astype(str)
        done = set(pair[state.ne("proposed")]) - set(pair[state.eq("proposed")])
        guide = guide[~(guide["action"].eq("start_exchange") & guide["target_id"].isin(done))]
    province_name = ""
    if pro:
        import geothai

        p = geothai.province(pro)
        province_name = (p.name_th if lang == "th" else p.name_en) if p is not None else pro
    return UpgradeInputs(
        area_id=area,
        zone=zone,
        factories=factories,
        comparison=comparison,
        summary=summary,
        progress=res.progress,
        database=res.database,
        database_lacks=lacks,
        activities=activities,
        attendance=attendance,
        snapshots=ws.read_if_present("eit_factory_status"),
        communities=ws.read_if_present("communities"),
        siting_flags=flags[flags["factory_id"].isin(ids)] if flags is not None else None,
        exchanges=exchanges,
        guidelines=guide[guide["area_id"] == area].sort_values("rank")
        if guide is not None
        else None,
        requirement_names={
            k: (r.name_th if lang == "th" else r.name_en) for k, r in res.requirements.items()
        },
        level2_gap=list(summary.get("to_level2") or []),
        level_lines=_level_lines(comparison, indicators, lang),
        provisional=indicators.provisional,
        illustrative=ws.get_meta("demo") == "illustrative",
        province_name=province_name,
    )


def make_upgrade_report(ws: Workspace, out: Path, *, area: str, lang: str = "th") -> UpgradeReport:
    """Write the upgrade report of ``area`` (a zone) as PDF (``.pdf``) or HTML (``.html``).

    Parameters
    ----------
    ws : Workspace
        The workspace (only read): both assessment rounds of the area must be stored.
    out : Path
        The file to write; its suffix chooses PDF or HTML.
    area : str
        The zone id assessed.
    lang : str, default "th"
        ``th`` or ``en``.

    Returns
    -------
    UpgradeReport
        The file written, its kind (``pdf``/``html``), its size in bytes and the EIT
        level at the baseline and at the follow-up.

    Raises
    ------
    DataValidationError
        ``out`` is neither ``.pdf`` nor ``.html``.
    WorkspaceError
        No assessment of the area is stored.
    """
    from ecogis.report.pdf import write_pdf
    from ecogis.report.upgrade import UpgradeInputs, build_upgrade_html

    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "html"):
        raise DataValidationError(
            f"{out.name} is neither .pdf nor .html",
            source="--out",
            fix="give a file name ending in .pdf (to print) or .html",
        )
    inputs = upgrade_inputs(ws, area=area, lang=lang)
    assert isinstance(inputs, UpgradeInputs)
    html = build_upgrade_html(inputs, lang=lang)
    if kind == "pdf":
        write_pdf(html, out)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    return UpgradeReport(
        path=out,
        area=area,
        kind=kind,
        size_bytes=out.stat().st_size,
        level_baseline=inputs.summary.get("level_baseline"),
        level_followup=inputs.summary.get("level_followup"),
    )
