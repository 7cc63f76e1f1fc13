"""The waste-to-resource compatibility catalogue and its queries.

The catalogue is package data written by the project (``ecogis/catalogue/``):

``waste_compatibility.csv``
    One row per (key, receiving industry). The key is a material (``fly_ash``), a 6-digit
    waste code (``100102``), a 4-digit sub-chapter (``1001``) or a 2-digit chapter (``10``).
    Columns: the receiving TSIC class (5 digits) or division (2 digits), the use in English
    and Thai, the substitution ratio (units of primary material replaced per unit of the
    waste), the largest share of the receiver's intake it can take, the CO2e and price of the
    primary material it replaces (indicative; blank on back-off rows), a confidence 0–1, a
    one-line basis and, where a source gives it, the CO2e of the secondary route per unit of
    product (``secondary_kgco2e_per_unit``, e.g. DEFRA 2022 recycled steel 1.74 kg/kg; blank
    = the material's processing figure). Avoided burden = ratio × (primary − secondary).
``materials.csv``
    Material keys with Thai/English names, material class, bulk density (t/m³), heating
    value, the waste codes they usually carry, default hazard mark, processing and avoided
    disposal CO2e, and an indicative disposal fee.
``material_classes.csv``
    Per material class: the typical largest transport distance and whether it moves by road
    or pipe.
``tsic_descriptions.csv``
    Our own short descriptions of the TSIC 2009 classes and divisions the catalogue uses.

Lookups back off from the most specific key to the least: material and 6-digit code
(weight 1.0), sub-chapter (0.8), chapter (0.6). A receiver's score is its row's confidence
times the weight of the level that named it; the best level wins per receiver.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from ecogis.errors import CatalogueError, DataValidationError
from ecogis.importers.waste_codes import normalise_waste_code
from ecogis.resources import catalogue_dir

LEVEL_WEIGHTS: dict[str, float] = {
    "material": 1.0,
    "code": 1.0,
    "code_material": 0.9,
    "subchapter": 0.8,
    "chapter": 0.6,
    "hazardous_route": 0.5,
}
"""Weight of a catalogue row by how specifically it matched the query."""

LEVEL_WORDS: dict[str, str] = {
    "material": "material precedent",
    "code": "6-digit code precedent",
    "code_material": "precedent for the material this code usually is",
    "subchapter": "4-digit sub-chapter back-off",
    "chapter": "chapter back-off",
    "hazardous_route": "lawful route for any hazardous stream",
}

CHAPTER_CLASSES: dict[str, str] = {
    "01": "bulk_mineral", "02": "agro_wet", "03": "agro_dry", "04": "recyclable",
    "05": "hazardous_liquid", "06": "general", "07": "hazardous_liquid",
    "08": "hazardous_liquid", "09": "hazardous_liquid", "10": "bulk_mineral", "11": "general",
    "12": "metal", "13": "hazardous_liquid", "14": "hazardous_liquid", "15": "recyclable",
    "16": "general", "17": "bulk_mineral", "18": "general", "19": "sludge", "20": "general",
}  # fmt: skip
"""Material class assumed for a waste code whose material the catalogue does not know."""

CASCADE_CLASSES = frozenset({"steam", "heat_low", "heat_medium", "heat_high", "water"})
"""Material classes of energy and water cascades: a surplus, never a product already sold."""

CODE_REFINES_MATERIAL = frozenset({"metal_scrap"})
"""Materials whose 6-digit code tells apart kinds with different receivers (ferrous 12 01 01
goes to steel mills, non-ferrous 12 01 03 to smelters): their receivers are those both the
material and the code list."""

DIW_TYPE_TSIC: dict[int, str] = {101: "38221", 105: "38211", 106: "38300"}
"""Licensed waste-receiver factory types and the TSIC class their activity belongs to."""

_SECONDARY = "secondary_kgco2e_per_unit"
_FACTOR_COLUMNS = (
    "substitution_ratio",
    "max_share",
    "primary_kgco2e_per_unit",
    "primary_thb_per_unit",
    "secondary_kgco2e_per_unit",
)


@dataclass(frozen=True)
class Catalogue:
    """The loaded catalogue tables (see the module docstring)."""

    compat: pd.DataFrame
    materials: pd.DataFrame
    classes: pd.DataFrame
    tsic: pd.DataFrame
    code_material: dict[str, str]
    by_key: dict[str, list[dict[str, Any]]]

    def material_class(self, material: str | None, code: str | None) -> str:
        """Material class of a stream: from its material, else its code, else ``general``.

        Parameters
        ----------
        material
            A material key of ``materials.csv`` (``fly_ash`` …), or ``None``.
        code
            The stream's 6-digit waste code, or ``None``. A code the catalogue ties to a
            material gives that material's class; any other gives the class assumed for
            its 2-digit chapter (:data:`CHAPTER_CLASSES`).

        Returns
        -------
        str
            A ``material_class`` of ``material_classes.csv``.
        """
        if material and material in self.materials.index:
            return str(_cell(self.materials, material, "material_class"))
        if code:
            guess = self.code_material.get(code)
            if guess:
                return str(_cell(self.materials, guess, "material_class"))
            return CHAPTER_CLASSES.get(code[:2], "general")
        return "general"

    def max_km(self, material_class: str) -> float:
        """Typical largest transport distance (road km) of a material class.

        Parameters
        ----------
        material_class
            A class of ``material_classes.csv`` (e.g. ``bulk_mineral``).

        Returns
        -------
        float
            Kilometres by road.

        Raises
        ------
        KeyError
            If the catalogue has no such class.
        """
        return float(_cell(self.classes, material_class, "max_km"))

    def describe(self, tsic: str, lang: str = "en") -> str:
        """Our description of a TSIC class or division ('' if not in the catalogue).

        Parameters
        ----------
        tsic
            A TSIC 2009 class (5 digits) or division (2 digits), as text.
        lang
            ``en`` (the default) or ``th``.

        Returns
        -------
        str
        """
        if tsic in self.tsic.index:
            return str(_cell(self.tsic, tsic, "name_th" if lang == "th" else "name_en"))
        return ""

    def material_value(self, material: str | None, column: str) -> float:
        """Return a numeric property of a material (NaN when unknown).

        Parameters
        ----------
        material
            A material key of ``materials.csv``, or ``None``.
        column
            A numeric column of ``materials.csv``, e.g. ``density_t_per_m3`` (t/m³),
            ``lhv_mwh_per_t`` (MWh/t) or ``disposal_thb_per_unit`` (THB per canonical unit).

        Returns
        -------
        float
            The value in the column's unit; NaN when the material is unknown or the cell is
            blank.

        Raises
        ------
        KeyError
            If ``materials.csv`` has no such column.
        """
        if material and material in self.materials.index:
            return float(_cell(self.materials, material, column))
        return float("nan")


def _cell(frame: pd.DataFrame, row: str, column: str) -> Any:
    """One value of an indexed catalogue table."""
    return frame.at[row, column]


def _read_csv(name: str) -> pd.DataFrame:
    path = catalogue_dir() / name
    try:
        with path.open("r", encoding="utf-8") as fh:
            return pd.read_csv(fh, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise CatalogueError(f"cannot read the catalogue file: {exc}", source=name) from exc


def _numeric(frame: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for col in columns:
        out[col] = pd.to_numeric(out[col].replace("", None), errors="coerce").astype("float64")
    return out


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Read and check the package catalogue (cached).

    Returns
    -------
    Catalogue
        The four tables, indexed (``materials`` by material, ``classes`` by material class,
        ``tsic`` by TSIC code) with their numeric columns as float64, and the lookups by
        waste code and by key. The same object on every call.

    Raises
    ------
    CatalogueError
        If a file is missing, a column is absent, or a row names an unknown material class
        or a TSIC without a description.
    """
    compat = _numeric(_read_csv("waste_compatibility.csv"), [*_FACTOR_COLUMNS, "confidence"])
    materials = _numeric(
        _read_csv("materials.csv"),
        [
            "density_t_per_m3",
            "lhv_mwh_per_t",
            "processing_kgco2e_per_unit",
            "disposal_kgco2e_per_unit",
            "disposal_thb_per_unit",
        ],
    ).set_index("material")
    classes = _numeric(
        _read_csv("material_classes.csv"), ["max_km", "transport_thb_per_unit_km"]
    ).set_index("material_class")
    tsic = _read_csv("tsic_descriptions.csv").set_index("tsic")
    for i, r in enumerate(compat.itertuples(index=False), start=2):
        if r.receiver_tsic not in tsic.index:
            raise CatalogueError(
                f"receiver TSIC {r.receiver_tsic} has no description",
                source="waste_compatibility.csv",
                row=i,
                field="receiver_tsic",
                fix="add it to tsic_descriptions.csv",
            )
        if not 0 <= float(str(r.confidence)) <= 1:
            raise CatalogueError(
                "confidence must be between 0 and 1", source="waste_compatibility.csv", row=i
            )
    bad = set(materials["material_class"]) - set(classes.index)
    if bad:
        raise CatalogueError(
            f"unknown material class(es) {sorted(bad)}",
            source="materials.csv",
            fix="add them to material_classes.csv",
        )
    code_material: dict[str, str] = {}
    for mat, codes in materials["waste_codes"].items():
        for code in str(codes).split():
            code_material.setdefault(code, str(mat))
    by_key: dict[str, list[dict[str, Any]]] = {}
    for rec in compat.to_dict("records"):
        by_key.setdefault(str(rec["key"]), []).append({str(k): v for k, v in rec.items()})
    return Catalogue(compat, materials, classes, tsic, code_material, by_key)


def _level_of(key: str) -> str:
    if not key.isdigit():
        return "material"
    return {6: "code", 4: "subchapter", 2: "chapter"}[len(key)]


def compatible_receivers(
    *,
    waste_code: str | None = None,
    material: str | None = None,
    hazardous: bool = False,
    fill_to: int | None = 3,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Rank the receiving industries for a waste code and/or a material.

    Parameters
    ----------
    waste_code
        A 6-digit code (already normalised; see :func:`normalise_waste_code`).
    material
        A material key of ``materials.csv`` (``fly_ash``, ``steam`` …).
    hazardous
        The stream is hazardous: licensed hazardous-waste treatment (TSIC 38221) is added
        when the catalogue did not name it, since that is always a lawful route.
    fill_to
        Back off to the sub-chapter and then the chapter only while fewer than this many
        receiving industries have been found (``None``: always gather every level). Backing
        off further than needed adds weaker, sometimes wrong, suggestions.
    catalogue
        The catalogue to use (the package one by default).

    Returns
    -------
    pandas.DataFrame
        One row per receiving TSIC, best first: ``tsic``, ``description_en/_th``,
        ``use_en/_th``, ``score`` (0–1), ``confidence``, ``level``, ``matched_key``, the four
        factor columns and ``basis``. Empty when nothing matches.
    """
    cat = catalogue or load_catalogue()
    queries: list[tuple[str, str]] = []
    if material:
        queries.append((material, "material"))
    if waste_code:
        queries.append((waste_code, "code"))
        inferred = cat.code_material.get(waste_code)
        if inferred and inferred != material:
            queries.append((inferred, "code_material"))
        queries.append((waste_code[:4], "subchapter"))
        queries.append((waste_code[:2], "chapter"))
    # Plain Python over the pre-grouped rows: this runs once per distinct stream signature
    # and per receivers query, where pandas overhead would dominate.
    best: dict[str, dict[str, Any]] = {}
    for key, level in queries:
        if level in ("subchapter", "chapter") and fill_to is not None and len(best) >= fill_to:
            break
        for row in cat.by_key.get(key, ()):
            score = float(row["confidence"]) * LEVEL_WEIGHTS[level]
            tsic = str(row["receiver_tsic"])
            have = best.get(tsic)
            if have is None:
                best[tsic] = {
                    **row,
                    "tsic": tsic,
                    "score": score,
                    "level": level,
                    "matched_key": key,
                }
                continue
            # The most specific row names the receiver; its score is the best any level gives,
            # and factors missing on it (back-off rows) come from the next row that has them.
            have["score"] = max(have["score"], score)
            for col in _FACTOR_COLUMNS:
                if col == _SECONDARY:  # belongs to the primary figure it was given with
                    continue
                if have[col] != have[col] and row[col] == row[col]:  # NaN test
                    have[col] = row[col]
                    if col == "primary_kgco2e_per_unit":
                        have[_SECONDARY] = row[_SECONDARY]
    if hazardous and "38221" not in best:
        best["38221"] = {
            "tsic": "38221",
            "use_en": "licensed treatment of a hazardous stream",
            "use_th": "บำบัดของเสียอันตรายโดยผู้รับอนุญาต",
            "score": LEVEL_WEIGHTS["hazardous_route"],
            "confidence": 0.5,
            "level": "hazardous_route",
            "matched_key": "hazardous",
            "substitution_ratio": 1.0,
            "max_share": 1.0,
            "primary_kgco2e_per_unit": 0.0,
            "primary_thb_per_unit": 0.0,
            _SECONDARY: None,
            "basis": "A hazardous stream may always go to licensed treatment",
        }
    columns = [
        "tsic", "description_en", "description_th", "use_en", "use_th", "score",
        "confidence", "level", "matched_key", *_FACTOR_COLUMNS, "basis",
    ]  # fmt: skip
    rows = sorted(best.values(), key=lambda r: -float(r["score"]))
    for r in rows:
        r["description_en"] = cat.describe(r["tsic"], "en")
        r["description_th"] = cat.describe(r["tsic"], "th")
    found = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    for col in (*_FACTOR_COLUMNS, "score", "confidence"):
        found[col] = pd.to_numeric(found[col], errors="coerce").astype("float64")
    return found.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


def receivers_query(text: str, *, top: int | None = 10) -> pd.DataFrame:
    """Answer ``ecogis symbiosis receivers``: a waste code or a material key → receivers.

    Parameters
    ----------
    text
        ``100102``, ``10 01 02``, ``10-01-02``, ``10 01 02*`` or a material key such as
        ``fly_ash``.
    top
        How many receivers to return (default 10; all when ``None``).

    Returns
    -------
    pandas.DataFrame
        The receiving industries, best first, with the columns of
        :func:`compatible_receivers`; empty when nothing matches.

    Raises
    ------
    DataValidationError
        If the text is neither a waste code nor a known material.
    """
    cat = load_catalogue()
    key = text.strip()
    if key in cat.by_key and not key.isdigit():  # a material key may hold digits (emission_co2)
        found = compatible_receivers(material=key, fill_to=top, catalogue=cat)
    elif key and not any(ch.isdigit() for ch in key):
        raise DataValidationError(
            f"{text!r} is neither a waste code nor a material in the catalogue",
            field="WASTE_CODE",
            fix="give a 6-digit code such as 100102, or a material such as fly_ash",
        )
    else:
        code, starred = normalise_waste_code(text, field="WASTE_CODE")
        found = compatible_receivers(waste_code=code, hazardous=starred, fill_to=top, catalogue=cat)
    return found.head(top) if top is not None else found
