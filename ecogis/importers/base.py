"""What every importer shares: options, the parse result, row problems, value parsers.

Values are parsed one column at a time so that a bad value is reported with the row a
person sees in the spreadsheet (header = row 1) and the column's own name in the file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.errors import DataValidationError, EcogisError
from ecogis.importers.cells import is_blank

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
        """Record a problem with the value of ``field_name`` in spreadsheet row ``row``."""
        self.items.append(RowProblem(int(row), field_name, what, fix, error_type, keep))

    def rename_fields(self, names: dict[str, str]) -> None:
        """Name fields as the user's file does (after a parser worked on renamed columns)."""
        self.items = [
            replace(p, field=names.get(p.field, p.field)) if p.field else p for p in self.items
        ]

    @property
    def rows(self) -> set[int]:
        """Rows that have at least one problem."""
        return {p.row for p in self.items}

    def resolve(self, *, skip: bool) -> list[tuple[int, str]]:
        """Raise for the first problem, or (with ``skip``) return the rejected rows.

        Raises
        ------
        EcogisError
            The first problem (by row), with how many other rows have problems.
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


# ---------------------------------------------------------------------------- value parsers


def parse_number(value: Any) -> float:
    """Parse a number written with thousands separators; NaN for a blank.

    ``inf``, ``-inf``, ``nan`` and ``Infinity`` written as text are not numbers a register
    holds, and are refused like any other text.

    Raises
    ------
    ValueError
        When the text is not a finite number.
    """
    if is_blank(value):
        return float("nan")
    if isinstance(value, int | np.integer):
        return float(value)
    if isinstance(value, float | np.floating):
        if math.isinf(value):
            raise ValueError(f"{value!r} is not a finite number")
        return float(value)
    text = str(value).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    try:
        number = float(text)  # Python reads Thai digits (๑๓.๕) as well
    except (ValueError, OverflowError):
        raise ValueError("") from None  # the caller words it: "'12 คน' is not a number …"
    if not math.isfinite(number):
        raise ValueError(f"{str(value).strip()!r} is not a finite number")
    return number


_DECIMAL_COMMA = re.compile(r"^-?\d{1,3},(\d{1,2}|\d{4,})$")


_DMS = re.compile(
    r"^([NSEW]?)\s*(\d{1,3}(?:\.\d+)?)\s*(?:°|º|˚|d|องศา|\s|(?=[NSEWnsew]?$))\s*"
    r"(?:(\d{1,2}(?:\.\d+)?)\s*(?:'|′|’|m|ลิปดา|\s)\s*)?"
    r"(?:(\d{1,2}(?:\.\d+)?)\s*(?:\"|″|”|''|s|ฟิลิปดา)?\s*)?([NSEW]?)$",
    re.IGNORECASE,
)


def parse_dms(text: str) -> float | None:
    """Decimal degrees of a degrees-minutes-seconds text, or None when it is not one.

    Accepted: ``13°37'8.1"``, ``13° 37.135' N``, ``E 101 53 3.5``, ``13 องศา 37 ลิปดา 8
    ฟิลิปดา``. S and W make the value negative. Minutes and seconds must be below 60.
    """
    m = _DMS.match(text.strip())
    if m is None or (m.group(3) is None and m.group(4) is None and not (m.group(1) or m.group(5))):
        return None  # a plain number: not this function's business
    deg = float(m.group(2))
    minutes = float(m.group(3) or 0)
    seconds = float(m.group(4) or 0)
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"{text!r} has minutes or seconds of 60 or more")
    value = deg + minutes / 60 + seconds / 3600
    hemisphere = (m.group(1) or m.group(5) or "").upper()
    return -value if hemisphere in ("S", "W") else value


def parse_coordinate(value: Any) -> float:
    """Parse a coordinate in decimal degrees, degrees-minutes-seconds or metres.

    A decimal comma (``13,95``; European/Thai Excel) is accepted; a comma followed by
    exactly three digits stays a thousands separator (``591,234`` in a UTM column is
    591234 m). Degrees-minutes-seconds text (``13°37'8.1"``) is converted (:func:`parse_dms`).
    """
    if isinstance(value, str):
        text = value.strip()
        if _DECIMAL_COMMA.match(text):
            return float(text.replace(",", "."))
        if not _PLAIN_NUMBER.match(text):
            dms = parse_dms(text)
            if dms is not None:
                return dms
    return parse_number(value)


_PLAIN_NUMBER = re.compile(r"^[-+]?[\d,.\s\u00a0]*$")


_THAI_MONTHS = {
    "มกราคม": 1,
    "ม.ค.": 1,
    "กุมภาพันธ์": 2,
    "ก.พ.": 2,
    "มีนาคม": 3,
    "มี.ค.": 3,
    "เมษายน": 4,
    "เม.ย.": 4,
    "พฤษภาคม": 5,
    "พ.ค.": 5,
    "มิถุนายน": 6,
    "มิ.ย.": 6,
    "กรกฎาคม": 7,
    "ก.ค.": 7,
    "สิงหาคม": 8,
    "ส.ค.": 8,
    "กันยายน": 9,
    "ก.ย.": 9,
    "ตุลาคม": 10,
    "ต.ค.": 10,
    "พฤศจิกายน": 11,
    "พ.ย.": 11,
    "ธันวาคม": 12,
    "ธ.ค.": 12,
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
BE_OFFSET = 543
MIN_EXCEL_SERIAL = 10_000
"""Smallest Excel serial read as a date (1927-05-18): a smaller number in a date column is a
year (2551), a count or a typing slip, not a date of the factory registry (Factory Act 1939)."""
"""Buddhist Era year − Gregorian year."""

_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_THAI_DATE = re.compile(
    r"^(\d{1,2})[\s-]*([^\d\s-]+?)[\s-]*(?:(พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)\s*)?(\d{4}|\d{2})$"
)
_NO_DATE = re.compile(r"^0+(\.0+)?$|^0{1,4}[-/.]0{1,2}[-/.]0{1,4}(\s+0{1,2}:0{2}(:0{2})?)?$")
_DMY_SHORT = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.](\d{2})$")
_EN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


def _month_number(word: str) -> int | None:
    """Month of a Thai (ธ.ค., ธันวาคม, ธค) or English (Dec, December) month word."""
    w = word.strip().rstrip(",")
    if w in _THAI_MONTHS:
        return _THAI_MONTHS[w]
    dotted = {k.replace(".", ""): v for k, v in _THAI_MONTHS.items()}
    if w.replace(".", "").replace(" ", "") in dotted:
        return dotted[w.replace(".", "").replace(" ", "")]
    return _EN_MONTHS.get(w.lower()[:3]) if w.isascii() and len(w) >= 3 else None


def _month_name_date(m: re.Match[str], text: str) -> dt.date:
    """A date written with a month name; a two-digit year is Buddhist Era with a Thai month
    (``15 ธ.ค. 51`` → 2551 → 2008, as Thai documents write it) and refused otherwise."""
    month = _month_number(m.group(2))
    assert month is not None
    year_text = m.group(4)
    era = (m.group(3) or "").replace(" ", "").replace(".", "")
    year = int(year_text)
    if len(year_text) == 2:
        if not m.group(2).isascii() and era != "คศ":
            year += 2500
        else:
            raise ValueError(f"{text!r} has a two-digit year — write the year in full")
    elif era == "คศ" and year > 2400:
        raise ValueError(f"{text!r} says ค.ศ. but {year} is a Buddhist Era year")
    return _ymd(year, month, int(m.group(1)))


def _ymd(year: int, month: int, day: int) -> dt.date:
    if year > 2400:  # a Buddhist Era year
        year -= BE_OFFSET
    return dt.date(year, month, day)


def excel_serial_to_date(serial: float) -> dt.date:
    """Convert an Excel serial day number (days since 1899-12-30) to a date.

    A serial whose date falls after year 2400 was typed in the Buddhist Era; 543 years are
    subtracted (DOMAIN.md §2: serial 239021 → 2554-05-31 → 2011-05-31).
    """
    day = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    if day.year > 2400:
        return _ymd(day.year, day.month, day.day)
    return day


def parse_date(value: Any, *, latest_year: int | None = None) -> str | None:
    """Parse a date as DIW files write it into ISO ``YYYY-MM-DD``; None for a blank.

    Accepted: ISO (``2008-12-15``, with or without a time), day/month/year
    (``15/12/2551``, ``15-12-2008``), month names (``15 ธ.ค. 2551``, ``15 ธันวาคม พ.ศ. 2551``,
    ``15 ธ.ค. 51`` — a two-digit year with a Thai month is Buddhist Era —, ``15-Dec-2008``),
    and Excel serial numbers. Buddhist Era years (> 2400) are converted to the Gregorian year.
    Two-digit years in numeric dates (``15/12/08``) and month/day/year dates are refused with
    the reason, as they cannot be read safely.

    Parameters
    ----------
    value
        The cell as read.
    latest_year
        The latest plausible year: next year by default (licence and report dates lie in the
        past); pass a later one for dates that may lie ahead, such as a validity end.

    Raises
    ------
    ValueError
        When the text is not a date in one of these forms, or the year is implausible.
    """
    if is_blank(value):
        return None
    text = str(value).strip()
    if _NO_DATE.match(text):
        return None  # 0, 00/00/0000, 0000-00-00: database and Excel ways of writing "no date"
    try:
        result = _parse_date_text(text)
    except ValueError as exc:
        if repr(text) in str(exc):
            raise
        raise ValueError(f"{text!r} is not a real date ({exc})") from None
    latest = latest_year if latest_year is not None else dt.date.today().year + 1
    if not (1900 <= result.year <= latest):
        raise ValueError(f"{text!r} gives the year {result.year}, which cannot be right")
    return result.isoformat()


def _parse_date_text(text: str) -> dt.date:
    result: dt.date
    m = _ISO.match(text)
    if m:
        result = _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif (m := _DMY.match(text)) is not None:
        if int(m.group(2)) > 12 >= int(m.group(1)):
            raise ValueError(
                f"{text!r} has month {int(m.group(2))}: it looks written month/day/year "
                "— write it day/month/year or YYYY-MM-DD"
            )
        result = _ymd(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    elif (m := _THAI_DATE.match(text)) is not None and _month_number(m.group(2)) is not None:
        result = _month_name_date(m, text)
    elif (m := _DMY_SHORT.match(text)) is not None:
        raise ValueError(
            f"{text!r} has a two-digit year ({m.group(1)}: 20{m.group(1)} or พ.ศ. 25{m.group(1)}?)"
            " — write the year in full"
        )
    else:
        try:
            serial = float(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a date") from None
        if serial.is_integer() and (1900 <= serial <= 2100 or 2400 <= serial <= 2700):
            raise ValueError(f"{text!r} is a year, not a date — write the whole date")
        if not MIN_EXCEL_SERIAL <= serial < 400_000:
            raise ValueError(
                f"{text!r} is not an Excel date serial (too small: before 1927)"
                if 0 < serial < MIN_EXCEL_SERIAL
                else f"{text!r} is not an Excel date serial"
            ) from None
        result = excel_serial_to_date(serial)
    return result


def province_code(
    value: Any, *, source: str | None = None, row: int | None = None, field: str | None = None
) -> str:
    """The 2-digit DOPA code of a province written as a code or a name.

    Accepted: ``25``, ``5`` (→ ``05``), ``ปราจีนบุรี``, ``จ.ปราจีนบุรี``, ``Prachin Buri`` (any
    case). Thai names and codes come from geothai.

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
    frame
        Raw rows; the index holds spreadsheet row numbers.
    column
        Column to parse (``None`` or absent → a column of ``missing``).
    parser
        Turns one value into the result; raises ``ValueError`` on bad input.
    problems
        Where failures are recorded.
    what, fix
        Words for the message, e.g. ``"is not a number"``.
    missing
        Value for rows whose parse failed or whose column is absent.
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


LARGEST_WHOLE_NUMBER = 2**53
"""Beyond this a float no longer holds every whole number: no count stored as an integer is
this large."""


def contract_number(
    layer: str, field_name: str, parse: Callable[[Any], float] = parse_number
) -> Callable[[Any], float]:
    """A number parser that holds values to the layer contract's ``min`` and ``max``.

    The bounds are data (``layers/<layer>.toml``): ``workers`` cannot exceed 500,000, a flow
    quantity 1e10 in its unit. A blank stays NaN. Whole-number fields also refuse values
    beyond :data:`LARGEST_WHOLE_NUMBER`.

    Parameters
    ----------
    layer, field_name
        The contract field the values go to.
    parse
        The parser of one cell (:func:`parse_number` by default).

    Returns
    -------
    callable
        Value → float; raises ``ValueError`` (worded with the value) outside the bounds.
    """
    spec = schema.contract(layer).field(field_name)
    unit = f" {spec.unit}" if spec.unit else ""

    def inner(value: Any) -> float:
        number = parse(value)
        if math.isnan(number):
            return number
        if spec.min is not None and number < spec.min:
            if spec.min == 0:
                raise ValueError(f"{value!r} is negative")
            raise ValueError(f"{value!r} is below the smallest allowed, {spec.min:,g}{unit}")
        if spec.max is not None and number > spec.max:
            raise ValueError(
                f"{value!r} is more than any real value of {spec.label_en.lower()} "
                f"(at most {spec.max:,g}{unit})"
            )
        if spec.type == "int" and abs(number) > LARGEST_WHOLE_NUMBER:
            raise ValueError(f"{value!r} is too large for a whole number")
        return number

    return inner


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
    :func:`contract_number` cannot see them cell by cell. Returns ``values`` with the bad ones
    set to NaN; ``written`` (how to show each value, e.g. the cell and its unit) words the
    message when given.
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
    """A column of amounts (workers, horsepower, baht) as float, NaN where blank.

    Each value is held to the contract bounds of ``layer.field_name``
    (:func:`contract_number`); a bad one becomes a row problem naming the file's column.
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


def non_negative(parse: Callable[[Any], float]) -> Callable[[Any], float]:
    """Wrap a number parser so that negative values are refused."""

    def inner(value: Any) -> float:
        number = parse(value)
        if number < 0:
            raise ValueError(f"{value!r} is negative")
        return number

    return inner


PERSON_TITLES = ("นางสาว", "นาง", "นาย", "น.ส.", "ด.ช.", "ด.ญ.", "Mr.", "Mrs.", "Miss ", "Ms.")
"""Title prefixes that mark the name of a natural person (personal data under the PDPA)."""

WITHHELD_NAME = "[ชื่อบุคคลธรรมดา — ไม่เปิดเผย]"
"""What replaces a factory name that is a private person's name."""


def is_person_name(text: Any) -> bool:
    """True when a name starts with a personal title (นาย, นาง, นางสาว …)."""
    return isinstance(text, str) and text.strip().startswith(PERSON_TITLES)
