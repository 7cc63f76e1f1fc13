"""What one cell means, the same for every importer: blank, text, a registration number.

These are the rules every table and registry importer applies to a single cell, written once:

* :func:`is_blank` — the one meaning of a blank cell (see :data:`BLANK_WORDS`);
* :func:`text_or_na` — a cell's text, trimmed, or ``pd.NA`` when blank;
* :func:`normalise_key` — a factory registration number as a key, so that one factory is one
  factory however the file spells it (spaces, Thai digits, invisible or full-width characters).

A column with its own words (a status column where ``ไม่มี`` means *no*, a hazard column where
``none`` is a value) looks its words up first and applies the blank rule to the rest.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

import pandas as pd

BLANK_WORDS = frozenset({"", "-", "--", "–", "—", "n/a", "null", "ไม่มี", "ไม่ระบุ", "ไม่มีข้อมูล"})
"""What a cell holds when it means "no value" (compared after trimming, in lower case).

Not ``nan``/``na`` (Nan is a province) and not ``none`` or ``0`` (values in some columns)."""

_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u3164\uffa0")
"""Invisible characters that Unicode does not class as format characters (Cf): the combining
grapheme joiner and the Hangul fillers, which paste as blanks."""

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SPACES = re.compile(r"\s+")
_EXCEL_QUOTED = re.compile(r'^="(.*)"$', re.DOTALL)


def is_invisible(char: str) -> bool:
    """Return True for a character that shows nothing.

    Zero-width space and joiners, BOM, soft hyphen, direction marks, word joiner, variation
    selectors (Unicode Cf and the like).

    Parameters
    ----------
    char : str
        One character.

    Returns
    -------
    bool
        ``True`` for a format character (Cf), a variation selector (U+FE00–U+FE0F), the
        combining grapheme joiner or a Hangul filler.
    """
    return (
        unicodedata.category(char) == "Cf"
        or char in _INVISIBLE_EXTRA
        or "\ufe00" <= char <= "\ufe0f"
    )


@lru_cache(maxsize=1)
def _invisible_chars() -> frozenset[str]:
    """Every :func:`is_invisible` character.

    Format characters live in planes 0, 1 and 14 only (Unicode 15); read once, about 0.1 s.
    """
    planes = (range(0x80, 0x20000), range(0xE0000, 0xE1000))
    return frozenset(chr(c) for plane in planes for c in plane if is_invisible(chr(c)))


@lru_cache(maxsize=1)
def _invisible_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_invisible_chars())) + "]")


def strip_invisible(text: str) -> str:
    """``text`` without invisible characters (:func:`is_invisible`).

    Parameters
    ----------
    text : str
        Any text; ASCII text comes back as it is.

    Returns
    -------
    str
        The text with every invisible character removed (anywhere, not only at the ends).
    """
    if text.isascii():
        return text
    return _invisible_pattern().sub("", text)


def trim(text: str) -> str:
    """Whitespace and invisible characters removed from both ends.

    Parameters
    ----------
    text : str
        A cell's text.

    Returns
    -------
    str
        The text without leading and trailing whitespace and invisible characters; those
        inside the text are kept.
    """
    out = text.strip()
    if not out or out.isascii():
        return out
    hidden = _invisible_chars()
    if out[0] not in hidden and out[-1] not in hidden:
        return out
    start, end = 0, len(out)
    while start < end and (out[start] in hidden or out[start].isspace()):
        start += 1
    while end > start and (out[end - 1] in hidden or out[end - 1].isspace()):
        end -= 1
    return out[start:end]


_LONGEST_BLANK = max(len(w) for w in BLANK_WORDS)


def _blank_text(trimmed: str) -> bool:
    return len(trimmed) <= _LONGEST_BLANK and trimmed.lower() in BLANK_WORDS


def is_blank(value: Any) -> bool:
    """Return True when a cell means "no value": missing, empty, or one of :data:`BLANK_WORDS`.

    Whitespace and invisible characters around the text do not count, so a cell holding only
    a zero-width space or a non-breaking space is blank too.

    Parameters
    ----------
    value : Any
        A cell as read (text, number, ``None``, ``pd.NA``, ``pd.NaT``, NaN).

    Returns
    -------
    bool
        ``True`` for ``None``, ``pd.NA``, ``pd.NaT``, a float NaN, or text that trims to one
        of :data:`BLANK_WORDS` (any case); ``False`` otherwise (``0`` and ``none`` are values).
    """
    if isinstance(value, str):
        return _blank_text(trim(value))
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def text_or_na(value: Any) -> Any:
    """Return a cell's text, trimmed, or ``pd.NA`` for a blank (:func:`is_blank`).

    Whitespace and invisible characters at the ends are removed. A whole float (``12.0``) is
    written ``12``.

    Parameters
    ----------
    value : Any
        A cell as read.

    Returns
    -------
    str or pandas.NA
        The trimmed text, or ``pd.NA`` when the cell is blank.
    """
    if isinstance(value, str):
        text = trim(value)
        return pd.NA if _blank_text(text) else text
    if is_blank(value):
        return pd.NA
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return trim(str(value))


def cell_text(value: Any) -> str:
    """Return a cell's text, trimmed, or ``""`` for a blank (for parsers that test ``if text:``).

    Parameters
    ----------
    value : Any
        A cell as read.

    Returns
    -------
    str
        :func:`text_or_na`'s text, ``""`` where that is ``pd.NA``.
    """
    text = text_or_na(value)
    return "" if text is pd.NA else str(text)


def normalise_key(value: Any) -> Any:
    """Normalise a factory registration number to its one plain form; ``pd.NA`` for a blank.

    The same number written in different ways gives the same key, so a re-export does not add
    the factory twice:

    * an Excel-quoted ``="…"`` unwrapped;
    * spaces of every kind removed (``3-22(3)-1/41 ชน``; no-break and ideographic spaces too);
    * invisible characters removed (zero-width space and joiners, BOM, soft hyphen, word joiner,
      direction marks);
    * compatibility forms folded (Unicode NFKC: full-width ``３－２２（３）`` → ``3-22(3)``);
    * Thai digits as Arabic digits (``๓-๔๒(๑)`` → ``3-42(1)``);
    * dashes and the minus sign as ``-``.

    Thai letters are kept as written (NFKC would split SARA AM ``ำ``; it is put back).

    Parameters
    ----------
    value : Any
        The cell (text, or a number such as ``12.0`` read from Excel, written ``12``).

    Returns
    -------
    str or pandas.NA
        The key, or ``pd.NA`` when the cell is blank or nothing is left.
    """
    if is_blank(value):
        return pd.NA
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    quoted = _EXCEL_QUOTED.match(text.strip())
    if quoted:  # ="  0630…": Excel's way of keeping it text
        text = quoted.group(1)
    if text.isascii():
        return _SPACES.sub("", text) or pd.NA
    text = unicodedata.normalize("NFKC", strip_invisible(text)).replace("\u0e4d\u0e32", "\u0e33")
    text = _DASHES.sub("-", text.translate(_THAI_DIGITS))
    return _SPACES.sub("", strip_invisible(text)) or pd.NA


def key_changes(value: Any) -> tuple[str, ...]:
    """Describe what :func:`normalise_key` changes in ``value``, in words (for the import summary).

    Parameters
    ----------
    value : Any
        The key as the file writes it.

    Returns
    -------
    tuple[str, ...]
        A subset of ``Excel quotes``, ``spaces``, ``Thai digits``, ``invisible
        characters``, ``full-width or compatibility forms`` and ``dashes``, in that order;
        empty when the value is already plain or blank.
    """
    if is_blank(value):
        return ()
    text = str(value).strip()
    found: list[str] = []
    if _EXCEL_QUOTED.match(text):
        found.append("Excel quotes")
        text = text[2:-1]
    if _SPACES.search(text) or any(unicodedata.category(c) == "Zs" for c in text):
        found.append("spaces")
    if text.translate(_THAI_DIGITS) != text:
        found.append("Thai digits")
    if any(is_invisible(c) for c in text):
        found.append("invisible characters")
    visible = strip_invisible(text)
    folded = unicodedata.normalize("NFKC", visible).replace("\u0e4d\u0e32", "\u0e33")
    if _SPACES.sub("", folded) != _SPACES.sub("", visible):
        found.append("full-width or compatibility forms")
    if _DASHES.search(folded):
        found.append("dashes")
    return tuple(found)


def describe_key_changes(
    values: pd.Series, keys: pd.Series | None = None, *, what: str = "registration number"
) -> str | None:
    """One summary line saying how many keys :func:`normalise_key` changed, and how.

    Parameters
    ----------
    values : pandas.Series
        The keys as the file writes them.
    keys : pandas.Series or None, default None
        Their normalised form (computed when not given).
    what : str, default "registration number"
        What the keys are, for the line.

    Returns
    -------
    str or None
        ``None`` when every key was already plain; else e.g. ``3 registration number(s)
        normalised to their plain form (spaces removed: 2; Thai digits: 1)``.
    """
    text = values.astype("string").str.strip()
    keys = text.map(normalise_key).astype("string") if keys is None else keys.astype("string")
    changed = (text != keys).fillna(False).to_numpy(dtype=bool)
    if not changed.any():
        return None
    counts: dict[str, int] = {}
    for value, n in text[changed].value_counts().items():
        for k in key_changes(value) or ("other forms",):
            counts[k] = counts.get(k, 0) + int(n)
    words = {"spaces": "spaces removed"}
    detail = "; ".join(f"{words.get(k, k)}: {n}" for k, n in counts.items())
    return f"{int(changed.sum())} {what}(s) normalised to their plain form ({detail})"
