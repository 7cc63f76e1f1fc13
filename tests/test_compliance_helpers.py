"""Hand-built workspaces for the compliance and assessment tests (no test functions here).

One industrial zone Z1 (100 ha, 8 ha green) with five factories, a sixth factory 500 m
outside it, a seventh in zone Z2 far away and an eighth without coordinates. Numbers are
chosen so that every indicator has a hand-computable answer (see the tests).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

from ecogis.workspace import Workspace

# Z1 spans lon 101.400–101.410, lat 14.000–14.010 (about 1.08 km × 1.11 km).
Z1 = box(101.400, 14.000, 101.410, 14.010)
Z2 = box(101.600, 14.200, 101.610, 14.210)


def zones() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "zone_id": ["Z1", "Z2"],
            "name_th": ["นิคมทดสอบ", "สวนทดสอบ"],
            "zone_type": ["estate", "park"],
            "pro_code": ["25", "25"],
            "area_ha": [100.0, 50.0],
            "green_area_ha": [8.0, None],
        },
        geometry=[Z1, Z2],
        crs=4326,
    )


def factories() -> gpd.GeoDataFrame:
    pts = [
        Point(101.402, 14.002),  # F1 chemicals, class 3
        Point(101.404, 14.004),  # F2 plastics, class 3
        Point(101.406, 14.006),  # F3 food, class 2
        Point(101.408, 14.008),  # F4 metal, class 3
        Point(101.405, 14.009),  # F5 waste service 106, class 3
        Point(101.415, 14.005),  # F6 outside Z1, ~540 m east of its edge
        Point(101.605, 14.205),  # F7 in Z2
        None,  # F8 unplaced, in Z1 by registry
    ]
    return gpd.GeoDataFrame(
        {
            "factory_id": [f"F{i}" for i in range(1, 9)],
            "name_th": [f"โรงงานทดสอบ {i}" for i in range(1, 9)],
            "name_en": [f"Test factory {i}" for i in range(1, 9)],
            "diw_type": ["42", "53", "9(6)", "64", "106", "53", "42", "88"],
            "diw_type_main": [42, 53, 9, 64, 106, 53, 42, 88],
            "factory_class": [3, 3, 2, 3, 3, 2, 3, 3],
            "workers": [350, 120, 40, 80, 25, 60, 500, None],
            "pro_code": ["25"] * 8,
            "zone_id": ["Z1", "Z1", "Z1", "Z1", "Z1", None, "Z2", "Z1"],
            "coord_flag": ["ok"] * 7 + ["missing"],
        },
        geometry=pts,
        crs=4326,
    )


def communities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "community_id": ["V1", "S1", "V2", "T1"],
            "name_th": ["บ้านทดสอบ", "โรงเรียนทดสอบ", "บ้านไกล", "วัดทดสอบ"],
            "kind": ["village", "school", "village", "temple"],
            "sensitive": [False, True, False, True],
            "population": [1200, 300, 5000, None],
        },
        geometry=[
            Point(101.402, 13.996),  # V1 ~440 m south of F1
            Point(101.404, 14.012),  # S1 ~890 m north of F2, ~480 m from F5
            Point(101.500, 14.100),  # V2 far from everything
            Point(101.420, 14.005),  # T1 ~540 m east of F6
        ],
        crs=4326,
    )


def compliance_records() -> pd.DataFrame:
    """F1: ISO 14001 + ISO 45001 + CSR, all legal items → no gap.
    F2: ISO 14001 expired on 2024-06-30, licence ok, no safety, no CSR.
    F3: nothing but a licence-free class 2 waste report.
    F4: GI3 (counts as environmental management), ISO 45001, CSR missing, licence 'no'.
    F5, F6, F7, F8: no records.
    """
    rows = [
        ("F1", "factory_licence", "yes", None, None, None),
        ("F1", "waste_report", "yes", None, "2024-02-01", "2026-03-01"),
        ("F1", "hazardous_manifest", "yes", None, None, None),
        ("F1", "pollution_staff", "yes", None, None, None),
        ("F1", "env_monitoring", "yes", None, None, "2026-06-30"),
        ("F1", "iso14001", "yes", None, "2023-01-01", "2026-12-31"),
        ("F1", "iso45001", "yes", None, "2023-01-01", "2026-12-31"),
        ("F1", "csr_diw", "yes", "2024", "2024-01-01", "2027-01-01"),
        ("F2", "factory_licence", "yes", None, None, None),
        ("F2", "iso14001", "yes", None, "2021-07-01", "2024-06-30"),
        ("F3", "waste_report", "yes", None, None, "2026-03-01"),
        ("F4", "green_industry", "yes", "GI3", None, "2027-01-01"),
        ("F4", "iso45001", "yes", None, None, "2027-01-01"),
        ("F4", "factory_licence", "no", None, None, None),
    ]
    return pd.DataFrame(
        rows, columns=["factory_id", "requirement", "status", "level", "issued", "valid_until"]
    ).assign(source="test")


def flows() -> pd.DataFrame:
    """Waste: F1 100 t hazardous to 073 landfill, 50 t solvent to 031 recovery;
    F2 200 t plastic scrap to 071 landfill; F4 150 t slag with no disposal code.
    Generated 500 t, recovered by code 50 t → 10 %. Hazardous 100 t, landfilled 100 t → 100 %.
    Water: F1 10,000 m3 for 1,000 t product; F2 5,000 m3 for 500 t → 15,000/1,500 = 10 m3/t.
    Energy: F1 2,000 MWh for 1,000 t → 2 MWh/t (F2 reports no energy).
    """
    rows = [
        ("F1", "w1", "out", "waste", "spent acid", "060106", "HA", 100.0, "t/yr", "073"),
        ("F1", "w2", "out", "waste", "solvent", "070104", "none", 50.0, "t/yr", "031"),
        ("F1", "p1", "out", "product", "chemical", None, None, 1000.0, "t/yr", None),
        ("F1", "i1", "in", "water", "water", None, None, 10000.0, "m3/yr", None),
        ("F1", "e1", "in", "energy", "electricity", None, None, 2000.0, "MWh/yr", None),
        ("F2", "w1", "out", "waste", "plastic scrap", "070213", "none", 200.0, "t/yr", "071"),
        ("F2", "p1", "out", "product", "plastic parts", None, None, 500.0, "t/yr", None),
        ("F2", "i1", "in", "water", "water", None, None, 5000.0, "m3/yr", None),
        ("F4", "w1", "out", "waste", "slag", "100202", "none", 150.0, "t/yr", None),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "factory_id",
            "flow_id",
            "direction",
            "flow_kind",
            "material",
            "waste_code",
            "hazardous",
            "quantity",
            "unit",
            "disposal_code",
        ],
    ).assign(year=2024)


def risk_factories() -> gpd.GeoDataFrame:
    """As the risk engineer writes it: hazard class/weight and band counts."""
    f = factories()
    return gpd.GeoDataFrame(
        {
            "factory_id": f["factory_id"],
            "hazard_class": ["high", "medium", "low", "medium", "high", "medium", "high", "low"],
            "hazard_weight": [1.0, 0.5, 0.1, 0.5, 0.8, 0.5, 1.0, 0.1],
            "hazardous": [True, True, False, True, True, True, True, False],
            "pop_1000m": [1200.0, 0.0, 0.0, 0.0, 300.0, 0.0, 0.0, float("nan")],
            "sens_1000m": [0, 1, 1, 1, 1, 1, 0, 0],
        },
        geometry=f.geometry,
        crs=4326,
    )


def siting_flags() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "factory_id": ["F5", "F7"],
            "community_id": ["S1", "X"],
            "rule_id": ["r3", "r3"],
            "distance_m": [45.0, 30.0],
            "rule_distance_m": [100.0, 100.0],
            "receptor_name": ["โรงเรียนทดสอบ", "x"],
        },
        geometry=[Point(101.405, 14.009), Point(101.605, 14.205)],
        crs=4326,
    )


def links() -> gpd.GeoDataFrame:
    """Proposed exchanges as the symbiosis engineer writes them (lines provider → receiver)."""
    from shapely.geometry import LineString

    return gpd.GeoDataFrame(
        {
            "link_id": ["L1", "L2"],
            "stream_id": ["F2/w1", "F4/w1"],
            "provider_id": ["F2", "F4"],
            "receiver_id": ["F5", "F7"],
            "waste_code": ["070213", "100202"],
            "material": ["plastic scrap", "slag"],
            "tonnes": [180.0, 150.0],
        },
        geometry=[
            LineString([(101.404, 14.004), (101.405, 14.009)]),
            LineString([(101.408, 14.008), (101.605, 14.205)]),
        ],
        crs=4326,
    )


def build(path: Path, *, with_risk: bool = False, with_links: bool = False) -> Workspace:
    """Write the hand-built workspace to ``path``."""
    ws = Workspace.create(path)
    with ws.batch():
        ws.write("industrial_zones", zones())
        ws.write("factories", factories())
        ws.write("communities", communities())
        ws.write("compliance", compliance_records())
        ws.write("material_flows", flows())
        if with_risk:
            ws.write("risk_factories", risk_factories(), validate=False)
            ws.write("siting_flags", siting_flags(), validate=False)
        if with_links:
            ws.write("symbiosis_links", links(), validate=False)
    return ws
