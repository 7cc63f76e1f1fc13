"""OGC SLD 1.1 styles for clients other than QGIS (GeoServer, MapServer, uDig …).

Written from the same :class:`~ecogis.qgis.plan.StylePlan` as the QML: one rule per class
with its filter, a symbolizer for the geometry, and a text symbolizer for the labels.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ecogis.qgis._xml import fmt, hex_color, sub, to_text
from ecogis.qgis.plan import Paint, Rule, StylePlan, category_text

SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
ET.register_namespace("", SLD)
ET.register_namespace("se", SE)
ET.register_namespace("ogc", OGC)
ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")


def _se(tag: str) -> str:
    return f"{{{SE}}}{tag}"


def _ogc(tag: str) -> str:
    return f"{{{OGC}}}{tag}"


def _param(parent: ET.Element, name: str, value: str) -> None:
    sub(parent, _se("SvgParameter"), {"name": name}, value)


def _stroke(parent: ET.Element, color: str, width_px: float, dash: tuple[float, ...]) -> None:
    st = sub(parent, _se("Stroke"))
    _param(st, "stroke", hex_color(color))
    _param(st, "stroke-width", fmt(width_px))
    if dash:
        _param(st, "stroke-dasharray", " ".join(fmt(d) for d in dash))


def _symbolizer(rule_el: ET.Element, kind: str, p: Paint) -> None:
    if kind == "marker":
        ps = sub(rule_el, _se("PointSymbolizer"))
        g = sub(ps, _se("Graphic"))
        mark = sub(g, _se("Mark"))
        sub(mark, _se("WellKnownName"), text="circle")
        fill = sub(mark, _se("Fill"))
        _param(fill, "fill", hex_color(p.fill or p.color))
        _param(fill, "fill-opacity", fmt(p.fill_opacity))
        _stroke(mark, p.stroke, p.stroke_width, ())
        sub(g, _se("Size"), text=fmt(2 * p.size))
    elif kind == "line":
        ls = sub(rule_el, _se("LineSymbolizer"))
        _stroke(ls, p.color, p.stroke_width, p.stroke_dash)
    else:
        pol = sub(rule_el, _se("PolygonSymbolizer"))
        if p.fill:
            fill = sub(pol, _se("Fill"))
            _param(fill, "fill", hex_color(p.fill))
            _param(fill, "fill-opacity", fmt(p.fill_opacity))
        _stroke(pol, p.stroke, p.stroke_width, p.stroke_dash)


def _filter(rule_el: ET.Element, plan: StylePlan, rule: Rule) -> None:
    if plan.renderer == "single":
        return
    if rule.is_else:
        sub(rule_el, _se("ElseFilter"))
        return
    flt = sub(rule_el, _ogc("Filter"))
    if plan.renderer == "categorized":
        eq = sub(flt, _ogc("PropertyIsEqualTo"))
        sub(eq, _ogc("PropertyName"), text=plan.field)
        sub(eq, _ogc("Literal"), text=category_text(rule.value))
        return
    both = sub(flt, _ogc("And"))
    ge = sub(both, _ogc("PropertyIsGreaterThanOrEqualTo"))
    sub(ge, _ogc("PropertyName"), text=plan.field)
    sub(ge, _ogc("Literal"), text=fmt(rule.lower or 0.0))
    le = sub(both, _ogc("PropertyIsLessThanOrEqualTo"))
    sub(le, _ogc("PropertyName"), text=plan.field)
    sub(le, _ogc("Literal"), text=fmt(rule.upper or 0.0))


def layer_sld(plan: StylePlan, title: str) -> str:
    """Return the SLD 1.1 text of ``plan`` for a layer titled ``title``.

    Parameters
    ----------
    plan : StylePlan
        The drawing plan (:func:`~ecogis.qgis.plan.build_plan`); sizes stay CSS pixels.
    title : str
        The layer title written in the style's description (in the plan's language).

    Returns
    -------
    str
        An SLD 1.1 ``StyledLayerDescriptor``: one rule per class with its filter, and a
        text rule when the plan has a label field.
    """
    root = ET.Element(
        f"{{{SLD}}}StyledLayerDescriptor",
        {
            "version": "1.1.0",
            "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": (
                f"{SLD} http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"
            ),
        },
    )
    nl = sub(root, f"{{{SLD}}}NamedLayer")
    sub(nl, _se("Name"), text=plan.layer)
    us = sub(nl, f"{{{SLD}}}UserStyle")
    sub(us, _se("Name"), text=plan.layer)
    desc = sub(us, _se("Description"))
    sub(desc, _se("Title"), text=title)
    fts = sub(us, _se("FeatureTypeStyle"))
    for rule in plan.rules:
        r = sub(fts, _se("Rule"))
        sub(r, _se("Name"), text=rule.label)
        d = sub(r, _se("Description"))
        sub(d, _se("Title"), text=rule.label)
        _filter(r, plan, rule)
        _symbolizer(r, plan.symbol, rule.paint)
    if plan.label_field:
        r = sub(fts, _se("Rule"))
        ts = sub(r, _se("TextSymbolizer"))
        lab = sub(ts, _se("Label"))
        sub(lab, _ogc("PropertyName"), text=plan.label_field)
        font = sub(ts, _se("Font"))
        _param(font, "font-family", "Noto Sans Thai")
        _param(font, "font-size", "11")
        halo = sub(ts, _se("Halo"))
        sub(halo, _se("Radius"), text="1.5")
        hf = sub(halo, _se("Fill"))
        _param(hf, "fill", "#ffffff")
        fill = sub(ts, _se("Fill"))
        _param(fill, "fill", "#282828")
    return to_text(root, declaration=True)
