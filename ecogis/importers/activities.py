"""The programme's activity ledger: sign-in sheets and consulting logs → two tables.

Planners keep the ledger as spreadsheets: a **sign-in sheet** per activity (one row per
attending factory with the people it sent, plus rows for other participants), and a
**consulting log** (one row per factory visit, with the man-days given). Both are one
table with the activity's columns (kind, date, province, title …) and the attendance
columns (registration number, persons, man-days). An activity's columns may be written
on its first row only: a following row whose activity columns are all blank belongs to
the same activity, as when a planner merges those cells.

:func:`parse_activities` returns the ``activities`` layer (one row per activity) and the
``activity_factories`` table (one row per factory × activity). Names of the people who
signed (a sign-in sheet's ``ชื่อ-สกุล`` column) are never read: the ledger keeps counts,
not personal data.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.errors import DataValidationError, InputFileError
from ecogis.importers.base import parse_date, parse_number, province_code
from ecogis.importers.cells import normalise_key
from ecogis.importers.tabular import key_notes, normalise_headers, table_records

LAYER = "activities"
ATTENDANCE_LAYER = "activity_factories"

KINDS = tuple(schema.contract(LAYER).field("kind").values or ())
"""The activity kinds (from ``layers/activities.toml``)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "activity_id": ("activity_id", "id", "รหัสกิจกรรม", "รหัส", "activity no", "เลขที่กิจกรรม"),
    "kind": ("kind", "type", "activity_kind", "activity type", "ประเภท", "ประเภทกิจกรรม"),
    "date": ("date", "วันที่", "วันที่จัด", "วันที่จัดกิจกรรม", "วันที่เข้าให้คำปรึกษา"),
    "pro_code": ("pro_code", "province", "province_code", "จังหวัด", "รหัสจังหวัด"),
    "zone_id": ("zone_id", "area", "zone", "พื้นที่", "พื้นที่อุตสาหกรรม", "พื้นที่เป้าหมาย"),
    "title_th": ("title_th", "title", "ชื่อกิจกรรม", "หัวข้อ", "กิจกรรม", "เรื่อง"),
    "title_en": ("title_en", "title (english)", "english title", "ชื่อกิจกรรม (อังกฤษ)"),
    "participants": (
        "participants",
        "participants_count",
        "จำนวนผู้เข้าร่วม",
        "จำนวนผู้เข้าร่วม (คน)",
        "ผู้เข้าร่วมทั้งหมด",
    ),
    "venue": ("venue", "place", "สถานที่", "สถานที่จัด"),
    "evidence": ("evidence", "หลักฐาน", "เอกสารอ้างอิง", "หลักฐาน (เอกสารอ้างอิง)"),
    "report": ("report", "รายงาน", "รายงานผล", "รายงานการให้คำปรึกษา", "รายงานผลกิจกรรม"),
    "communities": ("communities", "ชุมชน", "ชุมชนที่เข้าร่วม"),
    "factory_id": ("factory_id", "registration_no", "dispfacreg", "เลขทะเบียน", "เลขทะเบียนโรงงาน"),
    "persons": ("persons", "people", "จำนวนคน", "จำนวน (คน)", "ผู้เข้าร่วม (คน)"),
    "man_days": (
        "man_days",
        "man-days",
        "man days",
        "person_days",
        "person-days",
        "คน-วัน",
        "จำนวนคน-วัน",
        "วันทำงาน",
        "จำนวนวันทำงาน",
    ),
}
"""Accepted headers for each field of the two tables (compared by
:func:`~ecogis.importers.tabular.normalise_headers`: case, spaces and ``_`` do not matter)."""

REQUIRED = ("kind", "date", "pro_code", "title_th")
"""Columns every ledger file has (a sign-in sheet may leave them blank below the first row)."""

_ACTIVITY_FIELDS = (
    "activity_id",
    "kind",
    "date",
    "pro_code",
    "zone_id",
    "title_th",
    "title_en",
    "participants",
    "venue",
    "evidence",
    "report",
    "communities",
)
_IDENTITY = ("activity_id", "kind", "date", "title_th")
"""A row whose identity cells are all blank continues the activity above it."""

KIND_WORDS: dict[str, str] = {
    **{k: k for k in KINDS},
    "committee": "committee_meeting",
    "committee meeting": "committee_meeting",
    "working group meeting": "committee_meeting",
    "ประชุมคณะกรรมการ": "committee_meeting",
    "การประชุมคณะกรรมการ": "committee_meeting",
    "ประชุมคณะทำงาน": "committee_meeting",
    "การประชุมคณะทำงาน": "committee_meeting",
    "คณะกรรมการ": "committee_meeting",
    "ประชุมเชิงปฏิบัติการ": "workshop",
    "การประชุมเชิงปฏิบัติการ": "workshop",
    "สัมมนาเชิงปฏิบัติการ": "workshop",
    "สัมมนา": "workshop",
    "ฝึกอบรม": "training",
    "อบรม": "training",
    "การฝึกอบรม": "training",
    "study tour": "study_tour",
    "ศึกษาดูงาน": "study_tour",
    "การศึกษาดูงาน": "study_tour",
    "ดูงาน": "study_tour",
    "consultation": "consulting",
    "in-depth consulting": "consulting",
    "ให้คำปรึกษา": "consulting",
    "การให้คำปรึกษา": "consulting",
    "ให้คำปรึกษาเชิงลึก": "consulting",
    "การให้คำปรึกษาเชิงลึก": "consulting",
    "ที่ปรึกษา": "consulting",
    "emergency drill": "emergency_drill",
    "drill": "emergency_drill",
    "ซ้อมแผนฉุกเฉิน": "emergency_drill",
    "การซ้อมแผนฉุกเฉิน": "emergency_drill",
    "ซ้อมแผน": "emergency_drill",
    "อื่นๆ": "other",
    "อื่น ๆ": "other",
    "อื่น": "other",
}
"""Words planners write in the kind column → the contract value."""

_ID_PREFIX = {
    "committee_meeting": "CM",
    "workshop": "WS",
    "training": "TR",
    "study_tour": "ST",
    "consulting": "CO",
    "emergency_drill": "DR",
    "other": "OT",
}


def _norm(text: Any) -> str:
    """Normalise a kind word as looked up in :data:`KIND_WORDS`."""
    return re.sub(r"[\s_]+", " ", str(text).replace("\ufeff", "")).strip().lower()


@dataclass
class _Activity:
    """One activity while its rows are read."""

    values: dict[str, Any]
    first_row: int
    participants_row: int | None = None
    persons_listed: int = 0
    factories: dict[str, int] = field(default_factory=dict)  # factory → row


def activity_id(kind: str, date: str, title: str, pro_code: str, zone_id: str | None) -> str:
    """Make a stable id for an activity the file gives no id for (the same on every re-import).

    ``<kind prefix>-<YYYYMMDD>-<6 hex digits of the title, province and zone>``, e.g.
    ``TR-20250312-4f1a2c``.

    Parameters
    ----------
    kind : str
        The contract's activity kind (a key of the prefix table: ``training`` → ``TR``,
        ``consulting`` → ``CO`` …).
    date : str
        The activity's date as ``YYYY-MM-DD``; its digits become the middle part.
    title : str
        The Thai title (``title_th``), hashed with the province and zone.
    pro_code : str
        The 2-digit province code.
    zone_id : str or None
        The zone of the activity; ``None`` hashes as an empty text.

    Returns
    -------
    str
        The id, e.g. ``TR-20250312-4f1a2c`` (SHA-1 of title, province and zone, first 6 hex
        digits).

    Raises
    ------
    KeyError
        ``kind`` is not one of the contract's kinds.
    """
    digest = hashlib.sha1(f"{title}\x1f{pro_code}\x1f{zone_id or ''}".encode()).hexdigest()
    return f"{_ID_PREFIX[kind]}-{date.replace('-', '')}-{digest[:6]}"


def parse_activities(
    raw: pd.DataFrame, *, source: str, known_factory_ids: set[str] | None
) -> dict[str, pd.DataFrame]:
    """Turn a sign-in sheet or consulting log (every cell as text) into the ledger tables.

    Parameters
    ----------
    raw
        The file as read by :func:`ecogis.importers.read_table`; headers Thai or English
        (:data:`COLUMNS`); the index holds spreadsheet row numbers (header = row 1).
    source
        File name for messages and the ``source`` field.
    known_factory_ids
        Registration numbers of the workspace's factories (``None`` skips the check).

    Returns
    -------
    dict
        ``{"activities": DataFrame, "activity_factories": DataFrame}``, both shaped like
        their contracts. ``participants`` is the sheet's figure, else the people counted
        on the activity's rows (a factory row without persons counts one person).

    Raises
    ------
    InputFileError
        A required column is missing.
    DataValidationError
        Naming the spreadsheet row and column: an unknown kind, province or factory, a
        date that is not a date, a negative or non-numeric count or man-days, man-days on
        an activity that is not consulting, a factory listed twice in one activity, two
        rows of one activity that disagree, fewer participants than the rows list.
    """
    cols = normalise_headers(raw, COLUMNS, source=source, required=REQUIRED)
    activities: dict[str, _Activity] = {}
    attendance: list[dict[str, Any]] = []
    current: _Activity | None = None
    for rec in table_records(raw, cols, source=source):  # blank lines left out
        rownum = rec.row
        cells = {f: rec.text(f) for f in cols}
        if "factory_id" in cols:  # one factory is one key (Thai digits, invisible characters)
            key = normalise_key(rec.raw("factory_id"))
            cells["factory_id"] = "" if key is pd.NA else str(key)

        def bad(fld: str, what: str, fix: str, _row: int = rownum) -> DataValidationError:
            return DataValidationError(
                what, source=source, row=_row, field=cols.get(fld, fld), fix=fix
            )

        if any(cells.get(f) for f in _IDENTITY):
            current = _activity_row(cells, rownum, activities, bad, source=source, cols=cols)
        elif current is None:
            raise bad(
                "kind",
                "the row has no activity (kind, date and title are blank) and no activity above it",
                "fill in the activity's kind, date, province and title on its first row",
            )
        _attendance_row(cells, rownum, current, attendance, bad, known_factory_ids)
    if not activities:
        raise InputFileError(
            "the ledger has no activity rows",
            source=source,
            fix="fill in at least one row with kind, date, province and title",
        )
    ledger = _activities_frame(activities, Path(source).name)
    ledger.attrs["notes"] = key_notes(raw, cols)
    return {LAYER: ledger, ATTENDANCE_LAYER: _attendance_frame(attendance, Path(source).name)}


def _activity_row(
    cells: dict[str, str],
    rownum: int,
    activities: dict[str, _Activity],
    bad: Any,
    *,
    source: str,
    cols: dict[str, str],
) -> _Activity:
    """Read the activity columns of a row; merge with an earlier row of the same activity."""
    given_id = cells.get("activity_id", "")
    known = activities.get(given_id) if given_id else None
    parsed = _activity_cells(cells, rownum, bad, source=source, cols=cols)
    if known is None:
        _require_first_row(parsed, bad)
        aid = given_id or activity_id(
            parsed["kind"],
            parsed["date"],
            parsed["title_th"],
            parsed["pro_code"],
            parsed.get("zone_id"),
        )
        known = activities.get(aid)
        if known is None:
            act = _Activity(values={"activity_id": aid, **parsed}, first_row=rownum)
            if "participants" in parsed:
                act.participants_row = rownum
            activities[aid] = act
            return act
    _merge_activity(known, parsed, rownum, bad)
    return known


def _activity_cells(
    cells: dict[str, str], rownum: int, bad: Any, *, source: str, cols: dict[str, str]
) -> dict[str, Any]:
    """Parse the activity columns a row fills in (kind word → contract value, date, code)."""
    parsed: dict[str, Any] = {}
    if cells.get("kind"):
        kind = KIND_WORDS.get(_norm(cells["kind"]))
        if kind is None:
            raise bad(
                "kind",
                f"unknown activity kind {cells['kind']!r}",
                f"use one of {', '.join(KINDS)} (or ประชุมคณะกรรมการ, ประชุมเชิงปฏิบัติการ, "
                "ฝึกอบรม, ศึกษาดูงาน, ให้คำปรึกษาเชิงลึก, ซ้อมแผนฉุกเฉิน, อื่นๆ)",
            )
        parsed["kind"] = kind
    if cells.get("date"):
        try:
            parsed["date"] = parse_date(cells["date"])
        except ValueError as exc:
            raise bad(
                "date",
                str(exc),
                "write the date as YYYY-MM-DD (2025-03-12), d/m/yyyy (12/03/2568 in the "
                "Buddhist Era works) or '12 มี.ค. 2568'",
            ) from None
    if cells.get("pro_code"):
        parsed["pro_code"] = province_code(
            cells["pro_code"], source=source, row=rownum, field=cols["pro_code"]
        )
    for fld in ("zone_id", "title_th", "title_en", "venue", "evidence", "report", "communities"):
        if cells.get(fld):
            parsed[fld] = cells[fld]
    if cells.get("participants"):
        parsed["participants"] = _count(cells["participants"], "participants", bad)
    return parsed


def _require_first_row(parsed: dict[str, Any], bad: Any) -> None:
    """Refuse an activity's first row that lacks its kind, date, province or title."""
    for fld, what in (("kind", "kind"), ("date", "date"), ("pro_code", "province")):
        if fld not in parsed:
            raise bad(fld, f"the activity's {what} is empty", f"fill in the {what}")
    if "title_th" not in parsed:
        raise bad("title_th", "the activity's title is empty", "fill in the title")


def _merge_activity(known: _Activity, parsed: dict[str, Any], rownum: int, bad: Any) -> None:
    """Add a following row's values to its activity; refuse a value that differs."""
    for fld, value in parsed.items():
        before = known.values.get(fld)
        if before is None:
            known.values[fld] = value
            if fld == "participants":
                known.participants_row = rownum
        elif before != value:
            raise bad(
                fld,
                f"activity {known.values['activity_id']} has {fld} {before!r} on row "
                f"{known.first_row} but {value!r} here",
                "write the activity's details once (on its first row) or the same on every row",
            )


def _attendance_row(
    cells: dict[str, str],
    rownum: int,
    act: _Activity,
    attendance: list[dict[str, Any]],
    bad: Any,
    known_factory_ids: set[str] | None,
) -> None:
    """Read the attendance columns of a row into ``attendance`` (and the people count)."""
    key = normalise_key(cells.get("factory_id"))  # the importers' one key rule
    fid = "" if key is pd.NA else str(key)
    persons_text = cells.get("persons", "")
    days_text = cells.get("man_days", "")
    persons = _count(persons_text, "persons", bad) if persons_text else None
    days: float | None = None
    if days_text:
        try:
            days = parse_number(days_text)
        except ValueError:
            raise bad(
                "man_days",
                f"{days_text!r} is not a number of man-days",
                "write the man-days as a number, e.g. 2 or 0.5",
            ) from None
        if not np.isfinite(days) or days < 0:
            raise bad(
                "man_days",
                f"{days_text!r} man-days is negative"
                if days < 0
                else f"{days_text!r} is not finite",
                "man-days are 0 or more (one consultant for one day = 1)",
            )
        if days > 0 and act.values.get("kind") != "consulting":
            raise bad(
                "man_days",
                f"man-days given for a {act.values.get('kind')} activity",
                "man-days count in-depth consulting only: set the kind to consulting, or "
                "leave man-days blank",
            )
    if not fid:
        if days:
            raise bad(
                "factory_id",
                "man-days without a factory",
                "write the registration number of the factory consulted",
            )
        # officials, community members, guests: they count as participants only
        act.persons_listed += persons or 0
        return
    if known_factory_ids is not None and fid not in known_factory_ids:
        raise bad(
            "factory_id",
            f"factory {fid!r} is not in the workspace's factories",
            "correct the registration number, or import the factory first with "
            "'ecogis import factories'",
        )
    if fid in act.factories:
        raise bad(
            "factory_id",
            f"factory {fid} is listed twice in activity {act.values['activity_id']} "
            f"(first on row {act.factories[fid]})",
            "keep one row per factory and activity, with the number of people in the persons "
            "column",
        )
    act.factories[fid] = rownum
    n = persons if persons is not None else 1
    act.persons_listed += n
    attendance.append(
        {
            "activity_id": act.values["activity_id"],
            "factory_id": fid,
            "persons": n,
            "man_days": days,
        }
    )


def _count(text: str, fld: str, bad: Any) -> int:
    try:
        value = parse_number(text)
    except ValueError:
        raise bad(fld, f"{text!r} is not a number of people", "write a whole number") from None
    if not np.isfinite(value) or value < 0 or not float(value).is_integer():
        raise bad(fld, f"{text!r} is not a number of people", "write a whole number, 0 or more")
    return int(value)


def _activities_frame(activities: dict[str, _Activity], source: str) -> pd.DataFrame:
    rows = []
    for act in activities.values():
        given = act.values.get("participants")
        if given is not None and given < act.persons_listed:
            raise DataValidationError(
                f"activity {act.values['activity_id']}: {given} participants, but its rows "
                f"list {act.persons_listed} people",
                source=source,
                row=act.participants_row or act.first_row,
                field="participants",
                fix="correct the participants count, or the persons of the rows",
            )
        listed = act.persons_listed if act.persons_listed else None
        rows.append(
            {
                **{f: act.values.get(f) for f in _ACTIVITY_FIELDS},
                "participants": given if given is not None else listed,
                "source": source,
            }
        )
    contract = schema.contract(LAYER)
    frame = pd.DataFrame(rows, columns=contract.field_names)
    return schema.coerce_dtypes(frame, contract)


def _attendance_frame(rows: list[dict[str, Any]], source: str) -> pd.DataFrame:
    contract = schema.contract(ATTENDANCE_LAYER)
    frame = pd.DataFrame(rows, columns=contract.field_names)
    frame["source"] = source
    return schema.coerce_dtypes(frame, contract)
