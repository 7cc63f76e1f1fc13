"""Workspace jobs of the web maps: read the layers a recipe needs, build, write the HTML.

:func:`make_map` writes one map; :func:`map_of` builds one for another page (the report
embeds it); :func:`demo_step` writes the demo's maps. Province reports are in
:mod:`ecogis.tasks.reports`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis.errors import WorkspaceError
from ecogis.webmap import (
    MapResult,
    Province,
    Recipe,
    build_map,
    load_recipe,
    save_map,
)
from ecogis.webmap.area import Area, parse_area
from ecogis.webmap.assets import AssetSource
from ecogis.webmap.basemap import BASEMAP_LAYERS
from ecogis.webmap.recipe import COLOUR_BY
from ecogis.workspace import Workspace

log = logging.getLogger(__name__)

DEMO_RECIPES = ("overview", "risk", "symbiosis", "action_plan")
"""The map products the demo writes (one file each)."""


@dataclass
class MapSummary:
    """What :func:`make_map` wrote."""

    path: Path
    recipe: str
    province: str | None
    layers: list[str]
    notes: list[str] = field(default_factory=list)
    size_bytes: int = 0

    def lines(self) -> list[str]:
        """Summary lines for the CLI.

        Returns
        -------
        list[str]
            ``map <recipe> province <code>: <path> (<size> MB; layers: …)``, then one
            ``  note: …`` line per note.
        """
        where = f" province {self.province}" if self.province else ""
        out = [
            f"map {self.recipe}{where}: {self.path} ({self.size_bytes / 1e6:.2f} MB; "
            f"layers: {', '.join(self.layers) or 'none'})"
        ]
        out += [f"  note: {n}" for n in self.notes]
        return out


def recipe_layers(recipe: Recipe) -> list[str]:
    """Every workspace layer a recipe reads (drawn, joined, line end points, indicators).

    Parameters
    ----------
    recipe : Recipe
        A loaded map recipe.

    Returns
    -------
    list[str]
        Layer names without repeats, in first-use order: the basemap layers, factories and
        communities first, then the recipe's own.
    """
    # The boundaries and the offline basemap's layers (roads, water when imported), and the
    # factories and communities the area filter needs for layers that refer to them.
    names: list[str] = [*BASEMAP_LAYERS, "factories", "communities"]
    for entry in recipe.layers:
        names.append(entry.layer)
        if entry.join.get("layer"):
            names.append(entry.join["layer"])
        if entry.lines:
            names.append(entry.lines.get("points", "factories"))
        if entry.layer == "factories":
            names += ["compliance", "material_flows"]  # status on the assessment date
        if entry.layer == "symbiosis_links":
            names.append("factories")  # provider and receiver names
    for ind in recipe.indicators:
        names.append(ind.source)
    return list(dict.fromkeys(names))


def read_frames(ws: Workspace, names: list[str]) -> dict[str, pd.DataFrame]:
    """Read the named layers the workspace has (absent ones are simply not in the dict).

    Parameters
    ----------
    ws : Workspace
        The workspace to read.
    names : list[str]
        Layer names wanted.

    Returns
    -------
    dict[str, pandas.DataFrame]
        Layer name → the layer as stored (a GeoDataFrame in EPSG:4326 for spatial layers).
    """
    present = set(ws.layer_names())
    return {n: ws.read(n) for n in names if n in present}


def make_map(
    ws: Workspace,
    out: Path,
    *,
    recipe: str | Path = "overview",
    province_code: str | None = None,
    lang: str = "th",
    indicator: str | None = None,
    assets: AssetSource | None = None,
    tiles: str | None = None,
    as_of: str | None = None,
    colour_by: str | None = None,
) -> MapSummary:
    """Write the map ``recipe`` of workspace ``ws`` to ``out``.

    Parameters
    ----------
    ws : Workspace
        The workspace whose layers are drawn.
    out : Path
        The HTML page to write.
    recipe : str or Path, default "overview"
        A shipped recipe name (``overview``, ``risk``, ``symbiosis``, ``action_plan``) or
        a recipe file.
    province_code : str or None, default None
        One province (2-digit code), several (``21,24,25``) or ``all``; every layer of the
        workspace when ``None`` (like ``all``).
    lang : str, default "th"
        Language of labels and popups: ``th`` or ``en``.
    indicator : str or None, default None
        Id of the recipe's choropleth indicator (the first one when ``None``).
    assets : AssetSource or None, default None
        Where Leaflet and the plugins come from; default: the copies shipped with ecogis,
        inlined (one self-contained file, no internet needed).
    tiles : str or None, default None
        ``osm`` / ``none`` / URL template / local tile folder. Default: OpenStreetMap when
        the assets come from the CDN, none otherwise (an intranet cannot reach OSM).
    as_of : str or None, default None
        Assessment date (``YYYY-MM-DD``) of the factories' compliance status (default: the
        one ``ecogis compliance`` uses, :func:`ecogis.tasks.compliance.assessment_date`).
    colour_by : str or None, default None
        ``hazard``, ``compliance`` or ``class``: colour the recipe's factories by it.

    Returns
    -------
    MapSummary
        The page written, the recipe, the province codes (``None`` for everywhere), the
        layers drawn, notes and the file's size in bytes.

    Raises
    ------
    EcogisError
        An unknown recipe or bad recipe file, a bad province code or date.
    """
    rec = load_recipe(recipe)
    if colour_by is not None:
        rec = rec.coloured_by(COLOUR_BY.get(colour_by, colour_by))
    area = parse_area(province_code) or Area()
    result = map_of(
        ws,
        rec,
        out,
        lang=lang,
        area=area,
        indicator=indicator,
        assets=assets,
        tiles=tiles,
        as_of=as_of,
    )
    path = save_map(result, out)
    return MapSummary(
        path=path,
        recipe=rec.name,
        province=",".join(area.codes) or None,
        layers=result.layers,
        notes=result.notes,
        size_bytes=path.stat().st_size,
    )


def map_of(
    ws: Workspace,
    rec: Recipe,
    out: Path,
    *,
    lang: str,
    province: Province | None = None,
    area: Area | None = None,
    assets: AssetSource | None,
    tiles: str | None,
    indicator: str | None = None,
    compact: bool = False,
    as_of: str | None = None,
) -> MapResult:
    """Read the layers ``rec`` needs and build its map for a page written at ``out``.

    Parameters
    ----------
    ws
        The workspace.
    rec
        The recipe.
    out
        Where the page (or the report embedding the map) is written: local links are
        relative to its folder.
    lang, assets, tiles, indicator
        As for :func:`make_map`.
    province, area
        One province, or an :class:`~ecogis.webmap.area.Area` (several, or everywhere).
    compact
        Fold the layer switcher (a map inside a report).
    as_of
        Assessment date of the compliance status (default: the workspace's).

    Returns
    -------
    MapResult
        The built map.
    """
    from ecogis.tasks.compliance import assessment_date

    return build_map(
        read_frames(ws, recipe_layers(rec)),
        rec,
        lang=lang,
        province=province,
        area=area,
        indicator=indicator,
        assets=assets,
        tiles=tiles,
        html_dir=out.parent,
        compact=compact,
        compliance_as_of=assessment_date(ws, as_of),
    )


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Write the demo maps into ``out_dir`` (one page per recipe of :data:`DEMO_RECIPES`).

    The pages are self-contained (Leaflet and the plugins inlined from the copies shipped
    with ecogis) and work without internet.

    Parameters
    ----------
    ws
        The demo workspace.
    out_dir
        Folder of the pages.

    Returns
    -------
    list of str
        Summary lines.
    """
    code = demo_province(ws)
    lines: list[str] = []
    for name in DEMO_RECIPES:
        summary = make_map(ws, out_dir / f"map_{name}.html", recipe=name, province_code=code)
        lines += summary.lines()
    lines.append(
        "maps: self-contained pages that work without internet, on a basemap drawn from "
        "the workspace's own layers ('ecogis map --tiles osm' uses OpenStreetMap instead)"
    )
    return lines


def demo_province(ws: Workspace) -> str:
    """Return the province the demo maps and reports show (the workspace's target province).

    Parameters
    ----------
    ws : Workspace
        The demo workspace.

    Returns
    -------
    str
        The 2-digit province code: the ``target_province`` setting, else the first row of
        the provinces layer.

    Raises
    ------
    WorkspaceError
        When the workspace names no target province and has no provinces layer.
    """
    code = ws.get_meta("target_province")
    if code:
        return code
    provinces = ws.read_if_present("provinces")
    if provinces is None or provinces.empty:
        raise WorkspaceError(
            "has no provinces layer to pick a province from",
            source=ws.location,
            fix="import provinces, or pass --province CODE",
        )
    return str(provinces["pro_code"].iloc[0])


def as_dict(summary: Any) -> dict[str, Any]:
    """Return a JSON-ready dict of a summary dataclass.

    Parameters
    ----------
    summary : Any
        A summary dataclass with a ``path`` field (e.g. :class:`MapSummary`).

    Returns
    -------
    dict[str, Any]
        Its fields by name, ``path`` as text.
    """
    out = dict(summary.__dict__)
    out["path"] = str(out["path"])
    return out
