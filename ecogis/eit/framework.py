"""The indicator framework in DIW's shape: dimensions → aspects → indicators → level thresholds.

DIW's 2017 eco-industrial town criteria have 5 dimensions, 20 aspects, 41 indicators and 5
levels (level 1 Engagement การมีส่วนร่วม, level 2 Enhancement การส่งเสริม). The official list
is not published in machine-readable form, so the framework is data:

* ``ecogis/catalogue/eit_indicators.toml`` — ecogis's own PROVISIONAL set, nested as
  ``[[dimensions]]`` → ``[[dimensions.aspects]]`` → ``[[dimensions.aspects.indicators]]``,
  each indicator with its ``thresholds`` per level (``{ 1 = 60, 2 = 70 }``), the
  ``[[levels]]`` and the level rule ``[rule]``;
* a planner's official list as CSV/XLSX, one row per indicator
  (:mod:`ecogis.eit.framework_table`); the levels, the rule and the disposal-code grouping
  then come from the shipped file.

:func:`ecogis.eit.load_indicators` reads either. The level rule is data too
(:mod:`ecogis.eit.levels`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
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
DIMENSION_NAMES_EN = {d: d.capitalize() for d in DIMENSIONS}
DIRECTIONS = ("higher", "lower")
LEVELS = (1, 2, 3, 4, 5)
MANUAL = "manual"
DIW_2017_SHAPE = {"dimensions": 5, "aspects": 20, "indicators": 41, "levels": 5}
"""The shape of DIW's 2017 criteria, against which a loaded list is compared."""

_REQUIRED = ("id", "name_th", "name_en", "unit", "direction", "computation")


@dataclass(frozen=True)
class Indicator:
    """One indicator: where it sits (dimension, aspect) and its threshold at each level.

    ``level`` is the first level the indicator is judged at (its lowest threshold), or the
    level it is tracked at when it has no threshold; ``threshold`` is the threshold there.
    """

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
    aspect_id: str = ""
    thresholds: Mapping[int, float] = field(default_factory=dict)

    @property
    def is_manual(self) -> bool:
        """Whether an assessor enters the value (with evidence) instead of ecogis computing it."""
        return self.computation == MANUAL

    def threshold_at(self, level: int) -> float | None:
        """Return the threshold to reach at ``level`` (``None``: not judged at that level).

        Parameters
        ----------
        level : int
            A level 1–5.

        Returns
        -------
        float or None
            The threshold in the indicator's :attr:`unit`, or ``None``.
        """
        return self.thresholds.get(level)

    def meets(self, value: float | None, level: int | None = None) -> bool | None:
        """Whether ``value`` reaches the threshold (at ``level``; by default at :attr:`level`).

        ``None`` when the value or the threshold is missing.

        Parameters
        ----------
        value : float or None
            The indicator's value in its :attr:`unit`; ``None`` or NaN when not known.
        level : int or None
            The level (1–5) whose threshold applies; ``None`` (default) uses :attr:`threshold`,
            the one at the first level the indicator is judged at.

        Returns
        -------
        bool or None
            ``value >= threshold`` for a ``higher`` indicator, ``value <= threshold`` for a
            ``lower`` one; ``None`` when either is missing.
        """
        threshold = self.threshold if level is None else self.threshold_at(level)
        if value is None or threshold is None or value != value:
            return None
        return value >= threshold if self.direction == "higher" else value <= threshold

    def judged_at(self, level: int) -> bool:
        """Whether the indicator belongs to ``level`` in the level rule.

        Parameters
        ----------
        level : int
            A level 1–5.

        Returns
        -------
        bool
            True when the indicator has a threshold at ``level``, or has no threshold and is
            tracked at ``level``.
        """
        return level in self.thresholds or (not self.thresholds and self.level == level)


@dataclass(frozen=True)
class Aspect:
    """An aspect of a dimension and its indicators."""

    id: str
    name_th: str
    name_en: str
    dimension: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Dimension:
    """One of DIW's five dimensions and its aspects."""

    id: str
    name_th: str
    name_en: str
    aspects: tuple[Aspect, ...]


@dataclass(frozen=True)
class Level:
    """A level of the criteria (1 Engagement, 2 Enhancement, …)."""

    level: int
    name_th: str
    name_en: str


@dataclass(frozen=True)
class IndicatorSet:
    """The framework: dimensions → aspects → indicators, the levels and the level rule."""

    indicators: tuple[Indicator, ...]
    version: str
    provisional: bool
    pass_share: float
    min_coverage: float
    recovery_prefixes: tuple[str, ...]
    landfill_codes: tuple[str, ...]
    source: str
    notes: dict[str, str] = field(default_factory=dict)
    dimensions: tuple[Dimension, ...] = ()
    levels: tuple[Level, ...] = ()
    cumulative: bool = True
    exchange_codes: tuple[str, ...] = ("021",)

    def get(self, indicator_id: str) -> Indicator:
        """Return the indicator with id ``indicator_id`` (KeyError if none).

        Parameters
        ----------
        indicator_id : str
            An indicator id as in the framework file.

        Returns
        -------
        Indicator
            The indicator.

        Raises
        ------
        KeyError
            If the set has no indicator of that id.
        """
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    @property
    def ids(self) -> list[str]:
        """Indicator ids in file order."""
        return [i.id for i in self.indicators]

    @property
    def aspects(self) -> tuple[Aspect, ...]:
        """Every aspect, dimension by dimension."""
        return tuple(a for d in self.dimensions for a in d.aspects)

    def level_name(self, level: int, lang: str = "th") -> str:
        """Return the name of ``level`` (``ระดับที่ 3`` / ``level 3`` when it has none).

        Parameters
        ----------
        level : int
            A level 1–5.
        lang : str
            ``th`` (default) or ``en``.

        Returns
        -------
        str
            The level's name from ``[[levels]]`` (e.g. การมีส่วนร่วม / Engagement), or the
            generic ``ระดับที่ N`` / ``level N``.
        """
        for lv in self.levels:
            if lv.level == level:
                return lv.name_th if lang == "th" else lv.name_en
        return f"ระดับที่ {level}" if lang == "th" else f"level {level}"

    def shape(self) -> dict[str, int]:
        """How many dimensions, aspects, indicators and levels the set has.

        Returns
        -------
        dict of str to int
            Keys ``dimensions``, ``aspects``, ``indicators``, ``levels`` (5 when the file names
            no levels), to compare with :data:`DIW_2017_SHAPE`.
        """
        return {
            "dimensions": len(self.dimensions),
            "aspects": len(self.aspects),
            "indicators": len(self.indicators),
            "levels": len(self.levels) or len(LEVELS),
        }


# --------------------------------------------------------------------------- checks
class Checker:
    """Names the file, the indicator (by position and id) and the field of a problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(
        self, where: str, fld: str, what: str, fix: str, *, row: int | None = None
    ) -> CatalogueError:
        """Make a :class:`CatalogueError` naming the file, the place and the field.

        Parameters
        ----------
        where : str
            The place in the file (``indicator #3 (IND-07)``, ``[rule]`` …).
        fld : str
            The field that is wrong.
        what : str
            What is wrong with it.
        fix : str
            How to fix it.
        row : int or None
            The table row (for a CSV/XLSX framework); ``None`` (default) for a TOML file.

        Returns
        -------
        CatalogueError
            The error, for the caller to raise.
        """
        return CatalogueError(f"{where}: {what}", source=self.source, row=row, field=fld, fix=fix)


def indicator_from(
    entry: Mapping[str, Any],
    *,
    where: str,
    dimension: str,
    aspect: Aspect | None,
    aspect_name: str,
    check: Checker,
    row: int | None = None,
) -> Indicator:
    """One indicator from a TOML entry or a table row (already as a mapping).

    Parameters
    ----------
    entry : Mapping of str to Any
        The entry: ``id``, ``name_th``, ``name_en``, ``unit``, ``direction``,
        ``computation`` (required), ``thresholds`` (level → number), ``level``,
        ``description``.
    where : str
        The entry's place for messages (``indicator #3 (IND-07)``).
    dimension : str
        Its dimension (one of :data:`DIMENSIONS`).
    aspect : Aspect or None
        Its aspect (only the id is kept); ``None`` when not known.
    aspect_name : str
        The aspect's name as shown (``ไทย / English``).
    check : Checker
        Names the file in errors.
    row : int or None
        The table row, for a CSV/XLSX framework; ``None`` (default) for TOML.

    Returns
    -------
    Indicator
        The indicator; its :attr:`~Indicator.level` is the lowest level with a threshold
        (else the ``level`` given, else 2).

    Raises
    ------
    CatalogueError
        If a required field is missing, or the dimension, direction, computation, a
        threshold level (not 1–5) or value (not a number), or ``level`` is wrong.
    """
    from ecogis.eit.compute import COMPUTATIONS

    def bad(fld: str, what: str, fix: str) -> CatalogueError:
        return check.error(where, fld, what, fix, row=row)

    for fld in _REQUIRED:
        if fld not in entry or entry[fld] in ("", None):
            raise bad(fld, "required field is missing", f"add {fld} = ... to the entry")
    if dimension not in DIMENSIONS:
        raise bad("dimension", f"{dimension!r} is not a dimension", f"use {', '.join(DIMENSIONS)}")
    if entry["direction"] not in DIRECTIONS:
        raise bad(
            "direction", f"{entry['direction']!r} is not higher or lower", "use higher or lower"
        )
    comp = entry["computation"]
    if comp != MANUAL and comp not in COMPUTATIONS:
        raise bad(
            "computation",
            f"unknown computation {comp!r}",
            f"use manual or one of {', '.join(sorted(COMPUTATIONS))}",
        )
    thresholds: dict[int, float] = {}
    raw = entry.get("thresholds", {})
    if not isinstance(raw, Mapping):
        raise bad("thresholds", f"{raw!r} is not a table of levels", "write { 1 = 60, 2 = 70 }")
    for key, value in raw.items():
        try:
            level = int(str(key))
        except ValueError:
            level = 0
        if level not in LEVELS:
            raise bad("thresholds", f"{key!r} is not a level 1–5", "use the levels 1 to 5")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad(
                "thresholds",
                f"level {level}: {value!r} is not a number",
                "write a number, or leave the level out",
            )
        thresholds[level] = float(value)
    tracked = entry.get("level")
    if tracked is not None and (isinstance(tracked, bool) or tracked not in LEVELS):
        raise bad("level", f"{tracked!r} is not a level 1–5", "give a whole number 1 to 5")
    first = min(thresholds) if thresholds else int(tracked or 2)
    return Indicator(
        id=str(entry["id"]),
        name_th=str(entry["name_th"]),
        name_en=str(entry["name_en"]),
        dimension=dimension,
        aspect=aspect_name,
        level=first,
        unit=str(entry["unit"]),
        direction=str(entry["direction"]),
        computation=str(comp),
        threshold=thresholds.get(first),
        description=str(entry.get("description", "")),
        aspect_id=aspect.id if aspect is not None else "",
        thresholds=thresholds,
    )


def _levels(data: Mapping[str, Any], check: Checker) -> tuple[Level, ...]:
    out = []
    for pos, entry in enumerate(data.get("levels", []), start=1):
        lv = entry.get("level")
        if lv not in LEVELS:
            raise check.error(f"level #{pos}", "level", f"{lv!r} is not a level 1–5", "1 to 5")
        out.append(
            Level(int(lv), str(entry.get("name_th", f"ระดับที่ {lv}")), str(entry.get("name_en", "")))
        )
    return tuple(out)


def indicator_set_from(
    data: Mapping[str, Any],
    name: str,
    dimensions: tuple[Dimension, ...],
    *,
    provisional: bool | None = None,
    version: str | None = None,
) -> IndicatorSet:
    """Build the indicator set of ``dimensions``, with the meta, level rule and codes of ``data``.

    Parameters
    ----------
    data : Mapping of str to Any
        The framework file as data: ``[meta]`` (version, provisional, notes), ``[rule]``
        (``pass_share``, ``min_coverage``, ``cumulative``), ``[disposal_codes]`` and
        ``[[levels]]``.
    name : str
        The source file's name, for messages and :attr:`IndicatorSet.source`.
    dimensions : tuple of Dimension
        The dimensions with their aspects and indicators, in file order.
    provisional : bool or None
        Whether the set is provisional; ``None`` (default) takes ``meta.provisional``.
    version : str or None
        The set's version; ``None`` (default) takes ``meta.version`` or the file's stem.

    Returns
    -------
    IndicatorSet
        The framework; ``pass_share`` and ``min_coverage`` are shares 0–1 (defaults 0.8
        and 0.6).

    Raises
    ------
    CatalogueError
        If an indicator id is used twice, ``pass_share`` or ``min_coverage`` is not a share
        0–1, or a ``[[levels]]`` entry is not a level 1–5.
    """
    check = Checker(name)
    meta: dict[str, Any] = dict(data.get("meta", {}))
    rule: dict[str, Any] = dict(data.get("rule", {}))
    codes: dict[str, Any] = dict(data.get("disposal_codes", {}))
    indicators = tuple(i for d in dimensions for a in d.aspects for i in a.indicators)
    seen: dict[str, int] = {}
    for pos, ind in enumerate(indicators, start=1):
        if ind.id in seen:
            raise check.error(
                f"indicator #{pos} ({ind.id})",
                "id",
                f"id {ind.id!r} is used twice",
                "give each indicator its own id",
            )
        seen[ind.id] = pos
    for fld in ("pass_share", "min_coverage"):
        value = rule.get(fld, 0.8 if fld == "pass_share" else 0.6)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise check.error("[rule]", fld, f"{value!r} is not a share 0–1", "e.g. 0.8")
    return IndicatorSet(
        indicators=indicators,
        version=version or str(meta.get("version", Path(name).stem)),
        provisional=bool(meta.get("provisional", False)) if provisional is None else provisional,
        pass_share=float(rule.get("pass_share", 0.8)),
        min_coverage=float(rule.get("min_coverage", 0.6)),
        recovery_prefixes=tuple(codes.get("recovery_prefixes", ("01", "02", "03", "04"))),
        landfill_codes=tuple(codes.get("landfill_codes", ("071", "072", "073"))),
        source=name,
        notes={k: str(v) for k, v in meta.items() if k.startswith("note")},
        dimensions=dimensions,
        levels=_levels(data, check),
        cumulative=bool(rule.get("cumulative", True)),
        exchange_codes=tuple(codes.get("exchange_codes", ("021",))),
    )


# --------------------------------------------------------------------------- TOML
def shipped_framework_data() -> tuple[dict[str, Any], str]:
    """Read the shipped framework file as data, and its name (levels, rule and codes).

    Returns
    -------
    (dict of str to Any, str)
        The parsed ``eit_indicators.toml`` and its name.
    """
    return _shipped()


def _shipped() -> tuple[dict[str, Any], str]:
    text, name = read_catalogue_text(None, "eit_indicators.toml")
    return tomllib.loads(text), name


def load_framework_toml(path: str | Path | None = None) -> IndicatorSet:
    """Read an indicator framework from TOML; the shipped provisional set by default.

    Parameters
    ----------
    path : str or Path or None
        A TOML file in the shape of ``ecogis/catalogue/eit_indicators.toml``; ``None``
        (default) reads the shipped file.

    Returns
    -------
    IndicatorSet
        The framework: dimensions → aspects → indicators, levels and level rule.

    Raises
    ------
    CatalogueError
        Naming the file, the indicator (by position and id) and the field that is missing
        or wrong: not valid TOML, no dimensions or indicators, an unknown dimension,
        direction or computation, a level outside 1–5, a threshold that is not a number,
        a repeated id.
    """
    text, name = read_catalogue_text(path, "eit_indicators.toml")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}", source=name) from exc
    check = Checker(name)
    dims = data.get("dimensions")
    if not isinstance(dims, list) or not dims:
        raise CatalogueError(
            "has no [[dimensions]] entries",
            source=name,
            fix="see the shipped eit_indicators.toml: [[dimensions]] → [[dimensions.aspects]] "
            "→ [[dimensions.aspects.indicators]]",
        )
    pos = 0
    dimensions = []
    for d in dims:
        did = d.get("id")
        if did not in DIMENSIONS:
            raise check.error(
                f"dimension {did!r}", "id", f"{did!r} is not a dimension", ", ".join(DIMENSIONS)
            )
        aspects = []
        for a_pos, a in enumerate(d.get("aspects", []), start=1):
            aid = str(a.get("id") or f"{did}-{a_pos}")
            a_name = f"{a.get('name_th', '')} / {a.get('name_en', '')}".strip(" /")
            shell = Aspect(aid, str(a.get("name_th", "")), str(a.get("name_en", "")), did, ())
            inds = []
            for entry in a.get("indicators", []):
                pos += 1
                where = f"indicator #{pos}" + (f" ({entry['id']})" if "id" in entry else "")
                dim = str(entry.get("dimension", did))
                inds.append(
                    indicator_from(
                        entry,
                        where=where,
                        dimension=dim,
                        aspect=shell,
                        aspect_name=a_name,
                        check=check,
                    )
                )
            aspects.append(
                Aspect(aid, shell.name_th, shell.name_en, did, tuple(inds)),
            )
        dimensions.append(
            Dimension(
                did,
                str(d.get("name_th", DIMENSION_NAMES_TH[did])),
                str(d.get("name_en", DIMENSION_NAMES_EN[did])),
                tuple(aspects),
            )
        )
    if pos == 0:
        raise CatalogueError(
            "has no indicators", source=name, fix="add [[dimensions.aspects.indicators]]"
        )
    return indicator_set_from(data, name, tuple(dimensions))
