"""A QGIS project (``.qgs`` inside a ``.qgz``) written as plain XML, without QGIS.

Layers are grouped as :data:`ecogis.schema.GROUPS` (titles in Thai or English), each with
its style embedded, drawn points over lines over polygons, in a metric (UTM) project CRS
so QGIS measures in metres. Data sources are relative paths — ``./demo.gpkg|layername=x``
— which is the form QGIS itself writes for a project stored inside that GeoPackage (the
path resolves against the GeoPackage's folder) and for a ``.qgz`` beside it.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from pyproj import Transformer

from ecogis.crs import THAILAND_BOUNDS, metric_crs_for_lon_range
from ecogis.qgis._xml import QGIS_VERSION, spatialrefsys, sub, to_text
from ecogis.qgis.qml import DOCTYPE, LayerSource, style_elements
from ecogis.qgis.themes import MapTheme
from ecogis.schema import GROUPS, LayerContract

GROUP_TITLES: dict[str, tuple[str, str]] = {
    "base": ("ข้อมูลพื้นฐาน", "Base layers"),
    "factories_zones": ("โรงงานและพื้นที่อุตสาหกรรม", "Factories and industrial zones"),
    "risk": ("ความเสี่ยง", "Risk"),
    "symbiosis": ("การใช้ประโยชน์ร่วมทางอุตสาหกรรม", "Industrial symbiosis"),
    "assessment": ("การประเมิน", "Assessment"),
    "other": ("อื่น ๆ", "Other"),
}
"""Layer-tree group titles (Thai, English) by contract group."""

PROJECT_NAME = "ecogis"
"""Name of the project stored in the GeoPackage's ``qgis_projects`` table."""

_WKB = {
    "POINT": ("Point", "Point"),
    "MULTIPOINT": ("Point", "MultiPoint"),
    "LINESTRING": ("Line", "LineString"),
    "MULTILINESTRING": ("Line", "MultiLineString"),
    "POLYGON": ("Polygon", "Polygon"),
    "MULTIPOLYGON": ("Polygon", "MultiPolygon"),
}
_KIND_RANK = {"marker": 0, "line": 1, "fill": 2}
_TYPE_WORDS = {
    "Point": ("จุด", "points"),
    "LineString": ("เส้น", "lines"),
    "Polygon": ("พื้นที่", "areas"),
}


@dataclass(frozen=True)
class ProjectLayer:
    """One layer of the project: its stored shape, contract and extent (degrees)."""

    source: LayerSource
    contract: LayerContract | None
    extent: tuple[float, float, float, float] | None
    handmade: str | None = None  # text of a hand-made layers/<name>.qml
    geometry_filter: str | None = None  # "Point"/"Polygon": one type of a mixed layer

    @property
    def datasource(self) -> str:
        """The OGR data source relative to the GeoPackage reference."""
        suffix = f"|geometrytype={self.geometry_filter}" if self.geometry_filter else ""
        return f"layername={self.source.name}{suffix}"

    @property
    def group(self) -> str:
        """The contract group (``other`` without a contract)."""
        g = self.contract.group if self.contract is not None else "other"
        return g if g in GROUP_TITLES else "other"

    def title(self, lang: str) -> str:
        """Return the layer name shown in QGIS.

        Parameters
        ----------
        lang : str
            ``th`` or ``en``.

        Returns
        -------
        str
            The contract's title (the layer name without a contract), with the geometry type
            in brackets for one type of a mixed layer (``ชุมชน (จุด)``).
        """
        title = self.contract.title(lang) if self.contract is not None else self.source.name
        if self.geometry_filter:
            words = _TYPE_WORDS.get(self.geometry_filter, (self.geometry_filter,) * 2)
            title = f"{title} ({words[0] if lang == 'th' else words[1]})"
        return title

    @property
    def layer_id(self) -> str:
        """A stable layer id (the same on every rewrite, so map themes keep working)."""
        suffix = f"_{self.geometry_filter.lower()}" if self.geometry_filter else ""
        return f"ecogis_{self.source.name}{suffix}"


def _extent_el(parent: ET.Element, tag: str, box: tuple[float, float, float, float]) -> None:
    el = sub(parent, tag)
    for key, value in zip(("xmin", "ymin", "xmax", "ymax"), box, strict=True):
        sub(el, key, text=repr(float(value)))


def data_extent(layers: list[ProjectLayer]) -> tuple[float, float, float, float]:
    """Union of the layers' extents in degrees, with a 3 % margin (Thailand if none).

    Parameters
    ----------
    layers : list of ProjectLayer
        The layers; those without an extent are skipped.

    Returns
    -------
    tuple of 4 float
        (min lon, min lat, max lon, max lat) in degrees (EPSG:4326); the margin is 3 % of
        the width and height (at least 0.01° each), and without any extent the result is
        :data:`ecogis.crs.THAILAND_BOUNDS`.
    """
    boxes = [pl.extent for pl in layers if pl.extent is not None]
    if not boxes:
        return THAILAND_BOUNDS
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    dx = max(x1 - x0, 0.01) * 0.03
    dy = max(y1 - y0, 0.01) * 0.03
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


def _draw_order(layers: list[ProjectLayer]) -> list[ProjectLayer]:
    """Spatial layers top first: points, lines, outline-only polygons, filled polygons."""
    group_rank = {g: i for i, g in enumerate(GROUPS)}

    def key(pl: ProjectLayer) -> tuple[int, int, int, str]:
        sym = pl.source.symbol or "fill"
        style = pl.contract.style if pl.contract is not None else {}
        outline_only = 0 if style.get("fill") == "none" else 1
        # Results (later groups) above the base data they were computed from.
        return (_KIND_RANK[sym], outline_only, -group_rank.get(pl.group, -1), pl.source.name)

    return sorted((pl for pl in layers if pl.source.symbol is not None), key=key)


POSTGRES_PREFIX = "postgres:"
"""How a workspace names a PostGIS dataset to the project: ``postgres:<conninfo>|schema=<s>``
(:meth:`ecogis.workspace.Workspace.qgis_dataset_ref`)."""


def layer_datasource(dataset: str, pl: ProjectLayer) -> tuple[str, str]:
    """Return the QGIS data source and provider key of ``pl`` in ``dataset``.

    A GeoPackage reference (``./demo.gpkg``) gives an ``ogr`` source
    (``./demo.gpkg|layername=factories``); a PostGIS one a ``postgres`` source
    (``dbname='…' host=… key='fid' srid=4326 type=Point table="ecogis"."factories" (geom)``).

    Parameters
    ----------
    dataset : str
        The dataset reference: a GeoPackage path relative to the project, or
        ``postgres:<conninfo>|schema=<s>`` (:data:`POSTGRES_PREFIX`).
    pl : ProjectLayer
        The layer.

    Returns
    -------
    (str, str)
        The data source text and the provider key (``ogr`` or ``postgres``).
    """
    if not dataset.startswith(POSTGRES_PREFIX):
        return f"{dataset}|{pl.datasource}", "ogr"
    conninfo, schema = dataset[len(POSTGRES_PREFIX) :].rsplit("|schema=", 1)
    table = f'table="{schema}"."{pl.source.name}"'
    parts = [conninfo, "key='fid'", "checkPrimaryKeyUnicity='1'"]
    if pl.source.symbol is not None:
        if pl.geometry_filter:
            wkb = pl.geometry_filter
        else:
            wkb = _WKB.get((pl.source.geometry_type or "").upper(), ("", "Unknown"))[1]
        parts += ["srid=4326", f"type={wkb}", f"{table} ({pl.source.geometry_column})"]
    else:
        parts.append(table)
    return " ".join(parts), "postgres"


def _maplayer(parent: ET.Element, pl: ProjectLayer, gpkg_ref: str, lang: str) -> None:
    if pl.handmade is not None:
        qml = ET.fromstring(pl.handmade.encode("utf-8"))
        attrs = {k: v for k, v in qml.attrib.items() if k != "version"}
        children = [c for c in qml if c.tag != "flags"]
    else:
        attrs, children = style_elements(pl.source, pl.contract, lang)
    src = pl.source
    if src.symbol is not None:
        geom, wkb = _WKB.get((src.geometry_type or "").upper(), ("Unknown geometry", "Unknown"))
    else:
        geom, wkb = "No geometry", "NoGeometry"
    ml = sub(
        parent,
        "maplayer",
        {
            "type": "vector",
            "geometry": geom,
            "wkbType": wkb,
            "autoRefreshEnabled": "0",
            "autoRefreshTime": "0",
            **attrs,
        },
    )
    if pl.extent is not None and src.symbol is not None:
        _extent_el(ml, "extent", pl.extent)
        _extent_el(ml, "wgs84extent", pl.extent)
    sub(ml, "id", text=pl.layer_id)
    datasource, provider = layer_datasource(gpkg_ref, pl)
    sub(ml, "datasource", text=datasource)
    kw = sub(ml, "keywordList")
    sub(kw, "value", text="ecogis")
    sub(ml, "layername", text=pl.title(lang))
    if src.symbol is not None:
        spatialrefsys(sub(ml, "srs"), 4326)
    meta = sub(ml, "resourceMetadata")
    sub(meta, "identifier", text=src.name)
    sub(meta, "language", text="tha" if lang == "th" else "eng")
    sub(meta, "type", text="dataset")
    sub(meta, "title", text=pl.title(lang))
    sub(meta, "abstract", text=pl.contract.description(lang) if pl.contract is not None else "")
    sub(ml, "provider", {"encoding": "UTF-8"}, provider)
    msm = sub(ml, "map-layer-style-manager", {"current": "default"})
    sub(msm, "map-layer-style", {"name": "default"})
    flags = sub(ml, "flags")
    for flag in ("Identifiable", "Removable", "Searchable"):
        sub(flags, flag, text="1")
    ml.extend(children)


def project_xml(
    layers: list[ProjectLayer],
    *,
    gpkg_ref: str,
    lang: str = "th",
    title: str = "",
    themes: tuple[MapTheme, ...] = (),
) -> str:
    """Build the ``.qgs`` text of a project showing ``layers`` from the GeoPackage ``gpkg_ref``.

    The project CRS is the UTM zone of the data (so QGIS measures in metres and hectares);
    it opens on the ticked, non-base layers.

    Parameters
    ----------
    layers : list of ProjectLayer
        The layers, in any order (grouped and ordered here).
    gpkg_ref : str
        The GeoPackage path as the project should refer to it, relative to the project's
        own location (``./demo.gpkg`` for a project stored inside ``demo.gpkg``), or a
        ``postgres:`` reference (see :func:`layer_datasource`).
    lang : str
        ``th`` (default) or ``en``: layer names, group titles, legends and field aliases.
    title : str
        Project title; default empty.
    themes : tuple of MapTheme
        Map themes (from the web-map recipes); the first one sets which layers are on
        when the project opens. Without themes (the default) every spatial layer is on.

    Returns
    -------
    str
        The project XML, with the QGIS doctype.
    """
    box = data_extent(layers)
    present = {pl.source.name for pl in layers}
    usable = [t for t in themes if t.visible() & present]
    spatial = {pl.source.name for pl in layers if pl.source.symbol is not None}
    default_on = usable[0].visible() & spatial if usable else spatial
    # Open on what is ticked (the industrial data), not on the province around it nor on
    # 5 km risk rings that are switched off.
    candidates = [pl for pl in layers if pl.group != "base" and pl.extent is not None]
    focus = [pl for pl in candidates if pl.source.name in default_on] or candidates
    view = data_extent(focus) if focus else box
    in_any_theme = set().union(*(t.visible() for t in usable)) if usable else spatial
    listed = {name for t in usable for name, _ in t.layers}
    crs = metric_crs_for_lon_range(box[0], box[2])
    epsg = int(crs.to_epsg() or 32647)
    to_utm = Transformer.from_crs(4326, epsg, always_xy=True)
    xs, ys = to_utm.transform(
        [view[0], view[2], view[0], view[2]], [view[1], view[1], view[3], view[3]]
    )
    canvas_box = (min(xs), min(ys), max(xs), max(ys))

    root = ET.Element(
        "qgis",
        {
            "version": QGIS_VERSION,
            "projectname": title,
            "saveUser": "ecogis",
            "saveUserFull": "ecogis",
        },
    )
    sub(root, "homePath", {"path": ""})
    sub(root, "title", text=title)
    spatialrefsys(sub(root, "projectCrs"), epsg)

    tree = sub(root, "layer-tree-group")
    sub(tree, "customproperties")
    order = [*GROUPS, "other"]
    by_group = {g: sorted((pl for pl in layers if pl.group == g), key=_tree_key) for g in order}
    group_names: dict[str, str] = {}
    for g in order:
        members = by_group[g]
        if not members:
            continue
        th, en = GROUP_TITLES[g]
        group_names[g] = th if lang == "th" else en
        group_on = any(pl.source.name in default_on for pl in members)
        grp = sub(
            tree,
            "layer-tree-group",
            {
                "name": group_names[g],
                "checked": "Qt::Checked" if group_on else "Qt::Unchecked",
                "expanded": "1",
            },
        )
        props = sub(grp, "customproperties")
        sub(props, "property", {"key": "ecogis_group", "value": g})
        for pl in members:
            node = sub(
                grp,
                "layer-tree-layer",
                {
                    "id": pl.layer_id,
                    "name": pl.title(lang),
                    "source": layer_datasource(gpkg_ref, pl)[0],
                    "providerKey": layer_datasource(gpkg_ref, pl)[1],
                    "checked": "Qt::Checked"
                    if _layer_on(pl, group_on, default_on, in_any_theme, listed)
                    else "Qt::Unchecked",
                    "expanded": "1" if pl.source.symbol is not None else "0",
                },
            )
            sub(node, "customproperties")
    drawn = _draw_order(layers)
    custom = sub(tree, "custom-order", {"enabled": "1"})
    for pl in drawn:
        sub(custom, "item", text=pl.layer_id)

    canvas = sub(root, "mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    sub(canvas, "units", text="meters")
    _extent_el(canvas, "extent", canvas_box)
    sub(canvas, "rotation", text="0")
    spatialrefsys(sub(canvas, "destinationsrs"), epsg)
    sub(canvas, "rendermaptile", text="0")
    # QGIS ≥ 3.18 opens a project on its default view extent (also without a map canvas).
    pvs = sub(root, "ProjectViewSettings", {"UseProjectScales": "0"})
    sub(pvs, "Scales")
    dve = sub(
        pvs,
        "DefaultViewExtent",
        {k: repr(v) for k, v in zip(("xmin", "ymin", "xmax", "ymax"), canvas_box, strict=True)},
    )
    spatialrefsys(dve, epsg)

    _map_themes(root, usable, layers, group_names, lang)

    project_layers = sub(root, "projectlayers")
    for pl in layers:
        _maplayer(project_layers, pl, gpkg_ref, lang)
    lo = sub(root, "layerorder")
    for pl in drawn:
        sub(lo, "layer", {"id": pl.layer_id})

    props = sub(root, "properties")
    # QGIS reads <projectCrs> only when this flag says the project has a CRS.
    srs = sub(props, "SpatialRefSys")
    sub(srs, "ProjectionsEnabled", {"type": "int"}, "1")
    sub(srs, "ProjectCrs", {"type": "QString"}, f"EPSG:{epsg}")
    paths = sub(props, "Paths")
    sub(paths, "Absolute", {"type": "bool"}, "false")
    measure = sub(props, "Measure")
    sub(measure, "Ellipsoid", {"type": "QString"}, "EPSG:7030")
    units = sub(props, "Measurement")
    sub(units, "DistanceUnits", {"type": "QString"}, "meters")
    sub(units, "AreaUnits", {"type": "QString"}, "ha")
    sub(props, "WMSServiceTitle", {"type": "QString"}, title)
    return to_text(root, doctype=DOCTYPE)


def _layer_on(
    pl: ProjectLayer, group_on: bool, default_on: set[str], in_any: set[str], listed: set[str]
) -> bool:
    """Tell whether a layer's box is ticked when the project opens.

    In a group the default theme switches on, exactly that theme's layers are ticked. In
    the other (unticked) groups, the layers some map product shows — or that no map
    product mentions — are ticked, so ticking the group shows a sensible map.
    """
    if pl.source.symbol is None:
        return False
    name = pl.source.name
    if group_on:
        return name in default_on
    return name in in_any or name not in listed


def _map_themes(
    root: ET.Element,
    themes: list[MapTheme],
    layers: list[ProjectLayer],
    group_names: dict[str, str],
    lang: str,
) -> None:
    """``<visibility-presets>``: one QGIS map theme per web-map recipe."""
    if not themes:
        return
    presets = sub(root, "visibility-presets")
    for theme in themes:
        shown = [
            pl
            for pl in layers
            if pl.source.symbol is not None and pl.source.name in theme.visible()
        ]
        preset = sub(
            presets,
            "visibility-preset",
            {"name": theme.title(lang), "has-expanded-info": "1", "has-checked-group-info": "1"},
        )
        for pl in shown:
            sub(
                preset,
                "layer",
                {"id": pl.layer_id, "visible": "1", "style": "default", "expanded": "1"},
            )
        checked = sub(preset, "checked-group-nodes")
        for g in dict.fromkeys(pl.group for pl in shown):
            sub(checked, "checked-group-node", {"id": group_names[g]})
        expanded = sub(preset, "expanded-group-nodes")
        for name in group_names.values():
            sub(expanded, "expanded-group-node", {"id": name})


def _tree_key(pl: ProjectLayer) -> tuple[int, int, str]:
    """Inside a group: points, lines, polygons, then tables; by name."""
    sym = pl.source.symbol
    return (_KIND_RANK.get(sym, 3) if sym else 3, 0, pl.source.name)


def project_qgz(qgs_text: str, *, name: str = PROJECT_NAME) -> bytes:
    """Zip a ``.qgs`` into ``.qgz`` bytes (a fixed timestamp keeps the bytes reproducible).

    Parameters
    ----------
    qgs_text : str
        The project XML (:func:`project_xml`).
    name : str
        Stem of the ``.qgs`` inside the zip; default :data:`PROJECT_NAME` (``ecogis``).

    Returns
    -------
    bytes
        The ``.qgz`` archive.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{name}.qgs", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, qgs_text.encode("utf-8"))
    return buf.getvalue()
