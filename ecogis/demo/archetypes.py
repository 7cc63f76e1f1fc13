"""Factory archetypes of the illustrative demo: what each kind of factory is and its mass balance.

Each archetype is one kind of factory as it appears in the DIW registry (factory type in the
human form, e.g. ``9(1)``, TSIC 2009 code, class, the licensed activity in Thai and English)
with a size range and a mass balance per unit of its main product. The demo scales the
balance by each factory's annual output, so a factory twice the size has twice the flows.

The coefficients are round, plausible figures for Thai plants of these kinds (e.g. a coal
cogeneration plant burns about 0.5 t of coal per MWh and about 10 % of it leaves as ash, a
tapioca starch mill takes about 4 t of fresh roots per tonne of starch); they are for the
demonstration, not engineering data.

Waste codes are the 6-digit EU List-of-Waste codes that DIW's waste list shares
(DOMAIN.md §4); :data:`WASTE_CODES` gives each one's hazard mark (``HA`` absolute hazardous,
``HM`` mirror hazardous, ``none``). Material keys are the symbiosis catalogue's vocabulary
(``fly_ash``, ``steel_slag``, ``plastic_scrap`` …); ordinary inputs and products use plain keys.

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
    "020203": ("materials unsuitable for consumption or processing (meat, fish)", "none"),
    "020301": ("sludges from washing, cleaning, peeling, centrifuging and separation", "none"),
    "020304": ("materials unsuitable for consumption or processing (vegetable)", "none"),
    "020305": ("sludges from on-site effluent treatment (vegetable processing)", "none"),
    "020399": ("wastes not otherwise specified (vegetable processing)", "none"),
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
    "120103": ("non-ferrous metal filings and turnings", "none"),
    "120105": ("plastics shavings and turnings", "none"),
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


def _in(
    kind: str, material: str, per_unit: float, unit: str = "t/yr", price: float | None = None
) -> Flow:
    return Flow("in", kind, material, per_unit, unit, price=price)


def _out(
    kind: str,
    material: str,
    per_unit: float,
    unit: str = "t/yr",
    code: str | None = None,
    disposal: str | None = None,
    price: float | None = None,
) -> Flow:
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

# fmt: off
ARCHETYPES: dict[str, Archetype] = {
    a.key: a
    for a in (
        Archetype(
            "coal_power", "88", "35101", 3,
            "ผลิตกระแสไฟฟ้าและไอน้ำระบบโคเจนเนอเรชันจากถ่านหิน",
            "coal-fired cogeneration of electricity and steam",
            "MWh/yr", (560_000, 620_000), (140, 190), (60_000, 80_000), (9_000, 12_000),
            (
                _in(R, "coal", 0.48, price=3_400),
                _in(R, "limestone", 0.02, price=450),
                _in(W, "water", 1.6, "m3/yr", price=12),
                _in(W, "treated_wastewater", 0.4, "m3/yr", price=6),
                _out(P, "electricity", 1.0, "MWh/yr", price=3_000),
                _out(B, "steam", 0.22, price=650),
                _out(B, "waste_heat_low", 0.30, "MWh/yr"),
                _out(X, "fly_ash", 0.040, code="100102", disposal="071"),
                _out(X, "bottom_ash", 0.009, code="100101", disposal="071"),
                _out(X, "fgd_gypsum", 0.011, code="100105", disposal="071"),
                _out(X, "used_oil", 0.00004, code="130205", disposal="075"),
                _out(WW, "wastewater", 0.35, "m3/yr"),
                _out(M, "co2", 1.05),
            ),
        ),
        Archetype(
            "biomass_power", "88", "35101", 3,
            "ผลิตกระแสไฟฟ้าจากชีวมวล (แกลบ เศษไม้ ชานอ้อย กะลาปาล์ม)",
            "electricity from biomass (rice husk, wood waste, bagasse, palm shell)",
            "MWh/yr", (62_000, 75_000), (45, 70), (9_000, 14_000), (900, 1_400),
            (
                _in(R, "rice_husk", 0.75, price=900),
                _in(R, "wood_waste", 0.40, price=800),
                _in(R, "bagasse", 0.20, price=600),
                _in(R, "palm_shell", 0.08, price=2_200),
                _in(W, "water", 3.0, "m3/yr", price=12),
                _out(P, "electricity", 1.0, "MWh/yr", price=3_600),
                _out(B, "waste_heat_low", 0.45, "MWh/yr"),
                _out(X, "rice_husk_ash", 0.11, code="100103", disposal="071"),
                _out(WW, "wastewater", 0.6, "m3/yr"),
            ),
        ),
        Archetype(
            "cement", "57", "23941", 3,
            "ผลิตปูนเม็ดและปูนซีเมนต์",
            "clinker and cement production",
            "t/yr", (900_000, 1_100_000), (280, 380), (90_000, 120_000), (12_000, 18_000),
            (
                _in(R, "limestone", 1.15, price=180),
                _in(R, "shale", 0.22, price=150),
                _in(R, "fly_ash", 0.04, price=350),
                _in(R, "steel_slag", 0.02, price=250),
                _in(R, "gypsum", 0.04, price=900),
                _in(R, "coal", 0.10, price=3_400),
                _in(E, "electricity", 0.09, "MWh/yr", price=3_600),
                _in(W, "water", 0.25, "m3/yr", price=12),
                _out(P, "cement", 1.0, price=2_300),
                _out(B, "waste_heat_medium", 0.05, "MWh/yr"),
                _out(X, "used_oil", 0.00002, code="130205", disposal="075"),
                _out(X, "general_waste", 0.0004, code="200301", disposal="071"),
                _out(WW, "wastewater", 0.05, "m3/yr"),
                _out(M, "co2", 0.78),
            ),
        ),
        Archetype(
            "ready_mix", "58(1)", "23953", 3,
            "ผลิตคอนกรีตผสมเสร็จ",
            "ready-mixed concrete",
            "t/yr", (150_000, 260_000), (30, 60), (800, 1_800), (60, 150),
            (
                _in(R, "cement", 0.14, price=2_300),
                _in(R, "sand", 0.33, price=350),
                _in(R, "aggregate", 0.45, price=400),
                _in(W, "water", 0.08, "m3/yr", price=12),
                _in(E, "electricity", 0.004, "MWh/yr", price=3_600),
                _out(P, "concrete", 1.0, price=950),
                _out(X, "concrete_waste", 0.006, code="101314", disposal="071"),
                _out(WW, "wastewater", 0.02, "m3/yr"),
            ),
        ),
        Archetype(
            "steel_eaf", "59", "24101", 3,
            "หลอมเศษเหล็กด้วยเตาอาร์กไฟฟ้าและหล่อเหล็กแท่ง",
            "electric-arc melting of steel scrap and billet casting",
            "t/yr", (160_000, 240_000), (220, 320), (40_000, 60_000), (4_000, 6_500),
            (
                _in(R, "metal_scrap", 1.12, price=11_500),
                _in(R, "lime", 0.045, price=3_000),
                _in(R, "oxygen", 0.05, price=4_000),
                _in(E, "electricity", 0.46, "MWh/yr", price=3_600),
                _in(E, "natural_gas", 0.30, "MWh/yr", price=1_300),
                _in(W, "water", 1.4, "m3/yr", price=12),
                _out(P, "steel_billet", 1.0, price=19_000),
                _out(B, "waste_heat_high", 0.14, "MWh/yr"),
                _out(X, "steel_slag", 0.13, code="100202", disposal="071"),
                _out(X, "eaf_dust", 0.015, code="100207", disposal="073"),
                _out(X, "mill_scale", 0.012, code="100210", disposal="011", price=1_500),
                _out(X, "used_oil", 0.0002, code="130205", disposal="075"),
                _out(WW, "wastewater", 0.3, "m3/yr"),
                _out(M, "co2", 0.12),
            ),
        ),
        Archetype(
            "foundry", "59", "24310", 3,
            "หล่อชิ้นส่วนเหล็กหล่อ",
            "iron casting",
            "t/yr", (6_000, 18_000), (80, 180), (2_500, 6_000), (250, 600),
            (
                _in(R, "metal_scrap", 1.08, price=11_500),
                _in(R, "sand", 0.25, price=600),
                _in(E, "electricity", 0.65, "MWh/yr", price=3_600),
                _in(W, "water", 0.6, "m3/yr", price=12),
                _out(P, "iron_castings", 1.0, price=45_000),
                _out(X, "foundry_sand", 0.22, code="100908", disposal="071"),
                _out(X, "used_oil", 0.0006, code="130205", disposal="075"),
                _out(X, "wood_waste", 0.004, code="150103", disposal="071"),
                _out(WW, "wastewater", 0.2, "m3/yr"),
            ),
        ),
        Archetype(
            "aluminium", "60", "24202", 3,
            "หลอมเศษอะลูมิเนียมและหล่ออะลูมิเนียมแท่ง",
            "secondary aluminium smelting and ingot casting",
            "t/yr", (8_000, 25_000), (60, 140), (3_000, 7_000), (300, 800),
            (
                _in(R, "metal_scrap", 1.10, price=48_000),
                _in(E, "natural_gas", 1.2, "MWh/yr", price=1_300),
                _in(E, "electricity", 0.25, "MWh/yr", price=3_600),
                _in(W, "water", 0.5, "m3/yr", price=12),
                _out(P, "aluminium_ingot", 1.0, price=80_000),
                _out(B, "waste_heat_medium", 0.35, "MWh/yr"),
                _out(X, "aluminium_dross", 0.04, code="100309", disposal="073"),
                _out(X, "salt_slag", 0.05, code="100308", disposal="073"),
                _out(WW, "wastewater", 0.15, "m3/yr"),
            ),
        ),
        Archetype(
            "auto_parts", "77(2)", "29309", 3,
            "ผลิตชิ้นส่วนโลหะสำหรับรถยนต์ (ปั๊มขึ้นรูป กลึง เชื่อม)",
            "metal parts for motor vehicles (stamping, machining, welding)",
            "t/yr", (1_500, 9_000), (120, 650), (1_500, 6_000), (150, 900),
            (
                _in(R, "steel", 1.14, price=28_000),
                _in(E, "electricity", 0.55, "MWh/yr", price=3_600),
                _in(W, "water", 0.9, "m3/yr", price=12),
                _out(P, "auto_parts", 1.0, price=95_000),
                _out(X, "metal_scrap", 0.13, code="120101", disposal="011", price=9_000),
                _out(X, "machining_emulsion", 0.010, code="120109", disposal="075"),
                _out(X, "used_oil", 0.004, code="130205", disposal="075"),
                _out(X, "paper_scrap", 0.010, code="150101", disposal="011", price=3_000),
                _out(X, "plastic_scrap", 0.004, code="150102", disposal="071"),
                _out(X, "wood_waste", 0.008, code="150103", disposal="071"),
                _out(WW, "wastewater", 0.6, "m3/yr"),
            ),
        ),
        Archetype(
            "electroplating", "64(10)", "25921", 3,
            "ชุบเคลือบผิวโลหะด้วยไฟฟ้า (สังกะสี นิกเกิล โครเมียม)",
            "electroplating of metal parts (zinc, nickel, chromium)",
            "t/yr", (800, 2_500), (25, 90), (300, 1_200), (20, 120),
            (
                _in(R, "metal_parts", 1.0),
                _in(R, "plating_chemicals", 0.03, price=60_000),
                _in(E, "electricity", 0.9, "MWh/yr", price=3_600),
                _in(W, "water", 9.0, "m3/yr", price=12),
                _out(P, "plated_parts", 1.0),
                _out(X, "wastewater_sludge", 0.03, code="110109", disposal="073"),
                _out(X, "spent_acid", 0.02, code="110105", disposal="075"),
                _out(X, "contaminated_packaging", 0.002, code="150110", disposal="075"),
                _out(WW, "wastewater", 8.2, "m3/yr"),
            ),
        ),
        Archetype(
            "chemicals", "42(1)", "20119", 3,
            "ผลิตเคมีภัณฑ์พื้นฐานและสารเคมีอุตสาหกรรม",
            "basic and industrial chemicals",
            "t/yr", (15_000, 60_000), (60, 260), (4_000, 15_000), (400, 2_500),
            (
                _in(R, "chemical_feedstock", 1.08),
                _in(E, "steam", 1.1, price=650),
                _in(E, "natural_gas", 0.6, "MWh/yr", price=1_300),
                _in(E, "electricity", 0.25, "MWh/yr", price=3_600),
                _in(W, "water", 3.0, "m3/yr", price=12),
                _out(P, "chemicals", 1.0),
                _out(X, "spent_solvent", 0.006, code="070104", disposal="075"),
                _out(X, "spent_catalyst", 0.0005, code="160802", disposal="073"),
                _out(X, "wastewater_sludge", 0.004, code="070111", disposal="073"),
                _out(X, "contaminated_packaging", 0.002, code="150110", disposal="075"),
                _out(WW, "wastewater", 2.2, "m3/yr"),
            ),
        ),
        Archetype(
            "paints", "45(1)", "20221", 3,
            "ผลิตสี แล็กเกอร์ และทินเนอร์",
            "paints, lacquers and thinners",
            "t/yr", (4_000, 14_000), (50, 150), (800, 2_500), (100, 450),
            (
                _in(R, "resin", 0.35),
                _in(R, "pigment", 0.25),
                _in(R, "solvent", 0.38),
                _in(E, "electricity", 0.12, "MWh/yr", price=3_600),
                _in(W, "water", 0.4, "m3/yr", price=12),
                _out(P, "paint", 1.0),
                _out(X, "waste_paint", 0.008, code="080111", disposal="075"),
                _out(X, "spent_solvent", 0.012, code="140603", disposal="075"),
                _out(X, "contaminated_packaging", 0.004, code="150110", disposal="075"),
                _out(WW, "wastewater", 0.25, "m3/yr"),
            ),
        ),
        Archetype(
            "plastic_products", "53(5)", "22230", 3,
            "ผลิตฟิล์ม แผ่น และบรรจุภัณฑ์พลาสติก",
            "plastic film, sheet and packaging",
            "t/yr", (2_000, 15_000), (60, 300), (1_500, 6_000), (150, 800),
            (
                _in(R, "plastic_resin", 1.06, price=42_000),
                _in(E, "electricity", 0.95, "MWh/yr", price=3_600),
                _in(W, "water", 0.5, "m3/yr", price=12),
                _out(P, "plastic_products", 1.0, price=60_000),
                _out(X, "plastic_scrap", 0.045, code="070213", disposal="071", price=8_000),
                _out(X, "paper_scrap", 0.008, code="150101", disposal="011", price=3_000),
                _out(X, "used_oil", 0.0008, code="130205", disposal="075"),
                _out(WW, "wastewater", 0.2, "m3/yr"),
            ),
        ),
        Archetype(
            "plastic_recycler", "106", "38300", 3,
            "นำพลาสติกที่ไม่ใช้แล้วกลับมาผลิตเป็นเม็ดพลาสติกรีไซเคิล",
            "recycling of waste plastics into pellets",
            "t/yr", (5_000, 12_000), (30, 80), (1_000, 2_500), (50, 200),
            (
                _in(R, "plastic_scrap", 1.18, price=8_000),
                _in(E, "electricity", 0.45, "MWh/yr", price=3_600),
                _in(W, "water", 1.2, "m3/yr", price=12),
                _out(P, "recycled_plastic_pellet", 1.0, price=28_000),
                _out(X, "sorting_residue", 0.15, code="191212", disposal="071"),
                _out(X, "wastewater_sludge", 0.02, code="190814", disposal="071"),
                _out(WW, "wastewater", 1.0, "m3/yr"),
            ),
        ),
        Archetype(
            "oil_solvent_recovery", "106", "38300", 3,
            "นำน้ำมันหล่อลื่นใช้แล้วและตัวทำละลายใช้แล้วกลับมาผลิตใหม่",
            "re-refining of used oil and recovery of spent solvents",
            "t/yr", (2_000, 5_000), (20, 45), (600, 1_500), (60, 180),
            (
                _in(R, "used_oil", 0.95, price=6_000),
                _in(R, "spent_solvent", 0.35),
                _in(E, "natural_gas", 0.5, "MWh/yr", price=1_300),
                _in(W, "water", 0.6, "m3/yr", price=12),
                _out(P, "base_oil", 0.75, price=22_000),
                _out(P, "recovered_solvent", 0.25, price=25_000),
                _out(X, "still_bottoms", 0.08, code="070104", disposal="075"),
                _out(WW, "wastewater", 0.5, "m3/yr"),
            ),
        ),
        Archetype(
            "waste_treatment", "101", "38221", 3,
            "บำบัดและกำจัดของเสียอันตรายด้วยเตาเผาและการปรับเสถียร",
            "treatment of hazardous waste by incineration and stabilisation",
            "t/yr", (15_000, 30_000), (60, 120), (3_000, 6_000), (800, 1_500),
            (
                _in(R, "hazardous_waste", 1.0),
                _in(E, "natural_gas", 0.35, "MWh/yr", price=1_300),
                _in(W, "water", 0.8, "m3/yr", price=12),
                _out(P, "treated_waste", 0.55),
                _out(X, "bottom_ash", 0.18, code="190112", disposal="071"),
                _out(X, "incinerator_fly_ash", 0.04, code="190113", disposal="073"),
                _out(WW, "wastewater", 0.6, "m3/yr"),
            ),
        ),
        Archetype(
            "central_wwtp", "101", "37000", 3,
            "บำบัดน้ำเสียรวมของพื้นที่อุตสาหกรรม",
            "central wastewater treatment for the industrial area",
            "m3/yr", (1_400_000, 1_800_000), (15, 30), (800, 1_500), (300, 600),
            (
                _in(WW, "wastewater", 1.0, "m3/yr"),
                _in(E, "electricity", 0.0005, "MWh/yr", price=3_600),
                _out(B, "treated_wastewater", 0.92, "m3/yr", price=6),
                _out(X, "wastewater_sludge", 0.0012, code="190814", disposal="071"),
            ),
        ),
        Archetype(
            "waste_sorting", "105", "38211", 3,
            "คัดแยกสิ่งปฏิกูลหรือวัสดุที่ไม่ใช้แล้วที่ไม่เป็นของเสียอันตราย",
            "sorting of non-hazardous industrial waste",
            "t/yr", (6_000, 18_000), (20, 60), (400, 1_200), (20, 90),
            (
                _in(R, "mixed_industrial_waste", 1.0),
                _in(E, "electricity", 0.02, "MWh/yr", price=3_600),
                _out(X, "paper_scrap", 0.24, code="191201", disposal="011", price=3_000),
                _out(X, "plastic_scrap", 0.18, code="191204", disposal="011", price=6_000),
                _out(X, "metal_scrap", 0.08, code="191202", disposal="011", price=8_500),
                _out(X, "glass_cullet", 0.05, code="191205", disposal="011", price=1_200),
                _out(B, "rdf", 0.20, code="191210", disposal="041", price=500),
                _out(X, "sorting_residue", 0.25, code="191212", disposal="071"),
            ),
        ),
        Archetype(
            "rice_mill", "9(1)", "10611", 3,
            "สีข้าว",
            "rice milling",
            "t/yr", (12_000, 45_000), (15, 60), (150, 900), (15, 120),
            (
                _in(R, "paddy", 1.52, price=9_500),
                _in(E, "electricity", 0.035, "MWh/yr", price=3_600),
                _out(P, "milled_rice", 1.0, price=16_000),
                _out(B, "rice_bran", 0.12, price=7_000),
                _out(B, "rice_husk", 0.33, code="020103", disposal="011", price=900),
            ),
        ),
        Archetype(
            "tapioca_starch", "9(6)", "10621", 3,
            "ผลิตแป้งมันสำปะหลัง",
            "tapioca starch",
            "t/yr", (35_000, 80_000), (90, 180), (4_000, 9_000), (500, 1_200),
            (
                _in(R, "cassava_root", 4.1, price=2_600),
                _in(E, "steam", 0.6, price=650),
                _in(E, "electricity", 0.18, "MWh/yr", price=3_600),
                _in(W, "water", 16.0, "m3/yr", price=8),
                _out(P, "starch", 1.0, price=14_500),
                _out(B, "cassava_pulp", 0.95, code="020304", disposal="011", price=350),
                _out(X, "cassava_peel", 0.22, code="020301", disposal="071"),
                _out(WW, "wastewater", 14.0, "m3/yr"),
            ),
        ),
        Archetype(
            "sugar_mill", "11", "10721", 3,
            "ผลิตน้ำตาลทรายจากอ้อย",
            "cane sugar production",
            "t/yr", (140_000, 200_000), (350, 600), (40_000, 70_000), (4_000, 7_000),
            (
                _in(R, "sugarcane", 9.0, price=1_000),
                _in(W, "water", 2.0, "m3/yr", price=8),
                _out(P, "sugar", 1.0, price=19_000),
                _out(B, "molasses", 0.42, price=4_500),
                _out(B, "bagasse", 0.55, code="020499", disposal="011", price=600),
                _out(X, "filter_cake", 0.35, code="020499", disposal="071"),
                _out(B, "waste_heat_low", 0.10, "MWh/yr"),
                _out(WW, "wastewater", 1.6, "m3/yr"),
            ),
        ),
        Archetype(
            "ethanol", "17", "20114", 3,
            "ผลิตเอทานอลเพื่อใช้เป็นเชื้อเพลิงจากกากน้ำตาล",
            "fuel ethanol from molasses",
            "t/yr", (60_000, 110_000), (80, 150), (6_000, 12_000), (1_200, 2_500),
            (
                _in(R, "molasses", 4.0, price=4_500),
                _in(E, "steam", 3.2, price=650),
                _in(E, "electricity", 0.25, "MWh/yr", price=3_600),
                _in(W, "water", 8.0, "m3/yr", price=8),
                _out(P, "ethanol", 1.0, price=29_000),
                _out(X, "distillery_slop", 9.0, code="020702", disposal="071"),
                _out(X, "spent_yeast", 0.05, code="020704", disposal="071"),
                _out(WW, "wastewater", 2.5, "m3/yr"),
            ),
        ),
        Archetype(
            "palm_oil_mill", "7(1)", "10401", 3,
            "สกัดน้ำมันปาล์มดิบ",
            "crude palm oil extraction",
            "t/yr", (12_000, 25_000), (50, 110), (2_000, 4_500), (250, 600),
            (
                _in(R, "fresh_fruit_bunch", 5.5, price=5_200),
                _in(W, "water", 6.0, "m3/yr", price=8),
                _out(P, "crude_palm_oil", 1.0, price=33_000),
                _out(B, "palm_kernel", 0.27, price=15_000),
                _out(X, "palm_efb", 1.20, code="020103", disposal="071"),
                _out(B, "palm_fibre", 0.70, code="020103", disposal="041"),
                _out(B, "palm_shell", 0.30, code="020103", disposal="011", price=2_200),
                _out(WW, "wastewater", 3.5, "m3/yr"),
            ),
        ),
        Archetype(
            "feed_mill", "15(1)", "10801", 3,
            "ผลิตอาหารผสมสำหรับเลี้ยงสัตว์",
            "compound animal feed",
            "t/yr", (50_000, 140_000), (60, 160), (3_000, 8_000), (300, 900),
            (
                _in(R, "maize", 0.38, price=9_500),
                _in(R, "soybean_meal", 0.25, price=17_000),
                _in(R, "rice_bran", 0.15, price=7_000),
                _in(R, "cassava_pulp", 0.10, price=350),
                _in(R, "spent_grain", 0.04, price=1_500),
                _in(E, "steam", 0.08, price=650),
                _in(E, "electricity", 0.045, "MWh/yr", price=3_600),
                _out(P, "animal_feed", 1.0, price=13_000),
                _out(X, "paper_scrap", 0.002, code="150101", disposal="011", price=3_000),
                _out(X, "general_waste", 0.001, code="200301", disposal="071"),
            ),
        ),
        Archetype(
            "fertiliser", "43(1)", "20121", 3,
            "ผลิตปุ๋ยอินทรีย์และปุ๋ยอินทรีย์เคมี",
            "organic and organo-mineral fertiliser",
            "t/yr", (10_000, 30_000), (25, 70), (600, 1_800), (40, 150),
            (
                _in(R, "distillery_slop", 0.30, price=50),
                _in(R, "urea", 0.12, price=16_000),
                _in(R, "potash", 0.08, price=14_000),
                _in(E, "electricity", 0.03, "MWh/yr", price=3_600),
                _out(P, "fertiliser", 1.0, price=9_000),
                _out(X, "plastic_scrap", 0.002, code="150102", disposal="071"),
            ),
        ),
        Archetype(
            "bakery", "10(1)", "10711", 3,
            "ผลิตขนมปัง เบเกอรี่ และขนมอบ",
            "bread, bakery and baked snacks",
            "t/yr", (2_000, 9_000), (120, 450), (800, 2_500), (100, 500),
            (
                _in(R, "wheat_flour", 0.70, price=17_000),
                _in(R, "sugar", 0.12, price=19_000),
                _in(E, "steam", 0.9, price=650),
                _in(E, "natural_gas", 0.4, "MWh/yr", price=1_300),
                _in(E, "electricity", 0.35, "MWh/yr", price=3_600),
                _in(W, "water", 2.0, "m3/yr", price=12),
                _out(P, "bakery_products", 1.0),
                _out(X, "food_waste", 0.035, code="020601", disposal="011", price=500),
                _out(X, "paper_scrap", 0.012, code="150101", disposal="011", price=3_000),
                _out(X, "plastic_scrap", 0.006, code="150102", disposal="071"),
                _out(WW, "wastewater", 1.6, "m3/yr"),
            ),
        ),
        Archetype(
            "beverage", "20(2)", "11049", 3,
            "ผลิตเครื่องดื่มไม่มีแอลกอฮอล์บรรจุขวด",
            "bottled soft drinks",
            "t/yr", (20_000, 70_000), (80, 250), (1_500, 5_000), (250, 900),
            (
                _in(R, "sugar", 0.09, price=19_000),
                _in(R, "glass_bottles", 0.05),
                _in(E, "steam", 0.25, price=650),
                _in(E, "electricity", 0.08, "MWh/yr", price=3_600),
                _in(W, "water", 2.4, "m3/yr", price=12),
                _out(P, "beverages", 1.0),
                _out(X, "glass_cullet", 0.012, code="150107", disposal="071", price=1_200),
                _out(X, "plastic_scrap", 0.004, code="150102", disposal="011", price=6_000),
                _out(X, "spent_grain", 0.010, code="020704", disposal="071"),
                _out(WW, "wastewater", 1.3, "m3/yr"),
            ),
        ),
        Archetype(
            "glass_containers", "54", "23101", 3,
            "ผลิตขวดและบรรจุภัณฑ์แก้ว",
            "glass bottles and containers",
            "t/yr", (40_000, 90_000), (150, 320), (9_000, 16_000), (1_500, 3_000),
            (
                _in(R, "silica_sand", 0.62, price=900),
                _in(R, "soda_ash", 0.19, price=11_000),
                _in(R, "glass_cullet", 0.30, price=1_200),
                _in(E, "natural_gas", 1.7, "MWh/yr", price=1_300),
                _in(E, "electricity", 0.25, "MWh/yr", price=3_600),
                _in(W, "water", 0.6, "m3/yr", price=12),
                _out(P, "glass_containers", 1.0, price=14_000),
                _out(B, "waste_heat_medium", 0.30, "MWh/yr"),
                _out(X, "used_oil", 0.0003, code="130205", disposal="075"),
                _out(M, "co2", 0.50),
                _out(WW, "wastewater", 0.3, "m3/yr"),
            ),
        ),
        Archetype(
            "paper_mill", "38(2)", "17012", 3,
            "ผลิตกระดาษคราฟท์และกระดาษลูกฟูกจากเยื่อกระดาษรีไซเคิล",
            "kraft and corrugating paper from recycled fibre",
            "t/yr", (60_000, 150_000), (150, 300), (20_000, 40_000), (2_000, 5_000),
            (
                _in(R, "paper_scrap", 1.15, price=3_000),
                _in(E, "steam", 2.4, price=650),
                _in(E, "electricity", 0.45, "MWh/yr", price=3_600),
                _in(W, "water", 10.0, "m3/yr", price=12),
                _out(P, "kraft_paper", 1.0, price=17_000),
                _out(X, "pulping_rejects", 0.06, code="030307", disposal="071"),
                _out(X, "wastewater_sludge", 0.07, code="030311", disposal="071"),
                _out(WW, "wastewater", 8.5, "m3/yr"),
            ),
        ),
        Archetype(
            "corrugated_boxes", "40(1)", "17020", 3,
            "ผลิตกระดาษลูกฟูกและกล่องกระดาษลูกฟูก",
            "corrugated board and boxes",
            "t/yr", (8_000, 30_000), (80, 260), (1_200, 4_000), (150, 600),
            (
                _in(R, "kraft_paper", 1.08, price=17_000),
                _in(R, "starch", 0.025, price=14_500),
                _in(E, "steam", 0.35, price=650),
                _in(E, "electricity", 0.12, "MWh/yr", price=3_600),
                _out(P, "corrugated_boxes", 1.0, price=26_000),
                _out(X, "paper_scrap", 0.08, code="150101", disposal="011", price=3_000),
                _out(WW, "wastewater", 0.2, "m3/yr"),
            ),
        ),
        Archetype(
            "sawmill", "34(1)", "16101", 3,
            "แปรรูปไม้และผลิตไม้สับจากไม้ยูคาลิปตัส",
            "sawmilling and eucalyptus wood chips",
            "t/yr", (8_000, 30_000), (15, 50), (300, 1_500), (20, 100),
            (
                _in(R, "logs", 1.45, price=1_200),
                _in(E, "electricity", 0.03, "MWh/yr", price=3_600),
                _out(P, "sawn_timber_chips", 1.0, price=2_000),
                _out(B, "wood_waste", 0.32, code="030105", disposal="041", price=700),
                _out(X, "wood_waste", 0.12, code="030101", disposal="071"),
            ),
        ),
        Archetype(
            "particle_board", "34(3)", "16210", 3,
            "ผลิตแผ่นไม้ปาร์ติเคิลบอร์ดและแผ่นใยไม้อัด",
            "particle board and fibreboard",
            "t/yr", (40_000, 90_000), (120, 250), (8_000, 15_000), (900, 2_000),
            (
                _in(R, "wood_waste", 1.15, price=700),
                _in(R, "resin", 0.08),
                _in(E, "steam", 0.9, price=650),
                _in(E, "electricity", 0.16, "MWh/yr", price=3_600),
                _out(P, "particle_board", 1.0, price=9_500),
                _out(X, "wood_waste", 0.05, code="030105", disposal="041", price=700),
                _out(WW, "wastewater", 0.3, "m3/yr"),
            ),
        ),
        Archetype(
            "biogas", "89", "35201", 3,
            "ผลิตก๊าซชีวภาพจากน้ำเสียและของเสียอินทรีย์",
            "biogas from wastewater and organic waste",
            "MWh/yr", (15_000, 30_000), (8, 20), (400, 900), (80, 200),
            (
                _in(R, "food_waste", 0.10, price=200),
                _in(R, "cassava_peel", 0.20),
                _in(WW, "wastewater", 12.0, "m3/yr"),
                _out(P, "biogas", 1.0, "MWh/yr", price=1_100),
                _out(B, "digestate", 0.15, code="020305", disposal="011", price=300),
                _out(B, "treated_wastewater", 11.0, "m3/yr"),
            ),
        ),
        Archetype(
            "industrial_gas", "89", "20111", 3,
            "ผลิตก๊าซออกซิเจน ไนโตรเจน และอาร์กอนสำหรับอุตสาหกรรม",
            "industrial oxygen, nitrogen and argon",
            "t/yr", (40_000, 80_000), (25, 50), (8_000, 15_000), (600, 1_200),
            (
                _in(E, "electricity", 0.45, "MWh/yr", price=3_600),
                _in(W, "water", 0.8, "m3/yr", price=12),
                _out(P, "oxygen", 0.55, price=4_000),
                _out(P, "nitrogen", 0.42, price=3_500),
                _out(B, "waste_heat_low", 0.12, "MWh/yr"),
                _out(X, "used_oil", 0.00005, code="130205", disposal="075"),
                _out(WW, "wastewater", 0.3, "m3/yr"),
            ),
        ),
    )
}
# fmt: on
"""Every archetype, by key."""
