"""A planner's compliance sheet → rows of the ``compliance`` table.

One row per factory and requirement: a status (``มี``, ``yes``, ``หมดอายุ`` …), an optional
level (Green Industry GI1–GI5, the CSR-DIW award year), issue and validity dates, evidence and
a source. The statuses, fields and required columns come from ``layers/compliance.toml``; the
requirements from the catalogue (:func:`ecogis.catalogue.requirements.load_requirements`).
What a status means on a date is :mod:`ecogis.compliance.status`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis import schema
from ecogis.catalogue.requirements import Requirement, load_requirements
from ecogis.errors import DataValidationError
from ecogis.importers.cells import is_blank, normalise_key
from ecogis.importers.dates import parse_date as _parse_any_date
from ecogis.importers.tabular import TableRecord, key_notes, normalise_headers, table_records

LAYER = "compliance"

STATUS_WORDS: dict[str, str] = {
    "yes": "yes", "y": "yes", "1": "yes", "true": "yes", "valid": "yes", "certified": "yes",
    "มี": "yes", "ผ่าน": "yes", "ได้รับ": "yes", "ได้รับการรับรอง": "yes", "ใช่": "yes",
    "no": "no", "n": "no", "0": "no", "false": "no", "none": "no", "ไม่มี": "no",
    "ไม่ผ่าน": "no", "ไม่ได้รับ": "no",
    "expired": "expired", "หมดอายุ": "expired",
    "in_progress": "in_progress", "in progress": "in_progress", "pending": "in_progress",
    "อยู่ระหว่างดำเนินการ": "in_progress", "กำลังดำเนินการ": "in_progress",
    "not_required": "not_required", "not required": "not_required", "n/a": "not_required",
    "na": "not_required", "ไม่เข้าข่าย": "not_required", "ไม่ต้องมี": "not_required",
    "unknown": "unknown", "ไม่ทราบ": "unknown",
}  # fmt: skip
"""Words planners write in the status column (lower case) → the contract's status.

The column's own words come first (``ไม่มี`` is *no* here, ``n/a`` *not required*); any other
blank cell (:func:`~ecogis.importers.cells.is_blank`) is ``unknown``."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "factory_id": ("factory_id", "registration_no", "dispfacreg", "เลขทะเบียน", "เลขทะเบียนโรงงาน"),
    "requirement": ("requirement", "ข้อกำหนด", "requirement_id"),
    "status": ("status", "สถานะ"),
    "level": ("level", "ระดับ", "year", "ปี"),
    "issued": ("issued", "issue_date", "วันที่ได้รับ"),
    "valid_until": ("valid_until", "expiry", "expiry_date", "expires", "ใช้ได้ถึง", "วันหมดอายุ"),
    "evidence": ("evidence", "หลักฐาน"),
    "source": ("source", "แหล่งข้อมูล"),
}
"""Headers a sheet may use for each field of ``compliance`` (English or Thai)."""

DATE_FIX = (
    "write the date as YYYY-MM-DD (2024-05-31), d/m/yyyy (31/05/2024 or Buddhist Era "
    "31/05/2567), '31 พ.ค. 2567', or leave the cell empty"
)

LATEST_DATE_YEAR = 2100
"""Validity ends lie ahead: a date up to this year is plausible in a compliance sheet."""


def statuses() -> tuple[str, ...]:
    """Return the statuses a compliance record may have (``layers/compliance.toml``).

    Returns
    -------
    tuple[str, ...]
        The ``status`` field's allowed values, in the contract's order (``yes``, ``no``,
        ``expired`` …).
    """
    values = schema.contract(LAYER).field("status").values
    return tuple(str(v) for v in values or ())


def parse_compliance_date(text: Any, *, source: str, row: int, field: str) -> str | None:
    """Parse a date as planners write it → ISO ``YYYY-MM-DD``; ``None`` for a blank.

    The rules are the importers' (:func:`ecogis.importers.dates.parse_date`), with dates up to
    :data:`LATEST_DATE_YEAR` accepted (validity ends lie ahead).

    Parameters
    ----------
    text : Any
        The cell as read (text, an Excel serial, a Buddhist Era date …).
    source : str
        File named in the error.
    row : int
        Spreadsheet row named in the error.
    field : str
        The file's column named in the error.

    Returns
    -------
    str or None
        The date as ``YYYY-MM-DD``; ``None`` for a blank cell or a "no date" (``0``,
        ``00/00/0000``).

    Raises
    ------
    DataValidationError
        Naming the file, row and field, when the text is not a date or is ambiguous.
    """
    try:
        return _parse_any_date(text, latest_year=LATEST_DATE_YEAR)
    except ValueError as exc:
        raise DataValidationError(
            str(exc), source=source, row=row, field=field, fix=DATE_FIX
        ) from None


def _norm_key(text: str) -> str:
    return re.sub(r"[\s_\-().]+", "", str(text).strip().lower())


def _status(rec: TableRecord) -> str:
    status = STATUS_WORDS.get(rec.word("status"))
    if status is None and is_blank(rec.raw("status")):
        status = "unknown"
    if status is None:
        raise rec.error(
            "status",
            f"unknown status {rec.text('status')!r}",
            f"use one of {', '.join(statuses())}",
        )
    return status


def _level(rec: TableRecord, req: Requirement) -> str:
    text = rec.text("level")
    if not text:
        return ""
    if req.level_kind == "GI":
        mt = re.fullmatch(r"(?:gi|ระดับ(?:ที่)?)?\s*([1-5])", text.lower())
        if not mt:
            raise rec.error("level", f"{text!r} is not a Green Industry level", "use GI1 … GI5")
        return f"GI{mt[1]}"
    if req.level_kind == "year":
        mt = re.fullmatch(r"(\d{4})(?:\.0+)?", text)
        if not mt:
            raise rec.error(
                "level", f"{text!r} is not a year", "give the award year, e.g. 2024 or 2567"
            )
        year = int(mt[1]) - (543 if int(mt[1]) > 2400 else 0)
        if not 1990 <= year <= 2100:
            raise rec.error("level", f"year {year} is out of range", "give the award year")
        return str(year)
    return text


def _date(rec: TableRecord, fld: str) -> str | None:
    return parse_compliance_date(
        rec.text(fld), source=rec.source, row=rec.row, field=rec.column(fld)
    )


def parse_compliance_records(
    raw: pd.DataFrame,
    *,
    source: str,
    known_factory_ids: set[str] | None,
    requirements: dict[str, Requirement] | None = None,
) -> pd.DataFrame:
    """Turn a planner's compliance sheet into rows of the ``compliance`` table.

    Parameters
    ----------
    raw
        The file read with every cell as text (header = spreadsheet row 1). Columns are
        matched by name, English or Thai (:data:`COLUMNS`).
    source
        The file name, used in error messages and stored in ``source`` when the sheet has
        no source column.
    known_factory_ids
        Registration numbers of the workspace's factories; ``None`` skips the check.
    requirements
        The requirement catalogue (:func:`load_requirements` by default). A requirement
        may be named by its id or its Thai or English name.

    Returns
    -------
    pandas.DataFrame
        Columns of the ``compliance`` contract; dates ISO; statuses from :func:`statuses`;
        Green Industry levels as ``GI1``–``GI5``; CSR-DIW levels as the Gregorian award year.

    Raises
    ------
    InputFileError
        A needed column is missing.
    DataValidationError
        Naming the spreadsheet row and column: an unknown factory or requirement, an
        unknown status or level, a date that is not a date, a repeated factory/requirement.
    """
    contract = schema.contract(LAYER)
    reqs = requirements if requirements is not None else load_requirements()
    by_name: dict[str, str] = {}
    for rid, r in reqs.items():
        for label in (rid, r.name_en, r.name_th):
            by_name[_norm_key(label)] = rid
    cols = normalise_headers(raw, COLUMNS, source=source, required=contract.required_fields)
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for rec in table_records(raw, cols, source=source):
        fid = normalise_key(rec.raw("factory_id"))
        if fid is pd.NA:
            raise rec.error("factory_id", "the registration number is empty", "fill it in")
        if known_factory_ids is not None and fid not in known_factory_ids:
            raise rec.error(
                "factory_id",
                f"factory {fid!r} is not in the workspace's factories",
                "correct the registration number, or import the factory first "
                "with 'ecogis import factories'",
            )
        found = by_name.get(_norm_key(rec.text("requirement")))
        if found is None:
            raise rec.error(
                "requirement",
                f"unknown requirement {rec.text('requirement')!r}",
                f"use one of {', '.join(reqs)} — or add a row to the requirement catalogue",
            )
        rid = found
        status = _status(rec)
        level = _level(rec, reqs[rid])
        issued, valid_until = _date(rec, "issued"), _date(rec, "valid_until")
        if issued and valid_until and valid_until < issued:
            raise rec.error(
                "valid_until",
                f"valid until {valid_until}, before it was issued ({issued})",
                "check the two dates",
            )
        if (fid, rid) in seen:
            raise rec.error(
                "requirement",
                f"{fid} / {rid} already given on row {seen[(fid, rid)]}",
                "keep one row per factory and requirement",
            )
        seen[(fid, rid)] = rec.row
        rows.append(
            {
                "factory_id": fid,
                "requirement": rid,
                "status": status,
                "level": level or None,
                "issued": issued,
                "valid_until": valid_until,
                "evidence": rec.text("evidence") or None,
                "source": rec.text("source") or Path(source).name,
            }
        )
    out = pd.DataFrame(rows, columns=contract.field_names).astype("string")
    out.attrs["notes"] = key_notes(raw, cols)
    return out
