"""The province report as a PDF: the same page as the HTML report, made for print.

The HTML report embeds the interactive map (an iframe); in the PDF a static map drawn
with matplotlib takes its place (province, districts, zones, factories, sensitive
receptors, scale bar, north arrow), and the inline SVG charts are laid out so that Pango
shapes their Thai labels (:func:`ecogis.report.pdf.svg_chart_for_print`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ecogis.receptors import is_sensitive
from ecogis.report import ProvinceReport, build_report
from ecogis.report import pdf_figures as figs
from ecogis.report.pdf import svg_chart_for_print, write_pdf
from ecogis.webmap.provinces import Province

_LEGEND = {
    "th": ("แผนที่จังหวัด", "พื้นที่อุตสาหกรรม", "โรงงาน", "สถานที่อ่อนไหว", "ชุมชน"),
    "en": ("Province map", "industrial zone", "factory", "sensitive receptor", "community"),
}


def province_map_figure(frames: dict[str, Any], province: Province, *, lang: str) -> Markup | None:
    """Build the static province map with its legend as HTML, or ``None`` without a boundary.

    Parameters
    ----------
    frames : dict of str to Any
        Workspace layers (``provinces``, ``factories``, ``industrial_zones``,
        ``communities``), EPSG:4326.
    province : Province
        The province drawn (its ``pro_code`` selects the rows).
    lang : str
        ``th`` or ``en``: the legend and alt text.

    Returns
    -------
    markupsafe.Markup or None
        A ``<figure>`` with the map as an SVG data URI and its legend; ``None`` when the
        workspace has no boundary of the province.
    """
    from ecogis.crs import metric_crs

    provinces = frames.get("provinces")
    if provinces is None or provinces.empty:
        return None
    outline = provinces[provinces["pro_code"] == province.pro_code]
    if outline.empty:
        return None
    factories = frames.get("factories")
    fac = (
        factories[(factories["pro_code"] == province.pro_code) & factories.geometry.notna()]
        if factories is not None
        else None
    )
    zones = frames.get("industrial_zones")
    zones = zones[zones["pro_code"] == province.pro_code] if zones is not None else None
    communities = frames.get("communities")
    if communities is not None and "pro_code" in communities:
        communities = communities[communities["pro_code"] == province.pro_code]
    crs = metric_crs([outline])
    sensitive = None
    if communities is not None:
        sensitive = list(is_sensitive(communities))
    layers = figs.MapLayers(
        zones=zones if zones is not None and len(zones) else outline.iloc[0:0],
        factories=(fac if fac is not None else outline.iloc[0:0]).assign(map_class="unknown"),
        communities=communities,
        sensitive=sensitive,
    )
    extent = figs.map_extent(
        figs.MapLayers(zones=outline, factories=outline.iloc[0:0].assign(map_class=[])),
        crs=crs,
        margin=0.03,
    )
    svg = figs.area_map_svg(layers, crs=crs, extent=extent, outline=outline)
    words = _LEGEND[lang]
    legend = (
        f'<span class="swatch" style="background:{figs.ZONE_FILL}"></span> {escape(words[1])} · '
        f'<span class="swatch" style="background:{figs.MAP_COLORS["unknown"]}"></span> '
        f"{escape(words[2])} · ▲ {escape(words[3])} · ● {escape(words[4])}"
    )
    return Markup(
        f'<figure class="static-map"><img style="width:100%" src="{escape(figs.svg_data_uri(svg))}"'
        f' alt="{escape(words[0])}"><figcaption>{legend}</figcaption></figure>'
    )


def write_province_pdf(
    frames: dict[str, Any],
    province: Province,
    out: Path,
    *,
    lang: str = "th",
    illustrative: bool = False,
) -> ProvinceReport:
    """Write the province report of ``province`` as an A4 PDF; return what it holds.

    Parameters
    ----------
    frames : dict of str to Any
        Workspace layers (any of :data:`ecogis.report.REPORT_LAYERS`).
    province : Province
        The province the report is for.
    out : Path
        The ``.pdf`` file to write (replaced whole).
    lang : str
        ``th`` (default) or ``en``.
    illustrative : bool
        Show the illustrative-data banner (the demo workspace); default ``False``.

    Returns
    -------
    ProvinceReport
        The sections written.

    Raises
    ------
    PdfError
        When no Thai font is installed or WeasyPrint cannot run.
    """
    html, report = build_report(
        frames,
        province,
        lang=lang,
        map_html=None,
        map_figure=province_map_figure(frames, province, lang=lang),
        chart_html=svg_chart_for_print,
        illustrative=illustrative,
    )
    write_pdf(html, out)
    return report
