"""Folium web maps of a workspace, described by recipes in ``maps/``.

>>> from ecogis.webmap import load_recipe, build_map, save_map        # doctest: +SKIP
>>> result = build_map(frames, load_recipe("overview"), lang="en")     # doctest: +SKIP
>>> save_map(result, "overview.html")                                  # doctest: +SKIP

Workspace-level use (read layers, choose a province, write the file) is in
:mod:`ecogis.tasks.maps`; the command line is ``ecogis map``.
"""

from ecogis.webmap.build import MapResult, build_map, map_html, save_map
from ecogis.webmap.page import json_for_html
from ecogis.webmap.provinces import Province, province, target_provinces
from ecogis.webmap.recipe import (
    Indicator,
    LayerEntry,
    Recipe,
    load_recipe,
    parse_recipe,
    recipe_names,
)

__all__ = [
    "Indicator",
    "LayerEntry",
    "MapResult",
    "Province",
    "Recipe",
    "build_map",
    "json_for_html",
    "load_recipe",
    "map_html",
    "parse_recipe",
    "province",
    "recipe_names",
    "save_map",
    "target_provinces",
]
