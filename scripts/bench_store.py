"""Benchmark: the two workspace stores, GeoPackage and PostGIS, on the same national work.

In one run, on each store:

* ``ecogis import factories`` of a DIW open-data API CSV of national size (140,000 rows,
  seeded and registry-shaped: the generator of ``scripts/bench_import.py``), its re-import
  (no change: every row compared by key, ``0 added … N unchanged``) and an import with 1 %
  of the rows changed;
* ``ecogis risk`` (:func:`ecogis.tasks.risk.run_risk`: read factories and communities,
  score, write every risk layer in one batch) with 20,000 synthetic villages; its time is
  also split into the reads of the workspace and the write of the result batch (commit
  included);
* 20 concurrent small upserts (20 processes, each merging 5 compliance records of its own
  factories into the same workspace at the same moment), every row counted afterwards. The
  writer processes are started and have imported ecogis before the clock starts; each opens
  the workspace itself, as a second ``ecogis`` command would.

Each store runs in a process of its own, so its peak resident memory is its own. Prints
seconds, the ratio PostGIS / GeoPackage, and each store's peak resident memory after its
steps (``--json``: one JSON object). The database comes from ``--postgres URL`` or
``ECOGIS_TEST_POSTGRES_URL`` (a PostGIS database; a fresh schema is made and dropped).

    python scripts/bench_store.py --scale 0.05     # 7,000 factories, a quick look
    python scripts/bench_store.py --json           # 140,000 factories (DIW's registry)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

NATIONAL_ROWS = 140_000
VILLAGES = 20_000
WRITERS = 20


def _registry_generator() -> Callable[[int], pd.DataFrame]:
    """``synthetic_registry`` of ``bench_import.py`` (one generator for both benchmarks)."""
    spec = importlib.util.spec_from_file_location(
        "bench_import", Path(__file__).with_name("bench_import.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_registry  # type: ignore[no-any-return]


def villages(factories: gpd.GeoDataFrame, n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """``n`` villages scattered around the placed factories (seeded, made up)."""
    rng = np.random.default_rng(seed)
    placed = factories[factories.geometry.notna() & ~factories.geometry.is_empty]
    pick = placed.iloc[rng.integers(0, len(placed), n)]
    x = pick.geometry.x.to_numpy() + rng.normal(0, 0.03, n)
    y = pick.geometry.y.to_numpy() + rng.normal(0, 0.03, n)
    kinds = rng.choice(["village", "school", "temple", "hospital"], n, p=[0.85, 0.07, 0.06, 0.02])
    return gpd.GeoDataFrame(
        {
            "community_id": [f"BENCH-{i:06d}" for i in range(n)],
            "name_th": [f"บ้านตัวอย่าง {i}" for i in range(n)],
            "kind": kinds,
            "sensitive": kinds != "village",
            "population": pd.array(rng.integers(50, 3000, n), dtype="Int64"),
            "pro_code": pick["pro_code"].to_numpy(),
        },
        geometry=gpd.points_from_xy(x, y),
        crs=4326,
    )


def measure(func: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds of one call, and the process's peak resident memory (MiB) after it."""
    t0 = time.perf_counter()
    out = func()
    seconds = time.perf_counter() - t0
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, out


def _warm() -> None:
    """Pool initializer: the imports of an ``ecogis`` process, out of the timing."""
    import ecogis.workspace
    import ecogis.workspace.gpkg
    import ecogis.workspace.postgis

    ecogis.workspace.postgis._sqlalchemy()


def _one_upsert(args: tuple[str, list[str], str]) -> int:
    """Merge compliance records of its own factories (one writer process)."""
    location, factory_ids, requirement = args
    from ecogis.workspace import Workspace

    frame = pd.DataFrame(
        {"factory_id": factory_ids, "requirement": requirement, "status": "yes", "source": "bench"}
    )
    return Workspace.open(location).upsert("compliance", frame).added


def concurrent_upserts(location: str, factory_ids: list[str]) -> tuple[float, int]:
    """Wall-clock seconds for :data:`WRITERS` simultaneous upserts; rows stored after."""
    from ecogis.workspace import Workspace

    jobs = [(location, factory_ids[i * 5 : i * 5 + 5], "iso14001") for i in range(WRITERS)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS, initializer=_warm) as pool:
        pool.map(time.sleep, [0.5] * WRITERS, chunksize=1)  # every worker started and warm
        t0 = time.perf_counter()
        pool.map(_one_upsert, jobs, chunksize=1)
        seconds = time.perf_counter() - t0
    stored = Workspace.open(location).read("compliance", filters={"requirement": "iso14001"})
    return seconds, len(stored)


def _timed_io(spent: dict[str, float], func: Callable[[], Any]) -> Any:
    """Run ``func``, adding the seconds of its reads and its outermost batches to ``spent``.

    A batch's seconds are its writes and their commit.
    """
    import contextlib

    from ecogis.workspace import Workspace

    read, batch = Workspace.read, Workspace.batch

    def timed_read(self: Workspace, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return read(self, *args, **kwargs)
        finally:
            if not self.store.in_transaction:
                spent["read"] += time.perf_counter() - t0

    @contextlib.contextmanager
    def timed_batch(self: Workspace) -> Any:
        outer = not self.store.in_transaction
        t0 = time.perf_counter()
        with batch(self) as ws:
            yield ws
        if outer:
            spent["write"] += time.perf_counter() - t0

    Workspace.read, Workspace.batch = timed_read, timed_batch  # type: ignore[method-assign]
    try:
        return func()
    finally:
        Workspace.read, Workspace.batch = read, batch  # type: ignore[method-assign]


def run_store(name: str, location: str, csv: Path, changed_csv: Path) -> dict[str, Any]:
    """Every step on one store; the figures."""
    from ecogis.tasks.imports import import_file
    from ecogis.tasks.risk import run_risk
    from ecogis.workspace import Workspace

    out: dict[str, Any] = {}
    t, m, s = measure(lambda: import_file(location, "factories", csv))
    out["import_s"], out["import_peak_mib"], out["imported"] = t, m, s.added
    t, m, s = measure(lambda: import_file(location, "factories", csv))
    out["reimport_s"], out["reimport_peak_mib"], out["reimport_unchanged"] = t, m, s.unchanged
    t, m, s = measure(lambda: import_file(location, "factories", changed_csv))
    out["update_1pct_s"], out["update_peak_mib"], out["updated"] = t, m, s.updated
    ws = Workspace.open(location)
    factories = ws.read("factories")
    with ws.batch():
        ws.write("communities", villages(factories, VILLAGES))
    spent = {"read": 0.0, "write": 0.0}
    t, m, _ = measure(lambda: _timed_io(spent, lambda: run_risk(Workspace.open(location))))
    out["risk_s"], out["risk_peak_mib"] = t, m
    out["risk_read_s"], out["risk_write_s"] = spent["read"], spent["write"]
    ids = sorted(factories["factory_id"].astype(str))[: WRITERS * 5]
    seconds, stored = concurrent_upserts(location, ids)
    out["upserts_20_s"], out["upserts_rows"] = seconds, stored
    print(
        f"{name:10s} import {out['import_s']:7.1f} s ({out['imported']:,} added)  "
        f"re-import {out['reimport_s']:6.1f} s ({out['reimport_unchanged']:,} unchanged)  "
        f"1 % update {out['update_1pct_s']:6.1f} s ({out['updated']:,} updated)  "
        f"risk {out['risk_s']:6.1f} s (read {spent['read']:.1f}, write {spent['write']:.1f})  "
        f"20 upserts {seconds:5.2f} s ({stored}/100 rows)  "
        f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB",
        file=sys.stderr,
    )
    return out


def _store_in_own_process(name: str, location: str, csv: Path, changed_csv: Path) -> Any:
    """:func:`run_store` in a fresh interpreter (its own peak memory); its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--one-store", name, location, str(csv), str(changed_csv)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    """Run the same national work on a GeoPackage and on PostGIS; print times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 140,000 factories")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ECOGIS_TEST_POSTGRES_URL", ""),
        help="a PostGIS database URL (default: $ECOGIS_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--one-store", nargs=4, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.one_store:
        name, location, csv, changed = args.one_store
        print(json.dumps(run_store(name, location, Path(csv), Path(changed))))
        return
    if not args.postgres:
        parser.error("give --postgres postgresql://user@host:port/db (a database with PostGIS)")
    rows = max(200, int(NATIONAL_ROWS * args.scale))
    synthetic_registry = _registry_generator()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    pg = f"{args.postgres.split('?')[0]}?schema={schema}"
    results: dict[str, Any] = {
        "factories": rows,
        "villages": VILLAGES,
        "writers": WRITERS,
        "cores": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2),
    }
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            csv, changed_csv = folder / "Factory_Data.csv", folder / "Factory_Data_1pct.csv"
            registry = synthetic_registry(rows)
            registry.to_csv(csv, index=False, encoding="utf-8-sig")
            registry.loc[registry.index[::100], "TOTAL_WORKER"] = "9999"  # 1 % of the rows
            registry.to_csv(changed_csv, index=False, encoding="utf-8-sig")
            del registry
            gpkg = str(folder / "w.gpkg")
            results["gpkg"] = _store_in_own_process("GeoPackage", gpkg, csv, changed_csv)
            results["postgis"] = _store_in_own_process("PostGIS", pg, csv, changed_csv)
    finally:
        _drop_schema(args.postgres, schema)
    results["load_after"] = round(os.getloadavg()[0], 2)
    keys = ("import_s", "reimport_s", "update_1pct_s", "risk_s", "risk_read_s", "risk_write_s")
    ratios = {
        k: round(results["postgis"][k] / results["gpkg"][k], 2)
        for k in (*keys, "upserts_20_s")
        if results["gpkg"][k] > 0
    }
    results["ratio_postgis_over_gpkg"] = ratios
    for store in ("gpkg", "postgis"):
        results[store] = {
            k: round(v, 2) if isinstance(v, float) else v for k, v in results[store].items()
        }
        results[store]["peak_mib"] = max(
            v for k, v in results[store].items() if k.endswith("_peak_mib")
        )
    if args.json:
        print(json.dumps(results))
        return
    print("ratio PostGIS / GeoPackage: " + ", ".join(f"{k} {v}×" for k, v in ratios.items()))
    print(
        f"peak resident memory: GeoPackage {results['gpkg']['peak_mib']:,.0f} MiB, "
        f"PostGIS {results['postgis']['peak_mib']:,.0f} MiB (client side; each store in its "
        f"own process); load average {results['load_before']} before, "
        f"{results['load_after']} after, {results['cores']} cores"
    )


def _drop_schema(url: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(
        url.split("?")[0].replace("postgresql://", "postgresql+psycopg://", 1)
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        if conn.exec_driver_sql("SELECT to_regclass('public.layer_styles')").scalar():
            conn.exec_driver_sql(
                "DELETE FROM public.layer_styles WHERE f_table_schema = %(s)s", {"s": schema}
            )
    engine.dispose()


if __name__ == "__main__":
    main()
