"""Symbiosis: catalogue back-off, gates, grades, the LP against greedy, and the receivers query."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from ecogis.errors import DataValidationError, EcogisError
from ecogis.symbiosis import (
    SymbiosisOptions,
    allocate,
    build_links,
    compatible_receivers,
    find_candidates,
    greedy_allocate,
    load_catalogue,
    material_contributions,
    normalise_waste_code,
    receivers_query,
    stream_report,
    summarise_areas,
)
from ecogis.symbiosis.allocation import UNWEIGHTED, objective_value, parse_grade_confidence

# 1 km of longitude at 14° N is about 1/108 degree.
KM = 1 / 108.0


def factories(*rows: tuple[str, str, int, float, bool]) -> gpd.GeoDataFrame:
    """Factories from (id, tsic, diw_type_main, km east of 101.0°E, waste_permit)."""
    ids, tsic, main, km, permit = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {
            "factory_id": list(ids),
            "tsic": list(tsic),
            "diw_type_main": list(main),
            "waste_permit": list(permit),
            "workers": [100] * len(ids),
            "status": ["operating"] * len(ids),
            "zone_id": ["Z1"] * len(ids),
            "pro_code": ["25"] * len(ids),
        },
        geometry=gpd.points_from_xy([101.0 + k * KM for k in km], [14.0] * len(ids)),
        crs=4326,
    )


def flows(*rows: tuple[str, str, str, str, str, str | None, str, float]) -> pd.DataFrame:
    """Flows from (factory, flow_id, direction, kind, material, code, hazard, t/yr)."""
    frame = pd.DataFrame(
        rows,
        columns=["factory_id", "flow_id", "direction", "flow_kind", "material", "waste_code",
                 "hazardous", "quantity"],
    )  # fmt: skip
    frame["unit"] = "t/yr"
    frame["price_thb_per_unit"] = np.nan
    return frame


# ---------------------------------------------------------------- catalogue and codes
@pytest.mark.parametrize("text", ["100102", "10 01 02", "10-01-02", "10 01 02*", " 10.01.02 "])
def test_code_forms(text: str) -> None:
    code, starred = normalise_waste_code(text)
    assert code == "100102"
    assert starred == text.strip().endswith("*")


@pytest.mark.parametrize("text", ["1001", "10 01 0", "abcdef", "", "2101 02", "00 01 02"])
def test_malformed_codes_are_refused(text: str) -> None:
    with pytest.raises(DataValidationError, match=r"waste code|chapter"):
        normalise_waste_code(text, source="form.csv", row=7, field="waste_code")


def test_back_off_from_code_to_subchapter_to_chapter() -> None:
    exact = compatible_receivers(waste_code="100102")
    assert set(exact["level"]) == {"code"}
    sub = compatible_receivers(waste_code="100199")  # not in the catalogue: 1001 answers
    assert set(sub["level"]) == {"subchapter"}
    assert "23941" in set(sub["tsic"])
    chapter = compatible_receivers(waste_code="109999")  # no 1099 either: chapter 10
    assert set(chapter["level"]) == {"chapter"}
    assert chapter["tsic"].iloc[0] == "23941"


def test_every_chapter_backs_off_to_something() -> None:
    for ch in range(1, 21):
        found = compatible_receivers(waste_code=f"{ch:02d}9999")
        assert len(found) >= 2, ch
        assert set(found["tsic"]) <= set(load_catalogue().tsic.index)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("10 01 02", {"23941", "23951", "23921"}),
        ("13 02 05*", {"19200", "38221"}),
        ("14 06 03*", {"20119", "38221"}),
        ("15 01 01", {"17011"}),
        ("12 01 01", {"24101", "24200"}),
        ("15 01 07", {"23101"}),
        ("15 01 02", {"22209", "38300"}),
        ("03 01 05", {"16211", "35101"}),
        ("bagasse", {"35101", "17011"}),
        ("molasses", {"11011", "20119"}),
        ("cassava_pulp", {"10800"}),
        ("19 08 14", {"23941", "20121"}),
        ("10 01 05", {"23941", "23952"}),
        ("steam", {"20119"}),
        ("treated_wastewater", {"35101"}),
        # Kalundborg: power-plant steam to the refinery and the pharmaceutical plant.
        ("steam", {"19200", "21002"}),
        ("17 08 02", {"23952"}),  # NISP: plasterboard offcuts back to plasterboard
        ("16 01 03", {"23941"}),  # tyres co-processed in cement kilns
        ("10 02 07*", {"24200"}),  # arc-furnace dust to zinc recovery (Waelz)
        ("10 02 02", {"23941"}),  # blast-furnace slag to cement
        ("20 01 25", {"20119"}),  # used cooking oil to biodiesel
        ("palm_kernel", {"10401"}),  # Thai palm mills sell kernels to kernel crushers
        ("rice_bran", {"10401", "10800"}),  # Thai rice mills: bran oil and feed
        ("emission_co2", {"20119"}),  # ethanol-plant CO2 to gas companies
        ("02 07 02", {"20121"}),  # distillery slop to fertiliser
    ],
)
def test_known_exchanges_rank_in_the_top_five(query: str, expected: set[str]) -> None:
    top = receivers_query(query, top=5)
    assert expected <= set(top["tsic"])
    assert top["score"].is_monotonic_decreasing


def test_receivers_refuses_an_unknown_material() -> None:
    with pytest.raises(DataValidationError, match="neither a waste code nor a material"):
        receivers_query("unobtainium")


def test_every_hazardous_code_of_the_real_list_has_a_lawful_route(shared_data: Path) -> None:
    ewc = pd.read_csv(shared_data / "symbiosis" / "ewc_list_of_waste.csv", dtype=str)
    assert len(ewc) == 842
    for row in ewc.itertuples(index=False):
        found = compatible_receivers(
            waste_code=row.ewc_code, hazardous=row.hazardous == "Y", fill_to=5
        )
        assert len(found) >= 1, row.ewc_code
        if row.hazardous == "Y":
            assert "38221" in set(found["tsic"]), row.ewc_code


def test_catalogue_materials_cover_the_shared_vocabulary() -> None:
    vocab = [
        "fly_ash", "bottom_ash", "steel_slag", "foundry_sand", "fgd_gypsum", "plastic_scrap",
        "paper_scrap", "glass_cullet", "metal_scrap", "wood_waste", "used_oil", "spent_solvent",
        "spent_catalyst", "wastewater_sludge", "rice_husk", "rice_husk_ash", "bagasse",
        "cassava_pulp", "cassava_peel", "palm_efb", "palm_fibre", "palm_shell", "molasses",
        "distillery_slop", "spent_grain", "food_waste", "steam", "waste_heat_low",
        "waste_heat_medium", "waste_heat_high", "treated_wastewater",
    ]  # fmt: skip
    cat = load_catalogue()
    keys = set(cat.compat["key"])
    for material in vocab:
        assert material in cat.materials.index, material
        assert material in keys, material


# ---------------------------------------------------------------- candidates and gates
def test_distance_gate_and_the_report_line() -> None:
    fac = factories(
        ("ASH", "35101", 88, 0.0, False),
        ("NEAR", "23941", 57, 50.0, False),  # 50 km × 1.3 = 65 road km, within 150
        ("FAR", "23951", 58, 200.0, False),  # 260 road km, beyond 150
    )
    fl = flows(("ASH", "O1", "out", "waste", "fly_ash", "100102", "none", 1000.0))
    cand, _ = find_candidates(fl, fac)
    assert set(cand["receiver_id"]) == {"NEAR"}
    assert cand["distance_km"].iloc[0] == pytest.approx(65.0, rel=0.02)
    cand2, streams2 = find_candidates(fl, fac[fac["factory_id"] != "NEAR"])
    assert cand2.empty
    assert "beyond the 150 km limit" in streams2["finding"].iloc[0]


def test_hazardous_streams_go_only_to_licensed_receivers() -> None:
    fac = factories(
        ("GARAGE", "29309", 77, 0.0, False),
        ("KILN", "23941", 57, 2.0, False),  # compatible (kiln fuel) but not licensed
        ("RECYCLER", "38300", 106, 5.0, False),
        ("PERMITKILN", "23941", 57, 8.0, True),  # a kiln with a permit
    )
    fl = flows(("GARAGE", "O1", "out", "waste", "used_oil", "130205", "HA", 10.0))
    cand, _ = find_candidates(fl, fac)
    assert set(cand["receiver_id"]) == {"RECYCLER", "PERMITKILN"}
    # A mirror entry is hazardous by default, and may go to ordinary factories only when told.
    fl_hm = flows(("GARAGE", "O1", "out", "waste", "wastewater_sludge", "190814", "HM", 10.0))
    strict, _ = find_candidates(fl_hm, fac)
    assert "KILN" not in set(strict["receiver_id"])
    loose, _ = find_candidates(fl_hm, fac, options=SymbiosisOptions(hm_is_hazardous=False))
    assert "KILN" in set(loose["receiver_id"])


def test_grades_follow_the_evidence() -> None:
    fac = factories(
        ("MILL", "10611", 9, 0.0, False),
        ("POWER", "35101", 88, 3.0, False),  # declares rice husk: A
        ("KILN", "23941", 57, 4.0, False),  # catalogue precedent for rice husk: B
    )
    fl = flows(
        ("MILL", "O1", "out", "by_product", "rice_husk", "020103", "none", 5000.0),
        ("POWER", "I1", "in", "raw_material", "rice_husk", None, "none", 3000.0),
        ("MILL", "O2", "out", "waste", "mystery_residue", "109999", "none", 100.0),
    )
    cand, _ = find_candidates(fl, fac)
    husk = cand[cand["material"] == "rice_husk"].set_index("receiver_id")
    assert husk.at["POWER", "grade"] == "A"
    assert husk.at["POWER", "capacity"] == pytest.approx(3000.0)
    assert husk.at["POWER", "quantity_fit"] == pytest.approx(0.6)
    assert husk.at["KILN", "grade"] == "B"
    assert "precedent" in husk.at["KILN", "grade_reason"]
    assert husk.at["POWER", "score"] > husk.at["KILN", "score"]
    residue = cand[cand["material"] == "mystery_residue"]
    assert (residue["grade"] == "C").all()
    assert residue["grade_reason"].str.contains("back-off").all()


def test_no_receiver_anywhere_is_reported() -> None:
    fac = factories(("A", "10611", 9, 0.0, False), ("B", "23941", 57, 1.0, False))
    fl = flows(("A", "O1", "out", "by_product", "unheard_of_stuff", None, "none", 10.0))
    cand, streams = find_candidates(fl, fac)
    assert cand.empty
    assert streams["finding"].iloc[0].startswith("no receiver anywhere")
    report = stream_report(streams, cand, pd.Series(dtype=float), objective="benefit")
    assert report["status"].iloc[0] == "no_candidate"
    assert report["unallocated"].iloc[0] == pytest.approx(10.0)


def test_inputs_are_not_mutated() -> None:
    fac = factories(("ASH", "35101", 88, 0.0, False), ("KILN", "23941", 57, 5.0, False))
    fl = flows(("ASH", "O1", "out", "waste", "fly_ash", "100102", "none", 1000.0))
    fac_before, fl_before = fac.copy(), fl.copy()
    find_candidates(fl, fac)
    pd.testing.assert_frame_equal(fl, fl_before)
    assert_geodataframe_equal(fac, fac_before)


# ---------------------------------------------------------------- allocation
def _hand_built() -> pd.DataFrame:
    """Two streams, two receivers. A can go to X (10/t) or Y (9/t); B only to X (8/t)."""
    return pd.DataFrame(
        {
            "stream_id": ["A", "A", "B"],
            "capacity_node": ["X", "Y", "X"],
            "supply": [100.0, 100.0, 100.0],
            "capacity": [100.0, 100.0, 100.0],
            "benefit_thb_per_unit": [10.0, 9.0, 8.0],
            "mass_t_per_unit": [1.0, 1.0, 1.0],
            "net_co2e_kg_per_unit": [1.0, 1.0, 1.0],
        },
        index=[10, 11, 12],
    )


def test_lp_beats_greedy_on_a_hand_built_case() -> None:
    cand = _hand_built()
    lp = allocate(cand)
    greedy = greedy_allocate(cand)
    # Greedy takes A→X first (best 10/t) and leaves B with nowhere to go: 1,000 THB.
    assert list(greedy) == [100.0, 0.0, 0.0]
    assert objective_value(cand, greedy) == pytest.approx(1000.0)
    # The LP sends A to Y so that B can use X: 900 + 800 = 1,700 THB.
    assert list(lp.round(6)) == [0.0, 100.0, 100.0]
    assert objective_value(cand, lp) == pytest.approx(1700.0)
    assert list(lp.index) == [10, 11, 12]


def test_allocation_respects_supply_capacity_and_objective() -> None:
    cand = _hand_built().assign(capacity=[60.0, 30.0, 60.0])
    x = allocate(cand, objective="tonnes")
    assert x.groupby(cand["stream_id"]).sum().le(100.0 + 1e-9).all()
    assert x.groupby(cand["capacity_node"]).sum().max() <= 60.0 + 1e-9
    assert x.sum() == pytest.approx(90.0)  # both nodes full
    losing = _hand_built().assign(benefit_thb_per_unit=[-1.0, -2.0, -3.0])
    assert allocate(losing).sum() == 0.0
    with pytest.raises(Exception, match="unknown objective"):
        allocate(cand, objective="happiness")


def test_the_declared_receiver_wins_over_a_nearer_compatible_one() -> None:
    # A garage's used oil: the re-refiner 6 km away declares used oil as an input (grade A);
    # a licensed central treatment plant 5 km away could take it too (grade B) and, on
    # money alone, pays more (catalogue value + a shorter haul).
    fac = factories(
        ("GARAGE", "29309", 77, 0.0, False),
        ("TREAT", "38300", 106, 5.0, False),
        ("REFINER", "19200", 106, 6.0, False),
    )
    fl = flows(
        ("GARAGE", "O1", "out", "waste", "used_oil", "130205", "HA", 50.0),
        ("REFINER", "I1", "in", "raw_material", "used_oil", None, "none", 5000.0),
    )
    fl["price_thb_per_unit"] = [np.nan, 6000.0]
    cand, _ = find_candidates(fl, fac)
    by = cand.set_index("receiver_id")
    assert by.at["REFINER", "grade"] == "A"
    assert by.at["TREAT", "grade"] == "B"
    assert by.at["TREAT", "distance_km"] < by.at["REFINER", "distance_km"]
    assert by.at["TREAT", "benefit_thb_yr"] > by.at["REFINER", "benefit_thb_yr"]
    chosen = cand.loc[allocate(cand) > 0, "receiver_id"]
    assert list(chosen) == ["REFINER"]
    # Without the evidence weight the money-only LP picks the nearer plant.
    plain = cand.loc[allocate(cand, grade_confidence=UNWEIGHTED) > 0, "receiver_id"]
    assert list(plain) == ["TREAT"]
    # Expected value: the plain benefit × the grade's confidence (B 0.6 for the plant).
    to_treat = pd.Series(np.where(cand["receiver_id"] == "TREAT", 50.0, 0.0), index=cand.index)
    assert objective_value(cand, to_treat) == pytest.approx(
        0.6 * objective_value(cand, to_treat, grade_confidence=UNWEIGHTED)
    )


def test_grade_confidence_weights_the_lp_and_greedy_alike() -> None:
    # The hand-built case with grades: B at 0.6 turns A→Y (9/t, grade B) into 5.4/t.
    cand = _hand_built().assign(grade=["A", "B", "A"])
    lp, greedy = allocate(cand), greedy_allocate(cand)
    assert objective_value(cand, greedy) == pytest.approx(1000.0)
    assert objective_value(cand, lp) == pytest.approx(100 * 5.4 + 800.0)
    assert objective_value(cand, lp, grade_confidence=UNWEIGHTED) == pytest.approx(1700.0)
    # At C = 0.05 the B-graded exchange weighs less than what it displaces: greedy's choice.
    weak = {"A": 1.0, "B": 0.05, "C": 0.0}
    assert list(allocate(cand, grade_confidence=weak).round(6)) == [100.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A=1,B=0.6,C=0.3", (1.0, 0.6, 0.3)), ("1,1,1", (1.0, 1.0, 1.0)), ("b=0.5", (1.0, 0.5, 0.3))],
)
def test_grade_confidence_text(text: str, expected: tuple[float, float, float]) -> None:
    got = parse_grade_confidence(text)
    assert (got["A"], got["B"], got["C"]) == expected


@pytest.mark.parametrize("text", ["A=2", "Z=0.5", "A=x", "1,1,1,1"])
def test_grade_confidence_text_refused(text: str) -> None:
    with pytest.raises(EcogisError, match="grade confidence"):
        parse_grade_confidence(text)


def test_end_to_end_competition_for_one_kiln() -> None:
    fac = factories(
        ("ASH1", "35101", 88, 0.0, False),
        ("ASH2", "35101", 88, 60.0, False),
        ("KILN", "23941", 57, 30.0, False),
    )
    fl = flows(
        ("ASH1", "O1", "out", "waste", "fly_ash", "100102", "none", 800.0),
        ("ASH2", "O1", "out", "waste", "fly_ash", "100102", "none", 800.0),
        ("KILN", "I1", "in", "raw_material", "fly_ash", None, "none", 1000.0),
    )
    cand, streams = find_candidates(fl, fac)
    x = allocate(cand)
    report = stream_report(streams, cand, x, objective="benefit")
    assert x.sum() == pytest.approx(1000.0)  # the kiln's declared intake
    assert report["unallocated"].sum() == pytest.approx(600.0)
    assert set(report["status"]) <= {"allocated", "partial"}


# ---------------------------------------------------------------- road network
def _roads(*lines: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    """Road lines from vertices given in km east/north of (101.0°E, 14.0°N)."""
    from shapely import LineString

    geoms = [LineString([(101.0 + x * KM, 14.0 + y / 110.6) for x, y in line]) for line in lines]
    return gpd.GeoDataFrame({"name": [f"r{i}" for i in range(len(geoms))]}, geometry=geoms,
                            crs=4326)  # fmt: skip


def test_road_network_distance_replaces_the_detour_factor() -> None:
    fac = factories(("ASH", "35101", 88, 0.0, False), ("KILN", "23941", 57, 10.0, False))
    fl = flows(("ASH", "O1", "out", "waste", "fly_ash", "100102", "none", 1000.0))
    # An L-shaped detour: 20 km north, 10 km east, 20 km south = 50 km by road.
    roads = _roads([(0, 0), (0, 20), (10, 20), (10, 0)])
    cand, streams = find_candidates(fl, fac, roads=roads)
    assert cand["distance_km"].iloc[0] == pytest.approx(50.0, rel=0.02)
    assert streams["distance_basis"].iloc[0] == "road network"
    straight, _ = find_candidates(fl, fac)
    assert straight["distance_km"].iloc[0] == pytest.approx(13.0, rel=0.02)


def test_unreachable_on_the_road_network_is_reported() -> None:
    fac = factories(("ASH", "35101", 88, 0.0, False), ("KILN", "23941", 57, 10.0, False))
    fl = flows(("ASH", "O1", "out", "waste", "fly_ash", "100102", "none", 1000.0))
    roads = _roads([(0, 0), (0, 5)], [(10, 0), (10, 5)])  # two roads that never meet
    cand, streams = find_candidates(fl, fac, roads=roads)
    assert cand.empty
    assert "reachable on the road network" in streams["finding"].iloc[0]


# ---------------------------------------------------------------- benefit figures
def test_a_sold_by_product_earns_only_the_buyers_saving_and_is_not_diverted() -> None:
    fac = factories(("MILL", "10721", 9, 0.0, False), ("DIST", "20119", 44, 5.0, False))
    fl = flows(
        ("MILL", "O1", "out", "by_product", "molasses", "020499", "none", 1000.0),
        ("DIST", "I1", "in", "raw_material", "molasses", None, "none", 5000.0),
    )
    fl["price_thb_per_unit"] = [4500.0, 4500.0]
    cand, streams = find_candidates(fl, fac)
    row = cand[cand["receiver_id"] == "DIST"].iloc[0]
    assert bool(row["already_sold"]) and bool(streams["already_sold"].iloc[0])
    assert row["price_source"].startswith("buyer's saving")
    # Catalogue value of what it replaces (0.68 t of cassava chips, 4,800 THB) − price paid,
    # at the indicative factor 0.9: 270 THB/t, not the 4,500 THB/t the molasses sells for.
    assert row["value_thb_yr"] == pytest.approx(1000.0 * 300.0 * 0.9)
    # No avoided disposal: the substitution credit only, ratio × (primary − processing).
    assert row["avoided_co2e_t_yr"] == pytest.approx(1000.0 * (150.0 - 30.0) / 1000.0)
    x = allocate(cand)
    report = stream_report(streams, cand, x, objective="benefit")
    links = build_links(cand, x, fac)
    summary = summarise_areas(report, links, fac)
    whole = summary[summary["area_type"] == "all"].iloc[0]
    assert whole["exchanged_t_yr"] == pytest.approx(1000.0)
    assert whole["diverted_t_yr"] == 0.0 and whole["offered_t_yr"] == 0.0


def test_a_priced_waste_is_already_sold_but_an_unpriced_one_is_diverted() -> None:
    fac = factories(("PARTS", "29309", 77, 0.0, False), ("MILL", "24101", 64, 5.0, False))
    fl = flows(
        ("PARTS", "O1", "out", "waste", "metal_scrap", "120101", "none", 100.0),
        ("PARTS", "O2", "out", "waste", "metal_scrap", "120101", "none", 50.0),
    )
    fl["price_thb_per_unit"] = [9000.0, np.nan]
    cand, streams = find_candidates(fl, fac)
    assert streams.set_index("flow_id")["already_sold"].to_dict() == {"O1": True, "O2": False}
    x = allocate(cand)
    report = stream_report(streams, cand, x, objective="benefit")
    summary = summarise_areas(report, build_links(cand, x, fac), fac)
    whole = summary[summary["area_type"] == "all"].iloc[0]
    assert whole["diverted_t_yr"] == pytest.approx(50.0)
    assert whole["offered_t_yr"] == pytest.approx(50.0)
    by = material_contributions(cand, x, report)
    assert by["diverted_t_yr"].sum() == pytest.approx(50.0)
    assert by["benefit_thb_yr"].sum() == pytest.approx(whole["benefit_thb_yr"])
    assert by["net_co2e_t_yr"].sum() == pytest.approx(whole["net_co2e_t_yr"])


def test_avoided_burden_is_primary_minus_secondary_times_ratio() -> None:
    # Steel scrap into an arc furnace: DEFRA 2022 3.10 − 1.74 kg CO2e/kg, ratio 1.
    fac = factories(("PARTS", "29309", 77, 0.0, False), ("MILL", "24101", 64, 5.0, False))
    fl = flows(("PARTS", "O1", "out", "waste", "metal_scrap", "120101", "none", 100.0))
    cand, _ = find_candidates(fl, fac)
    row = cand.iloc[0]
    disposal = load_catalogue().materials.at["metal_scrap", "disposal_kgco2e_per_unit"]
    assert row["avoided_co2e_t_yr"] == pytest.approx(100.0 * (3101 - 1741 + disposal) / 1000.0)


def test_ferrous_scrap_does_not_go_to_an_aluminium_smelter() -> None:
    fac = factories(
        ("PARTS", "29309", 77, 0.0, False),
        ("ALU", "24200", 60, 3.0, False),
        ("MILL", "24101", 64, 5.0, False),
    )
    ferrous = flows(("PARTS", "O1", "out", "waste", "metal_scrap", "120101", "none", 100.0))
    assert set(find_candidates(ferrous, fac)[0]["receiver_id"]) == {"MILL"}
    nonferrous = flows(("PARTS", "O1", "out", "waste", "metal_scrap", "120103", "none", 100.0))
    assert set(find_candidates(nonferrous, fac)[0]["receiver_id"]) == {"ALU"}


def test_biogenic_fuel_credits_only_the_fossil_it_displaces() -> None:
    # Rice husk in a kiln displaces coal heat (≈ 3.8 MWh/t × 0.34 t CO2/MWh); in a biomass
    # power plant only grid electricity (≈ 3.8 × 25 % × 0.5 t CO2e/MWh).
    fac = factories(
        ("RICE", "10611", 9, 0.0, False),
        ("POWER", "35101", 88, 3.0, False),
        ("KILN", "23941", 57, 4.0, False),
    )
    fl = flows(("RICE", "O1", "out", "waste", "rice_husk", "020103", "none", 100.0))
    cand, _ = find_candidates(fl, fac)
    per_t = cand.set_index("receiver_id")["avoided_co2e_t_yr"] / 100.0
    disposal = load_catalogue().materials.at["rice_husk", "disposal_kgco2e_per_unit"] / 1000.0
    assert per_t["POWER"] - disposal == pytest.approx(0.475 - 0.010)
    assert per_t["KILN"] - disposal == pytest.approx(1.300 - 0.010)


def test_a_cascade_is_sold_only_when_priced() -> None:
    fac = factories(("POWER", "35101", 88, 0.0, False), ("CHEM", "20119", 42, 1.0, False))
    fl = flows(
        ("POWER", "O1", "out", "by_product", "steam", None, "none", 1000.0),
        ("POWER", "O2", "out", "by_product", "waste_heat_high", None, "none", 500.0),
    )
    fl["unit"] = ["t/yr", "MWh/yr"]
    fl["price_thb_per_unit"] = [650.0, np.nan]
    _, streams = find_candidates(fl, fac)
    sold = streams.set_index("material")["already_sold"]
    assert bool(sold["steam"]) and not bool(sold["waste_heat_high"])
