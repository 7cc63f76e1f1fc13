"""``ecogis massbalance`` / ``ecogis symbiosis`` on a workspace: layers, CLI, bad input, demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.symbiosis.candidates import LICENSED_TYPES
from ecogis.tasks.symbiosis import run_symbiosis
from ecogis.workspace import Workspace

KM = 1 / 108.0


def _factories() -> gpd.GeoDataFrame:
    rows = [
        # id, name, tsic, diw_type, km east
        ("3-88-1/60ปจ", "โรงไฟฟ้าสาธิต", "35101", "88", 0.0),
        ("3-57-1/60ปจ", "โรงปูนสาธิต", "23941", "57", 10.0),
        ("3-77(2)-1/60ปจ", "โรงชิ้นส่วนสาธิต", "29309", "77(2)", 3.0),
        ("3-106-1/60ปจ", "โรงรีไซเคิลสาธิต", "38300", "106", 6.0),
    ]
    return gpd.GeoDataFrame(
        {
            "factory_id": [r[0] for r in rows],
            "name_th": [r[1] for r in rows],
            "tsic": [r[2] for r in rows],
            "diw_type": [r[3] for r in rows],
            "diw_type_main": [int(r[3].split("(")[0]) for r in rows],
            "workers": [120, 300, 200, 40],
            "status": "operating",
            "zone_id": "Z-TEST",
            "pro_code": "25",
            "coord_flag": "ok",
        },
        geometry=gpd.points_from_xy([101.4 + r[4] * KM for r in rows], [14.0] * len(rows)),
        crs=4326,
    )


def _flows(extra: list[dict[str, object]] | None = None) -> pd.DataFrame:
    base = [
        ("3-88-1/60ปจ", "IN01", "in", "raw_material", "coal", None, None, 50_000.0, "t/yr"),
        ("3-88-1/60ปจ", "IN02", "in", "water", "water", None, None, 80_000.0, "m3/yr"),
        ("3-88-1/60ปจ", "OUT01", "out", "waste", "fly_ash", "100102", "none", 5_000.0, "t/yr"),
        ("3-88-1/60ปจ", "OUT02", "out", "wastewater", "wastewater", None, None, 30_000.0, "m3/yr"),
        ("3-57-1/60ปจ", "IN01", "in", "raw_material", "fly_ash", None, None, 3_000.0, "t/yr"),
        ("3-57-1/60ปจ", "IN02", "in", "raw_material", "limestone", None, None, 900_000.0, "t/yr"),
        ("3-57-1/60ปจ", "OUT01", "out", "product", "cement", None, None, 700_000.0, "t/yr"),
        ("3-77(2)-1/60ปจ", "IN01", "in", "raw_material", "steel", None, None, 4_000.0, "t/yr"),
        ("3-77(2)-1/60ปจ", "OUT01", "out", "product", "auto_parts", None, None, 3_500.0, "t/yr"),
        ("3-77(2)-1/60ปจ", "OUT02", "out", "waste", "used_oil", "130205", "HA", 12.0, "t/yr"),
        ("3-77(2)-1/60ปจ", "OUT03", "out", "waste", "metal_scrap", "120101", "none", 450.0, "t/yr"),
        ("3-106-1/60ปจ", "IN01", "in", "raw_material", "plastic_scrap", None, None, 900.0, "t/yr"),
    ]  # fmt: skip
    frame = pd.DataFrame(
        base,
        columns=["factory_id", "flow_id", "direction", "flow_kind", "material", "waste_code",
                 "hazardous", "quantity", "unit"],
    )  # fmt: skip
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    frame["year"] = 2024
    return frame


@pytest.fixture
def workspace(tmp_workspace: Path) -> Path:
    ws = Workspace.create(tmp_workspace)
    with ws.batch():
        ws.write("factories", _factories())
        ws.write("material_flows", _flows())
    return tmp_workspace


def test_symbiosis_verb_writes_every_layer(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["symbiosis", "--workspace", str(workspace)])
    assert result.exit_code == 0, result.output
    ws = Workspace.open(workspace)
    for name in (
        "symbiosis_candidates",
        "symbiosis_streams",
        "symbiosis_links",
        "symbiosis_summary",
    ):
        assert ws.has_layer(name), name
    links = ws.read("symbiosis_links")
    assert set(links.geometry.geom_type) == {"LineString"}
    kiln = links[(links["material"] == "fly_ash") & (links["receiver_id"] == "3-57-1/60ปจ")]
    assert kiln["grade"].tolist() == ["A"]
    assert kiln["quantity"].iloc[0] == pytest.approx(3_000.0)  # the kiln's declared intake
    # Used oil is hazardous: only the licensed recycler (type 106) may take it.
    oil = links[links["material"] == "used_oil"]
    assert oil["receiver_id"].tolist() == ["3-106-1/60ปจ"]
    streams = ws.read("symbiosis_streams").set_index("material")
    assert streams.at["fly_ash", "allocated"] + streams.at["fly_ash", "unallocated"] == (
        pytest.approx(5_000.0)
    )
    assert "diverted" in result.output or "diverted" in (result.stderr or "")


def test_objective_and_zone_options(workspace: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["symbiosis", "-w", str(workspace), "--objective", "tonnes", "--zone", "Z-TEST", "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["totals"]["exchanges"] >= 2
    bad = CliRunner().invoke(cli, ["symbiosis", "-w", str(workspace), "--zone", "NOWHERE"])
    assert bad.exit_code == 1
    assert "no factory lies in zone" in bad.output


def test_grade_confidence_option(workspace: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(
        cli, ["symbiosis", "-w", str(workspace), "--grade-confidence", "1,1,1", "--json"]
    )
    assert plain.exit_code == 0, plain.output
    totals = json.loads(plain.stdout)["totals"]
    assert totals["objective_lp"] == pytest.approx(totals["objective_unweighted"])
    weighted = runner.invoke(cli, ["symbiosis", "-w", str(workspace), "--json"])
    wt = json.loads(weighted.stdout)["totals"]
    assert wt["objective_lp"] <= wt["objective_unweighted"]
    assert "grade confidence (A 1, B 0.6, C 0.3)" in weighted.stderr
    bad = runner.invoke(cli, ["symbiosis", "-w", str(workspace), "--grade-confidence", "A=2"])
    assert bad.exit_code == 2
    assert "grade confidence 'A=2' is not understood" in bad.output


def test_per_material_contributions_are_printed_and_add_up(workspace: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["symbiosis", "-w", str(workspace)])
    assert table.exit_code == 0, table.output
    assert "per material (where the totals come from" in table.stdout
    assert "indicative figures:" in table.stderr
    payload = json.loads(runner.invoke(cli, ["symbiosis", "-w", str(workspace), "--json"]).stdout)
    by_material = pd.DataFrame(payload["by_material"])
    assert {"fly_ash", "metal_scrap", "used_oil"} <= set(by_material["material"])
    totals = payload["totals"]
    assert by_material["benefit_thb_yr"].sum() == pytest.approx(totals["benefit_thb_yr"])
    assert by_material["net_co2e_t_yr"].sum() == pytest.approx(totals["net_co2e_t_yr"])
    assert by_material["diverted_t_yr"].sum() == pytest.approx(totals["diverted_t_yr"])


def test_massbalance_verb_table_csv_and_layers(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "mb.csv"
    result = CliRunner().invoke(
        cli, ["massbalance", "-w", str(workspace), "--out", str(out), "--tolerance", "0.15"]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 4
    assert {"closure", "status", "explanation", "water_m3_per_t_product"} <= set(table.columns)
    ws = Workspace.open(workspace)
    areas = ws.read("mass_balance_areas")
    assert set(areas["area_type"]) == {"zone", "province", "all"}


def test_flow_naming_a_missing_factory_changes_nothing(workspace: Path) -> None:
    ws = Workspace.open(workspace)
    ghost = {
        "factory_id": "3-99-9/99ปจ", "flow_id": "OUT01", "direction": "out", "flow_kind": "waste",
        "material": "fly_ash", "waste_code": "100102", "hazardous": "none", "quantity": 5.0,
        "unit": "t/yr",
    }  # fmt: skip
    ws.write("material_flows", _flows([ghost]))
    before = ws.layer_names()
    result = CliRunner().invoke(cli, ["symbiosis", "-w", str(workspace)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "3-99-9/99ปจ" in result.output and "not in the factories layer" in result.output
    assert Workspace.open(workspace).layer_names() == before


def test_receivers_verb_table_json_and_errors() -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["symbiosis", "receivers", "10", "01", "02", "--top", "5"])
    assert table.exit_code == 0, table.output
    assert "23941" in table.output and "ปูนซีเมนต์" in table.output
    js = runner.invoke(cli, ["symbiosis", "receivers", "10-01-02", "--json", "--top", "5"])
    rows = json.loads(js.stdout)
    assert len(rows) == 5
    assert all({"tsic", "use", "score"} <= set(r) for r in rows)
    assert rows[0]["tsic"] == "23941"
    bad = runner.invoke(cli, ["symbiosis", "receivers", "10-01-0X"])
    assert bad.exit_code == 1
    assert "not a waste code" in bad.output


def test_receivers_as_a_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ecogis", "symbiosis", "receivers", "130205", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    tsics = [r["tsic"] for r in json.loads(proc.stdout)[:5]]
    assert "19200" in tsics and "38221" in tsics


def test_demo_finds_its_exchanges_and_none_that_are_wrong(tmp_path: Path) -> None:
    from ecogis.demo import build_demo_workspace

    ws, _ = build_demo_workspace(tmp_path / "demo.gpkg")
    result = run_symbiosis(ws)
    links = result.links
    factories = ws.read("factories").set_index("factory_id")
    assert len(links) > 20
    haz = links[links["hazard_mark"].isin(["HA", "HM"])]
    assert len(haz) > 0
    licensed = factories["diw_type_main"].isin(LICENSED_TYPES) | factories["waste_permit"].fillna(
        False
    ).astype(bool)
    assert haz["receiver_id"].map(licensed).all()
    pairs = set(zip(links["material"], links["receiver_tsic"].str[:4], strict=True))
    assert ("fly_ash", "2394") in pairs  # fly ash to the cement plant
    assert (links["grade"] == "A").any()
    assert result.totals["objective_lp"] >= result.totals["objective_greedy"] - 1.0


def test_roads_option_from_a_file(workspace: Path, tmp_path: Path) -> None:
    from shapely import LineString

    road = gpd.GeoDataFrame(
        {"name": ["ถนนสาธิต"]},
        geometry=[LineString([(101.4, 14.0), (101.4 + 12 * KM, 14.0)])],
        crs=4326,
    )
    path = tmp_path / "roads.geojson"
    road.to_file(path, driver="GeoJSON")
    ok = CliRunner().invoke(cli, ["symbiosis", "-w", str(workspace), "--roads", str(path)])
    assert ok.exit_code == 0, ok.output
    streams = Workspace.open(workspace).read("symbiosis_streams")
    assert set(streams["distance_basis"]) == {"road network"}
    missing = CliRunner().invoke(
        cli, ["symbiosis", "-w", str(workspace), "--roads", str(tmp_path / "none.gpkg")]
    )
    assert missing.exit_code == 1
    assert "neither a workspace layer nor a file" in missing.output
