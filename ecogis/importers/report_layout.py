"""Report-style exports as people make them: what lies around the table is not data.

:func:`tidy_table` is what :func:`~ecogis.importers.tabular.read_table` does to the cells it
read: cells trimmed, the formula guard of ecogis's own CSVs taken off
(:func:`~ecogis.importers.csvout.unguard_cell`), Excel-quoted ``="…"`` text unwrapped, blank
cells missing, blank lines
dropped, a title above the header skipped (the header found below it), lines repeating the
header (files appended one after another, page breaks) and a totals line at the bottom
dropped — each named in a note. Rows keep their spreadsheet numbers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis.errors import InputFileError
from ecogis.importers.csvout import GUARDED_CELL, unguard_cell

_EXCEL_QUOTED = re.compile(r'^="(.*)"$', re.DOTALL)


def unwrap_excel_text(value: str) -> str:
    """Turn an Excel-quoted cell ``="  0630…"`` into its text ``0630…`` (stripped).

    Parameters
    ----------
    value : str
        A cell's text.

    Returns
    -------
    str
        The text inside ``="…"``, stripped; any other text stripped.
    """
    m = _EXCEL_QUOTED.match(value.strip())
    return (m.group(1) if m else value).strip()


def tidy_table(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Strip cells, unwrap Excel-quoted text, blanks to NA, clean the header, skip non-data.

    What is not data: title lines, repeated headers, totals; ``attrs["read_notes"]`` says
    what was skipped.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read, every cell as text; the index holds spreadsheet row numbers.
    path : Path
        The file, named in the error.

    Returns
    -------
    pandas.DataFrame
        The data rows only (string dtype, ``pd.NA`` for blanks), under clean, unique
        column names (a blank header cell becomes ``column_<n>``); rows keep their
        spreadsheet numbers.

    Raises
    ------
    InputFileError
        When no data row is left under the header.
    """
    out = frame.copy()
    out.columns = _header_names(frame.columns)
    for col in out.columns:
        s = out[col].astype("string").str.strip()
        guarded = s.str.contains(GUARDED_CELL, regex=True).fillna(False)
        if guarded.any():  # '=…: text a spreadsheet must not run (csvout.guard_cell)
            s = s.mask(guarded, s[guarded].str.slice(1))
        quoted = s.str.startswith('="').fillna(False) & ~guarded
        if quoted.any():
            s = s.mask(quoted, s[quoted].map(unwrap_excel_text).astype("string"))
        out[col] = s.mask(s == "", pd.NA)
    # Drop rows that are entirely blank (trailing empty lines in Excel exports).
    blank = out.isna().all(axis=1)
    out = out[~blank]
    out, notes = _header_below_title(out)
    out, more = _drop_repeated_headers(out)
    notes += more
    out, total_notes = _drop_total_rows(out)
    if out.empty:
        raise InputFileError(
            "the table has a header but no data rows",
            source=path,
            fix="check that you exported the right sheet or file",
        )
    out.attrs["read_notes"] = notes + total_notes
    return out


def _header_names(columns: Any) -> pd.Index:
    """Clean, unique column names; a blank header cell becomes ``column_<n>``."""
    names: list[str] = []
    for i, col in enumerate(columns):
        name = unguard_cell(unwrap_excel_text(str(col)).lstrip("\ufeff").strip())
        if not name or name.startswith("Unnamed:") or name == "<NA>":
            name = f"column_{i + 1}"
        names.append(name)
    seen: dict[str, int] = {}
    unique = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        unique.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return pd.Index(unique)


def _header_below_title(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Use the real header when the first line is a title (one cell, often merged across).

    When at most one header cell is filled and one of the next ten rows has text (not
    numbers) in at least half of its cells, that row is the header; rows keep their
    spreadsheet numbers (``attrs["header_row"]``).
    """
    auto = sum(str(c).startswith("column_") for c in frame.columns)
    if len(frame.columns) < 2 or auto < len(frame.columns) - 1 or len(frame) < 2:
        return frame, []
    for pos in range(min(10, len(frame) - 1)):
        cells = frame.iloc[pos].dropna().astype(str)
        texts = [c for c in cells if not _NUMBER.match(c)]
        if len(cells) >= 0.5 * len(frame.columns) and len(texts) == len(cells) and len(cells) > 1:
            body = frame.iloc[pos + 1 :].copy()
            body.columns = _header_names(frame.iloc[pos].tolist())
            row = int(frame.index[pos])
            body.attrs["header_row"] = row
            return body, [f"the header is on row {row}, below title lines"]
    return frame, []


_NUMBER = re.compile(r"^[-+]?[\d,.\s]+$")


def _drop_repeated_headers(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop rows that repeat the header (files appended one after another, page breaks)."""
    names = pd.Series([str(c).casefold() for c in frame.columns], index=frame.columns)
    named = [c for c in frame.columns if not str(c).startswith("column_")]
    if not named or len(frame) == 0:
        return frame, []
    # Only rows whose first named cell is that column's name can repeat the header.
    first = frame[named[0]].str.casefold() == names[named[0]]
    if not first.fillna(False).any():
        return frame, []
    cells = frame[first.fillna(False)].apply(lambda s: s.str.casefold())
    same = cells.eq(names, axis=1)
    filled = cells.notna().sum(axis=1)
    repeated = (same.sum(axis=1) >= 0.5 * len(frame.columns)) & (same.sum(axis=1) == filled)
    if not repeated.any():
        return frame, []
    drop = cells.index[repeated.to_numpy()]
    rows = ", ".join(str(int(r)) for r in drop[:5])
    return frame.drop(index=drop), [f"{len(drop)} row(s) repeating the header skipped ({rows})"]


_TOTAL_WORDS = re.compile(
    r"^(รวม(ทั้งสิ้น|ทั้งหมด)?|ยอดรวม|ทั้งหมด|grand\s+total|sub-?total|totals?|sum)"
    r"(\s|:|\d|$)",
    re.IGNORECASE,
)


def _drop_total_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop a totals line at the bottom (``รวมทั้งสิ้น 632 โรงงาน``, ``Total``) of a report.

    Only the last three rows are looked at, and only when the row's first filled cell is a
    totals word and fewer than half of its cells are filled, so that a factory whose name
    starts with รวม (รวมมิตร…) is never taken for one.
    """
    if len(frame) < 2:
        return frame, []
    drop: list[Any] = []
    for row in frame.index[-3:]:
        values = frame.loc[row].dropna()
        if len(values) == 0 or len(values) >= 0.5 * len(frame.columns):
            continue
        if _TOTAL_WORDS.match(str(values.iloc[0]).strip()):
            drop.append(row)
    if not drop:
        return frame, []
    rows = ", ".join(str(int(r)) for r in drop)
    return frame.drop(index=drop), [f"totals row(s) at the bottom skipped (row {rows})"]
