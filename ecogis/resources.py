"""Where ecogis's package data live, in a checkout and in an installed wheel alike.

``layers/`` and ``maps/`` sit at the top of the repository (the design card's layout) and
are installed as the packages ``ecogis.layers`` and ``ecogis.maps``. In an editable install
they are found through the same import names.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _package_dir(package: str, repo_dir: str) -> Traversable:
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        return _REPO_ROOT / repo_dir


def layers_dir() -> Traversable:
    """The layer-contract folder (``layers/``)."""
    return _package_dir("ecogis.layers", "layers")


def maps_dir() -> Traversable:
    """The web-map recipe folder (``maps/``)."""
    return _package_dir("ecogis.maps", "maps")


def catalogue_dir() -> Traversable:
    """The project's own catalogues (``ecogis/catalogue/``)."""
    return resources.files("ecogis.catalogue")


def templates_dir() -> Traversable:
    """Jinja2 templates and static files for reports (``ecogis/templates/``)."""
    return resources.files("ecogis.templates")
