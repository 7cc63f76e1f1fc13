"""Material flows: the factory mass-balance form, and mass balances with closure checks.

Two jobs:

* :func:`parse_flow_form` reads the form factories fill in (one row per flow: factory,
  direction, kind, material, waste code, hazard mark, quantity, unit, year, disposal code,
  price) into the ``material_flows`` contract. Units go through :mod:`ecogis.units` (Thai
  spellings included) to t/yr, m³/yr or MWh/yr; a volume of a material whose bulk density
  the catalogue states (or the form gives in a ``density`` column) becomes a mass.
* :func:`mass_balance` sets each factory's inputs against its outputs, flags balances that
  do not close within a stated tolerance and says why they may not (water vapour, moisture
  driven off wet raw materials, combustion gases, missing rows), and computes intensities;
  :func:`mass_balance_areas` totals them per industrial zone and province.

Water counts in the mass balance at 1 t/m³ (it is most of the mass through many plants);
energy carriers given in mass (coal, husk, steam) count as mass inputs too, and also enter
the energy total through their heating value from the materials catalogue.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from ecogis.errors import DataValidationError, EcogisError, UnitError
from ecogis.symbiosis.catalogue import load_catalogue, normalise_waste_code
from ecogis.units import to_canonical, volume_to_mass

DEFAULT_TOLERANCE = 0.10
"""Largest |inputs − outputs| / max(inputs, outputs) for a mass balance to count as closed."""

_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
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

_DIRECTIONS = {
    "in": "in", "input": "in", "i": "in", "เข้า": "in", "นำเข้า": "in", "ใช้": "in",
    "out": "out", "output": "out", "o": "out", "ออก": "out", "ปล่อยออก": "out",
}  # fmt: skip

_KINDS = {
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

_HAZARD = {
    "ha": "HA", "hm": "HM", "none": "none", "no": "none", "n": "none", "-": "none",
    "ไม่อันตราย": "none", "ไม่เป็นอันตราย": "none", "อันตราย": "HA", "yes": "HA", "y": "HA",
}  # fmt: skip

_NO_DENSITY = frozenset({"water", "wastewater", "treated_wastewater"})
FLOW_COLUMNS = [
    "factory_id", "flow_id", "direction", "flow_kind", "material", "waste_code", "hazardous",
    "quantity", "unit", "year", "disposal_code", "price_thb_per_unit",
]  # fmt: skip


def _blank(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _find_columns(raw: pd.DataFrame, source: str) -> dict[str, str]:
    by_norm = {str(c).strip().lower().lstrip("\ufeff"): c for c in raw.columns}
    found: dict[str, str] = {}
    for name, aliases in _COLUMN_ALIASES.items():
        for alias in aliases:
            if alias.lower() in by_norm:
                found[name] = by_norm[alias.lower()]
                break
    missing = [
        n for n in ("factory_id", "direction", "flow_kind", "material", "quantity", "unit")
        if n not in found
    ]  # fmt: skip
    if missing:
        raise DataValidationError(
            f"the form lacks the column(s) {', '.join(missing)}",
            source=source,
            row=1,
            fix="use the mass-balance form's headers (factory_id, direction, flow_kind, "
            "material, waste_code, hazardous, quantity, unit, year, disposal_code)",
        )
    return found


def _row_number(label: Any, position: int) -> int:
    """Spreadsheet row of a record (header = row 1) from the reader's index, else position."""
    if isinstance(label, int | np.integer) and label >= 2:
        return int(label)
    return position + 2


def _parse_quantity(text: Any, where: dict[str, Any]) -> float:
    if _blank(text):
        raise DataValidationError(
            "the quantity is missing", field="quantity", fix="give the amount per period", **where
        )
    cleaned = re.sub(r"[,\s]", "", str(text))
    try:
        value = float(cleaned)
    except ValueError:
        raise DataValidationError(
            f"{text!r} is not a number",
            field="quantity",
            fix="write digits only, e.g. 1250.5",
            **where,
        ) from None
    if not math.isfinite(value) or value < 0:
        raise DataValidationError(
            f"the quantity {text} is negative or not finite",
            field="quantity",
            fix="give a positive amount; put the flow's direction in the direction column",
            **where,
        )
    return value


def _text(rec: dict[Any, Any], field: str, message: str, *, fix: str, where: dict[str, Any]) -> str:
    """A required text field, stripped; ``message`` is the error when it is blank."""
    raw = rec.get(field)
    text = "" if _blank(raw) else str(raw).strip()
    if not text:
        raise DataValidationError(message, field=field, fix=fix, **where)
    return text


def _choice(
    rec: dict[Any, Any],
    field: str,
    table: dict[str, str],
    message: str,
    *,
    fix: str,
    where: dict[str, Any],
) -> str:
    """The canonical word for a field's text (``table`` keys are lower case), else an error.

    ``message`` has one ``{!r}`` for the text as written.
    """
    raw = rec.get(field, "")
    got = table.get(str(raw).strip().lower())
    if got is None:
        raise DataValidationError(message.format(raw), field=field, fix=fix, **where)
    return got


def _number(
    rec: dict[Any, Any], field: str, message: str, *, fix: str, where: dict[str, Any]
) -> float | None:
    """An optional number (thousands separators allowed); ``None`` when blank, else an error.

    ``message`` has one ``{!r}`` for the text as written.
    """
    raw = rec.get(field)
    if _blank(raw):
        return None
    try:
        return float(re.sub(r"[,\s]", "", str(raw)))
    except ValueError:
        raise DataValidationError(message.format(raw), field=field, fix=fix, **where) from None


def _parse_row(
    rec: dict[Any, Any], where: dict[str, Any], known: set[str] | None
) -> dict[str, Any]:
    cat = load_catalogue()
    fid = _text(
        rec, "factory_id", "the factory registration number is empty",
        fix="write the factory's DIW registration number", where=where,
    )  # fmt: skip
    if known is not None and fid not in known:
        raise DataValidationError(
            f"factory {fid!r} is not in the workspace's factories layer",
            field="factory_id",
            fix="import the factory first, or correct the registration number",
            **where,
        )
    direction = _choice(
        rec, "direction", _DIRECTIONS, "direction {!r} is neither in nor out",
        fix="write in (เข้า) or out (ออก)", where=where,
    )  # fmt: skip
    kind = _choice(
        rec, "flow_kind", _KINDS, "flow kind {!r} is not known",
        fix="use raw_material, energy, water, product, by_product, waste, wastewater or "
        "emission (or the Thai word)",
        where=where,
    )  # fmt: skip
    material = _text(
        rec, "material", "the material is empty", fix="name the material, e.g. fly_ash", where=where
    )
    code, starred = (None, False)
    if not _blank(rec.get("waste_code")):
        code, starred = normalise_waste_code(rec["waste_code"], field="waste_code", **where)
    mark: str | None
    if _blank(rec.get("hazardous")):
        mark = "HA" if starred else ("none" if code or kind == "waste" else None)
    else:
        mark = _choice(
            rec, "hazardous", _HAZARD, "hazard mark {!r} is not HA, HM or none",
            fix="write HA (always hazardous), HM (mirror entry) or none", where=where,
        )  # fmt: skip
    quantity = _parse_quantity(rec.get("quantity"), where)
    unit_text = "" if _blank(rec.get("unit")) else str(rec["unit"])
    try:
        value, unit = to_canonical(quantity, unit_text)
    except UnitError as exc:
        raise UnitError(exc.what, fix=exc.fix, field="unit", **where) from None
    if unit == "m3/yr" and material not in _NO_DENSITY and kind not in ("water", "wastewater"):
        given = _number(
            rec, "density_t_per_m3", "density {!r} is not a number",
            fix="give the bulk density in t/m³", where=where,
        )  # fmt: skip
        density = float("nan") if given is None else given
        if given is None and material in cat.materials.index:
            density = cat.material_value(material, "density_t_per_m3")
        if math.isfinite(density) and density > 0:
            value, unit = volume_to_mass(value, density), "t/yr"
    year_number = _number(
        rec, "year", "year {!r} is not a year", fix="write e.g. 2024 or 2567", where=where
    )
    year = None if year_number is None else int(year_number)
    if year is not None:
        if year > 2400:  # Buddhist Era
            year -= 543
        if not 1990 <= year <= 2100:
            raise DataValidationError(
                f"year {rec['year']} is out of range",
                field="year",
                fix="write the data year (Christian or Buddhist Era)",
                **where,
            )
    price = _number(
        rec, "price_thb_per_unit", "price {!r} is not a number",
        fix="write THB per unit as digits", where=where,
    )  # fmt: skip
    flow_id = None if _blank(rec.get("flow_id")) else str(rec["flow_id"]).strip()
    disposal = None if _blank(rec.get("disposal_code")) else str(rec["disposal_code"]).strip()
    return {
        "factory_id": fid, "flow_id": flow_id, "direction": direction, "flow_kind": kind,
        "material": material, "waste_code": code, "hazardous": mark, "quantity": float(value),
        "unit": unit, "year": year, "disposal_code": disposal, "price_thb_per_unit": price,
    }  # fmt: skip


def parse_flow_form(
    raw: pd.DataFrame, *, source: str, known_factory_ids: set[str] | None = None
) -> pd.DataFrame:
    """Read a filled-in mass-balance form into the ``material_flows`` contract.

    Parameters
    ----------
    raw
        The form with every cell as text (``ecogis.importers.read_table``); its index is the
        spreadsheet row number (header = row 1).
    source
        The file name, for error messages.
    known_factory_ids
        Registration numbers of the workspace's factories; a flow naming another factory is
        an error. ``None`` skips the check.

    Returns
    -------
    pandas.DataFrame
        Contract columns; quantities in t/yr, m³/yr or MWh/yr; ``flow_id`` made up as
        ``F001``, ``F002`` … per factory where the form leaves it blank.

    Raises
    ------
    DataValidationError, UnitError
        At the first bad row (file, row, field, what, fix); the message counts the other bad
        rows, so one pass of corrections is enough. Nothing is returned half-parsed.
    """
    if raw.empty:
        raise DataValidationError(
            "the form has no rows", source=source, fix="fill in at least one flow"
        )
    cols = _find_columns(raw, source)
    renamed = raw[list(cols.values())].rename(columns={v: k for k, v in cols.items()})
    rows: list[dict[str, Any]] = []
    errors: list[EcogisError] = []
    for position, (label, rec) in enumerate(
        zip(raw.index, renamed.to_dict("records"), strict=True)
    ):
        where = {"source": source, "row": _row_number(label, position)}
        try:
            rows.append(_parse_row(rec, where, known_factory_ids))
        except EcogisError as exc:
            errors.append(exc)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        raise type(first)(
            first.what + more, fix=first.fix, source=first.source, row=first.row, field=first.field
        )
    out = pd.DataFrame(rows, columns=FLOW_COLUMNS, index=raw.index)
    counters: dict[str, int] = {}
    ids = []
    for fid, flow_id in zip(out["factory_id"], out["flow_id"], strict=True):
        counters[fid] = counters.get(fid, 0) + 1
        ids.append(flow_id if isinstance(flow_id, str) and flow_id else f"F{counters[fid]:03d}")
    out["flow_id"] = ids
    dup = out.duplicated(["factory_id", "flow_id"], keep="first")
    if dup.any():
        label = out.index[np.flatnonzero(dup.to_numpy())[0]]
        raise DataValidationError(
            f"flow {out.at[label, 'flow_id']!r} of factory {out.at[label, 'factory_id']!r} "
            "appears twice",
            source=source,
            row=_row_number(label, int(np.flatnonzero(dup.to_numpy())[0])),
            field="flow_id",
            fix="give every flow of a factory its own flow_id, or leave the column blank",
        )
    out["year"] = out["year"].astype("Int64")
    return out


def _energy_mwh(material: str, quantity: float, unit: str) -> float:
    """Energy content of an energy flow in MWh/yr (NaN when the material's value is unknown)."""
    if unit == "MWh/yr":
        return quantity
    cat = load_catalogue()
    lhv = cat.material_value(material, "lhv_mwh_per_t")
    if unit == "t/yr":
        return quantity * lhv
    density = cat.material_value(material, "density_t_per_m3")
    return quantity * density * lhv


def mass_balance(
    flows: pd.DataFrame,
    factories: pd.DataFrame,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> pd.DataFrame:
    """Inputs against outputs per factory, with a closure check and intensities.

    Parameters
    ----------
    flows
        The ``material_flows`` table (canonical units).
    factories
        The ``factories`` layer (``factory_id``, ``workers``, ``zone_id``, ``pro_code`` are
        used when present). Factories without flows are left out.
    tolerance
        Largest relative gap |in − out| / max(in, out) for the balance to count as closed
        (default 0.10).

    Returns
    -------
    pandas.DataFrame
        One row per factory with flows: mass in and out (t/yr; water at 1 t/m³), the gap,
        ``closure`` (out/in), ``status`` (``closed`` / ``outputs_short`` / ``outputs_exceed``
        / ``no_inputs`` / ``no_outputs``), ``explanation`` in words, water, energy, product
        and waste totals, and the intensities water per tonne of product (m³/t), energy per
        worker (MWh/yr per person), energy per tonne of product (MWh/t) and waste per tonne
        of product (t/t).
    """
    cat = load_catalogue()
    f = flows.copy()
    f["quantity"] = f["quantity"].astype(float)
    mass = np.select([f["unit"] == "t/yr", f["unit"] == "m3/yr"], [1.0, 1.0], np.nan)
    # A volume that is not water/wastewater stayed a volume because its density is unknown:
    # it cannot be weighed, so it is left out of the mass totals (and said so).
    unweighable = (
        (f["unit"] == "m3/yr")
        & ~f["flow_kind"].isin(["water", "wastewater"])
        & ~f["material"].isin(_NO_DENSITY)
    )
    mass = np.where(unweighable, np.nan, mass)
    f["t"] = f["quantity"] * mass
    f["mwh"] = [
        _energy_mwh(m, q, u) if k == "energy" else np.nan
        for m, q, u, k in zip(f["material"], f["quantity"], f["unit"], f["flow_kind"], strict=True)
    ]
    wet = {m for m in cat.materials.index if cat.materials.at[m, "material_class"] == "agro_wet"}
    rows = []
    fac = factories.drop_duplicates("factory_id").set_index("factory_id")
    for fid, g in f.groupby("factory_id", sort=True):
        inp, out = g[g["direction"] == "in"], g[g["direction"] == "out"]
        t_in, t_out = float(np.nansum(inp["t"])), float(np.nansum(out["t"]))
        water_in = float(inp.loc[inp["flow_kind"] == "water", "quantity"].sum())
        ww_out = float(out.loc[out["flow_kind"] == "wastewater", "quantity"].sum())
        fuel_t = float(np.nansum(inp.loc[(inp["flow_kind"] == "energy"), "t"]))
        emission_t = float(np.nansum(out.loc[out["flow_kind"] == "emission", "t"]))
        product_t = float(np.nansum(out.loc[out["flow_kind"] == "product", "t"]))
        waste = out[out["flow_kind"] == "waste"]
        waste_t = float(np.nansum(waste["t"]))
        haz_t = float(np.nansum(waste.loc[waste["hazardous"].isin(["HA", "HM"]), "t"]))
        energy = float(np.nansum(inp["mwh"]))
        unknown_energy = inp[(inp["flow_kind"] == "energy") & inp["mwh"].isna()]["material"]
        wet_in = float(np.nansum(inp.loc[inp["material"].isin(wet), "t"]))
        raw_workers: Any = fac.at[fid, "workers"] if fid in fac.index and "workers" in fac else None
        workers = (
            float(raw_workers) if raw_workers is not None and pd.notna(raw_workers) else np.nan
        )
        gap = t_in - t_out
        big = max(t_in, t_out)
        if t_in <= 0:
            status = "no_inputs"
        elif t_out <= 0:
            status = "no_outputs"
        elif abs(gap) / big <= tolerance:
            status = "closed"
        else:
            status = "outputs_short" if gap > 0 else "outputs_exceed"
        reasons: list[str] = []
        if status == "outputs_short":
            if fuel_t > 0 and emission_t < 0.5 * fuel_t:
                reasons.append(
                    f"combustion gases: {fuel_t:,.0f} t/yr of fuel burn to CO₂ and water vapour "
                    "that the form does not list"
                )
            if water_in > ww_out:
                reasons.append(
                    f"water vapour: {water_in - ww_out:,.0f} m³/yr of water in does not leave as "
                    "wastewater (evaporation, cooling towers, water in products)"
                )
            if wet_in > 0:
                reasons.append(
                    f"product moisture: wet raw materials ({wet_in:,.0f} t/yr) lose water when "
                    "dried or processed"
                )
            if not reasons:
                reasons.append("an output is missing from the form (losses, stock build-up)")
        elif status == "outputs_exceed":
            reasons.append(
                "outputs exceed inputs: an input is missing from the form (water, air for "
                "combustion, a raw material) or a unit is wrong"
            )
        elif status == "no_inputs":
            reasons.append("the form lists no inputs by mass")
        elif status == "no_outputs":
            reasons.append("the form lists no outputs by mass")
        else:
            reasons.append(f"inputs and outputs agree within {tolerance:.0%}")
        if g["t"].isna().any() and (g["unit"] != "MWh/yr").any():
            lost = g.loc[g["t"].isna() & (g["unit"] == "m3/yr"), "material"].unique()
            if len(lost):
                reasons.append(f"left out (volume, density unknown): {', '.join(map(str, lost))}")
        if len(unknown_energy):
            reasons.append(
                f"energy content unknown for: {', '.join(sorted(set(map(str, unknown_energy))))}"
            )
        rows.append(
            {
                "factory_id": fid,
                "zone_id": fac.at[fid, "zone_id"]
                if fid in fac.index and "zone_id" in fac
                else None,
                "pro_code": fac.at[fid, "pro_code"]
                if fid in fac.index and "pro_code" in fac
                else None,
                "workers": workers,
                "inputs_t_yr": t_in,
                "outputs_t_yr": t_out,
                "gap_t_yr": gap,
                "closure": t_out / t_in if t_in > 0 else np.nan,
                "tolerance": tolerance,
                "status": status,
                "explanation": "; ".join(reasons),
                "water_m3_yr": water_in,
                "wastewater_m3_yr": ww_out,
                "energy_mwh_yr": energy,
                "product_t_yr": product_t,
                "waste_t_yr": waste_t,
                "hazardous_waste_t_yr": haz_t,
                "water_m3_per_t_product": water_in / product_t if product_t > 0 else np.nan,
                "energy_mwh_per_worker": energy / workers if workers and workers > 0 else np.nan,
                "energy_mwh_per_t_product": energy / product_t if product_t > 0 else np.nan,
                "waste_t_per_t_product": waste_t / product_t if product_t > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def mass_balance_areas(balance: pd.DataFrame) -> pd.DataFrame:
    """Totals of :func:`mass_balance` per industrial zone, per province and overall.

    Returns
    -------
    pandas.DataFrame
        ``area_type`` (``zone`` / ``province`` / ``all``), ``area_id``, factory counts (and
        how many balances close), summed flows (t/yr, m³/yr, MWh/yr, workers) and the area's
        intensities computed from its sums (not a mean of ratios).
    """
    sums = [
        "inputs_t_yr", "outputs_t_yr", "water_m3_yr", "wastewater_m3_yr", "energy_mwh_yr",
        "product_t_yr", "waste_t_yr", "hazardous_waste_t_yr", "workers",
    ]  # fmt: skip
    rows = []
    for area_type, col in (("zone", "zone_id"), ("province", "pro_code"), ("all", None)):
        if col is None:
            groups: list[tuple[str, pd.DataFrame]] = [("all", balance)]
        else:
            present = balance[balance[col].notna()]
            groups = [(str(k), g) for k, g in present.groupby(col, sort=True)]
        for key, g in groups:
            tot = {c: float(np.nansum(g[c])) for c in sums}
            product = tot["product_t_yr"]
            rows.append(
                {
                    "area_type": area_type,
                    "area_id": key,
                    "factories": len(g),
                    "factories_closed": int((g["status"] == "closed").sum()),
                    **tot,
                    "water_m3_per_t_product": tot["water_m3_yr"] / product if product else np.nan,
                    "energy_mwh_per_worker": tot["energy_mwh_yr"] / tot["workers"]
                    if tot["workers"]
                    else np.nan,
                    "waste_t_per_t_product": tot["waste_t_yr"] / product if product else np.nan,
                }
            )
    return pd.DataFrame(rows)


def check_flows(
    flows: pd.DataFrame, factory_ids: set[str], *, source: str = "material_flows"
) -> None:
    """Refuse a flows table an analysis cannot trust (before anything is computed).

    Raises
    ------
    DataValidationError, UnitError
        On a missing or negative quantity, a unit other than t/yr, m³/yr, MWh/yr, a
        malformed waste code, or a flow naming a factory that is not in ``factories``;
        the message names the key (``factory_id/flow_id``) and the field.
    """
    keys = flows["factory_id"].astype(str) + "/" + flows["flow_id"].astype(str)
    q = pd.to_numeric(flows["quantity"], errors="coerce")
    bad = q.isna() | (q < 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(
            f"quantity {flows['quantity'].iloc[i]!r} is missing or negative",
            source=source, row=keys.iloc[i], field="quantity",
            fix="correct the mass-balance form and import it again",
        )  # fmt: skip
    units = ~flows["unit"].isin(["t/yr", "m3/yr", "MWh/yr"])
    if units.any():
        i = int(np.flatnonzero(units.to_numpy())[0])
        raise UnitError(
            f"unit {flows['unit'].iloc[i]!r} is not a canonical unit",
            source=source, row=keys.iloc[i], field="unit",
            fix="import flows with 'ecogis import flows', which converts units to t/yr, "
            "m3/yr or MWh/yr",
        )  # fmt: skip
    if "waste_code" in flows:
        codes = flows["waste_code"].astype("string")
        malformed = codes.notna() & ~codes.str.fullmatch(r"[0-9]{6}").fillna(False)
        if malformed.any():
            i = int(np.flatnonzero(malformed.to_numpy())[0])
            normalise_waste_code(codes.iloc[i], source=source, row=keys.iloc[i], field="waste_code")
    unknown = ~flows["factory_id"].astype(str).isin(factory_ids)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataValidationError(
            f"the flow names factory {flows['factory_id'].iloc[i]!r}, which is not in the "
            f"factories layer ({int(unknown.sum())} such flows)",
            source=source, row=keys.iloc[i], field="factory_id",
            fix="import that factory, or correct the registration number in the form",
        )  # fmt: skip
