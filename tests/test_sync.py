"""Offline provincial copies (issue 10.6): ``ecogis sync pull`` / ``ecogis sync push``.

On a real PostGIS (``postgres_url`` / ``pg_workspace``; skipped outside CI without one):
the province's rows and the reference layers pulled with origin and base; a round trip of
added, changed and deleted rows; a conflict listed with base, copy and database values
and not overwritten; deletions both ways; a second push that changes nothing; Thai text
intact both ways; and each kind of bad input, with nothing half-written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from ecogis import schema
from ecogis.cli import cli
from ecogis.errors import SyncError, WorkspaceError
from ecogis.sync import pull, push
from ecogis.sync import rows as sync_rows
from ecogis.sync.base import ORIGIN_KEY, read_base
from ecogis.workspace import Workspace

NAME_R2_COPY = "บริษัท ระยองแก้ไขในสำนักงานจังหวัด จำกัด"
NAME_NEW = "บริษัท มาบตาพุดใหม่ (สำรวจภาคสนาม) จำกัด"


def _box(w: float, s: float, e: float, n: float) -> shapely.MultiPolygon:
    return shapely.MultiPolygon([shapely.box(w, s, e, n)])


def _central_frames() -> dict[str, pd.DataFrame]:
    """Two provinces (20 Chon Buri, 21 Rayong), their districts, an industrial zone and a
    village in each, four factories and their compliance records, and roads and water: one
    feature in Rayong, one in Chon Buri far from it, a road running from one into the
    other."""
    provinces = gpd.GeoDataFrame(
        {
            "pro_code": ["20", "21"],
            "name_th": ["ชลบุรี", "ระยอง"],
            "name_en": ["Chon Buri", "Rayong"],
        },
        geometry=[_box(100.8, 12.8, 101.5, 13.6), _box(101.0, 12.5, 101.8, 12.8)],
        crs=4326,
    )
    districts = gpd.GeoDataFrame(
        {
            "amp_code": ["2001", "2101"],
            "name_th": ["เมืองชลบุรี", "เมืองระยอง"],
            "name_en": ["Mueang Chon Buri", "Mueang Rayong"],
            "pro_code": ["20", "21"],
        },
        geometry=[_box(100.9, 13.2, 101.1, 13.4), _box(101.2, 12.6, 101.4, 12.75)],
        crs=4326,
    )
    factories = gpd.GeoDataFrame(
        {
            "factory_id": ["R1", "R2", "R3", "C1"],
            "name_th": [
                "บริษัท ระยองปิโตรเคมี จำกัด",
                "บริษัท มาบตาพุดโลหะ จำกัด",
                "บริษัท บ้านฉางอาหาร จำกัด",
                "บริษัท ชลบุรีพลาสติก จำกัด",
            ],
            "workers": pd.array([120, 45, 30, 80], dtype="Int64"),
            "coord_flag": "ok",
            "pro_code": ["21", "21", "21", "20"],
            "amp_code": ["2101", "2101", "2101", "2001"],
        },
        geometry=[
            shapely.Point(101.25, 12.68),
            shapely.Point(101.30, 12.70),
            shapely.Point(101.35, 12.66),
            shapely.Point(101.00, 13.30),
        ],
        crs=4326,
    )
    compliance = pd.DataFrame(
        {
            "factory_id": ["R1", "R1", "R2", "C1"],
            "requirement": ["factory_licence", "iso14001", "factory_licence", "factory_licence"],
            "status": ["yes", "in_progress", "yes", "yes"],
            "evidence": ["ร.ง.4 เลขที่ 1/2560", None, "ร.ง.4", "ร.ง.4"],
        }
    )
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["Z-RY", "Z-CB"],
            "name_th": ["นิคมอุตสาหกรรมมาบตาพุด", "นิคมอุตสาหกรรมอมตะซิตี้ ชลบุรี"],
            "zone_type": ["estate", "estate"],
            "pro_code": ["21", "20"],
        },
        geometry=[_box(101.10, 12.65, 101.20, 12.72), _box(101.0, 13.3, 101.1, 13.4)],
        crs=4326,
    )
    communities = gpd.GeoDataFrame(
        {
            "community_id": ["V-RY", "V-CB"],
            "name_th": ["บ้านหนองแฟบ", "บ้านบึง"],
            "kind": ["village", "school"],
            "population": pd.array([850, None], dtype="Int64"),
            "pro_code": ["21", "20"],
        },
        geometry=[shapely.Point(101.15, 12.69), shapely.Point(101.05, 13.35)],
        crs=4326,
    )
    roads = gpd.GeoDataFrame(
        {
            "road_id": ["RD-RY", "RD-CB", "RD-X"],
            "name_th": ["ถนนสุขุมวิท (ระยอง)", "ถนนชลบุรี-บ้านบึง", "ทางหลวง 36"],
            "road_class": ["trunk", "primary", "trunk"],
        },
        geometry=[
            shapely.LineString([(101.2, 12.6), (101.4, 12.7)]),
            shapely.LineString([(100.9, 13.3), (101.1, 13.4)]),
            shapely.LineString([(101.3, 12.7), (101.3, 13.2)]),  # Rayong → Chon Buri
        ],
        crs=4326,
    )
    water = gpd.GeoDataFrame(
        {
            "water_id": ["W-RY", "W-CB"],
            "name_th": ["อ่างเก็บน้ำดอกกราย", "อ่างเก็บน้ำบางพระ"],
            "water_kind": ["reservoir", "reservoir"],
        },
        geometry=[_box(101.30, 12.72, 101.35, 12.76), _box(100.95, 13.45, 101.0, 13.5)],
        crs=4326,
    )
    return {
        "provinces": provinces,
        "districts": districts,
        "industrial_zones": zones,
        "factories": factories,
        "communities": communities,
        "compliance": compliance,
        "roads": roads,
        "water": water,
    }


@pytest.fixture
def central_empty(pg_workspace: str) -> str:
    """A fresh database workspace schema (not yet initialised)."""
    return pg_workspace


@pytest.fixture
def central(pg_workspace: str) -> str:
    """A database workspace (db init) holding :func:`_central_frames`."""
    res = CliRunner().invoke(cli, ["db", "init", pg_workspace])
    assert res.exit_code == 0, res.output
    ws = Workspace.open(pg_workspace)
    with ws.batch():
        for name, frame in _central_frames().items():
            ws.write(name, frame)
    return pg_workspace


def _factory(ws: Workspace, factory_id: str) -> pd.Series:
    rows = ws.read("factories", filters={"factory_id": factory_id})
    assert len(rows) == 1, rows
    return rows.iloc[0]


def _edit(ws: Workspace, layer: str, change: Any) -> None:
    """Read a layer, let ``change`` edit the frame, write it back (as QGIS would)."""
    frame = ws.read(layer)
    with ws.batch():
        ws.write(layer, change(frame))


def test_pull_holds_the_province_the_reference_layers_its_origin_and_styles(
    central: str, tmp_path: Path
) -> None:
    summary = pull(central, "21", tmp_path / "rayong.gpkg")
    copy = Workspace.open(tmp_path / "rayong.gpkg")
    assert sorted(copy.read("factories")["factory_id"]) == ["R1", "R2", "R3"]
    assert sorted(copy.read("compliance")["factory_id"]) == ["R1", "R1", "R2"]
    # shared reference layers come whole: the neighbours too
    assert sorted(copy.read("provinces")["pro_code"]) == ["20", "21"]
    assert sorted(copy.read("districts")["amp_code"]) == ["2001", "2101"]
    assert summary.rows["factories"] == 3 and "pro_code" in summary.rules["factories"]
    origin = json.loads(copy.get_meta(ORIGIN_KEY) or "{}")
    schema = central.split("schema=")[1]
    assert origin["province"] == "21" and origin["schema"] == schema
    assert origin["database"] == "ecogis_test" and origin["system_identifier"].isdigit()
    assert origin["pulled_at"].endswith("+00:00") and "factories" in origin["layers"]
    # the base is hidden bookkeeping, not a layer; every ecogis verb sees a normal workspace
    assert not [n for n in copy.layer_names() if n.startswith("_")]
    assert len(read_base(copy, "factories")) == 3
    assert copy.validate() == []
    assert "factories" in set(copy.read_styles()["f_table_name"])  # styled for QGIS
    assert _factory(copy, "R1")["name_th"] == "บริษัท ระยองปิโตรเคมี จำกัด"


def test_pull_takes_each_layer_by_its_contract_rule_and_every_reference_layer_whole(
    central: str, tmp_path: Path
) -> None:
    """Exactly the province's rows, compared field by field with the database's: by
    ``pro_code`` (factories, communities), by the province's factories (compliance), by the
    province's extent (roads, water); the shared reference layers (provinces, districts,
    industrial zones) whole, other provinces' rows included."""
    summary = pull(central, "21", tmp_path / "rayong.gpkg")
    copy = Workspace.open(tmp_path / "rayong.gpkg")
    db = Workspace.open(central)
    expected = {
        "provinces": ["20", "21"],  # reference: whole
        "districts": ["2001", "2101"],
        "industrial_zones": ["Z-CB", "Z-RY"],
        "factories": ["R1", "R2", "R3"],  # province: pro_code 21
        "communities": ["V-RY"],
        "compliance": ["R1\x1ffactory_licence", "R1\x1fiso14001", "R2\x1ffactory_licence"],
        "roads": ["RD-RY", "RD-X"],  # place: within Rayong's extent, the crossing road too
        "water": ["W-RY"],
    }
    assert {n for n in copy.layer_names() if len(copy.read(n))} == set(expected)
    rules = {
        "provinces": "all rows (shared reference)",
        "districts": "all rows (shared reference)",
        "industrial_zones": "all rows (shared reference)",
        "factories": "rows of the province (pro_code)",
        "communities": "rows of the province (pro_code)",
        "compliance": "rows of the province's factories (factory_id)",
        "roads": "features within the province's extent",
        "water": "features within the province's extent",
    }
    assert {layer: summary.rules[layer] for layer in rules} == rules
    for layer, keys in expected.items():
        contract = schema.contract(layer)
        mine = sync_rows.tokens(copy.read(layer), contract)
        theirs = sync_rows.tokens(db.read(layer), contract)
        assert sorted(mine.index) == keys, layer
        assert mine.sort_index().equals(theirs.loc[keys].sort_index()), layer  # the same rows
        assert sorted(read_base(copy, layer).index) == keys, layer
        assert summary.rows[layer] == len(keys)
    assert copy.read("industrial_zones", filters={"zone_id": "Z-CB"})["name_th"].tolist() == [
        "นิคมอุตสาหกรรมอมตะซิตี้ ชลบุรี"
    ]


def test_round_trip_of_added_changed_and_deleted_rows_then_a_second_push_changes_nothing(
    central: str, tmp_path: Path
) -> None:
    path = tmp_path / "rayong.gpkg"
    pull(central, "21", path)
    copy = Workspace.open(path)

    def factories(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame = frame[frame["factory_id"] != "R3"].copy()  # deleted offline
        frame.loc[frame["factory_id"] == "R2", "name_th"] = NAME_R2_COPY
        new = frame[frame["factory_id"] == "R1"].copy()
        new["factory_id"], new["name_th"] = "R4", NAME_NEW
        new["geometry"] = [shapely.Point(101.28, 12.69)]
        return gpd.GeoDataFrame(pd.concat([frame, new], ignore_index=True), crs=4326)

    def compliance(frame: pd.DataFrame) -> pd.DataFrame:
        kept = frame[~((frame["factory_id"] == "R1") & (frame["requirement"] == "iso14001"))]
        new = pd.DataFrame(
            {
                "factory_id": ["R4"],
                "requirement": ["factory_licence"],
                "status": ["yes"],
                "evidence": ["ร.ง.4 ออกใหม่"],
            }
        )
        return pd.concat([kept, new], ignore_index=True)

    _edit(copy, "factories", factories)
    _edit(copy, "compliance", compliance)
    done = push(path, central)
    assert done.counts["factories"] == (1, 1, 1)
    assert done.counts["compliance"] == (1, 0, 1)
    assert not done.conflicts
    db = Workspace.open(central)
    assert sorted(db.read("factories")["factory_id"]) == ["C1", "R1", "R2", "R4"]
    assert _factory(db, "R2")["name_th"] == NAME_R2_COPY  # Thai intact copy → database
    assert _factory(db, "R4")["name_th"] == NAME_NEW
    stored = db.read("compliance")
    assert ("R1", "iso14001") not in set(
        zip(stored["factory_id"], stored["requirement"], strict=True)
    )
    assert stored.loc[stored["factory_id"] == "R4", "evidence"].tolist() == ["ร.ง.4 ออกใหม่"]
    assert _factory(db, "C1")["name_th"] == "บริษัท ชลบุรีพลาสติก จำกัด"  # other province untouched
    again = push(path, central)
    assert (again.added, again.updated, again.deleted) == (0, 0, 0) and not again.conflicts
    refreshed = pull(central, "21", path)
    assert not refreshed.new_copy and not refreshed.conflicts
    assert all(t == (0, 0, 0) for t in refreshed.taken.values())


def test_a_row_changed_on_both_sides_is_listed_not_overwritten_and_then_resolved(
    central: str, tmp_path: Path
) -> None:
    path = tmp_path / "rayong.gpkg"
    pull(central, "21", path)
    copy = Workspace.open(path)

    def edit(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame.loc[frame["factory_id"] == "R1", "name_th"] = "ชื่อที่สำนักงานจังหวัดแก้"
        frame.loc[frame["factory_id"] == "R2", "workers"] = 60  # no conflict: lands
        return frame

    _edit(copy, "factories", edit)
    db = Workspace.open(central)
    r1 = db.read("factories", filters={"factory_id": "R1"})
    r1["name_th"] = "ชื่อที่กรมโรงงานแก้"
    db.upsert("factories", r1)

    conflicts = tmp_path / "conflicts.csv"
    res = CliRunner().invoke(
        cli, ["sync", "push", str(path), central, "--conflicts", str(conflicts)]
    )
    assert res.exit_code == 0, res.output
    assert "0 added, 1 updated, 0 deleted; 1 conflicts" in res.output
    # on screen: the row, the field, the base, the copy's and the database's value
    assert "factories (โรงงาน) R1: copy updated, database updated" in res.output
    assert "'บริษัท ระยองปิโตรเคมี จำกัด'" in res.output  # the base
    assert "'ชื่อที่สำนักงานจังหวัดแก้'" in res.output and "'ชื่อที่กรมโรงงานแก้'" in res.output
    assert _factory(db, "R1")["name_th"] == "ชื่อที่กรมโรงงานแก้"  # not overwritten
    assert _factory(db, "R2")["workers"] == 60  # the rest landed
    sheet = pd.read_csv(conflicts, encoding="utf-8-sig", dtype=str)
    assert len(sheet) == 1
    row = sheet.iloc[0]
    assert row["ฟิลด์ / field"] == "name_th" and row["field label (English)"] == "Name (Thai)"
    assert row["ค่าตอนดึงข้อมูล / base (as pulled)"] == "บริษัท ระยองปิโตรเคมี จำกัด"
    assert row["ค่าในสำเนา / copy"] == "ชื่อที่สำนักงานจังหวัดแก้"
    assert row["ค่าในฐานข้อมูล / database"] == "ชื่อที่กรมโรงงานแก้"
    # listed again until resolved; --ours sends the copy's version
    assert len(push(path, central).conflicts) == 1
    ours = push(path, central, resolve="ours")
    assert ours.counts["factories"] == (0, 1, 0) and not ours.conflicts
    assert _factory(db, "R1")["name_th"] == "ชื่อที่สำนักงานจังหวัดแก้"
    # and the other way: the database changes R1 again, the copy too; --theirs takes the db's
    r1["name_th"] = "ชื่อล่าสุดของกรม"
    db.upsert("factories", r1)
    _edit(
        copy,
        "factories",
        lambda f: f.assign(name_th=f["name_th"].where(f["factory_id"] != "R1", "อีกชื่อ")),
    )
    theirs = push(path, central, resolve="theirs")
    assert theirs.taken == {"factories": 1} and not theirs.conflicts
    assert _factory(Workspace.open(path), "R1")["name_th"] == "ชื่อล่าสุดของกรม"
    assert (lambda s: (s.added, s.updated, s.deleted))(push(path, central)) == (0, 0, 0)


def test_deletions_travel_both_ways(central: str, tmp_path: Path) -> None:
    path = tmp_path / "rayong.gpkg"
    pull(central, "21", path)
    copy = Workspace.open(path)
    db = Workspace.open(central)
    # the database deletes R2's record, which the copy did not change: a pull removes it
    db.delete_rows(
        "compliance", pd.DataFrame({"factory_id": ["R2"], "requirement": ["factory_licence"]})
    )
    # the database deletes R3, which the copy changed: a conflict, the copy keeps it
    db.delete_rows("factories", pd.DataFrame({"factory_id": ["R3"]}))
    _edit(
        copy,
        "factories",
        lambda f: f.assign(workers=f["workers"].where(f["factory_id"] != "R3", 31)),
    )
    again = pull(central, "21", path)
    assert again.taken["compliance"] == (0, 0, 1)
    assert "R2" not in set(copy.read("compliance")["factory_id"])
    assert [(c.layer, c.key, c.database_change) for c in again.conflicts] == [
        ("factories", "R3", "deleted")
    ]
    assert "R3" in set(copy.read("factories")["factory_id"])  # the copy's edit is kept
    # the copy deletes R1's licence record: a push removes it from the database
    _edit(copy, "compliance", lambda f: f[f["requirement"] != "factory_licence"])
    done = push(path, central, resolve="theirs")  # and R3 follows the database: deleted
    assert done.counts["compliance"] == (0, 0, 1)
    stored = db.read("compliance")
    assert sorted(zip(stored["factory_id"], stored["requirement"], strict=True)) == [
        ("C1", "factory_licence"),
        ("R1", "iso14001"),
    ]
    assert "R3" not in set(copy.read("factories")["factory_id"])
    assert "R3" not in set(db.read("factories")["factory_id"])


def test_push_of_a_copy_from_another_database_is_refused(
    central: str, other_pg_workspace: str, tmp_path: Path
) -> None:
    path = tmp_path / "rayong.gpkg"
    pull(central, "21", path)
    copy = Workspace.open(path)
    _edit(copy, "factories", lambda f: f.assign(workers=pd.array([1] * len(f), dtype="Int64")))
    other = other_pg_workspace
    ws = Workspace.create(other)
    with ws.batch():
        ws.write("factories", _central_frames()["factories"])
    before = path.read_bytes()
    with pytest.raises(SyncError) as info:
        push(path, other)
    line = str(info.value)
    assert f"was pulled from database ecogis_test, schema {central.split('schema=')[1]}" in line
    assert "nothing was pushed" in line and "push it to the database it came from" in line
    assert path.read_bytes() == before  # the copy is as it was
    assert sorted(Workspace.open(other).read("factories")["workers"]) == [30, 45, 80, 120]
    # pulling another database's province into this copy is refused too
    with pytest.raises(SyncError, match="is a copy of database ecogis_test"):
        pull(other, "21", path)


def test_push_of_a_workspace_that_was_not_pulled_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.gpkg"
    ws = Workspace.create(path)
    with ws.batch():
        ws.write("factories", _central_frames()["factories"])
    res = CliRunner().invoke(
        cli, ["sync", "push", str(path), "postgresql://ecogis@127.0.0.1:9/ecogis?schema=x"]
    )
    assert res.exit_code == 1
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output
    assert "plain.gpkg: is not an offline copy" in lines[0]
    assert "ecogis sync pull URL --province CODE --to FILE" in lines[0]


def test_pull_of_a_province_the_database_does_not_hold_is_refused(
    central: str, tmp_path: Path
) -> None:
    res = CliRunner().invoke(
        cli, ["sync", "pull", central, "--province", "99", "--to", str(tmp_path / "x.gpkg")]
    )
    assert res.exit_code == 1, res.output
    assert "holds no province 99" in res.output and "(20, 21)" in res.output
    assert not (tmp_path / "x.gpkg").exists()
    bad = CliRunner().invoke(
        cli, ["sync", "pull", central, "--province", "ระยอง", "--to", str(tmp_path / "x.gpkg")]
    )
    assert bad.exit_code == 1 and "is not a 2-digit province code" in bad.output


def test_an_unreachable_database_is_one_line_and_changes_nothing(
    central: str, tmp_path: Path
) -> None:
    nowhere = "postgresql://ecogis@127.0.0.1:9/ecogis?schema=x"
    res = CliRunner().invoke(
        cli, ["sync", "pull", nowhere, "--province", "21", "--to", str(tmp_path / "x.gpkg")]
    )
    assert res.exit_code == 1
    assert "cannot connect to PostgreSQL at 127.0.0.1:9" in res.output
    assert not (tmp_path / "x.gpkg").exists()
    path = tmp_path / "rayong.gpkg"
    pull(central, "21", path)
    _edit(
        Workspace.open(path),
        "factories",
        lambda f: f.assign(workers=pd.array([7] * len(f), dtype="Int64")),
    )
    before = path.read_bytes()
    res = CliRunner().invoke(cli, ["sync", "push", str(path), nowhere])
    assert res.exit_code == 1
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "cannot connect to PostgreSQL at 127.0.0.1:9" in lines[0]
    assert path.read_bytes() == before


@pytest.fixture
def rayong_user(central: str) -> Iterator[str]:
    """The URL of a login of a role that may write province 21 only (ecogis db grant)."""
    import sqlalchemy as sa

    role, user = f"rayong_{uuid.uuid4().hex[:6]}", f"somchai_{uuid.uuid4().hex[:6]}"
    res = CliRunner().invoke(cli, ["db", "grant", central, "--province", "21", "--role", role])
    assert res.exit_code == 0, res.output
    engine = sa.create_engine(
        central.split("?")[0].replace("postgresql://", "postgresql+psycopg://", 1)
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{user}" LOGIN IN ROLE "{role}"')
    parts = urlsplit(central)
    yield f"postgresql://{user}@{parts.hostname}:{parts.port}{parts.path}?{parts.query}"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{user}'"
        )
        conn.exec_driver_sql(f'DROP OWNED BY "{user}"; DROP ROLE "{user}"')
        conn.exec_driver_sql(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')
    engine.dispose()


def test_a_provincial_role_pushing_another_provinces_rows_is_refused_whole(
    central: str, rayong_user: str, tmp_path: Path
) -> None:
    path = tmp_path / "rayong.gpkg"
    pull(rayong_user, "21", path)  # the office pulls with its own login
    copy = Workspace.open(path)

    def edit(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame.loc[frame["factory_id"] == "R1", "workers"] = 999  # its own: allowed
        stray = frame[frame["factory_id"] == "R2"].copy()
        stray["factory_id"], stray["pro_code"] = "C9", "20"  # Chon Buri's: refused
        return gpd.GeoDataFrame(pd.concat([frame, stray], ignore_index=True), crs=4326)

    _edit(copy, "factories", edit)
    before = path.read_bytes()
    res = CliRunner().invoke(cli, ["sync", "push", str(path), rayong_user])
    assert res.exit_code == 1, res.output
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output
    assert "may write rows of province 21 only; refused in factories: C9 (province 20)" in lines[0]
    assert "nothing was written" in lines[0]
    db = Workspace.open(central)
    assert _factory(db, "R1")["workers"] == 120  # its own row did not land either
    assert "C9" not in set(db.read("factories")["factory_id"])
    assert path.read_bytes() == before
    # a deletion of another province's row (the copy holds all provinces) is refused by name
    _edit(copy, "factories", lambda f: f[f["factory_id"] != "C9"])
    _edit(copy, "provinces", lambda f: f[f["pro_code"] != "20"])
    with pytest.raises(WorkspaceError, match=r"refused in provinces: 20 \(province 20\)"):
        push(path, rayong_user)
    assert sorted(db.read("provinces")["pro_code"]) == ["20", "21"]
    assert _factory(db, "R1")["workers"] == 120
    # its own province's rows go through
    _edit(
        copy,
        "provinces",
        lambda f: pd.concat([f, db.read("provinces", filters={"pro_code": "20"})]),
    )
    assert push(path, rayong_user).counts["factories"] == (0, 1, 0)
    assert _factory(db, "R1")["workers"] == 999


def test_the_documented_round_trip_as_a_provincial_office_runs_it(
    central_empty: str, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/postgis.md, verb by verb: the real Prachin Buri registry in the database, a copy
    of province 25, offline imports, a push, a conflict resolved with --theirs."""
    monkeypatch.chdir(tmp_path)
    url = central_empty
    thailand = shared_data / "thailand"

    def run(*args: str) -> str:
        res = CliRunner().invoke(cli, list(args))
        assert res.exit_code == 0, f"ecogis {' '.join(args)}\n{res.output}"
        return res.output

    run("db", "init", url)
    run("import", "provinces", str(thailand / "th_provinces_opengisdata.geojson"), "-w", url)
    run("import", "factories", str(thailand / "diw_factories_prachinburi_raw.geojson"), "-w", url)
    out = run("sync", "pull", url, "--province", "25", "--to", "prachinburi.gpkg")
    assert "pulled province 25" in out
    copy = Workspace.open("prachinburi.gpkg")
    ids = sorted(copy.read("factories")["factory_id"])[:2]
    assert len(ids) == 2
    assert "layers" in run("validate", "-w", "prachinburi.gpkg")
    # offline: the office imports its inspection records into the copy
    Path("visits.csv").write_text(
        "factory_id,requirement,status,evidence\n"
        f"{ids[0]},iso14001,yes,ใบรับรอง ISO 14001 ตรวจแล้ว\n"
        f"{ids[1]},iso14001,in_progress,อยู่ระหว่างยื่นขอ\n",
        encoding="utf-8",
    )
    run("import", "compliance", "visits.csv", "-w", "prachinburi.gpkg")
    out = run("sync", "push", "prachinburi.gpkg", url)
    assert "2 added, 0 updated, 0 deleted; 0 conflicts" in out
    assert "0 added, 0 updated, 0 deleted; 0 conflicts" in run(
        "sync", "push", "prachinburi.gpkg", url
    )
    stored = Workspace.open(url).read("compliance", filters={"factory_id": ids[0]})
    assert stored["evidence"].tolist() == ["ใบรับรอง ISO 14001 ตรวจแล้ว"]  # Thai intact
    # the department and the office both change the same record: a conflict
    Path("dept.csv").write_text(
        f"factory_id,requirement,status\n{ids[1]},iso14001,no\n", encoding="utf-8"
    )
    run("import", "compliance", "dept.csv", "-w", url)
    Path("office.csv").write_text(
        f"factory_id,requirement,status\n{ids[1]},iso14001,yes\n", encoding="utf-8"
    )
    run("import", "compliance", "office.csv", "-w", "prachinburi.gpkg")
    out = run("sync", "push", "prachinburi.gpkg", url)
    assert (
        "1 conflicts" in out and f"compliance (การปฏิบัติตามกฎหมายและมาตรฐาน) {ids[1]}/iso14001" in out
    )
    assert Path("prachinburi-conflicts.csv").exists()
    out = run("sync", "push", "prachinburi.gpkg", url, "--theirs")
    assert "0 conflicts" in out and not Path("prachinburi-conflicts.csv").exists()
    record = Workspace.open("prachinburi.gpkg").read("compliance", filters={"factory_id": ids[1]})
    assert record["status"].tolist() == ["no"]
    out = run("sync", "pull", url, "--province", "25", "--to", "prachinburi.gpkg")
    assert "0 added, 0 updated, 0 deleted" in out


def test_delete_rows_by_business_key_on_both_stores(store_location: str) -> None:
    """Workspace.delete_rows (what a push's deletions use): by key, absent keys no error."""
    ws = Workspace.create(store_location)
    frames = _central_frames()
    with ws.batch():
        ws.write("factories", frames["factories"])
        ws.write("compliance", frames["compliance"])
    gone = pd.DataFrame({"factory_id": ["R1", "R9"], "requirement": ["iso14001", "iso14001"]})
    assert ws.delete_rows("compliance", gone) == 1
    left = ws.read("compliance")
    assert sorted(zip(left["factory_id"], left["requirement"], strict=True)) == [
        ("C1", "factory_licence"),
        ("R1", "factory_licence"),
        ("R2", "factory_licence"),
    ]
    assert ws.delete_rows("factories", pd.DataFrame({"factory_id": ["R3"]})) == 1
    assert sorted(ws.read("factories")["factory_id"]) == ["C1", "R1", "R2"]
    assert _factory(ws, "R1")["name_th"] == "บริษัท ระยองปิโตรเคมี จำกัด"
    with pytest.raises(WorkspaceError, match="lacks key column"):
        ws.delete_rows("compliance", pd.DataFrame({"factory_id": ["R1"]}))
