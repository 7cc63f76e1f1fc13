"""The building blocks of the demo's factory archetypes: flows, archetypes, codes.

:class:`Archetype` is one kind of factory as it appears in the DIW registry (factory type in
the human form, e.g. ``9(1)``, TSIC 2009 code, class, licensed activity in Thai and English)
with size ranges and a mass balance per unit of its main product (:class:`Flow`). The tables
themselves are ``ecogis/demo/data/archetypes.csv`` and ``archetype_flows.csv``; the registry
of all of them is :data:`ecogis.demo.archetypes.ARCHETYPES`.

Waste codes are the 6-digit EU List-of-Waste codes that DIW's waste list shares
(DOMAIN.md §4); :data:`WASTE_CODES` gives each one's hazard mark (``HA`` absolute hazardous,
``HM`` mirror hazardous, ``none``).

Management-method codes (``disposal_code``) used here: ``011`` sorted and sold or handed on
for reuse/recycling, ``041`` used as substitute fuel, ``044`` raw-material substitute in a
cement kiln, ``071`` landfill of non-hazardous waste, ``073`` secure landfill, ``075``
incineration. Only 073 and 075 are confirmed against DIW's list (DOMAIN.md §4); the others are
the demo's reading and are labelled as such in :data:`DISPOSAL_CODES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecogis.demo.tables import read_rows, yes

WASTE_CODES: dict[str, tuple[str, str]] = {
    r["waste_code"]: (r["description_en"], r["hazard_mark"]) for r in read_rows("waste_codes.csv")
}
"""Every waste code the demo uses, with its EU List-of-Waste description and hazard mark
(``data/waste_codes.csv``, checked against the EU List of Waste in a test)."""

DISPOSAL_CODES: dict[str, tuple[str, str, bool]] = {
    r["disposal_code"]: (r["name_th"], r["name_en"], yes(r["confirmed"]))
    for r in read_rows("disposal_codes.csv")
}
"""Management-method codes the demo uses: (Thai, English, confirmed against DIW's list); only
073 and 075 are confirmed, DOMAIN.md §4 (``data/disposal_codes.csv``)."""


@dataclass(frozen=True)
class Flow:
    """One line of an archetype's mass balance, per unit of the main product.

    ``per_unit`` is the quantity of this flow for one unit of the main product (a tonne, or a
    MWh for power plants); ``unit`` is its canonical unit (t/yr, m3/yr or MWh/yr).
    """

    direction: str  # "in" | "out"
    kind: str  # contract flow_kind
    material: str
    per_unit: float
    unit: str = "t/yr"
    waste_code: str | None = None
    disposal: str | None = None
    price: float | None = None  # THB per unit, where a market price is realistic


@dataclass(frozen=True)
class Archetype:
    """One kind of factory: registry attributes, size ranges and mass balance."""

    key: str
    diw_type: str  # human form, e.g. "9(1)", "42(1)", "105"
    tsic: str  # TSIC 2009, 5 digits
    factory_class: int
    activity_th: str
    activity_en: str
    product_unit: str  # unit of the main product ("t/yr" or "MWh/yr")
    output_range: tuple[float, float]  # annual main output, in product_unit
    workers_range: tuple[int, int]
    hp_range: tuple[float, float]
    capital_range_mthb: tuple[float, float]  # million THB
    flows: tuple[Flow, ...]
    trade_th: str = ""  # the trade word of company names, e.g. "ปูนซีเมนต์"
    trade_en: str = ""  # e.g. "Cement"
    note: str = ""  # why the balance is as it is, where it is unusual

    @property
    def diw_type_main(self) -> int:
        """The main type number (``9`` for ``9(1)``)."""
        return int(self.diw_type.split("(")[0])
