"""``ecogis massbalance``, ``ecogis symbiosis`` and ``ecogis symbiosis receivers``."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ecogis.cli._common import (
    echo_json,
    echo_table,
    info,
    json_option,
    lang_option,
    open_workspace,
    workspace_option,
)
from ecogis.flows import DEFAULT_TOLERANCE
from ecogis.importers.csvout import write_csv
from ecogis.symbiosis.allocation import OBJECTIVES
from ecogis.symbiosis.options import SymbiosisOptions


@click.command("massbalance")
@workspace_option()
@click.option("--zone", help="Only the factories of this industrial zone (zone_id).")
@click.option(
    "--tolerance",
    type=click.FloatRange(0, 1),
    default=DEFAULT_TOLERANCE,
    show_default=True,
    help="Largest |in − out| / max(in, out) for a balance to count as closed.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the table as CSV."
)
@json_option()
def massbalance_cmd(
    workspace: Path, zone: str | None, tolerance: float, out: Path | None, as_json: bool
) -> None:
    """Compare inputs with outputs per factory: closure check, intensities, zone/province totals.

    Writes the workspace tables mass_balance and mass_balance_areas.

    \b
    Example:
      ecogis massbalance --workspace ecogis-demo/demo.gpkg --out mass_balance.csv
    """
    from ecogis.tasks.symbiosis import run_massbalance

    ws = open_workspace(workspace)
    result = run_massbalance(ws, zone=zone, tolerance=tolerance)
    if out is not None:
        write_csv(result.balance, out, encoding="utf-8")
        info(f"wrote {out}")
    if as_json:
        echo_json(
            {
                "factories": _records(result.balance),
                "areas": _records(result.areas),
            }
        )
    else:
        cols = ["factory_id", "inputs_t_yr", "outputs_t_yr", "closure", "status", "explanation"]
        echo_table(result.balance[cols].round(2), max_colwidth=70)
        click.echo("")
        area_cols = [
            "area_type", "area_id", "factories", "factories_closed", "inputs_t_yr",
            "water_m3_per_t_product", "energy_mwh_per_worker", "waste_t_per_t_product",
        ]  # fmt: skip
        echo_table(result.areas[area_cols].round(3))
    for line in result.lines:
        info(line)


@click.group("symbiosis", invoke_without_command=True)
@workspace_option(required=False)
@click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default="benefit",
    show_default=True,
    help="What the allocation maximises: net benefit (THB/yr), tonnes diverted, or CO2e avoided.",
)
@click.option("--zone", help="Only the streams of factories in this industrial zone (zone_id).")
@click.option(
    "--detour",
    type=click.FloatRange(1.0, 3.0),
    default=1.3,
    show_default=True,
    help="Road km per straight-line km.",
)
@click.option(
    "--roads",
    help="Road lines (a workspace layer or a file): shortest-path distances instead of "
    "straight line × detour.",
)
@click.option(
    "--carbon-price",
    type=click.FloatRange(0),
    default=0.0,
    show_default=True,
    help="THB per t CO2e added to the money benefit.",
)
@click.option(
    "--grade-confidence",
    default="A=1,B=0.6,C=0.3",
    show_default=True,
    callback=lambda _ctx, _param, value: _grade_confidence(value),
    help="Weight of each evidence grade in the objective (expected benefit); "
    "1,1,1 maximises the plain objective.",
)
@click.option(
    "--hm-not-hazardous",
    is_flag=True,
    help="Treat mirror entries (HM) as non-hazardous (only when tests show they are).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the chosen exchanges as CSV.",
)
@json_option()
@click.pass_context
def symbiosis_group(
    ctx: click.Context,
    workspace: Path | None,
    objective: str,
    zone: str | None,
    detour: float,
    roads: str | None,
    carbon_price: float,
    grade_confidence: dict[str, float],
    hm_not_hazardous: bool,
    out: Path | None,
    as_json: bool,
) -> None:
    """Find and allocate waste exchanges between factories (industrial symbiosis).

    Reads factories and material_flows; writes symbiosis_candidates, symbiosis_streams,
    symbiosis_links and symbiosis_summary.

    \b
    Examples:
      ecogis symbiosis --workspace ecogis-demo/demo.gpkg
      ecogis symbiosis --workspace w.gpkg --objective tonnes --zone DEMO-IE-01
      ecogis symbiosis receivers 10 01 02 --top 5
    """
    if ctx.invoked_subcommand is not None:
        return
    if workspace is None:
        raise click.UsageError("give --workspace (or set ECOGIS_WORKSPACE)")
    from ecogis.tasks.symbiosis import run_symbiosis

    opts = SymbiosisOptions(
        detour_factor=detour,
        carbon_price_thb_per_t=carbon_price,
        hm_is_hazardous=not hm_not_hazardous,
        grade_confidence=grade_confidence,
    )
    ws = open_workspace(workspace)
    result = run_symbiosis(ws, objective=objective, zone=zone, options=opts, roads=roads)
    table = pd.DataFrame(result.links.drop(columns="geometry"))
    if out is not None:
        write_csv(table, out, encoding="utf-8")
        info(f"wrote {out}")
    if as_json:
        echo_json(
            {
                "totals": result.totals,
                "exchanges": table.to_dict("records"),
                "by_material": _records(result.by_material),
                "unallocated": result.streams[result.streams["unallocated"] > 0].to_dict("records"),
            }
        )
    else:
        cols = [
            "material", "waste_code", "provider_id", "receiver_id", "receiver_tsic", "quantity",
            "unit", "distance_km", "benefit_thb_yr", "grade",
        ]  # fmt: skip
        echo_table(table[cols].round(1), max_rows=60)
        if len(result.by_material):
            click.echo("")
            click.echo("per material (where the totals come from; money and CO2e indicative):")
            mat_cols = [
                "material", "exchanges", "quantity", "unit", "diverted_t_yr", "net_co2e_t_yr",
                "benefit_thb_yr", "share_of_benefit", "indicative_share", "already_sold",
            ]  # fmt: skip
            echo_table(result.by_material[mat_cols].round(2), max_rows=80)
    for line in result.lines:
        info(line)


@symbiosis_group.command("receivers")
@click.argument("waste_code", nargs=-1, required=True)
@click.option("--top", type=click.IntRange(1, 100), default=10, show_default=True)
@json_option()
@lang_option()
def receivers_cmd(waste_code: tuple[str, ...], top: int, as_json: bool, lang: str) -> None:
    """Rank the industries that can receive a waste code (or a material such as fly_ash).

    Codes are accepted as 100102, 10 01 02 (quoted or not), 10-01-02, with or without the
    hazardous mark *.

    \b
    Examples:
      ecogis symbiosis receivers 100102 --top 5
      ecogis symbiosis receivers "13 02 05*" --json
      ecogis symbiosis receivers cassava_pulp
    """
    from ecogis.symbiosis.catalogue import receivers_query

    found = receivers_query(" ".join(waste_code), top=top)
    if as_json:
        echo_json(
            [
                {
                    "tsic": r["tsic"],
                    "use": r["use_en"],
                    "score": round(float(r["score"]), 3),
                    "description": r["description_en"],
                    "use_th": r["use_th"],
                    "description_th": r["description_th"],
                    "level": r["level"],
                    "matched_key": r["matched_key"],
                    "confidence": float(r["confidence"]),
                    "basis": r["basis"],
                }
                for r in found.to_dict("records")
            ]
        )
        return
    if found.empty:
        info(
            "no receiving industry known for this code; "
            "docs/symbiosis.md says how to extend the catalogue"
        )
        return
    desc = "description_th" if lang == "th" else "description_en"
    use = "use_th" if lang == "th" else "use_en"
    table = found.assign(rank=range(1, len(found) + 1))[["rank", "tsic", desc, use, "score"]]
    echo_table(table.round(3), max_colwidth=60)


def _grade_confidence(value: str) -> dict[str, float]:
    """``--grade-confidence`` text → weights per grade (a usage error when unreadable)."""
    from ecogis.errors import EcogisError
    from ecogis.symbiosis.allocation import parse_grade_confidence

    try:
        return parse_grade_confidence(value)
    except EcogisError as exc:
        raise click.BadParameter(str(exc)) from exc


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as JSON-ready dicts: missing values become null, not NaN or '<NA>'."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in clean.to_dict("records")]


def register(cli: click.Group) -> None:
    """Add ``massbalance`` and the ``symbiosis`` group to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(massbalance_cmd)
    cli.add_command(symbiosis_group)
