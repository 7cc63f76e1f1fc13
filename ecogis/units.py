"""Units through pint, with the Thai spellings DIW forms use.

Every quantity that comes in from a file goes through :func:`to_canonical`, which returns it
in the canonical unit of its dimension: mass flows in t/yr, volume flows in m³/yr, energy
flows in MWh/yr. Nothing in ecogis converts units by hand.

Thai unit words are mapped onto pint names before parsing (``ตัน/เดือน`` → ``tonne / month``);
the table is :data:`THAI_UNIT_WORDS`. A year is the Julian year pint defines (365.25 days);
"per day" figures are therefore scaled by 365.25, not by a count of working days — a
factory form that means working days must say so in its quantity.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pint

from ecogis.errors import UnitError

CANONICAL_UNITS: dict[str, str] = {
    "mass_flow": "t/yr",
    "volume_flow": "m3/yr",
    "energy_flow": "MWh/yr",
}
"""Canonical unit string (as stored in the workspace) for each kind of flow."""

_PINT_CANONICAL = {"t/yr": "tonne / year", "m3/yr": "meter ** 3 / year", "MWh/yr": "MWh / year"}

# Longest first so that "ลบ.ม." wins over "ม.". Values are pint expressions.
THAI_UNIT_WORDS: dict[str, str] = {
    "ลูกบาศก์เมตร": "meter**3",
    "ลบ.ม.": "meter**3",
    "ลบ.ม": "meter**3",
    "กิโลวัตต์ชั่วโมง": "kWh",
    "เมกะวัตต์ชั่วโมง": "MWh",
    "หน่วย(ไฟฟ้า)": "kWh",
    "หน่วย": "kWh",  # electricity "units" on Thai bills and forms are kWh
    "คิว": "meter**3",  # colloquial cubic metre (ลบ.ม.) on forms: "คิว/วัน"
    "กิโลกรัม": "kilogram",
    "กก.": "kilogram",
    "กก": "kilogram",
    "ตัน": "tonne",
    "ลิตร": "liter",
    "ล.": "liter",
    "กรัม": "gram",
    "ชั่วโมง": "hour",
    "ชม.": "hour",
    "สัปดาห์": "week",
    "เดือน": "month",
    "ปี": "year",
    "วัน": "day",
}

_ASCII_ALIASES: dict[str, str] = {
    "t": "tonne",
    "ton": "tonne",
    "tons": "tonne",
    "tonnes": "tonne",
    "yr": "year",
    "y": "year",
    "a": "year",
    "d": "day",
    "mo": "month",
    "m3": "meter**3",
    "kg": "kilogram",
    "l": "liter",
    "gj": "GJ",
    "mj": "MJ",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
}


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """Return the one pint registry ecogis uses (cached).

    Returns
    -------
    pint.UnitRegistry
        The same registry on every call, so quantities made by different modules combine.
    """
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    return ureg


def _translate(unit_text: str) -> str:
    text = unit_text.strip()
    for thai in sorted(THAI_UNIT_WORDS, key=len, reverse=True):
        text = text.replace(thai, f" {THAI_UNIT_WORDS[thai]} ")
    text = text.replace("³", "**3").replace("²", "**2")
    tokens = re.split(r"(\s+|/|\*\*|\*|\(|\))", text)
    out = []
    for tok in tokens:
        key = tok.strip().lower()
        out.append(_ASCII_ALIASES.get(key, tok) if key else tok)
    return "".join(out).strip()


@lru_cache(maxsize=512)
def parse_unit(unit_text: str) -> pint.Unit:
    """Parse a unit written in English or Thai.

    Parameters
    ----------
    unit_text
        For example ``"t/yr"``, ``"ตัน/เดือน"``, ``"กก./วัน"``, ``"ลบ.ม./วัน"``, ``"kWh/เดือน"``.

    Returns
    -------
    pint.Unit
        The unit, with Thai words replaced by their pint names.

    Raises
    ------
    UnitError
        If the text is empty, pint cannot read the unit, or it carries a number (``"2 t"``).
    """
    if not isinstance(unit_text, str) or not unit_text.strip():
        raise UnitError("the unit is empty", fix="write a unit such as t/yr or ตัน/ปี")
    ureg = registry()
    try:
        q = ureg.parse_expression(_translate(unit_text))
    except Exception as exc:  # pint raises several unrelated types for bad text
        raise UnitError(
            f"unknown unit {unit_text!r}",
            fix="use a unit such as t/yr, ตัน/เดือน, กก./วัน, ลบ.ม./วัน, kWh/เดือน",
        ) from exc
    if not isinstance(q, pint.Quantity) or q.magnitude != 1:
        raise UnitError(
            f"{unit_text!r} is not a plain unit (it carries a number)",
            fix="put the number in the quantity column and only the unit here",
        )
    unit: pint.Unit = q.units  # type: ignore[assignment]
    return unit


def flow_kind_of_unit(unit_text: str) -> str:
    """Say whether a unit is a mass, volume or energy flow (key of :data:`CANONICAL_UNITS`).

    Parameters
    ----------
    unit_text
        A unit in English or Thai, as for :func:`parse_unit` (e.g. ``"ลบ.ม./วัน"``).

    Returns
    -------
    str
        ``mass_flow`` (mass per time), ``volume_flow`` (volume per time) or ``energy_flow``
        (energy per time).

    Raises
    ------
    UnitError
        If the unit cannot be read, or is not a rate of mass, volume or energy (a unit
        without a period, such as ``t`` or ``kWh``, is refused).
    """
    unit = parse_unit(unit_text)
    ureg = registry()
    for kind, canonical in CANONICAL_UNITS.items():
        if unit.dimensionality == ureg.parse_expression(_PINT_CANONICAL[canonical]).dimensionality:
            return kind
    raise UnitError(
        f"{unit_text!r} is not a rate of mass, volume or energy",
        fix="give the quantity per period, e.g. t/yr, ลบ.ม./วัน, kWh/เดือน",
    )


def convert(value: Any, from_unit: str, to_unit: str) -> Any:
    """Convert a number or array from one unit to another through pint.

    Parameters
    ----------
    value
        A number or NumPy array in ``from_unit``.
    from_unit, to_unit
        Unit texts (Thai or English; canonical names such as ``t/yr`` are accepted).

    Returns
    -------
    float or numpy.ndarray
        ``value`` in ``to_unit``: a float for a scalar, a float64 array for an array.

    Raises
    ------
    UnitError
        If either unit cannot be read, or the two have different dimensions (a volume
        cannot become a mass without a density: see :func:`volume_to_mass`).
    """
    src = parse_unit(from_unit)
    dst = parse_unit(_PINT_CANONICAL.get(to_unit, to_unit))
    try:
        q = registry().Quantity(np.asarray(value, dtype="float64"), src).to(dst)
    except pint.DimensionalityError as exc:
        raise UnitError(
            f"cannot convert {from_unit!r} to {to_unit!r}: different dimensions",
            fix="check the unit column, or give a density for a volume of a known material",
        ) from exc
    mag = q.magnitude
    return float(mag) if np.ndim(mag) == 0 else mag


def to_canonical(value: Any, unit_text: str) -> tuple[Any, str]:
    """Convert a flow to its canonical unit.

    Parameters
    ----------
    value
        A number or NumPy array of the flow, in ``unit_text``.
    unit_text
        Its unit in English or Thai (e.g. ``"ตัน/เดือน"``, ``"kWh/เดือน"``).

    Returns
    -------
    tuple
        ``(value, canonical_unit)`` with ``canonical_unit`` one of ``t/yr``, ``m3/yr``, ``MWh/yr``
        and ``value`` in it (a float for a scalar, a float64 array for an array).

    Raises
    ------
    UnitError
        If the unit cannot be read or is not a rate of mass, volume or energy.
    """
    kind = flow_kind_of_unit(unit_text)
    canonical = CANONICAL_UNITS[kind]
    return convert(value, unit_text, canonical), canonical


def volume_to_mass(value_m3: Any, density_t_per_m3: float) -> Any:
    """Turn a volume flow (m³/yr) into a mass flow (t/yr) with a stated density in t/m³.

    Parameters
    ----------
    value_m3
        A number or NumPy array of volume flows, in m³/yr.
    density_t_per_m3
        The material's density, in t/m³ (water is 1.0).

    Returns
    -------
    float or numpy.ndarray
        The mass flows in t/yr: a float for a scalar, a float64 array for an array.
    """
    ureg = registry()
    q = ureg.Quantity(np.asarray(value_m3, dtype="float64"), "m**3/year") * ureg.Quantity(
        density_t_per_m3, "tonne/m**3"
    )
    mag = q.to("tonne/year").magnitude
    return float(mag) if np.ndim(mag) == 0 else mag
