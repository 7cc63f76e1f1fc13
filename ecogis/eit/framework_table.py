"""An official indicator list as a table (CSV/XLSX): one row per indicator.

:func:`load_framework_table` reads DIW's list as a planner keeps it; :func:`framework_table`
writes a framework in that form (the template to fill). The levels, the level rule and
the disposal codes come from the shipped framework file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis.eit.framework import (
    DIMENSION_NAMES_EN,
    DIMENSION_NAMES_TH,
    DIMENSIONS,
    LEVELS,
    MANUAL,
    Aspect,
    Checker,
    Dimension,
    Indicator,
    IndicatorSet,
    indicator_from,
    indicator_set_from,
    shipped_framework_data,
)
from ecogis.errors import CatalogueError

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "dimension": ("dimension", "มิติ"),
    "aspect": ("aspect", "ประเด็น", "องค์ประกอบ"),
    "aspect_id": ("aspect_id", "รหัสประเด็น"),
    "id": ("indicator_id", "id", "รหัสตัวชี้วัด", "รหัส"),
    "name_th": ("name_th", "ตัวชี้วัด", "ชื่อตัวชี้วัด"),
    "name_en": ("name_en", "indicator", "name"),
    "unit": ("unit", "หน่วย"),
    "direction": ("direction", "ทิศทาง"),
    "computation": ("computation", "วิธีคำนวณ"),
    "level": ("level", "ระดับ"),
    "provisional": ("provisional", "ชั่วคราว"),
    **{f"level_{n}": (f"level_{n}", f"level {n}", f"ระดับที่ {n}", f"ระดับ {n}") for n in LEVELS},
}
"""Headers of an official indicator list (case- and space-insensitive; Thai too)."""

_DIRECTION_WORDS = {
    "higher": "higher",
    "lower": "lower",
    "มากดี": "higher",
    "สูงดี": "higher",
    "ยิ่งมากยิ่งดี": "higher",
    "น้อยดี": "lower",
    "ต่ำดี": "lower",
    "ยิ่งน้อยยิ่งดี": "lower",
}


def _dimension_of(text: str) -> str | None:
    t = text.strip().lower()
    for d in DIMENSIONS:
        if t in (
            d,
            DIMENSION_NAMES_TH[d],
            f"มิติ{DIMENSION_NAMES_TH[d]}",
            f"มิติ {DIMENSION_NAMES_TH[d]}",
        ):
            return d
    return None


def load_framework_table(path: str | Path) -> IndicatorSet:
    """Read an official indicator list from CSV/XLSX, one row per indicator.

    Columns (English or Thai headers, :data:`TABLE_COLUMNS`): ``dimension`` (one of the
    five, by id or Thai name), ``aspect``, ``indicator_id``, ``name_th``, ``name_en``
    (optional), ``unit``, ``direction`` (``higher``/``lower``), ``computation`` (optional,
    default ``manual``), and the thresholds ``level_1`` … ``level_5`` (blank: not judged at
    that level). The levels, the level rule and the disposal codes come from the shipped
    framework. The list is the planner's official one unless a ``provisional`` column says
    ``yes`` (as the template of the provisional set does).

    Parameters
    ----------
    path : str or Path
        The list, ``.csv`` or ``.xlsx``; blank rows are skipped.

    Returns
    -------
    IndicatorSet
        The framework, dimension by dimension in DIW's order, aspects and indicators in
        row order; its version is the file's stem.

    Raises
    ------
    CatalogueError
        An unreadable file, a missing column, or a row with an unknown dimension or
        direction, an empty id or name, a threshold that is not a number, a repeated id —
        naming the file, the spreadsheet row (header = row 1) and the column.
    """
    p = Path(path)
    raw = _read_list(p)
    cols = _list_columns(raw, p)
    check = Checker(str(p))
    tree: dict[str, dict[str, list[Indicator]]] = {d: {} for d in DIMENSIONS}
    provisional = False
    aspect_names: dict[tuple[str, str], str] = {}
    for pos, (rownum, rec) in enumerate(zip(raw.index, raw.to_dict("records"), strict=True), 1):

        def cell(fld: str, _rec: dict[Any, Any] = rec) -> str:
            v = _rec.get(cols.get(fld, ""))
            return "" if v is None or pd.isna(v) else str(v).strip()

        if not any(cell(f) for f in cols):
            continue
        where = f"indicator #{pos}" + (f" ({cell('id')})" if cell("id") else "")
        dim = _row_dimension(cell, where, cols, check, int(rownum))
        provisional |= cell("provisional").lower() in ("yes", "y", "true", "1", "ใช่")
        entry = _row_entry(cell, where, cols, check, int(rownum))
        aspect = cell("aspect")
        aid = cell("aspect_id") or aspect
        aspect_names[(dim, aid)] = aspect
        try:
            ind = indicator_from(
                entry,
                where=where,
                dimension=dim,
                aspect=Aspect(aid, aspect, aspect, dim, ()),
                aspect_name=aspect,
                check=check,
                row=int(rownum),
            )
        except CatalogueError as exc:
            raise _with_column(exc, cols) from None
        tree[dim].setdefault(aid, []).append(ind)
    dimensions = _dimensions(tree, aspect_names)
    if not dimensions:
        raise CatalogueError("has no indicator rows", source=str(p), fix="fill in the list")
    shipped, _ = shipped_framework_data()
    return indicator_set_from(shipped, str(p), dimensions, provisional=provisional, version=p.stem)


def _read_list(p: Path) -> pd.DataFrame:
    """Read the list's rows (an unreadable file is a catalogue problem here)."""
    from ecogis.importers.tabular import read_table

    try:
        return read_table(p)
    except Exception as exc:  # an unreadable file is a catalogue problem here
        raise CatalogueError(str(exc), source=str(p), fix="give a CSV or XLSX table") from exc


def _list_columns(raw: pd.DataFrame, p: Path) -> dict[str, str]:
    """Field → the list's own header, found case- and space-insensitively (Thai too)."""
    norm = {re.sub(r"[\s_]+", " ", str(c)).strip().lower(): str(c) for c in raw.columns}
    cols: dict[str, str] = {}
    for fld, names in TABLE_COLUMNS.items():
        for n in names:
            key = re.sub(r"[\s_]+", " ", n).strip().lower()
            if key in norm:
                cols[fld] = norm[key]
                break
    missing = [
        f for f in ("dimension", "aspect", "id", "name_th", "unit", "direction") if f not in cols
    ]
    if missing:
        raise CatalogueError(
            f"column {missing[0]} not found (columns are {', '.join(map(str, raw.columns))})",
            source=str(p),
            row=1,
            field=missing[0],
            fix="the list needs dimension, aspect, indicator_id, name_th, unit, direction and "
            "level_1 … level_5 (see docs/programme.md)",
        )
    return cols


def _row_dimension(
    cell: Callable[[str], str], where: str, cols: dict[str, str], check: Checker, row: int
) -> str:
    """Find the row's dimension id, from its id or Thai name."""
    dim = _dimension_of(cell("dimension"))
    if dim is None:
        raise check.error(
            where,
            cols["dimension"],
            f"{cell('dimension')!r} is not a dimension",
            f"use {', '.join(DIMENSIONS)} (or กายภาพ, เศรษฐกิจ, สิ่งแวดล้อม, สังคม, การบริหารจัดการ)",
            row=row,
        )
    return dim


def _row_entry(
    cell: Callable[[str], str], where: str, cols: dict[str, str], check: Checker, row: int
) -> dict[str, Any]:
    """Turn the row into an indicator entry (the mapping :func:`indicator_from` reads)."""
    direction = _DIRECTION_WORDS.get(cell("direction").lower(), cell("direction"))
    thresholds: dict[str, float] = {}
    for lv in LEVELS:
        text = cell(f"level_{lv}")
        if not text:
            continue
        try:
            thresholds[str(lv)] = float(text.replace(",", "").rstrip("%"))
        except ValueError:
            raise check.error(
                where,
                cols[f"level_{lv}"],
                f"level {lv}: {text!r} is not a number",
                "write the threshold as a number in the indicator's unit, or leave it blank",
                row=row,
            ) from None
    entry: dict[str, Any] = {
        "id": cell("id"),
        "name_th": cell("name_th"),
        "name_en": cell("name_en") or cell("name_th"),
        "unit": cell("unit"),
        "direction": direction,
        "computation": cell("computation") or MANUAL,
        "thresholds": thresholds,
    }
    if cell("level"):
        entry["level"] = (
            int(float(cell("level"))) if cell("level").replace(".", "").isdigit() else cell("level")
        )
    return entry


def _dimensions(
    tree: dict[str, dict[str, list[Indicator]]], aspect_names: dict[tuple[str, str], str]
) -> tuple[Dimension, ...]:
    """List the dimensions that have indicators, in DIW's order, with their aspects."""
    return tuple(
        Dimension(
            d,
            DIMENSION_NAMES_TH[d],
            DIMENSION_NAMES_EN[d],
            tuple(
                Aspect(aid, aspect_names[(d, aid)], aspect_names[(d, aid)], d, tuple(inds))
                for aid, inds in tree[d].items()
            ),
        )
        for d in DIMENSIONS
        if tree[d]
    )


def framework_table(indicators: IndicatorSet) -> pd.DataFrame:
    """Tabulate the framework as an official list (the format :func:`load_framework_table` reads).

    One row per indicator, dimension by dimension and aspect by aspect, with the
    thresholds in ``level_1`` … ``level_5``: a template a planner fills with DIW's list.

    Parameters
    ----------
    indicators : IndicatorSet
        The framework to write out.

    Returns
    -------
    pandas.DataFrame
        Columns ``dimension``, ``aspect_id``, ``aspect``, ``indicator_id``, ``name_th``,
        ``name_en``, ``unit``, ``direction``, ``computation``, ``level`` (only for an
        indicator without thresholds), ``level_1`` … ``level_5`` (thresholds in the
        indicator's unit, blank where not judged) and ``provisional`` (``yes``/``no``).
    """
    rows = []
    for d in indicators.dimensions:
        for a in d.aspects:
            for i in a.indicators:
                rows.append(
                    {
                        "dimension": d.id,
                        "aspect_id": a.id,
                        "aspect": a.name_th or a.name_en,
                        "indicator_id": i.id,
                        "name_th": i.name_th,
                        "name_en": i.name_en,
                        "unit": i.unit,
                        "direction": i.direction,
                        "computation": i.computation,
                        "level": "" if i.thresholds else i.level,
                        **{f"level_{lv}": i.thresholds.get(lv, "") for lv in LEVELS},
                        "provisional": "yes" if indicators.provisional else "no",
                    }
                )
    return pd.DataFrame(rows)


def _with_column(exc: CatalogueError, cols: dict[str, str]) -> CatalogueError:
    """Return the same error naming the column as the file heads it."""
    fld = getattr(exc, "field", None)
    if fld in cols:
        exc.field = cols[fld]  # type: ignore[attr-defined]
    return exc
