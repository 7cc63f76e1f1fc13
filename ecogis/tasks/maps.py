"""Workspace jobs of the presentation part: web maps and provincial reports.

:func:`make_map` reads the layers a recipe needs, builds the map and writes the HTML;
:func:`make_report` / :func:`make_all_reports` write the province reports; :func:`demo_step`
runs them on the demo workspace (adding an illustrative action plan when it has none).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis import schema
from ecogis.assets import AssetSource
from ecogis.errors import WorkspaceError
from ecogis.webmap import (
    MapResult,
    Province,
    Recipe,
    build_map,
    load_recipe,
    province,
    save_map,
)
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
        """Summary lines for the CLI."""
        where = f" province {self.province}" if self.province else ""
        out = [
            f"map {self.recipe}{where}: {self.path} ({self.size_bytes / 1e6:.2f} MB; "
            f"layers: {', '.join(self.layers) or 'none'})"
        ]
        out += [f"  note: {n}" for n in self.notes]
        return out


def recipe_layers(recipe: Recipe) -> list[str]:
    """Every workspace layer a recipe reads (drawn, joined, line end points, indicators)."""
    names: list[str] = ["provinces", "districts"]
    for entry in recipe.layers:
        names.append(entry.layer)
        if entry.join.get("layer"):
            names.append(entry.join["layer"])
        if entry.lines:
            names.append(entry.lines.get("points", "factories"))
        if entry.layer == "factories":
            names.append("compliance")
        if entry.layer == "symbiosis_links":
            names.append("factories")  # provider and receiver names
    for ind in recipe.indicators:
        names.append(ind.source)
    return list(dict.fromkeys(names))


def read_frames(ws: Workspace, names: list[str]) -> dict[str, pd.DataFrame]:
    """The named layers the workspace has (absent ones are simply not in the dict)."""
    present = set(ws.layer_names())
    return {n: ws.read(n) for n in names if n in present}


def _province_of(ws: Workspace, code: str | None) -> Province | None:
    if code is None:
        return None
    return province(code)


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
) -> MapSummary:
    """Write the map ``recipe`` of workspace ``ws`` to ``out``.

    Parameters
    ----------
    recipe
        A shipped recipe name (``overview``, ``risk``, ``symbiosis``, ``action_plan``) or
        a recipe file.
    province_code
        Limit the map to one province (2-digit code); all data when ``None``.
    assets
        Where Leaflet and the plugins come from; default: the copies shipped with ecogis,
        inlined (one self-contained file, no internet needed).
    tiles
        ``osm`` / ``none`` / URL template / local tile folder. Default: OpenStreetMap when
        the assets come from the CDN, none otherwise (an intranet cannot reach OSM).
    """
    rec = load_recipe(recipe)
    prov = _province_of(ws, province_code)
    result = _map_of(
        ws, rec, out, lang=lang, province=prov, indicator=indicator, assets=assets, tiles=tiles
    )
    path = save_map(result, out)
    return MapSummary(
        path=path,
        recipe=rec.name,
        province=prov.pro_code if prov else None,
        layers=result.layers,
        notes=result.notes,
        size_bytes=path.stat().st_size,
    )


def _map_of(
    ws: Workspace,
    rec: Recipe,
    out: Path,
    *,
    lang: str,
    province: Province | None,
    assets: AssetSource | None,
    tiles: str | None,
    indicator: str | None = None,
    compact: bool = False,
) -> MapResult:
    """Read the layers ``rec`` needs and build its map for a page written at ``out``."""
    return build_map(
        read_frames(ws, recipe_layers(rec)),
        rec,
        lang=lang,
        province=province,
        indicator=indicator,
        assets=assets,
        tiles=tiles,
        html_dir=out.parent,
        compact=compact,
    )


def ensure_action_plan(ws: Workspace, pro_code: str) -> list[str]:
    """Write an *illustrative* action plan for ``pro_code`` when the workspace has none."""
    from ecogis.actionplan import demo_action_plan, parse_action_plan

    if ws.has_layer("action_plans"):
        return []
    zones = ws.read_if_present("industrial_zones")
    if zones is not None and "pro_code" in zones:
        zones = zones[zones["pro_code"].astype("string") == pro_code]
    known = None
    if ws.has_layer("factories"):
        known = set(ws.read("factories", columns=["factory_id"])["factory_id"].astype(str))
    plan = parse_action_plan(
        demo_action_plan(pro_code, zones), source="illustrative demo plan", known_factory_ids=known
    )
    with ws.batch():
        ws.write("action_plans", plan)
    return [f"action_plans: {len(plan)} illustrative projects for province {pro_code}"]


REPORT_RECIPE = "action_plan"
"""The recipe of the map embedded in a province report."""


@dataclass
class ReportSummary:
    """What :func:`make_report` wrote."""

    path: Path
    province: str
    has_data: bool
    sections: dict[str, str] = field(default_factory=dict)
    size_bytes: int = 0

    def lines(self) -> list[str]:
        """Summary lines for the CLI."""
        state = "" if self.has_data else " (no data for this province)"
        return [
            f"report province {self.province}: {self.path} ({self.size_bytes / 1e6:.2f} MB){state}"
        ]


def _report_frames(ws: Workspace) -> dict[str, pd.DataFrame]:
    from ecogis.report import REPORT_LAYERS, symbiosis_layer

    return read_frames(ws, [*REPORT_LAYERS, symbiosis_layer()])


def _write_report(
    ws: Workspace,
    frames: dict[str, pd.DataFrame],
    out: Path,
    prov: Province,
    *,
    lang: str,
    assets: AssetSource | None,
    tiles: str | None,
) -> ReportSummary:
    from ecogis.report import build_report
    from ecogis.webmap import map_html

    illustrative = ws.get_meta("demo") == "illustrative"
    if out.suffix.lower() == ".pdf":  # for print: a static map, Thai laid out by Pango
        from ecogis.report.pdf_province import write_province_pdf

        printed = write_province_pdf(frames, prov, out, lang=lang, illustrative=illustrative)
        return ReportSummary(
            path=out,
            province=prov.pro_code,
            has_data=printed.has_data,
            sections={s.key: s.message or "ok" for s in printed.sections},
            size_bytes=out.stat().st_size,
        )
    # The map lives inside an iframe srcdoc, whose relative links resolve against the
    # report itself: links are made relative to the report's folder.
    result = _map_of(
        ws,
        load_recipe(REPORT_RECIPE),
        out,
        lang=lang,
        province=prov,
        assets=assets,
        tiles=tiles,
        compact=True,
    )
    html, report = build_report(
        frames,
        prov,
        lang=lang,
        map_html=map_html(result),
        illustrative=illustrative,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return ReportSummary(
        path=out,
        province=prov.pro_code,
        has_data=report.has_data,
        sections={s.key: s.message or "ok" for s in report.sections},
        size_bytes=out.stat().st_size,
    )


def make_report(
    ws: Workspace,
    out: Path,
    *,
    province_code: str,
    lang: str = "th",
    assets: AssetSource | None = None,
    tiles: str | None = None,
) -> ReportSummary:
    """Write the action-plan report of one province to ``out``.

    Raises
    ------
    InputFileError
        When ``province_code`` is not a Thai province code.
    """
    prov = province(province_code)
    return _write_report(ws, _report_frames(ws), out, prov, lang=lang, assets=assets, tiles=tiles)


def make_all_reports(
    ws: Workspace,
    out_dir: Path,
    *,
    lang: str = "th",
    assets: AssetSource | None = None,
    tiles: str | None = None,
) -> tuple[list[ReportSummary], Path]:
    """Write the reports of the 15 target provinces and an ``index.html`` into ``out_dir``."""
    from ecogis.report import build_index
    from ecogis.webmap import target_provinces

    frames = _report_frames(ws)
    summaries: list[ReportSummary] = []
    entries: list[dict[str, Any]] = []
    for prov in target_provinces():
        path = out_dir / f"report_{prov.pro_code}.html"
        summary = _write_report(ws, frames, path, prov, lang=lang, assets=assets, tiles=tiles)
        summaries.append(summary)
        entries.append(
            {
                "pro_code": prov.pro_code,
                "name": prov.name(lang),
                "file": path.name,
                "has_data": summary.has_data,
                "factories": _count(frames.get("factories"), prov.pro_code),
                "projects": _count(frames.get("action_plans"), prov.pro_code),
            }
        )
    index = out_dir / "index.html"
    index.write_text(
        build_index(entries, lang=lang, illustrative=ws.get_meta("demo") == "illustrative"),
        encoding="utf-8",
    )
    return summaries, index


def _count(frame: pd.DataFrame | None, pro_code: str) -> str:
    if frame is None or "pro_code" not in frame:
        return "–"
    return f"{int((frame['pro_code'].astype('string') == pro_code).sum()):,}"


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Write the four demo maps and the demo province's report into ``out_dir``.

    The pages are self-contained (Leaflet and the plugins inlined from the copies shipped
    with ecogis) and work without internet; they have no basemap, which a planner with
    internet adds with ``ecogis map --tiles osm``.
    """
    code = ws.get_meta("target_province") or _first_province(ws)
    lines = ensure_action_plan(ws, code)
    for name in DEMO_RECIPES:
        summary = make_map(ws, out_dir / f"map_{name}.html", recipe=name, province_code=code)
        lines += summary.lines()
    report = make_report(ws, out_dir / f"report_{code}.html", province_code=code)
    lines += report.lines()
    lines.append(
        "maps: self-contained pages that work without internet (no basemap; "
        "'ecogis map --tiles osm' adds OpenStreetMap)"
    )
    return lines


def _first_province(ws: Workspace) -> str:
    provinces = ws.read_if_present("provinces")
    if provinces is None or provinces.empty:
        raise WorkspaceError(
            "has no provinces layer to pick a province from",
            source=ws.path,
            fix="import provinces, or pass --province CODE",
        )
    return str(provinces["pro_code"].iloc[0])


def contract_title(name: str, lang: str) -> str:
    """A layer's title from the contract (the name itself when it has no contract)."""
    return schema.contract(name).title(lang) if schema.has_contract(name) else name


def as_dict(summary: Any) -> dict[str, Any]:
    """A JSON-ready dict of a summary dataclass."""
    out = dict(summary.__dict__)
    out["path"] = str(out["path"])
    return out
