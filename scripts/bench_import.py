"""Benchmark: importing a DIW open-data API CSV of national size.

Builds a seeded synthetic registry (Thai text, Excel-quoted IDs, ~40 % rows without
coordinates, 0/1 placeholders) and times

* ``ecogis``: :func:`ecogis.tasks.imports.import_file` — read, check every value, place
  points, admin codes from names, upsert into a new workspace; then a re-import of the same
  file (every row compared by key);
* the common approach: ``pandas.read_csv`` + ``geopandas.points_from_xy`` + ``to_file``
  (no checks, placeholders become points at 0/1°, Excel quotes stay in the IDs).

Prints times, the ratio, and the peak resident memory after each step (the common approach
runs last, so its figure includes ours; run it alone for its own).

    python scripts/bench_import.py --scale 0.1     # 14,000 rows
    python scripts/bench_import.py                 # 140,000 rows (the national registry)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

NATIONAL_ROWS = 140_000
TYPES = [("9(6)", "10621"), ("53(5)", "22220"), ("105", "38211"), ("42(1)", "20111"),
         ("88(1)", "35101"), ("64(13)", "25920"), ("3(1)", "08101"), ("106", "38300")]  # fmt: skip
PLACES = [("ปราจีนบุรี", "กบินทร์บุรี", "วังท่าช้าง", 13.95, 101.72),
          ("ระยอง", "เมืองระยอง", "มาบตาพุด", 12.70, 101.15),
          ("สมุทรปราการ", "บางพลี", "บางพลีใหญ่", 13.60, 100.70),
          ("ขอนแก่น", "เมืองขอนแก่น", "ในเมือง", 16.43, 102.83)]  # fmt: skip


def synthetic_registry(rows: int, seed: int = 42) -> pd.DataFrame:
    """Make a DIW API table with the real format's traps (seeded)."""
    rng = np.random.default_rng(seed)
    i = np.arange(rows)
    t = rng.integers(0, len(TYPES), rows)
    p = rng.integers(0, len(PLACES), rows)
    r = rng.random(rows)
    lat = np.array([PLACES[k][3] for k in p]) + rng.normal(0, 0.05, rows)
    lon = np.array([PLACES[k][4] for k in p]) + rng.normal(0, 0.05, rows)
    lat_s = np.where(r < 0.35, "", np.where(r < 0.42, "0", np.round(lat, 6).astype(str)))
    lon_s = np.where(r < 0.35, "", np.where(r < 0.42, "0", np.round(lon, 6).astype(str)))
    return pd.DataFrame(
        {
            "FACREG": [f'="  {n:010d}"' for n in i],
            "DISPFACREG": [f"3-{TYPES[k][0]}-{n}/6{n % 10}" for n, k in zip(i, t, strict=True)],
            "FID": [str(10_000_000_000_000 + n) for n in i],
            "FACTYPE": "3",
            "FNAME": [f"บริษัท ตัวอย่าง {n} จำกัด" for n in i],
            "OBJECT": "ผลิตภัณฑ์ตัวอย่าง",
            "FADDR": (i % 500).astype(str),
            "FTUMNAME": [PLACES[k][2] for k in p],
            "FAMPNAME": [PLACES[k][1] for k in p],
            "FPROVNAME": [PLACES[k][0] for k in p],
            "TOTAL_CAP": (rng.integers(1, 500, rows) * 100_000).astype(str),
            "TOTAL_WORKER": rng.integers(1, 800, rows).astype(str),
            "HP": rng.integers(10, 5000, rows).astype(str),
            "LAT": lat_s,
            "LNG": lon_s,
            "ISIC_CODE": [TYPES[k][1] for k in t],
            "ESTATE": "OUT",
            "FFLAG": rng.integers(0, 4, rows).astype(str),
            "LAST_UPDATE": "2025-06-30",
        }
    )


def measure(func: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds of one call, and the process's peak resident memory (MiB) after it.

    Peak RSS (``resource.getrusage``) rather than tracemalloc: tracing every allocation
    slows pandas several times over and would distort the times.
    """
    t0 = time.perf_counter()
    out = func()
    seconds = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return seconds, peak_kib / 1024, out


def common_approach(csv: Path, gpkg: Path) -> int:
    """Run the usual script: read the CSV, make points from LAT/LNG, write a GeoPackage.

    Parameters
    ----------
    csv
        The DIW API CSV (UTF-8 with BOM).
    gpkg
        The GeoPackage to write (layer ``factories``).

    Returns
    -------
    int
        Rows written (every row, checked or not).
    """
    df = pd.read_csv(csv, encoding="utf-8-sig", dtype=str)
    lat = pd.to_numeric(df["LAT"], errors="coerce")
    lon = pd.to_numeric(df["LNG"], errors="coerce")
    # GeoPackage reserves the column name FID: the registry's own FID must be renamed.
    df = df.rename(columns={"FID": "FID_DIW"})
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    gdf.to_file(gpkg, layer="factories", engine="pyogrio")
    return len(gdf)


def main() -> None:
    """Time ecogis's import, re-import and 1 % update against the common approach; print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 140,000 rows")
    args = parser.parse_args()
    rows = max(100, int(NATIONAL_ROWS * args.scale))
    from ecogis.tasks.imports import import_file

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "Factory_Data.csv"
        synthetic_registry(rows).to_csv(csv, index=False, encoding="utf-8-sig")
        print(f"synthetic DIW API CSV: {rows:,} rows, {csv.stat().st_size / 2**20:.1f} MiB")
        t_ours, m_ours, summary = measure(lambda: import_file(folder / "w.gpkg", "factories", csv))
        print(
            f"ecogis import:          {t_ours:7.2f} s  peak {m_ours:7.1f} MiB  ({summary.line()})"
        )
        t_again, m_again, again = measure(lambda: import_file(folder / "w.gpkg", "factories", csv))
        print(
            f"ecogis re-import:       {t_again:7.2f} s  peak {m_again:7.1f} MiB  "
            f"({again.unchanged:,} unchanged, {again.added} added)"
        )
        changed = synthetic_registry(rows)
        changed.loc[changed.index[::100], "TOTAL_WORKER"] = "9999"  # 1 % of rows changed
        changed.to_csv(csv, index=False, encoding="utf-8-sig")
        t_upd, m_upd, upd = measure(lambda: import_file(folder / "w.gpkg", "factories", csv))
        print(
            f"ecogis update (1 %):    {t_upd:7.2f} s  peak {m_upd:7.1f} MiB  "
            f"({upd.updated:,} updated, {upd.unchanged:,} unchanged)"
        )
        t_common, m_common, n = measure(lambda: common_approach(csv, folder / "c.gpkg"))
        print(f"read_csv+points+to_file:{t_common:7.2f} s  peak {m_common:7.1f} MiB  ({n:,} rows)")
        print(
            f"ratio ecogis / common: {t_ours / t_common:.1f}× "
            "(the common approach checks nothing: placeholders become points at 0°, "
            "Excel quotes stay in the IDs, no admin codes, no upsert)"
        )


if __name__ == "__main__":
    main()
