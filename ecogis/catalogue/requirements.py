"""The requirement catalogue (``ecogis/catalogue/requirements.csv``), read and checked.

It lists what a factory may be required or certified to have.

Read by the compliance importer (a requirement may be named by its id or its Thai or English
name) and by the compliance analyses (status, gaps); it sits below both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pandas as pd

from ecogis.errors import CatalogueError
from ecogis.resources import read_catalogue_text

CATEGORIES = ("legal", "environmental_management", "safety_management", "csr", "green_industry")
MANAGEMENT_CATEGORIES = ("environmental_management", "safety_management", "csr")
_REQ_COLUMNS = (
    "requirement",
    "name_th",
    "name_en",
    "category",
    "evidences",
    "min_level",
    "level_kind",
    "expires",
    "mandatory",
    "applies_classes",
    "applies_types",
    "applies_if",
    "note",
)
_APPLIES_IF = ("", "waste", "hazardous_waste")


@dataclass(frozen=True)
class Requirement:
    """One row of the requirement catalogue (``ecogis/catalogue/requirements.csv``)."""

    requirement: str
    name_th: str
    name_en: str
    category: str
    evidences: tuple[str, ...]
    min_level: str
    level_kind: str  # "", "GI" or "year"
    expires: bool
    mandatory: bool
    applies_classes: tuple[int, ...]
    applies_types: tuple[int, ...]
    applies_if: str
    note: str


def load_requirements(path: str | Path | None = None) -> dict[str, Requirement]:
    """Read the requirement catalogue.

    Parameters
    ----------
    path
        A planner's own CSV with the columns of the shipped one; the shipped
        ``ecogis/catalogue/requirements.csv`` by default.

    Returns
    -------
    dict
        Requirement id → :class:`Requirement`, in file order.

    Raises
    ------
    CatalogueError
        A column is missing, an id is repeated, or a value is not one the catalogue allows.
    """
    text, name = read_catalogue_text(path, "requirements.csv")
    frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in ("requirement", "name_th", "name_en", "category") if c not in frame]
    if missing:
        raise CatalogueError(
            f"column(s) {', '.join(missing)} missing",
            source=name,
            fix=f"the catalogue needs the columns {', '.join(_REQ_COLUMNS)}",
        )
    out: dict[str, Requirement] = {}
    for i, row in enumerate(frame.to_dict("records")):
        rownum = i + 2

        def bad(field: str, what: str, fix: str, _row: int = rownum) -> CatalogueError:
            return CatalogueError(what, source=name, row=_row, field=field, fix=fix)

        rid = row["requirement"].strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]*", rid):
            raise bad("requirement", f"{rid!r} is not a snake_case id", "use e.g. iso50001")
        if rid in out:
            raise bad("requirement", f"{rid!r} is listed twice", "keep one row per requirement")
        for f in ("name_th", "name_en"):
            if not row[f].strip():
                raise bad(f, "is empty", "give the requirement's name")
        category = row["category"].strip()
        if category not in CATEGORIES:
            raise bad("category", f"{category!r} is not a category", f"use {', '.join(CATEGORIES)}")
        evidences = tuple(_split(row.get("evidences", ""))) or (category,)
        for e in evidences:
            if e not in CATEGORIES:
                raise bad("evidences", f"{e!r} is not a category", f"use {', '.join(CATEGORIES)}")
        level_kind = row.get("level_kind", "").strip()
        if level_kind not in ("", "GI", "year"):
            raise bad("level_kind", f"{level_kind!r} is unknown", "use GI, year or leave empty")
        applies_if = row.get("applies_if", "").strip()
        if applies_if not in _APPLIES_IF:
            raise bad(
                "applies_if", f"{applies_if!r} is unknown", "use waste, hazardous_waste or ''"
            )
        try:
            classes = tuple(int(v) for v in _split(row.get("applies_classes", "")))
            types = tuple(int(v) for v in _split(row.get("applies_types", "")))
        except ValueError as exc:
            raise bad(
                "applies_classes/applies_types",
                f"not a list of numbers ({exc})",
                "write numbers separated by ';', e.g. 42;49;50",
            ) from exc
        out[rid] = Requirement(
            requirement=rid,
            name_th=row["name_th"].strip(),
            name_en=row["name_en"].strip(),
            category=category,
            evidences=evidences,
            min_level=row.get("min_level", "").strip(),
            level_kind=level_kind,
            expires=_truthy(row.get("expires", "")),
            mandatory=_truthy(row.get("mandatory", "")),
            applies_classes=classes,
            applies_types=types,
            applies_if=applies_if,
            note=row.get("note", "").strip(),
        )
    return out


def _split(text: str) -> list[str]:
    return [p.strip() for p in str(text).replace(",", ";").split(";") if p.strip()]


def _truthy(text: str) -> bool:
    return str(text).strip().lower() in ("yes", "y", "true", "1")
