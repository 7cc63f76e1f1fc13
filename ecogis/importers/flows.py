"""The factory mass-balance form → the ``material_flows`` table.

One row per flow: factory, direction, kind, material, waste code, hazard mark, quantity, unit,
year, disposal code, price. Units go through :mod:`ecogis.units` (Thai spellings included) to
t/yr, m³/yr or MWh/yr; a volume of a material whose bulk density the catalogue states (or the
form gives in a ``density`` column) becomes a mass. The fields, their order and the allowed
words come from ``layers/material_flows.toml``; the mass balance itself is
:func:`ecogis.flows.mass_balance`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.catalogue.materials import material_densities
from ecogis.errors import DataValidationError, EcogisError, UnitError
from ecogis.importers.cells import normalise_key
from ecogis.importers.numbers import contract_number
from ecogis.importers.tabular import TableRecord, key_notes, normalise_headers, table_records
from ecogis.importers.waste_codes import normalise_waste_code
from ecogis.units import to_canonical, volume_to_mass

LAYER = "material_flows"

COLUMNS: dict[str, tuple[str, ...]] = {
    "factory_id": (
        "factory_id", "factory", "registration_no", "dispfacreg", "เลขทะเบียนโรงงาน", "เลขทะเบียน",
    ),
    "flow_id": ("flow_id", "flow", "no", "รหัสรายการ", "ลำดับ"),
    "direction": ("direction", "in_out", "ทิศทาง", "เข้า/ออก"),
    "flow_kind": ("flow_kind", "kind", "ชนิดรายการ", "ชนิด", "ประเภทรายการ"),
    "material": ("material", "วัสดุ", "ชื่อวัสดุ", "รายการ"),
    "waste_code": ("waste_code", "code", "รหัสของเสีย", "รหัสกากอุตสาหกรรม"),
    "hazardous": ("hazardous", "hazard", "hazard_mark", "ความเป็นอันตราย"),
    "quantity": ("quantity", "qty", "amount", "ปริมาณ"),
    "unit": ("unit", "units", "หน่วย"),
    "year": ("year", "ปี", "ปี พ.ศ.", "ปีข้อมูล"),
    "disposal_code": ("disposal_code", "management_code", "รหัสวิธีการจัดการ", "วิธีการจัดการ"),
    "price_thb_per_unit": ("price_thb_per_unit", "price", "ราคา", "ราคาต่อหน่วย"),
    "density_t_per_m3": ("density_t_per_m3", "density", "ความหนาแน่น"),
}  # fmt: skip
"""Headers the form may use for each field (English or Thai; see
:func:`~ecogis.importers.tabular.normalise_headers`)."""

DIRECTION_WORDS = {
    "in": "in", "input": "in", "i": "in", "เข้า": "in", "นำเข้า": "in", "ใช้": "in",
    "out": "out", "output": "out", "o": "out", "ออก": "out", "ปล่อยออก": "out",
}  # fmt: skip
"""Words for ``direction`` (lower case) → the contract value."""

KIND_WORDS = {
    "raw_material": "raw_material", "raw material": "raw_material", "วัตถุดิบ": "raw_material",
    "energy": "energy", "fuel": "energy", "พลังงาน": "energy", "เชื้อเพลิง": "energy",
    "water": "water", "น้ำ": "water", "น้ำใช้": "water",
    "product": "product", "ผลิตภัณฑ์": "product",
    "by_product": "by_product", "by-product": "by_product", "byproduct": "by_product",
    "ผลพลอยได้": "by_product",
    "waste": "waste", "ของเสีย": "waste", "กากอุตสาหกรรม": "waste", "สิ่งปฏิกูล": "waste",
    "wastewater": "wastewater", "waste water": "wastewater", "น้ำเสีย": "wastewater",
    "น้ำทิ้ง": "wastewater",
    "emission": "emission", "emissions": "emission", "มลพิษอากาศ": "emission",
    "ไอเสีย": "emission",
}  # fmt: skip
"""Words for ``flow_kind`` (lower case) → the contract value."""

HAZARD_WORDS = {
    "ha": "HA", "hm": "HM", "none": "none", "no": "none", "n": "none",
    "ไม่อันตราย": "none", "ไม่เป็นอันตราย": "none", "อันตราย": "HA", "yes": "HA", "y": "HA",
}  # fmt: skip
"""Words for ``hazardous`` (lower case) → the contract value. A blank mark is inferred: HA for
a ``*`` waste code, ``none`` for another code or a waste, else empty."""

NO_DENSITY = frozenset({"water", "wastewater", "treated_wastewater"})
"""Materials measured by volume that are never weighed by a bulk density (1 t/m³)."""

_MIN_YEAR_BE = 2400  # a year above this is Buddhist Era


def flow_fields() -> list[str]:
    """Return the fields of ``material_flows``, in contract order.

    Returns
    -------
    list[str]
        Field names as ``layers/material_flows.toml`` lists them.
    """
    return schema.contract(LAYER).field_names


def form_required() -> list[str]:
    """Columns a form must have: the contract's required fields but ``flow_id`` (made up).

    Returns
    -------
    list[str]
        The required field names of ``material_flows`` without ``flow_id``, in contract
        order.
    """
    return [f for f in schema.contract(LAYER).required_fields if f != "flow_id"]


def _choice(rec: TableRecord, fld: str, words: dict[str, str], what: str, fix: str) -> str:
    """Return the contract word for a field's text; ``what`` has one ``{!r}`` for the text."""
    got = words.get(rec.word(fld))
    if got is None:
        raise rec.error(fld, what.format(rec.text(fld)), fix)
    return got


def _number(rec: TableRecord, fld: str, what: str, fix: str) -> float | None:
    """Parse an optional number (thousands separators allowed); ``None`` when blank."""
    text = rec.text(fld)
    if not text:
        return None
    try:
        value = float(text.replace(",", "").replace(" ", ""))
    except ValueError:
        raise rec.error(fld, what.format(text), fix) from None
    if not math.isfinite(value):
        raise rec.error(fld, f"{text!r} is not a finite number", fix)
    return value


def _quantity(rec: TableRecord) -> float:
    if not rec.text("quantity"):
        raise rec.error("quantity", "the quantity is missing", "give the amount per period")
    value = _number(rec, "quantity", "{!r} is not a number", "write digits only, e.g. 1250.5")
    assert value is not None
    if value < 0:
        raise rec.error(
            "quantity",
            f"the quantity {rec.text('quantity')} is negative",
            "give a positive amount; put the flow's direction in the direction column",
        )
    return value


def _year(rec: TableRecord) -> int | None:
    number = _number(rec, "year", "year {!r} is not a year", "write e.g. 2024 or 2567")
    if number is None:
        return None
    year = int(number)
    if year > _MIN_YEAR_BE:
        year -= 543
    spec = schema.contract(LAYER).field("year")
    if not (spec.min or 0) <= year <= (spec.max or 9999):
        raise rec.error(
            "year",
            f"year {rec.text('year')} is out of range",
            "write the data year (Christian or Buddhist Era)",
        )
    return year


def _in_canonical_units(rec: TableRecord, material: str, kind: str) -> tuple[float, str]:
    quantity = _quantity(rec)
    try:
        value, unit = to_canonical(quantity, rec.text("unit"))
    except UnitError as exc:
        raise rec.error("unit", exc.what, exc.fix or "", UnitError) from None
    if unit == "m3/yr" and material not in NO_DENSITY and kind not in ("water", "wastewater"):
        given = _number(
            rec, "density_t_per_m3", "density {!r} is not a number",
            "give the bulk density in t/m³",
        )  # fmt: skip
        density = material_densities().get(material, math.nan) if given is None else given
        if math.isfinite(density) and density > 0:
            value, unit = volume_to_mass(value, density), "t/yr"
    try:
        contract_number(LAYER, "quantity", parse=float)(float(value))
    except ValueError:
        spec = schema.contract(LAYER).field("quantity")
        raise rec.error(
            "quantity",
            f"{rec.text('quantity')} {rec.text('unit')} is {float(value):,.4g} {unit}, more than "
            f"any real flow (at most {spec.max:,g} in its unit)",
            "check the quantity and its unit",
        ) from None
    return float(value), unit


def _parse_row(rec: TableRecord, known: set[str] | None) -> dict[str, Any]:
    fid = normalise_key(rec.raw("factory_id"))
    if fid is pd.NA:
        raise rec.error(
            "factory_id",
            "the factory registration number is empty",
            "write the factory's DIW registration number",
        )
    if known is not None and fid not in known:
        raise rec.error(
            "factory_id",
            f"factory {fid!r} is not in the workspace's factories layer",
            "import the factory first, or correct the registration number",
        )
    direction = _choice(
        rec, "direction", DIRECTION_WORDS, "direction {!r} is neither in nor out",
        "write in (เข้า) or out (ออก)",
    )  # fmt: skip
    kind = _choice(
        rec, "flow_kind", KIND_WORDS, "flow kind {!r} is not known",
        "use raw_material, energy, water, product, by_product, waste, wastewater or "
        "emission (or the Thai word)",
    )  # fmt: skip
    material = rec.text("material")
    if not material:
        raise rec.error("material", "the material is empty", "name the material, e.g. fly_ash")
    code, starred = None, False
    if rec.text("waste_code"):
        code, starred = normalise_waste_code(
            rec.text("waste_code"), source=rec.source, row=rec.row, field=rec.column("waste_code")
        )
    mark: str | None = HAZARD_WORDS.get(rec.word("hazardous"))
    if mark is None and not rec.text("hazardous"):  # blank: inferred from the code
        mark = "HA" if starred else ("none" if code or kind == "waste" else None)
    elif mark is None:
        mark = _choice(
            rec, "hazardous", HAZARD_WORDS, "hazard mark {!r} is not HA, HM or none",
            "write HA (always hazardous), HM (mirror entry) or none",
        )  # fmt: skip
    value, unit = _in_canonical_units(rec, material, kind)
    price = _number(
        rec, "price_thb_per_unit", "price {!r} is not a number", "write THB per unit as digits"
    )
    return {
        "factory_id": fid, "flow_id": rec.text("flow_id") or None, "direction": direction,
        "flow_kind": kind, "material": material, "waste_code": code, "hazardous": mark,
        "quantity": value, "unit": unit, "year": _year(rec),
        "disposal_code": rec.text("disposal_code") or None, "price_thb_per_unit": price,
    }  # fmt: skip


def parse_flow_form(
    raw: pd.DataFrame, *, source: str, known_factory_ids: set[str] | None = None
) -> pd.DataFrame:
    """Read a filled-in mass-balance form into the ``material_flows`` contract.

    Parameters
    ----------
    raw
        The form with every cell as text (:func:`ecogis.importers.read_table`); its index is
        the spreadsheet row number (header = row 1).
    source
        The file name, for error messages.
    known_factory_ids
        Registration numbers of the workspace's factories; a flow naming another factory is
        an error. ``None`` skips the check.

    Returns
    -------
    pandas.DataFrame
        Contract columns; quantities in t/yr, m³/yr or MWh/yr; ``flow_id`` made up as
        ``F001``, ``F002`` … per factory where the form leaves it blank. The index keeps the
        spreadsheet rows.

    Raises
    ------
    InputFileError
        A needed column is missing.
    DataValidationError, UnitError
        At the first bad row (file, row, field, what, fix); the message counts the other bad
        rows, so one pass of corrections is enough. Nothing is returned half-parsed.
    """
    if raw.empty:
        raise DataValidationError(
            "the form has no rows", source=source, fix="fill in at least one flow"
        )
    cols = normalise_headers(raw, COLUMNS, source=source, required=form_required())
    rows: list[dict[str, Any]] = []
    labels: list[int] = []
    errors: list[EcogisError] = []
    for rec in table_records(raw, cols, source=source):
        try:
            rows.append(_parse_row(rec, known_factory_ids))
            labels.append(rec.row)
        except EcogisError as exc:
            errors.append(exc)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        raise type(first)(
            first.what + more, fix=first.fix, source=first.source, row=first.row, field=first.field
        )
    if not rows:
        raise DataValidationError(
            "the form has no rows", source=source, fix="fill in at least one flow"
        )
    out = pd.DataFrame(rows, columns=flow_fields(), index=pd.Index(labels))
    counters: dict[str, int] = {}
    ids = []
    for fid, flow_id in zip(out["factory_id"], out["flow_id"], strict=True):
        counters[fid] = counters.get(fid, 0) + 1
        ids.append(flow_id if isinstance(flow_id, str) and flow_id else f"F{counters[fid]:03d}")
    out["flow_id"] = ids
    dup = out.duplicated(["factory_id", "flow_id"], keep="first").to_numpy()
    if dup.any():
        label = out.index[np.flatnonzero(dup)[0]]
        raise DataValidationError(
            f"flow {out.at[label, 'flow_id']!r} of factory {out.at[label, 'factory_id']!r} "
            "appears twice",
            source=source,
            row=int(label),
            field=cols.get("flow_id", "flow_id"),
            fix="give every flow of a factory its own flow_id, or leave the column blank",
        )
    out["year"] = out["year"].astype("Int64")
    out.attrs["notes"] = key_notes(raw, cols)
    return out
