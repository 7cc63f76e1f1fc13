"""Waste codes as people write them → the 6-digit List-of-Waste code.

DIW's waste list uses the EU List of Waste codes (``XX YY ZZ``, chapters 01–20); a trailing
``*`` marks an always-hazardous entry. The flow-form importer and the analyses that check
stored codes read them with the one function here.
"""

from __future__ import annotations

import re
from typing import Any

from ecogis.errors import DataValidationError

_CODE_TEXT = re.compile(r"^\s*(\d{2})[\s\-.]*(\d{2})[\s\-.]*(\d{2})\s*(\*)?\s*$")


def normalise_waste_code(
    text: Any,
    *,
    source: str | None = None,
    row: int | str | None = None,
    field: str | None = None,
) -> tuple[str, bool]:
    """Read a waste code written as ``100102``, ``10 01 02``, ``10-01-02`` or ``10 01 02*``.

    Parameters
    ----------
    text
        The code as written. A trailing ``*`` (the List-of-Waste hazardous mark) is allowed.
    source, row, field
        Where the code came from, for the error message.

    Returns
    -------
    tuple
        ``(code, starred)``: the 6-digit code and whether it carried the ``*`` mark.

    Raises
    ------
    DataValidationError
        If the text is not six digits in three pairs, or the chapter is not 01–20.
    """
    raw = "" if text is None else str(text)
    m = _CODE_TEXT.match(raw)
    if not m:
        raise DataValidationError(
            f"{raw!r} is not a waste code",
            source=source,
            row=row,
            field=field,
            fix="write the 6-digit List-of-Waste code, e.g. 100102, 10 01 02 or 10-01-02",
        )
    code = "".join(m.group(1, 2, 3))
    if not 1 <= int(code[:2]) <= 20:
        raise DataValidationError(
            f"{raw!r} has chapter {code[:2]}, but waste codes have chapters 01 to 20",
            source=source,
            row=row,
            field=field,
            fix="check the first two digits against DIW's waste list",
        )
    return code, m.group(4) is not None
