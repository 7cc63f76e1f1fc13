"""The demo's ILLUSTRATIVE activity ledger: a programme year's meetings, training and consulting.

Written the way planners keep it — a file of sign-in sheets (one activity after another,
its details on its first row, then one row per attending factory with the people it
sent, and rows for officials and community members) and a consulting log (one row per
factory visit with the man-days) — and recorded through the importer
(:func:`ecogis.importers.activities.parse_activities`), exactly what
``ecogis import activities FILE`` does.

The ledger meets some TOR targets and misses others, so ``ecogis programme`` has both to
show: province 25 has four committee meetings and a workshop of 64 people (met); 30
factories are trained (met) but only 24 go on the study tour (missed); 15 factories get
52.5 man-days of in-depth consulting (missed: 60) with a report recorded (met); two
emergency drills are held with communities. The trained factories are the programme
year's (:func:`ecogis.tasks.compliance.illustrative_programme_year`): the 30 top-ranked of
the baseline gap list, the assessed area's first. None of it is real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ecogis import compliance as comp
from ecogis.importers.activities import parse_activities
from ecogis.importers.csvout import write_csv
from ecogis.importers.tabular import read_table
from ecogis.workspace import Workspace

BASELINE = "2025-01-15"
"""The demo's baseline assessment date (the gap list that picks the trained factories)."""

SIGNIN_FILE = "activities_signin_sheets_ILLUSTRATIVE.csv"
CONSULTING_FILE = "activities_consulting_log_ILLUSTRATIVE.csv"

SIGNIN_COLUMNS = [
    "รหัสกิจกรรม",
    "ประเภทกิจกรรม",
    "วันที่",
    "จังหวัด",
    "พื้นที่",
    "ชื่อกิจกรรม",
    "ชื่อกิจกรรม (อังกฤษ)",
    "สถานที่",
    "หลักฐาน",
    "ชุมชนที่เข้าร่วม",
    "เลขทะเบียนโรงงาน",
    "หน่วยงาน",
    "จำนวนคน",
]
"""A sign-in sheet's headers as a Thai planner writes them (หน่วยงาน is not imported)."""

_VENUE = "ห้องประชุมสำนักงานอุตสาหกรรมจังหวัดปราจีนบุรี (ตัวอย่าง)"


def trained_factories(ws: Workspace, area_factory_ids: set[str], n: int = 30) -> list[str]:
    """Pick the ``n`` factories the programme year trains: the baseline gap list, area first.

    The same choice as :func:`ecogis.tasks.compliance.illustrative_programme_year` makes:
    the gap list on :data:`BASELINE` ranked by :func:`ecogis.compliance.rank_gaps`, the
    assessed area's factories before the others.

    Parameters
    ----------
    ws
        The demo workspace (``factories``; ``compliance``, ``material_flows``,
        ``risk_factories`` and ``communities`` when present).
    area_factory_ids
        The ``factory_id`` values of the assessed area's factories.
    n
        How many factories to train (default 30).

    Returns
    -------
    list of str
        Up to ``n`` factory IDs, in gap-list order.
    """
    factories = ws.read("factories")
    status = comp.factory_compliance(
        factories,
        ws.read_if_present("compliance"),
        requirements=comp.load_requirements(),
        as_of=BASELINE,
        flows=ws.read_if_present("material_flows"),
    )
    gaps, _ = comp.rank_gaps(
        factories,
        status,
        risk_factories=ws.read_if_present("risk_factories"),
        communities=ws.read_if_present("communities"),
    )
    order = gaps.assign(_later=~gaps["factory_id"].isin(area_factory_ids))
    order = order.sort_values(["_later", "rank"], kind="stable")
    return [str(f) for f in order["factory_id"].head(n)]


def _activity(
    aid: str, kind: str, date: str, zone: str | None, th: str, en: str, evidence: str, **more: Any
) -> dict[str, Any]:
    return {
        "รหัสกิจกรรม": aid,
        "ประเภทกิจกรรม": kind,
        "วันที่": date,
        "จังหวัด": "ปราจีนบุรี",
        "พื้นที่": zone or "",
        "ชื่อกิจกรรม": th,
        "ชื่อกิจกรรม (อังกฤษ)": en,
        "สถานที่": more.get("venue", _VENUE),
        "หลักฐาน": f"ILLUSTRATIVE: {evidence}",
        "ชุมชนที่เข้าร่วม": more.get("communities", ""),
    }


def _attendees(factories: list[str], persons: list[int]) -> list[dict[str, Any]]:
    return [
        {"เลขทะเบียนโรงงาน": f, "หน่วยงาน": "ผู้แทนโรงงาน", "จำนวนคน": p}
        for f, p in zip(factories, persons, strict=True)
    ]


def _others(org: str, persons: int) -> dict[str, Any]:
    return {"หน่วยงาน": org, "จำนวนคน": persons}


def signin_sheets(trained: list[str], zone: str, villages: list[str]) -> pd.DataFrame:
    """Build the year's sign-in sheets, one activity after another (its details on its first row).

    Parameters
    ----------
    trained
        The trained factories' IDs (from :func:`trained_factories`; at least 24).
    zone
        The assessed area's ``zone_id``, written in ``พื้นที่`` of the area's activities.
    villages
        Thai names of four villages that join the emergency drills (two per drill).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SIGNIN_COLUMNS`: an activity's details on its first row, then one
        row per attending factory or group with ``จำนวนคน`` (people).
    """
    rows: list[dict[str, Any]] = []

    def add(activity: dict[str, Any], people: list[dict[str, Any]]) -> None:
        rows.append({**activity, **people[0]})
        rows.extend(people[1:])

    officials = _others("สำนักงานอุตสาหกรรมจังหวัดปราจีนบุรี", 4)
    for i, (date, n) in enumerate(
        (("2024-11-20", 14), ("2025-03-10", 16), ("2025-08-25", 15), ("2025-12-05", 17)), start=1
    ):
        add(
            _activity(
                f"DEMO-CM-{i:02d}",
                "ประชุมคณะกรรมการ",
                date,
                None,
                f"ประชุมคณะกรรมการเมืองอุตสาหกรรมเชิงนิเวศจังหวัดปราจีนบุรี ครั้งที่ {i}",
                f"Prachin Buri eco-industrial town committee, meeting {i}",
                f"รายงานการประชุมคณะกรรมการ ครั้งที่ {i}",
            ),
            [officials, _others("คณะกรรมการ (ภาครัฐ เอกชน ชุมชน)", n)],
        )
    add(
        _activity(
            "DEMO-WS-01",
            "ประชุมเชิงปฏิบัติการ",
            "2025-05-15",
            None,
            "ประชุมเชิงปฏิบัติการจัดทำแผนปฏิบัติการเมืองอุตสาหกรรมเชิงนิเวศ",
            "Workshop on the eco-industrial town action plan",
            "ใบลงทะเบียนและภาพถ่ายการประชุมเชิงปฏิบัติการ",
        ),
        [
            *_attendees(trained[:20], [2] * 20),
            officials,
            _others("ผู้แทนชุมชนรอบพื้นที่อุตสาหกรรม", 12),
            _others("องค์กรปกครองส่วนท้องถิ่น", 8),
        ],
    )
    for i, (date, group) in enumerate(
        (("2025-02-18", trained[:15]), ("2025-03-12", trained[15:])), 1
    ):
        add(
            _activity(
                f"DEMO-TR-{i:02d}",
                "ฝึกอบรม",
                date,
                zone,
                f"ฝึกอบรมระบบการจัดการสิ่งแวดล้อมและความปลอดภัย รุ่นที่ {i}",
                f"Training in environmental and safety management, session {i}",
                f"ใบลงทะเบียนการฝึกอบรม รุ่นที่ {i}",
            ),
            [*_attendees(group, [2 if k % 3 else 1 for k in range(len(group))]), officials],
        )
    add(
        _activity(
            "DEMO-ST-01",
            "ศึกษาดูงาน",
            "2025-06-20",
            zone,
            "ศึกษาดูงานโรงงานต้นแบบอุตสาหกรรมเชิงนิเวศ",
            "Study tour to model eco-industrial factories",
            "รายงานการศึกษาดูงานพร้อมใบลงทะเบียน",
            venue="โรงงานต้นแบบ (ตัวอย่าง)",
        ),
        [*_attendees(trained[:24], [1] * 24), officials],
    )
    for i, (date, near) in enumerate(
        (("2025-07-08", villages[:2]), ("2025-10-14", villages[2:4])), 1
    ):
        add(
            _activity(
                f"DEMO-DR-{i:02d}",
                "ซ้อมแผนฉุกเฉิน",
                date,
                zone,
                f"ซ้อมแผนฉุกเฉินสารเคมีรั่วไหลร่วมกับชุมชน ครั้งที่ {i}",
                f"Chemical-leak emergency drill with the communities, drill {i}",
                f"รายงานผลการซ้อมแผน ครั้งที่ {i}",
                communities="; ".join(near),
            ),
            [*_attendees(trained[:3], [6, 4, 4]), _others("ชุมชน", 30), officials],
        )
    return pd.DataFrame(rows, columns=SIGNIN_COLUMNS)


def consulting_log(consulted: list[str], zone: str) -> pd.DataFrame:
    """Build the consulting log: two visits per factory (1.5 and 2 man-days), one report.

    Parameters
    ----------
    consulted
        The consulted factories' IDs.
    zone
        The assessed area's ``zone_id``.

    Returns
    -------
    pandas.DataFrame
        Two rows per factory (April and August 2025) with Thai headers, ``คน-วัน``
        (man-days) and, on the last visit only, the report in ``รายงานผลกิจกรรม``.
    """
    rows = []
    for visit, (month, days) in enumerate((("04", 1.5), ("08", 2.0)), start=1):
        for k, fid in enumerate(consulted):
            rows.append(
                {
                    "ประเภทกิจกรรม": "ให้คำปรึกษาเชิงลึก",
                    "วันที่": f"2025-{month}-{2 + k:02d}",
                    "จังหวัด": "25",
                    "พื้นที่": zone,
                    "ชื่อกิจกรรม": f"ให้คำปรึกษาเชิงลึก ครั้งที่ {visit}",
                    "ชื่อกิจกรรม (อังกฤษ)": f"In-depth consulting, visit {visit}",
                    "เลขทะเบียนโรงงาน": fid,
                    "คน-วัน": days,
                    "หลักฐาน": "ILLUSTRATIVE: บันทึกการเข้าให้คำปรึกษา",
                    "รายงานผลกิจกรรม": (
                        "ILLUSTRATIVE: CR-2568-01 รายงานการให้คำปรึกษาเชิงลึก"
                        if visit == 2 and k == len(consulted) - 1
                        else ""
                    ),
                }
            )
    return pd.DataFrame(rows)


def record_illustrative_ledger(
    ws: Workspace, out_dir: Path, *, zone: str, area_factory_ids: set[str]
) -> list[str]:
    """Write the demo's sign-in sheets and consulting log, and import them into ``ws``.

    Parameters
    ----------
    ws
        The demo workspace; its ``activities`` and ``activity_factories`` are replaced.
    out_dir
        The folder the two CSV files are written to.
    zone
        The assessed area's ``zone_id``.
    area_factory_ids
        The ``factory_id`` values of the assessed area's factories (trained first).

    Returns
    -------
    list of str
        One line for the demo's report: activities, factories attending, consulting
        man-days and the files imported.
    """
    trained = trained_factories(ws, area_factory_ids)
    villages = ws.read("communities")
    names = [str(n) for n in villages.loc[villages["kind"] == "village", "name_th"].head(4)]
    sheets = {
        SIGNIN_FILE: signin_sheets(trained, zone, names),
        CONSULTING_FILE: consulting_log(trained[:15], zone),
    }
    known = set(ws.read("factories", columns=["factory_id"])["factory_id"])
    parsed = []
    for name, frame in sheets.items():
        path = out_dir / name
        write_csv(frame, path)
        parsed.append(parse_activities(read_table(path), source=name, known_factory_ids=known))
    activities = pd.concat([p["activities"] for p in parsed], ignore_index=True)
    attendance = pd.concat([p["activity_factories"] for p in parsed], ignore_index=True)
    with ws.batch():
        ws.write("activities", activities)
        ws.write("activity_factories", attendance)
    days = attendance["man_days"].sum()
    return [
        f"  ILLUSTRATIVE activity ledger: {len(activities)} activities, "
        f"{attendance['factory_id'].nunique()} factories attending, {days:g} consulting "
        f"man-days → {SIGNIN_FILE}, {CONSULTING_FILE} imported (as 'ecogis import "
        "activities FILE' does)"
    ]
