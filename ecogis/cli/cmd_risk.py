"""``ecogis risk`` (the whole proximity-risk analysis), ``risk scenario``, ``risk factories``."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from ecogis import schema
from ecogis.cli._common import (
    echo_fitted_table,
    echo_json,
    file_option,
    info,
    open_workspace,
    workspace_option,
)
from ecogis.receptors import sensitive_kind_labels


def _bands(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, ...]:
    try:
        vals = tuple(float(v) for v in value.split(",") if v.strip())
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not a list of metres, e.g. 500,1000,3000,5000"
        ) from exc
    if not vals or any(v <= 0 for v in vals):
        raise click.BadParameter("bands must be distances > 0 in metres")
    return vals


_population_option = file_option(
    "--population",
    must_exist=True,
    help="Population raster (GeoTIFF, e.g. WorldPop 100 m counts). Default: the raster "
    "recorded in the workspace, if any.",
)
_kind_option = click.option(
    "--population-kind",
    type=click.Choice(["auto", "count", "density"]),
    default="auto",
    show_default=True,
    help="count = persons per pixel; density = persons per km² (multiplied by the true pixel "
    "area); auto reads the band's 'kind'/'units' tags, else count.",
)


_SUMMARY_ROWS = (
    "n_receptors",
    "n_villages",
    "n_sensitive",
    "village_population",
    "n_population_unknown",
    "raster_population",
    "n_factories",
    "n_hazardous",
)
"""Fields of the scenario summary on screen, one row each (``risk_scenario``)."""
_PART_OF = {"n_villages", "n_sensitive", "n_population_unknown", "n_hazardous"}
"""Rows that count part of the row above them, indented on screen."""


def _headers(layer: str, names: list[str]) -> dict[str, str]:
    """Return the contract's short headers of ``names`` (English: the risk screens' language)."""
    return schema.contract(layer).headers(names, "en")


def _summary_for_screen(summary: pd.DataFrame) -> pd.DataFrame:
    """Turn the scenario summary on its side: one row per measure, one column per ring."""
    words = _headers("risk_scenario", list(_SUMMARY_ROWS))
    words["n_sensitive"] += f" ({', '.join(sensitive_kind_labels('en'))})"
    out = pd.DataFrame({"": [("  " if k in _PART_OF else "") + words[k] for k in _SUMMARY_ROWS]})
    for rec in summary.to_dict("records"):
        label = f"{rec['ring']} {rec['radius_m'] / 1000:g} km"
        out[label] = pd.Series([rec[k] for k in _SUMMARY_ROWS], dtype="Float64").round(0)
    return out


@click.group("risk", invoke_without_command=True)
@workspace_option(required=False)
@click.option(
    "--radius-m",
    type=float,
    default=5000.0,
    show_default=True,
    help="Search radius of the proximity score (metres).",
)
@click.option(
    "--bands",
    "bands",
    default="500,1000,3000,5000",
    show_default=True,
    callback=_bands,
    help="Distance bands in metres, comma-separated.",
)
@click.option(
    "--min-distance-m",
    type=float,
    default=None,
    help="Distance floor (m). Default: 0.9·√(area/π) for polygon receptors, "
    "100 m when receptors are points.",
)
@_population_option
@_kind_option
@file_option(
    "--hazard-catalogue",
    must_exist=True,
    help="Your own hazard catalogue CSV "
    "(match,code,hazard_class,weight,reason) instead of the package's.",
)
@file_option(
    "--siting-rules", must_exist=True, help="Your own siting-rules CSV instead of the package's."
)
@click.option(
    "--top", type=int, default=10, show_default=True, help="How many top receptors to print."
)
@click.pass_context
def risk_group(
    ctx: click.Context,
    workspace: Path | None,
    radius_m: float,
    bands: tuple[float, ...],
    min_distance_m: float | None,
    population: Path | None,
    population_kind: str,
    hazard_catalogue: Path | None,
    siting_rules: Path | None,
    top: int,
) -> None:
    """Proximity risk: who lives near hazardous factories (ความเสี่ยงจากความใกล้โรงงาน).

    Without a sub-command, runs the whole analysis on the workspace and writes, in one go,
    risk_receptors, risk_factories, risk_zones, siting_flags, risk_summary and
    risk_exposure. See docs/risk.md for the method.

    The table of top receptors: score = Σ hazard weight / distance in km over the hazardous
    factories within --radius-m (EJScreen-style); pct = population-weighted percentile of
    the score; within = hazardous factories within the radius; nearest_m = metres to the
    nearest one. Receptors need a population for the people counts (else 'unknown').

    \b
    Examples:
      ecogis risk -w ws.gpkg
      ecogis risk -w ws.gpkg --radius-m 10000 --bands 500,1000,5000 --population pop.tif
      ecogis risk -w ws.gpkg --hazard-catalogue my_hazards.csv --min-distance-m 100
      ecogis risk factories -w ws.gpkg --search ก๊าซ
      ecogis risk scenario -w ws.gpkg --factory 3-89-1/55ปจ --radius-m 5000 --cordon-m 500
    """
    ctx.ensure_object(dict)
    ctx.obj["risk_workspace"] = workspace
    if ctx.invoked_subcommand is not None:
        return
    from ecogis.risk import TOP_COLUMNS, top_table
    from ecogis.tasks.risk import RiskOptions, run_risk

    if workspace is None:
        raise click.UsageError("give the workspace: ecogis risk -w FILE.gpkg")
    ws = open_workspace(workspace)
    result = run_risk(
        ws,
        RiskOptions(
            radius_m=radius_m,
            bands_m=bands,
            min_distance_m=min_distance_m,
            population=population,
            population_kind=population_kind,
            hazard_catalogue=hazard_catalogue,
            siting_rules=siting_rules,
            top=top,
        ),
    )
    table = top_table(result.top, columns=TOP_COLUMNS[:-1])  # nearest_id: in the layer
    echo_fitted_table(table.rename(columns=_headers("risk_receptors", list(table.columns))))
    for line in result.lines:
        info(line)
    info(
        f"written to {workspace}: risk_receptors, risk_factories, risk_zones, siting_flags, "
        "risk_summary, risk_exposure"
    )


@risk_group.command("scenario")
@workspace_option(required=False)
@click.option(
    "--factory",
    "factory_id",
    required=True,
    help="The factory's ID (DIW registration no.); see 'ecogis risk factories'.",
)
@click.option(
    "--radius-m",
    type=float,
    default=5000.0,
    show_default=True,
    help="Evacuation radius (metres); Bang Phli 2021: 5 km.",
)
@click.option(
    "--cordon-m",
    type=float,
    default=500.0,
    show_default=True,
    help="Cordon (metres); Bang Phli 2021: 500 m.",
)
@_population_option
@_kind_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary and receptors as JSON.")
@file_option(
    "--csv",
    "csv_path",
    must_exist=False,
    help="Where to write the table (default: scenario_<ID>.csv next to the workspace).",
)
@click.pass_context
def scenario_cmd(
    ctx: click.Context,
    workspace: Path | None,
    factory_id: str,
    radius_m: float,
    cordon_m: float,
    population: Path | None,
    population_kind: str,
    as_json: bool,
    csv_path: Path | None,
) -> None:
    """Who is inside the cordon and evacuation radius of one factory.

    Prints the table, writes it as CSV and as the layers risk_scenario (rings) and
    risk_scenario_receptors.

    \b
    Examples:
      ecogis risk scenario -w ws.gpkg --factory "3-89-1/55ปจ"
      ecogis risk scenario -w ws.gpkg --factory "3-89-1/55ปจ" --radius-m 3000 --cordon-m 300
    """
    from ecogis.tasks.risk import run_scenario

    path = workspace or (ctx.obj or {}).get("risk_workspace")
    if path is None:
        raise click.UsageError("give the workspace: ecogis risk scenario -w FILE --factory ID")
    ws = open_workspace(path)
    result, written = run_scenario(
        ws,
        factory_id,
        radius_m=radius_m,
        cordon_m=cordon_m,
        population=population,
        population_kind=population_kind,
        csv_path=csv_path,
    )
    cols = ["ring", "distance_m", "community_id", "name_th", "kind", "sensitive", "population"]
    if as_json:
        near = result.nearest
        echo_json(
            {
                "factory_id": factory_id,
                "factory": result.site,
                "summary": json.loads(result.summary.to_json(orient="records")),
                "receptors": json.loads(
                    pd.DataFrame(result.receptors[cols]).to_json(orient="records")
                ),
                "nearest_receptor": None
                if near is None
                else {"community_id": near[0], "name_th": near[1], "distance_m": near[2]},
                "csv": str(written),
            }
        )
        return
    from ecogis.tasks.risk import scenario_title

    info(scenario_title(result))
    table = pd.DataFrame(result.receptors[cols]).round({"distance_m": 0})
    echo_fitted_table(
        table.rename(columns=_headers("risk_scenario_receptors", cols)),
        max_rows=len(table) or 1,
    )
    click.echo("")
    echo_fitted_table(_summary_for_screen(result.summary), max_rows=20)
    if result.nearest is not None:
        cid, name, dist = result.nearest
        where = f"{dist:,.0f} m" if dist < 1000 else f"{dist / 1000:,.2f} km"
        info(f"nearest receptor: {name} ({cid}) at {where}")
    if result.summary["n_receptors"].max() == 0:
        info(f"no community or receptor lies within {radius_m:g} m of {factory_id}")
    info(
        f"table written to {written}; layers risk_scenario and risk_scenario_receptors "
        f"updated in {path}"
    )


@risk_group.command("factories")
@workspace_option(required=False)
@click.option("--search", help="Text in the ID or the name (Thai or English).")
@click.option("--hazardous", is_flag=True, help="Only hazard class high or medium.")
@click.pass_context
def factories_cmd(
    ctx: click.Context, workspace: Path | None, search: str | None, hazardous: bool
) -> None:
    """List factory IDs with name, type, class and hazard (to choose a scenario).

    \b
    Example:
      ecogis risk factories -w ws.gpkg --hazardous --search เคมี
    """
    from ecogis.tasks.risk import list_factories

    path = workspace or (ctx.obj or {}).get("risk_workspace")
    if path is None:
        raise click.UsageError("give the workspace: ecogis risk factories -w FILE")
    echo_fitted_table(
        list_factories(open_workspace(path), search=search, hazardous_only=hazardous), max_rows=200
    )


def register(cli: click.Group) -> None:
    """Add ``risk`` and its sub-commands to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(risk_group)
