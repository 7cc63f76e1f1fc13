"""QGIS 3 layer styles (QML) written from a :class:`~ecogis.qgis.plan.StylePlan`.

The QML holds the renderer (single, categorized or graduated), the labels, the field
aliases in the chosen language and the display expression. The same element tree is
embedded in the QGIS project (:mod:`ecogis.qgis.project`), so the layer looks the same
whether QGIS loads its default style from ``layer_styles`` or opens the project.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ecogis.qgis._xml import (
    QGIS_VERSION,
    data_defined,
    mm,
    option_map,
    qgis_color,
    quote_field,
    sub,
    to_text,
)
from ecogis.qgis.plan import Paint, StylePlan, build_plan, category_text, symbol_kind
from ecogis.schema import LayerContract

DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
LABEL_FONT = "Noto Sans Thai"
"""Label font; QGIS substitutes a local font with Thai glyphs where it is not installed."""
GEOMETRY_CODES = {"marker": "0", "line": "1", "fill": "2", None: "4"}
"""``layerGeometryType`` (QgsWkbTypes::GeometryType): point, line, polygon, none."""


@dataclass(frozen=True)
class LayerSource:
    """What styling needs to know about a stored layer (read cheaply, no feature data)."""

    name: str
    kind: str  # "vector" or "table"
    geometry_type: str | None  # GeoPackage name, e.g. "POINT", "MULTIPOLYGON"
    geometry_column: str  # "" for a table, as QGIS's OGR provider reports it
    fields: tuple[str, ...]  # stored columns without fid and geometry
    mixed_types: tuple[str, ...] = ()  # e.g. ("Point", "Polygon") for a mixed layer

    @property
    def symbol(self) -> str | None:
        """``marker``, ``line``, ``fill``; ``None`` for a table or an unknown geometry."""
        return symbol_kind(self.geometry_type) if self.kind == "vector" else None


# ---------------------------------------------------------------------------- symbols
def _marker_layer(sym: ET.Element, p: Paint, size_expr: str | None) -> None:
    props = {
        "angle": "0",
        "color": qgis_color(p.fill or p.color, p.fill_opacity),
        "horizontal_anchor_point": "1",
        "joinstyle": "bevel",
        "name": "circle",
        "offset": "0,0",
        "offset_unit": "MM",
        "outline_color": qgis_color(p.stroke),
        "outline_style": "solid",
        "outline_width": mm(p.stroke_width),
        "outline_width_unit": "MM",
        "scale_method": "diameter",
        "size": mm(2 * p.size),
        "size_unit": "MM",
        "vertical_anchor_point": "1",
    }
    _symbol_layer(sym, "SimpleMarker", props, {"size": size_expr} if size_expr else {})


def _line_layer(sym: ET.Element, p: Paint, width_expr: str | None, *, color: str) -> None:
    props = {
        "capstyle": "round",
        "joinstyle": "round",
        "line_color": qgis_color(color),
        "line_style": "solid",
        "line_width": mm(p.stroke_width),
        "line_width_unit": "MM",
        "offset": "0",
        "offset_unit": "MM",
        "customdash": ";".join(mm(d) for d in p.stroke_dash) or "5;2",
        "customdash_unit": "MM",
        "use_custom_dash": "1" if p.stroke_dash else "0",
    }
    _symbol_layer(sym, "SimpleLine", props, {"outlineWidth": width_expr} if width_expr else {})


def _fill_layers(sym: ET.Element, p: Paint) -> None:
    dashed = bool(p.stroke_dash)
    props = {
        "color": qgis_color(p.fill, p.fill_opacity) if p.fill else "0,0,0,0",
        "style": "solid" if p.fill else "no",
        "joinstyle": "bevel",
        "offset": "0,0",
        "offset_unit": "MM",
        "outline_color": qgis_color(p.stroke),
        "outline_style": "no" if dashed else "solid",
        "outline_width": mm(p.stroke_width),
        "outline_width_unit": "MM",
    }
    _symbol_layer(sym, "SimpleFill", props, {})
    if dashed:
        # SimpleFill has no custom dash; a SimpleLine layer draws the dashed outline.
        _line_layer(sym, p, None, color=p.stroke)


def _symbol_layer(sym: ET.Element, cls: str, props: dict[str, str], dd: dict[str, str]) -> None:
    layer = sub(sym, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    option_map(layer, props)
    for k in sorted(props):
        sub(layer, "prop", {"k": k, "v": props[k]})
    data_defined(layer, "data_defined_properties", dd)


def symbol_element(
    parent: ET.Element, kind: str, name: str, paint: Paint, scale_expr: str | None = None
) -> ET.Element:
    """One ``<symbol>`` of type ``marker``/``line``/``fill`` drawn with ``paint``.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The ``<symbols>`` element to append to.
    kind : str
        ``marker``, ``line`` or ``fill``.
    name : str
        The symbol's name, which the renderer's categories and ranges refer to (``0``, ``1`` …).
    paint : Paint
        Colours and sizes (CSS pixels, written as millimetres).
    scale_expr : str or None
        A data-defined marker diameter or line width (mm) expression; ``None`` (default)
        for a fixed size.

    Returns
    -------
    xml.etree.ElementTree.Element
        The ``<symbol>`` element.
    """
    sym = sub(
        parent,
        "symbol",
        {"type": kind, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    data_defined(sym, "data_defined_properties", {})
    if kind == "marker":
        _marker_layer(sym, paint, scale_expr)
    elif kind == "line":
        _line_layer(sym, paint, scale_expr, color=paint.color)
    else:
        _fill_layers(sym, paint)
    return sym


def _scale_expression(plan: StylePlan) -> str | None:
    """Data-defined line width (or marker diameter) in mm, scaled by ``width_field``."""
    if not plan.width_field:
        return None
    f = quote_field(plan.width_field)
    lo, hi = plan.width_range
    if plan.symbol == "marker":
        lo, hi = 2 * lo, 2 * hi
    lo_mm, hi_mm = mm(lo), mm(hi)
    # minimum()/maximum() are QGIS aggregates over the layer, so nothing is read here.
    return f"coalesce(scale_linear({f}, minimum({f}), maximum({f}), {lo_mm}, {hi_mm}), {lo_mm})"


# ---------------------------------------------------------------------------- renderer
def renderer_element(parent: ET.Element, plan: StylePlan) -> ET.Element:
    """Build the ``<renderer-v2>`` of ``plan``.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The style's root (or holder) element.
    plan : StylePlan
        The drawing plan.

    Returns
    -------
    xml.etree.ElementTree.Element
        A ``singleSymbol``, ``categorizedSymbol`` or ``graduatedSymbol`` renderer with one
        symbol per rule.
    """
    scale = _scale_expression(plan)
    common = {"symbollevels": "0", "enableorderby": "0", "forceraster": "0", "referencescale": "-1"}
    if plan.renderer == "single":
        r = sub(parent, "renderer-v2", {"type": "singleSymbol", **common})
        symbols = sub(r, "symbols")
        symbol_element(symbols, plan.symbol, "0", plan.rules[0].paint, scale)
    elif plan.renderer == "categorized":
        r = sub(
            parent, "renderer-v2", {"type": "categorizedSymbol", "attr": plan.field or "", **common}
        )
        cats = sub(r, "categories")
        for i, rule in enumerate(plan.rules):
            sub(
                cats,
                "category",
                {
                    "symbol": str(i),
                    "value": "" if rule.is_else else category_text(rule.value),
                    "label": rule.label,
                    "render": "true",
                },
            )
        symbols = sub(r, "symbols")
        for i, rule in enumerate(plan.rules):
            symbol_element(symbols, plan.symbol, str(i), rule.paint, scale)
    else:
        r = sub(
            parent,
            "renderer-v2",
            {
                "type": "graduatedSymbol",
                "attr": plan.field or "",
                "graduatedMethod": "GraduatedColor",
                **common,
            },
        )
        ranges = sub(r, "ranges")
        for i, rule in enumerate(plan.rules):
            sub(
                ranges,
                "range",
                {
                    "symbol": str(i),
                    "lower": f"{rule.lower:.15f}",
                    "upper": f"{rule.upper:.15f}",
                    "label": rule.label,
                    "render": "true",
                },
            )
        symbols = sub(r, "symbols")
        for i, rule in enumerate(plan.rules):
            symbol_element(symbols, plan.symbol, str(i), rule.paint, scale)
        method = sub(r, "classificationMethod", {"id": "Custom"})
        sub(method, "symmetricMode", {"enabled": "0", "symmetrypoint": "0", "astride": "0"})
        sub(
            method,
            "labelFormat",
            {"format": "%1 - %2", "labelprecision": "2", "trimtrailingzeroes": "1"},
        )
    sub(r, "rotation")
    sub(r, "sizescale")
    return r


def labeling_element(parent: ET.Element, plan: StylePlan) -> ET.Element | None:
    """Build simple labels on ``plan.label_field`` (``None`` when the layer has no label field).

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The style's root (or holder) element.
    plan : StylePlan
        The drawing plan; its symbol type sets the placement (around points, along lines,
        inside areas).

    Returns
    -------
    xml.etree.ElementTree.Element or None
        The ``<labeling>`` element, or ``None`` (nothing written) without a label field.
    """
    if not plan.label_field:
        return None
    lab = sub(parent, "labeling", {"type": "simple"})
    settings = sub(lab, "settings", {"calloutType": "simple"})
    ts = sub(
        settings,
        "text-style",
        {
            "fieldName": plan.label_field,
            "isExpression": "0",
            "fontFamily": LABEL_FONT,
            "namedStyle": "Regular",
            "fontSize": "8" if plan.symbol == "marker" else "9",
            "fontSizeUnit": "Point",
            "fontWeight": "50",
            "fontItalic": "0",
            "textColor": "40,40,40,255",
            "textOpacity": "1",
            "multilineHeight": "1",
            "blendMode": "0",
            "allowHtml": "0",
            "capitalization": "0",
        },
    )
    sub(
        ts,
        "text-buffer",
        {
            "bufferDraw": "1",
            "bufferSize": "0.7",
            "bufferSizeUnits": "MM",
            "bufferColor": "255,255,255,255",
            "bufferOpacity": "0.85",
            "bufferNoFill": "1",
            "bufferJoinStyle": "128",
            "bufferBlendMode": "0",
        },
    )
    sub(settings, "text-format", {"wrapChar": "", "multilineAlign": "3", "formatNumbers": "0"})
    if plan.symbol == "marker":
        placement = {
            "placement": "6",
            "dist": "1",
            "distUnits": "MM",
            "quadOffset": "4",
            "predefinedPositionOrder": "TR,TL,BR,BL,R,L,TSR,BSR",
        }
    elif plan.symbol == "line":
        placement = {"placement": "2", "placementFlags": "10", "dist": "0.5", "distUnits": "MM"}
    else:
        # "Horizontal" tries many positions inside the area, so an area name moves off the
        # factories drawn in it instead of covering them (a centroid label cannot move).
        placement = {
            "placement": "4",
            "centroidInside": "1",
            "centroidWhole": "0",
            "fitInPolygonOnly": "0",
            "dist": "0",
            "distUnits": "MM",
        }
    sub(
        settings,
        "placement",
        {
            **placement,
            # Area names (zones, districts) are placed before the many point labels.
            "priority": "8" if plan.symbol == "fill" else "5",
            "offsetType": "0",
            "repeatDistance": "0",
            "xOffset": "0",
            "yOffset": "0",
        },
    )
    sub(
        settings,
        "rendering",
        {
            "drawLabels": "1",
            "obstacle": "1",
            "obstacleFactor": "1",
            "obstacleType": "1",
            "displayAll": "0",
            "labelPerPart": "0",
            "mergeLines": "0",
            "upsidedownLabels": "0",
            "limitNumLabels": "0",
            "maxNumLabels": "2000",
            "minFeatureSize": "0",
            "scaleVisibility": "0",
            "fontLimitPixelSize": "0",
            "zIndex": "0" if plan.symbol == "fill" else "1",
        },
    )
    data_defined(settings, "dd_properties", {})
    return lab


def value_map_element(parent: ET.Element, plan: StylePlan) -> None:
    """Build a ValueMap widget on the categorized field.

    The attribute table, forms and Identify show the class label (e.g. นิคมอุตสาหกรรม)
    instead of the stored code (``estate``). Nothing is written unless the plan is
    categorized.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The style's root (or holder) element; a ``<fieldConfiguration>`` is appended.
    plan : StylePlan
        The drawing plan (its rules give label → value).
    """
    if plan.renderer != "categorized" or not plan.field:
        return
    conf = sub(parent, "fieldConfiguration")
    fld = sub(conf, "field", {"name": plan.field, "configurationFlags": "None"})
    widget = sub(fld, "editWidget", {"type": "ValueMap"})
    config = sub(widget, "config")
    outer = sub(config, "Option", {"type": "Map"})
    entries = sub(outer, "Option", {"type": "List", "name": "map"})
    seen: set[str] = set()
    for rule in plan.rules:
        if rule.is_else or rule.label in seen:
            continue
        seen.add(rule.label)
        item = sub(entries, "Option", {"type": "Map"})
        sub(
            item,
            "Option",
            {"type": "QString", "name": rule.label, "value": category_text(rule.value)},
        )


def aliases_element(
    parent: ET.Element, source: LayerSource, contract: LayerContract | None, lang: str
) -> None:
    """``<aliases>``: every stored field the contract labels, in ``lang``.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The style's root (or holder) element.
    source : LayerSource
        The stored layer (its fields, after ``fid``).
    contract : LayerContract or None
        The contract with the field labels; ``None`` writes empty aliases.
    lang : str
        ``th`` or ``en``.
    """
    labels = contract.labels(lang) if contract is not None else {}
    al = sub(parent, "aliases")
    # QGIS's OGR provider lists the GeoPackage primary key "fid" first, for tables too.
    names = ["fid", *source.fields]
    for i, f in enumerate(names):
        sub(al, "alias", {"field": f, "index": str(i), "name": labels.get(f, "")})


# ---------------------------------------------------------------------------- whole style
def style_elements(
    source: LayerSource, contract: LayerContract | None, lang: str
) -> tuple[dict[str, str], list[ET.Element]]:
    """Build the attributes and child elements of a layer's style (for QML and the project).

    Parameters
    ----------
    source : LayerSource
        The stored layer.
    contract : LayerContract or None
        Its contract; ``None`` draws a single stable colour.
    lang : str
        ``th`` or ``en``: legend labels, label field and aliases.

    Returns
    -------
    (attributes, children)
        ``<qgis>``/``<maplayer>`` attributes (``labelsEnabled`` …) and the elements:
        renderer, labels, aliases, display expression and geometry type.

    Raises
    ------
    CatalogueError
        If a colour in the contract's ``[style]`` is not ``#rrggbb``.
    """
    holder = ET.Element("holder")
    attrs = {
        "hasScaleBasedVisibilityFlag": "0",
        "minScale": "100000000",
        "maxScale": "0",
        "readOnly": "0",
        "styleCategories": "AllStyleCategories",
        "labelsEnabled": "0",
    }
    symbol = source.symbol
    preview = ""
    if symbol is not None:
        plan = build_plan(contract, source.name, symbol, lang=lang, fields=list(source.fields))
        renderer_element(holder, plan)
        if labeling_element(holder, plan) is not None:
            attrs["labelsEnabled"] = "1"
        sub(holder, "blendMode", text="0")
        sub(holder, "featureBlendMode", text="0")
        sub(holder, "layerOpacity", text="1")
        if plan.label_field:
            preview = quote_field(plan.label_field)
        value_map_element(holder, plan)
    aliases_element(holder, source, contract, lang)
    if not preview and contract is not None:
        key = [k for k in contract.key if k in source.fields]
        if key:
            preview = " || ' / ' || ".join(quote_field(k) for k in key)
    sub(holder, "previewExpression", text=preview)
    sub(holder, "layerGeometryType", text=GEOMETRY_CODES.get(symbol, "4"))
    return attrs, list(holder)


def qml_root(source: LayerSource, contract: LayerContract | None, lang: str) -> ET.Element:
    """Build the ``<qgis>`` root element of a layer's QML.

    Parameters
    ----------
    source : LayerSource
        The stored layer.
    contract : LayerContract or None
        Its contract; ``None`` draws a single stable colour.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    xml.etree.ElementTree.Element
        The root, with the flags and the :func:`style_elements` children.

    Raises
    ------
    CatalogueError
        If a colour in the contract's ``[style]`` is not ``#rrggbb``.
    """
    attrs, children = style_elements(source, contract, lang)
    root = ET.Element("qgis", {"version": QGIS_VERSION, **attrs})
    flags = sub(root, "flags")
    for flag, value in (("Identifiable", "1"), ("Removable", "1"), ("Searchable", "1")):
        sub(flags, flag, text=value)
    root.extend(children)
    return root


def layer_qml(source: LayerSource, contract: LayerContract | None, lang: str = "th") -> str:
    """Return the QML text of a layer's default style in ``lang`` (``th`` or ``en``).

    Parameters
    ----------
    source : LayerSource
        The stored layer.
    contract : LayerContract or None
        Its contract; ``None`` draws a single stable colour.
    lang : str
        ``th`` (default) or ``en``.

    Returns
    -------
    str
        The QML document, with the QGIS doctype.

    Raises
    ------
    CatalogueError
        If a colour in the contract's ``[style]`` is not ``#rrggbb``.
    """
    return to_text(qml_root(source, contract, lang), doctype=DOCTYPE)
