"""Province action-plan reports (HTML, Jinja2, print CSS) and the index of all provinces.

:func:`build_report` turns workspace frames into one self-contained HTML page: the
province map embedded (an ``<iframe srcdoc>``, so the report stays one file), the action
plan, risk hotspots and siting breaches, symbiosis opportunities with totals, compliance
gaps and the eco-industrial indicators with baseline and follow-up, with inline SVG
charts. Workspace-level use (read layers, write files, the 15 provinces) is in
:mod:`ecogis.tasks.reports`; the command line is ``ecogis report``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from markupsafe import Markup

from ecogis import schema
from ecogis.report.data import TEXT, Section
from ecogis.report.render import render_page, stylesheet, trusted_html
from ecogis.report.sections import (
    action_plan_section,
    compliance_section,
    indicator_section,
    key_figures,
    risk_section,
    siting_section,
    symbiosis_section,
)
from ecogis.webmap.area import area_frames
from ecogis.webmap.provinces import Province

REPORT_LAYERS = (
    "provinces",
    "districts",
    "industrial_zones",
    "factories",
    "communities",
    "action_plans",
    "risk_receptors",
    "siting_flags",
    "symbiosis_links",
    "compliance_gaps",
    "eit_assessments",
)
"""Layers a report reads when the workspace has them."""


@dataclass
class ProvinceReport:
    """The sections of one province's report and whether it has any data."""

    province: Province
    sections: list[Section]
    figures: list[tuple[str, str]]
    has_data: bool


def symbiosis_layer() -> str:
    """Choose the symbiosis layer a report lists: links when defined, else candidates.

    Returns
    -------
    str
        ``symbiosis_links`` when that layer has a contract, else ``symbiosis_candidates``
        (``symbiosis_links`` when neither has one).
    """
    for name in ("symbiosis_links", "symbiosis_candidates"):
        if schema.has_contract(name):
            return name
    return "symbiosis_links"


def gather(
    frames: dict[str, pd.DataFrame], province: Province, *, lang: str = "th"
) -> ProvinceReport:
    """Cut ``frames`` to ``province`` and build every section.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Workspace layers by name (any of :data:`REPORT_LAYERS`; absent ones give a plain
        note in their section).
    province : Province
        The province; rows are cut to its ``pro_code`` as the province map cuts them.
    lang : str
        ``th`` (default) or ``en``: headings, column labels and notes.

    Returns
    -------
    ProvinceReport
        The action plan, risk, siting, symbiosis, compliance and indicator sections, the
        key figures, and ``has_data`` (whether any data layer has a row in the province).
    """
    local = area_frames(frames, [province.pro_code])  # the map's own province filter
    sym = symbiosis_layer()
    sections = [
        action_plan_section(local.get("action_plans"), lang=lang),
        risk_section(local.get("risk_receptors"), lang=lang),
        siting_section(local.get("siting_flags"), lang=lang),
        symbiosis_section(local.get(sym), sym, lang=lang, factories=frames.get("factories")),
        compliance_section(local.get("compliance_gaps"), lang=lang),
        indicator_section(local.get("eit_assessments"), lang=lang),
    ]
    data_layers = [n for n in REPORT_LAYERS if n not in ("provinces", "districts")]
    has_data = any(local.get(n) is not None and len(local[n]) for n in data_layers)
    return ProvinceReport(
        province=province,
        sections=sections,
        figures=key_figures(local, lang=lang),
        has_data=has_data,
    )


def build_report(
    frames: dict[str, pd.DataFrame],
    province: Province,
    *,
    lang: str = "th",
    map_html: str | None = None,
    illustrative: bool = False,
    generated: date | None = None,
    map_figure: Markup | None = None,
    chart_html: Callable[[str], Markup] = trusted_html,
) -> tuple[str, ProvinceReport]:
    """Build the report page of ``province`` as HTML text.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Workspace layers (any of :data:`REPORT_LAYERS`; absent ones give a plain note).
    province : Province
        The province the report is for.
    lang : str
        ``th`` (default) or ``en``.
    map_html : str or None
        The province map page to embed (as ``<iframe srcdoc>``); none when ``None``
        (the default) or when the province has no data.
    illustrative : bool
        Show a banner saying the data are illustrative (the demo workspace); default
        ``False``.
    generated : datetime.date or None
        The date printed on the report; ``None`` (default) is today.
    map_figure, chart_html : Markup or None, callable
        For print (:mod:`ecogis.report.pdf_province`): a static map figure in place of the
        embedded map (default ``None``), and how each SVG chart is placed (markup built
        from escaped parts; default :func:`~ecogis.report.render.trusted_html`, inline).

    Returns
    -------
    (str, ProvinceReport)
        The self-contained HTML page, and the sections it was built from.
    """
    report = gather(frames, province, lang=lang)
    html = _render(
        "report.html.j2",
        lang=lang,
        illustrative=illustrative,
        generated=generated,
        report=report,
        province_name=province.name(lang),
        map_html=map_html if report.has_data else None,
        map_figure=map_figure if report.has_data else None,
        charts=chart_html,  # SVG built from escaped parts in ecogis.report.charts
    )
    return html, report


def build_index(
    entries: list[dict[str, Any]], *, lang: str = "th", illustrative: bool = False
) -> str:
    """Build the index page linking every province report.

    Parameters
    ----------
    entries : list of dict of str to Any
        One dict per province: ``pro_code``, ``name``, ``file`` (the report's file name,
        linked relative to the index), ``has_data``, ``factories`` and ``projects``
        (counts as text).
    lang : str
        ``th`` (default) or ``en``.
    illustrative : bool
        Show the illustrative-data banner; default ``False``.

    Returns
    -------
    str
        The HTML page.
    """
    return _render("report_index.html.j2", lang=lang, illustrative=illustrative, entries=entries)


def _render(
    template: str, *, lang: str, illustrative: bool, generated: date | None = None, **values: Any
) -> str:
    """Render a report template with the words of ``lang``, the stylesheet and the date."""
    return render_page(
        template,
        t=TEXT[lang],
        lang=lang,
        illustrative=illustrative,
        css=stylesheet(),
        generated=(generated or date.today()).isoformat(),
        **values,
    )


__all__ = ["REPORT_LAYERS", "ProvinceReport", "build_index", "build_report", "gather"]
