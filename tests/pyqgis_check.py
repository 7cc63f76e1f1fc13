"""Open an ecogis GeoPackage in real QGIS (PyQGIS, headless) and report what QGIS sees.

Run with Debian's Python and python3-qgis, not the project's virtualenv::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/pyqgis_check.py WS.gpkg OUT.png

For every layer of the GeoPackage it opens ``WS.gpkg|layername=<layer>`` the way the QGIS
browser does (default style from ``layer_styles``) and reports the renderer, classes,
labels and field aliases. It then lists and opens the project stored in the GeoPackage
(``geopackage:`` URI), reports its groups, CRS and layer validity, and renders the
project's map to OUT.png. The report is JSON on stdout; ``tests/test_qgis_real.py``
asserts on it. Exit code 0 when the checks could run, 2 on usage errors.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsCoordinateTransform,
    QgsLayerTreeGroup,
    QgsLayerTreeLayer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

INTERNAL = {"layer_styles", "qgis_projects", "ecogis_meta"}


def layer_names(gpkg: str) -> list[str]:
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name").fetchall()
    finally:
        con.close()
    return [r[0] for r in rows if r[0] not in INTERNAL]


def describe_layer(layer: QgsVectorLayer) -> dict:
    info: dict = {"valid": layer.isValid(), "features": int(layer.featureCount())}
    if not layer.isValid():
        return info
    info["geometry"] = int(layer.geometryType())
    info["aliases"] = {f.name(): layer.attributeAlias(i) for i, f in enumerate(layer.fields())}
    info["display_expression"] = layer.displayExpression()
    info["widgets"] = {
        f.name(): layer.editorWidgetSetup(i).type()
        for i, f in enumerate(layer.fields())
        if layer.editorWidgetSetup(i).type()
    }
    # What the attribute table shows for the first feature's fields with a value map.
    first = next(layer.getFeatures(), None)
    info["represented"] = {}
    if first is not None:
        from qgis.core import QgsApplication as _App

        registry = _App.fieldFormatterRegistry()
        for i, f in enumerate(layer.fields()):
            setup = layer.editorWidgetSetup(i)
            if setup.type() == "ValueMap":
                formatter = registry.fieldFormatter("ValueMap")
                info["represented"][f.name()] = formatter.representValue(
                    layer, i, setup.config(), None, first[f.name()]
                )
    renderer = layer.renderer()
    if renderer is None:
        info["renderer"] = None
        return info
    info["renderer"] = renderer.type()
    if renderer.type() == "categorizedSymbol":
        info["attr"] = renderer.classAttribute()
        info["categories"] = [
            {"value": str(c.value()), "label": c.label(), "color": c.symbol().color().name()}
            for c in renderer.categories()
        ]
    elif renderer.type() == "graduatedSymbol":
        info["attr"] = renderer.classAttribute()
        info["ranges"] = [
            {
                "lower": r.lowerValue(),
                "upper": r.upperValue(),
                "label": r.label(),
                "color": r.symbol().color().name(),
            }
            for r in renderer.ranges()
        ]
    else:
        sym = renderer.symbol() if hasattr(renderer, "symbol") else None
        info["color"] = sym.color().name() if sym is not None else None
    info["symbol_type"] = (
        int(renderer.symbols(_context())[0].type()) if renderer.symbols(_context()) else None
    )
    info["labels_enabled"] = bool(layer.labelsEnabled())
    labeling = layer.labeling()
    info["label_field"] = labeling.settings().fieldName if labeling is not None else None
    return info


_CTX = None


def _context():
    global _CTX
    if _CTX is None:
        from qgis.core import QgsRenderContext

        _CTX = QgsRenderContext()
    return _CTX


def tree(group: QgsLayerTreeGroup) -> list:
    out = []
    for child in group.children():
        if isinstance(child, QgsLayerTreeGroup):
            out.append({"group": child.name(), "children": tree(child)})
        elif isinstance(child, QgsLayerTreeLayer):
            lyr = child.layer()
            out.append(
                {
                    "layer": child.name(),
                    "valid": bool(lyr is not None and lyr.isValid()),
                    "source": lyr.source() if lyr is not None else None,
                }
            )
    return out


def render(project: QgsProject, png: str, theme: str | None = None) -> dict:
    root = project.layerTreeRoot()
    order = root.customLayerOrder() if root.hasCustomLayerOrder() else root.layerOrder()
    if theme is None:
        # What QGIS shows on opening: ticked layers in ticked groups.
        def shown(lyr) -> bool:
            node = root.findLayer(lyr.id())
            return node is not None and node.isVisible()
    else:
        wanted = {lyr.id() for lyr in project.mapThemeCollection().mapThemeVisibleLayers(theme)}

        def shown(lyr) -> bool:
            return lyr.id() in wanted

    visible = [
        lyr for lyr in order if lyr is not None and lyr.isValid() and lyr.isSpatial() and shown(lyr)
    ]
    dest = project.crs()
    extent = QgsRectangle()
    extent.setMinimal()
    for lyr in visible:
        tr = QgsCoordinateTransform(lyr.crs(), dest, project)
        extent.combineExtentWith(tr.transformBoundingBox(lyr.extent()))
    extent.scale(1.05)
    view = project.viewSettings().defaultViewExtent()
    if not view.isEmpty():
        # What a user sees on opening the project (ecogis writes DefaultViewExtent).
        extent = QgsCoordinateTransform(view.crs(), dest, project).transformBoundingBox(view)
    settings = QgsMapSettings()
    settings.setLayers(visible)
    settings.setDestinationCrs(dest)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(1400, 1000))
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png, "png")
    # Share of pixels that are not background (a blank map means nothing was drawn), and
    # the most common colours, so a test can see the contract's class colours on the map.
    step = 2
    drawn = total = 0
    counts: dict[str, int] = {}
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            total += 1
            rgb = image.pixel(x, y) & 0xFFFFFF
            if rgb != 0xFFFFFF:
                drawn += 1
                key = f"#{rgb:06x}"
                counts[key] = counts.get(key, 0) + 1
    return {
        "png": png,
        "layers": [lyr.name() for lyr in visible],
        "drawn_fraction": drawn / total if total else 0.0,
        "colors": dict(sorted(counts.items(), key=lambda kv: -kv[1])[:60]),
        "errors": [f"{e.layerID}: {e.message}" for e in job.errors()],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    gpkg, png = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    app = QgsApplication([], False)
    app.initQgis()
    report: dict = {"qgis_version": __import__("qgis.core").core.Qgis.QGIS_VERSION, "layers": {}}
    for name in layer_names(gpkg):
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        report["layers"][name] = describe_layer(layer)
    storage = QgsApplication.projectStorageRegistry().projectStorageFromType("geopackage")
    report["stored_projects"] = storage.listProjects(f"geopackage:{gpkg}") if storage else []
    project = QgsProject.instance()
    uri = f"geopackage:{gpkg}?projectName=ecogis"
    ok = project.read(uri)
    report["project"] = {"uri": uri, "read": bool(ok)}
    if ok:
        report["project"].update(
            {
                "crs": project.crs().authid(),
                "title": project.title(),
                "tree": tree(project.layerTreeRoot()),
                "layers": {
                    lyr.name(): {
                        "valid": lyr.isValid(),
                        "source": lyr.source(),
                        **(describe_layer(lyr) if isinstance(lyr, QgsVectorLayer) else {}),
                    }
                    for lyr in project.mapLayers().values()
                },
                "custom_order": [lyr.name() for lyr in project.layerTreeRoot().customLayerOrder()],
            }
        )
        report["render"] = render(project, png)
        report["themes"] = {}
        stem, ext = os.path.splitext(png)
        for i, theme in enumerate(project.mapThemeCollection().mapThemes()):
            report["themes"][theme] = render(project, f"{stem}_theme{i}{ext}", theme)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    sys.stdout.flush()
    # QGIS 3.22 can crash while tearing down QgsProject.instance() at exit; the report is
    # complete, so leave without the teardown.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
