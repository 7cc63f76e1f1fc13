"""Province codes: the 15 target provinces of the programme and the check of a code."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache

import geothai

from ecogis.errors import InputFileError
from ecogis.resources import catalogue_dir


@dataclass(frozen=True)
class Province:
    """A province: 2-digit DOPA code and names."""

    pro_code: str
    name_th: str
    name_en: str

    def name(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.name_th if lang == "th" else self.name_en


@lru_cache(maxsize=1)
def target_provinces() -> tuple[Province, ...]:
    """The 15 eco-industrial town target provinces (``ecogis/catalogue/target_provinces.csv``)."""
    text = (catalogue_dir() / "target_provinces.csv").read_text(encoding="utf-8")
    return tuple(
        Province(r["pro_code"], r["name_th"], r["name_en"])
        for r in csv.DictReader(io.StringIO(text))
    )


def province(code: str) -> Province:
    """The province with DOPA code ``code``.

    Raises
    ------
    InputFileError
        When ``code`` is not one of Thailand's 77 province codes.
    """
    text = str(code).strip()
    found = geothai.province(text) if text.isdigit() and len(text) == 2 else None
    if found is None:
        targets = ", ".join(f"{p.pro_code} {p.name_en}" for p in target_provinces())
        raise InputFileError(
            f"{code!r} is not a Thai province code",
            field="--province",
            fix=f"give the 2-digit DOPA code, e.g. one of the target provinces: {targets}",
        )
    return Province(str(found.code), str(found.name_th), str(found.name_en))
