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
    """Return the layer-contract folder (``layers/``).

    Returns
    -------
    importlib.abc.Traversable
        The installed package ``ecogis.layers``, or ``layers/`` of the checkout.
    """
    return _package_dir("ecogis.layers", "layers")


def maps_dir() -> Traversable:
    """Return the web-map recipe folder (``maps/``).

    Returns
    -------
    importlib.abc.Traversable
        The installed package ``ecogis.maps``, or ``maps/`` of the checkout.
    """
    return _package_dir("ecogis.maps", "maps")


def catalogue_dir() -> Traversable:
    """Return the project's own catalogues (``ecogis/catalogue/``).

    Returns
    -------
    importlib.abc.Traversable
        The folder of the package ``ecogis.catalogue``.
    """
    return resources.files("ecogis.catalogue")


def templates_dir() -> Traversable:
    """Jinja2 templates and static files for reports (``ecogis/templates/``).

    Returns
    -------
    importlib.abc.Traversable
        The folder of the package ``ecogis.templates``.
    """
    return resources.files("ecogis.templates")


def read_catalogue_text(path: str | Path | None, package_file: str) -> tuple[str, str]:
    """Read the text of a catalogue and the name to cite in its errors.

    Parameters
    ----------
    path
        The planner's own catalogue file (UTF-8; a BOM, as Excel writes it, is dropped), or
        ``None`` to read the package's own ``ecogis/catalogue/<package_file>``.
    package_file
        File name of the package's catalogue inside ``ecogis/catalogue/`` (e.g.
        ``materials.csv``); used only when ``path`` is ``None``.

    Returns
    -------
    tuple of (str, str)
        The file's text, and the name to cite as the error source: ``path`` as given, or
        ``ecogis/catalogue/<package_file>``.

    Raises
    ------
    CatalogueError
        Naming the file when it is missing or cannot be read as UTF-8 text.
    """
    from ecogis.errors import CatalogueError

    if path is None:
        text = catalogue_dir().joinpath(package_file).read_text(encoding="utf-8")
        return text, f"ecogis/catalogue/{package_file}"
    p = Path(path)
    if not p.is_file():
        raise CatalogueError("file not found", source=p, fix="give an existing file")
    try:
        return p.read_text(encoding="utf-8-sig"), str(p)
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(
            f"cannot read: {exc}", source=p, fix="save it as UTF-8 text (CSV UTF-8 in Excel)"
        ) from exc
