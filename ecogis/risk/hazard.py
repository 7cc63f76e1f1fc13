"""Hazard of each factory from the project's own catalogue.

The catalogue (``ecogis/catalogue/hazard_by_factory_type.csv``, written for ecogis in its
own words) maps what is known of a factory to a **hazard class** (``high``, ``medium``,
``low``) and a **base weight** (0–1), each row with a one-line reason. Rows are matched in
this order, the first hit winning:

1. ``keyword`` — the text appears in the licensed activity (``activity``), e.g. ammonia in a
   cold store, LPG filling, fireworks; these name hazards the type number hides;
2. ``diw_type`` — the exact DIW factory type, e.g. ``64(10)``;
3. ``diw_type_main`` — the main type number, e.g. ``42`` chemicals, ``49`` refinery;
4. ``tsic_prefix`` — the longest matching prefix of the 5-digit TSIC code (used when the
   type is missing or has no row);
5. ``default`` — one row for everything else.

**Scaling rule.** The weight used is ``base × class factor × size factor``:
the class factor is 0.5 for class 1, 0.75 for class 2 and 1.0 for class 3 or an unknown
class (a class-3 licence is required for the larger and more polluting plants); the size
factor is 1.0 below 500 hp of machinery, 1.25 from 500 hp, 1.5 from 5,000 hp, and 1.0 when
horsepower is unknown (more machinery means larger inventories). A factory's own
``hazard_weight`` (a column of the ``factories`` layer) replaces the result unscaled, and
its hazard class is then read from the weight (≥ 0.7 high, ≥ 0.4 medium, else low).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.errors import CatalogueError, DataValidationError
from ecogis.resources import read_catalogue_text

HAZARD_CLASSES: tuple[str, ...] = tuple(schema.contract("risk_factories").values("hazard_class"))
MATCH_KINDS = ("keyword", "diw_type", "diw_type_main", "tsic_prefix", "default")
CATALOGUE_COLUMNS = ("match", "code", "hazard_class", "weight", "reason")
"""Required columns; an optional ``reason_th`` gives the reason in Thai."""
CLASS_FACTORS: dict[int, float] = {1: 0.5, 2: 0.75, 3: 1.0}
"""Factory class (จำพวก) → weight factor; an unknown class counts as 1.0."""
HP_BANDS: tuple[tuple[float, float], ...] = ((5000.0, 1.5), (500.0, 1.25), (0.0, 1.0))
"""(minimum horsepower, factor), largest first; unknown horsepower counts as 1.0."""
HAZARDOUS_CLASSES = ("high", "medium")
"""Hazard classes counted as 'hazardous factories' in bands, zones and summaries."""

PACKAGE_CATALOGUE = "hazard_by_factory_type.csv"


def load_hazard_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check a hazard catalogue (the package's own one by default).

    Parameters
    ----------
    path
        A user catalogue CSV with the columns ``match, code, hazard_class, weight, reason``
        (UTF-8); ``None`` reads ``ecogis/catalogue/hazard_by_factory_type.csv``.

    Returns
    -------
    pandas.DataFrame
        The rows, with ``weight`` as float and a ``row`` column (spreadsheet numbering).

    Raises
    ------
    CatalogueError
        Naming the file, row and field of the first bad value.
    """
    text, source = read_catalogue_text(path, PACKAGE_CATALOGUE)
    return parse_hazard_catalogue(text, source=source)


def catalogue_rows(
    text: str, *, source: str, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, row) of a catalogue CSV whose header has ``columns``.

    Shared by the hazard catalogue and the siting rules.

    Parameters
    ----------
    text
        The CSV text, header first.
    source
        The file name cited in errors.
    columns
        The columns the header must include (others are kept).

    Returns
    -------
    iterator of (int, dict of str to str)
        Each data row with its spreadsheet row number (the first data row is 2).

    Raises
    ------
    CatalogueError
        At row 1, naming the missing columns.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogueError(
            f"missing column(s) {', '.join(missing)}",
            source=source,
            row=1,
            fix=f"the header must include: {','.join(columns)}",
        )
    return enumerate(reader, start=2)


def parse_hazard_catalogue(text: str, *, source: str) -> pd.DataFrame:
    """Parse catalogue CSV text (see :func:`load_hazard_catalogue`).

    Parameters
    ----------
    text
        The CSV text with the columns ``match, code, hazard_class, weight, reason`` and
        optionally ``reason_th``.
    source
        The file name cited in errors.

    Returns
    -------
    pandas.DataFrame
        One row per catalogue row: ``match``, ``code``, ``hazard_class`` (lower case),
        ``weight`` (float, ≥ 0, no unit), ``reason``, ``reason_th`` (``reason`` when empty)
        and ``row`` (spreadsheet numbering).

    Raises
    ------
    CatalogueError
        Naming the row and field of the first bad value (unknown match kind or hazard
        class, empty code or reason, weight not a number ≥ 0), or when the catalogue has no
        rows or no ``default`` row.
    """
    rows: list[dict[str, Any]] = []
    for n, rec in catalogue_rows(text, source=source, columns=CATALOGUE_COLUMNS):

        def bad(field: str, what: str, fix: str, _n: int = n) -> CatalogueError:
            return CatalogueError(what, source=source, row=_n, field=field, fix=fix)

        match = (rec["match"] or "").strip()
        code = (rec["code"] or "").strip()
        hclass = (rec["hazard_class"] or "").strip().lower()
        if match not in MATCH_KINDS:
            raise bad(
                "match",
                f"match {match!r} is not one of {', '.join(MATCH_KINDS)}",
                "correct the match kind",
            )
        if match != "default" and not code:
            raise bad(
                "code", "code is empty", "give the type, TSIC prefix or keyword this row matches"
            )
        if hclass not in HAZARD_CLASSES:
            raise bad(
                "hazard_class",
                f"hazard_class {rec['hazard_class']!r} is not one of {', '.join(HAZARD_CLASSES)}",
                "use high, medium or low",
            )
        try:
            weight = float(rec["weight"])
        except (TypeError, ValueError):
            weight = float("nan")
        if not np.isfinite(weight) or weight < 0:
            raise bad(
                "weight",
                f"weight {rec['weight']!r} is not a number ≥ 0",
                "give a weight such as 0.5",
            )
        if not (rec["reason"] or "").strip():
            raise bad("reason", "reason is empty", "say in one line why this class and weight")
        rows.append(
            {
                "match": match,
                "code": code,
                "hazard_class": hclass,
                "weight": weight,
                "reason": rec["reason"].strip(),
                "reason_th": (rec.get("reason_th") or "").strip() or rec["reason"].strip(),
                "row": n,
            }
        )
    if not rows:
        raise CatalogueError(
            "the catalogue has no rows", source=source, fix="add at least a default row"
        )
    if not any(r["match"] == "default" for r in rows):
        raise CatalogueError(
            "the catalogue has no default row",
            source=source,
            fix="add a row: default,,low,0.1,<reason>",
        )
    return pd.DataFrame(rows)


class _Rule(NamedTuple):
    match: str
    code: str
    hazard_class: str
    weight: float
    reason: str
    reason_th: str


def _class_from_weight(w: float) -> str:
    return "high" if w >= 0.7 else "medium" if w >= 0.4 else "low"


def _text(v: Any) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)


class _Matcher:
    """The catalogue's rules by kind, tried in the documented order (first hit wins)."""

    def __init__(self, catalogue: pd.DataFrame) -> None:
        rules = [
            _Rule(
                str(r["match"]),
                str(r["code"]),
                str(r["hazard_class"]),
                float(r["weight"]),
                str(r["reason"]),
                str(r.get("reason_th") or r["reason"]),
            )
            for r in catalogue.to_dict("records")
        ]
        self.keywords = [r for r in rules if r.match == "keyword"]
        self.exact = {r.code: r for r in rules if r.match == "diw_type"}
        self.main = {r.code.lstrip("0"): r for r in rules if r.match == "diw_type_main"}
        self.prefixes = sorted(
            (r for r in rules if r.match == "tsic_prefix"), key=lambda r: -len(r.code)
        )
        self.default = next(r for r in rules if r.match == "default")

    def match(
        self, activity: Any, diw_type: Any, diw_type_main: Any, tsic: Any
    ) -> tuple[_Rule, str]:
        """Find the rule deciding one factory, and which kind of rule it is."""
        act = _text(activity).lower()
        dt = _text(diw_type).strip()
        dm = _text(diw_type_main).strip() or dt.split("(")[0]
        dm = dm.split(".")[0].lstrip("0")
        ts = _text(tsic).strip()
        for r in self.keywords:
            if r.code.lower() in act:
                return r, "keyword"
        if dt in self.exact:
            return self.exact[dt], "diw_type"
        if dm in self.main:
            return self.main[dm], "diw_type_main"
        for r in self.prefixes if ts else ():
            if ts.startswith(r.code):
                return r, "tsic_prefix"
        return self.default, "default"


def _scale_factors(factory_class: pd.Series, horsepower: pd.Series) -> np.ndarray:
    """Class factor × size factor of each factory (1.0 where class or horsepower is unknown)."""
    fclass = pd.to_numeric(factory_class, errors="coerce").to_numpy(dtype="float64")
    cfac = np.array([CLASS_FACTORS.get(int(c), 1.0) if np.isfinite(c) else 1.0 for c in fclass])
    hp = pd.to_numeric(horsepower, errors="coerce").to_numpy(dtype="float64")
    sfac = np.ones(len(hp))
    for threshold, factor in reversed(HP_BANDS):
        sfac = np.where(np.isfinite(hp) & (hp >= threshold), factor, sfac)
    return cfac * sfac


def _own_weights(factories: pd.DataFrame, own_col: pd.Series, *, source: str) -> np.ndarray:
    """Read the factories' own ``hazard_weight`` (NaN where none); a negative one is refused."""
    own = pd.to_numeric(own_col, errors="coerce").to_numpy(dtype="float64")
    bad = np.isfinite(own) & (own < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        label = factories.index[first]
        if "factory_id" in factories.columns:
            label = factories["factory_id"].iloc[first]
        raise DataValidationError(
            f"hazard_weight {own[bad][0]} is negative",
            source=source,
            row=str(label),
            field="hazard_weight",
            fix="give a weight ≥ 0 or leave it empty to use the catalogue",
        )
    return own


def assign_hazard(
    factories: pd.DataFrame,
    *,
    catalogue: pd.DataFrame | None = None,
    source: str = "factories",
) -> pd.DataFrame:
    """Give each factory a hazard class and weight (see the module docstring for the rule).

    Parameters
    ----------
    factories
        Frame with any of ``activity``, ``diw_type``, ``diw_type_main``, ``tsic``,
        ``factory_class``, ``horsepower`` and ``hazard_weight`` (the factory's own weight).
    catalogue
        From :func:`load_hazard_catalogue`; the package catalogue when ``None``.
    source
        Layer or file name used in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy (same index) with ``hazard_class``, ``hazard_base_weight``, ``hazard_weight``
        (the weight used, dimensionless), ``hazard_match`` (which rule decided),
        ``hazard_reason`` (English), ``hazard_reason_th`` (Thai) and ``hazardous`` (class
        high or medium).

    Raises
    ------
    DataValidationError
        If a factory's own ``hazard_weight`` is negative.
    """
    matcher = _Matcher(catalogue if catalogue is not None else load_hazard_catalogue())

    def col(name: str) -> pd.Series:
        if name in factories.columns:
            return factories[name]
        return pd.Series([None] * len(factories), index=factories.index, dtype=object)

    hits = [
        matcher.match(act, dt, dm, ts)
        for act, dt, dm, ts in zip(
            col("activity"), col("diw_type"), col("diw_type_main"), col("tsic"), strict=True
        )
    ]
    base = np.asarray([rule.weight for rule, _ in hits], dtype="float64")
    weight = base * _scale_factors(col("factory_class"), col("horsepower"))
    hclass = np.asarray([rule.hazard_class for rule, _ in hits], dtype=object)
    reasons = [rule.reason for rule, _ in hits]
    reasons_th = [rule.reason_th for rule, _ in hits]
    matches = [f"{kind}:{rule.code}" if kind != "default" else "default" for rule, kind in hits]
    own = _own_weights(factories, col("hazard_weight"), source=source)
    has_own = np.isfinite(own)
    weight = np.where(has_own, own, weight)
    for k in np.flatnonzero(has_own).tolist():
        hclass[k] = _class_from_weight(float(own[k]))
        matches[k] = "own"
        reasons[k] = "the factory's own hazard_weight"
        reasons_th[k] = "น้ำหนักความเป็นอันตรายที่กำหนดเองของโรงงาน"
    out = factories.copy()
    out["hazard_class"] = pd.Series(hclass, index=out.index, dtype="string")
    out["hazard_base_weight"] = base
    out["hazard_weight"] = weight
    out["hazard_match"] = pd.Series(matches, index=out.index, dtype="string")
    out["hazard_reason"] = pd.Series(reasons, index=out.index, dtype="string")
    out["hazard_reason_th"] = pd.Series(reasons_th, index=out.index, dtype="string")
    out["hazardous"] = out["hazard_class"].isin(HAZARDOUS_CLASSES).astype(bool)
    return out
