"""Material flows: mass balances with closure checks.

The form factories fill in is read by :func:`ecogis.importers.flows.parse_flow_form` (also
importable from here) into the ``material_flows`` table; this module works on that table.

* :func:`mass_balance` sets each factory's inputs against its outputs, flags balances that
  do not close within a stated tolerance and says why they may not (water vapour, moisture
  driven off wet raw materials, combustion gases, missing rows), and computes intensities;
  :func:`mass_balance_areas` totals them per industrial zone and province.

Water counts in the mass balance at 1 t/m³ (it is most of the mass through many plants);
energy carriers given in mass (coal, husk, steam) count as mass inputs too, and also enter
the energy total through their heating value from the materials catalogue.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ecogis.errors import DataValidationError, UnitError
from ecogis.importers.flows import NO_DENSITY, parse_flow_form
from ecogis.importers.waste_codes import normalise_waste_code
from ecogis.symbiosis.catalogue import load_catalogue

__all__ = ["check_flows", "mass_balance", "mass_balance_areas", "parse_flow_form"]

DEFAULT_TOLERANCE = 0.10
"""Largest |inputs − outputs| / max(inputs, outputs) for a mass balance to count as closed."""


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


def _closure_status(t_in: float, t_out: float, tolerance: float) -> str:
    """Return the ``status`` of one balance in :func:`mass_balance` (t/yr; tolerance a fraction)."""
    gap = t_in - t_out
    big = max(t_in, t_out)
    if t_in <= 0:
        return "no_inputs"
    if t_out <= 0:
        return "no_outputs"
    if abs(gap) / big <= tolerance:
        return "closed"
    return "outputs_short" if gap > 0 else "outputs_exceed"


def _status_reasons(
    status: str,
    tolerance: float,
    *,
    fuel_t: float,
    emission_t: float,
    water_in: float,
    ww_out: float,
    wet_in: float,
) -> list[str]:
    """Why a balance has ``status``, in words (fuel, emissions, wet inputs in t/yr; water m³/yr)."""
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
    return reasons


def _data_gaps(g: pd.DataFrame, unknown_energy: pd.Series) -> list[str]:
    """List what one factory's totals miss: volumes of unknown density, unknown energy contents."""
    reasons: list[str] = []
    if g["t"].isna().any() and (g["unit"] != "MWh/yr").any():
        lost = g.loc[g["t"].isna() & (g["unit"] == "m3/yr"), "material"].unique()
        if len(lost):
            reasons.append(f"left out (volume, density unknown): {', '.join(map(str, lost))}")
    if len(unknown_energy):
        reasons.append(
            f"energy content unknown for: {', '.join(sorted(set(map(str, unknown_energy))))}"
        )
    return reasons


def mass_balance(
    flows: pd.DataFrame,
    factories: pd.DataFrame,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> pd.DataFrame:
    """Compare inputs with outputs per factory, with a closure check and intensities.

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
        & ~f["material"].isin(NO_DENSITY)
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
        status = _closure_status(t_in, t_out, tolerance)
        reasons = _status_reasons(
            status,
            tolerance,
            fuel_t=fuel_t,
            emission_t=emission_t,
            water_in=water_in,
            ww_out=ww_out,
            wet_in=wet_in,
        )
        reasons += _data_gaps(g, unknown_energy)
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

    Parameters
    ----------
    balance
        The frame :func:`mass_balance` returns. A factory without a ``zone_id`` (or
        ``pro_code``) counts only in the totals it has a key for, and always in ``all``.

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

    Parameters
    ----------
    flows
        The ``material_flows`` table: ``factory_id``, ``flow_id``, ``quantity``, ``unit``
        and, when present, ``waste_code``.
    factory_ids
        The ``factory_id`` values of the ``factories`` layer.
    source
        The layer or file named in an error message (default ``"material_flows"``).

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
