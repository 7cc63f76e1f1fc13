"""Small inline SVG charts for the reports (no JavaScript, no network, print-friendly).

Every text placed in the SVG is escaped; the result is marked safe for Jinja2 by the
caller only because it was built here from escaped parts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

FONT = "'Noto Sans Thai','Sarabun','Tahoma','Loma','Garuda',sans-serif"


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "–"
    if abs(x) >= 1e6:
        return f"{x / 1e6:,.1f}M"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def _svg_head(width: int, height: int, title: str) -> list[str]:
    """Open the ``<svg>`` of a chart with its ``<title>`` and visible heading."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="bold" font-size="13">{escape(title)}</text>',
    ]


def hbar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    color: str = "#3182bd",
    colors: Sequence[str] | None = None,
    width: int = 760,
    unit: str = "",
) -> str:
    """Draw a horizontal bar chart: one labelled bar per value.

    Parameters
    ----------
    labels : Sequence of str
        One label per bar (cut to 50 characters).
    values : Sequence of float
        The bar lengths, in ``unit``; NaN/inf draw no bar and print ``–``, negatives draw
        no bar.
    title : str
        The chart heading and its ``<title>``.
    color : str
        Bar colour (CSS); default ``#3182bd``.
    colors : Sequence of str or None
        One colour per bar, overriding ``color``; ``None`` (default) uses ``color``.
    width : int
        Width in CSS pixels; default 760.
    unit : str
        Unit printed after each value (``t/yr``); default none.

    Returns
    -------
    str
        An ``<svg>`` element (with a ``<title>`` for screen readers); ``""`` when there
        are no values.
    """
    n = len(values)
    if n == 0:
        return ""
    bar_h, gap, label_w, top = 18, 6, 340, 28
    height = top + n * (bar_h + gap) + 8
    vmax = max([v for v in values if math.isfinite(v)] + [0.0]) or 1.0
    plot_w = width - label_w - 90
    parts = _svg_head(width, height, title)
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = top + i * (bar_h + gap)
        w = 0.0 if not math.isfinite(value) else max(value, 0.0) / vmax * plot_w
        fill = colors[i] if colors is not None and i < len(colors) else color
        short = label if len(label) <= 50 else label[:48] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(short)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{escape(fill)}"/>'
        )
        text = _fmt(value) + (f" {unit}" if unit else "")
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def paired_bar_chart(
    labels: Sequence[str],
    first: Sequence[float],
    second: Sequence[float],
    *,
    title: str,
    names: tuple[str, str],
    width: int = 760,
) -> str:
    """Two bars per label (e.g. baseline and follow-up), each scaled to its own row maximum.

    Parameters
    ----------
    labels : Sequence of str
        One label per row (cut to 50 characters).
    first, second : Sequence of float
        The two values of each row (same length as ``labels``), in the row's own unit; NaN
        draws no bar.
    title : str
        The chart heading and its ``<title>``.
    names : tuple of (str, str)
        Legend names of the two bars (``baseline``, ``follow-up``).
    width : int
        Width in CSS pixels; default 760.

    Returns
    -------
    str
        An ``<svg>`` element; ``""`` when there are no labels.
    """
    n = len(labels)
    if n == 0:
        return ""
    bar_h, gap, label_w, top = 10, 10, 340, 44
    height = top + n * (2 * bar_h + gap) + 8
    plot_w = width - label_w - 90
    colors = ("#9ecae1", "#08519c")
    parts = _svg_head(width, height, title)
    for k, (name, color) in enumerate(zip(names, colors, strict=False)):
        x = label_w + k * 140
        parts.append(f'<rect x="{x}" y="24" width="12" height="10" fill="{color}"/>')
        parts.append(f'<text x="{x + 16}" y="33">{escape(name)}</text>')
    for i, label in enumerate(labels):
        y = top + i * (2 * bar_h + gap)
        a, b = first[i], second[i]
        vmax = max([v for v in (a, b) if math.isfinite(v)] + [0.0]) or 1.0
        short = label if len(label) <= 50 else label[:48] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h + 4}" text-anchor="end">{escape(short)}</text>'
        )
        for k, (v, color) in enumerate(((a, colors[0]), (b, colors[1]))):
            yy = y + k * bar_h
            w = 0.0 if not math.isfinite(v) else max(v, 0.0) / vmax * plot_w
            parts.append(
                f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" '
                f'height="{bar_h - 1}" fill="{color}"/>'
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{yy + bar_h - 1}" font-size="10">'
                f"{escape(_fmt(v))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
