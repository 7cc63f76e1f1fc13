"""Exposed population from rasters whose true answer is known analytically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from pyproj import CRS, Geod
from rasterio.transform import from_origin

from ecogis.errors import CRSError, InputFileError
from ecogis.risk import PopulationGrid, exposed_population
from ecogis.risk.raster_io import read_population_raster

X0, Y0 = 700_000.0, 1_550_000.0
LON0, LAT0 = 101.45, 14.05
GEOD = Geod(ellps="WGS84")


def factory_utm() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"factory_id": ["F1"]}, geometry=[shapely.Point(X0 + 37, Y0 - 13)], crs=32647
    )


def factory_ll() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"factory_id": ["F1"]}, geometry=[shapely.Point(LON0, LAT0)], crs=4326)


def geodesic_disc_km2(radius_m: float) -> float:
    lons, lats, _ = GEOD.fwd(
        np.full(720, LON0),
        np.full(720, LAT0),
        np.linspace(0, 360, 720, endpoint=False),
        np.full(720, radius_m),
    )
    return abs(GEOD.polygon_area_perimeter(lons, lats)[0]) / 1e6


def test_count_raster_in_metres_uniform_people() -> None:
    # 100 m pixels, 3 people each, over a 20 km square: people in a disc = 3 · πr² / 100²
    grid = PopulationGrid(
        values=np.full((200, 200), 3.0),
        xmin=X0 - 10_000,
        ymin=Y0 - 10_000,
        xmax=X0 + 10_000,
        ymax=Y0 + 10_000,
        crs=CRS.from_epsg(32647),
        kind="count",
    )
    out = exposed_population(factory_utm(), grid, bands_m=[500, 1000, 5000])
    expected = 3.0 * np.pi * np.array([500.0, 1000.0, 5000.0]) ** 2 / 100**2
    np.testing.assert_allclose(out["raster_population"], expected, rtol=5e-4)
    assert list(out["band_m"]) == [500, 1000, 5000]


def test_partial_pixels_are_counted_exactly_not_all_touched() -> None:
    # one big 1 km pixel holding 1000 people; a 100 m disc inside it holds 1000·π·0.01 ≈ 31.4
    grid = PopulationGrid(
        values=np.array([[1000.0]]),
        xmin=X0 - 500,
        ymin=Y0 - 500,
        xmax=X0 + 500,
        ymax=Y0 + 500,
        crs=CRS.from_epsg(32647),
    )
    out = exposed_population(factory_utm(), grid, bands_m=[100])
    assert out["raster_population"].iloc[0] == pytest.approx(1000 * np.pi * 0.01, rel=1e-3)


def _geographic_grid(density_per_km2: float, kind: str) -> PopulationGrid:
    res = 1 / 1200  # 3 arc-seconds, WorldPop's grid
    n = 300
    xmin, ymax = LON0 - n / 2 * res, LAT0 + n / 2 * res
    grid = PopulationGrid(
        values=np.full((n, n), density_per_km2),
        xmin=xmin,
        ymin=ymax - n * res,
        xmax=xmin + n * res,
        ymax=ymax,
        crs=CRS.from_epsg(4326),
        kind="density",
    )
    if kind == "count":
        counts = density_per_km2 * grid.pixel_area_km2()  # pixels shrink with latitude
        grid = PopulationGrid(
            values=counts,
            xmin=grid.xmin,
            ymin=grid.ymin,
            xmax=grid.xmax,
            ymax=grid.ymax,
            crs=grid.crs,
            kind="count",
        )
    return grid


@pytest.mark.parametrize("kind", ["density", "count"])
def test_geographic_raster_gives_density_times_true_disc_area(kind: str) -> None:
    grid = _geographic_grid(1000.0, kind)
    out = exposed_population(factory_ll(), grid, bands_m=[500, 1000, 3000])
    expected = [1000.0 * geodesic_disc_km2(r) for r in (500, 1000, 3000)]
    np.testing.assert_allclose(out["raster_population"], expected, rtol=2e-3)


def test_pixel_area_is_true_area_on_the_ellipsoid() -> None:
    grid = _geographic_grid(1.0, "density")
    area = grid.pixel_area_km2()
    # a 3″ pixel at 14° N is about 92.6 m × 89.9 m
    assert area[150, 0] == pytest.approx(0.0925 * 0.0899, rel=0.02)
    assert area[0, 0] < area[-1, 0]  # northern rows are smaller


def test_nodata_counts_as_no_people() -> None:
    vals = np.full((200, 200), 3.0)
    vals[:100, :] = np.nan
    grid = PopulationGrid(
        values=vals,
        xmin=X0 - 10_000,
        ymin=Y0 - 10_000,
        xmax=X0 + 10_000,
        ymax=Y0 + 10_000,
        crs=CRS.from_epsg(32647),
    )
    f = gpd.GeoDataFrame({"factory_id": ["F"]}, geometry=[shapely.Point(X0, Y0 - 5000)], crs=32647)
    out = exposed_population(f, grid, bands_m=[1000])
    assert out["raster_population"].iloc[0] == pytest.approx(3 * np.pi * 100, rel=5e-4)


def test_raster_without_crs_is_an_error(tmp_path: Path) -> None:
    grid = PopulationGrid(values=np.ones((3, 3)), xmin=0, ymin=0, xmax=3, ymax=3, crs=None)
    with pytest.raises(CRSError, match="no CRS"):
        exposed_population(factory_ll(), grid)
    path = tmp_path / "nocrs.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=3,
        height=3,
        count=1,
        dtype="float32",
        transform=from_origin(101, 15, 0.01, 0.01),
    ) as dst:
        dst.write(np.ones((1, 3, 3), dtype="float32"))
    with pytest.raises(CRSError, match="no CRS"):
        read_population_raster(path)


def test_reading_a_window_equals_reading_everything(
    tmp_path: Path, write_tif: Callable[..., Path]
) -> None:
    rng = np.random.default_rng(1)
    vals = rng.uniform(0, 20, (300, 300))
    vals[5, 5] = -99999.0
    path = write_tif(tmp_path / "pop.tif", vals)
    full = read_population_raster(path)
    assert np.isnan(full.values[5, 5])
    bounds = (LON0 - 0.02, LAT0 - 0.02, LON0 + 0.02, LAT0 + 0.02)
    part = read_population_raster(path, bounds_4326=bounds)
    assert part.values.shape[0] < 300
    a = exposed_population(factory_ll(), full, bands_m=[1000])["raster_population"]
    b = exposed_population(factory_ll(), part, bands_m=[1000])["raster_population"]
    assert a.iloc[0] == pytest.approx(b.iloc[0], rel=1e-9)


def test_raster_kind_from_tags_and_explicit(tmp_path: Path, write_tif: Callable[..., Path]) -> None:
    vals = np.ones((300, 300))
    assert read_population_raster(write_tif(tmp_path / "a.tif", vals)).kind == "count"
    dens = write_tif(tmp_path / "b.tif", vals, {"units": "persons per km2"})
    assert read_population_raster(dens).kind == "density"
    assert read_population_raster(dens, kind="count").kind == "count"


def test_raster_not_covering_the_factories_is_an_error(
    tmp_path: Path, write_tif: Callable[..., Path]
) -> None:
    path = write_tif(tmp_path / "pop.tif", np.ones((300, 300)))
    with pytest.raises(InputFileError, match="does not cover"):
        read_population_raster(path, bounds_4326=(98.0, 8.0, 98.1, 8.1))


def test_union_counts_people_between_two_factories_once() -> None:
    from ecogis.risk import exposed_population_union

    r, d = 1000.0, 600.0
    two = gpd.GeoDataFrame(
        {"factory_id": ["A", "B"]},
        geometry=[shapely.Point(X0, Y0), shapely.Point(X0 + d, Y0)],
        crs=32647,
    )
    grid = PopulationGrid(
        values=np.full((200, 200), 1.0),
        xmin=X0 - 10_000,
        ymin=Y0 - 10_000,
        xmax=X0 + 10_000,
        ymax=Y0 + 10_000,
        crs=CRS.from_epsg(32647),
    )
    lens = 2 * r**2 * np.arccos(d / (2 * r)) - (d / 2) * np.sqrt(4 * r**2 - d**2)
    union_area = 2 * np.pi * r**2 - lens
    once = exposed_population_union(two, grid, bands_m=[r])
    assert once.loc[r] == pytest.approx(union_area / 100**2, rel=1e-3)
    each = exposed_population(two, grid, bands_m=[r])["raster_population"].sum()
    assert each == pytest.approx(2 * np.pi * r**2 / 100**2, rel=1e-3)
