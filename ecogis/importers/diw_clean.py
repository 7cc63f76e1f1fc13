"""The cleaned DIW GIS export with English column names (``diw_factories_prachinburi_clean.csv``).

Same rows and values as the GIS export, with derived columns added. It is renamed back to the
export's Thai 10-character names and parsed by :func:`ecogis.importers.diw.parse_diw_gis`, so
both files give the same factories.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ecogis.importers.diw import (
    GIS_CAPITAL,
    GIS_ID,
    GIS_TYPE,
    GIS_WORKERS,
    normalise_diw_type,
)

CLEAN_TO_GIS = {
    "reg_no_old": GIS_ID,
    "factory_type_code": GIS_TYPE,
    "isic": "ISIC",
    "factory_class": "จำพวก",
    "name": "ชื่อโรงงาน",
    "objective": "ประกอบกิจก",
    "horsepower": "แรงม้า",
    "cost_land_thb": GIS_CAPITAL[0],
    "cost_building_thb": GIS_CAPITAL[1],
    "cost_machinery_thb": GIS_CAPITAL[2],
    "working_capital_thb": GIS_CAPITAL[3],
    "skilled_male": GIS_WORKERS[0],
    "workers_male": GIS_WORKERS[1],
    "skilled_female": GIS_WORKERS[2],
    "workers_female": GIS_WORKERS[3],
    "licence_date": "วันที่ใบอน",
    "addr_no": "เลขที่",
    "moo": "หมู่",
    "soi": "ซอย",
    "road": "ถนน",
    "tambon": "ตำบล",
    "amphoe": "อำเภอ",
    "province": "จังหวัด",
    "postcode": "ไปรษณีย์",
    "lat": "ละติจูด",
    "lon": "ลองติจูด",
    "pro_code": "PV_ID_U",
    "amphoe_code": "AMP_ID_U",
    "tambon_code": "TAM_ID_U",
}
"""English column of the cleaned registry → the GIS export column it was derived from."""


def clean_to_gis(raw: pd.DataFrame) -> pd.DataFrame:
    """Rename a cleaned registry (English names) to the GIS export's columns.

    The operator column is dropped (personal data). When the four worker or capital parts
    are absent, ``workers_total`` / ``capital_total_thb`` stand for their sum; a human-form
    ``factory_type`` (``9(6)``, ``105``) stands in for a missing ``factory_type_code``.

    Parameters
    ----------
    raw : pandas.DataFrame
        The cleaned registry as read (column names compared in lower case).

    Returns
    -------
    pandas.DataFrame
        Only the columns of :data:`CLEAN_TO_GIS` found, under their GIS export names, plus
        the type code and first worker/capital part when derived; same index as ``raw``.
    """
    lower = {str(c).strip().lower(): c for c in raw.columns}
    renames = {lower[k]: v for k, v in CLEAN_TO_GIS.items() if k in lower}
    out = raw.rename(columns=renames)[list(renames.values())].copy()
    if GIS_TYPE not in out.columns and "factory_type" in lower:
        out[GIS_TYPE] = raw[lower["factory_type"]].map(_type_code)
    for parts, total in ((GIS_WORKERS, "workers_total"), (GIS_CAPITAL, "capital_total_thb")):
        if not any(p in out.columns for p in parts) and total in lower:
            out[parts[0]] = raw[lower[total]]
    return out


def _type_code(value: Any) -> Any:
    """``9(6)`` → ``00906`` (the export's code).

    A value that is not a type is left as is so that the parser reports it with its row.
    """
    try:
        parsed = normalise_diw_type(value, coded=False)
    except ValueError:
        return value
    if parsed is None:
        return pd.NA
    human, main = parsed
    sub = int(human.split("(")[1].rstrip(")")) if "(" in human else 0
    return f"{main:03d}{sub:02d}"
