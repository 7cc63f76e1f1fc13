"""Guards of the GeoPackage store, each turned into one clear :class:`WorkspaceError`.

A file cut short, a read-only file or folder, a full disk or a read-only file system.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

from ecogis.errors import WorkspaceError
from ecogis.workspace.store import is_disk_full, is_read_only_fs

NEARLY_FULL_BYTES = 4 * 1024 * 1024
"""Free space under which a GDAL write failure is taken for a full disk."""


def check_whole(path: Path, head: bytes) -> None:
    """Refuse a file shorter than its own header says (a truncated copy or download).

    Parameters
    ----------
    path : pathlib.Path
        The GeoPackage file.
    head : bytes
        Its first 100 bytes (the SQLite header: page size, page count).

    Raises
    ------
    WorkspaceError
        When the size (bytes) is not a whole number of pages, the page size is under
        512 bytes, or the file holds fewer pages than the header counts.
    """
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96] and pages > 0
    size = path.stat().st_size
    if page_size < 512 or size % page_size or (header_valid and size < pages * page_size):
        raise WorkspaceError(
            f"is damaged: the file is cut short ({size:,} bytes"
            + (f" of {pages * page_size:,}" if header_valid else "")
            + ")",
            source=path,
            fix="restore it from a backup or copy it again; ecogis will not write to it",
        )


def check_writable(path: Path) -> None:
    """Refuse, before any work, a file or folder that cannot be written.

    A file without any write bit (``chmod 444``) is refused for root too: root's writes
    ignore mode bits, but the owner marked the file read-only for a reason.

    Parameters
    ----------
    path : pathlib.Path
        The GeoPackage file (it need not exist; its folder must).

    Raises
    ------
    WorkspaceError
        When the folder does not exist or cannot be written (read-only mount or
        permissions), or the file is read-only.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise WorkspaceError(f"folder {folder} does not exist", source=path, fix="create it first")
    if not os.access(folder, os.W_OK):
        why = "is on a read-only file system" if _read_only_mount(folder) else "is not writable"
        raise WorkspaceError(
            f"cannot be written: its folder {folder} {why} (ecogis writes a private copy "
            "beside the file and moves it over the original)",
            source=path,
            fix="work on a copy in a folder you can write, or ask for write access",
        )
    if path.exists():
        mode = path.stat().st_mode
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
            raise WorkspaceError(
                f"is read-only (mode {stat.filemode(mode)}); nothing was changed",
                source=path,
                fix=f"make it writable (chmod u+w {path}) or work on a copy",
            )


def disk_error(path: Path, exc: BaseException, *, gdal: bool = False) -> BaseException:
    """``exc`` as one clear :class:`WorkspaceError` when it is about the disk, else itself.

    Parameters
    ----------
    path : pathlib.Path
        The GeoPackage file being written (its folder's disk is checked).
    exc : BaseException
        The error raised during the write.
    gdal : bool, optional
        ``exc`` came from GDAL, whose message often hides a full disk: then less than
        :data:`NEARLY_FULL_BYTES` free counts as full (default ``False``).

    Returns
    -------
    BaseException
        A :class:`WorkspaceError` for a full disk (free and needed MB in the message),
        a read-only file system or a permission error; ``exc`` itself otherwise.
    """
    if not isinstance(exc, OSError | sqlite3.Error) and not gdal:
        return exc
    nearly_full = shutil.disk_usage(path.parent).free < NEARLY_FULL_BYTES
    if is_disk_full(exc) or (gdal and nearly_full):
        free = shutil.disk_usage(path.parent).free
        need = path.stat().st_size if path.exists() else 0
        return WorkspaceError(
            f"the disk is full ({free / 1e6:.1f} MB free; a write needs room for a private "
            f"copy of the workspace, about {need / 1e6:.1f} MB, and the new data); "
            "nothing was changed",
            source=path,
            fix="free some space on that disk, or work on a copy on another disk",
        )
    if is_read_only_fs(exc):
        return WorkspaceError(
            "cannot be written: the file system is read-only (errno 30); nothing was changed",
            source=path,
            fix="work on a copy on a writable disk, or remount it read-write",
        )
    if isinstance(exc, PermissionError):
        return WorkspaceError(
            f"cannot be written ({exc.strerror}); nothing was changed",
            source=path,
            fix="ask for write access, or work on a copy",
        )
    return exc


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False
