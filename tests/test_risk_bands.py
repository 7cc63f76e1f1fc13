"""Distance bands, planning rings and area summaries."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from ecogis.errors import DataValidationError
from ecogis.risk import band_counts, check_bands, nearest_zone, risk_summary, risk_zones

X0, Y0 = 700_000.0, 1_550_000.0


def factories() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "factory_id": ["H", "M", "L"],
            "name_th": ["โรงงานเคมี", "โรงงานพลาสติก", "โรงสีข้าว"],
            "hazard_class": ["high", "medium", "low"],
            "hazardous": [True, True, False],
            "tam_code": ["250101", "250101", "250201"],
            "zone_id": ["Z1", "Z1", None],
        },
        geometry=[shapely.Point(X0, Y0), shapely.Point(X0 + 2000, Y0), shapely.Point(X0, Y0 + 400)],
        crs=32647,
    )


def receptors() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "community_id": ["V1", "V2", "S1"],
            "kind": ["village", "village", "school"],
            "population": pd.array([100, 200, None], dtype="Int64"),
            "tam_code": ["250101", "250201", "250101"],
        },
        # V1 is 500 m from H (the band edge counts), V2 2.9 km, S1 1.5 km from M
        geometry=[
            shapely.Point(X0 - 500, Y0),
            shapely.Point(X0, Y0 - 2900),
            shapely.Point(X0 + 2000, Y0 + 1500),
        ],
        crs=32647,
        index=[7, 8, 9],
    )


def test_band_counts_per_receptor_and_factory() -> None:
    rec, fac = band_counts(receptors(), factories(), bands_m=[500, 1000, 3000])
    assert list(rec.index) == [7, 8, 9]
    assert list(rec["haz_500m"]) == [1, 0, 0]  # V1 exactly at 500 m from H
    assert list(rec["haz_3000m"]) == [2, 1, 2]  # L (a rice mill) is not hazardous
    h = fac.set_index("factory_id")
    assert h.loc["H", "pop_500m"] == 100 and h.loc["H", "rec_500m"] == 1
    assert h.loc["H", "pop_3000m"] == 300  # the school has no population: adds 0
    assert h.loc["H", "sens_3000m"] == 1 and h.loc["M", "sens_3000m"] == 1
    assert h.loc["M", "rec_1000m"] == 0


def test_rings_are_annuli_built_in_metres_by_hazard_class() -> None:
    zones = risk_zones(factories().to_crs(4326), bands_m=[500, 1000, 3000])
    high = zones[zones["factory_id"] == "H"]
    assert list(high["band_m"]) == [500, 1000, 3000]
    assert list(high["inner_m"]) == [0, 500, 1000]
    area = high.to_crs(32647).area.to_numpy()
    expected = np.pi * np.array([500**2, 1000**2 - 500**2, 3000**2 - 1000**2])
    np.testing.assert_allclose(area, expected, rtol=2e-3)
    medium = zones[zones["factory_id"] == "M"]
    assert list(medium["band_m"]) == [500, 1000]  # medium: up to 1 km
    assert "L" not in set(zones["factory_id"])
    assert set(zones.geom_type) == {"MultiPolygon"}


def test_bad_bands_are_errors() -> None:
    assert check_bands([3000, 500, 500]) == (500.0, 3000.0)
    for bad in ([], [0, 500], [-1], ["x"]):
        with pytest.raises(DataValidationError, match="bands"):
            check_bands(bad)


def test_summary_by_tambon_district_province_and_zone() -> None:
    rec = receptors().assign(prox_score=[4.0, 1.0, 2.0])
    zone = gpd.GeoDataFrame(
        {"zone_id": ["Z1"]},
        geometry=[shapely.box(X0 - 100, Y0 - 100, X0 + 2100, Y0 + 100)],
        crs=32647,
    )
    of = nearest_zone(rec, zone, max_distance_m=1000)
    assert list(of.isna()) == [False, True, True]  # V2 2.8 km away, S1 1.4 km away
    s = risk_summary(
        rec, factories(), zone_of_receptor=of, names={("zone", "Z1"): ("สวนทดสอบ", "Test park")}
    )
    t = s[s["level"] == "tambon"].set_index("code")
    # 250101: V1 (pop 100, score 4) and S1 (pop 0, score 2) → weighted 4
    assert t.loc["250101", "prox_score"] == pytest.approx(4.0)
    assert t.loc["250101", "n_hazardous"] == 2 and t.loc["250201", "n_hazardous"] == 0
    d = s[s["level"] == "district"].set_index("code")
    assert set(d.index) == {"2501", "2502"}
    p = s[s["level"] == "province"].set_index("code")
    assert p.loc["25", "population"] == 300
    assert p.loc["25", "prox_score"] == pytest.approx((100 * 4 + 200 * 1) / 300)
    z = s[s["level"] == "zone"].iloc[0]
    assert z["code"] == "Z1" and z["name_th"] == "สวนทดสอบ" and z["n_factories"] == 2
