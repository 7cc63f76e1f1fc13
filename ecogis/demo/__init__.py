"""The illustrative demo workspace (``ecogis demo``).

:func:`build_demo_workspace` writes a deterministic, clearly labelled *illustrative*
workspace for one target industrial area around Si Maha Phot, Prachin Buri: the province,
four districts, an industrial estate, park and zone, 63 factories with DIW types, TSIC codes,
classes, workers and horsepower, 45 villages and sensitive receptors, illustrative roads and
water (rivers, canals, a reservoir) for the maps' offline basemap, a mass balance for every
factory (with real symbiosis opportunities: ash, slag, plastics, agro residues, steam, treated
wastewater, hazardous streams for licensed receivers), a compliance table, and a small
population GeoTIFF. Nothing is read from outside the package: the tables are CSV files in
``ecogis/demo/data/`` (:mod:`~ecogis.demo.tables`) and the rest is drawn with a fixed seed, so
every run writes the same data.

Pieces: :mod:`~ecogis.demo.archetypes` (kinds of factory and their mass balances),
:mod:`~ecogis.demo.places` (where things are), :mod:`~ecogis.demo.generate` (the frames),
:mod:`~ecogis.demo.raster` (the population raster), :mod:`~ecogis.demo.programme_year` (the
illustrative year between the assessment rounds).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import rasterio

from ecogis.demo.generate import AS_OF, DATA_YEAR, SEED, demo_frames
from ecogis.demo.raster import DEMO_RASTER_SOURCE, write_population_raster
from ecogis.errors import DataValidationError, WorkspaceError
from ecogis.qgis import write_embedded_project
from ecogis.workspace import Workspace

__all__ = [
    "POPULATION_RASTER",
    "build_demo_workspace",
    "demo_frames",
    "is_demo_raster",
    "is_demo_workspace",
]

POPULATION_RASTER = "population.tif"
"""File name of the demo's population raster (next to the workspace)."""

LAYER_ORDER = (
    "provinces",
    "districts",
    "industrial_zones",
    "communities",
    "roads",
    "water",
    "factories",
    "material_flows",
    "compliance",
)


def is_demo_workspace(path: Path) -> bool:
    """Whether ``path`` is a workspace written by the demo (so it may be replaced).

    Parameters
    ----------
    path
        A GeoPackage path (it need not exist).

    Returns
    -------
    bool
        True when it opens as a workspace whose ``demo`` metadata is ``illustrative``;
        False when it is missing or is a planner's own workspace.
    """
    try:
        return Workspace.open(path).get_meta("demo") == "illustrative"
    except WorkspaceError:
        return False


def is_demo_raster(path: Path) -> bool:
    """Whether ``path`` is a population raster written by the demo (so it may be replaced).

    Parameters
    ----------
    path
        A raster path (it need not exist).

    Returns
    -------
    bool
        True when it opens as a raster whose ``source`` tag is the demo's; False when it is
        missing, unreadable, or another raster.
    """
    try:
        with rasterio.open(path) as src:
            return src.tags().get("source") == DEMO_RASTER_SOURCE
    except rasterio.errors.RasterioError:
        return False


def build_demo_workspace(
    path: str | os.PathLike[str], *, open_run: str | None = None
) -> tuple[Workspace, list[str]]:
    """Write the illustrative demo workspace at ``path`` and its population raster beside it.

    The workspace is built in a temporary file in the same folder, checked against the layer
    contract, and only then moved over ``path``: a failure leaves any earlier file intact.
    An existing demo workspace at ``path`` is replaced; any other existing file is refused,
    and so is a ``population.tif`` beside it that the demo did not write, so the demo never
    overwrites a real project.

    Parameters
    ----------
    path
        The GeoPackage to write, e.g. ``ecogis-demo/demo.gpkg``. Its folder is created.
    open_run
        Mark the workspace as in the middle of this run (:meth:`Workspace.begin_run`),
        for a caller that goes on writing analyses and marks the run finished at the end.

    Returns
    -------
    (Workspace, list of str)
        The opened workspace and summary lines (layers with row counts, files written).

    Raises
    ------
    WorkspaceError
        If ``path`` exists and is not a demo workspace, or a ``population.tif`` beside it is
        not the demo's.
    """
    target = Path(path)
    if target.exists() and not is_demo_workspace(target):
        raise WorkspaceError(
            "exists and is not an ecogis demo workspace; the demo will not overwrite it",
            source=target,
            fix="give another --workspace path, or move that file away",
        )
    raster = target.parent / POPULATION_RASTER
    if raster.exists() and not is_demo_raster(raster):
        raise WorkspaceError(
            f"{raster.name} next to it is not the demo's raster; the demo will not overwrite it",
            source=raster,
            fix="give a --workspace in another folder, or move that file away",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    frames = demo_frames()
    # Build in a private folder beside the target under the target's own file name, so the
    # QGIS project embedded in the GeoPackage refers to the name it will have ("./demo.gpkg").
    building = target.parent / f".{target.stem}.{uuid.uuid4().hex[:8]}.building"
    building.mkdir()
    tmp_gpkg = building / target.name
    tmp_raster = building / POPULATION_RASTER
    try:
        ws = Workspace.create(tmp_gpkg)
        with ws.batch():
            for name in LAYER_ORDER:
                ws.write(name, frames[name])
            ws.set_meta("demo", "illustrative")
            ws.set_meta("title_th", "พื้นที่อุตสาหกรรมเป้าหมายศรีมหาโพธิ จ.ปราจีนบุรี (ข้อมูลตัวอย่าง)")
            ws.set_meta(
                "title_en", "Si Maha Phot target industrial area, Prachin Buri (illustrative data)"
            )
            ws.set_meta("target_province", "25")
            ws.set_meta("target_zone_ids", ",".join(frames["industrial_zones"]["zone_id"]))
            ws.set_meta("data_year", str(DATA_YEAR))
            ws.set_meta("compliance_as_of", AS_OF.isoformat())
            ws.set_meta("demo_seed", str(SEED))
            ws.set_meta("population_raster", POPULATION_RASTER)
            ws.set_meta("population_raster_kind", "count")
            if open_run:
                ws.begin_run(open_run)
        problems = ws.validate(runs=False)
        if problems:  # the generator and the contract disagree: a bug, reported in full
            raise DataValidationError(
                "the generated demo data break the layer contract: "
                + "; ".join(map(str, problems[:5])),
                source=target,
                fix="please report this as a bug",
            )
        write_population_raster(tmp_raster)
        os.replace(tmp_raster, raster)
        os.replace(tmp_gpkg, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    ws = Workspace.open(target)
    # The project stored while building names the private build file; point it at the
    # final one so a data-only demo opens in QGIS too.
    with ws.batch():
        write_embedded_project(ws)
    counts = {i.name: i.rows for i in ws.layers()}
    return ws, _summary(frames, counts, target, raster)


def _summary(
    frames: dict[str, Any], counts: dict[str, int], target: Path, raster: Path
) -> list[str]:
    """Lines saying what the demo wrote (layer row counts come from the written file)."""
    f, c, fl = frames["factories"], frames["communities"], frames["material_flows"]
    comp = frames["compliance"]
    kinds = c["kind"].value_counts()
    villages = c[c["kind"] == "village"]
    waste = fl[fl["waste_code"].notna()]
    no_iso = comp[(comp["requirement"] == "iso14001") & (comp["status"] != "yes")]
    no_csr = comp[(comp["requirement"] == "csr_diw") & (comp["status"] != "yes")]
    details = {
        "industrial_zones": ", ".join(frames["industrial_zones"]["zone_type"]),
        "roads": "illustrative lines for the basemap: "
        + ", ".join(frames["roads"]["road_class"].drop_duplicates()),
        "water": "illustrative: " + ", ".join(frames["water"]["water_kind"]),
        "communities": (
            f"{kinds.get('village', 0)} villages with {int(villages['population'].sum()):,} "
            f"people; {kinds.get('school', 0)} schools, {kinds.get('temple', 0)} temples, "
            f"{kinds.get('hospital', 0)} hospitals, {kinds.get('government', 0)} offices"
        ),
        "factories": (
            f"{int(f['zone_id'].notna().sum())} inside zones, {int(f['zone_id'].isna().sum())} "
            f"outside; {int((f['factory_class'] == 3).sum())} of class 3"
        ),
        "material_flows": (
            f"all {fl['factory_id'].nunique()} factories; {len(waste)} coded waste streams, "
            f"{int(waste['hazardous'].isin(['HA', 'HM']).sum())} hazardous"
        ),
        "compliance": (
            f"{comp['requirement'].nunique()} requirements; {len(no_iso)} factories without "
            f"ISO 14001, {len(no_csr)} without CSR-DIW"
        ),
    }
    with rasterio.open(raster) as src:
        people = float(src.read(1, masked=True).sum())
    lines = [
        f"demo workspace (ข้อมูลตัวอย่าง / illustrative data): {target}",
        "  target area: Si Maha Phot, Prachin Buri (25) — made-up data for demonstration",
    ]
    for name in LAYER_ORDER:
        extra = f"  ({details[name]})" if name in details else ""
        lines.append(f"  {name:<17} {counts.get(name, 0):>5} rows{extra}")
    lines.append(f"  population raster {raster} (people per ~100 m pixel, {people:,.0f} in all)")
    return lines
