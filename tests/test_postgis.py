"""The PostGIS store's own parts: db init (types, keys, GiST indexes, QGIS tables), verbs on
a URL, and bad input (unreachable server, wrong password, no PostGIS, another version)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.errors import WorkspaceError
from ecogis.workspace import Workspace

sa = pytest.importorskip("sqlalchemy")


def _engine(url: str) -> sa.Engine:
    base = url.split("?", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return sa.create_engine(base)


def _schema(url: str) -> str:
    return url.split("schema=", 1)[1]


def test_db_init_creates_typed_tables_keys_indexes_and_qgis_tables(pg_workspace: str) -> None:
    res = CliRunner().invoke(cli, ["db", "init", pg_workspace])
    assert res.exit_code == 0, res.output
    assert "layer tables" in res.output
    again = CliRunner().invoke(cli, ["db", "init", pg_workspace])  # changes nothing
    assert again.exit_code == 0, again.output
    schema = _schema(pg_workspace)
    with _engine(pg_workspace).connect() as conn:
        types = dict(
            conn.exec_driver_sql(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = %(s)s AND table_name = 'factories'",
                {"s": schema},
            ).fetchall()
        )
        assert types["factory_id"] == "text" and types["tsic"] == "text"
        assert types["licence_date"] == "date" and types["workers"] == "bigint"
        assert types["capital_thb"] == "double precision" and types["geom"] == "USER-DEFINED"
        indexes = " ".join(
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = %(s)s AND tablename = "
                "'factories'",
                {"s": schema},
            )
        )
        assert "USING gist (geom)" in indexes and "(factory_id)" in indexes
        key = conn.exec_driver_sql(
            "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n "
            "ON n.oid = c.connamespace WHERE n.nspname = %(s)s AND c.conname = "
            "'compliance_business_key'",
            {"s": schema},
        ).scalar()
        assert key == "UNIQUE (factory_id, requirement)"
        assert conn.exec_driver_sql("SELECT to_regclass('public.layer_styles')").scalar()
        assert conn.exec_driver_sql(
            "SELECT to_regclass(%(t)s)", {"t": f"{schema}.qgis_projects"}
        ).scalar()
    ws = Workspace.open(pg_workspace)
    assert ws.get_meta("schema_version") == "1"
    assert "factories" in ws.layer_names()


def _cli_line(args: list[str]) -> str:
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1, res.output
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    assert "unexpected" not in res.output
    return lines[0]


def test_a_layer_is_written_in_slices_whole_and_in_order(
    pg_workspace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows go to the database in slices of COPY_SLICE_ROWS (bounded client memory): every
    row lands, once, in its order, in one transaction."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from ecogis.workspace import postgis

    monkeypatch.setattr(postgis, "COPY_SLICE_ROWS", 2)
    ids = [f"F{i}" for i in range(5)]
    frame = gpd.GeoDataFrame(
        {"factory_id": ids, "name_th": [f"โรงงาน {i}" for i in range(5)], "coord_flag": "ok"},
        geometry=[shapely.Point(101 + i / 10, 13) for i in range(5)],
        crs=4326,
    )
    ws = Workspace.create(pg_workspace)
    with ws.batch():
        ws.write("factories", frame)
        ws.write(
            "compliance",
            pd.DataFrame({"factory_id": ids, "requirement": "iso14001", "status": "yes"}),
        )
    stored = ws.read("factories")
    assert stored["factory_id"].tolist() == ids and stored["name_th"].tolist()[4] == "โรงงาน 4"
    assert len(ws.read("compliance")) == 5


def test_unreachable_server_is_one_line_with_host_and_port() -> None:
    line = _cli_line(["layers", "-w", "postgresql://ecogis@127.0.0.1:9/ecogis?schema=x"])
    assert "cannot connect to PostgreSQL at 127.0.0.1:9" in line
    assert "start the server, or check the host and port" in line


def test_wrong_password_is_one_line_and_hides_the_password(postgres_url: str) -> None:
    admin = _engine(postgres_url)
    with admin.begin() as conn:
        conn.exec_driver_sql("DROP ROLE IF EXISTS ecogis_pw")
        conn.exec_driver_sql("CREATE ROLE ecogis_pw LOGIN PASSWORD 'right-one'")
    parts = urlsplit(postgres_url)
    url = f"postgresql://ecogis_pw:wrong-one@{parts.hostname}:{parts.port}{parts.path}?schema=x"
    try:
        Workspace.open(url)
    except WorkspaceError as exc:
        line = str(exc)
    else:
        pytest.skip("this server trusts every local login (see .ci/run's pg_hba line)")
    assert f"cannot connect to PostgreSQL at {parts.hostname}:{parts.port}" in line
    assert "password for user ecogis_pw was refused" in line
    assert "wrong-one" not in line
    assert "wrong-one" not in _cli_line(["layers", "-w", url])


def test_database_without_postgis_names_the_extension(postgres_url: str) -> None:
    parts = urlsplit(postgres_url)
    url = f"postgresql://{parts.netloc}/ecogis_nopostgis?schema=x"
    with _engine(url).connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname='postgis'").scalar():
            pytest.skip("the test database ecogis_nopostgis has PostGIS")
    line = _cli_line(["layers", "-w", url])
    assert "has no PostGIS extension" in line and "CREATE EXTENSION postgis" in line


def test_missing_database_is_named(postgres_url: str) -> None:
    parts = urlsplit(postgres_url)
    line = _cli_line(["layers", "-w", f"postgresql://{parts.netloc}/no_such_db?schema=x"])
    assert "database 'no_such_db' does not exist" in line


def test_a_schema_without_a_workspace_says_how_to_make_one(pg_workspace: str) -> None:
    line = _cli_line(["layers", "-w", pg_workspace])
    assert f"schema '{_schema(pg_workspace)}' of this database holds no ecogis workspace" in line
    assert f"ecogis db init '{pg_workspace}'" in line


def test_schema_of_another_version_is_refused(pg_workspace: str) -> None:
    Workspace.create(pg_workspace)
    with _engine(pg_workspace).begin() as conn:
        conn.exec_driver_sql(
            f"UPDATE \"{_schema(pg_workspace)}\".ecogis_meta SET value = '2' "
            "WHERE key = 'schema_version'"
        )
    line = _cli_line(["validate", "-w", pg_workspace])
    assert "another ecogis version (workspace schema 2" in line


def test_verbs_on_a_database_workspace(pg_workspace: str, tmp_path: object) -> None:
    """The demo data in the database, then the analyses and presentation verbs on its URL."""
    from pathlib import Path

    out = Path(str(tmp_path))
    runner = CliRunner()
    res = runner.invoke(cli, ["demo", "-w", pg_workspace, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert runner.invoke(cli, ["validate", "-w", pg_workspace]).exit_code == 0
    for args in (
        ["risk", "-w", pg_workspace],
        ["symbiosis", "-w", pg_workspace],
        ["compliance", "-w", pg_workspace],
        ["map", "-w", pg_workspace, "-r", "risk", "--out", str(out / "risk.html")],
        ["report", "-w", pg_workspace, "-p", "25", "-o", str(out / "report.html")],
        ["assess", "-w", pg_workspace, "--area", "DEMO-IE-01", "--round", "baseline"],
        ["qgis", "styles", "-w", pg_workspace],
        ["qgis", "project", "-w", pg_workspace],
        ["layers", "-w", pg_workspace],
    ):
        r = runner.invoke(cli, args)
        assert r.exit_code == 0, (args, r.output)
    ws = Workspace.open(pg_workspace)
    assert len(ws.read("factories")) == 65
    styles = ws.read_styles()
    assert set(styles["f_table_schema"]) == {_schema(pg_workspace)}


def test_a_second_writer_waits_says_so_and_keeps_the_first_ones_rows(
    pg_workspace: str, tmp_path: object, stderr_watcher: Any
) -> None:
    import subprocess
    import sys
    from pathlib import Path

    import pandas as pd

    csv = Path(str(tmp_path)) / "c.csv"
    csv.write_text("factory_id,requirement,status\nF2,iso14001,yes\n", encoding="utf-8")
    first = Workspace.create(pg_workspace)
    with first.batch():  # a slow writer holding the workspace's lock
        first.upsert(
            "compliance",
            pd.DataFrame({"factory_id": ["F1"], "requirement": ["csr_diw"], "status": ["no"]}),
            validate=False,
        )
        watcher = stderr_watcher(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "ecogis",
                    "import",
                    "compliance",
                    str(csv),
                    "-w",
                    pg_workspace,
                ],
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        said = watcher.wait_for("to finish writing")
    err = watcher.finish()
    assert said, err
    assert watcher.proc.returncode == 0, err
    assert "waiting for" in err and "to finish writing" in err, err
    rows = Workspace.open(pg_workspace).read("compliance")
    assert sorted(rows["factory_id"]) == ["F1", "F2"]


def test_a_provincial_role_writes_its_province_only_and_reads_all(pg_workspace: str) -> None:
    """db grant: rayong_office (21) may write Rayong's rows, is refused on Prachin Buri's."""
    import uuid

    import geopandas as gpd
    import pandas as pd
    import shapely

    def factories(ids: list[str], provinces: list[str]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"factory_id": ids, "name_th": ids, "coord_flag": "ok", "pro_code": provinces},
            geometry=[shapely.Point(101.2, 12.8)] * len(ids),
            crs=4326,
        )

    runner = CliRunner()
    assert runner.invoke(cli, ["db", "init", pg_workspace]).exit_code == 0
    admin = Workspace.open(pg_workspace)
    with admin.batch():
        admin.write("factories", factories(["R1", "P1"], ["21", "25"]))
    role = f"rayong_{uuid.uuid4().hex[:6]}"
    user = f"alice_{uuid.uuid4().hex[:6]}"
    res = runner.invoke(cli, ["db", "grant", pg_workspace, "--province", "21", "--role", role])
    assert res.exit_code == 0, res.output
    assert "writes province 21 only" in res.output and "compliance" in res.output
    assert "ecogis_grants" not in admin.layer_names()  # bookkeeping, not a layer for QGIS
    engine = _engine(pg_workspace)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{user}" LOGIN IN ROLE "{role}"')
    parts = urlsplit(pg_workspace)
    as_alice = f"postgresql://{user}@{parts.hostname}:{parts.port}{parts.path}?{parts.query}"
    try:
        ws = Workspace.open(as_alice)
        assert sorted(ws.read("factories")["factory_id"]) == ["P1", "R1"]  # reads all
        assert ws.upsert("factories", factories(["R2"], ["21"])).added == 1
        with pytest.raises(WorkspaceError) as info:
            ws.upsert("factories", factories(["R3", "P2"], ["21", "25"]))
        line = str(info.value)
        assert f"user {user} may write rows of province 21 only" in line
        assert "P2 (province 25)" in line and "R3" not in line.split("refused in")[1]
        assert "nothing was written" in line and "write only your province's rows" in line
        with pytest.raises(WorkspaceError, match=r"P1/iso14001 \(province 25\)"):
            ws.upsert(
                "compliance",
                pd.DataFrame(
                    {"factory_id": ["R1", "P1"], "requirement": ["iso14001"] * 2, "status": "yes"}
                ),
            )
        ws.upsert(
            "compliance",
            pd.DataFrame({"factory_id": ["R1"], "requirement": ["iso14001"], "status": ["yes"]}),
        )
        cli_line = _cli_line(
            ["compliance", "-w", as_alice]  # recomputes every province's gaps: refused
        )
        assert "may write rows of province 21 only" in cli_line or "may not write" in cli_line
        stored = Workspace.open(pg_workspace).read("factories")
        assert sorted(stored["factory_id"]) == ["P1", "R1", "R2"]  # R3 did not land either
    finally:
        engine.dispose()
        with _engine(pg_workspace).begin() as conn:
            conn.exec_driver_sql(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{user}'"
            )
            conn.exec_driver_sql(f'DROP OWNED BY "{user}"; DROP ROLE "{user}"')
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


@pytest.mark.qgis
@pytest.mark.slow
def test_qgis_opens_the_database_layers_styled_and_the_stored_project(
    pg_workspace: str, tmp_path: object, build_qgis_workspace: Callable[..., Workspace]
) -> None:
    """Real QGIS (PyQGIS headless) on the database: default styles from public.layer_styles,
    the project from <schema>.qgis_projects, every project layer valid (issue 10.5)."""
    import json
    import os
    import shutil
    import subprocess
    from pathlib import Path

    qgis_python = "/usr/bin/python3"
    probe = subprocess.run([qgis_python, "-c", "import qgis.core"], capture_output=True)
    if shutil.which(qgis_python) is None or probe.returncode != 0:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PyQGIS (Debian's python3-qgis) is missing")
        pytest.skip("PyQGIS (Debian's python3-qgis) is not installed")
    src = build_qgis_workspace(Path(str(tmp_path)) / "src.gpkg")
    ws = Workspace.create(pg_workspace)
    ws.copy_from(src)
    res = CliRunner().invoke(cli, ["qgis", "styles", "-w", pg_workspace])
    assert res.exit_code == 0, res.output
    store = ws.store
    conninfo = ws.qgis_dataset_ref().split(":", 1)[1].rsplit("|schema=", 1)[0]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path))
    proc = subprocess.run(
        [
            qgis_python,
            str(Path(__file__).with_name("pyqgis_postgis_check.py")),
            conninfo,
            getattr(store, "schema", ""),
            ws.qgis_project_uri("ecogis"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    factories = report["layers"]["factories"]
    assert factories["valid"] and factories["features"] == 4
    assert factories["default_style_loaded"] and factories["renderer"] == "categorizedSymbol"
    assert factories["own_styles"] == ["ecogis-en", "ecogis-th"]
    project = report["project"]
    assert project["read"] and project["layers"]
    assert all(v["valid"] and v["provider"] == "postgres" for v in project["layers"].values())
