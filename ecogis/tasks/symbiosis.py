"""Workspace task of this analysis (being built; see its issue)."""

from __future__ import annotations

from pathlib import Path

from ecogis.workspace import Workspace


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Run this analysis on the demo workspace; return summary lines."""
    return []
