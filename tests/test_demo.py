"""The illustrative demo workspace (issue 2 §6) and the ``ecogis demo`` verb."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from click.testing import CliRunner
from geopandas.testing import assert_geodataframe_equal
from pyproj import Geod
from rasterio.transform import Affine

from ecogis.cli import cli
from ecogis.demo import POPULATION_RASTER, build_demo_workspace, demo_frames
from ecogis.demo.archetypes import DISPOSAL_CODES, WASTE_CODES
from ecogis.demo.places import NEAR_RECEPTOR_CASES, VILLAGES, WORKER_HOUSING
from ecogis.errors import WorkspaceError
from ecogis.workspace import Workspace

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, list[str], Path]:
    """The demo written once for the module's read-only checks."""
    folder = tmp_path_factory.mktemp("demo")
    ws, lines = build_demo_workspace(folder / "demo.gpkg")
    return ws, lines, folder


@pytest.fixture(scope="module")
def frames() -> dict[str, Any]:
    return demo_frames()


def _distance_m(a: Any, b: Any) -> float:
    return float(GEOD.inv(a.x, a.y, b.x, b.y)[2])


# ---------------------------------------------------------------- determinism
def test_two_generations_are_identical(frames: dict[str, Any]) -> None:
    again = demo_frames()
    assert frames.keys() == again.keys()
    for name, frame in frames.items():
        if isinstance(frame, gpd.GeoDataFrame):
            assert_geodataframe_equal(frame, again[name])
        else:
            pd.testing.assert_frame_equal(frame, again[name], check_exact=True)


def test_two_built_workspaces_hold_the_same_data(
    built: tuple[Workspace, list[str], Path], tmp_path: Path
) -> None:
    ws, _, folder = built
    other, _ = build_demo_workspace(tmp_path / "again.gpkg")
    assert ws.layer_names() == other.layer_names()
    for name in ws.layer_names():
        a, b = ws.read(name), other.read(name)
        if isinstance(a, gpd.GeoDataFrame):
            assert_geodataframe_equal(a, b)
        else:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
    with (
        rasterio.open(folder / POPULATION_RASTER) as r1,
        rasterio.open(tmp_path / POPULATION_RASTER) as r2,
    ):
        assert np.array_equal(r1.read(1), r2.read(1))


# ---------------------------------------------------------------- contents
def test_workspace_is_labelled_illustrative_and_valid(
    built: tuple[Workspace, list[str], Path],
) -> None:
    ws, lines, _ = built
    assert ws.get_meta("demo") == "illustrative"
    assert ws.get_meta("compliance_as_of") == "2024-12-31"
    assert "ตัวอย่าง" in (ws.get_meta("title_th") or "")
    assert "illustrative" in (ws.get_meta("title_en") or "")
    assert ws.validate() == []
    assert any("factories" in line and "65" in line for line in lines)
    assert any(POPULATION_RASTER in line for line in lines)


def test_province_and_districts_are_real_codes_with_simplified_shapes(
    frames: dict[str, Any],
) -> None:
    prov = frames["provinces"]
    assert list(prov["pro_code"]) == ["25"]
    assert prov.iloc[0]["name_th"] == "ปราจีนบุรี"
    assert prov.iloc[0]["name_en"] == "Prachin Buri"
    dist = frames["districts"]
    assert 2 <= len(dist) <= 4
    assert dist["amp_code"].str.startswith("25").all()
    assert "ศรีมหาโพธิ" in set(dist["name_th"])
    outline = prov.geometry.iloc[0]
    assert all(outline.buffer(1e-9).contains(g) for g in dist.geometry)


def test_province_outline_sits_on_the_real_province(
    frames: dict[str, Any], provinces_geojson: Path
) -> None:
    real = gpd.read_file(provinces_geojson)
    code_col = "pro_code" if "pro_code" in real.columns else real.columns[0]
    real25 = real[real[code_col].astype(str).str.zfill(2) == "25"].to_crs(32647)
    demo = frames["provinces"].to_crs(32647)
    overlap = demo.geometry.iloc[0].intersection(real25.geometry.union_all()).area
    assert overlap / real25.geometry.area.sum() > 0.6
    area_centre = frames["industrial_zones"].to_crs(32647).geometry.union_all().centroid
    assert real25.geometry.union_all().contains(area_centre)


def test_three_zone_types_with_green_area(frames: dict[str, Any]) -> None:
    zones = frames["industrial_zones"]
    assert sorted(zones["zone_type"]) == ["estate", "park", "zone"]
    assert zones["name_th"].str.contains("ตัวอย่าง").all()
    assert (zones["green_area_ha"] > 0).all()
    assert (zones["green_area_ha"] < zones["area_ha"]).all()
    metric_area_ha = zones.to_crs(32647).area / 1e4
    np.testing.assert_allclose(zones["area_ha"], metric_area_ha, rtol=0.01)


def test_roads_and_water_are_illustrative_and_drawn_on_the_offline_basemap(
    frames: dict[str, Any],
) -> None:
    """Issue 12.3: the demo's offline basemap shows roads and water, labelled illustrative."""
    from ecogis import schema
    from ecogis.demo.ids import DEMO_SOURCE
    from ecogis.webmap.basemap import workspace_basemap

    roads, water = frames["roads"], frames["water"]
    for name, frame, kind in (("roads", roads, "road_class"), ("water", water, "water_kind")):
        contract = schema.contract(name)
        assert set(frame.columns) - {"geometry"} <= set(contract.field_names)
        allowed = next(f.values for f in contract.fields if f.name == kind)
        assert frame[kind].isin(allowed).all()
        assert frame[contract.key[0]].str.startswith("DEMO-").all()
        assert (frame["source"] == DEMO_SOURCE).all()
        assert frame["name_th"].str.contains("(ตัวอย่าง)", regex=False).all()
    assert {"trunk", "primary", "secondary"} <= set(roads["road_class"])
    assert {"river", "canal"} <= set(water["water_kind"])
    assert set(water.geom_type) == {"LineString", "Polygon"}
    # A side road starts on a vertex of the road it leaves (the lines are noded).
    vertices = {tuple(c) for line in roads.geometry for c in line.coords}
    ends = [tuple(line.coords[0]) for line in roads.geometry]
    assert sum(
        any(e in set(other.coords) for other in roads.geometry if other is not line)
        for e, line in zip(ends, roads.geometry, strict=True)
    ) >= 4 and len(vertices) > len(roads)
    # The area's factories lie among the roads drawn.
    inside = frames["factories"].dropna(subset=["geometry"])
    assert roads.total_bounds[0] < inside.total_bounds[0]
    assert roads.total_bounds[2] > inside.total_bounds[2]
    base = workspace_basemap(
        {k: frames[k] for k in ("provinces", "roads", "water")},
        lang="th",
        overlays={},
        regional=False,
    )
    assert base is not None
    assert {e["layer"] for e in base["layers"]} >= {"roads", "water"}
    assert "แม่น้ำปราจีนบุรี (ตัวอย่าง)" in {label["text"] for label in base["labels"]}


def test_factories_meet_the_issue_minimums(frames: dict[str, Any]) -> None:
    f = frames["factories"]
    assert len(f) >= 60
    assert f["factory_id"].is_unique
    mains = set(f["diw_type_main"])
    for needed in (9, 42, 53, 57, 59, 60, 88, 89, 101, 105, 106):
        assert needed in mains, needed
    assert f["tsic"].str.fullmatch(r"\d{5}").all()
    assert set(f["factory_class"]) >= {2, 3}
    assert (f["workers"] > 0).all() and (f["horsepower"] > 0).all()
    assert (f["capital_thb"] > 0).all()
    assert f["licence_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    # the old registration format behind a prefix no real number has (DEMO-3-42(1)-12/55ปจ):
    # a demo number once was a real Prachin Buri factory's (issue 14.9)
    assert f["factory_id"].str.fullmatch(r"DEMO-จ?[123]-\d{1,3}(\(\d{1,2}\))?-\d+/\d{2}ปจ").all()
    assert f["fid_diw"].str.fullmatch(r"DEMO-\d{14}").all()
    # the type inside the number is the factory's type
    assert (f["factory_id"].str.split("-").str[2] == f["diw_type"]).all()


def test_factory_names_are_companies_and_say_illustrative(frames: dict[str, Any]) -> None:
    f = frames["factories"]
    assert f["name_th"].str.match(r"^(บริษัท|ห้างหุ้นส่วนจำกัด) ").all()
    assert f["name_th"].str.contains("ตัวอย่าง").all()
    assert f["name_th"].is_unique and f["name_en"].is_unique
    assert f["name_en"].str.contains(r"\(Demo\)").all()
    assert f["name_en"].str.contains(r"Co\., Ltd\.|Ltd\. Part\.").all()
    texts = [
        *frames["communities"][["name_th", "name_en", "source"]].to_numpy().ravel(),
        *f[["name_th", "name_en", "activity", "address", "source"]].to_numpy().ravel(),
        *frames["compliance"]["evidence"].dropna(),
    ]
    phone = re.compile(r"(?<!\d)0\d{1,2}[- ]?\d{3}[- ]?\d{3,4}(?!\d)")
    assert not [t for t in texts if phone.search(str(t))], "no phone numbers"
    text = " ".join(map(str, texts))
    assert "นาย" not in text and "นาง" not in text


def test_unplaced_registry_rows_are_kept_and_flagged(frames: dict[str, Any]) -> None:
    f = frames["factories"]
    unplaced = f[f.geometry.isna()]
    assert len(unplaced) == 2
    assert (unplaced["coord_flag"] == "missing").all()
    assert (f.loc[f.geometry.notna(), "coord_flag"] == "ok").all()
    assert unplaced["amp_code"].notna().all() and unplaced["address"].notna().all()
    assert set(unplaced["factory_id"]) <= set(frames["material_flows"]["factory_id"])
    assert {"stopped", "licensed"} <= set(f["status"])


def test_zone_id_matches_where_the_factory_is(frames: dict[str, Any]) -> None:
    f = frames["factories"]
    zones = frames["industrial_zones"].set_index("zone_id")
    inside = f[f["zone_id"].notna()]
    assert len(inside) > len(f) / 2, "most factories are inside zones"
    assert (f["zone_id"].isna()).sum() >= 10, "some are outside"
    for _, row in inside.iterrows():
        assert zones.loc[row["zone_id"], "geometry"].contains(row.geometry)
        assert row["estate_name"] == zones.loc[row["zone_id"], "name_th"]
    any_zone = zones.geometry.union_all()
    assert not f[f["zone_id"].isna()].geometry.within(any_zone).any()


def test_communities_meet_the_issue_minimums(frames: dict[str, Any]) -> None:
    c = frames["communities"]
    assert len(c) >= 40
    kinds = c["kind"].value_counts()
    for kind in ("village", "school", "temple", "hospital", "government"):
        assert kinds.get(kind, 0) >= 1, kind
    villages = c[c["kind"] == "village"]
    assert (villages["population"] > 0).all()
    assert not villages["sensitive"].any()
    assert c.loc[c["kind"] != "village", "sensitive"].all()


def test_siting_cases_are_the_planned_ones(frames: dict[str, Any]) -> None:
    """Exactly the deliberate factories sit within 100 m of a sensitive place."""
    f = frames["factories"]
    f = f[f.geometry.notna()]
    sensitive = frames["communities"][frames["communities"]["sensitive"]]
    close = []
    for _, fac in f.iterrows():
        for _, rec in sensitive.iterrows():
            d = _distance_m(fac.geometry, rec.geometry)
            if d < 150:
                close.append((fac["diw_type"], fac["factory_class"], rec["community_id"], d))
    assert len(close) == len(NEAR_RECEPTOR_CASES)
    planned = {f"DEMO-{key}": dist for key, dist in NEAR_RECEPTOR_CASES.values()}
    for *_, rec_id, d in close:
        assert d == pytest.approx(planned[rec_id], abs=1.0)
    # the class-2 rice mill breaks the 50 m rule; the class-3 ones the 100 m rule
    assert any(cls == 2 and d < 50 for _, cls, _, d in close)
    assert sum(cls == 3 and d < 100 for _, cls, _, d in close) >= 3


# ---------------------------------------------------------------- mass balances
def test_every_factory_has_a_mass_balance(frames: dict[str, Any]) -> None:
    flows = frames["material_flows"]
    ids = set(frames["factories"]["factory_id"])
    assert set(flows["factory_id"]) == ids
    per = flows.groupby("factory_id")["direction"].agg(set)
    assert (per.map(lambda s: s == {"in", "out"})).all()
    assert set(flows["unit"]) <= {"t/yr", "m3/yr", "MWh/yr"}
    assert (flows["quantity"] > 0).all()
    assert (flows["year"] == flows["year"].iloc[0]).all()


def test_mass_balances_close_except_the_incomplete_forms(frames: dict[str, Any]) -> None:
    """Inputs and outputs by mass (water at 1 t/m³) agree within 10 % for every factory but
    the bakeries and foundries, whose forms leave out flue gas or evaporation on purpose."""
    flows = frames["material_flows"]
    waters = ["water", "wastewater", "treated_wastewater"]
    weighed = flows[(flows["unit"] == "t/yr") | flows["material"].isin(waters)]
    totals = weighed.pivot_table(
        index="factory_id", columns="direction", values="quantity", aggfunc="sum"
    )
    gap = (totals["in"] - totals["out"]).abs() / totals.max(axis=1)
    types = frames["factories"].set_index("factory_id")["diw_type"]
    open_ = set(types[gap[gap > 0.10].index])
    assert open_ == {"10(1)", "59"}
    assert (gap <= 0.10).mean() > 0.9


def test_waste_codes_marks_and_disposal(frames: dict[str, Any]) -> None:
    flows = frames["material_flows"]
    coded = flows[flows["waste_code"].notna()]
    assert coded["waste_code"].str.fullmatch(r"\d{6}").all()
    for code, mark in zip(coded["waste_code"], coded["hazardous"], strict=True):
        assert WASTE_CODES[code][1] == mark
    waste = flows[flows["flow_kind"] == "waste"]
    assert waste["waste_code"].notna().all()
    assert waste["disposal_code"].isin(list(DISPOSAL_CODES)).all()
    hazardous = waste[waste["hazardous"].isin(["HA", "HM"])]
    assert len(hazardous) >= 10
    assert hazardous["disposal_code"].isin(["073", "075"]).all()
    assert flows.loc[flows["waste_code"].isna(), "hazardous"].isna().all()


def test_waste_code_table_is_exactly_what_the_archetypes_use() -> None:
    from ecogis.demo.archetypes import ARCHETYPES

    used = {f.waste_code for a in ARCHETYPES.values() for f in a.flows if f.waste_code}
    assert used == set(WASTE_CODES)


def test_waste_codes_are_real_list_of_waste_entries(shared_data: Path) -> None:
    ewc = pd.read_csv(shared_data / "symbiosis" / "ewc_list_of_waste.csv", dtype=str)
    by_code = ewc.set_index("ewc_code")["entry_type_wm3"].to_dict()
    expected = {"Absolute hazardous": "HA", "Mirror hazardous": "HM"}
    for code, (_, mark) in WASTE_CODES.items():
        assert code in by_code, code
        assert expected.get(by_code[code], "none") == mark, code


def _outputs(flows: pd.DataFrame, material: str) -> pd.DataFrame:
    return flows[(flows["direction"] == "out") & (flows["material"] == material)]


def _inputs(flows: pd.DataFrame, material: str) -> pd.DataFrame:
    return flows[(flows["direction"] == "in") & (flows["material"] == material)]


@pytest.mark.parametrize(
    ("material", "code", "receiver_types"),
    [
        ("fly_ash", "100102", {"57"}),
        ("steel_slag", "100202", {"57"}),
        ("plastic_scrap", "070213", {"106"}),
        ("metal_scrap", "120101", {"59"}),
        ("paper_scrap", "150101", {"38(2)"}),
        ("rice_husk", "020103", {"88"}),
        ("cassava_pulp", "020304", {"15(1)"}),
        ("glass_cullet", "150107", {"54"}),
        ("wood_waste", "030105", {"88", "34(3)"}),
        ("distillery_slop", "020702", {"43(1)"}),
        ("used_oil", "130205", {"106"}),
        ("spent_solvent", "140603", {"106"}),
    ],
)
def test_symbiosis_opportunities_exist(
    frames: dict[str, Any], material: str, code: str, receiver_types: set[str]
) -> None:
    """A factory outputs the material and another declares it as an input (grade A)."""
    flows = frames["material_flows"]
    types = frames["factories"].set_index("factory_id")["diw_type"]
    out = _outputs(flows, material)
    assert code in set(out["waste_code"])
    receivers = _inputs(flows, material)
    assert set(types[receivers["factory_id"]]) & receiver_types
    assert not set(out["factory_id"]) >= set(receivers["factory_id"]), "not only to itself"


def test_compatible_receivers_without_a_declared_input(frames: dict[str, Any]) -> None:
    """Some receivers only have a compatible sector: no one declares FGD gypsum or bottom
    ash, but the cement plant (TSIC 23941) can take both."""
    flows = frames["material_flows"]
    for material in ("fgd_gypsum", "bottom_ash", "rice_husk_ash", "foundry_sand"):
        assert len(_outputs(flows, material)) >= 1
        assert _inputs(flows, material).empty
    assert "23941" in set(frames["factories"]["tsic"])


def test_steam_has_neighbours_within_pipe_distance(frames: dict[str, Any]) -> None:
    flows = frames["material_flows"]
    points = frames["factories"].set_index("factory_id").geometry
    producers = _outputs(flows, "steam")["factory_id"]
    users = _inputs(flows, "steam")["factory_id"]
    assert len(producers) == 1 and len(users) >= 5
    near = [u for u in users if _distance_m(points[producers.iloc[0]], points[u]) < 3_000]
    assert len(near) >= 3


def test_hazardous_streams_and_licensed_receivers(frames: dict[str, Any]) -> None:
    flows = frames["material_flows"]
    f = frames["factories"].set_index("factory_id")
    for material in ("used_oil", "spent_solvent"):
        out = _outputs(flows, material)
        assert (out["hazardous"] == "HA").all()
        receivers = f.loc[_inputs(flows, material)["factory_id"], "diw_type_main"]
        assert set(receivers) <= {101, 105, 106}
    assert {101, 105, 106} <= set(f["diw_type_main"])
    treated = _outputs(flows, "treated_wastewater")
    assert len(treated) >= 1 and (treated["unit"] == "m3/yr").all()
    assert not _inputs(flows, "treated_wastewater").empty


def test_mass_balance_quantities_are_plausible(frames: dict[str, Any]) -> None:
    flows = frames["material_flows"]
    f = frames["factories"].set_index("factory_id")
    power = f.index[f["diw_type"] == "88"]
    coal_plant = [p for p in power if not _inputs(flows[flows.factory_id == p], "coal").empty]
    assert len(coal_plant) == 1
    fl = flows[flows["factory_id"] == coal_plant[0]].set_index("material")
    coal, ash = fl.loc["coal", "quantity"], fl.loc["fly_ash", "quantity"]
    assert 0.05 < ash / coal < 0.15  # ash is about a tenth of the coal burnt
    assert 100_000 < coal < 500_000  # a few hundred kt a year for a ~75 MW plant
    cement = flows[flows["factory_id"].isin(f.index[f["diw_type"] == "57"])]
    fly_in = _inputs(cement, "fly_ash")["quantity"].sum()
    fly_out = _outputs(flows, "fly_ash")
    assert fly_in > fly_out[fly_out["waste_code"] == "100102"]["quantity"].sum() * 0.5


# ---------------------------------------------------------------- compliance
def test_compliance_covers_every_factory_and_requirement(frames: dict[str, Any]) -> None:
    comp = frames["compliance"]
    ids = set(frames["factories"]["factory_id"])
    reqs = {
        "factory_licence", "waste_report", "hazardous_manifest", "pollution_staff",
        "env_monitoring", "iso14001", "iso45001", "csr_diw", "green_industry",
    }  # fmt: skip
    assert set(comp["requirement"]) == reqs
    assert len(comp) == len(ids) * len(reqs)
    assert not comp.duplicated(["factory_id", "requirement"]).any()
    levels = comp.loc[
        (comp["requirement"] == "green_industry") & comp["status"].isin(["yes", "expired"]),
        "level",
    ]
    assert levels.str.fullmatch(r"GI[1-5]").all()
    held = comp[comp["status"].isin(["yes", "expired"]) & comp["valid_until"].notna()]
    assert (held["valid_until"] > held["issued"]).all()


def test_compliance_has_realistic_gaps(frames: dict[str, Any]) -> None:
    comp = frames["compliance"]
    f = frames["factories"].set_index("factory_id")
    status = comp.pivot(index="factory_id", columns="requirement", values="status")
    small = f.index[f["workers"] < 80]
    no_iso = status.loc[small, "iso14001"] != "yes"
    assert no_iso.mean() > 0.7, "most small factories lack ISO 14001"
    assert (status["csr_diw"] != "yes").sum() >= 30
    assert (comp["status"] == "expired").sum() >= 5
    assert (status["factory_licence"][f.index[f["factory_class"] == 3]] == "yes").all()
    class2 = f.index[f["factory_class"] == 2]
    assert (status.loc[class2, "factory_licence"] == "not_required").all()
    large = f.index[f["workers"] >= 200]
    assert (status.loc[large, "iso14001"] == "yes").mean() > no_iso.mean() - 0.5


# ---------------------------------------------------------------- raster
def test_population_raster(
    built: tuple[Workspace, list[str], Path], frames: dict[str, Any]
) -> None:
    ws, _, folder = built
    assert ws.get_meta("population_raster") == POPULATION_RASTER
    assert ws.get_meta("population_raster_kind") == "count"
    path = folder / str(ws.get_meta("population_raster"))
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 4326
        assert src.res == pytest.approx((1 / 1200, 1 / 1200))
        assert src.dtypes[0] == "float32"
        assert src.nodata is not None
        assert src.descriptions[0] == "population count"
        data = src.read(1, masked=True)
        bounds = src.bounds
        village = frames["communities"].set_index("community_id").geometry["DEMO-V03"]
        row, col = src.index(village.x, village.y)
        zone = frames["industrial_zones"].geometry.iloc[0].representative_point()
        zrow, zcol = src.index(zone.x, zone.y)
    assert float(data.min()) >= 0
    registered = sum(v.population or 0 for v in VILLAGES)
    workers = sum(p for _, _, p in WORKER_HOUSING)
    total = float(data.sum())
    assert registered + workers < total < (registered + workers) * 1.6
    assert data[row, col] > 20 * float(np.ma.median(data))  # dense at a village
    assert data[zrow, zcol] == 0  # nobody lives inside the estate
    everything = pd.concat(
        [frames["factories"].geometry, frames["communities"].geometry]
    ).total_bounds
    assert bounds.left < everything[0] and bounds.right > everything[2]
    assert bounds.bottom < everything[1] and bounds.top > everything[3]


# ---------------------------------------------------------------- replacing, refusing
def test_rerun_replaces_the_workspace_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "out" / "demo.gpkg"
    ws, _ = build_demo_workspace(target)
    with ws.batch():
        ws.write("factories", ws.read("factories").iloc[:3])
    assert ws.read("factories").shape[0] == 3
    ws2, _ = build_demo_workspace(target)
    assert ws2.read("factories").shape[0] == 65
    assert ws2.validate() == []
    # the writer's lock file (.demo.gpkg.lock) stays by design; no temporary copy does
    leftovers = [p.name for p in target.parent.iterdir() if not p.name.endswith(".lock")]
    assert sorted(leftovers) == ["demo.gpkg", POPULATION_RASTER]


def test_embedded_qgis_project_names_the_final_file(
    built: tuple[Workspace, list[str], Path],
) -> None:
    """Built under its own name in a private folder, so no temporary name leaks into the
    QGIS project stored in the GeoPackage."""
    import io
    import zipfile

    ws, _, folder = built
    for content in ws.read_qgis_projects().values():
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        assert ".building" not in text
        sources = set(re.findall(r"([\w.-]+\.gpkg)\|layername=", text))
        assert sources <= {"demo.gpkg"}, sources
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == [
        "demo.gpkg",
        POPULATION_RASTER,
    ]


def test_refuses_to_overwrite_a_real_workspace(tmp_path: Path) -> None:
    target = tmp_path / "project.gpkg"
    ws = Workspace.create(target)
    with ws.batch():
        ws.set_meta("owner", "a planner")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    with pytest.raises(WorkspaceError, match="not an ecogis demo workspace"):
        build_demo_workspace(target)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert not (tmp_path / POPULATION_RASTER).exists()


def test_refuses_to_overwrite_someone_elses_population_raster(tmp_path: Path) -> None:
    theirs = tmp_path / POPULATION_RASTER
    profile = {
        "driver": "GTiff", "width": 2, "height": 2, "count": 1, "dtype": "float32",
        "crs": "EPSG:4326", "transform": Affine(0.001, 0.0, 101.0, 0.0, -0.001, 14.0),
    }  # fmt: skip
    with rasterio.open(theirs, "w", **profile) as dst:
        dst.write(np.ones((1, 2, 2), dtype="float32"))
    before = hashlib.sha256(theirs.read_bytes()).hexdigest()
    with pytest.raises(WorkspaceError, match="not the demo's raster"):
        build_demo_workspace(tmp_path / "demo.gpkg")
    assert hashlib.sha256(theirs.read_bytes()).hexdigest() == before
    assert not (tmp_path / "demo.gpkg").exists()


def test_refuses_a_file_that_is_not_a_geopackage(tmp_path: Path) -> None:
    target = tmp_path / "notes.gpkg"
    target.write_text("meeting notes", encoding="utf-8")
    result = CliRunner().invoke(cli, ["demo", "--data-only", "-w", str(target)])
    assert result.exit_code == 1
    assert "not an ecogis demo workspace" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "meeting notes"


# ---------------------------------------------------------------- CLI
def test_cli_demo_data_only(tmp_path: Path) -> None:
    target = tmp_path / "custom" / "place.gpkg"
    result = CliRunner().invoke(cli, ["demo", "--data-only", "--workspace", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists() and (target.parent / POPULATION_RASTER).exists()
    assert "factories" in result.output and "65" in result.output
    assert "ข้อมูลตัวอย่าง" in result.output
    check = CliRunner().invoke(cli, ["validate", "-w", str(target)])
    assert check.exit_code == 0, check.output
    assert "keep the layer contract" in check.output


def test_cli_demo_runs_the_analysis_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --data-only the verb hands workspace and output folder to run_demo."""
    import ecogis.tasks.demo as tasks_demo

    seen: dict[str, Path] = {}
    real = tasks_demo.run_demo

    def spy(workspace: Path, out_dir: Path, **kw: Any) -> list[str]:
        seen["workspace"], seen["out"] = workspace, out_dir
        return real(workspace, out_dir, steps=())

    monkeypatch.setattr(tasks_demo, "run_demo", spy)
    ws_path, out = tmp_path / "w" / "demo.gpkg", tmp_path / "maps"
    result = CliRunner().invoke(cli, ["demo", "-w", str(ws_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert seen == {"workspace": ws_path, "out": out}
    assert out.is_dir() and ws_path.exists()


def test_cli_demo_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["demo", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "ecogis demo" in result.output


def test_demo_as_a_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ecogis", "demo", "--data-only", "-w", "d/demo.gpkg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "material_flows" in proc.stdout and "ตัวอย่าง" in proc.stdout
    ws = Workspace.open(tmp_path / "d" / "demo.gpkg")
    assert {i.name: i.rows for i in ws.layers()}["factories"] == 65


_AUDITED_RUN = """
import sys
seen = []

def hook(event, args):
    if event == "open" and args and "shared" in str(args[0]) and "data" in str(args[0]):
        seen.append(str(args[0]))
    elif event in ("socket.connect", "socket.getaddrinfo"):
        seen.append(f"{event} {args!r}")

sys.addaudithook(hook)
from ecogis.cli import main

sys.argv = ["ecogis", "demo", "--data-only", "-w", "d/demo.gpkg"]
try:
    main()
except SystemExit as exc:
    status = exc.code
print("AUDIT", len(seen), *seen[:5], file=sys.stderr)
sys.exit(status)
"""


def test_demo_reads_no_shared_data_and_uses_no_network(tmp_path: Path) -> None:
    """Everything is generated in code: no reference files, no downloads."""
    proc = subprocess.run(
        [sys.executable, "-c", _AUDITED_RUN],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "AUDIT 0" in proc.stderr, proc.stderr
