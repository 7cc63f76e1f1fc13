"""A GeoPackage workspace under stress: two writers at once, read-only files and folders,
full disks, damaged files, foreign layouts and killed runs (issues 10.3, 14.2–14.4)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from ecogis.cli import cli
from ecogis.errors import WorkspaceError
from ecogis.workspace import Workspace, _lock

ECOGIS = [sys.executable, "-m", "ecogis"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _factories(ids: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"factory_id": ids, "name_th": [f"โรงงาน {i}" for i in ids], "coord_flag": "ok"},
        geometry=[shapely.Point(101.4 + i * 0.001, 14.0) for i in range(len(ids))],
        crs=4326,
    )


def _compliance(factory_id: str, requirement: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"factory_id": [factory_id], "requirement": [requirement], "status": ["yes"]}
    )


@pytest.fixture
def small_ws(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "ws.gpkg")
    with ws.batch():
        ws.write("factories", _factories(["F1", "F2"]))
        ws.write("compliance", _compliance("F1", "factory_licence"))
    return ws


# ----------------------------------------------------------------- two writers at once
def _upsert_after(barrier: multiprocessing.synchronize.Barrier, path: str, row: int) -> None:
    barrier.wait()
    ws = Workspace.open(path)
    if row % 2:
        ws.upsert("compliance", _compliance("F1", f"req_{row}"), validate=False)
    else:
        ws.upsert("factories", _factories([f"N{row}"]))


def test_twenty_races_of_two_writers_lose_no_row(small_ws: Workspace) -> None:
    """Two processes released at the same instant, twenty times: every row lands."""
    ctx = multiprocessing.get_context("fork")
    races = 20
    for race in range(races):
        barrier = ctx.Barrier(2)
        procs = [
            ctx.Process(target=_upsert_after, args=(barrier, str(small_ws.path), 2 * race + k))
            for k in (0, 1)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
    ws = Workspace.open(small_ws.path)
    assert len(ws.read("factories")) == 2 + races
    assert len(ws.read("compliance")) == 1 + races
    assert not list(small_ws.path.parent.glob(".*.tmp.gpkg*"))


def _compliance_csv(path: Path, factory_id: str, requirements: list[str]) -> Path:
    rows = "\n".join(f"{factory_id},{r},yes" for r in requirements)
    path.write_text("factory_id,requirement,status\n" + rows + "\n", encoding="utf-8")
    return path


def test_two_cli_imports_at_once_both_land_and_the_second_says_it_waits(
    small_ws: Workspace, tmp_path: Path, stderr_watcher: Any
) -> None:
    """``ecogis import`` twice at the same moment while a third writer holds the lock."""
    a = _compliance_csv(tmp_path / "a.csv", "F1", ["iso14001"])
    b = _compliance_csv(tmp_path / "b.csv", "F2", ["iso14001", "csr_diw"])
    w = str(small_ws.path)
    with _lock.exclusive(small_ws.path):  # a slow writer: both imports must wait for it
        watchers = [
            stderr_watcher(
                subprocess.Popen(
                    [*ECOGIS, "import", "compliance", str(f), "-w", w],
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            for f in (a, b)
        ]
        # held until each has said whom it waits for (after WAIT_NOTICE_S of waiting)
        said = [wt.wait_for("to finish writing") for wt in watchers]
    errs = [wt.finish() for wt in watchers]
    assert said == [True, True], errs
    assert [wt.proc.returncode for wt in watchers] == [0, 0], errs
    assert all("waiting for pid" in e for e in errs), errs
    stored = Workspace.open(w).read("compliance")[["factory_id", "requirement"]]
    keys = set(stored.itertuples(index=False, name=None))
    assert keys == {
        ("F1", "factory_licence"), ("F1", "iso14001"), ("F2", "iso14001"), ("F2", "csr_diw")
    }  # fmt: skip


def test_second_batch_in_the_same_process_is_refused_not_deadlocked(
    small_ws: Workspace,
) -> None:
    other = Workspace.open(small_ws.path)
    with (
        small_ws.batch(),
        pytest.raises(RuntimeError, match="already open in this process"),
        other.batch(),
    ):
        pass


# ----------------------------------------------------------------- read-only, owner, mode
def test_read_only_file_is_refused_even_for_root_and_left_whole(small_ws: Workspace) -> None:
    path = small_ws.path
    path.chmod(0o444)
    before = _digest(path)
    with pytest.raises(WorkspaceError, match=r"is read-only \(mode -r--r--r--\).*chmod u\+w"):
        small_ws.write("factories", _factories(["X"]))
    res = CliRunner().invoke(cli, ["import", "compliance", "nope.csv", "-w", str(path)])
    assert _digest(path) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert set(Workspace.open(path).layer_names()) == {"factories", "compliance"}
    assert res.exit_code != 0


def _as_nobody(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(cwd)},
    )


@pytest.mark.skipif(shutil.which("setpriv") is None or os.geteuid() != 0, reason="needs root")
def test_a_normal_user_with_a_444_workspace_is_refused_and_loses_nothing(
    tmp_path: Path, small_ws: Workspace
) -> None:
    """As a person sees it: a non-root user runs the CLI on a read-only copy in /tmp."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="ecogis-user-", dir="/tmp"))
    request_cleanup = home  # removed below, also when an assertion fails
    ws = home / "w.gpkg"
    shutil.copy(small_ws.path, ws)
    csv = _compliance_csv(home / "c.csv", "F2", ["iso14001"])
    os.chown(home, 65534, 65534)
    for p in (ws, csv):
        os.chown(p, 65534, 65534)
    ws.chmod(0o444)
    home.chmod(0o755)
    try:
        _refused_as_nobody(home, ws, csv)
    finally:
        shutil.rmtree(request_cleanup, ignore_errors=True)


def _refused_as_nobody(home: Path, ws: Path, csv: Path) -> None:
    before = _digest(ws)
    res = _as_nobody([*ECOGIS, "import", "compliance", str(csv), "-w", str(ws)], home)
    if "No module named" in res.stderr:
        pytest.skip("the test interpreter is not readable by user nobody")
    assert res.returncode == 1, res.stderr
    (line,) = [x for x in res.stderr.splitlines() if x.startswith("error:")]
    assert str(ws) in line and "read-only" in line and "chmod u+w" in line
    assert "unexpected" not in res.stderr
    assert _digest(ws) == before
    ws.chmod(0o644)
    assert len(Workspace.open(ws).read("compliance")) == 1
    # the folder not writable: refused the same way, before any work
    home.chmod(0o555)
    res = _as_nobody([*ECOGIS, "import", "compliance", str(csv), "-w", str(ws)], home)
    assert res.returncode == 1 and "is not writable" in res.stderr, res.stderr
    assert _digest(ws) == before


def test_a_write_keeps_the_files_mode_and_owner(small_ws: Workspace) -> None:
    path = small_ws.path
    path.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
    small_ws.write("factories", _factories(["A", "B", "C"]))
    st = path.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert len(Workspace.open(path).read("factories")) == 3


@contextlib.contextmanager
def _mount(where: Path, *args: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a test file system needs root")
    res = subprocess.run(["mount", *args, str(where)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a test file system here: {res.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_read_only_file_system_is_one_clear_line(small_ws: Workspace, tmp_path: Path) -> None:
    src = small_ws.path.parent
    with _mount(tmp_path / "ro", "--bind", str(src)) as ro:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        _compliance_csv(tmp_path / "x.csv", "F2", ["iso14001"])
        res = CliRunner().invoke(
            cli, ["import", "compliance", str(tmp_path / "x.csv"), "-w", str(ro / "ws.gpkg")]
        )
        assert res.exit_code == 1
        assert "read-only file system" in res.output and "unexpected" not in res.output
        assert len(Workspace.open(ro / "ws.gpkg").read("compliance")) == 1


def test_erofs_during_the_move_is_a_clear_error(
    small_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WorkspaceError, match="file system is read-only"):
        small_ws.write("factories", _factories(["X"]))
    monkeypatch.undo()
    assert len(small_ws.read("factories")) == 2
    assert not list(small_ws.path.parent.glob(".*.tmp.gpkg*"))


# ----------------------------------------------------------------- full disk
def test_full_disk_is_one_line_and_leaves_no_partial_copy(tmp_path: Path) -> None:
    with _mount(tmp_path / "small", "-t", "tmpfs", "-o", "size=1200k", "tmpfs") as disk:
        ws = Workspace.create(disk / "ws.gpkg")
        ws.write("factories", _factories([f"F{i}" for i in range(50)]))
        before = _digest(disk / "ws.gpkg")
        big = _factories([f"F{i}" for i in range(20000)])
        with pytest.raises(WorkspaceError, match="the disk is full") as info:
            ws.write("factories", big)
        assert "\n" not in str(info.value) and "free some space" in str(info.value)
        assert _digest(disk / "ws.gpkg") == before
        assert sorted(p.name for p in disk.iterdir()) == [".ws.gpkg.lock", "ws.gpkg"]


def test_full_disk_while_copying_is_a_clear_error(
    small_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(src: object, dst: str | Path) -> None:
        Path(dst).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    before = _digest(small_ws.path)
    with pytest.raises(WorkspaceError, match="the disk is full"):
        small_ws.write("factories", _factories(["X"]))
    assert _digest(small_ws.path) == before
    assert not list(small_ws.path.parent.glob(".*.tmp.gpkg*"))


# ----------------------------------------------------------------- damaged and foreign files
def test_truncated_geopackage_is_refused_with_one_line(small_ws: Workspace, tmp_path: Path) -> None:
    data = small_ws.path.read_bytes()
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkspaceError, match="is damaged: the file is cut short"):
        Workspace.open(cut)
    for verb in (["layers"], ["validate"], ["risk"]):
        res = CliRunner().invoke(cli, [*verb, "-w", str(cut)])
        assert res.exit_code == 1
        assert "cut short" in res.output and "unexpected" not in res.output
    odd = tmp_path / "odd.gpkg"
    odd.write_bytes(data[: len(data) - 100])  # not even whole pages
    with pytest.raises(WorkspaceError, match="damaged"):
        Workspace.open(odd)


def test_corrupt_pages_are_a_clear_error_not_a_database_error(
    small_ws: Workspace, tmp_path: Path
) -> None:
    data = bytearray(small_ws.path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : len(data)] = b"\xff" * (len(data) - page)  # every page after the first
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(bytes(data))
    res = CliRunner().invoke(cli, ["layers", "-w", str(bad)])
    assert res.exit_code == 1
    assert "damaged" in res.output and "unexpected" not in res.output


def test_workspace_of_another_schema_version_is_refused(small_ws: Workspace) -> None:
    assert small_ws.get_meta("schema_version") == "1"
    with sqlite3.connect(small_ws.path) as con:
        con.execute("UPDATE ecogis_meta SET value = '7' WHERE key = 'schema_version'")
    with pytest.raises(WorkspaceError, match=r"another ecogis version.*schema 7.*schema 1"):
        Workspace.open(small_ws.path)
    res = CliRunner().invoke(cli, ["validate", "-w", str(small_ws.path)])
    assert res.exit_code == 1 and "not changed silently" in res.output


def test_unknown_url_scheme_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="unknown workspace URL scheme 'mysql'"):
        Workspace.open("mysql://me:secret@db/ecogis")
    res = CliRunner().invoke(cli, ["layers", "-w", "mysql://me:secret@db/ecogis"])
    assert res.exit_code == 1
    assert "postgresql://" in res.output and "secret" not in res.output


def test_workspace_option_reads_the_environment(small_ws: Workspace) -> None:
    res = CliRunner().invoke(
        cli, ["layers", "--json"], env={"ECOGIS_WORKSPACE": str(small_ws.path)}
    )
    assert res.exit_code == 0, res.output
    assert "compliance" in res.output


# ----------------------------------------------------------------- killed runs
def test_copy_left_by_a_killed_run_is_removed_at_the_next_open(
    small_ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    left = small_ws.path.parent / f".{small_ws.path.name}.deadbeef.tmp.gpkg"
    shutil.copy(small_ws.path, left)
    Path(str(left) + "-journal").write_bytes(b"")
    Workspace.open(small_ws.path)
    assert not left.exists() and not Path(str(left) + "-journal").exists()
    assert "removed .ws.gpkg.deadbeef.tmp.gpkg" in capsys.readouterr().err


def test_copy_of_a_running_writer_is_not_removed(small_ws: Workspace) -> None:
    left = small_ws.path.parent / f".{small_ws.path.name}.cafe0000.tmp.gpkg"
    shutil.copy(small_ws.path, left)
    with _lock.exclusive(small_ws.path):  # someone else is writing: the copy is theirs
        Workspace.open(small_ws.path)
        assert left.exists()


def test_validate_reports_a_run_that_did_not_finish(small_ws: Workspace) -> None:
    with small_ws.batch():
        small_ws.begin_run("ecogis demo")
    res = CliRunner().invoke(cli, ["validate", "-w", str(small_ws.path)])
    assert res.exit_code == 1
    assert "incomplete: the run ecogis demo (started" in res.output
    small_ws.finish_run()
    assert CliRunner().invoke(cli, ["validate", "-w", str(small_ws.path)]).exit_code == 0


@pytest.mark.slow
def test_kill_9_during_demo_leaves_before_or_after_and_validate_tells(tmp_path: Path) -> None:
    """``kill -9`` at spread-out moments of ``ecogis demo`` over an earlier finished demo.

    Whatever the moment, the workspace is the finished demo (before or after) or it is
    marked as an unfinished run that ``validate`` reports — never a part of the layers that
    validates — and no temporary copy is left once it is opened again.
    """
    target = tmp_path / "demo.gpkg"
    subprocess.run([*ECOGIS, "demo", "-w", str(target)], check=True, capture_output=True)
    full = set(Workspace.open(target).layer_names())
    outcomes = []
    for moment in (6.0, 10.0, 14.0, 20.0, 28.0):
        proc = subprocess.Popen(
            [*ECOGIS, "demo", "-w", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        res = subprocess.run(
            [*ECOGIS, "validate", "-w", str(target)], capture_output=True, text=True
        )
        assert not list(tmp_path.glob(".demo.gpkg.*.tmp.gpkg*")), "temporary copy left"
        layers = set(Workspace.open(target).layer_names())
        if res.returncode == 0:
            assert layers == full, f"validate passed with {len(layers)} of {len(full)} layers"
            outcomes.append("whole")
        else:
            assert "incomplete: the run ecogis demo" in res.stdout, res.stdout + res.stderr
            outcomes.append("marked")
    assert "marked" in outcomes, outcomes  # some kill fell in the middle of a run
