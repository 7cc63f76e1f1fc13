"""The building blocks of the demo's factory archetypes: flows, archetypes, codes.

:class:`Archetype` is one kind of factory as it appears in the DIW registry (factory type in
the human form, e.g. ``9(1)``, TSIC 2009 code, class, licensed activity in Thai and English)
with size ranges and a mass balance per unit of its main product (:class:`Flow`). The tables
themselves live in :mod:`ecogis.demo.industry` and :mod:`ecogis.demo.agro`; the registry of all
of them is :data:`ecogis.demo.archetypes.ARCHETYPES`.

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

WASTE_CODES: dict[str, tuple[str, str]] = {
    # code: (English description, hazard mark) — checked against the EU List of Waste
    "020103": ("plant-tissue waste", "none"),
    "020301": ("sludges from washing, cleaning, peeling, centrifuging and separation", "none"),
    "020304": ("materials unsuitable for consumption or processing (vegetable)", "none"),
    "020305": ("sludges from on-site effluent treatment (vegetable processing)", "none"),
    "020499": ("wastes not otherwise specified (sugar processing)", "none"),
    "020601": ("materials unsuitable for consumption or processing (baking)", "none"),
    "020702": ("wastes from spirits distillation", "none"),
    "020704": ("materials unsuitable for consumption or processing (beverages)", "none"),
    "030101": ("waste bark and cork", "none"),
    "030105": ("sawdust, shavings, cuttings, wood other than 03 01 04", "none"),
    "030307": ("mechanically separated rejects from pulping of waste paper", "none"),
    "030311": ("sludges from on-site effluent treatment (paper)", "none"),
    "070104": ("other organic solvents, washing liquids and mother liquors", "HA"),
    "070111": ("sludges from on-site effluent treatment containing hazardous substances", "HM"),
    "070213": ("waste plastic", "none"),
    "080111": ("waste paint and varnish containing organic solvents", "HM"),
    "100101": ("bottom ash, slag and boiler dust", "none"),
    "100102": ("coal fly ash", "none"),
    "100103": ("fly ash from peat and untreated wood", "none"),
    "100105": ("calcium-based reaction wastes from flue-gas desulphurisation, solid", "none"),
    "100202": ("unprocessed slag (iron and steel)", "none"),
    "100207": ("solid wastes from gas treatment containing hazardous substances", "HM"),
    "100210": ("mill scales", "none"),
    "100308": ("salt slags from secondary aluminium production", "HA"),
    "100309": ("black drosses from secondary aluminium production", "HA"),
    "100908": ("casting cores and moulds after pouring, other than 10 09 07", "none"),
    "101314": ("waste concrete and concrete sludge", "none"),
    "110105": ("pickling acids", "HA"),
    "110109": ("sludges and filter cakes containing hazardous substances", "HM"),
    "120101": ("ferrous metal filings and turnings", "none"),
    "120109": ("machining emulsions and solutions free of halogens", "HA"),
    "130205": ("mineral-based non-chlorinated engine, gear and lubricating oils", "HA"),
    "140603": ("other solvents and solvent mixtures", "HA"),
    "150101": ("paper and cardboard packaging", "none"),
    "150102": ("plastic packaging", "none"),
    "150103": ("wooden packaging", "none"),
    "150107": ("glass packaging", "none"),
    "150110": ("packaging containing residues of hazardous substances", "HA"),
    "160802": ("spent catalysts containing hazardous transition metals", "HM"),
    "190112": ("bottom ash and slag other than 19 01 11 (incineration)", "none"),
    "190113": ("fly ash containing hazardous substances (incineration)", "HM"),
    "190814": ("sludges from treatment of industrial waste water other than 19 08 13", "none"),
    "191201": ("paper and cardboard (from mechanical treatment of waste)", "none"),
    "191202": ("ferrous metal (from mechanical treatment of waste)", "none"),
    "191204": ("plastic and rubber (from mechanical treatment of waste)", "none"),
    "191205": ("glass (from mechanical treatment of waste)", "none"),
    "191210": ("combustible waste (refuse derived fuel)", "none"),
    "191212": ("other wastes from mechanical treatment of wastes, other than 19 12 11", "none"),
    "200301": ("mixed municipal waste", "none"),
}
"""Every waste code the demo uses, with its EU List-of-Waste description and hazard mark."""

DISPOSAL_CODES: dict[str, tuple[str, str, bool]] = {
    # code: (Thai, English, confirmed against DIW's list)
    "011": ("คัดแยกเพื่อจำหน่ายหรือส่งต่อใช้ประโยชน์", "sorted for sale or reuse", False),
    "041": ("ใช้เป็นเชื้อเพลิงทดแทน", "substitute fuel", False),
    "044": ("ใช้เป็นวัตถุดิบทดแทนในเตาเผาปูนซีเมนต์", "raw-material substitute in a cement kiln", False),
    "071": ("ฝังกลบของเสียไม่อันตราย", "landfill of non-hazardous waste", False),
    "073": ("ฝังกลบอย่างปลอดภัย", "secure landfill", True),
    "075": ("เผาทำลาย", "incineration", True),
}
"""Management-method codes the demo uses (only 073 and 075 are confirmed, DOMAIN.md §4)."""


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


def inflow(
    kind: str, material: str, per_unit: float, unit: str = "t/yr", price: float | None = None
) -> Flow:
    """An input line (raw material, energy or water) of a mass balance."""
    return Flow("in", kind, material, per_unit, unit, price=price)


def outflow(
    kind: str,
    material: str,
    per_unit: float,
    unit: str = "t/yr",
    code: str | None = None,
    disposal: str | None = None,
    price: float | None = None,
) -> Flow:
    """An output line (product, by-product, waste, wastewater or emission)."""
    return Flow("out", kind, material, per_unit, unit, code, disposal, price)


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

    @property
    def diw_type_main(self) -> int:
        """The main type number (``9`` for ``9(1)``)."""
        return int(self.diw_type.split("(")[0])


R, E, W, P, B, X, WW, M = (
    "raw_material",
    "energy",
    "water",
    "product",
    "by_product",
    "waste",
    "wastewater",
    "emission",
)
