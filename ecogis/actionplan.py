"""Provincial action plans: parse the planners' CSV/XLSX into the ``action_plans`` layer.

An action plan is a table, one row per project: strategy → project → indicator → target →
budget → responsible agency → timeline → status, with an optional location (latitude and
longitude), related factory and industrial zone. Headers may be Thai or English (see
:data:`COLUMNS`); the importer (``ecogis import actionplan FILE``) reads the file with every
cell as text and calls :func:`parse_action_plan`.

:func:`demo_action_plan` writes an *illustrative* plan for the demo workspace.
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import geothai
import numpy as np
import pandas as pd
from shapely.geometry import Point

from ecogis import schema
from ecogis.errors import DataValidationError, InputFileError

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

_THAI_BOX = (97.3, 5.5, 105.7, 20.5)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\ufeff", "")).strip().lower()


def _find_columns(raw: pd.DataFrame, source: str) -> dict[str, str]:
    by_norm = {_norm(c): c for c in raw.columns}
    found: dict[str, str] = {}
    for fld, names in COLUMNS.items():
        for name in names:
            if _norm(name) in by_norm:
                found[fld] = by_norm[_norm(name)]
                break
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        first = missing[0]
        raise InputFileError(
            f"the action plan has no {first} column"
            + (f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else ""),
            source=source,
            row=1,
            field=first,
            fix=f"add a column headed one of: {', '.join(COLUMNS[first])}",
        )
    return found


def _province_code(value: str, *, source: str, row: int, field: str) -> str:
    text = value.strip()
    if re.fullmatch(r"\d{1,2}", text):
        code = text.zfill(2)
        if geothai.province(code) is not None:
            return code
    for p in geothai.provinces():
        if (
            text in (p.name_th, p.name_en)
            or _norm(text) == _norm(p.name_en)
            or text == f"จ.{p.name_th}"
        ):
            return str(p.code)
    raise DataValidationError(
        f"{value!r} is not a Thai province code or name",
        source=source,
        row=row,
        field=field,
        fix="write the 2-digit province code (e.g. 25) or the province name",
    )


def _budget(value: str, *, source: str, row: int, field: str) -> float:
    text = value.replace(",", "").replace("บาท", "").replace("THB", "").strip()
    if text in ("", "-", "–"):
        return float("nan")
    scale = 1.0
    if text.endswith(("ล้าน", "ล้านบาท")) or text.lower().endswith(("m", "million")):
        scale = 1e6
        text = re.sub(r"(ล้าน|million|m)$", "", text, flags=re.IGNORECASE).strip()
    try:
        amount = float(text) * scale
    except ValueError:
        raise DataValidationError(
            f"{value!r} is not an amount of baht",
            source=source,
            row=row,
            field=field,
            fix="write a number such as 1,500,000 (or 1.5 ล้าน), or leave it blank",
        ) from None
    if amount < 0:
        raise DataValidationError(
            f"{value!r} is negative", source=source, row=row, field=field, fix="budgets are ≥ 0"
        )
    return amount


def _years(value: str) -> tuple[float, float]:
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", value)]
    years = [y - 543 if y > 2400 else y for y in years]  # Buddhist Era → CE
    years = [y for y in years if 1990 <= y <= 2100]
    if not years:
        return float("nan"), float("nan")
    return float(min(years)), float(max(years))


def _status(value: str, *, source: str, row: int, field: str) -> str:
    text = _norm(value)
    if not text:
        return "planned"
    if text in STATUS_WORDS:
        return STATUS_WORDS[text]
    raise DataValidationError(
        f"status {value!r} is not known",
        source=source,
        row=row,
        field=field,
        fix=(
            "use planned, in_progress, done, delayed or cancelled "
            "(or วางแผน, กำลังดำเนินการ, แล้วเสร็จ, ล่าช้า, ยกเลิก)"
        ),
    )


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
        :data:`COLUMNS`). Row numbers in errors count the header as row 1.
    source
        File name for messages.
    known_factory_ids
        Registration numbers in the workspace; a ``factory_id`` outside it is an error.

    Returns
    -------
    GeoDataFrame
        Shaped like ``layers/action_plans.toml`` (EPSG:4326; geometry empty when the row
        has no location). The input is not modified.

    Raises
    ------
    InputFileError
        A required column is missing (names the file and the column).
    DataValidationError
        A value is wrong (names the file, spreadsheet row and field).
    """
    cols = _find_columns(raw, source)
    records: list[dict[str, Any]] = []
    geoms: list[Any] = []
    seen: dict[tuple[str, str], int] = {}

    def cell(values: pd.Series, fld: str) -> str:
        if fld not in cols:
            return ""
        v = values[cols[fld]]
        return (
            ""
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA
            else str(v).strip()
        )

    row = 1

    def bad(message: str, fld: str, fix: str) -> DataValidationError:
        """The error of the current row, naming the column as the file writes it."""
        return DataValidationError(
            message, source=source, row=row, field=cols.get(fld, fld), fix=fix
        )

    for pos, (_, values) in enumerate(raw.iterrows()):
        row = pos + 2
        if not any(cell(values, f) for f in cols):
            continue  # a blank line in the spreadsheet
        rec: dict[str, Any] = {}
        for fld in ("strategy", "project"):
            rec[fld] = cell(values, fld)
            if not rec[fld]:
                raise bad(f"{fld} is empty", fld, f"write the {fld} of this row")
        prov = cell(values, "pro_code")
        if not prov:
            raise bad("province is empty", "pro_code", "write the province code")
        rec["pro_code"] = _province_code(prov, source=source, row=row, field=cols["pro_code"])
        for fld in ("indicator", "target", "agency", "timeline"):
            rec[fld] = cell(values, fld) or None
        rec["budget_thb"] = _budget(
            cell(values, "budget_thb"), source=source, row=row, field=cols["budget_thb"]
        )
        rec["start_year"], rec["end_year"] = _years(rec["timeline"] or "")
        rec["status"] = _status(
            cell(values, "status"), source=source, row=row, field=cols["status"]
        )
        rec["action_id"] = cell(values, "action_id") or f"R{row}"
        key = (rec["pro_code"], rec["action_id"])
        if key in seen:
            raise bad(
                f"project id {rec['action_id']!r} is used again (first on row {seen[key]})",
                "action_id",
                "give each project its own id",
            )
        seen[key] = row
        fid = cell(values, "factory_id")
        if fid and known_factory_ids is not None and fid not in known_factory_ids:
            raise bad(
                f"factory {fid!r} is not in the workspace",
                "factory_id",
                "check the registration number, or import the factory first",
            )
        rec["factory_id"] = fid or None
        rec["zone_id"] = cell(values, "zone_id") or None
        rec["source"] = source
        geoms.append(
            _location(cell(values, "lat"), cell(values, "lon"), source=source, row=row, cols=cols)
        )
        records.append(rec)
    frame = pd.DataFrame.from_records(
        records, columns=[*schema.contract("action_plans").field_names]
    )
    frame.index = pd.RangeIndex(len(frame))
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)
    return schema.coerce_dtypes(gdf, schema.contract("action_plans"))


def _location(lat: str, lon: str, *, source: str, row: int, cols: dict[str, str]) -> Any:
    def bad(message: str, fld: str, fix: str) -> DataValidationError:
        return DataValidationError(
            message, source=source, row=row, field=cols.get(fld, fld), fix=fix
        )

    if not lat and not lon:
        return None
    if not lat or not lon:
        missing = "lat" if not lat else "lon"
        raise bad(
            "a location needs both latitude and longitude",
            missing,
            "fill both, or leave both blank",
        )
    try:
        y, x = float(lat), float(lon)
    except ValueError:
        raise bad(
            f"{lat!r}, {lon!r} is not a latitude/longitude in degrees",
            "lat",
            "write decimal degrees (WGS84), e.g. 14.05, 101.60",
        ) from None
    w, s, e, n = _THAI_BOX
    if not (s <= y <= n and w <= x <= e):
        hint = " — latitude and longitude look swapped" if (s <= x <= n and w <= y <= e) else ""
        raise bad(
            f"{y}, {x} is outside Thailand{hint}",
            "lat",
            "write decimal degrees (WGS84): latitude 5.5–20.5, longitude 97.3–105.7",
        )
    return Point(x, y)


_DEMO_PLAN: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    (
        "1. พัฒนาโครงสร้างพื้นฐานและพื้นที่สีเขียว",
        "ปลูกแนวกันชนสีเขียวรอบนิคมอุตสาหกรรม",
        "สัดส่วนพื้นที่สีเขียว/แนวกันชน",
        "≥ 10% ของพื้นที่",
        "2,500,000",
        "สำนักงานอุตสาหกรรมจังหวัด",
        "2568-2569",
        "กำลังดำเนินการ",
    ),
    (
        "1. พัฒนาโครงสร้างพื้นฐานและพื้นที่สีเขียว",
        "ปรับปรุงระบบบำบัดน้ำเสียส่วนกลาง",
        "น้ำทิ้งผ่านเกณฑ์มาตรฐาน",
        "100% ของการตรวจวัด",
        "12,000,000",
        "การนิคมอุตสาหกรรมแห่งประเทศไทย",
        "2568-2570",
        "วางแผน",
    ),
    (
        "2. การใช้ทรัพยากรอย่างคุ้มค่าและการแลกเปลี่ยนของเสีย",
        "เครือข่ายแลกเปลี่ยนเถ้าและตะกรันสู่ปูนซีเมนต์",
        "ปริมาณของเสียที่นำกลับมาใช้",
        "5,000 ตัน/ปี",
        "800,000",
        "กรมโรงงานอุตสาหกรรม",
        "2568",
        "กำลังดำเนินการ",
    ),
    (
        "2. การใช้ทรัพยากรอย่างคุ้มค่าและการแลกเปลี่ยนของเสีย",
        "ส่งเสริมการนำชีวมวลเกษตรไปผลิตพลังงาน",
        "ชีวมวลที่นำไปใช้",
        "20,000 ตัน/ปี",
        "1,200,000",
        "สำนักงานพลังงานจังหวัด",
        "2568-2569",
        "วางแผน",
    ),
    (
        "3. ความปลอดภัยและการอยู่ร่วมกับชุมชน",
        "ระบบเตือนภัยและแผนฉุกเฉินสารเคมีสำหรับชุมชน",
        "ชุมชนในรัศมี 5 กม. มีแผนฉุกเฉิน",
        "100% ของชุมชนเสี่ยง",
        "3,500,000",
        "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด",
        "2568-2569",
        "ล่าช้า",
    ),
    (
        "3. ความปลอดภัยและการอยู่ร่วมกับชุมชน",
        "ตรวจวัดคุณภาพอากาศรอบพื้นที่อุตสาหกรรม",
        "จำนวนสถานีตรวจวัด",
        "3 สถานี",
        "4,000,000",
        "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด",
        "2567-2568",
        "แล้วเสร็จ",
    ),
    (
        "4. การบริหารจัดการและธรรมาภิบาล",
        "อบรมระบบการจัดการสิ่งแวดล้อมและ CSR-DIW",
        "โรงงานที่ผ่านการอบรม",
        "≥ 30 โรงงาน",
        "600,000",
        "กรมโรงงานอุตสาหกรรม",
        "2568",
        "กำลังดำเนินการ",
    ),
    (
        "4. การบริหารจัดการและธรรมาภิบาล",
        "ศึกษาดูงานเมืองอุตสาหกรรมเชิงนิเวศ",
        "โรงงานที่เข้าร่วม",
        "≥ 30 โรงงาน",
        "450,000",
        "สำนักงานอุตสาหกรรมจังหวัด",
        "2569",
        "วางแผน",
    ),
)


def demo_action_plan(pro_code: str, zones: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """An *illustrative* action-plan file (text cells, Thai headers) for province ``pro_code``.

    Projects tied to a place (green buffer, wastewater plant, air monitoring, ash exchange)
    are located at the representative points of the given industrial zones.
    """
    points: list[Point] = []
    if zones is not None and len(zones):
        points = list(zones.geometry.representative_point())
    located = {0: 0, 1: 0, 2: 1, 5: 2}
    rows = []
    for i, (strategy, project, indicator, target, budget, agency, timeline, status) in enumerate(
        _DEMO_PLAN
    ):
        lat = lon = ""
        if points and i in located:
            p = points[located[i] % len(points)]
            lat, lon = f"{p.y:.5f}", f"{p.x:.5f}"
        rows.append(
            {
                "รหัสโครงการ": f"AP-{pro_code}-{i + 1:02d}",
                "จังหวัด": pro_code,
                "ยุทธศาสตร์": strategy,
                "โครงการ": project + " (ตัวอย่าง)",
                "ตัวชี้วัด": indicator,
                "เป้าหมาย": target,
                "งบประมาณ (บาท)": budget,
                "หน่วยงานรับผิดชอบ": agency,
                "ระยะเวลา": timeline,
                "สถานะ": status,
                "ละติจูด": lat,
                "ลองจิจูด": lon,
            }
        )
    return pd.DataFrame(rows, dtype="string")
