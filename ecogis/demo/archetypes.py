"""Factory archetypes of the illustrative demo: every kind of factory, by key.

Each archetype is one kind of factory as it appears in the DIW registry with a mass balance per
unit of its main product; the demo scales the balance by each factory's annual output, so a
factory twice the size has twice the flows. The building blocks are in
:mod:`ecogis.demo.model`, the tables in :mod:`ecogis.demo.industry` and :mod:`ecogis.demo.agro`.
"""

from __future__ import annotations

from ecogis.demo.agro import AGRO_AND_LIGHT
from ecogis.demo.industry import INDUSTRY
from ecogis.demo.model import DISPOSAL_CODES, WASTE_CODES, Archetype, Flow

__all__ = ["ARCHETYPES", "DISPOSAL_CODES", "WASTE_CODES", "Archetype", "Flow"]

ARCHETYPES: dict[str, Archetype] = {a.key: a for a in (*INDUSTRY, *AGRO_AND_LIGHT)}
"""Every archetype, by key."""

if len(ARCHETYPES) != len(INDUSTRY) + len(AGRO_AND_LIGHT):  # a key used twice is a bug
    raise RuntimeError("two demo archetypes share a key")
