"""Known source layouts and the column mapping of generic files.

A file whose columns match a known layout (the OpenGISData-Thailand province and district
files, HDX COD-AB ADM1/ADM2, the Thai national landmark standard) is mapped onto the layer
contract without options. Any other file is mapped by ``--map SRC=DEST`` (a destination may
name a unit, ``--map AREA_RAI=area_ha[rai]``) and by columns already named like the
contract's fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ecogis import schema, units
from ecogis.errors import DataValidationError, UnitError
from ecogis.importers.base import (
    Problems,
    check_bounds,
    contract_number,
    parse_column,
    parse_date,
    parse_number,
)
from ecogis.importers.cells import describe_key_changes, is_blank, normalise_key, text_or_na

KEY_FIELDS = frozenset({"factory_id"})
"""Fields read as a registration number (:func:`~ecogis.importers.cells.normalise_key`)."""

LANDMARK_KINDS: dict[str, str] = {
    "04102": "temple",
    "04103": "government",
    "04104": "school",
    "04105": "hospital",
}
"""Thai national landmark standard ``lm_type`` → community kind (others → ``other``)."""

_KIND_WORDS: list[tuple[str, str]] = [
    # before the temples: an old temple may be an ancient monument (both are sensitive)
    ("โบราณสถาน", "monument"),
    ("อุทยานประวัติศาสตร์", "monument"),
    ("monument", "monument"),
    ("historic", "monument"),
    ("เขตอนุรักษ์", "conservation"),
    ("พื้นที่อนุรักษ์", "conservation"),
    ("conservation", "conservation"),
    ("โรงพยาบาล", "hospital"),
    ("รพ.", "hospital"),
    ("อนามัย", "hospital"),
    ("สถานพยาบาล", "hospital"),
    ("hospital", "hospital"),
    ("health", "hospital"),
    ("clinic", "hospital"),
    ("โรงเรียน", "school"),
    ("วิทยาลัย", "school"),
    ("มหาวิทยาลัย", "school"),
    ("school", "school"),
    ("college", "school"),
    ("university", "school"),
    ("วัด", "temple"),
    ("มัสยิด", "temple"),
    ("โบสถ์", "temple"),
    ("ศาสนสถาน", "temple"),
    ("temple", "temple"),
    ("mosque", "temple"),
    ("church", "temple"),
    ("religious", "temple"),
    ("หมู่บ้าน", "village"),
    ("ชุมชน", "village"),
    ("village", "village"),
    ("community", "village"),
    ("ที่ว่าการ", "government"),
    ("สำนักงาน", "government"),
    ("ราชการ", "government"),
    ("อบต", "government"),
    ("เทศบาล", "government"),
    ("government", "government"),
    ("office", "government"),
]

_ZONE_WORDS: list[tuple[str, str]] = [
    ("นิคม", "estate"),
    ("estate", "estate"),
    ("ieat", "estate"),
    ("สวนอุตสาหกรรม", "park"),
    ("park", "park"),
    ("เขตประกอบการ", "zone"),
    ("zone", "zone"),
    ("ชุมชนอุตสาหกรรม", "community"),
    ("community", "community"),
]


def community_kind(value: Any) -> str:
    """Normalise a receptor kind written in Thai or English (``other`` when unknown).

    Parameters
    ----------
    value : Any
        The kind cell: a contract kind (``school``, ``hospital`` …), a landmark-standard
        code, or Thai/English words (``โรงเรียน``, ``วัด``, ``เทศบาล`` …).

    Returns
    -------
    str
        A kind of the ``communities`` contract; ``other`` for a blank or an unknown word.
    """
    if is_blank(value):
        return "other"
    text = str(value).strip().lower()
    if text in schema.contract("communities").values("kind"):
        return text
    if text in LANDMARK_KINDS:
        return LANDMARK_KINDS[text]
    for word, kind in _KIND_WORDS:
        if word in text:
            return kind
    return "other"


def zone_type(value: Any) -> str:
    """Normalise a zone type (นิคมอุตสาหกรรม → estate, สวนอุตสาหกรรม → park …).

    Parameters
    ----------
    value : Any
        The zone type cell, Thai or English.

    Returns
    -------
    str
        ``estate``, ``park``, ``zone``, ``community`` (``ชุมชนอุตสาหกรรม`` wins over the
        other words) or ``other`` for a blank or an unknown word.
    """
    if is_blank(value):
        return "other"
    text = str(value).strip().lower()
    if text in {"estate", "park", "zone", "community", "other"}:
        return text
    # "ชุมชนอุตสาหกรรม" must win over the "zone"/"park" words that could follow it.
    if "ชุมชนอุตสาหกรรม" in text:
        return "community"
    for word, kind in _ZONE_WORDS:
        if word in text:
            return kind
    return "other"


# ---------------------------------------------------------------------------- layouts


def _strip_th(code: Any) -> Any:
    text = text_or_na(code)
    if text is pd.NA:
        return text
    return re.sub(r"^TH", "", str(text))


@dataclass(frozen=True)
class Layout:
    """A known source layout: its marker columns and how to map them."""

    name: str
    layer: str
    markers: frozenset[str]
    columns: dict[str, str]
    convert: Callable[[pd.DataFrame], pd.DataFrame] | None = None


def _landmarks(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["community_id"] = "LM-" + frame["lm_id"].map(text_or_na).astype("string")
    out["kind"] = frame["lm_type"].map(
        lambda v: LANDMARK_KINDS.get(str(v).strip().zfill(5), "other")
    )
    return out


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "OpenGISData-Thailand provinces",
        "provinces",
        frozenset({"pro_code", "pro_th", "pro_en"}),
        {"pro_code": "pro_code", "pro_th": "name_th", "pro_en": "name_en", "reg_nesdb": "region"},
    ),
    Layout(
        "OpenGISData-Thailand districts",
        "districts",
        frozenset({"amp_code", "amp_th", "amp_en", "pro_code"}),
        {"amp_code": "amp_code", "amp_th": "name_th", "amp_en": "name_en", "pro_code": "pro_code"},
    ),
    Layout(
        "HDX COD-AB ADM2",
        "districts",
        frozenset({"ADM2_PCODE", "ADM2_TH", "ADM1_PCODE"}),
        {
            "ADM2_PCODE": "amp_code",
            "ADM2_TH": "name_th",
            "ADM2_EN": "name_en",
            "ADM1_PCODE": "pro_code",
        },
        lambda f: f.assign(
            amp_code=f["amp_code"].map(_strip_th), pro_code=f["pro_code"].map(_strip_th)
        ),
    ),
    Layout(
        "HDX COD-AB ADM1",
        "provinces",
        frozenset({"ADM1_PCODE", "ADM1_TH", "ADM1_EN"}),
        {"ADM1_PCODE": "pro_code", "ADM1_TH": "name_th", "ADM1_EN": "name_en"},
        lambda f: f.assign(pro_code=f["pro_code"].map(_strip_th)),
    ),
    Layout(
        "Thai national landmark standard",
        "communities",
        frozenset({"lm_id", "lm_type", "lm_name_t"}),
        {"lm_name_t": "name_th", "lm_name_e": "name_en"},
        _landmarks,
    ),
)


def find_layout(columns: Any, layer: str) -> Layout | None:
    """Find the known layout for these columns and this destination layer, if any.

    Parameters
    ----------
    columns : Any
        The file's column names (compared exactly).
    layer : str
        Destination layer, e.g. ``provinces``.

    Returns
    -------
    Layout or None
        The first of :data:`LAYOUTS` for ``layer`` whose marker columns are all present;
        ``None`` when none matches.
    """
    cols = {str(c) for c in columns}
    for layout in LAYOUTS:
        if layout.layer == layer and layout.markers <= cols:
            return layout
    return None


# ---------------------------------------------------------------------------- mapping

_DEST = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[(.+)\])?$")


def parse_mapping(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["ชื่อ=name_th", "AREA=area_ha[rai]"]`` → ``{"ชื่อ": "name_th", "AREA": "area_ha[rai]"}``.

    Parameters
    ----------
    items : list[str] or tuple[str, ...]
        The ``--map SRC=DEST`` values; DEST is a field name with an optional ``[unit]``.

    Returns
    -------
    dict[str, str]
        Source column → destination (with its unit), both stripped, in the order given.

    Raises
    ------
    DataValidationError
        An item without ``=``, a destination that is not a field name, or two columns
        mapped onto one field.
    """
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise DataValidationError(
                f"--map {item!r} is not SRC=DEST",
                fix="write --map YOURCOLUMN=field, e.g. --map ชื่อ=name_th",
            )
        src, dest = item.split("=", 1)
        if not src.strip() or not _DEST.match(dest.strip()):
            raise DataValidationError(
                f"--map {item!r}: the destination must be a field name (with an optional [unit])",
                fix="e.g. --map NAME=name_th or --map AREA=area_ha[rai]",
            )
        name = dest.strip().split("[")[0]
        twice = [s for s, d in out.items() if d.split("[")[0] == name]
        if twice:
            raise DataValidationError(
                f"--map sends two columns ({twice[0]!r} and {src.strip()!r}) to {name}",
                fix=f"map only one column onto {name}",
            )
        out[src.strip()] = dest.strip()
    return out


def apply_mapping(
    raw: pd.DataFrame, mapping: dict[str, str], *, source: str | Path, layer: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename mapped columns; return the frame and the units named for destinations.

    Parameters
    ----------
    raw : pandas.DataFrame
        The rows as read.
    mapping : dict[str, str]
        Source column → destination field (with an optional ``[unit]``), as
        :func:`parse_mapping` gives it.
    source : str or Path
        File named in the error.
    layer : str
        Destination layer whose contract the destinations must belong to (``lat``/``lon``
        are accepted too).

    Returns
    -------
    tuple[pandas.DataFrame, dict[str, str]]
        The renamed frame (a file column already named like a destination is dropped) and
        destination field → unit written in brackets (e.g. ``{"area_ha": "rai"}``).

    Raises
    ------
    DataValidationError
        When a mapped source column is not in the file or a destination is not a field of
        the layer contract.
    """
    contract = schema.contract(layer) if schema.has_contract(layer) else None
    renames: dict[str, str] = {}
    dest_units: dict[str, str] = {}
    for src, dest in mapping.items():
        m = _DEST.match(dest)
        assert m is not None
        name, unit = m.group(1), m.group(2)
        if src not in raw.columns:
            raise DataValidationError(
                f"--map names column {src!r}, which the file does not have",
                source=source,
                field=src,
                fix=f"columns are: {', '.join(map(str, raw.columns[:30]))}",
            )
        known_extra = {"lat", "lon", "lng", "latitude", "longitude"}
        if contract is not None and not contract.has_field(name) and name not in known_extra:
            raise DataValidationError(
                f"--map destination {name!r} is not a field of layer {layer}",
                source=source,
                field=src,
                fix=f"fields are: {', '.join(contract.field_names)}",
            )
        renames[src] = name
        if unit:
            dest_units[name] = unit
    out = raw.drop(columns=[c for c in renames.values() if c in raw.columns and c not in renames])
    return out.rename(columns=renames), dest_units


_THB_FACTORS = {"thb": 1.0, "บาท": 1.0, "baht": 1.0, "ล้านบาท": 1e6, "mthb": 1e6, "million thb": 1e6}
_AREA_WORDS = {
    "m2": "m**2", "ตร.ม.": "m**2", "ตารางเมตร": "m**2", "km2": "km**2", "ตร.กม.": "km**2",
    "ha": "hectare", "hectare": "hectare", "เฮกตาร์": "hectare",
}  # fmt: skip
_AREA_M2 = {"rai": 1600.0, "ไร่": 1600.0, "ngan": 400.0, "งาน": 400.0, "ตร.วา": 4.0, "ตารางวา": 4.0}


def unit_factor(unit: str, target: str, *, source: str | Path, field: str) -> float:
    """Factor that converts a value in ``unit`` to the contract's ``target`` unit.

    Thai land units (ไร่ = 1,600 m², งาน = 400 m², ตารางวา = 4 m²) and baht amounts are
    defined here; everything else goes through :mod:`ecogis.units` (pint).

    Parameters
    ----------
    unit : str
        The unit the file's values are in (``rai``, ``ไร่``, ``ล้านบาท``, ``hp``, ``km2`` …).
    target : str
        The contract field's unit (``hectare``, ``THB``, ``persons``, ``kW`` …).
    source : str or Path
        File named in the error.
    field : str
        Field named in the error.

    Returns
    -------
    float
        The multiplier: value in ``target`` = value in ``unit`` × factor (e.g. rai →
        hectare 0.16, ล้านบาท → THB 1,000,000).

    Raises
    ------
    UnitError
        When the unit is unknown or of another dimension.
    """
    u = unit.strip().lower()
    t = target.strip()
    try:
        if t == "THB":
            if u in _THB_FACTORS:
                return _THB_FACTORS[u]
            raise UnitError(f"unknown money unit {unit!r}")
        if u in _AREA_M2:
            return float(units.convert(_AREA_M2[u], "m**2", _AREA_WORDS.get(t.lower(), t)))
        if t == "persons":
            if u in {"persons", "person", "people", "คน"}:
                return 1.0
            raise UnitError(f"unknown unit {unit!r} for a count of people")
        pint_target = _AREA_WORDS.get(t.lower(), t)
        return float(units.convert(1.0, _AREA_WORDS.get(u, unit), pint_target))
    except UnitError as exc:
        raise UnitError(
            f"unknown unit {unit!r} (or not convertible to {t})",
            source=source,
            field=field,
            fix=f"give a unit convertible to {t}, e.g. ไร่, ha, km2, kW, hp, บาท, ล้านบาท",
        ) from exc


def to_contract_fields(
    raw: pd.DataFrame,
    layer: str,
    problems: Problems,
    *,
    source: str | Path,
    dest_units: dict[str, str] | None = None,
    skip: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Parse every column named like a contract field into the field's type.

    Numbers and dates that do not parse become row problems (row, field, value).

    Parameters
    ----------
    raw : pandas.DataFrame
        The rows, columns already renamed to contract fields; the index holds spreadsheet
        row numbers.
    layer : str
        The contract layer.
    problems : Problems
        Where bad values are recorded (numbers out of the contract's bounds too).
    source : str or Path
        File named in a unit error.
    dest_units : dict[str, str] or None, default None
        Field → unit its values are written in (from ``--map X=field[unit]``); those
        values are converted to the field's unit.
    skip : tuple[str, ...], default ()
        Fields not to parse (the caller fills them).

    Returns
    -------
    pandas.DataFrame
        One column per contract field present in ``raw``, in contract order: keys
        normalised (:func:`normalise_key`), text trimmed (string dtype), numbers as float64
        in the field's unit (ints rounded), booleans, dates as ``YYYY-MM-DD`` text.
        ``attrs["notes"]`` holds the key normalisation lines.

    Raises
    ------
    UnitError
        A ``[unit]`` given for a field without a unit, or a unit that does not convert.
    """
    contract = schema.contract(layer)
    out = pd.DataFrame(index=raw.index)
    for f in contract.fields:
        if f.name not in raw.columns or f.name in skip:
            continue
        col = raw[f.name]
        if f.name in KEY_FIELDS:
            out[f.name] = col.map(normalise_key).astype("string")
            note = describe_key_changes(col)
            if note:
                out.attrs.setdefault("notes", []).append(note)
        elif f.type == "str":
            out[f.name] = col.map(text_or_na).astype("string")
        elif f.type in ("int", "float"):
            unit = (dest_units or {}).get(f.name)
            values = parse_column(
                raw,
                f.name,
                parse_number if unit else contract_number(layer, f.name),
                problems,
                what=f"is not a number ({f.label_en})",
                fix=f"write {f.label_en.lower()} as a number",
                missing=np.nan,
            ).astype("float64")
            if unit:
                if not f.unit:
                    raise UnitError(
                        f"field {f.name} has no unit, so [{unit}] cannot be converted",
                        source=source,
                        field=f.name,
                        fix=f"map it without a unit: --map X={f.name}",
                    )
                values = values * unit_factor(unit, f.unit, source=source, field=f.name)
                values = check_bounds(
                    values, layer, f.name, problems, column=f.name,
                    written=col.map(lambda v, u=unit: f"{v!r} [{u}]"),
                    fix=f"check the value and its unit [{unit}]",
                )  # fmt: skip
            if f.type == "int":
                values = values.round()
            out[f.name] = values
        elif f.type == "bool":
            values = schema.coerce_dtypes(pd.DataFrame({f.name: col}), contract)[f.name]
            written = col.astype("string").str.strip().fillna("") != ""
            for row in raw.index[(values.isna() & written).to_numpy()]:
                problems.add(
                    int(row),
                    f.name,
                    f"{col[row]!r} is not yes or no",
                    "write true/false, yes/no, 1/0 or ใช่/ไม่ใช่ (or leave it blank)",
                )
            out[f.name] = values
        elif f.type == "date":
            out[f.name] = parse_column(
                raw,
                f.name,
                parse_date,
                problems,
                what="is not a date",
                fix="write YYYY-MM-DD or DD/MM/YYYY (พ.ศ. years are fine)",
            ).astype("string")
    return out


def check_text_values(
    frame: pd.DataFrame, layer: str, problems: Problems, *, may_be_blank: tuple[str, ...] = ()
) -> None:
    """Row problems for text outside a field's allowed values or pattern.

    Run after the importer has normalised what it knows (types, TSIC, kinds), so that a
    bad value is reported with its spreadsheet row rather than later by key. A required
    field left blank is a problem too, except those in ``may_be_blank`` (filled later).

    Parameters
    ----------
    frame : pandas.DataFrame
        Contract-shaped rows; the index holds spreadsheet row numbers.
    layer : str
        The contract layer whose allowed values and patterns apply.
    problems : Problems
        Where the problems are recorded.
    may_be_blank : tuple[str, ...], default ()
        Required fields that may be blank here (the importer fills them later); key fields
        are left to :func:`check_keys`.
    """
    contract = schema.contract(layer)
    for f in contract.fields:
        if f.type != "str" or f.name not in frame.columns:
            continue
        if f.required and f.name not in (*contract.key, *may_be_blank):  # keys: check_keys
            for row in frame.index[frame[f.name].isna().to_numpy()]:
                problems.add(
                    int(row), f.name, f"{f.label_en} ({f.label_th}) is empty",
                    "fill it in: the layer needs it in every row",
                )  # fmt: skip
        present = frame[f.name].dropna().astype(str)
        if f.values is not None:
            allowed = sorted(str(v) for v in f.values)
            bad = present[~present.isin(allowed)]
            for row, v in zip(bad.index.to_numpy(), bad, strict=True):
                problems.add(
                    int(row), f.name, f"{v!r} is not one of {', '.join(allowed)}",
                    f"write one of: {', '.join(allowed)}",
                )  # fmt: skip
        if f.pattern is not None:
            pattern = f.pattern
            odd = present[~present.str.fullmatch(pattern)]
            for row, v in zip(odd.index.to_numpy(), odd, strict=True):
                problems.add(
                    int(row), f.name, f"{v!r} is not a valid {f.label_en.lower()}",
                    f"write it in the form {pattern}",
                )  # fmt: skip


def require_fields(
    frame: pd.DataFrame, fields: list[str], *, source: str | Path, layer: str
) -> None:
    """Raise when the file has no column for a field the layer needs.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows, columns renamed to contract fields.
    fields : list[str]
        The fields that must have a column.
    source : str or Path
        File named in the error.
    layer : str
        Layer named in the error.

    Raises
    ------
    DataValidationError
        Naming the first missing field, with the ``--map`` (and ``--sheet``) that helps.
    """
    for name in fields:
        if name not in frame.columns:
            raise DataValidationError(
                f"the file has no column for {name} (needed by layer {layer})",
                source=source,
                field=name,
                fix=f"map your column onto it: --map YOURCOLUMN={name}" + other_sheets_hint(frame),
            )


def other_sheets_hint(frame: pd.DataFrame) -> str:
    """``; or is it on another sheet? --sheet …`` for a workbook with more sheets.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows as read; ``attrs["other_sheets"]`` lists the workbook's other sheets.

    Returns
    -------
    str
        The hint naming up to 5 sheets, or ``""`` when there are none.
    """
    sheets = frame.attrs.get("other_sheets") or []
    if not sheets:
        return ""
    return f"; or is the data on another sheet? --sheet {' | '.join(map(str, sheets[:5]))}"


def check_keys(
    frame: pd.DataFrame,
    key: str,
    problems: Problems,
    *,
    what: str,
    also: pd.DataFrame | pd.Series | None = None,
) -> pd.DataFrame:
    """Missing and duplicate business keys become row problems; exact repeats are merged.

    ``also`` holds what else makes two rows the same (the features' geometry, a table's
    coordinate columns) when ``frame`` does not carry it yet: rows with one key but
    different shapes are a duplicate key, not a repeat (districts given as provinces).

    Parameters
    ----------
    frame : pandas.DataFrame
        Contract-shaped rows; the index holds spreadsheet or feature numbers.
    key : str
        The key field, e.g. ``pro_code``.
    problems : Problems
        Where missing and duplicate keys are recorded.
    what : str
        The key in words for the message (``province code``, ``zone ID`` …).
    also : pandas.DataFrame or pandas.Series or None, default None
        Geometry (a GeoSeries) or columns compared with the values to tell a repeat from a
        duplicate; on the index of ``frame``.

    Returns
    -------
    pandas.DataFrame
        ``frame`` without exact repeats of an earlier row; ``attrs["merged_duplicates"]``
        says how many were dropped.
    """
    ids = frame[key]
    for row in frame.index[ids.isna().to_numpy()]:
        problems.add(int(row), key, f"the {what} is missing", f"give every row a {what}")
    present = frame[ids.notna().to_numpy()]
    attrs = present.drop(columns=[c for c in ("geometry",) if c in present.columns])
    values = attrs.astype("string").fillna("\x00")
    shapes = present.geometry if "geometry" in present.columns else None
    if also is not None:
        extra = also.loc[present.index]
        if isinstance(extra, gpd.GeoSeries):
            shapes = extra
        else:
            extra_df = extra.to_frame() if isinstance(extra, pd.Series) else extra
            for i, col in enumerate(extra_df.columns):
                values[f"_also_{i}"] = extra_df[col].astype("string").fillna("\x00").to_numpy()
    if shapes is not None:
        values["_wkb"] = [g.wkb_hex if g is not None else "" for g in shapes]
    exact = values.duplicated(keep="first")
    rest = present[~exact.to_numpy()]
    seen: dict[str, int] = {}
    for row, k in zip(rest.index, rest[key], strict=True):
        if k in seen:
            problems.add(
                int(row),
                key,
                f"duplicate {what} {k!r} (also in row {seen[k]})",
                "keep one row per key: delete or correct one of them",
            )
        else:
            seen[k] = int(row)
    out = frame.drop(index=present.index[exact.to_numpy()])
    out.attrs["merged_duplicates"] = int(exact.sum())
    return out
