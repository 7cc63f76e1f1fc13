"""QGIS styles and project for ecogis workspaces (filled in by the QGIS issue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecogis.workspace import Workspace


def refresh_workspace_styles(ws: Workspace, layers: list[str]) -> None:
    """Write default styles for ``layers`` and refresh the embedded project."""
    return None
