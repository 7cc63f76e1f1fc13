"""Numbers as registries and forms write them: one cell → a float, held to the contract.

:func:`parse_number` (thousands separators, Thai digits; ``inf``/``nan`` text refused),
:func:`parse_coordinate` (decimal degrees with a decimal comma, degrees-minutes-seconds) and
:func:`contract_number` (the ``min``/``max`` of a field in ``layers/*.toml``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ecogis import schema
from ecogis.importers.cells import is_blank


def parse_number(value: Any) -> float:
    """Parse a number written with thousands separators; NaN for a blank.

    ``inf``, ``-inf``, ``nan`` and ``Infinity`` written as text are not numbers a register
    holds, and are refused like any other text.

    Parameters
    ----------
    value : Any
        The cell: text (``1,250``, ``๑๓.๕``, spaces and no-break spaces allowed), an int or
        a float.

    Returns
    -------
    float
        The number, in whatever unit the column has; NaN for a blank cell (a NaN float
        passes through).

    Raises
    ------
    ValueError
        When the text is not a finite number (the message is empty for plain bad text: the
        caller words it with the value).
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

    Parameters
    ----------
    text : str
        A coordinate cell's text.

    Returns
    -------
    float or None
        Decimal degrees (negative for S and W); ``None`` for a plain number or text that is
        not degrees-minutes-seconds.

    Raises
    ------
    ValueError
        Minutes or seconds of 60 or more.
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

    Parameters
    ----------
    value : Any
        The cell as read.

    Returns
    -------
    float
        Decimal degrees, or the number as written (metres for a projected column); NaN
        for a blank. No bounds are checked here.

    Raises
    ------
    ValueError
        When the value is not a number nor degrees-minutes-seconds.
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


LARGEST_WHOLE_NUMBER = 2**53
"""Beyond this a float no longer holds every whole number: no count stored as an integer is
this large."""


def contract_number(
    layer: str, field_name: str, parse: Callable[[Any], float] = parse_number
) -> Callable[[Any], float]:
    """Make a number parser that holds values to the layer contract's ``min`` and ``max``.

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


def non_negative(parse: Callable[[Any], float]) -> Callable[[Any], float]:
    """Wrap a number parser so that negative values are refused.

    Parameters
    ----------
    parse : Callable[[Any], float]
        The parser of one cell (e.g. :func:`parse_number`).

    Returns
    -------
    Callable[[Any], float]
        Value → float as ``parse`` gives it; raises ``ValueError`` (``'-3' is negative``)
        for a value below 0. NaN passes.
    """

    def inner(value: Any) -> float:
        number = parse(value)
        if number < 0:
            raise ValueError(f"{value!r} is negative")
        return number

    return inner
