"""Shared fixtures.

Real reference data are read from ``../shared/data`` (never copied into the project). When
that folder is absent a test that needs it is skipped with the reason — except under
``CI=true``, where it fails, so CI can never pass by skipping the real-data tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("ECOGIS_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


def _need(path: Path) -> Path:
    if path.exists():
        return path
    message = f"reference data not found: {path} (set ECOGIS_SHARED_DATA or place ../shared/data)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``../shared/data`` folder (skips, or fails under CI, when absent)."""
    return _need(SHARED_DATA)


@pytest.fixture(scope="session")
def diw_raw_geojson(shared_data: Path) -> Path:
    """The real DIW registry extract for Prachin Buri (632 factories, Thai column names)."""
    return _need(shared_data / "thailand" / "diw_factories_prachinburi_raw.geojson")


@pytest.fixture(scope="session")
def provinces_geojson(shared_data: Path) -> Path:
    """The 77 province boundaries with codes and Thai/English names."""
    return _need(shared_data / "thailand" / "th_provinces_opengisdata.geojson")


@pytest.fixture(scope="session")
def landmarks_geojson(shared_data: Path) -> Path:
    """Nakhon Pathom landmarks (temples, schools, health, offices) in EPSG:4326."""
    return _need(shared_data / "thailand" / "nakhonpathom_landmarks_wgs84.geojson")


@pytest.fixture
def tmp_workspace(tmp_path: Path) -> Path:
    """A path for a fresh workspace GeoPackage (not yet created)."""
    return tmp_path / "ws.gpkg"


@pytest.fixture(scope="session")
def national_frames(provinces_geojson: Path) -> dict[str, object]:
    """Thailand's 77 provinces and 140,000 synthetic factories inside them (seeded).

    The size of DIW's registry; names, registration numbers, types and classes are made
    up (no real factory), each point lies in the province its ``pro_code`` names.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    raw = gpd.read_file(provinces_geojson)
    provinces = gpd.GeoDataFrame(
        {
            "pro_code": raw["pro_code"].astype(str).str.zfill(2),
            "name_th": raw["pro_th"],
            "name_en": raw["pro_en"],
        },
        geometry=raw.geometry.to_crs(4326),
        crs=4326,
    )
    rng = np.random.default_rng(140_000)
    n = 140_000
    w, s, e, nn = provinces.total_bounds
    lon = rng.uniform(w, e, n * 3)
    lat = rng.uniform(s, nn, n * 3)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    hit = gpd.sjoin(pts, provinces[["pro_code", "geometry"]], predicate="within", how="inner")
    hit = hit[~hit.index.duplicated()].iloc[:n]
    words = ["ไทย", "รุ่งเรือง", "อุตสาหกรรม", "การเกษตร", "พลังงาน", "โลหะ", "พลาสติก", "อาหาร"]
    i = np.arange(len(hit))
    factories = gpd.GeoDataFrame(
        {
            "factory_id": [f"SYN-{k:06d}" for k in i],
            "name_th": [f"บริษัท {words[k % 8]}{words[(k // 8) % 8]} สาขา {k} จำกัด" for k in i],
            "name_en": [f"Synthetic Factory {k} Co., Ltd." for k in i],
            "diw_type": rng.choice(["9(6)", "42", "53", "64", "88", "101", "105", "106"], len(i)),
            "diw_type_main": pd.array(
                rng.choice([9, 42, 53, 64, 88, 101, 105], len(i)), dtype="Int64"
            ),
            "tsic": rng.choice(["10611", "20111", "22220", "24101", "35101", "38220"], len(i)),
            "factory_class": pd.array(
                rng.choice([1, 2, 3], len(i), p=[0.1, 0.3, 0.6]), dtype="Int64"
            ),
            "workers": pd.array(rng.integers(5, 900, len(i)), dtype="Int64"),
            "pro_code": hit["pro_code"].to_numpy(),
            "coord_flag": ["ok"] * len(i),
        },
        geometry=hit.geometry.to_numpy(),
        crs=4326,
    )
    return {"provinces": provinces, "factories": factories}
