"""One Workspace API, two stores: every test here runs on a GeoPackage and on PostGIS
(``store_location`` fixture; the PostGIS run skips outside CI when no database is set)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.errors import DataValidationError
from ecogis.workspace import StyleRecord, Workspace


def _factories(ids: list[str], names: list[str] | None = None) -> gpd.GeoDataFrame:
    names = names or [f"โรงงาน {i}" for i in ids]
    return gpd.GeoDataFrame(
        {
            "factory_id": ids,
            "name_th": names,
            "coord_flag": ["ok"] * len(ids),
            "factory_class": [3] * len(ids),
            "workers": [10 * (i + 1) for i in range(len(ids))],
            "tsic": ["01111"] * len(ids),
            "licence_date": ["2008-12-15"] * len(ids),
            "pro_code": ["25"] * len(ids),
        },
        geometry=[shapely.Point(101.40 + i * 0.01, 14.05) for i in range(len(ids))],
        crs=4326,
    )


def _compliance(factory_id: str, requirement: str, status: str = "yes") -> pd.DataFrame:
    return pd.DataFrame(
        {"factory_id": [factory_id], "requirement": [requirement], "status": [status]}
    )


def test_round_trip_keeps_thai_zeros_nulls_dates_and_dtypes(store_location: str) -> None:
    ws = Workspace.create(store_location)
    frame = _factories(["3-42-1/55ปจ", "01111"], ["บริษัท เคมีภัณฑ์ไทย จำกัด", "โรงงาน ข"])
    frame.loc[1, "workers"] = None
    frame.loc[1, "geometry"] = None
    frame.loc[1, "licence_date"] = None
    frame.loc[1, "coord_flag"] = "missing"
    ws.write("factories", frame)
    back = ws.read("factories")
    assert back["factory_id"].tolist() == ["3-42-1/55ปจ", "01111"]  # text keeps its zero
    assert back["tsic"].tolist() == ["01111", "01111"]
    assert back["name_th"].tolist() == ["บริษัท เคมีภัณฑ์ไทย จำกัด", "โรงงาน ข"]
    assert str(back["workers"].dtype) == "Int64" and back["workers"].isna().tolist() == [
        False,
        True,
    ]
    assert back["licence_date"].tolist()[0] == "2008-12-15" and pd.isna(back["licence_date"][1])
    assert back.geometry.isna().tolist() == [False, True]
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].equals_exact(shapely.Point(101.40, 14.05), 1e-12)


def test_multipolygons_and_tables(store_location: str) -> None:
    ws = Workspace.create(store_location)
    zones = gpd.GeoDataFrame(
        {"zone_id": ["Z1"], "name_th": ["นิคม"], "zone_type": ["estate"]},
        geometry=[shapely.box(101.4, 14.0, 101.5, 14.1)],  # a Polygon into a MultiPolygon layer
        crs=4326,
    )
    flows = pd.DataFrame(
        {
            "factory_id": ["a"],
            "flow_id": ["w1"],
            "direction": ["out"],
            "flow_kind": ["waste"],
            "material": ["เถ้าลอย fly_ash"],
            "waste_code": ["100102"],
            "quantity": [1200.5],
            "unit": ["t/yr"],
        }
    )
    with ws.batch():
        ws.write("industrial_zones", zones)
        ws.write("material_flows", flows)
    info = {i.name: i for i in ws.layers()}
    assert info["industrial_zones"].geometry_type == "Multipolygon"
    assert info["material_flows"].kind == "table" and info["material_flows"].rows == 1
    back = ws.read("material_flows")
    assert not isinstance(back, gpd.GeoDataFrame)
    assert back.loc[0, "waste_code"] == "100102" and back.loc[0, "quantity"] == 1200.5
    assert ws.read("industrial_zones").geometry.iloc[0].geom_type == "MultiPolygon"
    assert ws.layer_extent("industrial_zones") == pytest.approx((101.4, 14.0, 101.5, 14.1))


def test_upsert_counts_added_updated_unchanged(store_location: str) -> None:
    ws = Workspace.create(store_location)
    ws.write("factories", _factories(["a", "b"]))
    incoming = gpd.GeoDataFrame(
        {"factory_id": ["b", "c"], "name_th": ["ข ใหม่", "ค"], "coord_flag": ["ok", "ok"]},
        geometry=[shapely.Point(101.5, 14.1), shapely.Point(101.6, 14.2)],
        crs=4326,
    )
    result = ws.upsert("factories", incoming)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 0)
    back = ws.read("factories").set_index("factory_id")
    assert back.loc["b", "name_th"] == "ข ใหม่"
    assert back.loc["b", "workers"] == 20  # not in the incoming frame: kept
    again = ws.upsert("factories", incoming)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert sorted(ws.read("factories")["factory_id"]) == ["a", "b", "c"]


def test_failed_batch_lands_nothing(store_location: str) -> None:
    ws = Workspace.create(store_location)
    ws.write("factories", _factories(["a", "b"]))
    with pytest.raises(RuntimeError), ws.batch():
        ws.write("factories", _factories(["z"]))
        ws.write("compliance", _compliance("z", "iso14001"))
        raise RuntimeError("crash mid-write")
    assert ws.read("factories")["factory_id"].tolist() == ["a", "b"]
    assert not ws.has_layer("compliance")
    with pytest.raises(DataValidationError, match="not unique"):
        ws.write("factories", _factories(["a", "a"]))
    assert ws.read("factories")["factory_id"].tolist() == ["a", "b"]


def test_reads_inside_a_batch_see_its_writes_others_do_not(store_location: str) -> None:
    ws = Workspace.create(store_location)
    with ws.batch():
        ws.write("factories", _factories(["a"]))
        assert ws.read("factories")["factory_id"].tolist() == ["a"]
        assert not Workspace.open(store_location).has_layer("factories")
    assert Workspace.open(store_location).has_layer("factories")


def test_filters_bbox_meta_styles_projects_delete(store_location: str) -> None:
    ws = Workspace.create(store_location)
    ws.write("factories", _factories(["a", "o'x", "c"]))
    assert ws.read("factories", filters={"factory_id": ["a", "c"]})["factory_id"].tolist() == [
        "a",
        "c",
    ]
    assert ws.read("factories", filters={"factory_id": "a' OR '1'='1"}).empty
    assert ws.read("factories", filters={"factory_id": "o'x"}).shape[0] == 1
    assert ws.read("factories", filters={"name_en": None}).shape[0] == 3
    assert ws.read("factories", bbox=(101.405, 14.0, 101.45, 14.1))["factory_id"].tolist() == [
        "o'x",
        "c",
    ]
    ws.set_meta("lang", "en")
    ws.set_meta("lang", "th")
    assert ws.get_meta("lang") == "th" and ws.get_meta("schema_version") == "1"
    record = StyleRecord("factories", "geom", "mine", "<qgis/>", "<sld/>")
    ws.write_styles([record])
    ws.write_styles([record])
    styles = ws.read_styles()
    assert len(styles[(styles.f_table_name == "factories") & (styles.styleName == "mine")]) == 1
    ws.write_qgis_project("p", b"PK\x03\x04zip")
    assert ws.read_qgis_projects()["p"] == b"PK\x03\x04zip"
    ws.delete_layer("factories")
    assert not ws.has_layer("factories") and ws.layer_names() == []


def test_validate_names_layer_key_field(store_location: str) -> None:
    ws = Workspace.create(store_location)
    ws.write("factories", _factories(["a"]))
    ws.write("compliance", _compliance("ghost", "iso14001"))
    problems = ws.validate()
    assert [(p.layer, p.key, p.field) for p in problems] == [("compliance", "ghost", "factory_id")]


def test_reimport_through_the_cli_is_all_unchanged(store_location: str, tmp_path: Path) -> None:
    csv = tmp_path / "compliance.csv"
    csv.write_text(
        "factory_id,requirement,status\nF1,iso14001,yes\nF1,csr_diw,no\nF2,iso14001,yes\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    first = runner.invoke(cli, ["import", "compliance", str(csv), "-w", store_location])
    assert first.exit_code == 0, first.output
    assert "3 added, 0 updated, 0 unchanged" in first.output
    second = runner.invoke(cli, ["import", "compliance", str(csv), "-w", store_location])
    assert "0 added, 0 updated, 3 unchanged" in second.output, second.output
    layers = runner.invoke(cli, ["layers", "-w", store_location, "--json"])
    assert layers.exit_code == 0 and '"rows": 3' in layers.output


def _racer(barrier: multiprocessing.synchronize.Barrier, location: str, n: int) -> None:
    barrier.wait()
    ws = Workspace.open(location)
    if n % 2:
        ws.upsert("compliance", _compliance("F1", f"req_{n}"), validate=False)
    else:
        ws.upsert("factories", _factories([f"N{n}"]))


def test_twenty_races_lose_no_row_on_either_store(store_location: str) -> None:
    ws = Workspace.create(store_location)
    with ws.batch():
        ws.write("factories", _factories(["F1"]))
        ws.write("compliance", _compliance("F1", "factory_licence"))
    ctx = multiprocessing.get_context("fork")
    races = 20
    for race in range(races):
        barrier = ctx.Barrier(2)
        procs = [
            ctx.Process(target=_racer, args=(barrier, store_location, 2 * race + k)) for k in (0, 1)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
            assert p.exitcode == 0
    again = Workspace.open(store_location)
    assert len(again.read("factories")) == 1 + races
    assert len(again.read("compliance")) == 1 + races
