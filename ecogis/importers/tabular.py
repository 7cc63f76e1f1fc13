"""Read a CSV or Excel table with every cell as text; find its columns and row numbers.

DIW exports are CSV in UTF-8 with a byte-order mark, sometimes cp874; IDs are written
Excel-style as ``="  0630…"`` so Excel keeps the leading zeros. :func:`read_table` returns
what a person sees in the spreadsheet, as text: the BOM dropped, Excel-quoted IDs unwrapped,
blanks as missing values. Parsing numbers and dates is left to the importer that knows the
column, so that a bad value can be reported with its row and field.

The table importers (flows, compliance, action plans, indicator scores, activities) share two
helpers, the public API for writing another one:

* :func:`normalise_headers` finds each field's column among the headers a file may use
  (English or Thai; case, spacing, ``_``, BOM and invisible characters do not matter) and
  refuses a file that lacks a needed one, naming the headers it accepts;
* :func:`spreadsheet_rows` / :func:`spreadsheet_row` give the row number a person sees in the
  spreadsheet (the header is row 1), also below a title line;
* :func:`table_records` walks the data rows as :class:`TableRecord` (cells by field, the row
  number, ``error()`` for a message naming file, row and the file's column).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecogis.errors import DataValidationError, EcogisError, InputFileError
from ecogis.importers.cells import cell_text, describe_key_changes, is_blank, strip_invisible, trim
from ecogis.importers.checks import (
    EXCEL_SUFFIXES,
    TEXT_SUFFIXES,
    check_text_encoding,
    decode_text,
    require_kind,
)
from ecogis.importers.excel import SheetGrid, cell_ref, read_sheet
from ecogis.importers.report_layout import tidy_table
from ecogis.importers.report_layout import unwrap_excel_text as unwrap_excel_text

_DELIMITERS = [",", ";", "\t", "|"]


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


_SEP_HINT = re.compile(r"^sep=(.)\r?\n")


def _check_extra_cells(frame: pd.DataFrame, *, source: Path) -> pd.DataFrame:
    """Refuse a CSV row with more filled cells than the header has columns.

    Trailing separators (``a,b,`` — a common Excel/registry export habit) are empty extra
    cells and are fine (those columns are dropped); a filled extra cell means the columns are
    shifted in that row (an unquoted comma in a name or address), and reading on would put
    values in the wrong fields. Judged against the real header, also below a title line.
    """
    named = [i for i, c in enumerate(frame.columns) if not str(c).startswith("column_")]
    width = named[-1] + 1 if named else len(frame.columns)
    extra = frame.iloc[:, width:]
    if extra.shape[1] == 0:
        return frame
    filled = extra.notna().any(axis=1).to_numpy()
    if filled.any():
        pos = int(filled.argmax())
        present = np.flatnonzero(extra.iloc[pos].notna().to_numpy())
        raise InputFileError(
            f"the row has {width + int(present[-1]) + 1} cells but the header has {width} "
            f"columns (extra value {str(extra.iloc[pos, int(present[0])])[:40]!r})",
            source=source,
            row=int(frame.index[pos]),
            fix="a value contains an unquoted separator: put that cell in double quotes, "
            "or export the table again",
        )
    return frame.iloc[:, :width]


def _csv_frame(text: str, delimiter: str, *, source: Path) -> pd.DataFrame:
    """Read a CSV text as a frame: row 1 is the header, every record of the file a row.

    Records are counted as Excel shows them (a quoted cell with line breaks is one row; a
    blank line is a row). The frame is as wide as the widest record, so a title line above
    the header, or a record with more cells than the header, is kept for the checks that
    follow; pandas' C parser reads the cells once the width is known.
    """
    try:
        width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=0)
    except csv.Error as exc:
        raise InputFileError(
            f"the table is malformed: {exc}",
            source=source,
            fix="check the file for an unclosed quote or a broken line, or export it again",
        ) from exc
    if width == 0:
        return pd.DataFrame()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            grid = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                names=range(width),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                index_col=False,
            )
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputFileError(
            f"the table is malformed: {exc}".rstrip("\n"),
            source=source,
            row=int(m.group(1)) if m else None,
            fix="check that row for an unquoted separator or a broken line",
        ) from exc
    frame = grid.iloc[1:]
    frame.columns = pd.Index([str(v) for v in grid.iloc[0].fillna("")])
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def _grid_frame(rows: list[list[Any]]) -> pd.DataFrame:
    """Build a frame from grid rows: row 1 is the header, data rows numbered from 2."""
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return pd.DataFrame()
    header = [*rows[0], *([None] * (width - len(rows[0])))]
    body = [[*r, *([None] * (width - len(r)))] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    frame.columns = pd.Index(["" if h is None else str(h) for h in header])
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def read_table(
    path: str | Path, *, encoding: str | None = None, sheet: str | None = None
) -> pd.DataFrame:
    """Read a CSV/TSV or Excel file with every cell as text.

    Parameters
    ----------
    path
        A ``.csv``, ``.tsv``, ``.txt`` or ``.xlsx``/``.xlsm``/``.xls`` file.
    encoding
        Text encoding of a CSV (default: UTF-8 with or without BOM, UTF-16 by BOM). Thai
        Windows files are ``cp874``.
    sheet
        Excel sheet name (default: the first sheet).

    Returns
    -------
    pandas.DataFrame
        ``string`` dtype columns; blanks are ``<NA>``. The index keeps the spreadsheet row
        number of each row (header = row 1, first data row = 2), so an importer can name
        the row of a bad value with ``frame.index``.

    Raises
    ------
    InputFileError
        Empty file, a file that is not what its extension says, undecodable or garbled
        Thai text, a missing sheet.
    """
    p = Path(path)
    require_kind(p)
    suffix = p.suffix.lower()
    if suffix not in TEXT_SUFFIXES | EXCEL_SUFFIXES:
        raise InputFileError(
            f"is a {suffix} file, not a table",
            source=p,
            fix="give a CSV or Excel (.xlsx) file; in QGIS, export the layer's attribute "
            "table as CSV",
        )
    grid: SheetGrid | None = None
    if suffix in EXCEL_SUFFIXES:
        grid = read_sheet(p, sheet=sheet)
        frame = _grid_frame(grid.rows)
        if frame.shape[1] == 0:
            names = [grid.sheet, *grid.other_sheets]
            raise InputFileError(
                f"sheet {grid.sheet!r} is empty",
                source=p,
                fix=f"choose the sheet with the data: --sheet one of {', '.join(names)}",
            )
    else:
        text = decode_text(p.read_bytes(), source=p, encoding=encoding)
        if not text.strip():
            raise InputFileError("the file is empty", source=p, fix="export the data again")
        hint = _SEP_HINT.match(text)
        if hint:  # Excel's "sep=;" line names the separator; Excel hides it (header = row 1)
            delimiter, text = hint.group(1), text[hint.end() :]
        else:
            delimiter = "\t" if suffix == ".tsv" else _sniff_delimiter(text)
        frame = _csv_frame(text, delimiter, source=p)
        if frame.shape[1] == 0:
            raise InputFileError("the file has no columns", source=p, fix="export again")
    frame = tidy_table(frame, p)
    if grid is None:
        frame = _check_extra_cells(frame, source=p)
    else:
        frame = _check_sheet(frame, grid, source=p)
    check_text_encoding(frame, source=p, first_row=2, encoding=encoding)
    frame.attrs["source"] = str(p)
    return frame


def _check_sheet(frame: pd.DataFrame, grid: SheetGrid, *, source: Path) -> pd.DataFrame:
    """Refuse formulas without a value and cells merged across columns in the data rows.

    Only rows that remain data rows count: a formula in a totals line that was skipped, or a
    title merged across the sheet above the header, are no problem. Ranges merged down one
    column were filled with their value (and the summary says so).
    """
    rows = {int(r) for r in frame.index}
    bad = [f for f in grid.formulas if f.row in rows]
    if bad:
        first = bad[0]
        what = (
            f"cell {first.ref} holds the formula {first.formula[:60]!r}, whose saved result "
            f"is the error {first.error}"
            if first.error
            else f"cell {first.ref} holds the formula {first.formula[:60]!r} with no saved "
            "value (the file was written by a program that does not calculate formulas)"
        )
        more = f"; {len(bad) - 1} more such cell(s)" if len(bad) > 1 else ""
        raise InputFileError(
            what,
            source=source,
            row=first.row,
            field=_column_name(frame, first.col),
            fix="open the file in Excel or LibreOffice and save it again (that stores the "
            "values), or replace the formula by its value" + more,
        )
    for m in grid.across:
        for row in range(m.first_row, m.last_row + 1):
            if row not in rows:
                continue
            cells = frame.loc[row].to_numpy()
            outside = [
                j for j, v in enumerate(cells)
                if not (m.first_col <= j <= m.last_col) and not pd.isna(v)
            ]  # fmt: skip
            if not outside:
                continue  # a line of its own (a section title, a note) merged across
            names = [_column_name(frame, j) for j in range(m.first_col, m.last_col + 1)]
            value = cells[m.first_col] if m.first_col < len(cells) else None
            raise InputFileError(
                f"cells {cell_ref(grid.sheet, m.first_row, m.first_col)}:"
                f"{m.ref.partition(':')[2]} are merged across the columns "
                f"{', '.join(names)} (value {value!r}): the value would belong to one of "
                "them only",
                source=source,
                row=row,
                field=names[0],
                fix="unmerge those cells and write the value in the column it belongs to",
            )
    if grid.filled:
        first_merge = grid.filled[0]
        frame.attrs["read_notes"] = [
            *frame.attrs.get("read_notes", []),
            f"{len(grid.filled)} range(s) of merged cells filled down with their value "
            f"(first: {cell_ref(grid.sheet, first_merge.first_row, first_merge.first_col)}:"
            f"{first_merge.ref.partition(':')[2]})",
        ]
    frame.attrs["other_sheets"] = grid.other_sheets
    return frame


def _column_name(frame: pd.DataFrame, position: int) -> str:
    if position < len(frame.columns):
        return str(frame.columns[position])
    return f"column_{position + 1}"


# ---------------------------------------------------------------------------- headers and rows


def header_key(name: Any) -> str:
    """Return the form in which two headers compare equal.

    Invisible characters and BOM removed, compatibility forms folded (NFKC), case folded,
    spaces and ``_`` as one space.

    Parameters
    ----------
    name : Any
        A header as the file writes it (or an alias).

    Returns
    -------
    str
        The comparison key, e.g. ``Factory_ID`` → ``factory id``.
    """
    text = unicodedata.normalize("NFKC", strip_invisible(str(name)))
    return " ".join(re.sub(r"[\s_]+", " ", text).split()).casefold()


def normalise_headers(
    raw: pd.DataFrame,
    aliases: Mapping[str, Sequence[str]],
    *,
    source: str,
    required: Sequence[str] = (),
) -> dict[str, str]:
    """Find the file's column for each field, by the headers that field may have.

    Parameters
    ----------
    raw
        The table as read (:func:`read_table`), headers as the file writes them.
    aliases
        Field → the headers it may have, best first (``{"factory_id": ("factory_id",
        "เลขทะเบียน"), …}``). Headers compare by :func:`header_key`, so ``Factory ID``,
        ``factory_id`` and ``\ufeffFACTORY_ID`` are one header.
    source
        The file, for the message.
    required
        Fields the file must have a column for.

    Returns
    -------
    dict
        Field → the column name as written in the file (messages name the user's column).
        A field without a column is left out.

    Raises
    ------
    InputFileError
        When a required field has no column: row 1, the first missing field, and the headers
        each missing field accepts.
    """
    by_key: dict[str, str] = {}
    for column in raw.columns:
        by_key.setdefault(header_key(column), str(column))
    found: dict[str, str] = {}
    for fld, names in aliases.items():
        for name in names:
            col = by_key.get(header_key(name))
            if col is not None and col not in found.values():
                found[fld] = col
                break
    missing = [f for f in required if f not in found]
    if missing:
        accepted = "; ".join(f"{f}: {', '.join(aliases.get(f, (f,)))}" for f in missing)
        also = f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else ""
        raise InputFileError(
            f"no {missing[0]} column{also}; the columns are: "
            f"{', '.join(map(str, raw.columns[:30]))}",
            source=source,
            row=1,
            field=missing[0],
            fix=f"head the column(s) with one of these names: {accepted}",
        )
    return found


def spreadsheet_row(position: int, *, header_row: int = 1) -> int:
    """Spreadsheet row of the data row at 0-based ``position`` below the header.

    For a frame that does not carry row numbers (built in Python): the header is
    ``header_row`` (1 unless title lines sit above it), the first data row the next one.

    Parameters
    ----------
    position : int
        0-based position of the data row.
    header_row : int, default 1
        The spreadsheet row of the header.

    Returns
    -------
    int
        ``header_row + 1 + position``.
    """
    return header_row + 1 + position


def spreadsheet_rows(frame: pd.DataFrame) -> list[int]:
    """Return the spreadsheet row number of each row of ``frame`` (the header is row 1).

    :func:`read_table` keeps them in the index (also below title lines, and with blank,
    repeated-header or totals lines dropped); a frame with any other index (a plain
    ``0…n-1`` one, built in Python) counts from :func:`spreadsheet_row`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; ``attrs["header_row"]`` is used when the index holds no row numbers.

    Returns
    -------
    list[int]
        One spreadsheet row number per row of ``frame``, in order.
    """
    idx = frame.index
    numbered = (
        len(idx) > 0
        and pd.api.types.is_integer_dtype(idx)
        and not (isinstance(idx, pd.RangeIndex) and idx.start == 0)
        and int(idx.min()) >= 2
        and idx.is_monotonic_increasing
        and idx.is_unique
    )
    if numbered:
        return [int(i) for i in idx]
    header = int(frame.attrs.get("header_row", 1) or 1)
    return [spreadsheet_row(i, header_row=header) for i in range(len(frame))]


@dataclass(frozen=True)
class TableRecord:
    """One data row of a table: its cells by field, its spreadsheet row, its file's columns.

    ``error`` builds the message for a bad cell with the row and the column as the file
    writes it, so every table importer words its errors the same way.
    """

    cells: Mapping[str, Any]
    row: int
    columns: Mapping[str, str]
    source: str

    def text(self, fld: str) -> str:
        """Read the cell of ``fld`` as trimmed text; ``""`` when blank or absent (:func:`is_blank`).

        Parameters
        ----------
        fld : str
            The field name (a key of the columns found by :func:`normalise_headers`).

        Returns
        -------
        str
            The trimmed text, or ``""``.
        """
        return cell_text(self.cells.get(fld))

    def word(self, fld: str) -> str:
        """Return the cell of ``fld`` trimmed and in lower case, *without* the blank rule.

        For a column with its own words (``ไม่มี`` = no), looked up before :meth:`text`.

        Parameters
        ----------
        fld : str
            The field name.

        Returns
        -------
        str
            The trimmed, lower-case text; ``""`` only for a missing cell (``None``, NA, NaN).
        """
        value = self.cells.get(fld)
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        return trim(str(value)).lower()

    def raw(self, fld: str) -> Any:
        """Return the cell of ``fld`` as read (``None`` when the file has no such column).

        Parameters
        ----------
        fld : str
            The field name.

        Returns
        -------
        Any
            The cell's value unchanged (text, NA …), or ``None``.
        """
        return self.cells.get(fld)

    def column(self, fld: str) -> str:
        """Return the file's own name of the column of ``fld`` (the field name when absent).

        Parameters
        ----------
        fld : str
            The field name.

        Returns
        -------
        str
            The header as the file writes it, or ``fld``.
        """
        return str(self.columns.get(fld, fld))

    def error(
        self,
        fld: str,
        what: str,
        fix: str,
        kind: type[EcogisError] = DataValidationError,
    ) -> EcogisError:
        """Make the error for the cell of ``fld`` in this row (to ``raise``).

        Parameters
        ----------
        fld : str
            The field whose cell is bad; the message names the file's column.
        what : str
            What is wrong.
        fix : str
            How to correct it.
        kind : type[EcogisError], default DataValidationError
            The error class.

        Returns
        -------
        EcogisError
            The error naming the file, this row and the column; not raised here.
        """
        return kind(what, source=self.source, row=self.row, field=self.column(fld), fix=fix)


def table_records(
    raw: pd.DataFrame, columns: Mapping[str, str], *, source: str
) -> Iterator[TableRecord]:
    """Return the data rows of ``raw`` with their spreadsheet row numbers, blank lines left out.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read (:func:`read_table`).
    columns : Mapping[str, str]
        Field → column, as :func:`normalise_headers` returns it.
    source : str
        The file, for messages.

    Yields
    ------
    TableRecord
        One per row with at least one non-blank cell among ``columns``, its cells keyed by
        field, in file order.
    """
    picked = raw[list(columns.values())]
    picked.columns = pd.Index(list(columns))
    for row, cells in zip(spreadsheet_rows(raw), picked.to_dict("records"), strict=True):
        if all(is_blank(v) for v in cells.values()):
            continue  # a blank line in the sheet, or a template row not filled in
        yield TableRecord({str(k): v for k, v in cells.items()}, row, columns, source)


def key_notes(
    raw: pd.DataFrame, columns: Mapping[str, str], *, fld: str = "factory_id"
) -> list[str]:
    """Make the summary line for registration numbers written in another form than the plain one.

    See :func:`~ecogis.importers.cells.describe_key_changes`. A table importer puts it in its
    result's ``attrs["notes"]``; ``ecogis import`` prints it.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read.
    columns : Mapping[str, str]
        Field → column, as :func:`normalise_headers` returns it.
    fld : str, default "factory_id"
        The key field whose column is looked at.

    Returns
    -------
    list[str]
        The one line, or an empty list when every key is plain or the field has no column.
    """
    if fld not in columns:
        return []
    note = describe_key_changes(raw[columns[fld]])
    return [note] if note else []
