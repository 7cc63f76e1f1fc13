"""Open an ecogis PostGIS workspace in real QGIS (PyQGIS, headless) and report what it sees.

Run with Debian's Python and python3-qgis, not the project's virtualenv::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/pyqgis_postgis_check.py \\
        "dbname='db' host=127.0.0.1 port=5432 user='me'" SCHEMA PROJECT_URI

For every table of the schema that has a geometry column it opens a ``postgres`` layer the
way QGIS's browser does (the default style from ``public.layer_styles``) and reports its
validity, feature count and renderer; then it reads the project stored in
``<schema>.qgis_projects`` and reports whether each of its layers is valid. JSON on stdout.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsDataSourceUri, QgsProject, QgsVectorLayer


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    conninfo, schema, project_uri = sys.argv[1:]
    app = QgsApplication([], False)
    app.initQgis()
    report: dict[str, object] = {"layers": {}, "project": {}}
    layers: dict[str, object] = {}
    for table, geom_type in (("factories", "Point"), ("industrial_zones", "MultiPolygon")):
        uri = QgsDataSourceUri(conninfo)
        uri.setDataSource(schema, table, "geom", "", "fid")
        uri.setSrid("4326")
        uri.setWkbType(QgsVectorLayer(f"{geom_type}?crs=epsg:4326", "t", "memory").wkbType())
        layer = QgsVectorLayer(uri.uri(False), table, "postgres")
        info: dict[str, object] = {"valid": layer.isValid()}
        if layer.isValid():
            info["features"] = layer.featureCount()
            _message, loaded = layer.loadDefaultStyle()
            info["default_style_loaded"] = bool(loaded)
            info["renderer"] = layer.renderer().type() if layer.renderer() else None
            count, _ids, names, _descriptions, _error = layer.listStylesInDatabase()
            info["own_styles"] = sorted(names[:count])
        layers[table] = info
    report["layers"] = layers
    project = QgsProject.instance()
    ok = project.read(project_uri)
    report["project"] = {
        "read": bool(ok),
        "layers": {
            lyr.name(): {"valid": lyr.isValid(), "provider": lyr.providerType()}
            for lyr in project.mapLayers().values()
        },
    }
    print(json.dumps(report, ensure_ascii=False))
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
