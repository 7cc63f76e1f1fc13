"""The GeoPackage workspace: round trips, atomic writes, upsert, metadata, validation."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from ecogis.errors import DataValidationError, WorkspaceError
from ecogis.workspace import StyleRecord, Workspace


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _factories(ids: list[str], names: list[str]) -> gpd.GeoDataFrame:
    geoms = [shapely.Point(101.40 + i * 0.01, 14.05) for i in range(len(ids))]
    return gpd.GeoDataFrame(
        {
            "factory_id": ids,
            "name_th": names,
            "coord_flag": ["ok"] * len(ids),
            "factory_class": [3] * len(ids),
            "workers": [10 * (i + 1) for i in range(len(ids))],
            "licence_date": ["2008-12-15"] * len(ids),
            "waste_permit": [True] + [None] * (len(ids) - 1),
        },
        geometry=geoms,
        crs=4326,
    )


def test_create_write_read_roundtrip_keeps_thai_nulls_and_dtypes(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    frame = _factories(["3-42-1/55ปจ", "3-53-2/56ปจ"], ["บริษัท เคมีภัณฑ์ไทย จำกัด", "โรงงาน ข"])
    frame.loc[1, "workers"] = None
    frame.loc[1, "geometry"] = None
    frame.loc[1, "coord_flag"] = "missing"
    ws.write("factories", frame)
    back = ws.read("factories")
    assert list(back["name_th"]) == ["บริษัท เคมีภัณฑ์ไทย จำกัด", "โรงงาน ข"]
    assert str(back["workers"].dtype) == "Int64"
    assert back["workers"].isna().tolist() == [False, True]
    assert str(back["waste_permit"].dtype) == "boolean"
    assert back["waste_permit"].tolist()[0] is True
    assert back["waste_permit"].isna().tolist() == [False, True]
    assert str(back["factory_class"].dtype) == "Int64"
    assert back.geometry.isna().tolist() == [False, True]
    assert back.crs.to_epsg() == 4326
    assert back["licence_date"].tolist() == ["2008-12-15", "2008-12-15"]


def test_write_reprojects_to_storage_crs(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    frame = _factories(["a"], ["ก"]).to_crs(32647)
    ws.write("factories", frame)
    back = ws.read("factories")
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].x == pytest.approx(101.40, abs=1e-9)


def test_failed_batch_leaves_file_byte_identical(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a", "b"], ["ก", "ข"]))
    before = _digest(tmp_workspace)
    with pytest.raises(RuntimeError), ws.batch():
        ws.write("factories", _factories(["z"], ["ซ"]))
        raise RuntimeError("crash mid-write")
    assert _digest(tmp_workspace) == before
    assert ws.read("factories")["factory_id"].tolist() == ["a", "b"]
    assert not list(tmp_workspace.parent.glob(".*tmp.gpkg*"))


def test_invalid_frame_is_refused_and_nothing_written(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a"], ["ก"]))
    before = _digest(tmp_workspace)
    bad = _factories(["a", "a"], ["ก", "ข"])
    with pytest.raises(DataValidationError, match="not unique"):
        ws.write("factories", bad)
    assert _digest(tmp_workspace) == before


def test_reads_inside_batch_see_staged_writes(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    with ws.batch():
        ws.write("factories", _factories(["a"], ["ก"]))
        assert ws.read("factories")["factory_id"].tolist() == ["a"]
        assert not Workspace.open(tmp_workspace).has_layer("factories")
    assert Workspace.open(tmp_workspace).has_layer("factories")


def test_upsert_adds_updates_and_keeps_untouched_columns(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a", "b"], ["ก", "ข"]))
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
    assert back.loc["a", "name_th"] == "ก"
    again = ws.upsert("factories", incoming)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert len(ws.read("factories")) == 3


def test_tables_roundtrip_without_geometry(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
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
    ws.write("material_flows", flows)
    back = ws.read("material_flows")
    assert not isinstance(back, gpd.GeoDataFrame)
    assert back.loc[0, "material"] == "เถ้าลอย fly_ash"
    assert back.loc[0, "waste_code"] == "100102"
    info = {i.name: i for i in ws.layers()}
    assert info["material_flows"].kind == "table" and info["material_flows"].rows == 1


def test_layers_lists_descriptions_in_thai_and_english(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a"], ["ก"]))
    (info,) = ws.layers()
    assert info.rows == 1 and info.geometry_type == "Point"
    assert "โรงงาน" in info.description and "Factories" in info.description
    with sqlite3.connect(tmp_workspace) as con:
        desc = con.execute(
            "SELECT description FROM gpkg_contents WHERE table_name='factories'"
        ).fetchone()[0]
    assert "กรมโรงงานอุตสาหกรรม" in desc


def test_validate_reports_layer_key_and_field(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a"], ["ก"]))
    flows = pd.DataFrame(
        {
            "factory_id": ["ghost"],
            "flow_id": ["1"],
            "direction": ["out"],
            "flow_kind": ["waste"],
            "material": ["ash"],
            "quantity": [1.0],
            "unit": ["t/yr"],
        }
    )
    ws.write("material_flows", flows)
    problems = ws.validate()
    assert [(p.layer, p.key, p.field) for p in problems] == [
        ("material_flows", "ghost", "factory_id")
    ]


def test_open_refuses_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        Workspace.open(tmp_path / "nope.gpkg")
    not_gpkg = tmp_path / "notes.gpkg"
    not_gpkg.write_text("hello", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="not a GeoPackage"):
        Workspace.open(not_gpkg)
    plain_sqlite = tmp_path / "plain.gpkg"
    with sqlite3.connect(plain_sqlite) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(WorkspaceError, match="not a GeoPackage"):
        Workspace.open(plain_sqlite)


def test_read_missing_layer_says_how_to_make_it(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    with pytest.raises(WorkspaceError, match="ecogis import factories"):
        ws.read("factories")


def test_meta_and_style_rows_are_replaced_not_duplicated(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a"], ["ก"]))
    ws.set_meta("lang", "en")
    ws.set_meta("lang", "th")
    assert ws.get_meta("lang") == "th"
    record = StyleRecord("factories", "geom", "ecogis", "<qgis/>", "<sld/>")
    ws.write_styles([record])
    ws.write_styles([record])
    styles = ws.read_styles()
    mine = styles[(styles.f_table_name == "factories") & (styles.styleName == "ecogis")]
    assert len(mine) == 1
    assert mine.iloc[0]["f_table_schema"] == "" and mine.iloc[0]["f_table_catalog"] == ""
    assert "layer_styles" not in ws.layer_names()


def test_structured_filters_and_columns(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a", "b", "c"], ["ก", "ข", "ค"]))
    sub = ws.read("factories", filters={"factory_id": ["a", "c"]}, columns=["factory_id"])
    assert sub["factory_id"].tolist() == ["a", "c"]
    assert list(sub.columns) == ["factory_id", "geometry"]
    assert ws.read("factories", filters={"name_th": "ข"})["factory_id"].tolist() == ["b"]
    assert ws.read("factories", filters={"workers": 30, "factory_id": "c"}).shape[0] == 1
    assert len(ws.read("factories", filters={"factory_id": []})) == 0
    assert len(ws.read("factories", filters={"name_en": None})) == 3  # IS NULL


def test_filters_are_quoted_never_pasted_as_sql(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a", "o'x"], ["ก", "ข"]))
    assert ws.read("factories", filters={"factory_id": "a' OR '1'='1"}).empty
    assert ws.read("factories", filters={"factory_id": "o'x"})["name_th"].tolist() == ["ข"]
    with pytest.raises(WorkspaceError, match="not a field"):
        ws.read("factories", filters={"1=1 OR factory_id": "a"})
    with pytest.raises(WorkspaceError, match="plain values"):
        ws.read("factories", filters={"factory_id": {"$ne": 1}})  # type: ignore[dict-item]


def test_engine_fiona_is_optional(tmp_workspace: Path) -> None:
    try:
        import fiona  # noqa: F401
    except ImportError:
        with pytest.raises(WorkspaceError, match="ecogis\\[fiona\\]"):
            Workspace(tmp_workspace, engine="fiona")
        return
    ws = Workspace.create(tmp_workspace, engine="fiona")
    ws.write("factories", _factories(["a"], ["ก"]))
    assert ws.read("factories")["name_th"].tolist() == ["ก"]
    flows = pd.DataFrame(
        {
            "factory_id": ["a", "a"],
            "flow_id": ["1", "2"],
            "direction": ["out", "in"],
            "flow_kind": ["waste", "water"],
            "material": ["เถ้าลอย", "น้ำ"],
            "quantity": [1.5, 2.0],
            "unit": ["t/yr", "m3/yr"],
            "year": [2024, None],
        }
    )
    ws.write("material_flows", flows)
    ws.write("material_flows", flows)  # rewriting a table replaces it
    back = ws.read("material_flows")
    assert back["material"].tolist() == ["เถ้าลอย", "น้ำ"]
    assert back["year"].isna().tolist() == [False, True]
    assert {i.name: i.rows for i in ws.layers()} == {"factories": 1, "material_flows": 2}


def test_cli_engine_option_reaches_every_verb(tmp_workspace: Path) -> None:
    from click.testing import CliRunner

    from ecogis import workspace as workspace_module
    from ecogis.cli import cli

    Workspace.create(tmp_workspace).write("factories", _factories(["a"], ["ก"]))
    try:
        result = CliRunner().invoke(cli, ["--engine", "fiona", "layers", "-w", str(tmp_workspace)])
        assert result.exit_code == 0, result.output
        assert Workspace(tmp_workspace).engine == "fiona"
    finally:
        workspace_module.set_default_engine("pyogrio")


def test_delete_layer(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    ws.write("factories", _factories(["a"], ["ก"]))
    ws.delete_layer("factories")
    assert not ws.has_layer("factories")


def test_roundtrip_equals_input(tmp_workspace: Path) -> None:
    ws = Workspace.create(tmp_workspace)
    frame = _factories(["a", "b"], ["ก", "ข"])
    ws.write("factories", frame)
    back = ws.read("factories")[frame.columns]
    from ecogis.schema import coerce_dtypes, contract

    expected = coerce_dtypes(frame, contract("factories"))[frame.columns]
    assert_geodataframe_equal(back, expected, check_dtype=True)


def _ecogis_imports(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m == "ecogis" or m.startswith("ecogis.")}


def test_storage_imports_no_presentation_and_analyses_no_storage() -> None:
    pkg = Path(__file__).resolve().parent.parent / "ecogis"
    allowed = ("ecogis.workspace", "ecogis.schema", "ecogis.errors", "ecogis.crs", "ecogis.units")
    for module in sorted((pkg / "workspace").glob("*.py")):
        wrong = {m for m in _ecogis_imports(module) if not m.startswith(allowed)} - {"ecogis"}
        assert not wrong, f"{module.name} imports {wrong}"
    for module in sorted((pkg / "risk").glob("*.py")):
        assert not {m for m in _ecogis_imports(module) if m.startswith("ecogis.workspace")}, (
            f"risk/{module.name} imports the workspace"
        )
