"""Proximity scores and group scores: hand-computed cases, CRS handling, bad input."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pyproj import Geod

from ecogis.errors import CRSError, DataValidationError
from ecogis.risk import group_scores, proximity_scores, weighted_percentile

UTM47 = "EPSG:32647"
X0, Y0 = 700_000.0, 1_550_000.0  # near Prachin Buri, UTM 47N metres


def pts(coords: list[tuple[float, float]], index: list[str] | None = None, **cols: object):
    geoms = [shapely.Point(X0 + x, Y0 + y) for x, y in coords]
    return gpd.GeoDataFrame(dict(cols), geometry=geoms, crs=UTM47, index=index)


def test_sum_of_weight_over_km_within_radius() -> None:
    rec = pts([(0, 0)], index=["r"])
    src = pts([(1000, 0), (0, 2000), (4000, 3000)], index=["a", "b", "c"], w=[2.0, 1.0, 3.0])
    out = proximity_scores(rec, src, radius_m=5000, min_distance_m=0, weight_col="w")
    # 2/1 + 1/2 + 3/5 (c at exactly 5 km counts: distance ≤ radius)
    assert out.loc["r", "prox_score"] == pytest.approx(2.0 + 0.5 + 0.6)
    assert out.loc["r", "n_within"] == 3
    assert out.loc["r", "nearest_m"] == pytest.approx(1000.0)
    assert out.loc["r", "nearest_id"] == "a"


def test_unweighted_means_every_weight_one() -> None:
    rec = pts([(0, 0)])
    src = pts([(1000, 0), (0, 2000)], w=[5.0, 5.0])
    out = proximity_scores(rec, src, min_distance_m=0)
    assert out["prox_score"].iloc[0] == pytest.approx(1.0 + 0.5)


def test_source_exactly_at_radius_counts_and_just_beyond_does_not() -> None:
    rec = pts([(0, 0)])
    at = proximity_scores(rec, pts([(3000, 0)]), radius_m=3000, min_distance_m=0)
    assert at["n_within"].iloc[0] == 1
    beyond = proximity_scores(rec, pts([(3000.5, 0), (6000, 0)]), radius_m=3000, min_distance_m=0)
    assert beyond["n_within"].iloc[0] == 0
    # nearest-beyond rule: only the nearest counts, 1 / 3.0005 km
    assert beyond["prox_score"].iloc[0] == pytest.approx(1 / 3.0005)


def test_nearest_beyond_rule_uses_its_weight() -> None:
    rec = pts([(0, 0)])
    src = pts([(8000, 0), (10_000, 0)], index=["near", "far"], w=[4.0, 100.0])
    out = proximity_scores(rec, src, radius_m=5000, min_distance_m=0, weight_col="w")
    assert out["prox_score"].iloc[0] == pytest.approx(4.0 / 8.0)
    assert out["nearest_id"].iloc[0] == "near"
    assert out["n_within"].iloc[0] == 0


def test_source_at_distance_zero_with_fixed_floor() -> None:
    rec = pts([(0, 0)])
    out = proximity_scores(rec, pts([(0, 0)]), min_distance_m=100)
    assert out["prox_score"].iloc[0] == pytest.approx(1 / 0.1)
    assert out["floor_m"].iloc[0] == 100


def test_source_at_distance_zero_with_area_floor() -> None:
    rec = pts([(0, 0)], area=[1_000_000.0])  # 1 km²
    out = proximity_scores(rec, pts([(0, 0)]), area_col="area")
    floor_km = 0.9 * np.sqrt(1_000_000.0 / np.pi) / 1000
    assert out["prox_score"].iloc[0] == pytest.approx(1 / floor_km)


def test_polygon_floor_uses_its_own_area_and_centroid() -> None:
    square = shapely.box(X0 - 500, Y0 - 500, X0 + 500, Y0 + 500)  # 1 km², centroid (X0, Y0)
    rec = gpd.GeoDataFrame(geometry=[square], crs=UTM47)
    src = pts([(100, 0), (2000, 0)])
    out = proximity_scores(rec, src)
    floor = 0.9 * np.sqrt(1e6 / np.pi)  # 507.6 m > 100 m, so the first source is floored
    assert out["floor_m"].iloc[0] == pytest.approx(floor)
    assert out["prox_score"].iloc[0] == pytest.approx(1 / (floor / 1000) + 1 / 2.0)
    assert out["nearest_m"].iloc[0] == pytest.approx(100.0)


def test_floor_does_not_change_distances_beyond_it() -> None:
    rec = pts([(0, 0)])
    out = proximity_scores(rec, pts([(1000, 0)]), min_distance_m=100)
    assert out["prox_score"].iloc[0] == pytest.approx(1.0)


def test_point_on_source_without_floor_is_an_error() -> None:
    with pytest.raises(DataValidationError, match="min_distance_m"):
        proximity_scores(pts([(0, 0)]), pts([(0, 0)]))


def test_point_without_floor_away_from_sources_is_fine() -> None:
    out = proximity_scores(pts([(0, 0)]), pts([(500, 0)]))
    assert out["floor_m"].iloc[0] == 0
    assert out["prox_score"].iloc[0] == pytest.approx(2.0)


def test_index_preserved_and_input_not_mutated() -> None:
    rec = pts([(0, 0), (3000, 0), (9000, 0)], index=["z", "x", "y"], population=[1, 2, 3])
    src = pts([(1000, 0)], w=[1.0])
    before_r, before_s = rec.copy(), src.copy()
    out = proximity_scores(rec, src, min_distance_m=10, weight_col="w")
    assert list(out.index) == ["z", "x", "y"]
    assert out.crs == rec.crs
    assert_geodataframe_equal(rec, before_r)
    assert_geodataframe_equal(src, before_s)
    assert list(out.columns[: len(rec.columns)]) == list(rec.columns)


def test_nearest_id_is_factory_id_when_present() -> None:
    src = pts([(1000, 0)], factory_id=["3-42-1/55ปจ"])
    out = proximity_scores(pts([(0, 0)]), src)
    assert out["nearest_id"].iloc[0] == "3-42-1/55ปจ"


def test_projected_input_used_as_is_and_geographic_input_gives_same_answer() -> None:
    rec = pts([(0, 0), (2500, 1500)])
    src = pts([(1000, 0), (0, 3000), (4000, 100)], w=[1.0, 2.0, 0.5])
    utm = proximity_scores(rec, src, min_distance_m=50, weight_col="w")
    geo = proximity_scores(rec.to_crs(4326), src.to_crs(4326), min_distance_m=50, weight_col="w")
    mixed = proximity_scores(rec, src.to_crs(4326), min_distance_m=50, weight_col="w")
    np.testing.assert_allclose(geo["prox_score"], utm["prox_score"], rtol=1e-9)
    np.testing.assert_allclose(mixed["prox_score"], utm["prox_score"], rtol=1e-9)
    assert geo.crs.to_epsg() == 4326  # the copy keeps the receptors' CRS


def test_distances_agree_with_geodesic_within_a_zone() -> None:
    geod = Geod(ellps="WGS84")
    lon0, lat0 = 100.2, 13.8  # Nakhon Pathom, UTM 47
    rng = np.random.default_rng(3)
    az = rng.uniform(0, 360, 40)
    dist = rng.uniform(200, 4900, 40)
    lons, lats, _ = geod.fwd(np.full(40, lon0), np.full(40, lat0), az, dist)
    rec = gpd.GeoDataFrame(geometry=[shapely.Point(lon0, lat0)], crs=4326)
    for lo, la, true in zip(lons, lats, dist, strict=True):
        src = gpd.GeoDataFrame(geometry=[shapely.Point(lo, la)], crs=4326)
        out = proximity_scores(rec, src, min_distance_m=0)
        assert abs(out["nearest_m"].iloc[0] - true) / true <= 0.001


def test_web_mercator_is_not_used_to_measure() -> None:
    rec = pts([(0, 0)]).to_crs(3857)
    src = pts([(2000, 0)]).to_crs(3857)
    out = proximity_scores(rec, src, min_distance_m=0)
    assert out["nearest_m"].iloc[0] == pytest.approx(2000.0, rel=1e-6)


@pytest.mark.parametrize("bad", [np.nan, -1.0])
def test_nan_or_negative_weight_is_an_error(bad: float) -> None:
    src = pts([(1000, 0), (2000, 0)], factory_id=["A", "B"], w=[1.0, bad])
    with pytest.raises(DataValidationError) as exc:
        proximity_scores(pts([(0, 0)]), src, weight_col="w")
    assert "key B" in str(exc.value) and "field w" in str(exc.value)


def test_text_weight_and_missing_weight_column_are_errors() -> None:
    src = pts([(1000, 0)], w=["heavy"])
    with pytest.raises(DataValidationError, match="not a number"):
        proximity_scores(pts([(0, 0)]), src, weight_col="w")
    with pytest.raises(DataValidationError, match="no column"):
        proximity_scores(pts([(0, 0)]), src, weight_col="hazard")


def test_empty_layers_are_errors() -> None:
    empty = gpd.GeoDataFrame(geometry=[], crs=UTM47)
    with pytest.raises(DataValidationError, match=r"receptors.*empty"):
        proximity_scores(empty, pts([(0, 0)]))
    with pytest.raises(DataValidationError, match=r"sources.*empty"):
        proximity_scores(pts([(0, 0)]), empty)


def test_missing_crs_geometry_and_bad_radius_are_errors() -> None:
    no_crs = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])
    with pytest.raises(CRSError):
        proximity_scores(no_crs, pts([(0, 0)]))
    unplaced = gpd.GeoDataFrame({"factory_id": ["F1"]}, geometry=[None], crs=UTM47)
    with pytest.raises(DataValidationError, match="key F1"):
        proximity_scores(pts([(0, 0)]), unplaced)
    with pytest.raises(DataValidationError, match="radius"):
        proximity_scores(pts([(0, 0)]), pts([(1, 0)]), radius_m=0)
    with pytest.raises(DataValidationError, match="area"):
        proximity_scores(pts([(0, 0)], a=[np.nan]), pts([(1, 0)]), area_col="a")


# ------------------------------------------------------------------------------ groups
def scored_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tam": ["A", "A", "B", "C", "C"],
            "prox_score": [2.0, 4.0, 10.0, 1.0, 3.0],
            "population": [100, 300, 50, 0, 0],
        },
        index=[10, 11, 12, 13, 14],
    )


def test_group_scores_population_weighted_and_zero_population_plain_mean() -> None:
    g = group_scores(scored_frame(), "tam")
    assert list(g.index) == ["A", "B", "C"]
    assert g.loc["A", "prox_score"] == pytest.approx((2 * 100 + 4 * 300) / 400)  # 3.5
    assert g.loc["B", "prox_score"] == pytest.approx(10.0)
    assert g.loc["C", "prox_score"] == pytest.approx(2.0)  # plain mean: no people
    assert g.loc["A", "population"] == 400
    assert g.loc["C", "n_receptors"] == 2


def test_group_percentile_is_population_weighted() -> None:
    g = group_scores(scored_frame(), "tam")
    # scores C=2 (pop 0), A=3.5 (pop 400), B=10 (pop 50); total 450
    assert g.loc["C", "percentile"] == pytest.approx(0.0)
    assert g.loc["A", "percentile"] == pytest.approx(100 * 400 / 450)
    assert g.loc["B", "percentile"] == pytest.approx(100.0)


def test_weighted_percentile_ties_and_zero_weights() -> None:
    p = weighted_percentile([1.0, 2.0, 2.0, 5.0], [1, 1, 2, 0])
    np.testing.assert_allclose(p, [25.0, 100.0, 100.0, 100.0])
    np.testing.assert_allclose(weighted_percentile([3.0, 1.0], [0, 0]), [100.0, 50.0])


def test_group_scores_several_keys_and_bad_population() -> None:
    f = scored_frame().assign(pro=["25", "25", "25", "24", "24"])
    g = group_scores(f, ["pro", "tam"])
    assert g.index.names == ["pro", "tam"]
    assert len(g) == 3
    bad = scored_frame().astype({"population": float})
    bad.loc[12, "population"] = np.nan
    with pytest.raises(DataValidationError, match="population"):
        group_scores(bad, "tam")
    with pytest.raises(DataValidationError, match="no column 'population'"):
        group_scores(scored_frame().drop(columns="population"), "tam")
    neg = scored_frame()
    neg.loc[10, "population"] = -5
    with pytest.raises(DataValidationError, match="negative"):
        group_scores(neg, "tam")


def test_geoseries_inputs_are_accepted() -> None:
    out = proximity_scores(pts([(0, 0)]).geometry, pts([(2000, 0)]).geometry)
    assert out["prox_score"].iloc[0] == pytest.approx(0.5)


def test_receptor_percentile_weights_people_and_keeps_unpopulated_receptors() -> None:
    from ecogis.risk import rank_receptors

    f = pd.DataFrame(
        {"prox_score": [1.0, 5.0, 3.0], "population": pd.array([300, 100, None], dtype="Int64")}
    )
    out = rank_receptors(f, population_col="population")
    assert list(out["rank"]) == [3, 1, 2]
    np.testing.assert_allclose(out["percentile"], [75.0, 100.0, 75.0])
