"""``ecogis programme``: the TOR deliverables — target, count so far, met or not."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ecogis.cli._common import (
    echo_fitted_table,
    echo_json,
    file_option,
    info,
    lang_option,
    open_workspace,
    workspace_option,
)


@click.command("programme")
@workspace_option()
@click.option("--province", help="Only this province (2-digit code, e.g. 25).")
@click.option("--area", help="The upgraded area: a zone_id (the zone and --surround-m around it).")
@click.option(
    "--surround-m",
    type=click.FloatRange(min=0),
    default=2000.0,
    show_default=True,
    help="Around a zone, factories within this many metres belong to the area.",
)
@click.option(
    "--date",
    "as_of",
    help="Date of the compliance rule YYYY-MM-DD (default: the workspace's compliance_as_of).",
)
@file_option(
    "--targets",
    "targets_path",
    must_exist=True,
    help="Your own TOR targets (TOML; default: the shipped ecogis/catalogue/tor_targets.toml).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of the deliverables.")
@lang_option()
def programme_cmd(
    workspace: Path,
    province: str | None,
    area: str | None,
    surround_m: float,
    as_of: str | None,
    targets_path: Path | None,
    as_json: bool,
    lang: str,
) -> None:
    """Show each TOR deliverable: its target, the count so far, and met or not.

    Counted from the activity ledger (ecogis import activities): committee meetings and
    workshops per province, factories trained and on a study tour, consulting man-days
    and the consulting report; and the database check — factories of the area whose
    compliance record (every requirement has a status) and mass balance (raw materials,
    energy and water in; products and waste out) are both complete, with what each
    incomplete factory lacks. Nothing is written.

    \b
    Examples:
      ecogis programme -w ecogis-demo/demo.gpkg --area DEMO-IE-01
      ecogis programme -w ecogis-demo/demo.gpkg --province 25 --json
      ecogis import activities signin.xlsx -w ecogis-demo/demo.gpkg   # record an activity
    """
    from ecogis.programme import describe_lacks
    from ecogis.programme.words import words
    from ecogis.tasks.programme import run_programme

    ws = open_workspace(workspace)
    res = run_programme(
        ws,
        province=province,
        area=area,
        as_of=as_of,
        targets_path=targets_path,
        surround_m=surround_m,
    )
    if as_json:
        echo_json(res.as_records())
        return
    w = words(lang)
    table = res.progress
    lang = "th" if lang == "th" else "en"
    screen = pd.DataFrame(
        {
            w["col_deliverable"]: table[f"name_{lang}"],
            w["col_scope"]: table[f"scope_{lang}"],
            w["col_target"]: table["target"],
            w["col_actual"]: table["actual"],
            w["col_met"]: [w["met"] if m else w["not_met"] for m in table["met"]],
        }
    )
    echo_fitted_table(screen, max_rows=200, min_text=24, details=table[f"detail_{lang}"].tolist())
    missing = res.incomplete()
    if len(missing):
        click.echo("")
        click.echo(w["incomplete_head"].format(n=len(missing)))
        for _, row in missing.iterrows():
            lacks = describe_lacks(
                row,
                requirements=res.requirements,
                mass_balance=res.targets.mass_balance,
                lang=lang,
            )
            click.echo(f"  {row['factory_id']}  {row[f'name_{lang}'] or ''} — {lacks}")
    scope = (res.selection_th or res.selection) if lang == "th" else res.selection
    info(
        w["summary"].format(
            scope=scope,
            met=int(table["met"].sum()),
            total=len(table),
            version=res.targets.version,
            as_of=res.as_of,
        )
    )
    for note in res.notes:
        info(f"note: {note}")


@click.command("upgrade")
@workspace_option()
@click.option("--area", required=True, help="The zone_id assessed (baseline and follow-up).")
@file_option(
    "--out",
    "out",
    must_exist=False,
    help="The report to write: FILE.pdf (A4, for print) or FILE.html.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@lang_option()
def upgrade_cmd(workspace: Path, area: str, out: Path | None, as_json: bool, lang: str) -> None:
    """Write the upgrade report of an area toward DIW's level 2 (TOR 5.7).

    Cover and summary; the area before and after (two static maps: factories coloured
    by compliance at baseline and follow-up, the zone, sensitive receptors, siting
    breaches); the indicators baseline → follow-up → level-2 threshold with a chart and
    what still stands between the area and level 2; TOR progress and the activity ledger;
    the factory database; per-factory progress; the symbiosis exchanges started;
    guidelines for what remains. Needs both assessment rounds of the area (ecogis assess).

    \b
    Examples:
      ecogis report upgrade -w ecogis-demo/demo.gpkg --area DEMO-IE-01 --out upgrade.pdf
      ecogis report upgrade -w ecogis-demo/demo.gpkg --area DEMO-IE-01 --out upgrade.html \\
          --lang en
    """
    from ecogis.tasks.programme import make_upgrade_report

    if out is None:
        raise click.UsageError("--out FILE.pdf (or FILE.html) is required")
    ws = open_workspace(workspace)
    summary = make_upgrade_report(ws, out, area=area, lang=lang)
    if as_json:
        echo_json(
            {
                "path": str(summary.path),
                "area": summary.area,
                "kind": summary.kind,
                "size_bytes": summary.size_bytes,
                "level_baseline": summary.level_baseline,
                "level_followup": summary.level_followup,
            }
        )
        return
    for line in summary.lines():
        info(line)


def register(cli: click.Group) -> None:
    """Add ``programme`` to the ``ecogis`` group and ``upgrade`` to ``ecogis report``.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; ``programme`` is added to it, and ``upgrade`` to its
        ``report`` group when that is registered already (``cmd_maps`` comes first).
    """
    cli.add_command(programme_cmd)
    report = cli.commands.get("report")
    if isinstance(report, click.Group):
        report.add_command(upgrade_cmd)
