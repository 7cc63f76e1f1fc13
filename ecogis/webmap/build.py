r"""Build a folium web map from workspace frames and a recipe.

The map is a folium ``Map`` with no per-feature Python objects: all layer data travel as
one JSON document in a ``<script type="application/json">`` element and one small
renderer (``templates/webmap.js``) draws them in the browser. That keeps 20,000 clustered
factories at a few megabytes and a build of well under a second, and it makes escaping
simple and complete: the JSON is written with ``<``, ``>`` and ``&`` as ``\u`` escapes (so
no value can close the script element) and the renderer puts values into the page with
``textContent`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Figure

import ecogis.webmap.data as wd
from ecogis import schema
from ecogis.webmap.area import Area, area_frames
from ecogis.webmap.assets import BASEMAP_ASSETS, MAP_ASSETS, AssetBundle, AssetSource
from ecogis.webmap.basemap import tiles_basemap, workspace_basemap
from ecogis.webmap.choropleth import choropleth_layer
from ecogis.webmap.encode import Blobs, encode_points
from ecogis.webmap.exchanges import exchange_bundles, sankey_flows
from ecogis.webmap.page import DataDocument, LiteralElement
from ecogis.webmap.provinces import Province
from ecogis.webmap.recipe import LayerEntry, Recipe
from ecogis.webmap.sankey import sankey_svg
from ecogis.webmap.styles import legend_entries, merged_style, renderer_style, shape_of
from ecogis.webmap.words import (
    LABELS,
    classes_of,
    field_labels,
    layer_title,
    unit_words,
    value_labels,
)


@dataclass
class MapResult:
    """A built map and what was left out of it."""

    map: folium.Map
    notes: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    document: DataDocument | None = None


def _static(name: str) -> str:
    return (files("ecogis.templates") / name).read_text(encoding="utf-8")


def build_map(
    frames: dict[str, pd.DataFrame],
    recipe: Recipe,
    *,
    lang: str = "th",
    province: Province | None = None,
    area: Area | None = None,
    indicator: str | None = None,
    assets: AssetSource | None = None,
    tiles: str | None = None,
    html_dir: Path | None = None,
    height: str = "100%",
    compact: bool = False,
    compliance_as_of: str | None = None,
) -> MapResult:
    """Build the map ``recipe`` describes from workspace ``frames``.

    Parameters
    ----------
    frames
        Layer name → GeoDataFrame/DataFrame as :meth:`Workspace.read` returns them. Layers
        the recipe names but ``frames`` lacks are skipped with a note.
    recipe
        The map product (:func:`ecogis.webmap.load_recipe`).
    lang
        ``th`` (default) or ``en``: labels, legends and popups.
    province
        Only this province (layers filtered by ``pro_code``/``amp_code`` or by its boundary).
    area
        Several provinces, or :class:`~ecogis.webmap.area.Area` ``()`` for the whole
        workspace (a national map); overrides ``province``.
    indicator
        Id of the recipe's choropleth indicator (the first one when ``None``).
    assets
        Where Leaflet and the plugins come from (by default the copies shipped with ecogis,
        inlined: the page needs no internet).
    tiles
        ``workspace`` (a light basemap from the workspace's own layers, with place names),
        ``osm``, ``none``, a raster or vector tile URL template, a ``.pmtiles`` file or a
        local tile folder (:mod:`ecogis.webmap.basemap`). ``None``: OpenStreetMap when the
        assets come from the CDN, else ``workspace`` (a page meant for an intranet must not
        ask the internet for tiles).
    html_dir
        Folder the HTML will be written to, so local asset links can be relative.
    compact
        Start with the layer switcher folded (for a map embedded in a report).
    compliance_as_of
        Assessment date (ISO) of the factories' compliance status; today when ``None``.
        :func:`ecogis.tasks.maps.make_map` passes the workspace's assessment date, the
        one ``ecogis compliance`` uses.

    Returns
    -------
    MapResult
        The folium map, notes about skipped or empty layers, and the drawn layer ids.
    """
    source = assets or AssetSource()
    if tiles is None:
        tiles = default_tiles(source)
    words = LABELS[lang]
    # The one province filter of maps and reports (ecogis.webmap.area).
    if area is None:
        area = Area((province,)) if province is not None else Area()
    local = frames if area.whole else area_frames(frames, area.codes)
    boundary = None
    provinces = local.get("provinces")
    if not area.whole and provinces is not None and len(provinces):
        boundary = provinces.geometry.union_all()
    notes: list[str] = []
    blobs = Blobs()
    layer_cfgs: list[dict[str, Any]] = []
    drawn_frames: list[gpd.GeoDataFrame] = []
    ind = recipe.indicator(indicator)
    if ind is not None:
        cfg, gdf, note = choropleth_layer(local, frames, ind, lang=lang, area=area)
        if cfg is not None:
            layer_cfgs.append(cfg)
        if note:
            notes.append(note)
    for entry in recipe.layers:
        cfgs, gdf, note = _layer(
            local,
            frames,
            entry,
            blobs,
            lang=lang,
            as_of=compliance_as_of or date.today().isoformat(),
        )
        if note:
            notes.append(note)
        if not cfgs:
            continue
        layer_cfgs.extend(cfgs)
        if gdf is not None and entry.layer not in ("provinces", "districts"):
            drawn_frames.append(gdf)
    # Zoom to the data drawn (a province is large, its industrial areas small); the
    # province outline when nothing but boundaries is drawn.
    bounds = wd.bounds_of(drawn_frames)
    if bounds is None and boundary is not None:
        b = boundary.bounds
        bounds = [[round(b[1], 5), round(b[0], 5)], [round(b[3], 5), round(b[2], 5)]]
    if bounds is None and area.whole:
        bounds = wd.bounds_of([f for f in frames.values() if isinstance(f, gpd.GeoDataFrame)])
    subtitle = area.name(lang)
    config = {
        "title": recipe.title(lang),
        "subtitle": subtitle,
        "notes": notes,
        "lang": lang,
        "labels": {
            k: v
            for k, v in words.items()
            if k in ("legend", "search", "no_results", "fullscreen", "exit_fullscreen")
        },
        "layers": layer_cfgs,
        "bounds": bounds,
        "search": any(c.get("search") for c in layer_cfgs),
        "collapse_layers": compact,
        # The legend stays open even in compact maps: a printed report needs it.
        "collapse_legend": False,
        "basemap": _basemap(tiles, local, layer_cfgs, area=area, lang=lang, html_dir=html_dir),
        "sankey": _sankey(local, lang) if recipe.sankey else None,
    }
    center = [13.0, 101.0]
    if bounds:
        center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = folium.Map(
        location=center,
        zoom_start=9,
        tiles=None,
        prefer_canvas=False,  # data layers use their own canvas (webmap.js); SVG for tools
        control_scale=False,
        height=height,
    )
    # Per-instance lists: this map loads its assets through the bundle below; folium's
    # class-level defaults stay untouched for everyone else.
    m.default_js = []
    m.default_css = []
    figure = m.get_root()
    assert isinstance(figure, Figure)  # folium maps always live in a Figure
    figure.header.add_child(LiteralElement('<meta charset="utf-8"/>'), name="ecogis_charset")
    # An empty icon: the browser asks no server (or intranet) for /favicon.ico.
    figure.header.add_child(LiteralElement('<link rel="icon" href="data:,"/>'), name="ecogis_icon")
    # Vector-tile basemaps need protomaps-leaflet; other pages do not carry it.
    needed = MAP_ASSETS
    basemap = config["basemap"]
    if isinstance(basemap, dict) and basemap["kind"] in ("pmtiles", "vector"):
        needed = MAP_ASSETS + BASEMAP_ASSETS
    source.check(needed)
    figure.header.add_child(
        AssetBundle(
            source,
            needed,
            html_dir=html_dir,
            extra_css=_static("webmap.css"),
            extra_js=_static("webmap.js"),
        ),
        name="ecogis_assets",
    )
    # Data go in as a literal JSON document, never as template text (issue 14.1).
    document = DataDocument(config, blobs)
    m.add_child(document)
    return MapResult(
        map=m,
        notes=notes,
        layers=[c["id"] for c in layer_cfgs],
        config=config,
        document=document,
    )


def default_tiles(source: AssetSource) -> str:
    """Choose the basemap when none is asked for.

    OSM for CDN pages; the workspace's own layers for offline and intranet ones (which must
    not ask the internet for tiles).

    Parameters
    ----------
    source : AssetSource
        Where the page's assets come from.

    Returns
    -------
    str
        ``osm`` in ``cdn`` mode, else ``workspace``.
    """
    return "osm" if source.mode == "cdn" else "workspace"


def _basemap(
    tiles: str,
    local: dict[str, pd.DataFrame],
    layer_cfgs: list[dict[str, Any]],
    *,
    area: Area,
    lang: str,
    html_dir: Path | None,
) -> dict[str, Any] | None:
    """Build the document's basemap: the workspace's own layers, or tiles (``--tiles``)."""
    if tiles != "workspace":
        return tiles_basemap(tiles, html_dir=html_dir)
    overlays = {
        c["layer"]: c["id"]
        for c in layer_cfgs
        if "geojson" in c and not c["id"].startswith("indicator_") and "legend_group" not in c
    }
    return workspace_basemap(
        local, lang=lang, overlays=overlays, regional=area.whole or len(area.codes) > 3
    )


def _with_derived_fields(
    gdf: gpd.GeoDataFrame,
    frames: dict[str, pd.DataFrame],
    entry: LayerEntry,
    *,
    lang: str,
    as_of: str,
) -> gpd.GeoDataFrame:
    """Return the layer's rows with the fields the map derives, bundled and filtered.

    The derived fields are the compliance and hazard classes of factories and the routes of
    links; exchanges are bundled when the recipe says so, and the recipe's ``where`` cuts.
    """
    if entry.layer == "factories":
        derived = wd.compliance_fields(
            gdf,
            frames.get("compliance"),
            lang=lang,
            as_of=as_of,
            flows=frames.get("material_flows"),
        )
        gdf = gdf.assign(**{c: derived[c] for c in derived.columns})
        if "hazard_class" in _wanted_fields(entry):
            gdf = gdf.assign(hazard_class=wd.hazard_classes(gdf))
    if entry.layer in ("symbiosis_links", "symbiosis_candidates"):
        derived = wd.link_fields(gdf, frames.get("factories"), lang=lang)
        gdf = gdf.assign(**{c: derived[c] for c in derived.columns})
    if entry.bundle:
        gdf = exchange_bundles(
            gdf,
            frames.get("factories"),  # type: ignore[arg-type]
            frames.get("industrial_zones"),  # type: ignore[arg-type]
            lang=lang,
            material_names=wd.material_names(lang),
        )
    if entry.where:
        gdf = wd.apply_where(gdf, entry.where)
    return gdf


def _layer(
    local: dict[str, pd.DataFrame],
    frames: dict[str, pd.DataFrame],
    entry: LayerEntry,
    blobs: Blobs,
    *,
    lang: str,
    as_of: str,
) -> tuple[list[dict[str, Any]], gpd.GeoDataFrame | None, str | None]:
    """One recipe entry drawn as layer configs.

    ``local`` are the layers cut to the map's area, ``frames`` the whole workspace (line
    ends, joined geometry and compliance records may lie outside).
    """
    contract = schema.contract(entry.layer)
    title = layer_title(entry, contract, lang)
    words = LABELS[lang]
    frame = local.get(entry.layer)
    if frame is None:
        return [], None, words["skipped"].format(title=title)
    if frame.empty:
        return [], None, words["empty"].format(title=title)
    gdf = _geometry_for(frames, entry, frame)
    if gdf is None:
        return [], None, words["skipped"].format(title=title)
    gdf = _with_derived_fields(gdf, frames, entry, lang=lang, as_of=as_of)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if gdf.empty:
        return [], None, words["empty"].format(title=title)
    shape = shape_of(gdf.geometry.geom_type)
    style_src = merged_style(contract, entry.style)
    if style_src.get("field") and not entry.style.get("classes"):
        classes = classes_of(str(style_src["field"]), contract)
        if classes is not None:
            style_src = {**style_src, "type": "categorized", "classes": classes}
    style = renderer_style(style_src, lang=lang, shape=shape, values=gdf)
    if entry.bundle and style["type"] == "categorized" and style.get("field") in gdf:
        # The catalogue has many material groups; the legend lists those on the map.
        present = set(gdf[style["field"]].astype(str))
        style["classes"] = [c for c in style["classes"] if str(c.get("value")) in present]
    labels = field_labels(entry.layer, lang, entry.join.get("layer"))
    units = unit_words(entry.layer, lang)
    label_field = contract.style.get(f"label_field_{lang}") or contract.style.get("label_field_th")
    popup = list(entry.popup) or [f for f in [label_field, *contract.key] if f]
    popup = [p for p in dict.fromkeys(popup)]
    search = list(entry.search)
    # A line with a route ("provider → receiver") is titled and hovered by it.
    title_field = "route" if "route" in gdf.columns else label_field
    tooltip_field = None
    if shape == "polygon":
        tooltip_field = label_field
    elif shape == "line" and "hover" in gdf.columns:
        tooltip_field = "hover"
    extra = [
        style.get("field"),
        style.get("size_field"),
        style.get("width_field"),
        entry.split_by,
        title_field,
        tooltip_field,
    ]
    columns = [
        c for c in dict.fromkeys([*popup, *search, *[e for e in extra if e]]) if c in gdf.columns
    ]
    cfg: dict[str, Any] = {
        "id": entry.id,
        "layer": entry.layer,
        "title": title,
        "show": entry.show,
        "cluster": entry.cluster,
        "style": style,
        "popup": [
            {
                "field": f,
                "label": labels.get(f, f),
                "unit": units.get(f, ""),
                "values": value_labels(f, contract, lang),
            }
            for f in popup
        ],
        "search": search,
        "title_field": title_field if title_field in columns else None,
        "tooltip_field": tooltip_field if tooltip_field in columns else None,
        "legend": legend_entries(
            style, shape=shape, title=title, lang=lang, field_labels=labels, units=units
        )
        if entry.legend
        else [],
        "count": len(gdf),
        "arrows": entry.arrows,
    }
    if entry.split_by:
        return _split(cfg, gdf, entry, columns, blobs, shape=shape), gdf, None
    _add_payload(cfg, gdf, columns, shape, blobs)
    return [cfg], gdf, None


SANKEY_WORDS = {
    "th": ("การไหลของของเสียสู่อุตสาหกรรมผู้รับ", "ตัน/ปี", "แผนภาพการไหล"),
    "en": ("Waste flows to receiving industries", "t/yr", "Flow diagram"),
}


SANKEY_WIDTH = 520
"""Width in pixels of the map's flow diagram (drawn at this size: its text stays legible)."""


def _sankey(local: dict[str, pd.DataFrame], lang: str) -> dict[str, str] | None:
    """Draw the chosen exchanges as a Sankey diagram (an SVG image in the page)."""
    import base64

    links = local.get("symbiosis_links")
    if links is None or links.empty:
        return None
    title, unit, button = SANKEY_WORDS[lang]
    svg = sankey_svg(
        sankey_flows(links, lang=lang, material_names=wd.material_names(lang)),
        title=title,
        unit=unit,
        lang=lang,
        width=SANKEY_WIDTH,
        keep=8,
    )
    if not svg:
        return None
    return {
        "title": title,
        "button": button,
        "image": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
    }


def _wanted_fields(entry: LayerEntry) -> set[str]:
    """Every field a recipe entry draws, shows or searches."""
    style = [entry.style.get(k) for k in ("field", "size_field", "width_field")]
    return {*entry.popup, *entry.search, *[s for s in style if s], entry.split_by}


def _add_payload(
    cfg: dict[str, Any], gdf: gpd.GeoDataFrame, columns: list[str], shape: str, blobs: Blobs
) -> None:
    """Put the features in ``cfg``: compact columns for points, GeoJSON otherwise."""
    if shape == "point" and bool((gdf.geometry.geom_type == "Point").all()):
        cfg["points"] = encode_points(gdf, columns, blobs)
    else:
        cfg["geojson"] = wd.geojson_payload(gdf, columns)


SPLIT_Z_BASE = 410
"""Map-pane z-index of the lowest split layer: above Leaflet's overlay pane (400), below
its shadow and marker panes (500, 600), so cluster icons stay on top."""


def _split(
    cfg: dict[str, Any],
    gdf: gpd.GeoDataFrame,
    entry: LayerEntry,
    columns: list[str],
    blobs: Blobs,
    *,
    shape: str,
) -> list[dict[str, Any]]:
    """One toggleable layer per value of ``entry.split_by`` (e.g. symbiosis grade A, B, C).

    Layers come in the style's class order (A first in the switcher) and each draws in its
    own map pane, the first class highest, so A links stay on top of B and C whatever the
    user ticks. The first class is shown (when the entry is); a class listed in
    ``entry.hide`` is not; another class is shown only while the links shown stay within
    ``entry.max_shown`` (0: no limit), so a busy map opens readable. Width and colour
    scales are the whole layer's, so widths compare across the split layers.
    """
    style = cfg["style"]
    field = entry.split_by
    values = gdf[field].astype("string")
    if style.get("type") == "categorized" and style.get("field") == field:
        classes = [(str(c["value"]), str(c["label"])) for c in style["classes"]]
    else:
        classes = [(v, v) for v in sorted(values.dropna().unique())]
    present = [(v, label) for v, label in classes if bool((values == v).any())]
    out: list[dict[str, Any]] = []
    shown = 0
    for i, (value, label) in enumerate(present):
        part = gdf[(values == value).fillna(False).to_numpy(dtype=bool)]
        show = entry.show and value not in entry.hide
        if i > 0 and entry.max_shown and shown + len(part) > entry.max_shown:
            show = False
        shown += len(part) if show else 0
        legend = [row for row in cfg["legend"] if "note" in row or row.get("label") == label]
        sub = {
            **cfg,
            "id": f"{cfg['id']}_{value}",
            "title": f"{cfg['title']}: {label}",
            "show": show,
            "legend": legend,
            "legend_group": cfg["id"],
            "legend_title": cfg["title"],
            "count": len(part),
            "pane": {"name": f"eco-{cfg['id']}-{value}", "z": SPLIT_Z_BASE + len(present) - i},
        }
        _add_payload(sub, part, columns, shape, blobs)
        out.append(sub)
    return out


def _geometry_for(
    frames: dict[str, pd.DataFrame], entry: LayerEntry, frame: pd.DataFrame
) -> gpd.GeoDataFrame | None:
    has_geom = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any()
    if has_geom and not entry.join:
        return frame
    if entry.join:
        other = frames.get(entry.join["layer"])
        if not isinstance(other, gpd.GeoDataFrame):
            return None
        return wd.join_geometry(frame, other, entry.join["on"])
    if entry.lines:
        points = frames.get(entry.lines.get("points", "factories"))
        if not isinstance(points, gpd.GeoDataFrame):
            return None
        return wd.lines_between(
            frame,
            points,
            key=entry.lines.get("key", "factory_id"),
            from_field=entry.lines["from"],
            to_field=entry.lines["to"],
        )
    return None


def map_html(result: MapResult) -> str:
    """Return the full HTML page of a built map.

    Parameters
    ----------
    result : MapResult
        :func:`build_map` output.

    Returns
    -------
    str
        The self-contained page (data as one JSON document).

    Raises
    ------
    RuntimeError
        When the data document is not in the page exactly as it was encoded, i.e. when
        something rendered it again as a template (a broken invariant, never bad input).
    """
    html: str = result.map.get_root().render()
    if result.document is not None and result.document.payload not in html:
        raise RuntimeError("the map's data document was altered while the page was rendered")
    return html


def save_map(result: MapResult, path: str | Path) -> Path:
    """Write the map to ``path`` (UTF-8) and return it.

    Parameters
    ----------
    result : MapResult
        :func:`build_map` output.
    path : str or Path
        The ``.html`` file to write (its folder is created when missing).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RuntimeError
        When the data document was altered while rendering (see :func:`map_html`).
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(map_html(result), encoding="utf-8")
    return out
