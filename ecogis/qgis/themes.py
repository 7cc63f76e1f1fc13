"""QGIS map themes from the web-map recipes (``maps/*.toml``).

Each recipe (overview, risk, symbiosis, action plan …) becomes a map theme of the same
name, showing the recipe's layers (``show = false`` ones off), so a QGIS user switches
between the same map products the web map publishes. Only the recipe's ``name``,
titles and ``[[layers]]`` ``layer``/``show`` keys are read here; the web map
(:mod:`ecogis.webmap.recipe`) owns and checks the rest of the format.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ecogis.resources import maps_dir

log = logging.getLogger(__name__)

DEFAULT_THEME = "overview"
"""The recipe whose layers are switched on when the project opens."""


@dataclass(frozen=True)
class MapTheme:
    """A map theme: which layers it shows (layer name → visible)."""

    name: str
    title_th: str
    title_en: str
    layers: tuple[tuple[str, bool], ...]

    def title(self, lang: str) -> str:
        """Return the theme name shown in QGIS.

        Parameters
        ----------
        lang : str
            ``th`` for the Thai title; anything else gives the English one.

        Returns
        -------
        str
            The recipe's ``title_th`` or ``title_en``.
        """
        return self.title_th if lang == "th" else self.title_en

    def visible(self) -> set[str]:
        """Names of the layers the theme switches on.

        Returns
        -------
        set of str
            Layer names listed in the recipe without ``show = false``.
        """
        return {name for name, shown in self.layers if shown}


@lru_cache(maxsize=1)
def map_themes() -> tuple[MapTheme, ...]:
    """Return the map themes of the shipped recipes, the default theme first.

    A recipe that does not parse is logged and left out (the web-map checks report it).

    Returns
    -------
    tuple of MapTheme
        One theme per ``maps/*.toml``: :data:`DEFAULT_THEME` first, the others by name.
    """
    themes = []
    for entry in sorted(maps_dir().iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            layers = tuple(
                (str(item["layer"]), bool(item.get("show", True)))
                for item in data.get("layers", [])
            )
            name = str(data.get("name", entry.name[:-5]))
            themes.append(
                MapTheme(
                    name=name,
                    title_th=str(data.get("title_th", name)),
                    title_en=str(data.get("title_en", name)),
                    layers=layers,
                )
            )
        except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
            # The web-map checks report a broken recipe; styles must not fail because of it.
            log.warning("maps/%s: not used as a QGIS map theme (%s)", entry.name, exc)
    themes.sort(key=lambda t: (t.name != DEFAULT_THEME, t.name))
    return tuple(themes)
