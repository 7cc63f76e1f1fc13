"""The offline basemap drawn from the workspace's own layers, and the basemap options.

A page meant for an intranet cannot ask the internet for tiles, yet a blank background
tells a planner nothing. So by default the map draws a light basemap of its own: land
(the provinces) on a sea-blue background, district boundaries, industrial zones, and —
when imported with ``ecogis import roads|water`` — roads by class and rivers, canals and
lakes, with Thai (or English) place labels that appear as one zooms in: provinces first,
then districts, zones and water names.

Layers the map already carries as overlays (provinces, districts, zones) are not written
twice: the basemap refers to the overlay's geometry by id.

Other basemaps (``--tiles``): ``osm``, a raster URL template or folder of ``{z}/{x}/{y}.png``
tiles, a PMTiles file or a folder of vector tiles ``{z}/{x}/{y}.pbf`` (drawn with the
vendored protomaps-leaflet), or ``none``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ecogis.errors import InputFileError
from ecogis.webmap.data import geojson_payload

BASEMAP_LAYERS = ("provinces", "districts", "industrial_zones", "water", "roads")
"""Workspace layers the offline basemap draws (bottom first)."""

LABEL_ZOOM = {"provinces": 0, "districts": 9, "industrial_zones": 11, "water": 11}
"""The zoom from which each layer's names are shown (provinces always)."""

MAJOR_ROADS = ("motorway", "trunk", "primary")
"""Road classes drawn on maps of more than three provinces (all classes otherwise)."""

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


def workspace_basemap(
    local: dict[str, pd.DataFrame],
    *,
    lang: str,
    overlays: dict[str, str],
    regional: bool,
) -> dict[str, Any] | None:
    """Build the basemap entry of the data document, from the area's own layers.

    Parameters
    ----------
    local
        The workspace layers cut to the map's area.
    lang
        ``th`` or ``en``: which names label the places.
    overlays
        Layer name → id of the overlay that already carries its GeoJSON (not written twice).
    regional
        A map of many provinces: only major roads are drawn.

    Returns
    -------
    dict or None
        ``{"kind": "workspace", "layers": [...], "labels": [...]}``; ``None`` when the
        workspace has none of :data:`BASEMAP_LAYERS`.
    """
    layers: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for name in BASEMAP_LAYERS:
        frame = local.get(name)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.empty:
            continue
        frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        if name == "roads" and regional and "road_class" in frame.columns:
            frame = frame[frame["road_class"].astype("string").isin(MAJOR_ROADS).fillna(False)]
        if frame.empty:
            continue
        entry: dict[str, Any] = {"layer": name}
        if name in overlays:
            entry["ref"] = overlays[name]
        else:
            keep = [c for c in ("road_class", "water_kind") if c in frame.columns]
            entry["geojson"] = geojson_payload(frame, keep)
        layers.append(entry)
        if name in LABEL_ZOOM:
            labels += _labels(frame, name, lang)
    if not layers:
        return None
    return {"kind": "workspace", "layers": layers, "labels": labels}


def _labels(frame: gpd.GeoDataFrame, layer: str, lang: str) -> list[dict[str, Any]]:
    """One label per named feature: its name in ``lang`` at a point inside it."""
    first, second = ("name_th", "name_en") if lang == "th" else ("name_en", "name_th")
    if first not in frame.columns and second not in frame.columns:
        return []
    names = frame[first].astype("string") if first in frame.columns else None
    if second in frame.columns:
        other = frame[second].astype("string")
        names = other if names is None else names.fillna(other)
    assert names is not None
    geoms = frame.geometry.to_numpy()
    lines = np.isin(shapely.get_type_id(geoms), (1, 5))
    points = shapely.point_on_surface(geoms)
    if lines.any():
        points[lines] = shapely.line_interpolate_point(geoms[lines], 0.5, normalized=True)
    out = []
    for name, pt in zip(names.tolist(), points, strict=True):
        if isinstance(name, str) and name.strip() and pt is not None and not pt.is_empty:
            out.append(
                {
                    "text": name.strip(),
                    "lat": round(float(pt.y), 5),
                    "lon": round(float(pt.x), 5),
                    "zoom": LABEL_ZOOM[layer],
                    "kind": layer,
                }
            )
    return out


def tiles_basemap(tiles: str, *, html_dir: Path | None) -> dict[str, Any] | None:
    """Build the basemap entry for a ``--tiles`` value other than ``workspace``.

    Parameters
    ----------
    tiles
        ``none``, ``osm``, a URL template (``…/{z}/{x}/{y}.png`` or ``.pbf``/``.mvt``), a
        ``.pmtiles`` file or URL, or a local folder of ``{z}/{x}/{y}`` tiles (``.png``,
        ``.jpg``, ``.webp`` raster or ``.pbf``/``.mvt`` vector).
    html_dir
        Folder the page is written to: local files are linked relative to it.

    Returns
    -------
    dict or None
        ``{"kind": "raster"|"vector"|"pmtiles", "url", "attribution", "max_zoom"}``;
        ``None`` for ``none``.

    Raises
    ------
    InputFileError
        A local folder or file that does not exist, or a folder holding no tiles.
    """
    if tiles == "none":
        return None
    if tiles == "osm":
        return {"kind": "raster", "url": OSM_TILES, "attribution": OSM_ATTRIBUTION, "max_zoom": 19}
    is_url = "://" in tiles
    if tiles.lower().split("?")[0].endswith(".pmtiles"):
        url = tiles if is_url else _link(Path(tiles), html_dir, must_be="file")
        return {"kind": "pmtiles", "url": url, "attribution": "", "max_zoom": 19}
    if "{z}" in tiles:
        kind = "vector" if tiles.split("?")[0].endswith((".pbf", ".mvt")) else "raster"
        return {"kind": kind, "url": tiles, "attribution": "", "max_zoom": 19}
    folder = Path(tiles)
    base = _link(folder, html_dir, must_be="dir")
    suffix = _tile_suffix(folder)
    kind = "vector" if suffix in (".pbf", ".mvt") else "raster"
    return {
        "kind": kind,
        "url": base.rstrip("/") + "/{z}/{x}/{y}" + suffix,
        "attribution": "",
        "max_zoom": 19,
    }


def _tile_suffix(folder: Path) -> str:
    """Find the tiles' file suffix in a ``{z}/{x}/{y}`` folder (``.png`` for an empty one)."""
    for zdir in sorted(folder.iterdir()) if folder.is_dir() else []:
        if zdir.is_dir() and zdir.name.isdigit():
            for xdir in zdir.iterdir():
                for tile in xdir.iterdir() if xdir.is_dir() else []:
                    if tile.suffix:
                        return tile.suffix.lower()
    return ".png"


def _link(path: Path, html_dir: Path | None, *, must_be: str) -> str:
    """Make a link to a local tile file or folder, relative to the page when it can be."""
    exists = path.is_file() if must_be == "file" else path.is_dir()
    if not exists:
        what = "PMTiles file" if must_be == "file" else "tile folder"
        raise InputFileError(
            f"{what} does not exist",
            source=path,
            field="--tiles",
            fix="give the path of the basemap on this computer or the intranet share, "
            "a URL, 'workspace', 'osm' or 'none' (docs/maps.md: an office basemap)",
        )
    if html_dir is not None:
        try:
            return path.resolve().relative_to(html_dir.resolve()).as_posix()
        except ValueError:
            pass
    return path.resolve().as_uri()
