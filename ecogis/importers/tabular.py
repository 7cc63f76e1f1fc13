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
import datetime as dt
import io
import re
import unicodedata
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis.errors import DataValidationError, EcogisError, InputFileError
from ecogis.importers.cells import cell_text, is_blank, strip_invisible, trim
from ecogis.importers.checks import (
    EXCEL_SUFFIXES,
    TEXT_SUFFIXES,
    check_text_encoding,
    decode_text,
    require_kind,
)

_EXCEL_QUOTED = re.compile(r'^="(.*)"$', re.DOTALL)
_DELIMITERS = [",", ";", "\t", "|"]


def unwrap_excel_text(value: str) -> str:
    """Turn an Excel-quoted cell ``="  0630…"`` into its text ``0630…`` (stripped)."""
    m = _EXCEL_QUOTED.match(value.strip())
    return (m.group(1) if m else value).strip()


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


def _check_extra_cells(text: str, delimiter: str, *, source: Path) -> None:
    """Refuse a row with more filled cells than the header has columns.

    Trailing separators (``a,b,`` — a common Excel/registry export habit) are empty extra
    cells and are fine; a filled extra cell means the columns are shifted in that row (an
    unquoted comma in a name or address), and reading on would put values in the wrong
    fields.
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1  # the header itself may end with a separator
    for cells in reader:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            raise InputFileError(
                f"the row has {len(cells)} cells but the header has {width} columns "
                f"(extra value {extra[0][:40]!r})",
                source=source,
                row=reader.line_num,
                fix="a value contains an unquoted separator: put that cell in double quotes, "
                "or export the table again",
            )


def _cell_text(value: Any) -> Any:
    """Text of one Excel cell as a person sees it."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return pd.NA
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


def _finish(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Strip cells, unwrap Excel-quoted text, blanks to NA, clean the header."""
    out = frame.copy()
    out.columns = _header_names(frame.columns)
    for col in out.columns:
        s = out[col].astype("string").str.strip()
        quoted = s.str.startswith('="').fillna(False)
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
        name = unwrap_excel_text(str(col)).lstrip("\ufeff").strip()
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
    if suffix in EXCEL_SUFFIXES:
        frame = _read_excel(p, sheet=sheet)
    else:
        text = decode_text(p.read_bytes(), source=p, encoding=encoding)
        if not text.strip():
            raise InputFileError("the file is empty", source=p, fix="export the data again")
        hint = _SEP_HINT.match(text)
        if hint:  # Excel's "sep=;" line names the separator; Excel hides it (header = row 1)
            delimiter, text = hint.group(1), text[hint.end() :]
        else:
            delimiter = "\t" if suffix == ".tsv" else _sniff_delimiter(text)
        _check_extra_cells(text, delimiter, source=p)
        try:
            with warnings.catch_warnings():
                # Extra cells were checked above: only empty ones (trailing separators) remain.
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                frame = pd.read_csv(
                    io.StringIO(text),
                    sep=delimiter,
                    dtype=str,
                    keep_default_na=False,
                    skip_blank_lines=False,
                    on_bad_lines="error",
                    index_col=False,
                )
        except pd.errors.ParserError as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise InputFileError(
                f"the table is malformed: {exc}".rstrip("\n"),
                source=p,
                row=int(m.group(1)) if m else None,
                fix="check that row for an unquoted separator or a broken line",
            ) from exc
        except pd.errors.EmptyDataError as exc:
            raise InputFileError("the file has no columns", source=p, fix="export again") from exc
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    others = frame.attrs.get("other_sheets", [])
    frame = _finish(frame, p)
    frame.attrs["other_sheets"] = others
    check_text_encoding(frame, source=p, first_row=2, encoding=encoding)
    frame.attrs["source"] = str(p)
    return frame


def _read_excel(path: Path, *, sheet: str | None) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(path)
    except ImportError as exc:
        raise InputFileError(
            "cannot read this Excel format: a reader library is missing",
            source=path,
            fix="save it as .xlsx (or CSV UTF-8) and import that",
        ) from exc
    except Exception as exc:  # openpyxl/xlrd raise many types for damaged files
        raise InputFileError(
            f"cannot read the workbook ({type(exc).__name__}: {exc})",
            source=path,
            fix="open it in Excel/LibreOffice and save it again as .xlsx",
        ) from exc
    names = [str(n) for n in book.sheet_names]
    if sheet is not None and sheet not in names:
        raise InputFileError(
            f"no sheet named {sheet!r}",
            source=path,
            fix=f"use --sheet with one of: {', '.join(names)}",
        )
    raw = pd.read_excel(book, sheet_name=sheet if sheet is not None else names[0], dtype=object)
    if raw.shape[1] == 0:
        raise InputFileError(
            f"sheet {sheet or names[0]!r} is empty",
            source=path,
            fix=f"choose the sheet with the data: --sheet one of {', '.join(names)}",
        )
    out = pd.DataFrame({c: raw[c].map(_cell_text) for c in raw.columns})
    out = out.astype("string") if len(out) else out
    out.attrs["other_sheets"] = [n for n in names if n != (sheet or names[0])]
    return out


# ---------------------------------------------------------------------------- headers and rows


def header_key(name: Any) -> str:
    """The form in which two headers compare equal: invisible characters and BOM removed,
    compatibility forms folded (NFKC), case folded, spaces and ``_`` as one space."""
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
    """
    return header_row + 1 + position


def spreadsheet_rows(frame: pd.DataFrame) -> list[int]:
    """The spreadsheet row number of each row of ``frame`` (the header is row 1).

    :func:`read_table` keeps them in the index (also below title lines, and with blank,
    repeated-header or totals lines dropped); a frame with any other index (a plain
    ``0…n-1`` one, built in Python) counts from :func:`spreadsheet_row`.
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
        """The cell of ``fld`` as trimmed text; ``""`` when blank or absent (:func:`is_blank`)."""
        return cell_text(self.cells.get(fld))

    def word(self, fld: str) -> str:
        """The cell of ``fld`` trimmed and in lower case, *without* the blank rule: for a
        column with its own words (``ไม่มี`` = no), looked up before :meth:`text`."""
        value = self.cells.get(fld)
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        return trim(str(value)).lower()

    def raw(self, fld: str) -> Any:
        """The cell of ``fld`` as read (``None`` when the file has no such column)."""
        return self.cells.get(fld)

    def column(self, fld: str) -> str:
        """The file's own name of the column of ``fld`` (the field name when absent)."""
        return str(self.columns.get(fld, fld))

    def error(
        self,
        fld: str,
        what: str,
        fix: str,
        kind: type[EcogisError] = DataValidationError,
    ) -> EcogisError:
        """The error for the cell of ``fld`` in this row (to ``raise``)."""
        return kind(what, source=self.source, row=self.row, field=self.column(fld), fix=fix)


def table_records(
    raw: pd.DataFrame, columns: Mapping[str, str], *, source: str
) -> Iterator[TableRecord]:
    """The data rows of ``raw`` with their spreadsheet row numbers, blank lines left out.

    Parameters
    ----------
    raw
        The table as read (:func:`read_table`).
    columns
        Field → column, as :func:`normalise_headers` returns it.
    source
        The file, for messages.
    """
    picked = raw[list(columns.values())]
    picked.columns = pd.Index(list(columns))
    for row, cells in zip(spreadsheet_rows(raw), picked.to_dict("records"), strict=True):
        if all(is_blank(v) for v in cells.values()):
            continue  # a blank line in the sheet, or a template row not filled in
        yield TableRecord({str(k): v for k, v in cells.items()}, row, columns, source)
