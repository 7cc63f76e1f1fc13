"""The demo's population raster: WorldPop-style people counts per ~100 m pixel.

People are spread around each village (a Gaussian whose width grows with the village's size,
scaled so the village's pixels add up to its population), around the workers' housing near
the industrial areas (people the village register does not count), plus a thin rural
background. Pixels inside the industrial areas hold no residents.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import rasterio
from rasterio.features import geometry_mask
from rasterio.transform import Affine

from ecogis.demo.places import VILLAGES, WORKER_HOUSING, ZONES, km_to_lonlat

PIXEL_DEG = 1.0 / 1200.0
"""Pixel size in degrees (3 arc-seconds, about 92 m; WorldPop's 100 m grid)."""

NODATA = -99999.0
BACKGROUND_PER_KM2 = 25.0
"""Scattered rural residents outside villages (persons per km²)."""

DEMO_RASTER_SOURCE = "ecogis demo (illustrative)"
"""The ``source`` tag that marks a raster as the demo's own (it may be replaced)."""

EXTENT_KM = (-11.5, -7.5, 13.5, 7.5)
"""Raster extent in km from the demo centre (west, south, east, north)."""


def population_grid() -> tuple[npt.NDArray[np.float32], Affine]:
    """People per pixel over the demo area (deterministic) and the grid's transform.

    Returns
    -------
    (array, transform)
        float32 counts (persons per pixel), EPSG:4326 affine transform.
    """
    west, south = km_to_lonlat(EXTENT_KM[0], EXTENT_KM[1])
    east, north = km_to_lonlat(EXTENT_KM[2], EXTENT_KM[3])
    # Snap to the 3-arc-second grid so the raster aligns with WorldPop-style data.
    west = np.floor(west / PIXEL_DEG) * PIXEL_DEG
    north = np.ceil(north / PIXEL_DEG) * PIXEL_DEG
    width = int(np.ceil((east - west) / PIXEL_DEG))
    height = int(np.ceil((north - south) / PIXEL_DEG))
    transform = Affine(PIXEL_DEG, 0.0, float(west), 0.0, -PIXEL_DEG, float(north))
    lons = west + (np.arange(width) + 0.5) * PIXEL_DEG
    lats = north - (np.arange(height) + 0.5) * PIXEL_DEG
    lon_g, lat_g = np.meshgrid(lons, lats)
    # Local metres per degree (accurate to well under 1 % over this 25 km area).
    m_per_deg_lat = 110_574.0
    m_per_deg_lon = 111_320.0 * np.cos(np.radians(float(lats.mean())))
    pixel_km2 = (PIXEL_DEG * m_per_deg_lat) * (PIXEL_DEG * m_per_deg_lon) / 1e6
    grid = np.full(lon_g.shape, BACKGROUND_PER_KM2 * pixel_km2, dtype=np.float64)

    centres = [(v.x_km, v.y_km, float(v.population or 0)) for v in VILLAGES]
    centres += [(x, y, float(p)) for x, y, p in WORKER_HOUSING]
    for x_km, y_km, people in centres:
        lon0, lat0 = km_to_lonlat(x_km, y_km)
        sigma_m = 150.0 + 6.0 * np.sqrt(people)
        d2 = ((lon_g - lon0) * m_per_deg_lon) ** 2 + ((lat_g - lat0) * m_per_deg_lat) ** 2
        kernel = np.exp(-0.5 * d2 / sigma_m**2)
        grid += people * kernel / kernel.sum()

    zones = [
        {"type": "Polygon", "coordinates": [[km_to_lonlat(x, y) for x, y in z.outline_km]]}
        for z in ZONES
    ]
    inside = geometry_mask(zones, out_shape=grid.shape, transform=transform, invert=True)
    grid[inside] = 0.0
    return grid.astype(np.float32), transform


def write_population_raster(path: Path) -> Path:
    """Write :func:`population_grid` as a GeoTIFF (EPSG:4326, float32, nodata set).

    Parameters
    ----------
    path
        The GeoTIFF to write (replaced if it exists).

    Returns
    -------
    pathlib.Path
        ``path``: one band of persons per pixel (``kind=count``), tagged with the demo's
        ``source`` so :func:`ecogis.demo.is_demo_raster` recognises it.
    """
    grid, transform = population_grid()
    profile = {
        "driver": "GTiff",
        "width": grid.shape[1],
        "height": grid.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": transform,
        "nodata": NODATA,
        "compress": "deflate",
        "predictor": 3,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(grid, 1)
        dst.set_band_description(1, "population count")
        dst.update_tags(
            1,
            units="persons per pixel",
            kind="count",
        )
        dst.update_tags(
            TIFFTAG_IMAGEDESCRIPTION="ecogis demo: illustrative population count per pixel "
            "(ข้อมูลตัวอย่าง ไม่ใช่ข้อมูลจริง)",
            source=DEMO_RASTER_SOURCE,
        )
    return path
