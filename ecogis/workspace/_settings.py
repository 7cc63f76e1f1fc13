"""Process-wide settings of the workspace: the GeoPackage I/O engine and the after-write hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecogis.errors import WorkspaceError

ENGINES = ("pyogrio", "fiona")
_default_engine = "pyogrio"


def default_engine() -> str:
    """Return the engine of a workspace opened without an explicit one.

    Returns
    -------
    str
        ``"pyogrio"`` unless :func:`set_default_engine` chose another.
    """
    return _default_engine


AfterWriteHook = Callable[[Any, list[str]], None]
"""``hook(workspace, layers_written)``."""
_after_write_hooks: list[AfterWriteHook] = []


def add_after_write_hook(hook: AfterWriteHook) -> None:
    """Run ``hook(ws, layers)`` at the end of every batch that wrote ``layers``.

    The hook runs inside the batch, so what it writes lands atomically with the data.
    Registering the same function twice has no effect.

    Parameters
    ----------
    hook : AfterWriteHook
        Called as ``hook(workspace, layers_written)``, the names in writing order.
    """
    if hook not in _after_write_hooks:
        _after_write_hooks.append(hook)


def remove_after_write_hook(hook: AfterWriteHook) -> None:
    """Undo :func:`add_after_write_hook`.

    Parameters
    ----------
    hook : AfterWriteHook
        A registered hook (one not registered is no error).
    """
    if hook in _after_write_hooks:
        _after_write_hooks.remove(hook)


def set_default_engine(engine: str) -> None:
    """Choose the I/O engine of every workspace opened without an explicit ``engine``.

    The CLI's ``ecogis --engine fiona …`` (or ``ECOGIS_ENGINE=fiona``) calls this once, so
    every verb and task honours it without passing it through each call.

    Parameters
    ----------
    engine : str
        ``"pyogrio"`` or ``"fiona"``.

    Raises
    ------
    WorkspaceError
        For another engine name.
    """
    global _default_engine
    if engine not in ENGINES:
        raise WorkspaceError(f"unknown engine {engine!r}", fix=f"use one of {', '.join(ENGINES)}")
    _default_engine = engine


def after_write_hooks() -> list[AfterWriteHook]:
    """Return the registered hooks, in registration order (a copy).

    Returns
    -------
    list of AfterWriteHook
        A new list; changing it does not change the registrations.
    """
    return list(_after_write_hooks)
