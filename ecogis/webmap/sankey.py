"""A Sankey flow diagram as inline SVG: waste material → receiving industry, in tonnes.

Built in Python from escaped parts, with no script and no external reference, so the same
text works inside an HTML report, a PDF made from it (WeasyPrint draws inline SVG), and in
a web map as an ``<img>`` with a ``data:`` URI (an image never runs anything). Reuse it
with :func:`sankey_svg` for any two-column flow table.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

FONT = "'Noto Sans Thai','Sarabun','Tahoma','Loma','Garuda',sans-serif"
OTHER = {"th": "อื่น ๆ", "en": "Other"}


@dataclass(frozen=True)
class Flow:
    """One band of the diagram: ``value`` from ``source`` to ``target``, coloured ``color``."""

    source: str
    target: str
    value: float
    color: str = "#7f7f7f"


def _fmt(x: float) -> str:
    if abs(x) >= 1e6:
        return f"{x / 1e6:,.1f}M"
    return f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:,.1f}"


def _cells(text: str) -> int:
    """Count the characters that take room on a line.

    Thai vowel and tone marks above or below a consonant take none.
    """
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def _short(text: str, n: int = 30) -> str:
    """``text`` cut to ``n`` characters of room, with "…" (never inside a Thai cluster)."""
    if _cells(text) <= n:
        return text
    out, room = [], 0
    for ch in text:
        spacing = unicodedata.category(ch) != "Mn"
        if spacing and room >= n - 1:
            break
        out.append(ch)
        room += spacing
    return "".join(out) + "…"


def _top(flows: list[Flow], attr: str, keep: int, other: str) -> list[Flow]:
    """Flows with all but the ``keep`` largest sources (or targets) merged into ``other``."""
    totals: dict[str, float] = {}
    for f in flows:
        totals[getattr(f, attr)] = totals.get(getattr(f, attr), 0.0) + f.value
    kept = set(sorted(totals, key=lambda k: -totals[k])[:keep])
    out = []
    for f in flows:
        if getattr(f, attr) in kept:
            out.append(f)
        elif attr == "source":
            out.append(Flow(other, f.target, f.value, "#9e9e9e"))
        else:
            out.append(Flow(f.source, other, f.value, f.color))
    return out


def sankey_svg(
    flows: Sequence[Flow],
    *,
    title: str,
    unit: str,
    lang: str = "th",
    width: int = 760,
    keep: int = 10,
) -> str:
    """Draw the diagram of ``flows`` as one ``<svg>`` element.

    Parameters
    ----------
    flows
        The bands (values ≤ 0 or not finite are left out; repeated source–target pairs are
        added up).
    title
        Heading of the diagram (also its accessible ``<title>``).
    unit
        Written after each node's total, e.g. ``ตัน/ปี``.
    lang
        ``th`` or ``en`` (the word for merged small nodes).
    width
        Width in pixels (a third of it on each side for the labels); the height follows
        the number of nodes.
    keep
        At most this many sources and targets; the rest are merged into "other".

    Returns
    -------
    str
        The SVG text ('' when there is no flow).
    """
    clean = [f for f in flows if math.isfinite(f.value) and f.value > 0]
    if not clean:
        return ""
    clean = _top(_top(clean, "source", keep, OTHER[lang]), "target", keep, OTHER[lang])
    merged: dict[tuple[str, str], Flow] = {}
    for f in clean:
        key = (f.source, f.target)
        old = merged.get(key)
        merged[key] = Flow(f.source, f.target, f.value + (old.value if old else 0.0), f.color)
    bands = list(merged.values())
    left: dict[str, float] = {}
    right: dict[str, float] = {}
    color: dict[str, str] = {}
    for b in bands:
        left[b.source] = left.get(b.source, 0.0) + b.value
        right[b.target] = right.get(b.target, 0.0) + b.value
        color.setdefault(b.source, b.color)
    lefts = sorted(left, key=lambda k: -left[k])
    rights = sorted(right, key=lambda k: -right[k])
    total = sum(left.values())
    gap, top, bar = 10, 34, 14
    label_w = int(width * 0.33)  # 250 px at the default width
    chars = max(20, round(label_w / 7))  # a label's room with its amount (36 at 760 px)
    n = max(len(lefts), len(rights))
    plot_h = max(120, 26 * n)
    height = top + plot_h + gap * n + 16
    scale = plot_h / total
    x0, x1 = label_w, width - label_w - bar

    def place(names: list[str], sizes: dict[str, float]) -> dict[str, float]:
        y, out = float(top), {}
        for name in names:
            out[name] = y
            y += sizes[name] * scale + gap
        return out

    ly, ry = place(lefts, left), place(rights, right)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart sankey" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(FONT)}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="bold" font-size="13">{escape(title)}</text>',
    ]
    out_off = dict.fromkeys(lefts, 0.0)
    in_off = dict.fromkeys(rights, 0.0)
    for b in sorted(bands, key=lambda b: (lefts.index(b.source), rights.index(b.target))):
        h = b.value * scale
        ya = ly[b.source] + out_off[b.source]
        yb = ry[b.target] + in_off[b.target]
        out_off[b.source] += h
        in_off[b.target] += h
        xa, xb = x0 + bar, x1
        mid = (xa + xb) / 2
        path = (
            f"M{xa:.1f},{ya:.1f} C{mid:.1f},{ya:.1f} {mid:.1f},{yb:.1f} {xb:.1f},{yb:.1f} "
            f"L{xb:.1f},{yb + h:.1f} C{mid:.1f},{yb + h:.1f} {mid:.1f},{ya + h:.1f} "
            f"{xa:.1f},{ya + h:.1f} Z"
        )
        tip = f"{b.source} → {b.target}: {_fmt(b.value)} {unit}"
        parts.append(
            f'<path d="{path}" fill="{escape(b.color)}" fill-opacity="0.45">'
            f"<title>{escape(tip)}</title></path>"
        )
    for names, pos, sizes, x, anchor, tx in (
        (lefts, ly, left, x0, "end", x0 - 6),
        (rights, ry, right, x1, "start", x1 + bar + 6),
    ):
        for name in names:
            h = max(sizes[name] * scale, 1.0)
            fill = color.get(name, "#555555") if names is lefts else "#555555"
            parts.append(
                f'<rect x="{x}" y="{pos[name]:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{escape(fill)}"/>'
            )
            amount = f" ({_fmt(sizes[name])})"
            label = _short(name, max(8, chars - len(amount))) + amount
            parts.append(
                f'<text x="{tx}" y="{pos[name] + h / 2 + 4:.1f}" text-anchor="{anchor}">'
                f"{escape(label)}</text>"
            )
    parts.append(
        f'<text x="{width / 2:.0f}" y="{height - 4}" text-anchor="middle" fill="#555">'
        f"{escape(_fmt(total))} {escape(unit)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def flows_from_table(
    table: pd.DataFrame, *, source: str, target: str, value: str, color: str | None = None
) -> list[Flow]:
    """:class:`Flow` bands from a table's columns (rows with a blank end are left out).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per band.
    source, target : str
        The columns naming each band's two ends (text).
    value : str
        The column of the band's size (e.g. tonnes/year); rows where it is NaN are left
        out.
    color : str or None
        A column of CSS colours; ``None`` (default) draws every band grey.

    Returns
    -------
    list of Flow
        The bands, in row order.
    """
    out = []
    colors = table[color] if color else pd.Series("#7f7f7f", index=table.index)
    for s, t, v, c in zip(table[source], table[target], table[value], colors, strict=True):
        if isinstance(s, str) and isinstance(t, str) and v == v:
            out.append(Flow(s, t, float(v), str(c)))
    return out
