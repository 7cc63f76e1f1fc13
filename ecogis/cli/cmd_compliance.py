"""``ecogis compliance`` (the gap list) and ``ecogis assess`` (indicator rounds, comparison)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from ecogis import schema
from ecogis.cli._common import (
    echo_fitted_table,
    echo_json,
    file_option,
    info,
    lang_option,
    open_workspace,
    workspace_option,
)
from ecogis.importers.csvout import write_csv

_GAP_COLUMNS = [
    "rank",
    "factory_id",
    "name_th",
    "diw_type",
    "factory_class",
    "zone_id",
    "lacks_env",
    "lacks_safety",
    "lacks_csr",
    "legal_missing",
    "expired",
    "hazard_class",
    "people_1km",
    "priority",
]
"""Fields of the gap list in --json (the layer and the CSV have them all)."""

_GAP_SCREEN = ["rank", "factory_id", "name_th", "zone_id", "hazard_class", "people_1km", "priority"]
"""Fields of the gap list on screen; each row is followed by its gaps in words."""

_SUMMARY_SCREEN = [
    "level",
    "area_id",
    "n_factories",
    "n_with_gap",
    "share_with_gap",
    "share_lacks_env",
    "share_lacks_safety",
    "share_lacks_csr",
    "share_legal_missing",
    "share_expired",
]
"""Fields of the summary on screen (headers: the contract's short labels, in --lang)."""

_ROUNDS = list(schema.contract("eit_assessments").values("round"))


def _localised(names: list[str], lang: str) -> list[str]:
    """``name_th``/``detail_th`` … become the ``--lang`` field of the pair."""
    return [n[:-3] + f"_{lang}" if n.endswith("_th") else n for n in names]


def _echo_fields(
    frame: pd.DataFrame, layer: str, names: list[str], lang: str, **table: Any
) -> None:
    """Print the fields ``names`` of ``frame`` under the contract's short headers in ``lang``.

    ``table`` goes to :func:`echo_fitted_table`; ID columns stay whole under any header.
    """
    shown = [n for n in _localised(names, lang) if n in frame.columns]
    headers = schema.contract(layer).headers(shown, lang)
    keys = [headers[n] for n in shown if n == "rank" or n.endswith("_id")]
    echo_fitted_table(pd.DataFrame(frame[shown]).rename(columns=headers), keys=keys, **table)


@click.command("compliance")
@workspace_option()
@click.option("--zone", help="Only factories of this industrial zone (zone_id).")
@click.option("--province", help="Only factories of this province (2-digit code, e.g. 25).")
@click.option(
    "--date",
    "as_of",
    help="Assessment date YYYY-MM-DD (default: the workspace's compliance_as_of "
    "setting, else today): a "
    "certificate valid until before it counts as expired.",
)
@file_option(
    "--out",
    "out_csv",
    must_exist=False,
    help="Write the ranked gap list to this CSV (UTF-8, opens in Excel).",
)
@file_option(
    "--records",
    "records_csv",
    must_exist=False,
    help="Also write the selected factories' compliance records as a sheet to edit and "
    "re-import with 'ecogis import compliance' (one row per factory and requirement; "
    "'unknown' where nothing is recorded).",
)
@click.option("--top", type=click.IntRange(min=1), help="Print only the first N factories.")
@file_option(
    "--requirements",
    "requirements_path",
    must_exist=True,
    help="Your own requirement catalogue CSV (default: the shipped one).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the gap list and summary as JSON.")
@lang_option()
def compliance_cmd(
    workspace: Path,
    zone: str | None,
    province: str | None,
    as_of: str | None,
    out_csv: Path | None,
    records_csv: Path | None,
    top: int | None,
    requirements_path: Path | None,
    as_json: bool,
    lang: str,
) -> None:
    """List factories lacking environmental or safety management or CSR-DIW.

    Also lists factories with a mandatory item (licence, waste report, manifests,
    pollution-control staff, monitoring report) missing or any certificate expired,
    ranked by hazard and by how many people and sensitive places are near them — so a
    team can pick the 30+ factories for training, study tours and consulting. Uses the
    risk results (ecogis risk) when present and says which ranking inputs it had.

    Writes the layer compliance_gaps (all factories) and compliance_gaps_summary (by zone
    and province) to the workspace; --out writes the selection as a CSV.

    Screen columns: people_1km = people within 1 km (from the risk results); priority =
    0.4·hazard + 0.35·neighbours + 0.25·gap size, each 0–1 (docs/assessment.md); the
    summary's shares are percent of the factories.

    \b
    Examples:
      ecogis compliance -w ecogis-demo/demo.gpkg --zone DEMO-IE-01 --top 30 --out gaps.csv
      ecogis compliance -w ecogis-demo/demo.gpkg --province 25 --date 2026-01-15
    \b
    Update the records (edit status, issued, valid_until, evidence; then re-import):
      ecogis compliance -w ecogis-demo/demo.gpkg --zone DEMO-IP-01 --records ip01.csv
      ecogis import compliance ip01.csv -w ecogis-demo/demo.gpkg
    Status words: yes, no, expired, in_progress, not_required, unknown (Thai มี/ไม่มี too).
    """
    from ecogis.tasks.compliance import run_compliance, write_records_sheet

    ws = open_workspace(workspace)
    where: dict[str, Any] = {"as_of": as_of, "zone": zone, "province": province}
    if records_csv is not None and not ws.has_layer("compliance"):
        n_rows = write_records_sheet(ws, records_csv, requirements_path=requirements_path, **where)
        info(
            f"no compliance records yet: a blank sheet of {n_rows} rows (factory × requirement, "
            f"status unknown) is in {records_csv} — fill it in, then 'ecogis import compliance "
            f"{records_csv} -w {workspace}' and run this again"
        )
        return
    res = run_compliance(
        ws, out_csv=out_csv, requirements_path=requirements_path, records_csv=records_csv, **where
    )
    shown = res.gaps.head(top) if top else res.gaps
    table = pd.DataFrame(shown.drop(columns="geometry"))
    table = table[[c for c in _localised(_GAP_COLUMNS, lang) if c in table.columns]]
    if zone or province:
        key = zone or province
        summary = res.summary[(res.summary["area_id"] == key) | (res.summary["level"] == "total")]
    else:
        summary = res.summary
    if as_json:
        echo_json(
            {
                "as_of": res.as_of,
                "selection": res.selection,
                "ranking_inputs": res.notes,
                "gaps": table.astype(object).where(table.notna(), None).to_dict("records"),
                "summary": summary.astype(object).where(summary.notna(), None).to_dict("records"),
            }
        )
    else:
        from ecogis.compliance import describe_gaps

        _echo_fields(
            shown,
            "compliance_gaps",
            _GAP_SCREEN,
            lang,
            max_rows=len(shown) or 1,
            details=describe_gaps(shown).tolist(),
        )
        click.echo("")
        _echo_fields(summary, "compliance_gaps_summary", _SUMMARY_SCREEN, lang, max_rows=200)
    info(
        f"{res.selection}: {len(res.gaps)} of {res.n_factories} factories have a gap on {res.as_of}"
    )
    for n in res.notes:
        info(f"ranking input — {n}")
    info(f"layers written: {', '.join(res.layers)}" + (f"; CSV: {res.csv}" if res.csv else ""))
    if records_csv is not None:
        info(
            f"records to edit: {records_csv} — then 'ecogis import compliance {records_csv} "
            f"-w {workspace}' and run this again"
        )


@click.group("assess", invoke_without_command=True)
@workspace_option(required=False)
@click.option("--area", help="The area: a zone_id (or a province code with --province).")
@click.option(
    "--province",
    "is_province",
    is_flag=True,
    help="--area is a 2-digit province code, not a zone_id.",
)
@click.option(
    "--round",
    "round_name",
    type=click.Choice(_ROUNDS),
    help="Which round to compute and store (re-running a round replaces it).",
)
@click.option(
    "--date",
    "as_of",
    help="Assessment date YYYY-MM-DD (default: the workspace's compliance_as_of setting, "
    "else today).",
)
@file_option(
    "--scores",
    must_exist=True,
    help="CSV/XLSX of manual indicators: indicator_id,value,evidence[,note].",
)
@click.option("--assessor", help="Who assessed (an office or role).")
@click.option(
    "--surround-m",
    type=click.FloatRange(min=0),
    default=2000.0,
    show_default=True,
    help="Around a zone, factories within this many metres belong to the area.",
)
@file_option(
    "--indicators",
    "indicators_path",
    must_exist=True,
    help="Your own indicator file (TOML; default: the shipped provisional set).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=15,
    show_default=True,
    help="How many guidelines to print.",
)
@lang_option()
@click.pass_context
def assess_group(
    ctx: click.Context,
    workspace: Path | None,
    area: str | None,
    is_province: bool,
    round_name: str | None,
    as_of: str | None,
    scores: Path | None,
    assessor: str | None,
    surround_m: float,
    indicators_path: Path | None,
    top: int,
    lang: str,
) -> None:
    """Assess an area against the eco-industrial town indicators, round by round.

    Computes every indicator the workspace allows (shares of factories in zones, with
    environmental / safety management, CSR-DIW; waste recovered; hazardous waste to
    landfill; water and energy intensity; people near hazardous factories; siting
    breaches; green area), takes manual ones from --scores, and stores the round in
    eit_assessments with date, assessor and evidence. Also writes ranked guidelines
    (eit_guidelines). An indicator whose inputs are missing stays empty with the reason.
    The indicator set is PROVISIONAL (ecogis's own, not DIW's official list).

    \b
    Examples:
      ecogis assess -w ecogis-demo/demo.gpkg --area DEMO-IE-01 --round baseline --date 2025-01-15
      ecogis import compliance updated.csv -w ecogis-demo/demo.gpkg   # the year's changes
      ecogis assess -w ecogis-demo/demo.gpkg --area DEMO-IE-01 --round followup \\
          --date 2026-01-15 --scores manual.csv
      ecogis assess compare -w ecogis-demo/demo.gpkg --area DEMO-IE-01 --out compare.csv
      ecogis assess indicators            # the indicator set and its thresholds
    """
    if ctx.invoked_subcommand is not None:
        return
    missing = [
        n
        for n, v in (("--workspace", workspace), ("--area", area), ("--round", round_name))
        if not v
    ]
    if missing:
        raise click.UsageError(f"missing option(s) {', '.join(missing)}", ctx=ctx)
    from ecogis.tasks.compliance import run_assessment

    assert workspace is not None and area is not None and round_name is not None
    ws = open_workspace(workspace)
    res = run_assessment(
        ws,
        area_id=area,
        area_kind="province" if is_province else "zone",
        round_name=round_name,
        as_of=as_of,
        scores=scores,
        assessor=assessor,
        indicators_path=indicators_path,
        surround_m=surround_m,
    )
    rows = res.rows
    # a note (why a value is missing, what to enter) goes under its row, not in a column
    notes = rows["note"].astype("string").fillna("").tolist()
    _echo_fields(
        rows,
        "eit_assessments",
        ["indicator_id", "level", "name_th", "value", "unit", "threshold", "meets"],
        lang,
        max_rows=200,
        details=notes,
    )
    click.echo("")
    guide = res.guidelines
    click.echo(
        f"แนวทางการพัฒนา / Guidelines (top {min(top, len(guide))} of {len(guide)}; "
        "all in eit_guidelines):"
    )
    _echo_fields(
        guide.head(top),
        "eit_guidelines",
        ["rank", "action", "indicator_id", "detail_th"],
        lang,
        max_rows=top,
        min_text=30,
    )
    info(
        f"{round_name} stored for {res.description} on {rows['assessed_on'].iloc[0]}; "
        f"{int(rows['value'].notna().sum())} of {len(rows)} indicators have a value"
    )
    click.echo(f"area level on this round: {res.level}")
    for line in res.level_reasons:
        click.echo(f"  {line}")
    if res.provisional:
        info(f"indicator set {res.version} is PROVISIONAL — not DIW's official level-2 list")


@assess_group.command("compare")
@workspace_option()
@click.option("--area", required=True, help="The zone_id or province code assessed.")
@file_option("--out", "out_csv", must_exist=False, help="Write the comparison to this CSV.")
@file_option(
    "--indicators",
    "indicators_path",
    must_exist=True,
    help="The indicator file used for the rounds (default: shipped).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (rows and summary).")
@lang_option()
def assess_compare(
    workspace: Path,
    area: str,
    out_csv: Path | None,
    indicators_path: Path | None,
    as_json: bool,
    lang: str,
) -> None:
    """Show baseline vs follow-up: each indicator's change and the area's level.

    Per indicator: baseline, follow-up, change, better/worse (aware of whether higher or
    lower is better), whether it meets the level threshold in each round; then the
    area's overall level in each round with the reasoning.

    \b
    Example:
      ecogis assess compare -w ecogis-demo/demo.gpkg --area DEMO-IE-01 --out compare.csv
    """
    from ecogis.tasks.compliance import compare

    ws = open_workspace(workspace)
    table, summary = compare(ws, area_id=area, indicators_path=indicators_path)
    if out_csv is not None:
        out_csv.parent.mkdir(parents=True, exist_ok=True)
        write_csv(table, out_csv)
    if as_json:
        echo_json(
            {
                "summary": summary,
                "rows": table.astype(object).where(table.notna(), None).to_dict("records"),
            }
        )
        return
    screen = {
        "indicator_id": "id",
        "level": "level",
        f"name_{lang}": "indicator",
        "unit": "unit",
        "threshold": "threshold",
        "baseline": "baseline",
        "followup": "followup",
        "change": "change",
        "improvement": "trend",
    }

    def met(value: object) -> str:
        return "–" if value is None or value is pd.NA else ("yes" if value else "no")

    shown = table[list(screen)].rename(columns=screen)
    shown["met"] = [  # the level threshold, before → after
        f"{met(b)}→{met(f)}"
        for b, f in zip(table["meets_baseline"], table["meets_followup"], strict=True)
    ]
    echo_fitted_table(shown, max_rows=200)
    click.echo("")
    for r in ("baseline", "followup"):
        if summary[f"date_{r}"] is None:
            click.echo(f"{r}: not stored yet — run 'ecogis assess --round {r} ...'")
            continue
        click.echo(f"{r} ({summary[f'date_{r}']}): level {summary[f'level_{r}']}")
        for line in summary[f"reasons_{r}"]:
            click.echo(f"  {line}")
    click.echo(
        f"{summary['better']} better, {summary['worse']} worse, {summary['same']} same, "
        f"{summary['missing']} without both values"
    )
    gap = summary.get("to_level2") or []
    if summary["date_followup"] is not None:
        if gap:
            click.echo("what stands between the area and level 2 (at the follow-up):")
            names = table.set_index("indicator_id")[f"name_{lang}"]
            for g in gap:
                click.echo(
                    f"  {g['indicator_id']} {names.get(g['indicator_id'], '')} — level "
                    f"{g['level']}: {g['why']}"
                )
        else:
            click.echo("level 2 is reached at the follow-up: no indicator stands in the way")
    changed = table[table["improvement"].isin(["better", "worse"])]
    if len(changed):
        click.echo("what changed (evidence at baseline → at follow-up):")
    for rec in changed.to_dict("records"):
        click.echo(
            f"  {rec['indicator_id']} {rec['improvement']}: {rec['evidence_baseline'] or '–'}"
            f" → {rec['evidence_followup'] or '–'}"
        )
    if (changed["improvement"] == "worse").any() and summary["date_followup"]:
        click.echo(
            "  a certificate or report valid at the baseline may have lapsed by the follow-up "
            f"date; list them: ecogis compliance -w {workspace} "
            f"{'--province' if area.isdigit() else '--zone'} {area} --date "
            f"{summary['date_followup']}"
        )
    if out_csv:
        info(f"CSV: {out_csv}")


@assess_group.command("indicators")
@file_option(
    "--indicators",
    "--framework",
    "indicators_path",
    must_exist=True,
    help="An indicator framework to check and list: TOML like the shipped one, or DIW's "
    "official list as CSV/XLSX (default: the shipped PROVISIONAL set).",
)
@file_option(
    "--template",
    must_exist=False,
    help="Write a CSV of the manual indicators to fill in for --scores.",
)
@file_option(
    "--framework-template",
    "framework_template",
    must_exist=False,
    help="Write the framework as an official-list CSV (one row per indicator, thresholds "
    "level_1 … level_5) to fill with DIW's list and pass back with --framework.",
)
def assess_indicators(
    indicators_path: Path | None, template: Path | None, framework_template: Path | None
) -> None:
    """List the framework: dimension → aspect → indicator, thresholds per level, method.

    Checks a planner's own framework too — DIW's official list as CSV/XLSX (one row per
    indicator: dimension, aspect, indicator_id, name_th, unit, direction, level_1 …
    level_5) or a TOML like the shipped one; a malformed file is reported with its row
    and column. Says how its shape compares with DIW's 2017 criteria (5 dimensions, 20
    aspects, 41 indicators, 5 levels). --template writes a sheet for the manual
    indicators to fill in and pass with 'assess --scores'.

    \b
    Example:
      ecogis assess indicators --framework-template framework.csv   # fill it in
      ecogis assess indicators --framework framework.csv
      ecogis assess indicators --template manual.csv
    """
    from ecogis import eit

    s = eit.load_indicators(indicators_path)
    if framework_template is not None:
        from ecogis.eit.framework_table import framework_table

        write_csv(framework_table(s), framework_template)
        info(f"the framework as an official-list table: {framework_template}")
    if template is not None:
        manual = [i for i in s.indicators if i.is_manual]
        pd.DataFrame(
            {
                "indicator_id": [i.id for i in manual],
                "value": "",
                "evidence": "",
                "note": [f"{i.name_th} / {i.name_en} ({i.unit})" for i in manual],
            }
        ).pipe(write_csv, template)
        info(f"template for {len(manual)} manual indicators: {template}")
    from ecogis.eit.framework import DIW_2017_SHAPE

    rows = []
    for d in s.dimensions:
        for a in d.aspects:
            for i in a.indicators:
                rows.append(
                    {
                        "dimension": d.id,
                        "aspect": a.name_en or a.name_th,
                        "id": i.id,
                        "name_en": i.name_en,
                        "unit": i.unit,
                        "better": i.direction,
                        **{f"L{lv}": i.threshold_at(lv) for lv in (1, 2, 3, 4, 5)},
                        "method": i.computation,
                    }
                )
    table = pd.DataFrame(rows)
    table = table.drop(columns=[c for c in ("L3", "L4", "L5") if table[c].isna().all()])
    echo_fitted_table(table, max_rows=200)
    shape = s.shape()
    levels = ", ".join(f"{lv.level} {lv.name_th} ({lv.name_en})" for lv in s.levels[:2])
    info(
        f"{s.source}: {shape['dimensions']} dimensions, {shape['aspects']} aspects, "
        f"{shape['indicators']} indicators, version {s.version}"
        + (" (PROVISIONAL — not DIW's official list)" if s.provisional else "")
    )
    if levels:
        info(
            f"levels: {levels} …; rule: {s.pass_share:.0%} of judged indicators meet, "
            f"{s.min_coverage:.0%} have a value, levels cumulative"
        )
    if not s.provisional and shape != DIW_2017_SHAPE:
        info(
            "note: DIW's 2017 criteria have 5 dimensions, 20 aspects, 41 indicators and 5 "
            f"levels; this list has {shape['dimensions']}, {shape['aspects']}, "
            f"{shape['indicators']} and {shape['levels']}"
        )


def register(cli: click.Group) -> None:
    """Add ``compliance`` and ``assess`` to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(compliance_cmd)
    cli.add_command(assess_group)
