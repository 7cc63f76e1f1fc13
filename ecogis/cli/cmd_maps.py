"""``ecogis map``, ``ecogis report`` and ``ecogis assets``.

Web maps, province reports, and the offline copies of the map assets.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ecogis.cli._common import (
    echo_json,
    engine_option,
    file_option,
    info,
    lang_option,
    open_workspace,
    workspace_option,
)


def _asset_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option(
        "--date",
        "as_of",
        default=None,
        help="Assessment date of the factories' compliance status (a licence past its "
        "valid_until is expired) [default: as 'ecogis compliance': the workspace's "
        "assessment date, else today].",
    )(func)
    func = click.option(
        "--tiles",
        default=None,
        help="Basemap: osm, none, a URL template …/{z}/{x}/{y}.png, or a local tile folder "
        "[default: osm with --assets cdn, else none].",
    )(func)
    func = click.option(
        "--offline",
        is_flag=True,
        help="Inline the JS/CSS into the HTML (the default; with --assets DIR, from that folder).",
    )(func)
    func = click.option(
        "--assets",
        "assets",
        default=None,
        envvar="ECOGIS_ASSETS",
        show_envvar=True,
        help="Where Leaflet and its plugins come from: 'cdn' (jsDelivr), or a local folder "
        "or intranet URL filled by 'ecogis assets fetch DIR' [default: the copies shipped "
        "with ecogis, inlined — one file that needs no internet].",
    )(func)
    return func


def _show(summary: Any, as_json: bool) -> None:
    """Print a task summary: its JSON, or its lines."""
    from ecogis.tasks.maps import as_dict

    if as_json:
        echo_json(as_dict(summary))
        return
    for line in summary.lines():
        info(line)


@click.command("map")
@workspace_option()
@engine_option()
@click.option(
    "--recipe",
    "-r",
    default="overview",
    show_default=True,
    help="Recipe name in maps/ (overview, risk, symbiosis, action_plan) or a recipe .toml file.",
)
@click.option(
    "--province",
    "-p",
    "province_code",
    default=None,
    help="One province (2-digit code, e.g. 25), several (21,24,25) or 'all' for a national "
    "map [default: every layer of the workspace, like all].",
)
@click.option(
    "--indicator", default=None, help="Choropleth indicator id of the recipe (default: its first)."
)
@click.option(
    "--colour-by",
    "colour_by",
    type=click.Choice(["hazard", "compliance", "class"]),
    default=None,
    help="Colour the factories by hazard class, compliance status or factory class "
    "[default: as the recipe says].",
)
@lang_option()
@_asset_options
@file_option("--out", "-o", "out", help="HTML file to write.", must_exist=False)
@click.option("--list-recipes", is_flag=True, help="List the shipped recipes and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def map_cmd(
    workspace: Path,
    engine: str,
    recipe: str,
    province_code: str | None,
    indicator: str | None,
    colour_by: str | None,
    lang: str,
    assets: str | None,
    offline: bool,
    tiles: str | None,
    as_of: str | None,
    out: Path | None,
    list_recipes: bool,
    as_json: bool,
) -> None:
    """Write a web map of the workspace (folium/Leaflet HTML).

    Layers, styles, popups and legends come from the recipe and the layer contract;
    layers the workspace does not have yet are skipped with a note. Thai by default.

    \b
    Examples:
      ecogis map -w demo.gpkg --recipe risk --province 25 --out risk.html
      ecogis map -w national.gpkg --recipe national --province all --out thailand.html
      ecogis map -w demo.gpkg --lang en --assets /srv/ecogis-assets --out map.html
      ecogis map -w demo.gpkg --assets cdn --tiles osm --out map_online.html
    """
    from ecogis.tasks.maps import make_map
    from ecogis.webmap import load_recipe, recipe_names
    from ecogis.webmap.assets import AssetSource

    if list_recipes:
        for name in recipe_names():
            rec = load_recipe(name)
            indicators = ", ".join(i.id for i in rec.indicators) or "-"
            click.echo(f"{name}\t{rec.title_th} / {rec.title_en}\tindicators: {indicators}")
        return
    if out is None:
        raise click.UsageError("--out FILE.html is required")
    ws = open_workspace(workspace, engine)
    summary = make_map(
        ws,
        out,
        recipe=recipe,
        province_code=province_code,
        lang=lang,
        indicator=indicator,
        assets=AssetSource.from_options(assets, offline),
        tiles=tiles,
        as_of=as_of,
        colour_by=colour_by,
    )
    _show(summary, as_json)


@click.group("report", invoke_without_command=True)
@workspace_option(required=False)
@engine_option()
@click.option("--province", "-p", "province_code", default=None, help="Province code (2 digits).")
@click.option(
    "--all", "all_provinces", is_flag=True, help="All 15 target provinces and an index page."
)
@file_option("--out", "-o", "out", help="HTML or PDF file (with --province).", must_exist=False)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder (with --all).",
)
@lang_option()
@_asset_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def report_cmd(
    ctx: click.Context,
    workspace: Path | None,
    engine: str,
    province_code: str | None,
    all_provinces: bool,
    out: Path | None,
    out_dir: Path | None,
    lang: str,
    assets: str | None,
    offline: bool,
    tiles: str | None,
    as_of: str | None,
    as_json: bool,
) -> None:
    """Write the action-plan report of a province, or of all 15 target provinces.

    The report embeds the province map and lists the action plan, risk hotspots and
    siting breaches, symbiosis opportunities, compliance gaps and the indicators with
    baseline and follow-up, with charts. --out FILE.pdf writes an A4 PDF (WeasyPrint,
    Thai laid out by Pango; a static map in place of the interactive one).
    'ecogis report upgrade' writes the upgrade report of an area (TOR 5.7).

    \b
    Examples:
      ecogis report -w demo.gpkg --province 25 --out report_25.html
      ecogis report -w demo.gpkg --province 25 --out report_25.pdf
      ecogis report upgrade -w demo.gpkg --area DEMO-IE-01 --out upgrade.pdf
      ecogis report -w project.gpkg --all --out-dir reports/
    """
    from ecogis.tasks.maps import as_dict
    from ecogis.tasks.reports import make_all_reports, make_report
    from ecogis.webmap.assets import AssetSource

    if ctx.invoked_subcommand is not None:
        return
    if workspace is None:
        raise click.UsageError("missing option --workspace / -w", ctx=ctx)
    if all_provinces == (province_code is not None):
        raise click.UsageError("give either --province CODE (with --out) or --all (with --out-dir)")
    source = AssetSource.from_options(assets, offline)
    ws = open_workspace(workspace, engine)
    if all_provinces:
        if out_dir is None:
            raise click.UsageError("--all needs --out-dir DIR")
        summaries, index = make_all_reports(
            ws, out_dir, lang=lang, assets=source, tiles=tiles, as_of=as_of
        )
        if as_json:
            echo_json({"index": str(index), "reports": [as_dict(s) for s in summaries]})
            return
        for s in summaries:
            for line in s.lines():
                info(line)
        info(f"index: {index}")
        return
    if out is None:
        raise click.UsageError("--province needs --out FILE.html (or FILE.pdf)")
    summary = make_report(
        ws,
        out,
        province_code=str(province_code),
        lang=lang,
        assets=source,
        tiles=tiles,
        as_of=as_of,
    )
    _show(summary, as_json)


@click.group("assets")
def assets_group() -> None:
    """Folders of the web-map JavaScript and CSS for an intranet server.

    Maps need none of this: they inline the copies of Leaflet and its plugins that ship
    with ecogis. A folder is for serving the files once from an intranet server
    (--assets URL), for folium's other defaults (bootstrap, jQuery, Font Awesome), and for
    newer versions.

    \b
    Example:
      ecogis assets fetch ./ecogis-assets && ecogis assets check ./ecogis-assets
      ecogis map -w ecogis-demo/demo.gpkg --assets http://intranet/ecogis-assets --out m.html
    """


@assets_group.command("fetch")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--npm", default="npm", show_default=True, help="The npm executable to run.")
def assets_fetch(target: Path | None, npm: str) -> None:
    """Fill TARGET with the map assets from the npm registry (runs 'npm pack').

    TARGET defaults to $ECOGIS_ASSETS, else ~/.cache/ecogis/assets.

    npm uses your usual registry and proxy settings (~/.npmrc). Copy the folder to an
    intranet server and pass its URL as --assets (pages then link to it instead of
    carrying the files); 'ecogis map --offline --assets TARGET' inlines from it.

    \b
    Example:
      ecogis assets fetch ./ecogis-assets
    """
    from ecogis.webmap.assets import default_assets_dir, fetch_assets

    if target is None:
        target = default_assets_dir()
    for line in fetch_assets(target, npm=npm):
        info(line)
    info(
        f"assets ready in {target} — use --assets {target} "
        f"(or set ECOGIS_ASSETS={os.fspath(target)})"
    )


@assets_group.command("check")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path), required=False)
def assets_check(target: Path | None) -> None:
    """Check that TARGET has every file a map loads.

    TARGET defaults to where 'ecogis assets fetch' puts the assets.

    \b
    Example:
      ecogis assets check ./ecogis-assets
    """
    from ecogis.webmap.assets import AssetSource, default_assets_dir

    if target is None:
        target = default_assets_dir()
    AssetSource("local", str(target)).check()
    info(f"{target}: every map asset is present")


def register(cli: click.Group) -> None:
    """Add ``map``, ``report`` and ``assets`` to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """
    cli.add_command(map_cmd)
    cli.add_command(report_cmd)
    cli.add_command(assets_group)
