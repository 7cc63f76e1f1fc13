"""CLI verbs of this part (being built; see the issue)."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this module's verbs to the ``ecogis`` group."""
    return None
