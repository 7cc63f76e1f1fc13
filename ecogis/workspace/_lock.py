"""The writer's lock of a GeoPackage workspace: one sidecar lock file and ``fcntl.flock``.

A GeoPackage batch copies the file, writes the copy and moves it over the original. Two
processes doing that at once would each start from the same original and the second move
would silently drop the first one's rows. So a batch holds an exclusive ``flock`` on
``.<name>.gpkg.lock`` (beside the workspace) from before the copy is made until after the
move; a second writer waits, says on stderr who it waits for after a few seconds, and then
starts from the file as the first one left it.

``flock`` locks belong to an open file description: they are released when the process
ends, however it ends (``kill -9`` too), so a lock file left behind never blocks anyone.
The file itself is never removed (removing it would let two writers lock two different
files). Readers take no lock: they see the file before or after a move, never between.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

WAIT_NOTICE_S = 3.0
"""Seconds a writer waits silently before saying whom it waits for."""

_POLL_S = 0.05


def lock_path(target: Path) -> Path:
    """Return the sidecar lock file of workspace ``target``.

    Parameters
    ----------
    target : pathlib.Path
        The GeoPackage file.

    Returns
    -------
    pathlib.Path
        ``.<name>.lock`` in the same folder.
    """
    return target.parent / f".{target.name}.lock"


def _holder(fd: int) -> str:
    """Read what the process holding the lock wrote into the lock file (pid and command)."""
    try:
        text = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return text or "another ecogis process"


def _describe_self() -> str:
    args = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))
    return f"pid {os.getpid()}: {args}"[:400]


def try_lock(target: Path) -> int | None:
    """Take the lock without waiting; the open descriptor, or ``None`` when it is held.

    Parameters
    ----------
    target : pathlib.Path
        The GeoPackage file.

    Returns
    -------
    int or None
        The lock file's descriptor holding the lock (close it to release), or ``None``
        when another process holds it.
    """
    fd = _open(target)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _open(target: Path) -> int:
    path = lock_path(target)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        return os.open(path, os.O_RDONLY)  # another user's lock file: flock works read-only


@contextlib.contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """Hold the writer's lock of ``target`` for the block, waiting for it if needed.

    After :data:`WAIT_NOTICE_S` seconds of waiting one line on stderr names the holder;
    once taken, the lock file records this process (pid and command).

    Parameters
    ----------
    target : pathlib.Path
        The GeoPackage file.

    Returns
    -------
    Iterator of None
        Used as a context manager; the lock is released when the block ends.
    """
    fd = _open(target)
    try:
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and time.monotonic() - start >= WAIT_NOTICE_S:
                    print(
                        f"ecogis: waiting for {_holder(fd)} to finish writing {target} …",
                        file=sys.stderr,
                        flush=True,
                    )
                    told = True
                time.sleep(_POLL_S)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, _describe_self().encode("utf-8"), 0)
        yield
    finally:
        os.close(fd)  # releases the flock


def advisory(conn: Any, key: int, location: str) -> None:
    """PostGIS: wait for transaction-level advisory lock ``key``, saying whom after a while.

    The same rule as the GeoPackage lock: silent for :data:`WAIT_NOTICE_S`, then one line
    on stderr naming the sessions that hold it. Released when the transaction ends.

    Parameters
    ----------
    conn : Any
        A SQLAlchemy connection inside the transaction.
    key : int
        The advisory lock key (a signed 64-bit integer).
    location : str
        The workspace URL (without password), for the waiting message.
    """
    start, told = time.monotonic(), False
    query = "SELECT pg_try_advisory_xact_lock(%(k)s)"
    while not conn.exec_driver_sql(query, {"k": key}).scalar():
        if not told and time.monotonic() - start >= WAIT_NOTICE_S:
            who = conn.exec_driver_sql(
                "SELECT string_agg('pid ' || a.pid || ' ' || coalesce(a.application_name, '') "
                "|| ' ' || coalesce(a.usename, ''), ', ') FROM pg_locks l JOIN "
                "pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND "
                "l.granted AND l.objid = (%(k)s::bigint & 4294967295)::oid",
                {"k": key},
            ).scalar()
            print(
                f"ecogis: waiting for {who or 'another writer'} to finish writing {location} …",
                file=sys.stderr,
                flush=True,
            )
            told = True
        time.sleep(_POLL_S)
