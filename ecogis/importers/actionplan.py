"""Provincial action plans: the planners' CSV/XLSX → the ``action_plans`` layer.

An action plan is a table, one row per project: strategy → project → indicator → target →
budget → responsible agency → timeline → status, with an optional location (latitude and
longitude), related factory and industrial zone. Headers may be Thai or English (see
:data:`COLUMNS`); ``ecogis import actionplan FILE`` reads the file with every cell as text
and calls :func:`parse_action_plan`.
"""

from __future__ import annotations

import math
import re
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from ecogis import schema
from ecogis.crs import THAILAND_BOUNDS
from ecogis.importers.base import contract_number, province_code
from ecogis.importers.cells import normalise_key
from ecogis.importers.tabular import TableRecord, normalise_headers, table_records

LAYER = "action_plans"

COLUMNS: dict[str, tuple[str, ...]] = {
    "pro_code": ("pro_code", "province", "province_code", "จังหวัด", "รหัสจังหวัด"),
    "strategy": ("strategy", "ยุทธศาสตร์", "ประเด็นยุทธศาสตร์"),
    "project": ("project", "project_name", "โครงการ", "ชื่อโครงการ", "โครงการ/กิจกรรม"),
    "indicator": ("indicator", "kpi", "ตัวชี้วัด"),
    "target": ("target", "เป้าหมาย", "ค่าเป้าหมาย"),
    "budget_thb": ("budget", "budget_thb", "budget (thb)", "งบประมาณ", "งบประมาณ (บาท)"),
    "agency": (
        "agency",
        "responsible",
        "responsible_agency",
        "responsible agency",
        "หน่วยงานรับผิดชอบ",
        "หน่วยงาน",
    ),
    "timeline": ("timeline", "period", "ระยะเวลา", "ระยะเวลาดำเนินการ", "ปีงบประมาณ"),
    "status": ("status", "สถานะ"),
    "action_id": ("id", "action_id", "project_id", "รหัส", "รหัสโครงการ", "ลำดับ"),
    "lat": ("lat", "latitude", "ละติจูด"),
    "lon": ("lon", "lng", "longitude", "ลองจิจูด", "ลองติจูด"),
    "factory_id": ("factory_id", "เลขทะเบียนโรงงาน"),
    "zone_id": ("zone_id", "พื้นที่อุตสาหกรรม"),
}
"""Accepted headers (case- and space-insensitive) for each field of ``action_plans``."""

REQUIRED = (
    "pro_code",
    "strategy",
    "project",
    "indicator",
    "target",
    "budget_thb",
    "agency",
    "timeline",
    "status",
)
"""Columns a plan file must have (values may be blank except strategy, project, province)."""

STATUS_WORDS: dict[str, str] = {
    "planned": "planned",
    "plan": "planned",
    "not started": "planned",
    "วางแผน": "planned",
    "ยังไม่เริ่ม": "planned",
    "ยังไม่ดำเนินการ": "planned",
    "แผน": "planned",
    "in_progress": "in_progress",
    "in progress": "in_progress",
    "ongoing": "in_progress",
    "กำลังดำเนินการ": "in_progress",
    "อยู่ระหว่างดำเนินการ": "in_progress",
    "ดำเนินการ": "in_progress",
    "done": "done",
    "completed": "done",
    "complete": "done",
    "แล้วเสร็จ": "done",
    "เสร็จ": "done",
    "เสร็จสิ้น": "done",
    "ดำเนินการแล้ว": "done",
    "delayed": "delayed",
    "late": "delayed",
    "ล่าช้า": "delayed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "ยกเลิก": "cancelled",
}
"""Words planners write in the status column → the contract value. Blank means planned."""


def _province_code(rec: TableRecord) -> str:
    text = rec.text("pro_code")
    if not text:
        raise rec.error("pro_code", "province is empty", "write the province code")
    return province_code(text, source=rec.source, row=rec.row, field=rec.column("pro_code"))


def _budget(rec: TableRecord) -> float:
    written = rec.text("budget_thb")
    text = written.replace(",", "").replace("บาท", "").replace("THB", "").strip()
    if not text:
        return float("nan")
    scale = 1.0
    if text.endswith(("ล้าน", "ล้านบาท")) or text.lower().endswith(("m", "million")):
        scale = 1e6
        text = re.sub(r"(ล้าน|million|m)$", "", text, flags=re.IGNORECASE).strip()
    try:
        amount = float(text) * scale
    except ValueError:
        raise rec.error(
            "budget_thb",
            f"{written!r} is not an amount of baht",
            "write a number such as 1,500,000 (or 1.5 ล้าน), or leave it blank",
        ) from None
    if not math.isfinite(amount):
        raise rec.error("budget_thb", f"{written!r} is not a finite amount", "write the budget")
    try:
        return contract_number(LAYER, "budget_thb", parse=float)(amount)
    except ValueError as exc:
        raise rec.error(
            "budget_thb", str(exc).replace(repr(amount), repr(written), 1), "budgets are ≥ 0"
        ) from None


def _years(value: str) -> tuple[float, float]:
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", value)]
    years = [y - 543 if y > 2400 else y for y in years]  # Buddhist Era → CE
    years = [y for y in years if 1990 <= y <= 2100]
    if not years:
        return float("nan"), float("nan")
    return float(min(years)), float(max(years))


def _status(rec: TableRecord) -> str:
    word = " ".join(rec.word("status").split())
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    if not rec.text("status"):
        return "planned"
    raise rec.error(
        "status",
        f"status {rec.text('status')!r} is not known",
        "use planned, in_progress, done, delayed or cancelled "
        "(or วางแผน, กำลังดำเนินการ, แล้วเสร็จ, ล่าช้า, ยกเลิก)",
    )


def _location(rec: TableRecord) -> Any:
    lat, lon = rec.text("lat"), rec.text("lon")
    if not lat and not lon:
        return None
    if not lat or not lon:
        missing = "lat" if not lat else "lon"
        raise rec.error(
            missing,
            "a location needs both latitude and longitude",
            "fill both, or leave both blank",
        )
    try:
        y, x = float(lat), float(lon)
    except ValueError:
        raise rec.error(
            "lat",
            f"{lat!r}, {lon!r} is not a latitude/longitude in degrees",
            "write decimal degrees (WGS84), e.g. 14.05, 101.60",
        ) from None
    w, s, e, n = THAILAND_BOUNDS
    if not (s <= y <= n and w <= x <= e):
        hint = " — latitude and longitude look swapped" if (s <= x <= n and w <= y <= e) else ""
        raise rec.error(
            "lat",
            f"{y}, {x} is outside Thailand{hint}",
            f"write decimal degrees (WGS84): latitude {s}–{n}, longitude {w}–{e}",
        )
    return Point(x, y)


def parse_action_plan(
    raw: pd.DataFrame,
    *,
    source: str,
    known_factory_ids: set[str] | None = None,
) -> gpd.GeoDataFrame:
    """Turn an action-plan table (every cell as text) into the ``action_plans`` layer.

    Parameters
    ----------
    raw
        The file as read, one row per project, headers as written (Thai or English, see
        :data:`COLUMNS`). Row numbers in errors are the spreadsheet's (header = row 1).
    source
        File name for messages.
    known_factory_ids
        Registration numbers in the workspace; a ``factory_id`` outside it is an error.

    Returns
    -------
    GeoDataFrame
        Shaped like ``layers/action_plans.toml`` (EPSG:4326; geometry empty when the row
        has no location). A project without an id gets ``R<row>``. The input is not modified.

    Raises
    ------
    InputFileError
        A required column is missing (names the file and the column).
    DataValidationError
        A value is wrong (names the file, spreadsheet row and field).
    """
    cols = normalise_headers(raw, COLUMNS, source=source, required=REQUIRED)
    records: list[dict[str, Any]] = []
    geoms: list[Any] = []
    seen: dict[tuple[str, str], int] = {}
    for rec in table_records(raw, cols, source=source):
        out: dict[str, Any] = {}
        for fld in ("strategy", "project"):
            out[fld] = rec.text(fld)
            if not out[fld]:
                raise rec.error(fld, f"{fld} is empty", f"write the {fld} of this row")
        out["pro_code"] = _province_code(rec)
        for fld in ("indicator", "target", "agency", "timeline"):
            out[fld] = rec.text(fld) or None
        out["budget_thb"] = _budget(rec)
        out["start_year"], out["end_year"] = _years(out["timeline"] or "")
        out["status"] = _status(rec)
        out["action_id"] = rec.text("action_id") or f"R{rec.row}"
        key = (out["pro_code"], out["action_id"])
        if key in seen:
            raise rec.error(
                "action_id",
                f"project id {out['action_id']!r} is used again (first on row {seen[key]})",
                "give each project its own id",
            )
        seen[key] = rec.row
        fid = normalise_key(rec.raw("factory_id"))
        if fid is not pd.NA and known_factory_ids is not None and fid not in known_factory_ids:
            raise rec.error(
                "factory_id",
                f"factory {fid!r} is not in the workspace",
                "check the registration number, or import the factory first",
            )
        out["factory_id"] = None if fid is pd.NA else fid
        out["zone_id"] = rec.text("zone_id") or None
        out["source"] = source
        geoms.append(_location(rec))
        records.append(out)
    contract = schema.contract(LAYER)
    frame = pd.DataFrame.from_records(records, columns=[*contract.field_names])
    frame.index = pd.RangeIndex(len(frame))
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)
    return schema.coerce_dtypes(gdf, contract)
