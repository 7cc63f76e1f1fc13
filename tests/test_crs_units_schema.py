"""CRS policy, pint units with Thai aliases, and the layer contract."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from ecogis import crs, schema, units
from ecogis.errors import CatalogueError, CRSError, UnitError


# ---------------------------------------------------------------- CRS
@pytest.mark.parametrize(
    ("lons", "epsg"),
    [((99.0, 100.5), 32647), ((102.5, 105.0), 32648), ((101.5, 102.3), 32647)],
)
def test_metric_crs_by_longitude(lons: tuple[float, float], epsg: int) -> None:
    pts = gpd.GeoSeries([shapely.Point(lon, 14.0) for lon in lons], crs=4326)
    assert crs.metric_crs(pts).to_epsg() == epsg


def test_metric_crs_keeps_projected_metres() -> None:
    pts = gpd.GeoSeries([shapely.Point(600000, 1500000)], crs=32648)
    assert crs.metric_crs(pts).to_epsg() == 32648


def test_distance_in_degrees_raises() -> None:
    with pytest.raises(CRSError, match="degrees"):
        crs.require_metric("EPSG:4326")
    with pytest.raises(CRSError, match="without a CRS"):
        crs.require_metric(None)
    pts = gpd.GeoSeries([shapely.Point(100, 14)])
    with pytest.raises(CRSError, match="no CRS"):
        crs.metric_crs(pts)


def test_utm_distance_matches_geodesic_inside_zone() -> None:
    a, b = (100.50, 13.70), (100.55, 13.74)
    g = gpd.GeoSeries([shapely.Point(*a), shapely.Point(*b)], crs=4326)
    m = crs.to_metric(g)
    planar = m.iloc[0].distance(m.iloc[1])
    _, _, geodesic = Geod(ellps="WGS84").inv(a[0], a[1], b[0], b[1])
    assert planar == pytest.approx(geodesic, rel=1e-3)
    assert crs.geodesic_distance_m(a[0], a[1], b[0], b[1]) == pytest.approx(geodesic)


def test_geodesic_is_vectorised() -> None:
    d = crs.geodesic_distance_m([100, 100], [14, 14], [100, 100.001], [14.001, 14])
    assert d.shape == (2,) and np.all(d > 100)


# ---------------------------------------------------------------- units
@pytest.mark.parametrize(
    ("value", "unit", "expected", "canonical"),
    [
        (1.0, "t/yr", 1.0, "t/yr"),
        (1.0, "ตัน/ปี", 1.0, "t/yr"),
        (2.0, "ตัน/เดือน", 24.0, "t/yr"),
        (1000.0, "กก./วัน", 365.25, "t/yr"),
        (10.0, "ลบ.ม./วัน", 3652.5, "m3/yr"),
        (1000.0, "kWh/เดือน", 12.0, "MWh/yr"),
        (1000.0, "ลิตร/วัน", 365.25, "m3/yr"),
        (5.0, "tonnes/year", 5.0, "t/yr"),
        (3.0, "MWh/yr", 3.0, "MWh/yr"),
    ],
)
def test_units_to_canonical(value: float, unit: str, expected: float, canonical: str) -> None:
    got, unit_out = units.to_canonical(value, unit)
    assert unit_out == canonical
    assert got == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["bananas/yr", "", "ตัน", "kWh", "5 t/yr"])
def test_bad_units_raise(bad: str) -> None:
    with pytest.raises(UnitError):
        units.to_canonical(1.0, bad)


def test_volume_to_mass_uses_stated_density() -> None:
    assert units.volume_to_mass(10.0, 0.9) == pytest.approx(9.0)


def test_convert_arrays() -> None:
    out = units.convert(np.array([1.0, 2.0]), "ตัน/เดือน", "t/yr")
    assert out.tolist() == [12.0, 24.0]


# ---------------------------------------------------------------- schema
def test_core_contracts_are_complete() -> None:
    names = set(schema.contracts())
    assert {
        "provinces",
        "districts",
        "industrial_zones",
        "factories",
        "communities",
        "material_flows",
        "compliance",
    } <= names
    for c in schema.contracts().values():
        assert c.key and all(k in c.field_names for k in c.key), c.name
        for f in c.fields:
            assert f.label_th and f.label_en, (c.name, f.name)
            assert f.name == f.name.lower() and f.name.isascii(), (c.name, f.name)
        assert c.group in schema.GROUPS, c.name


def test_check_frame_finds_each_kind_of_problem() -> None:
    c = schema.contract("factories")
    frame = gpd.GeoDataFrame(
        {
            "factory_id": ["a", "a", "b"],
            "name_th": ["ก", None, "ค"],
            "coord_flag": ["ok", "ok", "wrong"],
            "tsic": ["1062", "10621", "10621"],
            "factory_class": [4, 3, 3],
            "licence_date": ["2008-02-30", "2008-02-01", None],
        },
        geometry=[shapely.Point(100, 14)] * 3,
        crs=4326,
    )
    problems = schema.check_frame(schema.coerce_dtypes(frame, c), c)
    found = {(p.key, p.field) for p in problems}
    # the duplicate key is reported once, for the key that repeats and not for the unique one
    # (this line read ("a", "factory_id,") not in found, which no problem can ever be)
    duplicates = [p for p in problems if p.message == "business key is not unique"]
    assert [(p.key, p.field) for p in duplicates] == [("a", "factory_id")]
    assert ("a", "name_th") in found  # required empty
    assert ("b", "coord_flag") in found  # not an allowed value
    assert ("a", "tsic") in found  # pattern
    assert ("a", "factory_class") in found  # allowed values
    assert ("a", "licence_date") in found  # 30 February


def test_coerce_dtypes_orders_columns_and_casts() -> None:
    c = schema.contract("compliance")
    raw = pd.DataFrame(
        {"extra": [1], "status": ["yes"], "requirement": ["iso14001"], "factory_id": [123.0]}
    )
    out = schema.coerce_dtypes(raw, c)
    assert list(out.columns[: len(c.fields)]) == c.field_names
    assert out["factory_id"].tolist() == ["123"]
    assert out.columns[-1] == "extra"


def test_bad_contract_file_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "x.toml"
    p.write_text(
        'name = "x"\nkind = "vector"\nkey = ["a"]\ntitle_th = "ก"\ntitle_en = "x"\n'
        '[[fields]]\nname = "a"\ntype = "text"\nlabel_th = "ก"\nlabel_en = "a"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="unknown type 'text'"):
        schema.load_contract_file(p)
    p.write_text("name = [", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        schema.load_contract_file(p)


def test_select_hands_over_exactly_the_contract() -> None:
    c = schema.contract("compliance")
    frame = pd.DataFrame({f: ["x"] for f in reversed(c.field_names)}).assign(extra=1)
    out = c.select(frame)
    assert list(out.columns) == c.field_names  # contract order, the extra column gone
    assert list(c.select(frame, extra=["extra"]).columns) == [*c.field_names, "extra"]
    with pytest.raises(KeyError, match="status"):
        c.select(frame.drop(columns="status"))
    assert "status" not in c.select(frame.drop(columns="status"), absent=["status"]).columns


def test_values_and_headers_come_from_the_contract() -> None:
    c = schema.contract("eit_assessments")
    assert c.values("round") == ("baseline", "followup")
    with pytest.raises(KeyError, match="no list of values"):
        c.values("area_id")
    s = schema.contract("compliance_gaps_summary")
    assert s.headers(["share_with_gap"], "en") == {"share_with_gap": "gap %"}  # short_en
    g = schema.contract("compliance_gaps")
    assert g.headers(["workers"], "th") == {"workers": g.field("workers").label_th}  # no short
