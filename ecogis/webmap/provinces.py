"""Province codes: the 15 target provinces of the programme and the check of a code."""

from __future__ import annotations

import geothai

from ecogis.catalogue.provinces import Province, target_provinces
from ecogis.errors import InputFileError

__all__ = ["Province", "province", "target_provinces"]


def province(code: str) -> Province:
    """Return the province with DOPA code ``code``.

    Parameters
    ----------
    code : str
        A 2-digit DOPA province code (``25`` Prachin Buri); surrounding spaces are ignored.

    Returns
    -------
    Province
        Its code and its Thai and English names.

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
