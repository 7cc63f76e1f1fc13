"""Factory archetypes of the illustrative demo: every kind of factory, by key.

Each archetype is one kind of factory as it appears in the DIW registry with a mass balance per
unit of its main product; the demo scales the balance by each factory's annual output, so a
factory twice the size has twice the flows. The building blocks are in
:mod:`ecogis.demo.model`; the tables are ``ecogis/demo/data/archetypes.csv`` (one row per kind:
registry attributes, size ranges, the trade word of company names) and
``archetype_flows.csv`` (one row per line of a mass balance, per unit of main output).

Coefficients are round, plausible figures for Thai plants of these kinds (a coal
cogeneration plant burns about 0.5 t of coal per MWh and about a tenth of it leaves as ash; an
arc furnace charges about 1.1 t of scrap per tonne of steel and leaves about 0.13 t of slag; a
tapioca starch mill takes about 4 t of fresh roots and leaves about 1 t of wet pulp per tonne of
starch; a rice mill leaves about a third of a tonne of husk per tonne of rice). For
demonstration, not engineering.
"""

from __future__ import annotations

from ecogis.demo.model import DISPOSAL_CODES, WASTE_CODES, Archetype, Flow
from ecogis.demo.tables import float_or_none, read_rows, text_or_none

__all__ = ["ARCHETYPES", "DISPOSAL_CODES", "WASTE_CODES", "Archetype", "Flow"]


def _flows() -> dict[str, list[Flow]]:
    out: dict[str, list[Flow]] = {}
    for r in read_rows("archetype_flows.csv"):
        out.setdefault(r["archetype"], []).append(
            Flow(
                direction=r["direction"],
                kind=r["flow_kind"],
                material=r["material"],
                per_unit=float(r["per_unit"]),
                unit=r["unit"],
                waste_code=text_or_none(r["waste_code"]),
                disposal=text_or_none(r["disposal_code"]),
                price=float_or_none(r["price_thb_per_unit"]),
            )
        )
    return out


def _archetypes() -> dict[str, Archetype]:
    flows = _flows()
    out: dict[str, Archetype] = {}
    for r in read_rows("archetypes.csv"):
        key = r["key"]
        if key in out:  # a key used twice is a bug in the table
            raise RuntimeError(f"two demo archetypes share the key {key!r}")
        out[key] = Archetype(
            key=key,
            diw_type=r["diw_type"],
            tsic=r["tsic"],
            factory_class=int(r["factory_class"]),
            activity_th=r["activity_th"],
            activity_en=r["activity_en"],
            product_unit=r["product_unit"],
            output_range=(float(r["output_min"]), float(r["output_max"])),
            workers_range=(int(r["workers_min"]), int(r["workers_max"])),
            hp_range=(float(r["hp_min"]), float(r["hp_max"])),
            capital_range_mthb=(float(r["capital_min_mthb"]), float(r["capital_max_mthb"])),
            flows=tuple(flows.pop(key, [])),
            trade_th=r["trade_th"],
            trade_en=r["trade_en"],
            note=r["note"],
        )
    if flows:
        raise RuntimeError(f"mass-balance lines of unknown archetypes: {sorted(flows)}")
    return out


ARCHETYPES: dict[str, Archetype] = _archetypes()
"""Every archetype, by key."""
