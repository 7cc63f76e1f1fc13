"""Turn a layer contract's ``[style]`` section into a drawing plan shared by QML and SLD.

The contract's ``[style]`` is written once for the web map and QGIS (CONTRIBUTING.md):
``type`` (``single`` / ``categorized`` / ``graduated``), ``field``, ``classes`` (each with
``value`` or ``min``/``max``, ``color``, ``label_th``, ``label_en``), ``label_field_th/en``,
``size`` (marker radius, px), ``stroke``, ``stroke_width`` (px), ``stroke_dash`` (px,
``"4,3"``), ``fill`` (a colour or ``"none"``), ``opacity`` (fill opacity 0–1), ``color``
(single symbol colour), ``other_color`` (values no class names), ``width_field`` (a
numeric field that scales line width between ``width_min`` and ``width_max`` px — e.g.
tonnes on symbiosis links) and ``size_field`` (marker radius between ``size_min`` and
``size_max`` px).
Sizes are CSS pixels as on the web map; :mod:`ecogis.qgis.qml` converts them to millimetres.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from ecogis.errors import CatalogueError
from ecogis.schema import LayerContract

log = logging.getLogger(__name__)

RENDERERS = ("single", "categorized", "graduated")
OTHER_LABEL = {"th": "ค่าอื่น/ไม่ระบุ", "en": "Other or not stated"}
"""Legend text of the catch-all class QGIS uses for values no class names (and NULL)."""
OTHER_COLOR = "#9e9e9e"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")
_PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")


@dataclass(frozen=True)
class Paint:
    """How one class is drawn. Sizes in CSS pixels (as on the web map)."""

    color: str
    fill: str | None = None  # polygon fill colour; None = no fill
    fill_opacity: float = 1.0
    stroke: str = "#333333"
    stroke_width: float = 1.0
    stroke_dash: tuple[float, ...] = ()
    size: float = 5.0  # marker radius


@dataclass(frozen=True)
class Rule:
    """One legend entry: a value (categorized), a range (graduated), or everything (single)."""

    label: str
    paint: Paint
    value: Any = None
    lower: float | None = None
    upper: float | None = None
    is_else: bool = False


@dataclass(frozen=True)
class StylePlan:
    """Everything a QML or SLD writer needs to draw one layer."""

    layer: str
    renderer: str  # single | categorized | graduated
    symbol: str  # marker | line | fill
    rules: tuple[Rule, ...]
    field: str | None = None
    label_field: str | None = None
    width_field: str | None = None
    width_range: tuple[float, float] = (1.0, 6.0)  # px


def symbol_kind(geometry_type: str | None) -> str | None:
    """QGIS symbol type (``marker``/``line``/``fill``) for a GeoPackage geometry type name.

    Parameters
    ----------
    geometry_type : str or None
        A GeoPackage geometry type name (``POINT``, ``MULTIPOLYGON`` …), any case.

    Returns
    -------
    str or None
        ``marker``, ``line`` or ``fill``; ``None`` for no geometry, ``GEOMETRY`` or an
        unknown type.
    """
    if not geometry_type:
        return None
    g = geometry_type.upper().replace("MULTI", "")
    if g in ("POINT",):
        return "marker"
    if g in ("LINESTRING", "CURVE", "COMPOUNDCURVE", "CIRCULARSTRING"):
        return "line"
    if g in ("POLYGON", "SURFACE", "CURVEPOLYGON"):
        return "fill"
    return None


def _dash(text: Any) -> tuple[float, ...]:
    if not text:
        return ()
    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p]
    return tuple(float(p) for p in parts)


def fallback_color(name: str) -> str:
    """Pick a stable colour for a layer whose contract has no ``[style]``.

    Parameters
    ----------
    name : str
        Layer name (the colour is picked by a hash of it, so it is the same on every run).

    Returns
    -------
    str
        A ``#rrggbb`` colour from a 7-colour palette.
    """
    digest = hashlib.sha1(name.encode()).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def _paint(style: dict[str, Any], symbol: str, color: str, cls: dict[str, Any]) -> Paint:
    """Merge the paint of a class: class keys win over layer keys, which win over defaults."""

    def get(key: str, default: Any) -> Any:
        return cls.get(key, style.get(key, default))

    # Defaults are the web map's (ecogis.webmap.styles), so both draw a layer alike.
    stroke_width = float(get("stroke_width", 3.0 if symbol == "line" else 1.5))
    dash = _dash(get("stroke_dash", ""))
    size = float(get("size", 6.0))
    if symbol == "line":
        return Paint(color=color, stroke=color, stroke_width=stroke_width, stroke_dash=dash)
    if symbol == "marker":
        return Paint(
            color=color,
            fill=color,
            # Opaque unless the contract says otherwise: outlined QGIS markers stay legible
            # where they overlap (the web map's 0.85 suits its clustered circles).
            fill_opacity=float(get("opacity", 1.0)),
            stroke=str(get("stroke", "#333333")),
            stroke_width=float(get("stroke_width", 1.0)),
            size=size,
        )
    fill_spec = cls.get("fill", style.get("fill"))
    if fill_spec == "none":
        fill = None
    elif cls.get("color") or fill_spec is None:
        fill = color
    else:
        fill = str(fill_spec)
    # A polygon class with a fill is outlined in its own colour unless the layer names one.
    stroke = str(cls.get("stroke", style.get("stroke", color)))
    opacity = float(get("opacity", 0.3))
    return Paint(
        color=color,
        fill=fill,
        fill_opacity=opacity,
        stroke=stroke,
        stroke_width=stroke_width,
        stroke_dash=dash,
        size=size,
    )


def build_plan(
    contract: LayerContract | None,
    name: str,
    symbol: str,
    *,
    lang: str = "th",
    fields: list[str] | None = None,
) -> StylePlan:
    """Build the drawing plan of a vector layer from its contract's ``[style]``.

    Parameters
    ----------
    contract : LayerContract or None
        The layer contract (``None`` for a layer without one: a single stable colour).
    name : str
        Layer name.
    symbol : str
        ``marker``, ``line`` or ``fill`` (from the stored geometry type).
    lang : str
        ``th`` (default) or ``en``: class labels and the label field.
    fields : list of str or None
        Columns actually stored; a style or label field missing from them is dropped
        (with a log line) rather than drawing nothing. ``None`` (default) trusts the
        contract.

    Returns
    -------
    StylePlan
        The renderer (``single``, or ``categorized``/``graduated`` when the style has a
        usable field and classes), one rule per class (plus the catch-all class of a
        categorized style; an open end of a graduated range takes the neighbouring
        class's bound or the field's min/max), the label field and the width/size field
        with its range in CSS pixels.

    Raises
    ------
    CatalogueError
        If a colour in the contract's ``[style]`` is not ``#rrggbb`` (see
        :func:`check_style_colors`).
    """
    style: dict[str, Any] = dict(contract.style) if contract is not None else {}
    if contract is not None:
        check_style_colors(contract)
    stored = set(fields) if fields is not None else None

    def usable(f: str | None) -> str | None:
        if not f:
            return None
        if stored is not None and f not in stored:
            log.warning("layer %s: style names field %r, which the layer does not have", name, f)
            return None
        return f

    kind = style.get("type", "single")
    if kind not in RENDERERS:
        log.warning("layer %s: unknown style type %r, drawing a single symbol", name, kind)
        kind = "single"
    style_field = usable(style.get("field"))
    classes = list(style.get("classes", []))
    if kind != "single" and (style_field is None or not classes):
        kind = "single"
    label_field = usable(style.get(f"label_field_{lang}") or style.get("label_field_th"))
    # Line width by a value (width_*), or marker size by a value (size_*, radius px), with
    # the web map's default ranges.
    key, lo, hi = ("width", 1.5, 10.0) if symbol == "line" else ("size", 4.0, 18.0)
    width_field = usable(style.get(f"{key}_field") or style.get("width_field"))
    width_range = (float(style.get(f"{key}_min", lo)), float(style.get(f"{key}_max", hi)))

    rules: list[Rule] = []
    if kind == "single":
        color = str(
            style.get("color")
            or (style.get("fill") if style.get("fill") not in (None, "none") else None)
            or style.get("stroke")
            or fallback_color(name)
        )
        title = contract.title(lang) if contract is not None else name
        rules.append(Rule(label=title, paint=_paint(style, symbol, color, {})))
    else:
        for cls in classes:
            color = str(cls.get("color", fallback_color(str(cls))))
            label = str(cls.get(f"label_{lang}") or cls.get("label_th") or cls.get("value", ""))
            paint = _paint(style, symbol, color, cls)
            if kind == "categorized":
                rules.append(Rule(label=label, paint=paint, value=cls.get("value")))
            else:
                lo = cls.get("min")
                hi = cls.get("max")
                rules.append(
                    Rule(
                        label=label,
                        paint=paint,
                        lower=float(lo) if lo is not None else None,
                        upper=float(hi) if hi is not None else None,
                    )
                )
        if kind == "categorized":
            rules.append(
                Rule(
                    label=OTHER_LABEL[lang],
                    paint=_paint(style, symbol, str(style.get("other_color", OTHER_COLOR)), {}),
                    is_else=True,
                )
            )
        else:
            rules = _close_ranges(rules, contract, style_field)
    return StylePlan(
        layer=name,
        renderer=kind,
        symbol=symbol,
        rules=tuple(rules),
        field=style_field if kind != "single" else None,
        label_field=label_field,
        width_field=width_field,
        width_range=width_range,
    )


def check_style_colors(contract: LayerContract) -> None:
    """Raise :class:`CatalogueError` naming the contract and class of a bad colour.

    Colours are written ``#rrggbb`` (or ``#rrggbbaa``); ``fill`` may also be ``none``.

    Parameters
    ----------
    contract : LayerContract
        The contract whose ``[style]`` (layer keys and every class) is checked.

    Raises
    ------
    CatalogueError
        At the first colour that is not ``#rrggbb``/``#rrggbbaa``, naming the contract file
        and the key (``style.classes[2].color``).
    """
    style = contract.style
    places: list[tuple[str, Any]] = [
        (f"style.{k}", style[k]) for k in ("color", "stroke", "fill", "other_color") if k in style
    ]
    for i, cls in enumerate(style.get("classes", []), start=1):
        places += [
            (f"style.classes[{i}].{k}", cls[k]) for k in ("color", "stroke", "fill") if k in cls
        ]
    for where, value in places:
        if where.endswith(".fill") and value == "none":
            continue
        if not isinstance(value, str) or not _COLOR.match(value.strip()):
            raise CatalogueError(
                f"{value!r} is not a colour",
                source=contract.source_path or contract.name,
                field=where,
                fix='write colours as "#rrggbb", e.g. "#d73027"',
            )


def _close_ranges(
    rules: list[Rule], contract: LayerContract | None, field_name: str | None
) -> list[Rule]:
    """Give open-ended graduated classes finite bounds (QGIS ranges need both)."""
    spec = None
    if contract is not None and field_name and contract.has_field(field_name):
        spec = contract.field(field_name)
    floor = spec.min if spec is not None and spec.min is not None else -1e12
    ceiling = spec.max if spec is not None and spec.max is not None else 1e12
    out = []
    for i, r in enumerate(rules):
        prev_upper = rules[i - 1].upper if i > 0 else None
        next_lower = rules[i + 1].lower if i + 1 < len(rules) else None
        lower: float = (
            r.lower if r.lower is not None else (prev_upper if prev_upper is not None else floor)
        )
        upper: float = (
            r.upper if r.upper is not None else (next_lower if next_lower is not None else ceiling)
        )
        out.append(Rule(label=r.label, paint=r.paint, lower=float(lower), upper=float(upper)))
    return out


def category_text(value: Any) -> str:
    """Format a category value as QGIS compares it (``QVariant::toString``).

    Parameters
    ----------
    value : Any
        A class ``value`` from the contract (str, int, float, bool or ``None``).

    Returns
    -------
    str
        ``true``/``false`` for a bool, a whole float without ``.0``, ``""`` for ``None``,
        else ``str(value)``.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
