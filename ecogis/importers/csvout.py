"""CSV files for people: the one writer, safe to open in Excel and LibreOffice.

A spreadsheet treats a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return before one) as a formula: a factory name such as
``=HYPERLINK("http://…","คลิก")`` or ``=cmd|' /C calc'!A0`` in a gap list would run when the
planner opens the file (CSV or formula injection, CWE-1236). Following OWASP's advice, such a
text value is written with a leading apostrophe, which spreadsheets read as "this is text",
and :func:`unguard_cell` — applied by :func:`ecogis.importers.read_table` to every cell —
takes it off again, so every sheet ecogis writes reads back unchanged through its importers.

One rule, both sides (:func:`guard_cell` / :func:`unguard_cell`):

* a **text** value that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  (after any apostrophes) gets one more apostrophe in front — except a plain number
  (``-3.5``, ``+66``: a spreadsheet reads it as a number, not a formula) and a dash alone
  (``-``, ``--``: the blank of many registries);
* reading, one apostrophe is taken off a cell that starts with apostrophes and then one of
  those characters. A value of a numeric column is a number, not text, and is never touched.

:func:`write_csv` is what every CSV ecogis writes for people goes through (gap lists,
records sheets, tables, exports); ``excel_text`` columns are written as ``="…"`` so that Excel
keeps leading zeros, as DIW's own exports do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

GUARDED_CELL = r"^'+[=+\-@\t\r]"
"""A cell :func:`guard_cell` wrote (as a regular expression, for whole columns)."""

_GUARD = re.compile(r"^'*[=+\-@\t\r]")
_GUARDED = re.compile(GUARDED_CELL)
_HARMLESS = re.compile(r"^(?:[+-]?(?:\d[\d,]*)?\.?\d+(?:[eE][+-]?\d+)?|-+)$")
"""A plain number or dashes only: a spreadsheet reads it as a number or as text."""


def guard_cell(value: Any) -> Any:
    """``value`` as a CSV cell that a spreadsheet cannot run as a formula.

    Parameters
    ----------
    value
        A cell; only text (``str``) is ever changed.

    Returns
    -------
    Any
        ``"'" + value`` for text that starts like a formula (see the module docstring), else
        ``value`` unchanged.
    """
    if not isinstance(value, str) or not _GUARD.match(value) or _HARMLESS.match(value):
        return value
    return "'" + value


def unguard_cell(text: Any) -> Any:
    """Return the value :func:`guard_cell` was given: one leading apostrophe off a guarded cell.

    Parameters
    ----------
    text : Any
        A cell as read back from a CSV ecogis wrote; only text is ever changed.

    Returns
    -------
    Any
        ``text`` without its guarding apostrophe when it is a guarded cell, else ``text``
        unchanged.
    """
    if isinstance(text, str) and _GUARDED.match(text):
        return text[1:]
    return text


def guard_frame(frame: pd.DataFrame, *, excel_text: Sequence[str] = ()) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells are guarded (:func:`guard_cell`).

    The header is guarded like the cells. Numeric, boolean and date columns are left as they
    are. ``excel_text`` columns are written ``="…"`` (text Excel shows without its quotes,
    keeping leading zeros); a value holding a ``"`` cannot be written so and is guarded like
    any text.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write; not changed.
    excel_text : Sequence[str], default ()
        Columns written as ``="…"`` (registration numbers with leading zeros).

    Returns
    -------
    pandas.DataFrame
        The guarded copy, same rows and columns (headers guarded); text columns become
        object dtype.
    """
    out = pd.DataFrame(frame).copy()
    out.columns = pd.Index([guard_cell(c) for c in out.columns])
    for col in out.columns:
        series = out[col]
        if not (series.dtype == object or isinstance(series.dtype, pd.StringDtype)):
            continue
        values = series.astype(object)
        if col in excel_text:
            out[col] = values.map(_excel_text)
        else:
            out[col] = values.map(guard_cell)
    return out


def _excel_text(value: Any) -> Any:
    if not isinstance(value, str) or '"' in value:
        return guard_cell(value)
    return f'="{value}"'


def write_csv(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    encoding: str = "utf-8-sig",
    index: bool = False,
    excel_text: Sequence[str] = (),
) -> Path:
    """Write a CSV for people: formula-safe cells, Thai intact, written whole or not at all.

    Parameters
    ----------
    frame
        The table (a GeoDataFrame's geometry should be dropped first).
    path
        The file to write; its folder is created.
    encoding
        ``utf-8-sig`` (UTF-8 with a byte-order mark, so Excel shows Thai) by default.
    index
        Whether to write the index as the first column.
    excel_text
        Columns written as ``="…"`` so Excel keeps them as text (registration numbers with
        leading zeros).

    Returns
    -------
    pathlib.Path
        The file written (lines end in CRLF). It is written to a temporary file beside it
        and moved into place, so an interrupted run never leaves half a sheet.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    safe = guard_frame(frame, excel_text=excel_text)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # the file's usual mode
    try:
        # CRLF, as RFC 4180 and Excel write it: a cell holding a lone CR is then quoted too.
        safe.to_csv(tmp, index=index, encoding=encoding, lineterminator="\r\n")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
