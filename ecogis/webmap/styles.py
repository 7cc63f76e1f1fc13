"""Turn a layer contract's ``[style]`` (plus a recipe's override) into the renderer's style.

The contract's ``[style]`` section is shared with the QGIS styles: ``type`` (single,
categorized, graduated), ``field``, ``classes`` (``value`` or ``min``/``max``, ``color``,
``label_th``/``label_en``), ``size``, ``stroke``, ``stroke_width``, ``stroke_dash``,
``fill``, ``opacity``; and, for the web map, ``size_field`` (circle area by a value) and
``width_field`` (line width by a value).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ecogis.schema import LayerContract

DEFAULT_COLOR = "#3182bd"


def merged_style(contract: LayerContract, override: dict[str, Any]) -> dict[str, Any]:
    """Return the contract's style with the recipe's keys laid over it.

    A recipe that sets ``field`` to another field drops the contract's classes unless it
    gives its own (and becomes graduated unless it names a ``type``).

    Parameters
    ----------
    contract : LayerContract
        The layer contract (its ``[style]``).
    override : dict of str to Any
        The recipe entry's ``style`` keys.

    Returns
    -------
    dict of str to Any
        The merged ``[style]`` (a new dict; the contract is not changed).
    """
    base = dict(contract.style)
    if (
        override.get("field")
        and override.get("field") != base.get("field")
        and "classes" not in override
    ):
        base.pop("classes", None)
        if "type" not in override:
            base["type"] = "graduated"
    base.update(override)
    return base


def renderer_style(
    style: dict[str, Any],
    *,
    lang: str,
    shape: str,
    values: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Return the style dict the JavaScript renderer reads (see ``templates/webmap.js``).

    Parameters
    ----------
    style : dict of str to Any
        Merged contract/recipe style.
    lang : str
        ``th`` or ``en`` for class labels.
    shape : str
        ``point``, ``line`` or ``polygon``: sets sensible widths and opacities.
    values : pandas.DataFrame or None
        The layer's data, used to compute class breaks when a graduated style has none
        and the domains of ``size_field`` / ``width_field``; default ``None``.

    Returns
    -------
    dict of str to Any
        ``type``, ``field``, ``color``, ``stroke``, ``weight`` (line width, CSS px),
        ``dash``, ``fill``, ``fill_opacity`` and ``opacity`` (0–1), ``radius`` (CSS px),
        ``classes`` (``color``, ``label`` and ``value`` or ``min``/``max``),
        ``other_color``; with a size or width field also ``<key>_field``, ``<key>_min``,
        ``<key>_max`` (CSS px) and ``<key>_domain`` (the field's range, ≥ 0).
    """
    kind = style.get("type", "single")
    fill = style.get("fill", "")
    color = (
        style.get("color")
        or (fill if fill and fill != "none" else "")
        or style.get("stroke")
        or DEFAULT_COLOR
    )
    out: dict[str, Any] = {
        "type": kind,
        "field": style.get("field"),
        "color": color,
        "stroke": style.get("stroke") or ("#333333" if shape == "point" else None),
        "weight": float(style.get("stroke_width", 1.5 if shape != "line" else 3.0)),
        "dash": style.get("stroke_dash"),
        "fill": "none" if fill == "none" else "solid",
        "fill_opacity": float(style.get("opacity", 0.85 if shape == "point" else 0.3)),
        "opacity": 0.9,
        "radius": float(style.get("size", 6)),
        "classes": [],
        "other_color": style.get("other_color", "#9e9e9e"),
    }
    if shape == "polygon" and out["stroke"] is None and kind != "single":
        out["stroke"] = None
    classes = style.get("classes", [])
    if kind == "graduated" and not classes and values is not None and style.get("field") in values:
        classes = quantile_classes(values[style["field"]], style.get("colors") or _RAMP)
    out["classes"] = [_class(c, lang) for c in classes]
    for key, default_min, default_max in (("size", 4.0, 18.0), ("width", 1.5, 10.0)):
        fld = style.get(f"{key}_field")
        if not fld:
            continue
        out[f"{key}_field"] = fld
        out[f"{key}_min"] = float(style.get(f"{key}_min", default_min))
        out[f"{key}_max"] = float(style.get(f"{key}_max", default_max))
        domain = [0.0, 1.0]
        if values is not None and fld in values:
            num = pd.to_numeric(values[fld], errors="coerce").dropna()
            if len(num):
                domain = [max(float(num.min()), 0.0), max(float(num.max()), 0.0)]
        out[f"{key}_domain"] = domain
    return out


_RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")


def _class(c: dict[str, Any], lang: str) -> dict[str, Any]:
    label = c.get(f"label_{lang}") or c.get("label_en") or c.get("label_th")
    out: dict[str, Any] = {"color": c.get("color", DEFAULT_COLOR)}
    if "value" in c:
        out["value"] = c["value"]
        out["label"] = str(label if label is not None else c["value"])
    else:
        out["min"] = float(c.get("min", float("-inf")))
        out["max"] = float(c.get("max", float("inf")))
        out["label"] = str(
            label if label is not None else f"{_num(out['min'])} – {_num(out['max'])}"
        )
    return out


def quantile_classes(
    values: pd.Series, colors: tuple[str, ...] | list[str]
) -> list[dict[str, Any]]:
    """Quantile classes over ``values`` (at most ``len(colors)``, fewer when values repeat).

    Zeros get a class of their own (the lightest colour) when there are positive values
    too, so that a few busy areas among many empty ones still show their differences.

    Parameters
    ----------
    values : pandas.Series
        The numbers classed (non-numbers are ignored), in the field's unit.
    colors : tuple of str or list of str
        The colour ramp, lightest first.

    Returns
    -------
    list of dict of str to Any
        Classes with ``min``, ``max``, ``color``, ``label_th`` and ``label_en``; empty when
        there is no number.
    """
    num = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if not len(num):
        return []
    out: list[dict[str, Any]] = []
    ramp = list(colors)
    if (num == 0).any() and (num > 0).any() and len(ramp) > 1:
        out.append({"min": 0.0, "max": 0.0, "color": ramp[0], "label_th": "0", "label_en": "0"})
        ramp = ramp[1:]
        num = num[num > 0]
    qs = np.quantile(num, np.linspace(0, 1, len(ramp) + 1))
    edges = sorted(set(np.round(qs, 6).tolist()))
    if len(edges) == 1:
        edges = [edges[0], edges[0]]
    n = len(edges) - 1
    # Spread the colours across the ramp when there are fewer classes than colours.
    pick = np.linspace(0, len(ramp) - 1, n).round().astype(int) if n > 1 else [len(ramp) - 1]
    for i in range(n):
        same = edges[i] == edges[i + 1]
        label = _num(edges[i]) if same else f"{_num(edges[i])} – {_num(edges[i + 1])}"
        out.append(
            {
                "min": edges[i],
                "max": edges[i + 1],
                "color": ramp[int(pick[i])],
                "label_th": label,
                "label_en": label,
            }
        )
    return out


def _num(x: float) -> str:
    if not np.isfinite(x):
        return "…"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def legend_entries(
    style: dict[str, Any],
    *,
    shape: str,
    title: str,
    lang: str,
    field_labels: dict[str, str],
    units: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Legend rows of one layer: one per class, and the scale of line widths and sizes.

    Parameters
    ----------
    style
        The renderer's style (:func:`renderer_style`).
    shape
        ``point``, ``line`` or ``polygon``.
    title
        The layer's title (the label of a single-symbol layer).
    lang
        ``th`` or ``en``.
    field_labels
        Field → label in ``lang``.
    units
        Field → unit in ``lang``, written after the values of a width or size scale.

    Returns
    -------
    list of dict
        Rows the renderer draws: a swatch (``color``, ``label``, ``shape``, ``width`` in
        pixels, ``radius`` in pixels for a size scale) or a ``note``.
    """
    rows: list[dict[str, Any]] = []
    if style["type"] == "single" or not style["classes"]:
        rows.append(
            {
                "color": style["color"],
                "label": title,
                "shape": shape,
                "stroke": style.get("stroke"),
                "dash": style.get("dash"),
                "width": style.get("weight"),
                "fill": style.get("fill"),
            }
        )
    else:
        for c in style["classes"]:
            rows.append(
                {
                    "color": c["color"],
                    "label": c["label"],
                    "shape": shape,
                    "width": style.get("weight"),
                }
            )
    by = "ขนาดตาม" if lang == "th" else "Size by"
    wide = "ความกว้างเส้นตาม" if lang == "th" else "Line width by"
    units = units or {}
    for key, word, kind in (("width", wide, "line"), ("size", by, "point")):
        fld = style.get(f"{key}_field")
        if not fld:
            continue
        unit = units.get(fld, "")
        name = field_labels.get(fld, fld)
        rows.append({"note": f"{word} {name}" + (f" ({unit})" if unit and unit != name else "")})
        # The scale itself: a few values and the width (or radius) they are drawn with.
        if (key == "width" and shape != "line") or (key == "size" and shape != "point"):
            continue
        scale = (style[f"{key}_min"], style[f"{key}_max"])
        for value, px in scale_samples(style[f"{key}_domain"], scale):
            row: dict[str, Any] = {"color": "#666666", "label": f"{_num(value)} {unit}".strip()}
            row["shape"] = kind
            row["width" if key == "width" else "radius"] = round(px, 1)
            rows.append(row)
    return rows


def scale_samples(
    domain: list[float], pixels: tuple[float, float], n: int = 3
) -> list[tuple[float, float]]:
    """Round values across a square-root scale and the pixels each is drawn with.

    The renderer (``scaled`` in ``templates/webmap.js``) maps ``sqrt(value)`` linearly from
    ``domain`` onto ``pixels``; the same here, so a legend's line is as wide as the map's.

    Parameters
    ----------
    domain
        Smallest and largest value of the layer.
    pixels
        Width (or radius) in pixels of the smallest and the largest value.
    n
        How many samples, largest first.

    Returns
    -------
    list of (value, pixels)
        Values rounded to two significant digits, without repeats.
    """
    lo, hi = max(float(domain[0]), 0.0), max(float(domain[1]), 0.0)
    if not hi > lo:
        return [(hi, pixels[1])] if hi > 0 else []
    out: list[tuple[float, float]] = []
    for t in np.linspace(1.0, 0.15, n):
        raw = (np.sqrt(lo) + t * (np.sqrt(hi) - np.sqrt(lo))) ** 2
        value = float(f"{raw:.2g}") if raw > 0 else 0.0
        value = min(max(value, lo), hi)
        if value <= 0 or any(v == value for v, _ in out):
            continue
        frac = (np.sqrt(value) - np.sqrt(lo)) / (np.sqrt(hi) - np.sqrt(lo))
        out.append((value, float(pixels[0] + frac * (pixels[1] - pixels[0]))))
    return out


def shape_of(geom_types: pd.Series) -> str:
    """``point``, ``line`` or ``polygon`` for a layer's geometry types (the most common).

    Parameters
    ----------
    geom_types : pandas.Series
        The layer's ``geom_type`` per row (``Point``, ``MultiLineString`` …).

    Returns
    -------
    str
        ``point`` (also for an empty layer), ``line`` or ``polygon``.
    """
    if geom_types.empty:
        return "point"
    top = str(geom_types.mode().iloc[0])
    if "Point" in top:
        return "point"
    if "Line" in top:
        return "line"
    return "polygon"
