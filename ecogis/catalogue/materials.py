"""Bulk densities of the materials catalogue (``ecogis/catalogue/materials.csv``).

The flow-form importer needs one property of a material — the bulk density that turns a
volume of ash or sludge into tonnes — and sits below the symbiosis analysis that reads the
whole catalogue (:func:`ecogis.symbiosis.catalogue.load_catalogue`). Both read the same file.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache

from ecogis.errors import CatalogueError
from ecogis.resources import catalogue_dir


@lru_cache(maxsize=1)
def material_densities() -> dict[str, float]:
    """Material key → bulk density in t/m³, for the materials whose density is stated.

    Returns
    -------
    dict of str to float
        Bulk density in t/m³ by material key (``fly_ash`` …); a material with a blank
        density is absent. Read once, then cached.

    Raises
    ------
    CatalogueError
        When ``materials.csv`` cannot be read or a density is not a number.
    """
    try:
        text = (catalogue_dir() / "materials.csv").read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(
            f"cannot read the catalogue file: {exc}", source="materials.csv"
        ) from exc
    out: dict[str, float] = {}
    for row_number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        value = (row.get("density_t_per_m3") or "").strip()
        if not value:
            continue
        try:
            out[row["material"].strip()] = float(value)
        except ValueError:
            raise CatalogueError(
                f"{value!r} is not a density",
                source="materials.csv",
                row=row_number,
                field="density_t_per_m3",
                fix="write the bulk density in t/m³, e.g. 0.9",
            ) from None
    return out


@lru_cache(maxsize=1)
def material_names() -> dict[str, tuple[str, str]]:
    """Material key → (Thai name, English name), as ``materials.csv`` writes them.

    Returns
    -------
    dict of str to (str, str)
        ``{material: (name_th, name_en)}`` for every row of the catalogue (read once).

    Raises
    ------
    CatalogueError
        When ``materials.csv`` cannot be read.
    """
    try:
        text = (catalogue_dir() / "materials.csv").read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(
            f"cannot read the catalogue file: {exc}", source="materials.csv"
        ) from exc
    return {
        row["material"].strip(): (row["name_th"].strip(), row["name_en"].strip())
        for row in csv.DictReader(io.StringIO(text))
        if row.get("material")
    }


def material_name(material: str, lang: str = "th") -> str:
    """Name a material key in ``lang``; the key itself when unknown.

    Parameters
    ----------
    material : str
        A material key of ``materials.csv`` (e.g. ``fly_ash``).
    lang : str
        ``th`` (default) or ``en``.

    Returns
    -------
    str
        The catalogue's name in that language, or ``material`` when the catalogue has none.
    """
    names = material_names().get(material)
    if names is None:
        return material
    return (names[0] if lang == "th" else names[1]) or material
