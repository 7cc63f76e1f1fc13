"""Provincial action plans: the illustrative plan of the demo, and the importer's names.

The planners' files are parsed by :func:`ecogis.importers.actionplan.parse_action_plan`
(``ecogis import actionplan FILE``); its names are importable from here as before.
:func:`demo_action_plan` writes an *illustrative* plan for the demo workspace.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from ecogis.importers.actionplan import COLUMNS, REQUIRED, STATUS_WORDS, parse_action_plan

__all__ = ["COLUMNS", "REQUIRED", "STATUS_WORDS", "demo_action_plan", "parse_action_plan"]


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
    """Make an *illustrative* action-plan file (text cells, Thai headers) for province ``pro_code``.

    Projects tied to a place (green buffer, wastewater plant, air monitoring, ash exchange)
    are located at the representative points of the given industrial zones.

    Parameters
    ----------
    pro_code
        The province's two-digit code (e.g. ``"21"``); it goes into each project ID
        (``AP-<pro_code>-01`` …) and the ``จังหวัด`` column.
    zones
        The province's industrial zones in EPSG:4326; ``None`` (the default) or an empty
        frame leaves every project without a location. With fewer zones than located
        projects, the zones are used in turn.

    Returns
    -------
    pandas.DataFrame
        Eight rows, every cell ``string`` dtype (as a planner's spreadsheet is read), with
        the Thai headers of the action-plan form: ``รหัสโครงการ``, ``จังหวัด``,
        ``ยุทธศาสตร์``, ``โครงการ`` (each marked ``(ตัวอย่าง)``), ``ตัวชี้วัด``, ``เป้าหมาย``,
        ``งบประมาณ (บาท)`` (baht, written with thousands separators), ``หน่วยงานรับผิดชอบ``,
        ``ระยะเวลา`` (Buddhist-era years), ``สถานะ``, ``ละติจูด`` and ``ลองจิจูด`` (degrees,
        five decimals; empty for a project not tied to a place).
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
