"""One Excel sheet as the grid a person sees: merged cells and formulas made explicit.

:func:`read_sheet` reads a ``.xlsx``/``.xlsm`` sheet with openpyxl in read-only mode (fast
for a national registry) from cell A1, so that a row's number is the spreadsheet's own, and
keeps what a plain value read would lose silently:

* **merged cells**: Excel stores the value in the first cell only. A range merged *down* one
  column (a factory's registration number over its flow rows) is filled with that value; a
  range merged *across* columns is reported (:attr:`SheetGrid.across`) so the reader can
  refuse it where it lies in a data row (which field would the value belong to?);
* **formulas**: openpyxl gives the value Excel saved with a formula; a file written by a
  program that never calculated it has none, and the cell would read as blank. Such cells,
  and formulas whose saved result is an error (``#REF!``), are listed
  (:attr:`SheetGrid.formulas`) with their address (``Sheet1!F7``) — but a formula that is
  only a text literal (``="  0630…"``, how registries keep leading zeros) reads as its text.

Merge ranges and the formula cells without a value are read from the sheet's XML in one
streamed scan (read-only openpyxl keeps neither); only a sheet whose XML that scan cannot
read is read a second time for its formula texts.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import pandas as pd

from ecogis.errors import InputFileError

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"}
)
"""The error values Excel saves as a formula's result."""

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_START = re.compile(rb"<(?:\w+:)?c(\s[^>]*)?>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE_ATTR = re.compile(rb'\bt="(\w+)"')
_F_ELEMENT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_V_ELEMENT = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_OVERLAP = 1 << 16
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_TEXT_LITERAL = re.compile(r'^="[^"]*"$')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Merge:
    """A merged range: its address and its spreadsheet rows and 0-based columns."""

    ref: str
    first_row: int
    last_row: int
    first_col: int
    last_col: int


@dataclass(frozen=True)
class FormulaCell:
    """A formula cell whose value cannot be read: none saved, or an Excel error."""

    ref: str
    row: int
    col: int
    formula: str
    error: str | None = None


@dataclass
class SheetGrid:
    """A sheet's cells as text (``None`` when empty) from A1, with what the read found.

    ``rows[i]`` is spreadsheet row ``i + 1``; ``rows[i][j]`` column ``j`` (0 = A).
    """

    rows: list[list[Any]]
    sheet: str
    other_sheets: list[str]
    filled: list[Merge] = field(default_factory=list)
    across: list[Merge] = field(default_factory=list)
    formulas: list[FormulaCell] = field(default_factory=list)


def column_index(letters: str) -> int:
    """0-based column of Excel column letters (``A`` → 0, ``AA`` → 26).

    Parameters
    ----------
    letters : str
        Upper-case column letters, e.g. ``F`` or ``AB``.

    Returns
    -------
    int
        The 0-based column number.
    """
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def column_letters(index: int) -> str:
    """Excel column letters of a 0-based column (0 → ``A``).

    Parameters
    ----------
    index : int
        0-based column number (0 or more).

    Returns
    -------
    str
        The letters, e.g. ``A``, ``Z``, ``AA``.
    """
    out = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``Sheet1!F7``: the address a person types to find a cell.

    Parameters
    ----------
    sheet : str
        Sheet name; quoted (``'ข้อมูล 1'!F7``) when it holds anything but ASCII letters,
        digits and ``_``.
    row : int
        Spreadsheet row (1 = the first row).
    col : int
        0-based column (0 = A).

    Returns
    -------
    str
        The cell's address, e.g. ``Sheet1!F7``.
    """
    name = f"'{sheet}'" if re.search(r"[^A-Za-z0-9_]", sheet) else sheet
    return f"{name}!{column_letters(col)}{row}"


def cell_text(value: Any) -> Any:
    """Text of one Excel cell as a person sees it (``None`` for an empty cell).

    Parameters
    ----------
    value : Any
        The value openpyxl or pandas read (number, text, bool, date, datetime, ``None``).

    Returns
    -------
    str or None
        ``TRUE``/``FALSE`` for a boolean, ``YYYY-MM-DD`` for a date (or a datetime at
        midnight), ``YYYY-MM-DD HH:MM:SS`` for another datetime, ``12`` for a whole float,
        ``str(value)`` otherwise; ``None`` for an empty cell or NaN.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _parse_range(ref: str) -> Merge:
    first, _, last = ref.partition(":")
    last = last or first
    m1, m2 = _CELL.match(first), _CELL.match(last)
    assert m1 is not None and m2 is not None
    return Merge(
        ref,
        int(m1.group(2)),
        int(m2.group(2)),
        column_index(m1.group(1)),
        column_index(m2.group(1)),
    )


def _sheet_xml_path(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """Find the archive member of a sheet, from ``xl/workbook.xml`` and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    rid = next(
        (s.get(f"{_NS_REL}id") for s in book.iter(f"{_NS_MAIN}sheet") if s.get("name") == sheet),
        None,
    )
    target = next((r.get("Target") for r in rels.iter(f"{_NS_PKG}Relationship")
                   if r.get("Id") == rid), None)  # fmt: skip
    if target is None:
        return None
    if target.startswith("/"):
        return target.lstrip("/")
    return str(PurePosixPath("xl") / target)


@dataclass(frozen=True)
class _XmlFormula:
    """A formula cell as the sheet's XML stores it: text (without ``=``), saved value."""

    ref: str
    row: int
    col: int
    formula: str
    value: str | None
    error: bool


def _formula_cell(data: bytes, at: int) -> tuple[_XmlFormula | None, bool]:
    """Read the formula cell whose ``<f`` tag starts at ``at``.

    ``(None, True)`` when the cell is cut at the chunk's end (it is read again with the next
    chunk), ``(None, False)`` when the tag is not inside a cell.
    """
    start = data.rfind(b"<", 0, at)
    head = _CELL_START.match(data, start) if start >= 0 else None
    if head is None:
        return None, False
    end = _CELL_END.search(data, at)
    if end is None:
        return None, True
    ref = _REF_ATTR.search(head.group(1))
    if ref is None:
        return None, False
    kind = _TYPE_ATTR.search(head.group(1))
    body = data[at : end.start()]
    formula = _F_ELEMENT.match(body)
    value = _V_ELEMENT.search(body)
    text = html.unescape((formula.group(1) or b"").decode()) if formula else ""
    saved = html.unescape(value.group(1).decode()) if value else None
    kind_text = kind.group(1).decode() if kind else ""
    if saved == "" and kind_text != "str":
        saved = None  # <v></v>: nothing saved (an empty text result is t="str")
    col, row = ref.group(1).decode(), int(ref.group(2))
    cell = _XmlFormula(f"{col}{row}", row, column_index(col), text, saved, kind_text == "e")
    return cell, False


def _scan_sheet_xml(path: Path, sheet: str) -> tuple[list[Merge], list[_XmlFormula] | None]:
    """Scan the sheet's XML in a stream: its merged ranges, and its formula cells.

    Formula cells without a saved value or with an error are listed; ``None`` when the XML
    cannot be located or read so.
    """
    merges: dict[str, Merge] = {}
    formulas: dict[str, _XmlFormula] = {}
    readable = True
    with zipfile.ZipFile(path) as archive:
        member = _sheet_xml_path(archive, sheet)
        if member is None or member not in archive.namelist():
            return [], None
        tail = b""
        with archive.open(member) as fh:
            while chunk := fh.read(1 << 22):
                data = tail + chunk  # the overlap reads a cell cut at the chunk's end
                for m in _MERGE.finditer(data):
                    merges.setdefault(m.group(1).decode(), _parse_range(m.group(1).decode()))
                for m in _FORMULA.finditer(data) if readable else ():
                    cell, cut = _formula_cell(data, m.start())
                    if cell is None and not cut:
                        readable = False  # a layout this scan does not know: read it twice
                        break
                    if cell is not None and (cell.value is None or cell.error):
                        formulas[cell.ref] = cell
                tail = data[-_OVERLAP:]
    return list(merges.values()), list(formulas.values()) if readable else None


def _values(ws: Any) -> list[list[Any]]:
    ws.reset_dimensions()  # some writers declare a wrong extent (openpyxl's own advice)
    rows = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def read_sheet(path: Path, *, sheet: str | None) -> SheetGrid:
    """Read one sheet of a workbook as text cells from A1 (``.xls``: pandas, values only).

    Parameters
    ----------
    path
        The workbook.
    sheet
        Sheet name; the first sheet by default.

    Returns
    -------
    SheetGrid
        The cells, the merged ranges filled down and those merged across, and the formula
        cells without a readable value.

    Raises
    ------
    InputFileError
        A damaged workbook, or no sheet of that name.
    """
    if path.suffix.lower() == ".xls":
        return _read_xls(path, sheet=sheet)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise _damaged(path, exc) from exc
    try:
        names = [str(n) for n in book.sheetnames]
        name = _sheet_name(path, names, sheet)
        raw = _values(book[name])
    finally:
        book.close()
    merges, unreadable = _scan_sheet_xml(path, name)
    grid = SheetGrid(
        rows=[[cell_text(v) for v in r] for r in raw],
        sheet=name,
        other_sheets=[n for n in names if n != name],
    )
    if unreadable is None:  # the XML could not be scanned: compare with the formula texts
        cells = _unreadable_formulas(path, name, raw)
    else:
        cells = [
            FormulaCell(cell_ref(name, f.row, f.col), f.row, f.col, "=" + f.formula,
                        f.value if f.error else None)
            for f in unreadable
        ]  # fmt: skip
    for f in cells:
        if f.error is None and _TEXT_LITERAL.match(f.formula):
            # ="0630…": a text literal (Excel's way of keeping leading zeros); its value is
            # the text itself, which read_table unwraps like any Excel-quoted cell.
            row = grid.rows[f.row - 1] if f.row - 1 < len(grid.rows) else None
            if row is not None:
                row.extend([None] * (f.col + 1 - len(row)))
                row[f.col] = f.formula
        else:
            grid.formulas.append(f)
    _apply_merges(grid, merges)
    return grid


def _damaged(path: Path, exc: Exception) -> InputFileError:
    return InputFileError(
        f"cannot read the workbook ({type(exc).__name__}: {exc})",
        source=path,
        fix="open it in Excel/LibreOffice and save it again as .xlsx",
    )


def _sheet_name(path: Path, names: list[str], sheet: str | None) -> str:
    """Choose the sheet to read: ``sheet``, else the first; refused when there is no such sheet."""
    if sheet is not None and sheet not in names:
        raise InputFileError(
            f"no sheet named {sheet!r}",
            source=path,
            fix=f"use --sheet with one of: {', '.join(names)}",
        )
    return sheet if sheet is not None else names[0]


def _read_xls(path: Path, *, sheet: str | None) -> SheetGrid:
    """Read an old ``.xls`` sheet through pandas (xlrd): values only, from A1."""
    try:
        book = pd.ExcelFile(path)
    except ImportError as exc:
        raise InputFileError(
            "cannot read this Excel format: a reader library is missing",
            source=path,
            fix="save it as .xlsx (or CSV UTF-8) and import that",
        ) from exc
    except Exception as exc:  # xlrd raises many types for damaged files
        raise _damaged(path, exc) from exc
    names = [str(n) for n in book.sheet_names]
    name = _sheet_name(path, names, sheet)
    raw = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
    rows = [[cell_text(v) for v in r] for r in raw.itertuples(index=False)]
    return SheetGrid(rows=rows, sheet=name, other_sheets=[n for n in names if n != name])


def _unreadable_formulas(path: Path, sheet: str, values: list[list[Any]]) -> list[FormulaCell]:
    """Find formula cells with no saved value or an error value (a second, formula-text pass)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        formulas = _values(book[sheet])
    finally:
        book.close()
    out: list[FormulaCell] = []
    for r, row in enumerate(formulas):
        for c, written in enumerate(row):
            if written is None or (isinstance(written, str) and not written.startswith("=")):
                continue
            if not isinstance(written, str) and not hasattr(written, "text"):
                continue  # a plain number or date: no formula
            saved = values[r][c] if r < len(values) and c < len(values[r]) else None
            text = written if isinstance(written, str) else str(getattr(written, "text", ""))
            error = saved if isinstance(saved, str) and saved in EXCEL_ERRORS else None
            if saved is None or error is not None:
                out.append(FormulaCell(cell_ref(sheet, r + 1, c), r + 1, c, text, error))
    return out


def _apply_merges(grid: SheetGrid, merges: list[Merge]) -> None:
    """Fill ranges merged down one column with their value; list those merged across."""
    for m in sorted(merges, key=lambda m: (m.first_row, m.first_col)):
        if m.first_col == m.last_col:
            if m.last_row == m.first_row:
                continue
            top = m.first_row - 1
            value = grid.rows[top][m.first_col] if top < len(grid.rows) else None
            if value is None:
                continue
            for r in range(m.first_row, min(m.last_row, len(grid.rows))):
                row = grid.rows[r]
                row.extend([None] * (m.first_col + 1 - len(row)))
                row[m.first_col] = value
            grid.filled.append(m)
        else:
            grid.across.append(m)
