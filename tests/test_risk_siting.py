"""Siting rules (Ministerial Regulation No. 2 B.E. 2535), judged geodesically."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from ecogis.errors import CatalogueError
from ecogis.risk import load_siting_rules, siting_flags

GEOD = Geod(ellps="WGS84")
LON0, LAT0 = 101.45, 14.05  # Prachin Buri (west of the zone line)


def at(dist_m: float, az: float = 60.0) -> shapely.Point:
    lon, lat, _ = GEOD.fwd(LON0, LAT0, az, dist_m)
    return shapely.Point(lon, lat)


def factory(cls: int, fid: str = "F1") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"factory_id": [fid], "name_th": ["โรงงานทดสอบ"], "factory_class": [cls]},
        geometry=[shapely.Point(LON0, LAT0)],
        crs=4326,
    )


def receptor(geom: shapely.Geometry, kind: str = "school", cid: str = "S1") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"community_id": [cid], "name_th": ["โรงเรียนบ้านทดสอบ"], "kind": [kind]},
        geometry=[geom],
        crs=4326,
    )


def test_package_rules_are_data_with_sources() -> None:
    rules = load_siting_rules()
    by_id = rules.set_index("rule_id")
    r50 = by_id.loc["mr2_2535_c1_2_50m"]
    assert r50["distance_m"] == 50 and r50["factory_classes"] == (1, 2) and r50["verified"]
    assert {"school", "temple", "hospital", "government", "monument", "conservation"} <= set(
        r50["receptor_kinds"]
    )
    r100 = by_id.loc["mr2_2535_c3_100m"]
    assert r100["distance_m"] == 100 and not r100["verified"]
    assert "secondary" in r100["source"]


@pytest.mark.parametrize("az", [0.0, 45.0, 135.0, 270.0])
def test_fifty_metre_rule_49_9_breaks_and_50_1_complies(az: float) -> None:
    near = siting_flags(factory(2), receptor(at(49.9, az)))
    assert len(near) == 1
    assert near["distance_m"].iloc[0] == pytest.approx(49.9, abs=0.005)
    assert near["rule_id"].iloc[0] == "mr2_2535_c1_2_50m"
    assert bool(near["verified"].iloc[0])
    assert near["shortfall_m"].iloc[0] == pytest.approx(0.1, abs=0.005)
    assert len(siting_flags(factory(2), receptor(at(50.1, az)))) == 0


def test_class_three_uses_the_unverified_100_m_rule() -> None:
    flags = siting_flags(factory(3), receptor(at(80.0), kind="temple"))
    assert len(flags) == 1
    assert flags["rule_id"].iloc[0] == "mr2_2535_c3_100m"
    assert not bool(flags["verified"].iloc[0])
    assert len(siting_flags(factory(3), receptor(at(100.1), kind="temple"))) == 0


def test_distance_is_to_the_polygon_boundary_and_zero_inside() -> None:
    # a temple ground whose nearest edge is 30 m from the factory but whose centre is 200 m
    edge = at(30.0, 90.0)
    far = at(230.0, 90.0)
    ground = shapely.box(edge.x, edge.y - 0.001, far.x, edge.y + 0.001)
    flags = siting_flags(factory(1), receptor(ground, kind="temple"))
    assert flags["distance_m"].iloc[0] == pytest.approx(30.0, abs=0.1)
    inside = shapely.Point(LON0, LAT0).buffer(0.001)
    assert siting_flags(factory(1), receptor(inside, kind="hospital"))["distance_m"].iloc[0] == 0


def test_villages_and_unclassed_factories_are_not_judged() -> None:
    assert len(siting_flags(factory(2), receptor(at(10.0), kind="village"))) == 0
    f = factory(2)
    f["factory_class"] = None
    assert len(siting_flags(f, receptor(at(10.0)))) == 0


def test_output_names_factory_receptor_rule_and_source() -> None:
    flags = siting_flags(factory(1, "3-42-1/55ปจ"), receptor(at(20.0), cid="SCH-9"))
    row = flags.iloc[0]
    assert row["factory_id"] == "3-42-1/55ปจ" and row["community_id"] == "SCH-9"
    assert row["receptor_name"] == "โรงเรียนบ้านทดสอบ"
    assert "Ministerial Regulation No. 2" in row["instrument"]
    assert row["source"].startswith("http")
    assert flags.crs.to_epsg() == 4326


def test_user_rules_file_and_bad_rules(tmp_path: Path) -> None:
    good = tmp_path / "rules.csv"
    good.write_text(
        "rule_id,factory_classes,receptor_kinds,distance_m,verified,instrument,source\n"
        "local_200,3,village,200,no,Provincial guidance,own survey\n",
        encoding="utf-8",
    )
    rules = load_siting_rules(good)
    flags = siting_flags(factory(3), receptor(at(150.0), kind="village"), rules=rules)
    assert list(flags["rule_id"]) == ["local_200"]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "rule_id,factory_classes,receptor_kinds,distance_m,verified,instrument,source\n"
        "x,1;2,school,fifty,yes,i,s\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"row 2.*distance_m"):
        load_siting_rules(bad)
    bad.write_text("rule_id,distance_m\nx,50\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="missing column"):
        load_siting_rules(bad)


def test_missing_class_or_kind_column_is_an_error() -> None:
    from ecogis.errors import DataValidationError

    with pytest.raises(DataValidationError, match="factory_class"):
        siting_flags(factory(2).drop(columns="factory_class"), receptor(at(10.0)))
    with pytest.raises(DataValidationError, match="kind"):
        siting_flags(factory(2), receptor(at(10.0)).drop(columns="kind"))
