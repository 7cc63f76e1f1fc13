"""The requirement catalogue, date parsing and the import of compliance sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecogis.errors import CatalogueError, DataValidationError, InputFileError
from ecogis.importers.base import parse_date as _parse_any_date
from ecogis.resources import read_catalogue_text

STATUSES = ("yes", "no", "expired", "in_progress", "not_required", "unknown")
CATEGORIES = ("legal", "environmental_management", "safety_management", "csr", "green_industry")
MANAGEMENT_CATEGORIES = ("environmental_management", "safety_management", "csr")
_REQ_COLUMNS = (
    "requirement",
    "name_th",
    "name_en",
    "category",
    "evidences",
    "min_level",
    "level_kind",
    "expires",
    "mandatory",
    "applies_classes",
    "applies_types",
    "applies_if",
    "note",
)
_APPLIES_IF = ("", "waste", "hazardous_waste")

# Words found in planners' sheets for each status (lower-case, stripped).
_STATUS_WORDS: dict[str, str] = {
    "yes": "yes",
    "y": "yes",
    "1": "yes",
    "true": "yes",
    "valid": "yes",
    "certified": "yes",
    "มี": "yes",
    "ผ่าน": "yes",
    "ได้รับ": "yes",
    "ได้รับการรับรอง": "yes",
    "ใช่": "yes",
    "no": "no",
    "n": "no",
    "0": "no",
    "false": "no",
    "none": "no",
    "ไม่มี": "no",
    "ไม่ผ่าน": "no",
    "ไม่ได้รับ": "no",
    "expired": "expired",
    "หมดอายุ": "expired",
    "in_progress": "in_progress",
    "in progress": "in_progress",
    "pending": "in_progress",
    "อยู่ระหว่างดำเนินการ": "in_progress",
    "กำลังดำเนินการ": "in_progress",
    "not_required": "not_required",
    "not required": "not_required",
    "n/a": "not_required",
    "na": "not_required",
    "ไม่เข้าข่าย": "not_required",
    "ไม่ต้องมี": "not_required",
    "unknown": "unknown",
    "ไม่ทราบ": "unknown",
    "": "unknown",
    "-": "unknown",
}

# Column names accepted for each contract field (after lower-casing and stripping).
_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "factory_id": ("factory_id", "registration_no", "dispfacreg", "เลขทะเบียน", "เลขทะเบียนโรงงาน"),
    "requirement": ("requirement", "ข้อกำหนด", "requirement_id"),
    "status": ("status", "สถานะ"),
    "level": ("level", "ระดับ", "year", "ปี"),
    "issued": ("issued", "issue_date", "วันที่ได้รับ"),
    "valid_until": ("valid_until", "expiry", "expiry_date", "expires", "ใช้ได้ถึง", "วันหมดอายุ"),
    "evidence": ("evidence", "หลักฐาน"),
    "source": ("source", "แหล่งข้อมูล"),
}

_DATE_FIX = (
    "write the date as YYYY-MM-DD (2024-05-31), d/m/yyyy (31/05/2024 or Buddhist Era "
    "31/05/2567), '31 พ.ค. 2567', or leave the cell empty"
)


# --------------------------------------------------------------------------- catalogue
@dataclass(frozen=True)
class Requirement:
    """One row of the requirement catalogue (``ecogis/catalogue/requirements.csv``)."""

    requirement: str
    name_th: str
    name_en: str
    category: str
    evidences: tuple[str, ...]
    min_level: str
    level_kind: str  # "", "GI" or "year"
    expires: bool
    mandatory: bool
    applies_classes: tuple[int, ...]
    applies_types: tuple[int, ...]
    applies_if: str
    note: str


def load_requirements(path: str | Path | None = None) -> dict[str, Requirement]:
    """Read the requirement catalogue.

    Parameters
    ----------
    path
        A planner's own CSV with the columns of the shipped one; the shipped
        ``ecogis/catalogue/requirements.csv`` by default.

    Returns
    -------
    dict
        Requirement id → :class:`Requirement`, in file order.

    Raises
    ------
    CatalogueError
        A column is missing, an id is repeated, or a value is not one the catalogue allows.
    """
    text, name = read_catalogue_text(path, "requirements.csv")
    from io import StringIO

    frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in ("requirement", "name_th", "name_en", "category") if c not in frame]
    if missing:
        raise CatalogueError(
            f"column(s) {', '.join(missing)} missing",
            source=name,
            fix=f"the catalogue needs the columns {', '.join(_REQ_COLUMNS)}",
        )
    out: dict[str, Requirement] = {}
    for i, row in enumerate(frame.to_dict("records")):
        rownum = i + 2

        def bad(field: str, what: str, fix: str, _row: int = rownum) -> CatalogueError:
            return CatalogueError(what, source=name, row=_row, field=field, fix=fix)

        rid = row["requirement"].strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]*", rid):
            raise bad("requirement", f"{rid!r} is not a snake_case id", "use e.g. iso50001")
        if rid in out:
            raise bad("requirement", f"{rid!r} is listed twice", "keep one row per requirement")
        for f in ("name_th", "name_en"):
            if not row[f].strip():
                raise bad(f, "is empty", "give the requirement's name")
        category = row["category"].strip()
        if category not in CATEGORIES:
            raise bad("category", f"{category!r} is not a category", f"use {', '.join(CATEGORIES)}")
        evidences = tuple(_split(row.get("evidences", ""))) or (category,)
        for e in evidences:
            if e not in CATEGORIES:
                raise bad("evidences", f"{e!r} is not a category", f"use {', '.join(CATEGORIES)}")
        level_kind = row.get("level_kind", "").strip()
        if level_kind not in ("", "GI", "year"):
            raise bad("level_kind", f"{level_kind!r} is unknown", "use GI, year or leave empty")
        applies_if = row.get("applies_if", "").strip()
        if applies_if not in _APPLIES_IF:
            raise bad(
                "applies_if", f"{applies_if!r} is unknown", "use waste, hazardous_waste or ''"
            )
        try:
            classes = tuple(int(v) for v in _split(row.get("applies_classes", "")))
            types = tuple(int(v) for v in _split(row.get("applies_types", "")))
        except ValueError as exc:
            raise bad(
                "applies_classes/applies_types",
                f"not a list of numbers ({exc})",
                "write numbers separated by ';', e.g. 42;49;50",
            ) from exc
        out[rid] = Requirement(
            requirement=rid,
            name_th=row["name_th"].strip(),
            name_en=row["name_en"].strip(),
            category=category,
            evidences=evidences,
            min_level=row.get("min_level", "").strip(),
            level_kind=level_kind,
            expires=_truthy(row.get("expires", "")),
            mandatory=_truthy(row.get("mandatory", "")),
            applies_classes=classes,
            applies_types=types,
            applies_if=applies_if,
            note=row.get("note", "").strip(),
        )
    return out


def _split(text: str) -> list[str]:
    return [p.strip() for p in str(text).replace(",", ";").split(";") if p.strip()]


def _truthy(text: str) -> bool:
    return str(text).strip().lower() in ("yes", "y", "true", "1")


# --------------------------------------------------------------------------- dates
def parse_date(text: Any, *, source: str, row: int, field: str) -> str | None:
    """Turn a date as planners write it into ISO ``YYYY-MM-DD`` (Gregorian).

    The rules are the importers' (:func:`ecogis.importers.base.parse_date`): ISO dates (an
    Excel time part is dropped), ``d/m/yyyy`` (also ``-`` or ``.``), Thai and English month
    names (``31 พ.ค. 2567``), Excel serial numbers and Buddhist Era years (above 2400, 543
    is subtracted). Empty, ``0`` or ``0000-00-00`` → ``None``.

    Raises
    ------
    DataValidationError
        The text is not a date, or is ambiguous (a bare year, a 2-digit year, month/day/year),
        naming the file, row and field.
    """
    try:
        # Validity ends lie ahead; anything up to 2100 is a plausible date here.
        return _parse_any_date(text, latest_year=2100)
    except ValueError as exc:
        raise DataValidationError(
            str(exc), source=source, row=row, field=field, fix=_DATE_FIX
        ) from None


# --------------------------------------------------------------------------- import
def row_numbers(raw: pd.DataFrame) -> list[int]:
    """Spreadsheet row numbers of ``raw``'s rows (header = row 1).

    :func:`ecogis.importers.read_table` keeps them in the index; a frame with a plain
    0-based index is taken to start at row 2.
    """
    idx = raw.index
    if isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1:
        return [i + 2 for i in range(len(raw))]
    if pd.api.types.is_integer_dtype(idx) and len(idx) and int(idx.min()) >= 2:
        return [int(i) for i in idx]
    return [i + 2 for i in range(len(raw))]


def _norm_key(text: str) -> str:
    return re.sub(r"[\s_\-().]+", "", str(text).strip().lower())


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
        matched by name, English or Thai (``factory_id``/``เลขทะเบียน``, ``requirement``/
        ``ข้อกำหนด``, ``status``/``สถานะ``, ``level``, ``issued``, ``valid_until``,
        ``evidence``, ``source``).
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
        Columns of the ``compliance`` contract; dates ISO; statuses from :data:`STATUSES`;
        Green Industry levels as ``GI1``–``GI5``; CSR-DIW levels as the Gregorian award year.

    Raises
    ------
    InputFileError
        A needed column is missing.
    DataValidationError
        Naming the spreadsheet row and column: an unknown factory or requirement, an
        unknown status or level, a date that is not a date, a repeated factory/requirement.
    """
    reqs = requirements if requirements is not None else load_requirements()
    by_name: dict[str, str] = {}
    for rid, r in reqs.items():
        for label in (rid, r.name_en, r.name_th):
            by_name[_norm_key(label)] = rid
    cols = {str(c).strip().lower().lstrip("\ufeff"): c for c in raw.columns}
    found: dict[str, Any] = {}
    for fld, aliases in _COLUMN_ALIASES.items():
        for a in aliases:
            if a in cols:
                found[fld] = cols[a]
                break
    missing = [f for f in ("factory_id", "requirement", "status") if f not in found]
    if missing:
        raise InputFileError(
            f"column(s) {', '.join(missing)} not found "
            f"(columns are {', '.join(map(str, raw.columns))})",
            source=source,
            row=1,
            fix="name the columns factory_id, requirement, status (optional: level, issued, "
            "valid_until, evidence, source)",
        )

    def cell(values: dict[Any, Any], fld: str) -> str:
        if fld not in found:
            return ""
        v = values[found[fld]]
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return ""
        return str(v).strip()

    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for rownum, values in zip(row_numbers(raw), raw.to_dict("records"), strict=True):
        if not any(str(v).strip() for v in values.values() if v is not None and v is not pd.NA):
            continue  # a blank line in the sheet

        def bad(fld: str, what: str, fix: str, _row: int = rownum) -> DataValidationError:
            return DataValidationError(
                what, source=source, row=_row, field=str(found.get(fld, fld)), fix=fix
            )

        fid = cell(values, "factory_id")
        if fid.startswith('="') and fid.endswith('"'):  # Excel-quoted registration numbers
            fid = fid[2:-1].strip()
        if not fid:
            raise bad("factory_id", "the registration number is empty", "fill it in")
        if known_factory_ids is not None and fid not in known_factory_ids:
            raise bad(
                "factory_id",
                f"factory {fid!r} is not in the workspace's factories",
                "correct the registration number, or import the factory first "
                "with 'ecogis import factories'",
            )
        req_text = cell(values, "requirement")
        rid_found = by_name.get(_norm_key(req_text))
        if rid_found is None:
            raise bad(
                "requirement",
                f"unknown requirement {req_text!r}",
                f"use one of {', '.join(reqs)} — or add a row to the requirement catalogue",
            )
        rid = rid_found
        status_text = cell(values, "status")
        status = _STATUS_WORDS.get(status_text.lower())
        if status is None:
            raise bad(
                "status", f"unknown status {status_text!r}", f"use one of {', '.join(STATUSES)}"
            )
        level = _parse_level(cell(values, "level"), reqs[rid], bad)
        issued = parse_date(
            cell(values, "issued"),
            source=source,
            row=rownum,
            field=str(found.get("issued", "issued")),
        )
        valid_until = parse_date(
            cell(values, "valid_until"),
            source=source,
            row=rownum,
            field=str(found.get("valid_until", "valid_until")),
        )
        if issued and valid_until and valid_until < issued:
            raise bad(
                "valid_until",
                f"valid until {valid_until}, before it was issued ({issued})",
                "check the two dates",
            )
        key = (fid, rid)
        if key in seen:
            raise bad(
                "requirement",
                f"{fid} / {rid} already given on row {seen[key]}",
                "keep one row per factory and requirement",
            )
        seen[key] = rownum
        rows.append(
            {
                "factory_id": fid,
                "requirement": rid,
                "status": status,
                "level": level or None,
                "issued": issued,
                "valid_until": valid_until,
                "evidence": cell(values, "evidence") or None,
                "source": cell(values, "source") or Path(source).name,
            }
        )
    fields = [
        "factory_id",
        "requirement",
        "status",
        "level",
        "issued",
        "valid_until",
        "evidence",
        "source",
    ]
    return pd.DataFrame(rows, columns=fields).astype("string")


def _parse_level(text: str, req: Requirement, bad: Any) -> str:
    if not text:
        return ""
    if req.level_kind == "GI":
        mt = re.fullmatch(r"(?:gi|ระดับ(?:ที่)?)?\s*([1-5])", text.strip().lower())
        if not mt:
            raise bad("level", f"{text!r} is not a Green Industry level", "use GI1 … GI5")
        return f"GI{mt[1]}"
    if req.level_kind == "year":
        mt = re.fullmatch(r"(\d{4})(?:\.0+)?", text.strip())
        if not mt:
            raise bad("level", f"{text!r} is not a year", "give the award year, e.g. 2024 or 2567")
        year = int(mt[1]) - (543 if int(mt[1]) > 2400 else 0)
        if not 1990 <= year <= 2100:
            raise bad("level", f"year {year} is out of range", "give the award year, e.g. 2024")
        return str(year)
    return text
