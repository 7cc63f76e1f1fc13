"""JavaScript and CSS assets of the web maps: from a CDN, a local folder, or inlined.

Government intranets often have no internet, so every script and stylesheet a map needs
can come from three places:

``cdn`` (default)
    jsDelivr's npm mirror, ``https://cdn.jsdelivr.net/npm/<package>@<version>/<path>``.
``local``
    A folder or intranet URL laid out the same way: ``<base>/<package>@<version>/<path>``.
    Fill it with :func:`fetch_assets` (``ecogis assets fetch DIR``), which runs ``npm pack``
    against the npm registry and copies the distribution files.
``inline``
    Every file is read from a local folder and written into the HTML (CSS ``url(...)``
    references become ``data:`` URIs), so the page makes no external request at all.

Assets are set per map instance (an :class:`AssetBundle` element in the page header and
empty per-instance ``default_js``/``default_css`` lists); folium's class-level defaults
are never modified. :func:`localize_folium` rewrites any other folium map (with folium's
own CDN defaults: bootstrap, jQuery, Font Awesome, awesome-markers) to the same layout.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
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
        """Path inside an assets folder, e.g. ``leaflet@1.9.3/dist/leaflet.js``."""
        return f"{self.package.folder}/{self.path}"


LEAFLET = Package("leaflet", "1.9.3", ("dist",))
MARKERCLUSTER = Package("leaflet.markercluster", "1.5.3", ("dist",))
FULLSCREEN = Package(
    "leaflet.fullscreen",
    "3.0.0",
    ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
)
MEASURE = Package("leaflet-measure", "2.1.7", ("dist",))
JQUERY = Package("jquery", "3.7.1", ("dist",))
BOOTSTRAP = Package("bootstrap", "5.2.2", ("dist/js", "dist/css"))
FONTAWESOME = Package("@fortawesome/fontawesome-free", "6.2.0", ("css", "webfonts"))
AWESOME_MARKERS = Package("leaflet.awesome-markers", "2.0.5", ("dist",))

PACKAGES: tuple[Package, ...] = (
    LEAFLET,
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
    Asset(MARKERCLUSTER, "dist/MarkerCluster.css"),
    Asset(MARKERCLUSTER, "dist/MarkerCluster.Default.css"),
    Asset(FULLSCREEN, "Control.FullScreen.css"),
    Asset(MEASURE, "dist/leaflet-measure.css"),
    Asset(LEAFLET, "dist/leaflet.js"),
    Asset(MARKERCLUSTER, "dist/leaflet.markercluster.js"),
    Asset(FULLSCREEN, "Control.FullScreen.js"),
    Asset(MEASURE, "dist/leaflet-measure.js"),
)
"""The files an ecogis map loads, in load order (stylesheets first, Leaflet before plugins)."""

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
        MEASURE, "dist/leaflet-measure.js"
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


@dataclass(frozen=True)
class AssetSource:
    """Where a map's assets come from.

    Parameters
    ----------
    mode
        ``cdn``, ``local`` (links to ``base``) or ``inline`` (files from ``base`` copied
        into the page).
    base
        The assets folder, or an intranet URL for ``local``.
    """

    mode: str = "cdn"
    base: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputFileError(
                f"unknown asset mode {self.mode!r}", fix=f"use one of {', '.join(MODES)}"
            )
        if self.mode != "cdn" and not self.base:
            raise InputFileError(
                f"asset mode {self.mode!r} needs an assets folder",
                fix="pass --assets DIR (fill it with 'ecogis assets fetch DIR')",
            )
        if self.mode == "inline" and self.base and _is_url(self.base):
            raise InputFileError(
                "--offline needs a local assets folder, not a URL",
                source=self.base,
                fix="give the folder filled by 'ecogis assets fetch DIR'",
            )

    def url(self, asset: Asset, *, html_dir: Path | None = None) -> str:
        """The URL a page in ``html_dir`` uses for ``asset`` (``cdn`` and ``local`` modes)."""
        if self.mode == "cdn" or self.base is None:
            return f"{CDN_BASE}/{asset.relative()}"
        if _is_url(self.base):
            return self.base.rstrip("/") + "/" + asset.relative()
        target = Path(self.base).resolve() / asset.relative()
        if html_dir is not None:
            try:
                return Path(os.path.relpath(target, html_dir.resolve())).as_posix()
            except ValueError:  # another drive on Windows
                pass
        return target.as_uri()

    def check(self, assets: tuple[Asset, ...] = MAP_ASSETS) -> None:
        """Raise :class:`InputFileError` when a local folder lacks a file the map needs."""
        if self.mode == "cdn" or self.base is None or _is_url(self.base):
            return
        base = Path(self.base)
        if not base.is_dir():
            raise InputFileError(
                "assets folder does not exist",
                source=base,
                fix="create it with 'ecogis assets fetch DIR'",
            )
        for asset in assets:
            if not (base / asset.relative()).is_file():
                raise InputFileError(
                    f"assets folder lacks {asset.relative()}",
                    source=base,
                    fix="fill it with 'ecogis assets fetch DIR'",
                )


def default_assets_dir() -> Path:
    """Where ``ecogis assets fetch`` puts the assets when given no folder.

    ``$ECOGIS_ASSETS`` when set, else ``$XDG_CACHE_HOME/ecogis/assets`` (``~/.cache/…``).
    """
    given = os.environ.get("ECOGIS_ASSETS")
    if given and not _is_url(given):
        return Path(given)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "ecogis" / "assets"


def available_assets() -> Path | None:
    """The default assets folder when it holds every file a map needs, else ``None``."""
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
    """``code`` made safe inside ``<script>…</script>`` (a literal ``</script`` would end it)."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def style_text(css: str) -> str:
    """``css`` made safe inside ``<style>…</style>``."""
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def inline_css(css: str, css_path: Path) -> str:
    """Replace each relative ``url(...)`` in ``css`` by a ``data:`` URI of the file.

    References to files that are not there (or absolute URLs) are removed, so an inlined
    page never asks the network for them.
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
        mime = mimetypes.guess_type(target.name)[0] or _FONT_TYPES.get(
            target.suffix, "application/octet-stream"
        )
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{mime};base64,{data})"

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
        """Return the ``<link>``/``<script>`` tags, or the inlined files."""
        return "\n".join(self._parts())

    def _parts(self) -> list[str]:
        parts: list[str] = []
        for asset in self.assets:
            if self.source.mode == "inline":
                path = Path(str(self.source.base)) / asset.relative()
                text = path.read_text(encoding="utf-8")
                if asset.kind == "css":
                    parts.append(f"<style>{style_text(inline_css(text, path))}</style>")
                else:
                    parts.append(f"<script>{script_text(text)}</script>")
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


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def localize_folium(element: Any, source: AssetSource, *, html_dir: Path | None = None) -> None:
    """Point every folium element under ``element`` at ``source`` instead of its CDN.

    Sets instance-level ``default_js``/``default_css`` (folium's class attributes stay as
    they are). In ``inline`` mode the files are added to the page header as inline
    ``<script>``/``<style>`` and the per-instance link lists are emptied.

    Raises
    ------
    InputFileError
        When an element loads a URL this module does not know how to serve locally.
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
                        fix="add it to ecogis.assets.FOLIUM_URLS, or use the CDN",
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
            for licence in ("LICENSE", "LICENSE.txt", "MIT-LICENCE.txt"):
                if (root / licence).is_file():
                    shutil.copy2(root / licence, dest / licence)
            lines.append(f"{spec} → {dest}")
    return lines
