"""The 15 provinces of DIW's eco-industrial town programme (``target_provinces.csv``).

The one list every part uses: the province importer marks ``eit_target`` with it, the map
and report runs walk it (DOMAIN.md §1).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache

from ecogis.errors import CatalogueError
from ecogis.resources import catalogue_dir


@dataclass(frozen=True)
class Province:
    """A province: 2-digit DOPA code and names."""

    pro_code: str
    name_th: str
    name_en: str

    def name(self, lang: str) -> str:
        """Return the name in ``lang`` (``th`` or ``en``).

        Parameters
        ----------
        lang
            ``th`` or ``en``; any other value gives the English name.

        Returns
        -------
        str
        """
        return self.name_th if lang == "th" else self.name_en


@lru_cache(maxsize=1)
def target_provinces() -> tuple[Province, ...]:
    """Return the 15 eco-industrial town target provinces, in the catalogue's order.

    Returns
    -------
    tuple of Province
        Code and Thai and English names of each (read once, then cached).

    Raises
    ------
    CatalogueError
        When the catalogue lacks a column or a code is not two digits.
    """
    text = (catalogue_dir() / "target_provinces.csv").read_text(encoding="utf-8")
    out = []
    for row, r in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        code = (r.get("pro_code") or "").strip()
        if len(code) != 2 or not code.isdigit():
            raise CatalogueError(
                f"{code!r} is not a 2-digit province code",
                source="target_provinces.csv",
                row=row,
                field="pro_code",
                fix="write the DOPA province code, e.g. 25",
            )
        out.append(Province(code, r["name_th"].strip(), r["name_en"].strip()))
    return tuple(out)


def target_province_codes() -> frozenset[str]:
    """Return the codes of :func:`target_provinces` (``{"21", "11", …}``).

    Returns
    -------
    frozenset of str
        The 2-digit DOPA province codes.

    Raises
    ------
    CatalogueError
        As :func:`target_provinces`.
    """
    return frozenset(p.pro_code for p in target_provinces())
