"""HTML report pages → A4 PDF with WeasyPrint (Pango shapes Thai; libthai breaks it by words).

Why WeasyPrint and not a browser's print: Pango lays Thai out with HarfBuzz and breaks lines
with libthai's dictionary, needs no browser and no network, and honours the print CSS
(``@page`` size and margins, page numbers, table headers repeated on each page, rows that
are never cut across pages). Proper names that a word-breaker splits (กรม|โรงงาน|อุตสาหกรรม)
are kept whole by :func:`keep_compounds`.

The Thai font is one the system has through fontconfig (Debian's ``fonts-thai-tlwg``, which
the README and ``.ci/run`` install): Laksaman (a free version of the TH Sarabun design that
Thai government documents use) for text, Garuda for headings. WeasyPrint embeds the glyphs
it uses, so the PDF shows the same on every machine.

Text extraction: WeasyPrint maps each glyph to the text of the first cluster it was drawn
in. Thai shaping draws one glyph for several characters' places (SARA AM is NIKHAHIT +
SARA AA; a tone mark has a lowered variant), so the first word decided what every later
SARA AA meant to a reader of the PDF's text (``การ`` came out ``กำร``). :func:`write_pdf`
gives each Thai glyph the character its name in the font says (``uni0E49.low`` → ``้``), so
``pdftotext`` and a PDF reader's search find the words (SARA AM reads as NIKHAHIT + SARA
AA, its compatibility decomposition; NFKC gives ``ำ`` back).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ecogis.errors import EcogisError

log = logging.getLogger(__name__)

THAI_FONTS = ("Laksaman", "Garuda", "Loma", "Sawasdee")
"""Font families the print CSS asks for, in order (Debian's fonts-thai-tlwg)."""

COMPOUNDS = (
    "กรมโรงงานอุตสาหกรรม",
    "กระทรวงอุตสาหกรรม",
    "สำนักงานอุตสาหกรรมจังหวัด",
    "การนิคมอุตสาหกรรมแห่งประเทศไทย",
    "เมืองอุตสาหกรรมเชิงนิเวศ",
    "อุตสาหกรรมเชิงนิเวศ",
    "นิคมอุตสาหกรรม",
    "สวนอุตสาหกรรม",
    "เขตประกอบการอุตสาหกรรม",
    "อุตสาหกรรมสีเขียว",
    "คณะกรรมการ",
    "คน-วัน",
)
"""Proper names and terms a line never breaks inside (longest first where they overlap)."""


class PdfError(EcogisError):
    """The PDF cannot be made on this machine (a library or the Thai font is missing)."""


@lru_cache(maxsize=1)
def thai_font() -> str:
    """Find the first of :data:`THAI_FONTS` fontconfig has.

    Returns
    -------
    str
        The font family name (e.g. ``Laksaman``).

    Raises
    ------
    PdfError
        When none is installed, with the package to install.
    """
    fc = shutil.which("fc-list")
    if fc is not None:
        out = subprocess.run(
            [fc, ":lang=th", "family"], capture_output=True, text=True, check=False
        ).stdout
        families = {f.strip() for line in out.splitlines() for f in line.split(",")}
        for name in THAI_FONTS:
            if name in families:
                return name
    raise PdfError(
        "no Thai font for the PDF (Laksaman, Garuda, Loma or Sawasdee)",
        fix="install Debian's fonts-thai-tlwg: apt-get install fonts-thai-tlwg",
    )


def keep_compounds(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into pieces, marking the :data:`COMPOUNDS` that must stay on one line.

    Parameters
    ----------
    text : str
        Thai (or any) text; the longest compound wins where two overlap.

    Returns
    -------
    list of (str, bool)
        The pieces in order; ``True`` for a compound (the template wraps it in a span
        shown as an inline block that does not wrap: a line may break before and after
        it, never inside; the text itself is escaped as usual). Empty for empty text.
    """
    if not text:
        return []
    pattern = "|".join(re.escape(c) for c in sorted(COMPOUNDS, key=len, reverse=True))
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in re.finditer(pattern, text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


_GLYPH_NAME = re.compile(r"^(?:uni([0-9A-Fa-f]{4})|u([0-9A-Fa-f]{5,6}))(?:\..*)?$")


def _char_of_glyphs(file_content: bytes, index: int) -> dict[int, str]:
    """Glyph id → the one character its name (or the font's cmap) says, for Thai glyphs.

    Only Thai characters (U+0E00–U+0E7F) are given: elsewhere WeasyPrint's cluster text
    is right (a Latin ligature ``fi`` keeps both letters).
    """
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(file_content), fontNumber=index, lazy=True)
    order = font.getGlyphOrder()
    out: dict[int, str] = {}
    for gid, name in enumerate(order):
        m = _GLYPH_NAME.match(name)
        if m:
            ch = chr(int(m.group(1) or m.group(2), 16))
            if "\u0e00" <= ch <= "\u0e7f":
                out[gid] = ch
    for code, name in font.getBestCmap().items():
        ch = chr(code)
        gid = font.getGlyphID(name)
        if "\u0e00" <= ch <= "\u0e7f" and gid not in out:
            out[gid] = ch
    return out


@contextlib.contextmanager
def _thai_text_maps() -> Iterator[None]:
    """While a PDF is written, correct the text each Thai glyph stands for (see module doc)."""
    try:
        from weasyprint.pdf import fonts
    except ImportError:  # pragma: no cover - weasyprint is a dependency
        yield
        return
    original = getattr(fonts.Font, "clean", None)
    if original is None:  # another WeasyPrint: the text renders right, extraction may not
        log.debug("WeasyPrint has no Font.clean; Thai text maps left as they are")
        yield
        return

    def clean(self: Any, to_unicode: Any, hinting: Any) -> Any:
        try:
            chars = _char_of_glyphs(self.file_content, self.index)
            for gid in list(self.to_unicode):
                if gid in chars:
                    self.to_unicode[gid] = chars[gid]
        except Exception as exc:  # a font fontTools cannot read: keep WeasyPrint's map
            log.debug("text map of %s left as is: %s", getattr(self, "family", "?"), exc)
        return original(self, to_unicode, hinting)

    fonts.Font.clean = clean
    try:
        yield
    finally:
        fonts.Font.clean = original


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML page (print CSS, A4) and return the PDF bytes.

    Thai glyphs get their real characters in the PDF's text map, so copied or extracted
    text reads right.

    Parameters
    ----------
    html : str
        A complete page with its print stylesheet.

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    PdfError
        When no Thai font is installed, or WeasyPrint or its system libraries (Pango)
        cannot be loaded.
    """
    thai_font()
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfError(
            f"WeasyPrint cannot run here ({type(exc).__name__}: {exc})",
            fix="install ecogis with its dependencies (pip install ecogis) and Pango "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
        ) from exc
    with _thai_text_maps():
        data = HTML(string=html, base_url=None).write_pdf()
    assert data is not None
    return bytes(data)


def write_pdf(html: str, out: Path) -> Path:
    """Write the PDF of ``html`` to ``out`` (replaced whole: a half-written file never stays).

    Parameters
    ----------
    html : str
        A complete page with its print stylesheet.
    out : Path
        The ``.pdf`` file to write; its folder is created when missing.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    PdfError
        When no Thai font is installed or WeasyPrint cannot run (see :func:`html_to_pdf`).
    """
    data = html_to_pdf(html)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


_SVG_NS = "http://www.w3.org/2000/svg"
PRINT_WIDTH_PX = 660.0
"""Widest chart on an A4 page between the margins (CSS px, 1/96 in)."""


def svg_chart_for_print(svg: str) -> Any:
    """Wrap a report chart (inline SVG with Thai labels) in HTML that WeasyPrint lays out right.

    WeasyPrint draws SVG text one character at a time, which tears Thai marks from their
    letters. The chart's shapes stay SVG; each ``<text>`` becomes an HTML span placed at
    the same point (same size, weight and anchor), so Pango shapes it. The chart is scaled
    to fit :data:`PRINT_WIDTH_PX`. Text is escaped again here; the result is markup built
    from escaped parts (for the template's ``charts`` callable).

    Parameters
    ----------
    svg : str
        A chart of :mod:`ecogis.report.charts` (``width``/``height`` in CSS px).

    Returns
    -------
    markupsafe.Markup
        A ``<div class="print-chart">`` holding the SVG shapes and the text spans, at most
        :data:`PRINT_WIDTH_PX` (660 px) wide.
    """
    import xml.etree.ElementTree as ET

    from markupsafe import Markup, escape

    ET.register_namespace("", _SVG_NS)
    root = ET.fromstring(svg)
    width = float(root.get("width", "760"))
    height = float(root.get("height", "200"))
    scale = min(1.0, PRINT_WIDTH_PX / width)
    spans: list[str] = []
    for parent in root.iter():
        for child in list(parent):
            if child.tag != f"{{{_SVG_NS}}}text":
                continue
            parent.remove(child)
            x = float(child.get("x", "0")) * scale
            y = float(child.get("y", "0")) * scale
            size = float(child.get("font-size", root.get("font-size", "12"))) * scale
            anchor = child.get("text-anchor", "start")
            bold = "font-weight:bold;" if child.get("font-weight") == "bold" else ""
            top = y - 0.95 * size  # the span's line box, its baseline near the SVG's
            if anchor == "end":
                where = f"right:{width * scale - x:.1f}px;text-align:right;"
            elif anchor == "middle":
                where = f"left:{x - 200:.1f}px;width:400px;text-align:center;"
            else:
                where = f"left:{x:.1f}px;"
            spans.append(
                f'<span style="position:absolute;top:{top:.1f}px;{where}font-size:{size:.1f}px;'
                f'line-height:{1.2 * size:.1f}px;white-space:nowrap;{bold}">'
                f"{escape(''.join(child.itertext()))}</span>"
            )
    root.set("width", f"{width * scale:.1f}")
    root.set("height", f"{height * scale:.1f}")
    shapes = ET.tostring(root, encoding="unicode")
    return Markup(
        f'<div class="print-chart" style="position:relative;width:{width * scale:.1f}px;'
        f'height:{height * scale:.1f}px">{shapes}{"".join(spans)}</div>'
    )
