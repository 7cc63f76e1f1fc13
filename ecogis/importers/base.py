"""What every importer shares: options, the parse result, row problems, column parsers.

Values are parsed one column at a time so that a bad value is reported with the row a
person sees in the spreadsheet (header = row 1) and the column's own name in the file. The
cell-level rules are :mod:`.cells` (blanks, keys), :mod:`.numbers` and :mod:`.dates`; their
parsers are importable from here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecogis.errors import DataValidationError, EcogisError
from ecogis.importers.dates import parse_date as parse_date
from ecogis.importers.numbers import contract_number as contract_number
from ecogis.importers.numbers import parse_coordinate as parse_coordinate
from ecogis.importers.numbers import parse_number as parse_number

# ---------------------------------------------------------------------------- options


@dataclass(frozen=True)
class ImportOptions:
    """Options of ``ecogis import`` (the same names as the CLI flags).

    Attributes
    ----------
    format
        ``diw-api``, ``diw-gis``, ``vector`` or ``table`` to override detection.
    crs
        CRS of a file that has none or a wrong one (e.g. ``EPSG:32647``).
    encoding
        Text encoding of a CSV or Shapefile DBF (e.g. ``cp874``).
    mapping
        Source column → destination field, applied before anything else. A destination may
        carry a unit in brackets, e.g. ``{"AREA_RAI": "area_ha[rai]"}``.
    swap_latlon
        Exchange latitude and longitude of rows detected as swapped.
    layer
        Layer of a multi-layer file (GeoPackage).
    sheet
        Sheet of an Excel workbook.
    skip_bad_rows
        Import the good rows and list the bad ones as rejected, instead of stopping.
    """

    format: str | None = None
    crs: str | None = None
    encoding: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    swap_latlon: bool = False
    layer: str | None = None
    sheet: str | None = None
    skip_bad_rows: bool = False


@dataclass
class ParseResult:
    """A parsed file: the contract-shaped frame and what the summary must say.

    Attributes
    ----------
    layer
        Destination layer name.
    frame
        Rows to upsert (GeoDataFrame for vector layers).
    source
        The file.
    fmt
        The format that was read (``diw-api``, ``diw-gis``, ``vector`` …).
    unplaced
        Rows kept without a geometry (no or placeholder coordinates).
    rejected
        ``(row, reason)`` of rows left out (only with ``skip_bad_rows``).
    notes
        Other lines for the summary (repairs, merged duplicates, flags, datum shifts).
    defaults
        Fields the parser filled with a default because the format does not carry them
        (e.g. ``status`` of the GIS export): a re-import keeps the stored value.
    companions
        Tables written with ``frame`` in the same batch (the activity ledger's attendance):
        layer → frame. Each replaces the stored rows of the parents the file brings (the
        rows whose ``replace_by`` column matches the key of ``frame``).
    replace_by
        The key column linking the companions to ``frame`` (e.g. ``activity_id``).
    """

    layer: str
    frame: Any
    source: str
    fmt: str
    unplaced: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    companions: dict[str, Any] = field(default_factory=dict)
    replace_by: str | None = None


# ---------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class RowProblem:
    """One bad value: where, what and the fix."""

    row: int
    field: str | None
    what: str
    fix: str | None = None
    error_type: type[EcogisError] = DataValidationError
    keep: bool = False  # with skip_bad_rows the row is kept (unplaced), not rejected


class Problems:
    """Collect row problems, then stop at the first or reject the rows (``skip_bad_rows``)."""

    def __init__(self, source: str | Path) -> None:
        self.source = str(source)
        self.items: list[RowProblem] = []

    def add(
        self,
        row: int,
        field_name: str | None,
        what: str,
        fix: str | None = None,
        error_type: type[EcogisError] = DataValidationError,
        *,
        keep: bool = False,
    ) -> None:
        """Record a problem with the value of ``field_name`` in spreadsheet row ``row``.

        Parameters
        ----------
        row : int
            Spreadsheet row number (header = row 1) or feature number.
        field_name : str or None
            The file's column name; ``None`` when the problem is with the whole row.
        what : str
            What is wrong, e.g. ``"'abc' is not a number"``.
        fix : str or None, default None
            How to correct it; ``None`` words it "correct the value" when raised.
        error_type : type[EcogisError], default DataValidationError
            The error raised for it by :meth:`resolve` (``CRSError`` for coordinates).
        keep : bool, default False
            With ``skip_bad_rows`` keep the row (e.g. unplaced) instead of rejecting it.
        """
        self.items.append(RowProblem(int(row), field_name, what, fix, error_type, keep))

    def rename_fields(self, names: dict[str, str]) -> None:
        """Name fields as the user's file does (after a parser worked on renamed columns).

        Parameters
        ----------
        names : dict[str, str]
            Field name used by the parser → the column's name in the file; fields not in it
            keep their name.
        """
        self.items = [
            replace(p, field=names.get(p.field, p.field)) if p.field else p for p in self.items
        ]

    @property
    def rows(self) -> set[int]:
        """Rows that have at least one problem."""
        return {p.row for p in self.items}

    def resolve(self, *, skip: bool) -> list[tuple[int, str]]:
        """Raise for the first problem, or (with ``skip``) return the rejected rows.

        Parameters
        ----------
        skip : bool
            ``True`` (``--skip-bad-rows``): return the bad rows instead of raising.

        Returns
        -------
        list[tuple[int, str]]
            ``(row, reasons)`` sorted by row, one per rejected row, its problems joined with
            ``; `` as ``field: what``; rows whose every problem has ``keep`` are left out. Empty
            when there is no problem.

        Raises
        ------
        EcogisError
            The first problem (by row), with how many other rows have problems (its
            ``error_type``: DataValidationError, CRSError …), when ``skip`` is false.
        """
        if not self.items:
            return []
        ordered = sorted(self.items, key=lambda p: p.row)
        if not skip:
            first = ordered[0]
            others = len({p.row for p in ordered}) - 1
            fix = first.fix or "correct the value"
            if others:
                fix += (
                    f"; {others} more row(s) have problems — fix them, or pass "
                    "--skip-bad-rows to import the good rows and list the bad ones"
                )
            raise first.error_type(
                first.what, source=self.source, row=first.row, field=first.field, fix=fix
            )
        out: dict[int, str] = {}
        keep_only = {p.row for p in ordered} - {p.row for p in ordered if not p.keep}
        for p in ordered:
            if p.row in keep_only:
                continue
            text = f"{p.field}: {p.what}" if p.field else p.what
            out[p.row] = f"{out[p.row]}; {text}" if p.row in out else text
        return sorted(out.items())


# ---------------------------------------------------------------------------- column parsers


def province_code(
    value: Any, *, source: str | None = None, row: int | None = None, field: str | None = None
) -> str:
    """Return the 2-digit DOPA code of a province written as a code or a name.

    Accepted: ``25``, ``5`` (→ ``05``), ``ปราจีนบุรี``, ``จ.ปราจีนบุรี``, ``Prachin Buri`` (any
    case). Thai names and codes come from geothai.

    Parameters
    ----------
    value : Any
        The cell: a code (1 or 2 digits) or a Thai or English province name, with or
        without ``จังหวัด`` / ``จ.``.
    source : str or None, default None
        File named in the error.
    row : int or None, default None
        Spreadsheet row named in the error.
    field : str or None, default None
        The file's column named in the error.

    Returns
    -------
    str
        The province's 2-digit code, e.g. ``"25"``.

    Raises
    ------
    DataValidationError
        Naming ``source``, ``row`` and ``field``, when the text is no Thai province.
    """
    import geothai

    text = str(value).strip()
    if re.fullmatch(r"\d{1,2}", text):
        code = text.zfill(2)
        if geothai.province(code) is not None:
            return code
    bare = text.removeprefix("จังหวัด").removeprefix("จ.").strip()
    for p in geothai.provinces():
        if bare == p.name_th or bare.casefold() == str(p.name_en).casefold():
            return str(p.code)
    raise DataValidationError(
        f"{value!r} is not a Thai province code or name",
        source=source,
        row=row,
        field=field,
        fix="write the 2-digit province code (e.g. 25) or the province name",
    )


def parse_column(
    frame: pd.DataFrame,
    column: str | None,
    parser: Callable[[Any], Any],
    problems: Problems,
    *,
    what: str,
    fix: str,
    missing: Any = None,
) -> pd.Series:
    """Apply ``parser`` to each value of a column, recording failures as row problems.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw rows; the index holds spreadsheet row numbers.
    column : str or None
        Column to parse (``None`` or absent → a column of ``missing``).
    parser : Callable[[Any], Any]
        Turns one value into the result; raises ``ValueError`` (or ``TypeError``,
        ``OverflowError``) on bad input.
    problems : Problems
        Where failures are recorded, with the row and ``column``.
    what, fix : str
        Words for the message, e.g. ``"is not a number"``, used when the parser's own
        message does not show the value.
    missing : Any, default None
        Value for rows whose parse failed or whose column is absent.

    Returns
    -------
    pandas.Series
        The parsed values (object dtype) on the index of ``frame``.
    """
    if column is None or column not in frame.columns:
        return pd.Series([missing] * len(frame), index=frame.index, dtype=object)
    out: list[Any] = []
    for row, value in zip(frame.index, frame[column].to_numpy(), strict=True):
        try:
            out.append(parser(value))
        except (ValueError, TypeError, OverflowError) as exc:
            detail = str(exc) if str(exc) else f"{value!r} {what}"
            if repr(value) not in detail and str(value) not in detail:
                detail = f"{value!r} {what}"
            problems.add(int(row), column, detail, fix)
            out.append(missing)
    return pd.Series(out, index=frame.index, dtype=object)


def parse_lat_lon(
    frame: pd.DataFrame, lat_col: str | None, lon_col: str | None, problems: Problems
) -> tuple[pd.Series, pd.Series]:
    """Longitude and latitude columns as float degrees (NaN where blank or bad).

    Bad values are recorded in ``problems`` with their row and the file's column name.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw rows; the index holds spreadsheet row numbers.
    lat_col, lon_col : str or None
        The file's latitude and longitude columns; ``None`` (or absent) gives NaN.
    problems : Problems
        Where bad values are recorded.

    Returns
    -------
    tuple[pandas.Series, pandas.Series]
        ``(longitude, latitude)`` in decimal degrees (float64), in that order, on the
        index of ``frame``. No CRS or bounds check is made here.
    """
    fix = "write decimal degrees (WGS 84), e.g. 13.98 and 101.58, or leave both blank"
    lat = parse_column(
        frame,
        lat_col,
        parse_coordinate,
        problems,
        what="is not a latitude",
        fix=fix,
        missing=np.nan,
    )
    lon = parse_column(
        frame,
        lon_col,
        parse_coordinate,
        problems,
        what="is not a longitude",
        fix=fix,
        missing=np.nan,
    )
    return lon.astype("float64"), lat.astype("float64")


def check_bounds(
    values: pd.Series,
    layer: str,
    field_name: str,
    problems: Problems,
    *,
    column: str,
    fix: str,
    written: pd.Series | None = None,
) -> pd.Series:
    """Row problems for numbers outside the contract bounds of ``layer.field_name``.

    For values already computed (a sum of parts, a value converted from another unit), where
    :func:`contract_number` cannot see them cell by cell.

    Parameters
    ----------
    values : pandas.Series
        The numbers, in the contract field's unit; NaN is not checked.
    layer : str
        Contract layer name, e.g. ``factories``.
    field_name : str
        Contract field whose bounds apply.
    problems : Problems
        Where out-of-bounds values are recorded.
    column : str
        The file's column named in the problem.
    fix : str
        How to correct a bad value.
    written : pandas.Series or None, default None
        How to show each value in the message (e.g. the cell and its unit); ``None`` shows
        the number.

    Returns
    -------
    pandas.Series
        A copy of ``values`` with the out-of-bounds ones set to NaN.
    """
    check = contract_number(layer, field_name, parse=float)
    out = values.copy()
    present = values.dropna()
    for row, value in zip(present.index, present.to_numpy(dtype=float), strict=True):
        try:
            check(float(value))
        except ValueError as exc:
            shown = str(written.at[row]) if written is not None else f"{value:,.6g}"
            problems.add(int(row), column, str(exc).replace(repr(float(value)), shown, 1), fix)
            out.at[row] = np.nan
    return out


def parse_amount(
    frame: pd.DataFrame,
    column: str | None,
    problems: Problems,
    *,
    what: str,
    fix: str,
    field_name: str,
    layer: str = "factories",
) -> pd.Series:
    """Parse a column of amounts (workers, horsepower, baht) as float, NaN where blank.

    Each value is held to the contract bounds of ``layer.field_name``
    (:func:`contract_number`); a bad one becomes a row problem naming the file's column.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw rows; the index holds spreadsheet row numbers.
    column : str or None
        The file's column (``None`` or absent → all NaN).
    problems : Problems
        Where bad values are recorded.
    what, fix : str
        Words for the message of a value that does not parse.
    field_name : str
        Contract field whose bounds (and unit) apply.
    layer : str, default "factories"
        Contract layer of ``field_name``.

    Returns
    -------
    pandas.Series
        float64 in the contract field's unit (people, horsepower, baht …), NaN where blank or
        bad.
    """
    return parse_column(
        frame,
        column,
        contract_number(layer, field_name),
        problems,
        what=what,
        fix=fix,
        missing=np.nan,
    ).astype("float64")
