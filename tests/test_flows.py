"""Mass-balance form parsing (units, densities, bad input) and closure checks."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from ecogis.errors import DataValidationError, EcogisError, InputFileError, UnitError
from ecogis.flows import check_flows, mass_balance, mass_balance_areas, parse_flow_form

HEADER = [
    "factory_id", "flow_id", "direction", "flow_kind", "material", "waste_code", "hazardous",
    "quantity", "unit", "year",
]  # fmt: skip


def form(*rows: list[str | None]) -> pd.DataFrame:
    """A form as read_table gives it: text cells, index = spreadsheet row (header = 1)."""
    frame = pd.DataFrame(list(rows), columns=HEADER, dtype="string")
    frame.index = range(2, 2 + len(frame))
    return frame


def one(quantity: str, unit: str, material: str = "coal", kind: str = "raw_material") -> float:
    out = parse_flow_form(
        form(["F1", None, "in", kind, material, None, None, quantity, unit, "2024"]),
        source="form.csv",
        known_factory_ids={"F1"},
    )
    return float(out["quantity"].iloc[0])


@pytest.mark.parametrize(
    ("quantity", "unit", "expected", "canonical"),
    [
        ("120", "ตัน/ปี", 120.0, "t/yr"),
        ("10", "ตัน/เดือน", 120.0, "t/yr"),
        ("1,000", "กก./วัน", 365.25, "t/yr"),
        ("5", "ลบ.ม./วัน", 5 * 365.25, "m3/yr"),
        ("2000", "kWh/เดือน", 24.0, "MWh/yr"),
        ("3", "t/yr", 3.0, "t/yr"),
        ("2000", "หน่วย/เดือน", 24.0, "MWh/yr"),
        ("5", "คิว/วัน", 5 * 365.25, "m3/yr"),
    ],
)
def test_units_are_canonical(quantity: str, unit: str, expected: float, canonical: str) -> None:
    energy = "kWh" in unit or "หน่วย" in unit
    kind = "energy" if energy else "water" if "ลบ.ม" in unit or "คิว" in unit else "raw_material"
    material = "electricity" if kind == "energy" else "water" if kind == "water" else "coal"
    out = parse_flow_form(
        form(["F1", None, "in", kind, material, None, None, quantity, unit, "2024"]),
        source="form.csv",
        known_factory_ids={"F1"},
    )
    assert out["unit"].iloc[0] == canonical
    assert out["quantity"].iloc[0] == pytest.approx(expected)


def test_volume_of_known_material_becomes_mass_by_its_density() -> None:
    # Fly ash: 0.90 t/m³ in the materials catalogue.
    assert one("100", "ลบ.ม./ปี", material="fly_ash", kind="waste") == pytest.approx(90.0)


def test_density_column_overrides_the_catalogue() -> None:
    raw = form(["F1", None, "out", "waste", "fly_ash", "100102", None, "100", "m3/yr", "2024"])
    raw["density"] = "1.2"
    out = parse_flow_form(raw, source="f.csv", known_factory_ids=None)
    assert out["quantity"].iloc[0] == pytest.approx(120.0)
    assert out["unit"].iloc[0] == "t/yr"


def test_codes_years_hazard_marks_and_flow_ids() -> None:
    out = parse_flow_form(
        form(
            ["F1", None, "ออก", "ของเสีย", "used_oil", "13 02 05*", None, "2", "ตัน/ปี", "2567"],
            ["F1", None, "out", "waste", "fly_ash", "10-01-02", None, "9", "t/yr", "2024"],
            ["F2", "X9", "in", "วัตถุดิบ", "limestone", None, None, "50", "t/yr", None],
        ),
        source="form.csv",
        known_factory_ids={"F1", "F2"},
    )
    assert list(out["waste_code"].iloc[:2]) == ["130205", "100102"]
    assert list(out["hazardous"].iloc[:2]) == ["HA", "none"]
    assert out["year"].iloc[0] == 2024  # Buddhist Era 2567
    assert list(out["flow_id"]) == ["F001", "F002", "X9"]
    assert list(out["direction"]) == ["out", "out", "in"]
    assert list(out.index) == [2, 3, 4]


@pytest.mark.parametrize(
    ("row", "field", "words", "error"),
    [
        (["F1", None, "in", "raw_material", "coal", None, None, "5", "กระสอบ/วัน", None], "unit",
         "unknown unit", UnitError),
        (["F1", None, "in", "raw_material", "coal", None, None, "-5", "t/yr", None], "quantity",
         "negative", DataValidationError),
        (["F1", None, "in", "raw_material", "coal", None, None, None, "t/yr", None], "quantity",
         "missing", DataValidationError),
        (["F1", None, "out", "waste", "fly_ash", "10 01", None, "5", "t/yr", None], "waste_code",
         "not a waste code", DataValidationError),
        (["F1", None, "out", "waste", "fly_ash", "990102", None, "5", "t/yr", None], "waste_code",
         "chapter 99", DataValidationError),
        (["GHOST", None, "in", "raw_material", "coal", None, None, "5", "t/yr", None],
         "factory_id", "not in the workspace", DataValidationError),
        (["F1", None, "sideways", "raw_material", "coal", None, None, "5", "t/yr", None],
         "direction", "neither in nor out", DataValidationError),
    ],
)  # fmt: skip
def test_bad_rows_name_file_row_and_field(
    row: list[str | None], field: str, words: str, error: type[EcogisError]
) -> None:
    good = ["F1", None, "in", "water", "water", None, None, "10", "m3/yr", None]
    with pytest.raises(error) as info:
        parse_flow_form(form(good, row), source="form.xlsx", known_factory_ids={"F1"})
    exc = info.value
    assert exc.source == "form.xlsx"
    assert exc.row == 3  # header row 1, the good row 2, the bad one 3
    assert exc.field == field
    assert words in str(exc)


def test_every_bad_row_is_counted() -> None:
    bad = ["F1", None, "in", "raw_material", "coal", None, None, "-1", "t/yr", None]
    with pytest.raises(DataValidationError, match=r"and 2 more bad rows"):
        parse_flow_form(form(bad, bad, bad), source="f.csv", known_factory_ids=None)


def test_missing_columns_and_duplicate_flow_ids() -> None:
    with pytest.raises(InputFileError, match=r"no direction column \(also missing: flow_kind"):
        parse_flow_form(
            pd.DataFrame({"factory_id": ["F1"]}, dtype="string"), source="f.csv",
            known_factory_ids=None,
        )  # fmt: skip
    dup = ["F1", "A", "in", "water", "water", None, None, "1", "m3/yr", None]
    with pytest.raises(DataValidationError, match="appears twice") as info:
        parse_flow_form(form(dup, dup), source="f.csv", known_factory_ids=None)
    assert info.value.row == 3


def flows_frame(rows: list[tuple[str, str, str, str, str, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["factory_id", "flow_id", "direction", "flow_kind", "material", "quantity",
                       "unit"],
    )  # fmt: skip
    frame["waste_code"] = None
    frame["hazardous"] = "none"
    return frame


def factories_frame(*ids: str, workers: int = 100) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "factory_id": list(ids),
            "workers": [workers] * len(ids),
            "zone_id": ["Z1"] * len(ids),
            "pro_code": ["25"] * len(ids),
        },
        geometry=gpd.points_from_xy([101.4] * len(ids), [14.0] * len(ids)),
        crs=4326,
    )


def test_closure_checks_and_reasons() -> None:
    flows = flows_frame(
        [
            # A: closes (100 in, 95 out, within 10 %)
            ("A", "1", "in", "raw_material", "limestone", 100, "t/yr"),
            ("A", "2", "out", "product", "cement", 95, "t/yr"),
            # B: a coal boiler plus evaporation, outputs short
            ("B", "1", "in", "energy", "coal", 100, "t/yr"),
            ("B", "2", "in", "water", "water", 500, "m3/yr"),
            ("B", "3", "out", "waste", "fly_ash", 10, "t/yr"),
            ("B", "4", "out", "wastewater", "wastewater", 200, "m3/yr"),
            ("B", "5", "out", "product", "steam", 1, "t/yr"),
            # C: outputs exceed inputs
            ("C", "1", "in", "raw_material", "paddy", 10, "t/yr"),
            ("C", "2", "out", "product", "rice", 30, "t/yr"),
            # D: wet roots dried to starch
            ("D", "1", "in", "raw_material", "cassava_root", 400, "t/yr"),
            ("D", "2", "out", "product", "starch", 100, "t/yr"),
        ]
    )
    mb = mass_balance(flows, factories_frame("A", "B", "C", "D"), tolerance=0.1).set_index(
        "factory_id"
    )
    assert mb.at["A", "status"] == "closed"
    assert mb.at["B", "status"] == "outputs_short"
    assert "combustion gases" in mb.at["B", "explanation"]
    assert "water vapour" in mb.at["B", "explanation"]
    assert mb.at["C", "status"] == "outputs_exceed"
    assert "product moisture" in mb.at["D", "explanation"]
    assert mb.at["B", "inputs_t_yr"] == pytest.approx(600.0)
    assert mb.at["B", "energy_mwh_yr"] == pytest.approx(100 * 6.7)
    assert mb.at["B", "energy_mwh_per_worker"] == pytest.approx(6.7)
    assert mb.at["B", "water_m3_per_t_product"] == pytest.approx(500.0)
    assert mb.at["B", "waste_t_per_t_product"] == pytest.approx(10.0)
    areas = mass_balance_areas(mb.reset_index())
    zone = areas[(areas["area_type"] == "zone") & (areas["area_id"] == "Z1")].iloc[0]
    assert zone["factories"] == 4
    assert zone["factories_closed"] == 1
    assert zone["inputs_t_yr"] == pytest.approx(100 + 600 + 10 + 400)
    assert set(areas["area_type"]) == {"zone", "province", "all"}


def test_tolerance_is_a_stated_parameter() -> None:
    flows = flows_frame(
        [
            ("A", "1", "in", "raw_material", "limestone", 100, "t/yr"),
            ("A", "2", "out", "product", "cement", 85, "t/yr"),
        ]
    )
    loose = mass_balance(flows, factories_frame("A"), tolerance=0.2)
    strict = mass_balance(flows, factories_frame("A"), tolerance=0.1)
    assert loose["status"].iloc[0] == "closed"
    assert strict["status"].iloc[0] == "outputs_short"


def test_check_flows_refuses_what_analyses_cannot_trust() -> None:
    good = flows_frame([("A", "1", "in", "raw_material", "limestone", 100, "t/yr")])
    check_flows(good, {"A"})
    with pytest.raises(DataValidationError, match="not in the factories layer") as info:
        check_flows(good, {"B"})
    assert info.value.row == "A/1"
    with pytest.raises(DataValidationError, match="missing or negative"):
        check_flows(good.assign(quantity=-1.0), {"A"})
    with pytest.raises(UnitError):
        check_flows(good.assign(unit="kg/d"), {"A"})
    with pytest.raises(DataValidationError, match="not a waste code"):
        check_flows(good.assign(waste_code="10 01"), {"A"})
