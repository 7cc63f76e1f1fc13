"""Workspace jobs of the province reports: one province, or the 15 with an index page.

:func:`make_report` writes one province's report (with its map embedded, built by
:func:`ecogis.tasks.maps.map_of`); :func:`make_all_reports` the 15 target provinces and
``index.html``; :func:`ensure_action_plan` adds an *illustrative* plan to a workspace that has
none (the demo); :func:`demo_step` writes the demo province's report.

Every report kind renders through :func:`ecogis.report.render.render_page` (package
templates, values as variables only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis.report import REPORT_LAYERS, build_index, build_report, symbiosis_layer
from ecogis.tasks.maps import demo_province, map_of, read_frames
from ecogis.webmap import Province, load_recipe, map_html, province, target_provinces
from ecogis.webmap.assets import AssetSource
from ecogis.workspace import Workspace


def ensure_action_plan(ws: Workspace, pro_code: str) -> list[str]:
    """Write an *illustrative* action plan for ``pro_code`` when the workspace has none.

    Parameters
    ----------
    ws : Workspace
        The workspace; ``action_plans`` is written (in one batch) only when absent.
    pro_code : str
        The 2-digit province code the plan is for (its zones are used).

    Returns
    -------
    list[str]
        One summary line with the number of projects; empty when a plan already exists.
    """
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
        """Summary lines for the CLI.

        Returns
        -------
        list[str]
            One line: the province, the path, the size in MB, and a mark when the province has
            no data.
        """
        state = "" if self.has_data else " (no data for this province)"
        return [
            f"report province {self.province}: {self.path} ({self.size_bytes / 1e6:.2f} MB){state}"
        ]


def _report_frames(ws: Workspace) -> dict[str, pd.DataFrame]:
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
    as_of: str | None = None,
) -> ReportSummary:
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
    result = map_of(
        ws,
        load_recipe(REPORT_RECIPE),
        out,
        lang=lang,
        province=prov,
        assets=assets,
        tiles=tiles,
        compact=True,
        as_of=as_of,
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
    as_of: str | None = None,
) -> ReportSummary:
    """Write the action-plan report of one province to ``out``.

    Parameters
    ----------
    ws : Workspace
        The workspace (only read).
    out : Path
        The file to write: ``.pdf`` gives a printable PDF with a static map, anything else
        an HTML page with the map embedded.
    province_code : str
        The province's 2-digit code.
    lang : str, default "th"
        ``th`` or ``en``.
    assets : AssetSource or None, default None
        Where Leaflet and the plugins come from (as for :func:`ecogis.tasks.maps.make_map`).
    tiles : str or None, default None
        Background tiles (as for :func:`ecogis.tasks.maps.make_map`).
    as_of : str or None, default None
        Assessment date (``YYYY-MM-DD``) of the compliance status (default: the
        workspace's).

    Returns
    -------
    ReportSummary
        The file written, the province, whether it has data, each section's state and the
        size in bytes.

    Raises
    ------
    InputFileError
        When ``province_code`` is not a Thai province code.
    """
    prov = province(province_code)
    return _write_report(
        ws, _report_frames(ws), out, prov, lang=lang, assets=assets, tiles=tiles, as_of=as_of
    )


def make_all_reports(
    ws: Workspace,
    out_dir: Path,
    *,
    lang: str = "th",
    assets: AssetSource | None = None,
    tiles: str | None = None,
    as_of: str | None = None,
) -> tuple[list[ReportSummary], Path]:
    """Write the reports of the 15 target provinces and an ``index.html`` into ``out_dir``.

    Parameters
    ----------
    ws : Workspace
        The workspace (only read).
    out_dir : Path
        Folder of ``report_<code>.html`` and ``index.html``.
    lang : str, default "th"
        ``th`` or ``en``.
    assets, tiles, as_of : optional
        As for :func:`make_report`.

    Returns
    -------
    tuple[list[ReportSummary], Path]
        One summary per province, in the target list's order, and the index page's path.
    """
    frames = _report_frames(ws)
    summaries: list[ReportSummary] = []
    entries: list[dict[str, Any]] = []
    for prov in target_provinces():
        path = out_dir / f"report_{prov.pro_code}.html"
        summary = _write_report(
            ws, frames, path, prov, lang=lang, assets=assets, tiles=tiles, as_of=as_of
        )
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
    """Write the demo province's report (adding an illustrative action plan if none).

    Parameters
    ----------
    ws : Workspace
        The demo workspace.
    out_dir : Path
        Folder of ``report_<code>.html``.

    Returns
    -------
    list[str]
        Summary lines (the plan added, the report written).
    """
    code = demo_province(ws)
    lines = ensure_action_plan(ws, code)
    report = make_report(ws, out_dir / f"report_{code}.html", province_code=code)
    return lines + report.lines()
