"""The workspace task, the CLI (CliRunner and subprocess), hazard catalogue and real data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from pyproj import Geod
from test_risk_exposure import write_tif

from ecogis.cli import cli
from ecogis.errors import CatalogueError, DataValidationError
from ecogis.risk import UnknownFactoryError, assign_hazard, load_hazard_catalogue, scenario
from ecogis.tasks.risk import RESULT_LAYERS, RiskOptions, run_risk, run_scenario
from ecogis.workspace import Workspace

GEOD = Geod(ellps="WGS84")
LON0, LAT0 = 101.45, 14.05


def at(east_m: float, north_m: float) -> shapely.Point:
    lon, lat, _ = GEOD.fwd(LON0, LAT0, 90.0, east_m)
    lon, lat, _ = GEOD.fwd(lon, lat, 0.0, north_m)
    return shapely.Point(lon, lat)


def factories_frame() -> gpd.GeoDataFrame:
    rows = [
        ("3-42-1/60ปจ", "บริษัท เคมีทดสอบ จำกัด", "42(1)", 3, 6000.0, "ผลิตเคมีภัณฑ์", (0, 0)),
        ("3-89-2/61ปจ", "บริษัท ก๊าซทดสอบ จำกัด", "89", 3, 800.0, "บรรจุก๊าซ", (2500, 500)),
        ("2-92-3/62ปจ", "ห้องเย็นทดสอบ", "92", 2, 100.0, "ห้องเย็น ใช้แอมโมเนีย", (-40, 3000)),
        ("1-9-4/63ปจ", "โรงมันทดสอบ", "9(6)", 1, 60.0, "ทำมันเส้น", (6000, -4000)),
        ("3-28-5/63ปจ", "โรงงานเสื้อผ้าทดสอบ", "28(1)", 3, 200.0, "ผลิตเสื้อผ้า", (-3000, -3000)),
    ]
    geoms: list[shapely.Point | None] = [at(*r[6]) for r in rows]
    frame = pd.DataFrame(
        {
            "factory_id": [r[0] for r in rows] + ["3-101-9/64ปจ"],
            "name_th": [r[1] for r in rows] + ["โรงงานไม่มีพิกัด"],
            "diw_type": [r[2] for r in rows] + ["101"],
            "factory_class": [r[3] for r in rows] + [3],
            "horsepower": [r[4] for r in rows] + [50.0],
            "activity": [r[5] for r in rows] + ["บำบัดกาก"],
            "tam_code": ["250201", "250201", "250202", "250301", "250301", "250201"],
            "zone_id": ["Z1", "Z1", None, None, None, None],
            "coord_flag": ["ok"] * 5 + ["missing"],
        }
    )
    geoms.append(None)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)


def communities_frame() -> gpd.GeoDataFrame:
    rows = [
        ("V1", "บ้านหนองทดสอบ", "village", 1200, (800, 300)),
        ("V2", "บ้านโคกทดสอบ", "village", 650, (2000, 2500)),
        ("V3", "บ้านไกลทดสอบ", "village", 300, (9000, 9000)),
        ("S1", "โรงเรียนบ้านทดสอบ", "school", None, (-40, 3030)),  # 30 m from the cold store
        ("T1", "วัดทดสอบ", "temple", None, (4500, -500)),
        ("H1", "โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ", "hospital", None, (90, 0)),
    ]
    return gpd.GeoDataFrame(
        {
            "community_id": [r[0] for r in rows],
            "name_th": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "population": pd.array([r[3] for r in rows], dtype="Int64"),
            "tam_code": ["250201", "250201", "250301", "250202", "250301", "250201"],
        },
        geometry=[at(*r[4]) for r in rows],
        crs=4326,
    )


def zones_frame() -> gpd.GeoDataFrame:
    a, b = at(-500, -500), at(3000, 1000)
    return gpd.GeoDataFrame(
        {
            "zone_id": ["Z1"],
            "name_th": ["สวนอุตสาหกรรมทดสอบ"],
            "name_en": ["Test park"],
            "zone_type": ["park"],
        },
        geometry=[shapely.MultiPolygon([shapely.box(a.x, a.y, b.x, b.y)])],
        crs=4326,
    )


def write_raster(path: Path, people_per_pixel: float = 2.0) -> Path:
    """500 × 500 pixels of 3″ centred on (LON0, LAT0), each with ``people_per_pixel``."""
    return write_tif(path, np.full((500, 500), people_per_pixel))


def make_ws(path: Path) -> Workspace:
    """The hand-built workspace: factories, communities and one zone."""
    w = Workspace.create(path)
    with w.batch():
        w.write("factories", factories_frame())
        w.write("communities", communities_frame())
        w.write("industrial_zones", zones_frame())
    return w


@pytest.fixture
def ws(tmp_workspace: Path) -> Workspace:
    return make_ws(tmp_workspace)


def test_run_risk_writes_every_layer_in_one_batch(ws: Workspace, tmp_path: Path) -> None:
    result = run_risk(ws, RiskOptions(population=write_raster(tmp_path / "pop.tif")))
    for name in RESULT_LAYERS:
        assert ws.has_layer(name), name
    rec = ws.read("risk_receptors").set_index("community_id")
    assert rec.loc["H1", "rank"] == 1  # 90 m from the chemical plant
    assert rec.loc["V3", "n_within"] == 0 and rec.loc["V3", "prox_score"] > 0
    fac = ws.read("risk_factories").set_index("factory_id")
    assert "3-101-9/64ปจ" not in fac.index  # unplaced: left out, said so
    assert fac.loc["2-92-3/62ปจ", "hazard_class"] == "high"  # ammonia keyword
    assert fac.loc["3-28-5/63ปจ", "hazard_class"] == "low"
    assert fac.loc["3-42-1/60ปจ", "pop_1000m"] == 1200  # V1 at 854 m
    flags = ws.read("siting_flags")
    assert set(flags["community_id"]) == {"S1", "H1"}
    s1 = flags[flags["community_id"] == "S1"].iloc[0]
    assert s1["factory_id"] == "2-92-3/62ปจ" and s1["distance_m"] == pytest.approx(30, abs=1)
    summary = ws.read("risk_summary")
    assert {"tambon", "district", "province", "zone"} <= set(summary["level"])
    zone = summary[summary["level"] == "zone"].iloc[0]
    assert zone["code"] == "Z1" and zone["name_th"] == "สวนอุตสาหกรรมทดสอบ"
    exp = ws.read("risk_exposure")
    chem = exp[(exp["factory_id"] == "3-42-1/60ปจ") & (exp["band_m"] == 500)].iloc[0]
    assert chem["raster_population"] == pytest.approx(2.0 * 785398 / (92.6 * 89.9), rel=0.02)
    zones = ws.read("risk_zones")
    assert set(zones["band_m"][zones["hazard_class"] == "high"]) == {500, 1000, 3000, 5000}
    assert any("siting-distance breaches" in line for line in result.lines)
    assert ws.validate() == []


def test_bad_input_leaves_the_workspace_unchanged(ws: Workspace, tmp_path: Path) -> None:
    before = ws.path.read_bytes()
    bad = tmp_path / "haz.csv"
    bad.write_text(
        "match,code,hazard_class,weight,reason\ndiw_type_main,42,high,-1,x\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError, match=r"row 2.*weight"):
        run_risk(ws, RiskOptions(hazard_catalogue=bad))
    with pytest.raises(DataValidationError, match="bands"):
        run_risk(ws, RiskOptions(bands_m=(0.0, 500.0)))
    with pytest.raises(UnknownFactoryError, match="ecogis risk factories"):
        run_scenario(ws, "NO-SUCH-ID")
    assert ws.path.read_bytes() == before


def test_empty_communities_is_an_error(tmp_workspace: Path) -> None:
    w = Workspace.create(tmp_workspace)
    with w.batch():
        w.write("factories", factories_frame())
        w.write("communities", communities_frame().iloc[:0])
    with pytest.raises(DataValidationError, match="communities layer is empty"):
        run_risk(w)


def test_scenario_counts_people_inside_cordon_and_radius(ws: Workspace, tmp_path: Path) -> None:
    result, csv_path = run_scenario(
        ws,
        "3-42-1/60ปจ",
        radius_m=5000,
        cordon_m=500,
        population=write_raster(tmp_path / "pop.tif"),
    )
    s = result.summary.set_index("ring")
    assert s.loc["cordon", "n_receptors"] == 1  # the health station at 90 m
    assert s.loc["cordon", "n_sensitive"] == 1
    assert s.loc["evacuation", "village_population"] == 1200 + 650
    assert s.loc["evacuation", "n_population_unknown"] == 3
    assert s.loc["evacuation", "n_factories"] == 3  # gas, cold store, garments; not itself
    assert s.loc["evacuation", "n_hazardous"] == 2
    assert s.loc["evacuation", "raster_population"] > s.loc["cordon", "raster_population"]
    table = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert table["name_th"].iloc[0] == "โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ"
    assert list(table["distance_m"]) == sorted(table["distance_m"])
    rings = ws.read("risk_scenario")
    assert set(rings["ring"]) == {"cordon", "evacuation"}
    run_scenario(ws, "3-89-2/61ปจ")  # a second scenario keeps the first
    assert set(ws.read("risk_scenario")["factory_id"]) == {"3-42-1/60ปจ", "3-89-2/61ปจ"}


def test_unknown_factory_suggests_close_ids() -> None:
    with pytest.raises(UnknownFactoryError, match="did you mean 3-42-1/60ปจ"):
        scenario("3-42-1/60ปข", factories_frame(), communities_frame())


def test_hazard_catalogue_rules_and_own_weight() -> None:
    f = factories_frame()
    f["hazard_weight"] = [np.nan, np.nan, np.nan, np.nan, 0.9, np.nan]
    h = assign_hazard(f).set_index("factory_id")
    chem = h.loc["3-42-1/60ปจ"]
    assert chem["hazard_match"] == "diw_type_main:42"
    assert chem["hazard_weight"] == pytest.approx(0.9 * 1.0 * 1.5)  # class 3, ≥ 5000 hp
    cassava = h.loc["1-9-4/63ปจ"]
    assert cassava["hazard_weight"] == pytest.approx(0.1 * 0.5 * 1.0)  # class 1, < 500 hp
    own = h.loc["3-28-5/63ปจ"]
    assert own["hazard_weight"] == 0.9 and own["hazard_class"] == "high"
    assert own["hazard_match"] == "own"
    tsic_only = assign_hazard(pd.DataFrame({"tsic": ["19201"], "diw_type": [None]}))
    assert tsic_only["hazard_match"].iloc[0] == "tsic_prefix:192"
    assert tsic_only["hazard_class"].iloc[0] == "high"
    assert "ผลิตเคมีภัณฑ์พื้นฐาน" in chem["hazard_reason_th"]
    cat = load_hazard_catalogue()
    assert (cat["reason"].str.len() > 10).all() and (cat["reason_th"].str.len() > 5).all()
    f["hazard_weight"] = [np.nan, -1, np.nan, np.nan, np.nan, np.nan]
    with pytest.raises(DataValidationError, match="key 3-89-2/61ปจ"):
        assign_hazard(f)


def test_cli_runs_and_prints_summary(ws: Workspace) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["risk", "-w", str(ws.path), "--bands", "500,1000,5000"])
    assert res.exit_code == 0, res.output
    assert "โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ" in res.output
    assert "haz_1000m" in ws.read("risk_receptors").columns
    res = runner.invoke(cli, ["risk", "scenario", "-w", str(ws.path), "--factory", "NOPE"])
    assert res.exit_code == 1 and "ecogis risk factories" in res.output
    res = runner.invoke(cli, ["risk", "factories", "-w", str(ws.path), "--hazardous"])
    assert res.exit_code == 0 and "3-89-2/61ปจ" in res.output
    res = runner.invoke(cli, ["risk", "factories", "-w", str(ws.path), "--search", "แอมโมเนีย"])
    assert res.exit_code == 0 and "2-92-3/62ปจ" in res.output and "3-89-2/61ปจ" not in res.output
    res = runner.invoke(cli, ["risk", "-w", str(ws.path), "--bands", "x"])
    assert res.exit_code == 2


def test_cli_as_subprocess(ws: Workspace, tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecogis",
            "risk",
            "scenario",
            "-w",
            str(ws.path),
            "--factory",
            "3-42-1/60ปจ",
            "--csv",
            str(tmp_path / "s.csv"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "cordon" in out.stdout and (tmp_path / "s.csv").exists()


def test_real_prachinburi_factory_with_landmarks_as_receptors(
    diw_raw_geojson: Path, landmarks_geojson: Path
) -> None:
    raw = gpd.read_file(diw_raw_geojson)
    cols = {c: c for c in raw.columns}
    reg = next(c for c in cols if c.startswith("เลขทะเบียน"))
    name = next(c for c in cols if c.startswith("ชื่อโรงงาน"))
    fac = gpd.GeoDataFrame(
        {"factory_id": raw[reg].astype(str), "name_th": raw[name].astype(str)},
        geometry=raw.geometry,
        crs=raw.crs or 4326,
    )
    fac = fac[~(fac.geometry.isna() | fac.geometry.is_empty)]
    lm = gpd.read_file(landmarks_geojson)
    kinds = {"04102": "temple", "04104": "school", "04105": "hospital", "04103": "government"}
    rec = gpd.GeoDataFrame(
        {
            "community_id": lm["lm_id"].astype(str),
            "name_th": lm["lm_name_t"],
            "kind": lm["lm_type"].map(kinds).fillna("other"),
            "sensitive": lm["sensitive_receptor"].astype(bool),
        },
        geometry=lm.geometry,
        crs=lm.crs,
    )
    fid = str(fac["factory_id"].iloc[0])
    result = scenario(fid, fac, rec, radius_m=5000, cordon_m=500)
    assert list(result.summary["radius_m"]) == [500, 5000]
    # Nakhon Pathom is ~150 km from Prachin Buri: nobody inside, and said cleanly
    assert result.summary["n_receptors"].sum() == 0
    assert result.nearest is not None and result.nearest[2] > 50_000
    moved = rec.copy()
    moved["geometry"] = [at(0, 0)] * len(moved)  # relocate near the factory
    centre = fac.to_crs(32647).geometry.iloc[0]
    moved = gpd.GeoDataFrame(
        rec.drop(columns="geometry"),
        geometry=gpd.GeoSeries(
            [
                shapely.Point(centre.x + 10 * (i % 300), centre.y + 10 * (i // 300))
                for i in range(len(rec))
            ],
            crs=32647,
        ),
    )
    near = scenario(fid, fac, moved, radius_m=5000, cordon_m=500)
    s = near.summary.set_index("ring")
    assert s.loc["evacuation", "n_receptors"] == len(rec)
    assert s.loc["cordon", "n_receptors"] < len(rec)


def test_raster_recorded_in_workspace_is_used_and_a_missing_one_skipped(
    ws: Workspace, tmp_path: Path
) -> None:
    write_raster(ws.path.parent / "pop.tif")
    with ws.batch():
        ws.set_meta("population_raster", "pop.tif")
        ws.set_meta("population_raster_kind", "count")
    run_risk(ws)
    assert ws.read("risk_exposure")["raster_population"].notna().all()
    (ws.path.parent / "pop.tif").unlink()
    run_risk(ws)
    exp = ws.read("risk_exposure")
    assert exp["raster_population"].isna().all() and exp["village_population"].notna().all()


def test_no_breach_writes_an_empty_but_valid_siting_layer(tmp_workspace: Path) -> None:
    w = Workspace.create(tmp_workspace)
    with w.batch():
        w.write("factories", factories_frame())
        com = communities_frame()
        w.write("communities", com[~com["community_id"].isin(["S1", "H1"])])
    run_risk(w)
    assert w.has_layer("siting_flags") and len(w.read("siting_flags")) == 0
    assert w.validate() == []


def test_cli_on_imported_prachinburi_registry_and_landmarks(
    tmp_path: Path, diw_raw_geojson: Path, landmarks_geojson: Path
) -> None:
    runner = CliRunner()
    ws_path = tmp_path / "real.gpkg"
    for verb, src in (("factories", diw_raw_geojson), ("communities", landmarks_geojson)):
        res = runner.invoke(cli, ["import", verb, str(src), "-w", str(ws_path)])
        assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["risk", "-w", str(ws_path)])
    assert res.exit_code == 0, res.output
    w = Workspace.open(ws_path)
    assert len(w.read("risk_receptors")) == len(gpd.read_file(landmarks_geojson))
    fac = w.read("risk_factories")
    fid = str(fac.loc[fac["hazard_class"] == "high", "factory_id"].iloc[0])
    res = runner.invoke(
        cli,
        [
            "risk",
            "scenario",
            "-w",
            str(ws_path),
            "--factory",
            fid,
            "--csv",
            str(tmp_path / "s.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "nearest receptor" in res.output and "evacuation" in res.output
    assert set(w.read("risk_scenario")["factory_id"]) == {fid}
    assert w.validate() == []


def test_scenario_json_output(ws: Workspace, tmp_path: Path) -> None:
    import json

    res = CliRunner().invoke(
        cli,
        [
            "risk",
            "scenario",
            "-w",
            str(ws.path),
            "--factory",
            "3-42-1/60ปจ",
            "--json",
            "--csv",
            str(tmp_path / "s.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [r["ring"] for r in data["summary"]] == ["cordon", "evacuation"]
    assert data["receptors"][0]["name_th"] == "โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ"
    assert data["nearest_receptor"]["community_id"] == "H1"


def test_workspace_without_hazardous_factories(tmp_workspace: Path) -> None:
    w = Workspace.create(tmp_workspace)
    with w.batch():
        f = factories_frame()
        w.write("factories", f[f["diw_type"].isin(["9(6)", "28(1)"])])
        w.write("communities", communities_frame())
    result = run_risk(w)
    assert len(w.read("risk_zones")) == 0 and len(w.read("risk_exposure")) == 0
    assert w.read("risk_receptors")["prox_score"].gt(0).all()  # all factories, weighted
    assert any("none is hazardous" in line for line in result.lines)
    assert w.validate() == []


def test_user_hazard_catalogue_replaces_the_package_one(ws: Workspace, tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text(
        "match,code,hazard_class,weight,reason\n"
        "diw_type_main,28,high,0.9,Garment stock fires in this district\n"
        "default,,low,0.05,Everything else\n",
        encoding="utf-8",
    )
    run_risk(ws, RiskOptions(hazard_catalogue=own))
    fac = ws.read("risk_factories").set_index("factory_id")
    assert fac.loc["3-28-5/63ปจ", "hazard_class"] == "high"
    assert fac.loc["3-42-1/60ปจ", "hazard_class"] == "low"  # no row for 42 any more
    assert fac.loc["3-28-5/63ปจ", "hazard_reason_th"] == "Garment stock fires in this district"


def test_a_catalogue_saved_in_thai_windows_encoding_is_a_clear_error(tmp_path: Path) -> None:
    """Excel on Thai Windows saves CSV as cp874: say so, not a UnicodeDecodeError."""
    from ecogis.risk import load_siting_rules

    path = tmp_path / "hazard_cp874.csv"
    path.write_bytes(
        "match,code,hazard_class,weight,reason\nkeyword,แอมโมเนีย,high,0.9,ammonia\n".encode("cp874")
    )
    for load in (load_hazard_catalogue, load_siting_rules):
        with pytest.raises(CatalogueError) as err:
            load(path)
        assert "hazard_cp874.csv" in str(err.value) and "UTF-8" in str(err.value)
