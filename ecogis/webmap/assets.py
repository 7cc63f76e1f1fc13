"""JavaScript and CSS assets of the web maps: inlined from the package, a folder, or a CDN.

Government intranets often have no internet, so by default a map needs none:

``inline`` (default)
    Every file is read from a local folder and written into the HTML (CSS ``url(...)``
    references become ``data:`` URIs), so the page makes no external request at all.
    Without a folder the files come from the copies vendored in the package
    (``ecogis/webmap/static/vendor``, see its ``NOTICE.md``), so a plain ``pip install`` writes
    maps that work offline.
``local``
    A folder or intranet URL laid out like the CDN: ``<base>/<package>@<version>/<path>``.
    Fill it with :func:`fetch_assets` (``ecogis assets fetch DIR``), which runs ``npm pack``
    against the npm registry and copies the distribution files.
``cdn``
    jsDelivr's npm mirror, ``https://cdn.jsdelivr.net/npm/<package>@<version>/<path>``
    (``--assets cdn``): smaller pages for viewers with internet.

Assets are set per map instance (an :class:`AssetBundle` element in the page header and
empty per-instance ``default_js``/``default_css`` lists); folium's class-level defaults
are never modified. :func:`localize_folium` rewrites any other folium map (with folium's
own CDN defaults: bootstrap, jQuery, Font Awesome, awesome-markers) to the same layout;
those extra packages are not vendored, so it needs a folder filled by ``ecogis assets fetch``.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from branca.element import Element, Figure

from ecogis.errors import InputFileError

CDN_BASE = "https://cdn.jsdelivr.net/npm"


@dataclass(frozen=True)
class Package:
    """One npm package the maps use, and the folders of it an assets folder needs."""

    name: str
    version: str
    copy: tuple[str, ...]

    @property
    def folder(self) -> str:
        """Folder name inside an assets directory, e.g. ``leaflet@1.9.3``."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class Asset:
    """One JS or CSS file inside a :class:`Package`."""

    package: Package
    path: str

    @property
    def kind(self) -> str:
        """``js`` or ``css``."""
        return "css" if self.path.endswith(".css") else "js"

    def relative(self) -> str:
        """Path inside an assets folder, e.g. ``leaflet@1.9.3/dist/leaflet.js``.

        Returns
        -------
        str
            ``<package>@<version>/<path>``, with ``/`` separators.
        """
        return f"{self.package.folder}/{self.path}"


LEAFLET = Package("leaflet", "1.9.3", ("dist",))
MARKERCLUSTER = Package("leaflet.markercluster", "1.5.3", ("dist",))
FULLSCREEN = Package(
    "leaflet.fullscreen",
    "3.0.0",
    ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
)
MEASURE = Package("leaflet-measure", "2.1.7", ("dist",))
SUPERCLUSTER = Package("supercluster", "8.0.1", ("dist",))
FFLATE = Package("fflate", "0.8.2", ("umd",))
PROTOMAPS = Package("protomaps-leaflet", "5.1.0", ("dist",))
JQUERY = Package("jquery", "3.7.1", ("dist",))
BOOTSTRAP = Package("bootstrap", "5.2.2", ("dist/js", "dist/css"))
FONTAWESOME = Package("@fortawesome/fontawesome-free", "6.2.0", ("css", "webfonts"))
AWESOME_MARKERS = Package("leaflet.awesome-markers", "2.0.5", ("dist",))

PACKAGES: tuple[Package, ...] = (
    LEAFLET,
    SUPERCLUSTER,
    FFLATE,
    PROTOMAPS,
    MARKERCLUSTER,
    FULLSCREEN,
    MEASURE,
    JQUERY,
    BOOTSTRAP,
    FONTAWESOME,
    AWESOME_MARKERS,
)
"""Every package :func:`fetch_assets` puts in an assets folder."""

MAP_ASSETS: tuple[Asset, ...] = (
    Asset(LEAFLET, "dist/leaflet.css"),
    Asset(FULLSCREEN, "Control.FullScreen.css"),
    Asset(MEASURE, "dist/leaflet-measure.css"),
    Asset(LEAFLET, "dist/leaflet.js"),
    Asset(SUPERCLUSTER, "dist/supercluster.min.js"),
    Asset(FFLATE, "umd/index.js"),
    Asset(FULLSCREEN, "Control.FullScreen.js"),
    Asset(MEASURE, "dist/leaflet-measure.min.js"),
)
"""The files an ecogis map loads, in load order (stylesheets first, Leaflet before plugins):
supercluster clusters the points, fflate inflates the packed data document
(:mod:`ecogis.webmap.encode`). Leaflet.markercluster stays in :data:`PACKAGES` for other
folium maps (:func:`localize_folium`)."""

BASEMAP_ASSETS: tuple[Asset, ...] = (Asset(PROTOMAPS, "dist/protomaps-leaflet.js"),)
"""What a map with a vector-tile or PMTiles basemap (``--tiles FILE.pmtiles``) loads too:
protomaps-leaflet (its build includes the pmtiles reader), 0.13 MB."""

VENDORED_ASSETS: tuple[Asset, ...] = MAP_ASSETS + BASEMAP_ASSETS
"""Every file vendored in ``ecogis/webmap/static/vendor``."""

LEAFLET_ICONS: dict[str, Asset] = {
    "iconUrl": Asset(LEAFLET, "dist/images/marker-icon.png"),
    "iconRetinaUrl": Asset(LEAFLET, "dist/images/marker-icon-2x.png"),
    "shadowUrl": Asset(LEAFLET, "dist/images/marker-shadow.png"),
}
"""Leaflet's default marker images, which its JavaScript (not its CSS) loads: plugins such
as leaflet-measure draw default markers."""

_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"

# folium's own CDN defaults (Map, awesome markers, plugins) → the same file from npm.
FOLIUM_URLS: dict[str, Asset] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": Asset(LEAFLET, "dist/leaflet.js"),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": Asset(
        LEAFLET, "dist/leaflet.css"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": Asset(JQUERY, "dist/jquery.min.js"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": Asset(
        BOOTSTRAP, "dist/js/bootstrap.bundle.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": Asset(
        BOOTSTRAP, "dist/css/bootstrap.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": Asset(
        FONTAWESOME, "css/all.min.css"
    ),
    f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": Asset(
        AWESOME_MARKERS, "dist/leaflet.awesome-markers.js"
    ),
    f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": Asset(
        AWESOME_MARKERS, "dist/leaflet.awesome-markers.css"
    ),
    f"{_CDNJS}/leaflet.markercluster/1.1.0/leaflet.markercluster.js": Asset(
        MARKERCLUSTER, "dist/leaflet.markercluster.js"
    ),
    f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.css": Asset(
        MARKERCLUSTER, "dist/MarkerCluster.css"
    ),
    f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": Asset(
        MARKERCLUSTER, "dist/MarkerCluster.Default.css"
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": Asset(
        FULLSCREEN, "Control.FullScreen.js"
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": Asset(
        FULLSCREEN, "Control.FullScreen.css"
    ),
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js": Asset(
        MEASURE, "dist/leaflet-measure.min.js"
    ),
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css": Asset(
        MEASURE, "dist/leaflet-measure.css"
    ),
}

# Cosmetic folium extras that are not published on npm: dropped in local/inline mode.
FOLIUM_OPTIONAL_URLS = (
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
)

MODES = ("cdn", "local", "inline")

LICENCE_FILES = ("LICENSE", "LICENSE.txt", "MIT-LICENCE.txt")
"""Names under which the npm packages ship their licence."""


def vendored_dir() -> Path:
    """Return the folder of map assets vendored in the package (``ecogis/webmap/static/vendor``).

    Returns
    -------
    Path
        The installed package's ``static/vendor`` folder.
    """
    return Path(str(files("ecogis.webmap.static") / "vendor"))


@dataclass(frozen=True)
class AssetSource:
    """Where a map's assets come from.

    Parameters
    ----------
    mode
        ``inline`` (default: files copied into the page), ``local`` (links to ``base``)
        or ``cdn``.
    base
        The assets folder, or an intranet URL for ``local``. For ``inline`` without a
        ``base`` the package's vendored copies are used.
    """

    mode: str = "inline"
    base: str | None = None

    def __post_init__(self) -> None:
        """Refuse a mode the map cannot be built with.

        Raises
        ------
        InputFileError
            For an unknown mode, ``local`` without a folder or URL, or ``inline`` from a URL.
        """
        if self.mode not in MODES:
            raise InputFileError(
                f"unknown asset mode {self.mode!r}", fix=f"use one of {', '.join(MODES)}"
            )
        if self.mode == "local" and not self.base:
            raise InputFileError(
                "asset mode 'local' needs an assets folder or URL",
                fix="pass --assets DIR (fill it with 'ecogis assets fetch DIR')",
            )
        if self.mode == "inline" and self.base and _is_url(self.base):
            raise InputFileError(
                "--offline needs a local assets folder, not a URL",
                source=self.base,
                fix="give the folder filled by 'ecogis assets fetch DIR', or no --assets "
                "to inline the copies that ship with ecogis",
            )

    @classmethod
    def from_options(cls, assets: str | None, offline: bool = False) -> AssetSource:
        """Choose the source the command-line options ``--assets`` and ``--offline`` ask for.

        ``--assets cdn`` → jsDelivr; ``--assets DIR|URL`` → links to that folder (inlined
        from it with ``--offline``); neither → the vendored files inlined.

        Parameters
        ----------
        assets : str or None
            The ``--assets`` value: ``cdn``, a folder or an intranet URL; ``None`` when not given.
        offline : bool
            ``--offline``: inline every file in the page; default ``False``.

        Returns
        -------
        AssetSource
            The source in ``cdn``, ``local`` or ``inline`` mode.

        Raises
        ------
        InputFileError
            For ``--offline`` with ``--assets cdn``, or ``--offline`` with a URL.
        """
        if assets is not None and assets.strip().lower() == "cdn":
            if offline:
                raise InputFileError(
                    "--offline and --assets cdn contradict each other",
                    field="--assets",
                    fix="drop --assets cdn (offline pages inline the copies shipped with ecogis)",
                )
            return cls("cdn")
        if not assets:
            return cls("inline")
        return cls("inline" if offline else "local", assets)

    @property
    def folder(self) -> str | None:
        """The local folder or URL the files come from (``None`` for the CDN)."""
        if self.mode == "cdn":
            return None
        return self.base or str(vendored_dir())

    def url(self, asset: Asset, *, html_dir: Path | None = None) -> str:
        """Return the URL a page in ``html_dir`` uses for ``asset`` (``cdn`` and ``local`` modes).

        Parameters
        ----------
        asset : Asset
            The file.
        html_dir : Path or None
            Folder of the HTML file being written: a local file is linked relative to it;
            ``None`` (default) gives a ``file://`` URI.

        Returns
        -------
        str
            A jsDelivr URL, the intranet URL, a relative path or a ``file://`` URI.
        """
        base = self.folder
        if base is None:
            return f"{CDN_BASE}/{asset.relative()}"
        if _is_url(base):
            return base.rstrip("/") + "/" + asset.relative()
        target = Path(base).resolve() / asset.relative()
        if html_dir is not None:
            try:
                return Path(os.path.relpath(target, html_dir.resolve())).as_posix()
            except ValueError:  # another drive on Windows
                pass
        return target.as_uri()

    def path(self, asset: Asset) -> Path:
        """Return the local file of ``asset`` (``inline`` and folder-``local`` modes).

        Parameters
        ----------
        asset : Asset
            The file.

        Returns
        -------
        Path
            Its path under the assets folder (the vendored copies without a folder); not
            checked to exist.
        """
        return Path(str(self.folder)) / asset.relative()

    def check(self, assets: tuple[Asset, ...] = MAP_ASSETS) -> None:
        """Raise :class:`InputFileError` when a local folder lacks a file the map needs.

        Nothing is checked for the CDN or an intranet URL.

        Parameters
        ----------
        assets : tuple of Asset
            The files needed; default :data:`MAP_ASSETS`, every file of a map.

        Raises
        ------
        InputFileError
            When the folder does not exist or lacks one of ``assets``, naming the file.
        """
        base = self.folder
        if base is None or _is_url(base):
            return
        folder = Path(base)
        if not folder.is_dir():
            raise InputFileError(
                "assets folder does not exist",
                source=folder,
                fix="create it with 'ecogis assets fetch DIR'",
            )
        for asset in assets:
            if not (folder / asset.relative()).is_file():
                raise InputFileError(
                    f"assets folder lacks {asset.relative()}",
                    source=folder,
                    fix="fill it with 'ecogis assets fetch DIR'",
                )


def default_assets_dir() -> Path:
    """Where ``ecogis assets fetch`` puts the assets when given no folder.

    ``$ECOGIS_ASSETS`` when set, else ``$XDG_CACHE_HOME/ecogis/assets`` (``~/.cache/…``).

    Returns
    -------
    Path
        The folder (not created here).
    """
    given = os.environ.get("ECOGIS_ASSETS")
    if given and not _is_url(given) and given.strip().lower() != "cdn":
        return Path(given)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "ecogis" / "assets"


def available_assets() -> Path | None:
    """Return the default assets folder when it holds every file a map needs, else ``None``.

    Returns
    -------
    Path or None
        :func:`default_assets_dir` when it is complete, else ``None``.
    """
    folder = default_assets_dir()
    try:
        AssetSource("local", str(folder)).check()
    except InputFileError:
        return None
    return folder


def _is_url(text: str) -> bool:
    return bool(
        re.match(r"^[a-z][a-z0-9+.-]*://", text, flags=re.IGNORECASE)
    ) and not text.startswith("file://")


def script_text(code: str) -> str:
    r"""``code`` made safe inside ``<script>…</script>`` (a literal ``</script`` would end it).

    Parameters
    ----------
    code : str
        JavaScript text.

    Returns
    -------
    str
        ``code`` with every ``</script`` (any case) written ``<\/script``.
    """
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def style_text(css: str) -> str:
    r"""``css`` made safe inside ``<style>…</style>``.

    Parameters
    ----------
    css : str
        CSS text.

    Returns
    -------
    str
        ``css`` with every ``</style`` (any case) written ``<\/style``.
    """
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def inline_css(css: str, css_path: Path) -> str:
    """Replace each relative ``url(...)`` in ``css`` by a ``data:`` URI of the file.

    References to files that are not there (or absolute URLs) are removed, so an inlined
    page never asks the network for them.

    Parameters
    ----------
    css : str
        The stylesheet's text.
    css_path : Path
        Where the stylesheet lives: relative references resolve against its folder.

    Returns
    -------
    str
        The stylesheet with every reference a ``data:`` URI (``data:,`` when removed).
    """

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith("data:"):
            return match.group(0)
        if _is_url(ref) or ref.startswith("//"):
            return "url(data:,)"
        clean = ref.split("#", 1)[0].split("?", 1)[0]
        target = (css_path.parent / clean).resolve()
        if not target.is_file():
            return "url(data:,)"
        return f"url({data_uri(target)})"

    return _CSS_URL.sub(repl, css)


_FONT_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
}


class AssetBundle(Element):
    """The page-header element that loads (or contains) a map's JS and CSS.

    Parameters
    ----------
    source
        Where the files come from.
    assets
        Which files, in load order.
    html_dir
        Folder of the HTML file being written, so local links can be relative.
    extra_css, extra_js
        The project's own stylesheet and script, always inlined.
    """

    def __init__(
        self,
        source: AssetSource,
        assets: tuple[Asset, ...] = MAP_ASSETS,
        *,
        html_dir: Path | None = None,
        extra_css: str = "",
        extra_js: str = "",
    ) -> None:
        super().__init__()
        self._name = "EcogisAssets"
        self.source = source
        self.assets = assets
        self.html_dir = html_dir
        self.extra_css = extra_css
        self.extra_js = extra_js

    def render(self, **kwargs: Any) -> str:
        """Return the ``<link>``/``<script>`` tags, or the inlined files.

        Parameters
        ----------
        **kwargs : Any
            Passed by branca's rendering; not used.

        Returns
        -------
        str
            The HTML for the page header, one tag per line: links or inline
            ``<script>``/``<style>`` per asset, then the project's own CSS and script.
        """
        return "\n".join(self._parts())

    def _inline_icons(self) -> str:
        """Build a script giving Leaflet's default marker the inlined images.

        Leaflet finds its marker images through a path in its CSS, which an inlined page
        does not have (a ``data:`` URI); without this a plugin's marker would be a request.
        """
        icons = {
            key: data_uri(self.source.path(a))
            for key, a in LEAFLET_ICONS.items()
            if self.source.path(a).is_file()
        }
        return (
            '<script>L.Icon.Default.imagePath = "";'
            f"L.Icon.Default.mergeOptions({json.dumps(icons)});</script>"
        )

    def _parts(self) -> list[str]:
        parts: list[str] = []
        for asset in self.assets:
            if self.source.mode == "inline":
                path = self.source.path(asset)
                text = path.read_text(encoding="utf-8")
                if asset.kind == "css":
                    parts.append(f"<style>{style_text(inline_css(text, path))}</style>")
                else:
                    parts.append(f"<script>{script_text(text)}</script>")
                if asset == Asset(LEAFLET, "dist/leaflet.js"):
                    parts.append(self._inline_icons())
            else:
                url = _attr(self.source.url(asset, html_dir=self.html_dir))
                if asset.kind == "css":
                    parts.append(f'<link rel="stylesheet" href="{url}"/>')
                else:
                    parts.append(f'<script src="{url}"></script>')
        if self.extra_css:
            parts.append(f"<style>{style_text(self.extra_css)}</style>")
        if self.extra_js:
            parts.append(f"<script>{script_text(self.extra_js)}</script>")
        return parts


def data_uri(path: Path) -> str:
    """Encode the file at ``path`` as a base64 ``data:`` URI.

    Parameters
    ----------
    path : Path
        The file (its MIME type is guessed from its name; fonts by their suffix).

    Returns
    -------
    str
        ``data:<mime>;base64,…``.
    """
    mime = mimetypes.guess_type(path.name)[0] or _FONT_TYPES.get(
        path.suffix, "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def localize_folium(element: Any, source: AssetSource, *, html_dir: Path | None = None) -> None:
    """Point every folium element under ``element`` at ``source`` instead of its CDN.

    Sets instance-level ``default_js``/``default_css`` (folium's class attributes stay as
    they are). In ``inline`` mode the files are added to the page header as inline
    ``<script>``/``<style>`` and the per-instance link lists are emptied.

    Parameters
    ----------
    element : Any
        A folium element inside a :class:`branca.element.Figure` (usually the map).
    source : AssetSource
        Where the files come from; ``cdn`` leaves everything as it is.
    html_dir : Path or None
        Folder of the HTML file being written, so local links can be relative; default
        ``None``.

    Raises
    ------
    InputFileError
        When an element loads a URL this module does not know how to serve locally, the
        element is not in a Figure, or the assets folder lacks a file.
    """
    if source.mode == "cdn":
        return
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise InputFileError("the map must be inside a folium Figure to localize its assets")
    needed: list[Asset] = []
    for el in _walk(element):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if not links:
                continue
            new_links: list[tuple[str, str]] = []
            for name, url in links:
                if url in FOLIUM_OPTIONAL_URLS:
                    continue
                asset = FOLIUM_URLS.get(url)
                if asset is None:
                    raise InputFileError(
                        f"no local copy is known for {url}",
                        source=type(el).__name__,
                        fix="add it to ecogis.webmap.assets.FOLIUM_URLS, or use the CDN",
                    )
                if source.mode == "inline":
                    if asset not in needed:
                        needed.append(asset)
                else:
                    new_links.append((name, source.url(asset, html_dir=html_dir)))
            setattr(el, attr, new_links)
    if needed:
        css = tuple(a for a in needed if a.kind == "css")
        js = tuple(a for a in needed if a.kind == "js")
        source.check(css + js)
        figure.header.add_child(AssetBundle(source, css + js), name="ecogis_inline_assets")


def _walk(element: Any) -> list[Any]:
    out = [element]
    for child in list(getattr(element, "_children", {}).values()):
        out.extend(_walk(child))
    return out


def fetch_assets(
    target: str | Path, *, npm: str = "npm", packages: tuple[Package, ...] = PACKAGES
) -> list[str]:
    """Fill ``target`` with the map assets from the npm registry.

    Runs ``npm pack <package>@<version>`` in a temporary folder for each package (npm's
    ordinary client, honouring the user's ``.npmrc`` registry and proxy) and copies the
    distribution files to ``target/<package>@<version>/``.

    Parameters
    ----------
    target : str or Path
        The assets folder (created when missing; files in it are replaced).
    npm : str
        The npm command; default ``npm`` on the ``PATH``.
    packages : tuple of Package
        What to fetch; default :data:`PACKAGES`, everything a map uses.

    Returns
    -------
    list of str
        One line per package copied.

    Raises
    ------
    InputFileError
        When npm is missing or a package cannot be fetched.
    """
    npm_path = shutil.which(npm)
    if npm_path is None:
        raise InputFileError(
            "npm is not installed",
            fix="install Node.js/npm, or copy an assets folder made on another machine",
        )
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ecogis-npm-") as tmp:
        for pkg in packages:
            spec = f"{pkg.name}@{pkg.version}"
            proc = subprocess.run(
                [npm_path, "pack", spec, "--silent", "--pack-destination", tmp],
                cwd=tmp,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise InputFileError(
                    f"npm pack {spec} failed: {proc.stderr.strip()[-300:]}",
                    fix="check that the npm registry is reachable (npm config get registry)",
                )
            tgz = Path(tmp) / proc.stdout.strip().splitlines()[-1]
            unpacked = Path(tmp) / pkg.folder.replace("/", "_")
            with tarfile.open(tgz) as tar:
                tar.extractall(unpacked, filter="data")
            root = unpacked / "package"
            dest = out / pkg.folder
            for item in pkg.copy:
                src = root / item
                if src.is_dir():
                    shutil.copytree(src, dest / item, dirs_exist_ok=True)
                elif src.is_file():
                    (dest / item).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, dest / item)
                else:
                    raise InputFileError(f"{spec} has no {item}", fix="report this to ecogis")
            for licence in LICENCE_FILES:
                if (root / licence).is_file():
                    shutil.copy2(root / licence, dest / licence)
            lines.append(f"{spec} → {dest}")
    return lines


def css_references(css_path: Path) -> list[Path]:
    """List the local files a stylesheet's ``url(...)`` references point to (that exist).

    Parameters
    ----------
    css_path : Path
        The stylesheet.

    Returns
    -------
    list of Path
        Resolved paths, each once, in the order referenced; data URIs, fragments and
        absolute URLs are skipped.
    """
    out: list[Path] = []
    for match in _CSS_URL.finditer(css_path.read_text(encoding="utf-8")):
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#", "//")) or _is_url(ref):
            continue
        target = (css_path.parent / ref.split("#", 1)[0].split("?", 1)[0]).resolve()
        if target.is_file() and target not in out:
            out.append(target)
    return out


def vendor_files(source: str | Path, assets: tuple[Asset, ...] = VENDORED_ASSETS) -> list[str]:
    """List the minimal files (relative paths) a map needs from assets folder ``source``.

    The files in ``assets``, the images and fonts their stylesheets reference, and each
    package's licence; no source maps, no unused builds.

    Parameters
    ----------
    source : str or Path
        A folder filled by :func:`fetch_assets`.
    assets : tuple of Asset
        The files to vendor; default :data:`VENDORED_ASSETS`.

    Returns
    -------
    list of str
        Paths relative to ``source`` (``/`` separators), each once.
    """
    root = Path(source).resolve()
    wanted: list[str] = []
    for asset in assets:
        wanted.append(asset.relative())
        path = root / asset.relative()
        if asset.kind == "css" and path.is_file():
            wanted += [p.relative_to(root).as_posix() for p in css_references(path)]
    wanted += [
        a.relative()
        for a in LEAFLET_ICONS.values()
        if a.package in {b.package for b in assets} and (root / a.relative()).is_file()
    ]
    for pkg in dict.fromkeys(a.package for a in assets):
        wanted += [
            f"{pkg.folder}/{name}" for name in LICENCE_FILES if (root / pkg.folder / name).is_file()
        ]
    return list(dict.fromkeys(wanted))


def vendor_assets(source: str | Path, target: str | Path | None = None) -> list[str]:
    """Copy the minimal map assets from a fetched folder into ``target`` (maintainers).

    ``target`` defaults to the package's ``ecogis/webmap/static/vendor``; run it after changing a
    package version in :data:`PACKAGES` and ``ecogis assets fetch``.

    Parameters
    ----------
    source : str or Path
        A folder filled by :func:`fetch_assets`.
    target : str or Path or None
        Where to copy; ``None`` (default) is :func:`vendored_dir`.

    Returns
    -------
    list of str
        The relative paths copied.

    Raises
    ------
    InputFileError
        When ``source`` lacks a file a map needs.
    """
    AssetSource("local", str(source)).check(VENDORED_ASSETS)
    dest = Path(target) if target is not None else vendored_dir()
    copied = vendor_files(source)
    for rel in copied:
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(source) / rel, out)
    return copied
