"""The indicator framework: DIW's five dimensions, aspects and indicators, read as data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecogis.errors import CatalogueError
from ecogis.resources import read_catalogue_text

DIMENSIONS = ("physical", "economic", "environmental", "social", "management")
DIMENSION_NAMES_TH = {
    "physical": "กายภาพ",
    "economic": "เศรษฐกิจ",
    "environmental": "สิ่งแวดล้อม",
    "social": "สังคม",
    "management": "การบริหารจัดการ",
}
DIRECTIONS = ("higher", "lower")
MANUAL = "manual"
_REQUIRED = (
    "id",
    "name_th",
    "name_en",
    "dimension",
    "aspect",
    "level",
    "unit",
    "direction",
    "computation",
)


@dataclass(frozen=True)
class Indicator:
    """One indicator of the eco-industrial town framework."""

    id: str
    name_th: str
    name_en: str
    dimension: str
    aspect: str
    level: int
    unit: str
    direction: str
    computation: str
    threshold: float | None = None
    description: str = ""

    @property
    def is_manual(self) -> bool:
        """Whether an assessor enters the value (with evidence) instead of ecogis computing it."""
        return self.computation == MANUAL

    def meets(self, value: float | None) -> bool | None:
        """Whether ``value`` reaches the threshold (``None`` when either is missing)."""
        if value is None or self.threshold is None:
            return None
        return value >= self.threshold if self.direction == "higher" else value <= self.threshold


@dataclass(frozen=True)
class IndicatorSet:
    """The indicators with the level rule and the disposal-code grouping they use."""

    indicators: tuple[Indicator, ...]
    version: str
    provisional: bool
    pass_share: float
    min_coverage: float
    recovery_prefixes: tuple[str, ...]
    landfill_codes: tuple[str, ...]
    source: str
    notes: dict[str, str] = field(default_factory=dict)

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with id ``indicator_id`` (KeyError if none)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    @property
    def ids(self) -> list[str]:
        """Indicator ids in file order."""
        return [i.id for i in self.indicators]


def load_indicators(path: str | Path | None = None) -> IndicatorSet:
    """Read an indicator file (TOML); the shipped provisional set by default.

    Parameters
    ----------
    path
        A planner's own file in the format of ``ecogis/catalogue/eit_indicators.toml``.

    Raises
    ------
    CatalogueError
        Naming the file, the indicator (by position and id) and the field that is missing
        or wrong: an unknown dimension, direction or computation, a level outside 1–5, a
        threshold that is not a number, a repeated id.
    """
    from ecogis.eit.compute import COMPUTATIONS

    text, name = read_catalogue_text(path, "eit_indicators.toml")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}", source=name) from exc
    entries = data.get("indicators")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(
            "has no [[indicators]] entries", source=name, fix="see the shipped eit_indicators.toml"
        )
    out: list[Indicator] = []
    seen: set[str] = set()
    for pos, entry in enumerate(entries, start=1):
        where = f"indicator #{pos}" + (f" ({entry['id']})" if "id" in entry else "")

        def bad(fld: str, what: str, fix: str, _where: str = where) -> CatalogueError:
            return CatalogueError(f"{_where}: {what}", source=name, field=fld, fix=fix)

        for fld in _REQUIRED:
            if fld not in entry or entry[fld] in ("", None):
                raise bad(fld, "required field is missing", f"add {fld} = ... to the entry")
        if entry["id"] in seen:
            raise bad("id", f"id {entry['id']!r} is used twice", "give each indicator its own id")
        seen.add(entry["id"])
        if entry["dimension"] not in DIMENSIONS:
            raise bad(
                "dimension",
                f"{entry['dimension']!r} is not a dimension",
                f"use one of {', '.join(DIMENSIONS)}",
            )
        if entry["direction"] not in DIRECTIONS:
            raise bad(
                "direction", f"{entry['direction']!r} is not higher or lower", "use higher or lower"
            )
        level = entry["level"]
        if not isinstance(level, int) or not 1 <= level <= 5:
            raise bad("level", f"{level!r} is not a level 1–5", "give a whole number 1 to 5")
        comp = entry["computation"]
        if comp != MANUAL and comp not in COMPUTATIONS:
            raise bad(
                "computation",
                f"unknown computation {comp!r}",
                f"use manual or one of {', '.join(sorted(COMPUTATIONS))}",
            )
        threshold = entry.get("threshold")
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, int | float)
        ):
            raise bad("threshold", f"{threshold!r} is not a number", "write a number, or omit it")
        out.append(
            Indicator(
                id=str(entry["id"]),
                name_th=entry["name_th"],
                name_en=entry["name_en"],
                dimension=entry["dimension"],
                aspect=entry["aspect"],
                level=level,
                unit=entry["unit"],
                direction=entry["direction"],
                computation=comp,
                threshold=float(threshold) if threshold is not None else None,
                description=entry.get("description", ""),
            )
        )
    meta: dict[str, Any] = data.get("meta", {})
    rule: dict[str, Any] = data.get("rule", {})
    codes: dict[str, Any] = data.get("disposal_codes", {})
    return IndicatorSet(
        indicators=tuple(out),
        version=str(meta.get("version", Path(name).stem)),
        provisional=bool(meta.get("provisional", False)),
        pass_share=float(rule.get("pass_share", 0.8)),
        min_coverage=float(rule.get("min_coverage", 0.6)),
        recovery_prefixes=tuple(codes.get("recovery_prefixes", ("01", "02", "03", "04"))),
        landfill_codes=tuple(codes.get("landfill_codes", ("071", "072", "073"))),
        source=name,
        notes={k: str(v) for k, v in meta.items() if k.startswith("note")},
    )
