"""The demo's data tables: CSV files in ``ecogis/demo/data/``, installed with the package.

Every table the illustrative demo is built from (kinds of factory and their mass balances,
waste and disposal codes, zones, villages and sensitive places, where each factory stands,
company-name stems, the simplified province and district outlines) is a UTF-8 CSV a person
can read and edit; this module only reads them. Blank cells are ``None``.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from ecogis.errors import CatalogueError

DATA_PACKAGE = "ecogis.demo"
DATA_FOLDER = "data"


@cache
def read_rows(name: str) -> tuple[dict[str, str], ...]:
    """Read the rows of ``ecogis/demo/data/<name>`` as dicts of text (header = keys).

    Parameters
    ----------
    name
        The CSV file name inside ``ecogis/demo/data/``, e.g. ``sites.csv``.

    Returns
    -------
    tuple of dict of str to str
        One dict per data row, in file order (read once, then cached).

    Raises
    ------
    CatalogueError
        When the file is missing from the installed package.
    """
    path = resources.files(DATA_PACKAGE).joinpath(DATA_FOLDER, name)
    if not path.is_file():
        raise CatalogueError(
            "demo table not found in the package",
            source=f"ecogis/demo/data/{name}",
            fix="reinstall ecogis (the wheel ships ecogis/demo/data/*.csv)",
        )
    text = path.read_text(encoding="utf-8")
    return tuple(dict(row) for row in csv.DictReader(io.StringIO(text)))


def text_or_none(value: str | None) -> str | None:
    """Return the cell's text, or ``None`` for a blank cell.

    Parameters
    ----------
    value
        A CSV cell (``None`` when the row is short).

    Returns
    -------
    str or None
    """
    return value if value not in (None, "") else None


def float_or_none(value: str | None) -> float | None:
    """Return the cell as a float, or ``None`` for a blank cell.

    Parameters
    ----------
    value
        A CSV cell holding a number in the column's unit.

    Returns
    -------
    float or None

    Raises
    ------
    ValueError
        If the cell is not a number.
    """
    return float(value) if value not in (None, "") else None


def int_or_none(value: str | None) -> int | None:
    """Return the cell as an int, or ``None`` for a blank cell.

    Parameters
    ----------
    value
        A CSV cell holding a whole number.

    Returns
    -------
    int or None

    Raises
    ------
    ValueError
        If the cell is not a whole number.
    """
    return int(value) if value not in (None, "") else None


def yes(value: str | None) -> bool:
    """Whether a yes/no cell says yes.

    Parameters
    ----------
    value
        A CSV cell; ``yes``, ``true`` or ``1`` (any case) is yes, anything else no.

    Returns
    -------
    bool
    """
    return (value or "").strip().lower() in ("yes", "true", "1")


def points_km(value: str | None) -> tuple[tuple[float, float], ...]:
    """``"x y; x y; …"`` (km east, km north) as a tuple of pairs; blank → empty.

    Parameters
    ----------
    value
        A CSV cell of points separated by ``;``, each ``x y`` in km east and north of the
        demo's centre.

    Returns
    -------
    tuple of (float, float)
        The points in km, in order.

    Raises
    ------
    ValueError
        If a point is not two numbers.
    """
    if not value:
        return ()
    pairs = []
    for part in value.split(";"):
        x, y = part.split()
        pairs.append((float(x), float(y)))
    return tuple(pairs)
