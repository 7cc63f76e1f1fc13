"""Dates as DIW files write them → ISO ``YYYY-MM-DD``.

ISO, day/month/year, Thai and English month names, Excel serial numbers, Buddhist Era years
(above 2400: 543 years less); ambiguous forms (a two-digit year, month/day/year, a bare year)
are refused with the reason (:func:`parse_date`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ecogis.importers.cells import is_blank

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
    """Parse a date written with a month name.

    A two-digit year is Buddhist Era with a Thai month (``15 ธ.ค. 51`` → 2551 → 2008, as Thai
    documents write it) and refused otherwise.
    """
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

    Parameters
    ----------
    serial : float
        Days since 1899-12-30; the fraction (time of day) is dropped.

    Returns
    -------
    datetime.date
        The Gregorian date.

    Raises
    ------
    OverflowError
        A serial beyond the dates Python can hold.
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
    value : Any
        The cell as read.
    latest_year : int or None, default None
        The latest plausible year: next year by default (licence and report dates lie in the
        past); pass a later one for dates that may lie ahead, such as a validity end.

    Returns
    -------
    str or None
        The Gregorian date as ``YYYY-MM-DD``; ``None`` for a blank cell or a "no date"
        (``0``, ``00/00/0000``, ``0000-00-00``).

    Raises
    ------
    ValueError
        When the text is not a date in one of these forms, or the year is outside 1900 …
        ``latest_year``.
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
