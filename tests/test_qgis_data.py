"""A small workspace for the QGIS tests, built with the workspace API (no shared data).

Imported by test_qgis.py and test_qgis_real.py; it holds no tests itself.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ecogis.workspace import Workspace


def factories() -> gpd.GeoDataFrame:
    """Four factories near Si Maha Phot, one per class and one without a class."""
    return gpd.GeoDataFrame(
        {
            "factory_id": ["3-42-1/55ปจ", "3-53-2/56ปจ", "1-8-3/60ปจ", "2-9-4/61ปจ"],
            "name_th": ["โรงงานเคมี ก", "โรงงานพลาสติก ข", "โรงสีข้าว ค", "โรงงานอาหาร ง"],
            "name_en": ["Chemical A", "Plastics B", "Rice mill C", "Food D"],
            "factory_class": [3, 2, 1, None],
            "workers": [120, 45, 8, 30],
            "coord_flag": ["ok", "ok", "ok", "ok"],
        },
        geometry=[
            shapely.Point(101.47, 13.93),
            shapely.Point(101.50, 13.95),
            shapely.Point(101.53, 13.97),
            shapely.Point(101.49, 13.96),
        ],
        crs=4326,
    )


def zones() -> gpd.GeoDataFrame:
    """An industrial estate and a park."""
    return gpd.GeoDataFrame(
        {
            "zone_id": ["IE-1", "IP-2"],
            "name_th": ["นิคมอุตสาหกรรมตัวอย่าง", "สวนอุตสาหกรรมตัวอย่าง"],
            "name_en": ["Example estate", "Example park"],
            "zone_type": ["estate", "park"],
        },
        geometry=[
            shapely.box(101.46, 13.92, 101.485, 13.945),
            shapely.box(101.495, 13.94, 101.51, 13.96),
        ],
        crs=4326,
    )


def provinces() -> gpd.GeoDataFrame:
    """One province outline."""
    return gpd.GeoDataFrame(
        {"pro_code": ["25"], "name_th": ["ปราจีนบุรี"], "name_en": ["Prachin Buri"]},
        geometry=[shapely.box(101.40, 13.88, 101.60, 14.02)],
        crs=4326,
    )


def communities(mixed: bool = True) -> gpd.GeoDataFrame:
    """Receptors: a village point, a school point and (mixed) a temple polygon."""
    geoms = [
        shapely.Point(101.52, 13.93),
        shapely.Point(101.45, 13.97),
        shapely.box(101.55, 13.98, 101.56, 13.99) if mixed else shapely.Point(101.555, 13.985),
    ]
    return gpd.GeoDataFrame(
        {
            "community_id": ["V1", "S1", "T1"],
            "name_th": ["บ้านหนองตัวอย่าง", "โรงเรียนตัวอย่าง", "วัดตัวอย่าง"],
            "name_en": ["Ban Nong Example", "Example school", "Example temple"],
            "kind": ["village", "school", "temple"],
        },
        geometry=geoms,
        crs=4326,
    )


def flows() -> pd.DataFrame:
    """A two-row mass balance table."""
    return pd.DataFrame(
        {
            "factory_id": ["3-42-1/55ปจ", "3-42-1/55ปจ"],
            "flow_id": ["W1", "P1"],
            "direction": ["out", "out"],
            "flow_kind": ["waste", "product"],
            "material": ["เถ้าลอย", "สารเคมี"],
            "quantity": [120.0, 5000.0],
            "unit": ["t/yr", "t/yr"],
        }
    )


def build_workspace(path: Path, *, mixed: bool = True) -> Workspace:
    """Write the five layers in one batch (which styles them and stores the project)."""
    ws = Workspace.create(path)
    with ws.batch():
        ws.write("provinces", provinces())
        ws.write("industrial_zones", zones())
        ws.write("factories", factories())
        ws.write("communities", communities(mixed))
        ws.write("material_flows", flows())
    return ws
