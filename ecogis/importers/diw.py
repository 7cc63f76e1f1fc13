"""The DIW factory registry in its two real formats (DOMAIN.md §2).

* **Open-data API CSV** (``Factory_Data``): ``FACREG``, ``DISPFACREG``, ``FID``, ``FACTYPE``
  (class), ``FNAME``, ``OBJECT``, the address, ``TOTAL_CAP``, ``TOTAL_WORKER``, ``HP``,
  ``LAT``/``LNG`` (often missing or the placeholders 0/1), ``ISIC_CODE`` (really TSIC),
  ``ESTATE_NAME_TH``, ``FFLAG`` (status) and ``LAST_UPDATE``.
* **GIS export** with Thai column names cut to 10 characters (``เลขทะเบียน``, ``ประเภท`` …).

Both become rows of the ``factories`` contract. The key is the registration number as
displayed (``DISPFACREG`` / ``เลขทะเบียน``). Operator names (``ONAME`` / ``ผู้ประกอบก``) are
personal data when the operator is a person and are never read into the workspace; a
factory *name* that is a person's name (``นาย …``) is withheld too.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ecogis.errors import DataValidationError
from ecogis.importers.base import (
    Problems,
    check_bounds,
    parse_amount,
    parse_column,
    parse_date,
    parse_lat_lon,
    parse_number,
)
from ecogis.importers.cells import describe_key_changes, is_blank, normalise_key, text_or_na
from ecogis.importers.privacy import withhold_personal_data

API_MARKERS = {"DISPFACREG", "FACREG"}
GIS_MARKERS = {"เลขทะเบียน", "ประเภท"}

# Columns of the GIS export (10-character DBF names).
GIS_ID = "เลขทะเบียน"
GIS_TYPE = "ประเภท"
GIS_WORKERS = ("ช่างฝีมือช", "คนงานชาย", "ช่างฝีมือห", "คนงานหญิง")
GIS_CAPITAL = ("เงินลงทุนค", "ค่าอาคาร", "ค่าเครื่อง", "ทุนหมุนเวี")
GIS_ADDRESS = (
    ("เลขที่", ""),
    ("หมู่", "ม."),
    ("ซอย", "ซ."),
    ("ถนน", "ถ."),
    ("ตำบล", "ต."),
    ("อำเภอ", "อ."),
    ("จังหวัด", "จ."),
    ("ไปรษณีย์", ""),
)
API_ADDRESS = (
    ("FADDR", ""),
    ("FMOO", "ม."),
    ("FSOI", "ซ."),
    ("FROAD", "ถ."),
    ("FTUMNAME", "ต."),
    ("FAMPNAME", "อ."),
    ("FPROVNAME", "จ."),
    ("FZIPCODE", ""),
)

FFLAG_STATUS = {"0": "licensed", "1": "operating", "2": "struck_off", "3": "stopped"}
"""DIW's FFLAG codes (DOMAIN.md §2). FFLAG=1 covers only ~47 % of truly operating factories."""

LAT_NAMES = ("LAT", "lat", "latitude", "Latitude", "LATITUDE", "ละติจูด", "y", "Y")
LON_NAMES = (
    "LNG",
    "LON",
    "LONG",
    "lng",
    "lon",
    "long",
    "longitude",
    "Longitude",
    "LONGITUDE",
    "ลองติจูด",
    "ลองจิจูด",
    "x",
    "X",
)

_TYPE_CODED = re.compile(r"^(\d{3})(\d{2})$")
_TYPE_HUMAN = re.compile(r"^(\d{1,3})\s*(?:\(\s*(\d{1,2})\s*\))?$")
# [prefix][class]-[type]-[serial]/[BE yy][province abbr.], e.g. จ3-9(6)-100/51ปจ, 3-105-13/60ปจ
_REG_NO = re.compile(r"^\D*?([123])\s*-\s*(\d{1,3}(?:\(\d{1,2}\))?)\s*-\s*\d+\s*/")


def detect_format(columns: Any) -> str | None:
    """``diw-api``, ``diw-gis``, ``diw-clean`` or ``None`` from a file's column names.

    Parameters
    ----------
    columns : Any
        The file's column names (any iterable); ASCII names are compared in upper case.

    Returns
    -------
    str or None
        ``diw-api`` (the registry API's columns, or ``DISPFACREG`` with ``FNAME``),
        ``diw-gis`` (the GIS export's Thai column names), ``diw-clean`` (the cleaned
        registry's English names) or ``None`` when it is none of them.
    """
    cols = {str(c).strip().upper() if str(c).isascii() else str(c).strip() for c in columns}
    if cols >= API_MARKERS or ("DISPFACREG" in cols and "FNAME" in cols):
        return "diw-api"
    if cols >= GIS_MARKERS:
        return "diw-gis"
    if "REG_NO_OLD" in cols and cols & {"FACTORY_TYPE_CODE", "FACTORY_TYPE"}:
        return "diw-clean"
    return None


def normalise_diw_type(value: Any, *, coded: bool) -> tuple[str, int] | None:
    """Turn a DIW factory type into its human form and main type number.

    Parameters
    ----------
    value : Any
        ``"00906"``/``906`` (the GIS export's 5-digit code ``NNNkk``, with ``coded=True``)
        or ``"9(6)"``/``"105"`` (the human form).
    coded : bool
        Whether bare digits are the 5-digit code (GIS export) or the human form.

    Returns
    -------
    tuple[str, int] or None
        ``("9(6)", 9)``, ``("105", 105)``; ``None`` for a blank.

    Raises
    ------
    ValueError
        When the text is not a factory type or the main type is not 1–107.
    """
    if is_blank(value):
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if coded and text.isdigit() and len(text) <= 5:
        m = _TYPE_CODED.match(text.zfill(5))
        assert m is not None
        main, sub = int(m.group(1)), int(m.group(2))
    else:
        m2 = _TYPE_HUMAN.match(text)
        if not m2:
            raise ValueError(f"{text!r} is not a DIW factory type (e.g. 9(6), 42, 105, 00906)")
        main, sub = int(m2.group(1)), int(m2.group(2) or 0)
    if not 1 <= main <= 107:
        raise ValueError(f"{text!r} gives main type {main}; DIW types run from 1 to 107")
    return (f"{main}({sub})" if sub else str(main)), main


def type_from_registration(reg_no: Any) -> tuple[int, str] | None:
    """Class and type from a registration number such as ``จ3-9(6)-100/51ปจ``.

    Parameters
    ----------
    reg_no : Any
        An old-style registration number (``[prefix][class]-[type]-[serial]/[BE yy][province]``).

    Returns
    -------
    tuple[int, str] or None
        ``(class, type)``, e.g. ``(3, "9(6)")``; ``None`` for a blank or a number that is
        not in the old form (new all-digit numbers carry neither).
    """
    if is_blank(reg_no):
        return None
    m = _REG_NO.match(str(reg_no).strip())
    return (int(m.group(1)), m.group(2)) if m else None


def normalise_tsic(value: Any) -> str | None:
    """Give a TSIC 2009 code as 5-character text (a leading zero lost by a spreadsheet restored).

    Parameters
    ----------
    value : Any
        The cell: ``"10621"``, ``1062.0`` (4 digits get a leading zero), text or a number.

    Returns
    -------
    str or None
        The 5-digit code, e.g. ``"01062"``; ``None`` for a blank.

    Raises
    ------
    ValueError
        When the value is not a 4- or 5-digit code.
    """
    if is_blank(value):
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    if not (text.isdigit() and len(text) == 5):
        raise ValueError(f"{text!r} is not a 5-digit TSIC code")
    return text


def parse_class(value: Any) -> int | None:
    """Parse factory class 1/2/3; None for a blank or ``-``.

    Parameters
    ----------
    value : Any
        The cell (``3``, ``"3"``, ``3.0``, Thai digits …).

    Returns
    -------
    int or None
        1, 2 or 3 (the Factory Act class); ``None`` for a blank.

    Raises
    ------
    ValueError
        When the value is not a number, or not 1, 2 or 3.
    """
    if is_blank(value):
        return None
    number = parse_number(value)
    if number not in (1.0, 2.0, 3.0):
        raise ValueError(f"{value!r} is not a factory class (1, 2 or 3)")
    return int(number)


def _address(raw: pd.DataFrame, parts: tuple[tuple[str, str], ...]) -> pd.Series:
    """Join the address columns as Thai addresses are written (``152 ม.13 ต.… อ.… จ.…``)."""
    present = [(c, prefix) for c, prefix in parts if c in raw.columns]
    if not present:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    columns = []
    for col, prefix in present:
        values = [text_or_na(v) for v in raw[col].to_numpy()]
        columns.append(
            [
                None
                if v is pd.NA
                else (f"{prefix}{v}" if prefix and not str(v).startswith(prefix) else str(v))
                for v in values
            ]
        )
    joined = [_join_address(bits) for bits in zip(*columns, strict=True)]
    return pd.Series(joined, index=raw.index, dtype="string")


def _join_address(bits: tuple[str | None, ...]) -> Any:
    """Join address parts, skipping a part the house-number field already spells out."""
    text = ""
    for bit in bits:
        if bit and bit not in text:
            text = f"{text} {bit}" if text else bit
    return text or pd.NA


def first_column(raw: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    """Return the first of ``names`` that is a column of ``raw``.

    Parameters
    ----------
    raw : pandas.DataFrame
        The rows as read.
    names : tuple[str, ...]
        Candidate column names, in order of preference (compared exactly).

    Returns
    -------
    str or None
        The first name present; ``None`` when none is.
    """
    for n in names:
        if n in raw.columns:
            return n
    return None


def _sum_columns(
    raw: pd.DataFrame, columns: tuple[str, ...], problems: Problems, *, what: str, field_name: str
) -> pd.Series:
    """Sum the GIS export's part columns (four worker or cost fields).

    Each part and the total are held to the contract bounds of ``field_name``.
    """
    present = [c for c in columns if c in raw.columns]
    if not present:
        return pd.Series(np.nan, index=raw.index)
    fix = f"write {what} as a number (0 if none)"
    parts = [
        parse_amount(raw, c, problems, what="is not a number", fix=fix, field_name=field_name)
        for c in present
    ]
    # A row with every part blank has no value; otherwise blanks count as 0.
    total = pd.concat(parts, axis=1).sum(axis=1, min_count=1)
    sums = total.map(lambda v: f"the sum {v:,.0f}")
    return check_bounds(
        total, "factories", field_name, problems, column=" + ".join(present), fix=fix, written=sums
    )


def _horsepower(raw: pd.DataFrame, column: str, problems: Problems) -> pd.Series:
    return parse_amount(
        raw,
        column,
        problems,
        what="is not a horsepower",
        fix="write the machinery horsepower as a number",
        field_name="horsepower",
    )


def _types(raw: pd.DataFrame, column: str, problems: Problems, *, coded: bool) -> pd.Series:
    """``(human form, main type)`` per row from the 5-digit code or the human form."""
    fix = (
        "write the 5-digit type code, e.g. 00906 or 10500"
        if coded
        else "write the type as 9(6), 42 or 105"
    )
    return parse_column(
        raw,
        column,
        lambda v: normalise_diw_type(v, coded=coded),
        problems,
        what="is not a DIW factory type",
        fix=fix,
    )


def _tsic(raw: pd.DataFrame, column: str, problems: Problems) -> pd.Series:
    return parse_column(
        raw,
        column,
        normalise_tsic,
        problems,
        what="is not a TSIC code",
        fix="write the 5-digit TSIC 2009 code, e.g. 10621",
    ).astype("string")


def _factory_class(raw: pd.DataFrame, column: str, problems: Problems, *, fix: str) -> pd.Series:
    return parse_column(
        raw, column, parse_class, problems, what="is not a factory class", fix=fix
    ).astype("Int64")


def _names(raw: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    return raw[column].map(text_or_na).astype("string")


def _coordinates(raw: pd.DataFrame, problems: Problems) -> tuple[pd.Series, pd.Series]:
    return parse_lat_lon(raw, first_column(raw, LAT_NAMES), first_column(raw, LON_NAMES), problems)


def withhold_names(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Withhold private persons' names and their rows' addresses (:mod:`.privacy`), noted.

    Parameters
    ----------
    frame : pandas.DataFrame
        Factory rows with ``name_th``/``name_en`` and ``address``.
    notes : list[str]
        The summary's lines; a line saying how many names were withheld is appended.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with those names and addresses blanked (same rows).
    """
    out, withheld = withhold_personal_data(frame)
    if withheld:
        notes.append(
            f"{withheld} factory name(s) that are a private person's name withheld with the "
            "address of their row (PDPA)"
        )
    return out


def name_missing(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Give factories without a name in the registry a label made of their registration no.

    About 10 % of real registry rows have no factory name (often where the operator is a
    private person whose name was removed); the contract needs a name to label the point.

    Parameters
    ----------
    frame : pandas.DataFrame
        Factory rows with ``name_th`` and ``factory_id``.
    notes : list[str]
        The summary's lines; a line saying how many were labelled is appended.

    Returns
    -------
    pandas.DataFrame
        ``frame`` (a copy when changed) whose blank ``name_th`` reads
        ``โรงงานทะเบียน <registration no.>``.
    """
    blank = frame["name_th"].isna() & frame["factory_id"].notna()
    if blank.any():
        frame = frame.copy()
        frame.loc[blank, "name_th"] = "โรงงานทะเบียน " + frame.loc[blank, "factory_id"].astype(str)
        notes.append(
            f"{int(blank.sum())} factory(ies) without a name in the registry labelled "
            "'โรงงานทะเบียน <registration no.>'"
        )
    return frame


def check_ids(frame: pd.DataFrame, key: str, id_column: str, problems: Problems) -> pd.DataFrame:
    """Report missing and conflicting duplicate IDs; merge exact duplicate rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        Parsed rows; the index holds spreadsheet row numbers.
    key : str
        The key column of ``frame`` (``factory_id``).
    id_column : str
        The file's column of the key, named in the problems.
    problems : Problems
        Where a missing key, a key that is no registration number (a note or totals line)
        and a duplicate key with other values are recorded.

    Returns
    -------
    pandas.DataFrame
        ``frame`` without exact repeats of an earlier row (same ID and same values);
        ``frame.attrs["merged_duplicates"]`` says how many were dropped.
    """
    ids = frame[key]
    for row in frame.index[ids.isna().to_numpy()]:
        problems.add(
            int(row),
            id_column,
            "the registration number is missing",
            "fill in the factory's registration number (เลขทะเบียนโรงงาน); every row needs one",
        )
    text = ids.astype("string")
    # Old numbers (3-22(3)-1/41ชน, น.3-…) have '-' or '/'; new ones are all digits. A cell
    # without either is a note or totals line pasted under the table, not a factory.
    no_digit = ids.notna() & ~(
        text.str.contains(r"\d", regex=True) & text.str.contains(r"[-/]|^[\d\s]+$", regex=True)
    ).fillna(False)
    for row, k in zip(frame.index[no_digit.to_numpy()], ids[no_digit], strict=True):
        problems.add(
            int(row),
            id_column,
            f"{str(k)[:40]!r} is not a registration number (a note or totals line?)",
            "delete this row, or write the factory's registration number (e.g. 3-22(3)-1/41ชน)",
        )
    present = frame[(ids.notna() & ~no_digit).to_numpy()]
    values = present.drop(columns=[c for c in ("geometry",) if c in present.columns])
    exact = values.astype("string").fillna("\x00").duplicated(keep="first")
    merged = int(exact.sum())
    rest = present[~exact.to_numpy()]
    dup = rest[key].duplicated(keep=False)
    if dup.any():
        first_row: dict[str, int] = {}
        for row, k in zip(rest.index[dup.to_numpy()], rest[key][dup], strict=True):
            if k not in first_row:
                first_row[k] = int(row)
                continue
            problems.add(
                int(row),
                id_column,
                f"duplicate registration number {k!r} (also in row {first_row[k]}) "
                "with other values",
                "keep one row per factory: delete or correct the older one",
            )
    out = frame.drop(index=present.index[exact.to_numpy()])
    out.attrs["merged_duplicates"] = merged
    return out


def registration_numbers(raw: pd.DataFrame, column: str, notes: list[str]) -> pd.Series:
    """Registration numbers as keys, by the importers' one rule (:func:`normalise_key`).

    ``3-22(3)-1/41 ชน``, ``๓-๒๒(๓)-๑/๔๑ชน`` and the number with a zero-width space or in
    full-width forms are the same factory as ``3-22(3)-1/41ชน``; keeping them apart would make
    a later export written the plain way add every such factory a second time. The summary
    says how many were normalised.

    Parameters
    ----------
    raw : pandas.DataFrame
        The rows as read.
    column : str
        The registration number column (all NA when absent).
    notes : list[str]
        The summary's lines; the normalisation line is appended when a key changed.

    Returns
    -------
    pandas.Series
        The keys (string dtype, NA for a blank) on the index of ``raw``.
    """
    ids = _text(raw, column)
    keys = ids.map(normalise_key).astype("string")
    note = describe_key_changes(ids, keys)
    if note:
        notes.append(note)
    return keys


def _text(raw: pd.DataFrame, column: str) -> pd.Series:
    """Strip a text column, blanks as NA; all NA when the file has no such column."""
    if column not in raw.columns:
        return pd.Series(pd.NA, index=raw.index, dtype="string")
    return raw[column].map(text_or_na).astype("string")


def _finish_rows(
    out: pd.DataFrame,
    raw: pd.DataFrame,
    id_column: str,
    problems: Problems,
    notes: list[str],
) -> pd.DataFrame:
    """Do what both registry formats end with: coordinates, ID checks, names, notes."""
    out["_lon"], out["_lat"] = _coordinates(raw, problems)
    out = check_ids(out, "factory_id", id_column, problems)
    out = withhold_names(out, notes)
    out = name_missing(out, notes)
    if out.attrs.get("merged_duplicates"):
        notes.append(f"{out.attrs['merged_duplicates']} exact duplicate row(s) merged")
    return out


def parse_diw_gis(raw: pd.DataFrame, *, source: str) -> tuple[pd.DataFrame, Problems, list[str]]:
    """Parse the DIW GIS export (10-character Thai column names).

    Parameters
    ----------
    raw
        The attribute table as read (text or numbers); index = row numbers to report.
    source
        File name for messages.

    Returns
    -------
    tuple
        The factories frame (contract fields plus ``_lon``/``_lat`` in degrees), the row
        problems found, and notes for the summary.
    """
    problems = Problems(source)
    notes: list[str] = []
    out = pd.DataFrame(index=raw.index)
    out["factory_id"] = registration_numbers(raw, GIS_ID, notes)
    out["name_th"] = _names(raw, "ชื่อโรงงาน" if "ชื่อโรงงาน" in raw.columns else None)
    out["activity"] = _text(raw, "ประกอบกิจก")
    types = _types(raw, GIS_TYPE, problems, coded=True)
    out["diw_type"] = types.map(lambda t: t[0] if t else pd.NA).astype("string")
    out["diw_type_main"] = types.map(lambda t: t[1] if t else pd.NA).astype("Int64")
    out["tsic"] = _tsic(raw, "ISIC", problems)
    out["factory_class"] = _factory_class(raw, "จำพวก", problems, fix="write 1, 2 or 3")
    out["status"] = "unknown"
    out["workers"] = _sum_columns(
        raw, GIS_WORKERS, problems, what="the number of workers", field_name="workers"
    )
    out["horsepower"] = _horsepower(raw, "แรงม้า", problems)
    out["capital_thb"] = _sum_columns(
        raw, GIS_CAPITAL, problems, what="the capital in baht", field_name="capital_thb"
    )
    out["licence_date"] = parse_column(
        raw,
        "วันที่ใบอน",
        parse_date,
        problems,
        what="is not a date",
        fix="write the date as an Excel date, YYYY-MM-DD or DD/MM/YYYY (พ.ศ. years are fine)",
    ).astype("string")
    for field, col in (("pro_code", "PV_ID_U"), ("amp_code", "AMP_ID_U"), ("tam_code", "TAM_ID_U")):
        out[field] = raw[col].map(text_or_na).astype("string") if col in raw.columns else pd.NA
    out["address"] = _address(raw, GIS_ADDRESS)
    out["_province_name"] = _text(raw, "จังหวัด")
    out = _finish_rows(out, raw, GIS_ID, problems, notes)
    return out, problems, notes


def parse_diw_api(raw: pd.DataFrame, *, source: str) -> tuple[pd.DataFrame, Problems, list[str]]:
    """Parse the DIW open-data API CSV (``Factory_Data``).

    Parameters
    ----------
    raw
        The table from :func:`~ecogis.importers.tabular.read_table` (every cell as text).
    source
        File name for messages.

    Returns
    -------
    tuple
        As :func:`parse_diw_gis`.
    """
    problems = Problems(source)
    notes: list[str] = []
    raw = raw.rename(columns={c: c.strip().upper() for c in raw.columns if str(c).isascii()})
    out = pd.DataFrame(index=raw.index)
    id_col = "DISPFACREG" if "DISPFACREG" in raw.columns else "FACREG"
    out["factory_id"] = registration_numbers(raw, id_col, notes)
    out["fid_diw"] = _text(raw, "FID")
    out["name_th"] = _names(raw, "FNAME" if "FNAME" in raw.columns else None)
    out["activity"] = _text(raw, "OBJECT")
    type_col = first_column(raw, ("FACTORY_TYPE", "FTYPE", "TYPE", "ลำดับประเภท"))
    if type_col is not None:
        types = _types(raw, type_col, problems, coded=False)
    else:  # the type is part of the displayed registration number: 3-22(3)-1/41ชน
        types = out["factory_id"].map(
            lambda r: (
                normalise_diw_type(t[1], coded=False)
                if (t := type_from_registration(r)) is not None
                else None
            )
        )
    out["diw_type"] = types.map(lambda t: t[0] if t else pd.NA).astype("string")
    out["diw_type_main"] = types.map(lambda t: t[1] if t else pd.NA).astype("Int64")
    out["tsic"] = _tsic(raw, "ISIC_CODE", problems)
    out["factory_class"] = _factory_class(
        raw, "FACTYPE", problems, fix="write 1, 2 or 3 (or - when unknown)"
    )
    # FACTYPE is '-' in many rows; the class is also the digit before the type in DISPFACREG.
    from_reg = (
        out["factory_id"]
        .map(lambda r: t[0] if (t := type_from_registration(r)) is not None else pd.NA)
        .astype("Int64")
    )
    filled = out["factory_class"].isna() & from_reg.notna()
    out["factory_class"] = out["factory_class"].fillna(from_reg)
    if filled.any():
        notes.append(
            f"{int(filled.sum())} factory class(es) missing in FACTYPE taken from DISPFACREG"
        )
    flags = (
        raw["FFLAG"].map(text_or_na)
        if "FFLAG" in raw.columns
        else pd.Series(pd.NA, index=raw.index)
    )
    status = flags.map(
        lambda v: FFLAG_STATUS.get(str(v).split(".")[0], "unknown") if v is not pd.NA else "unknown"
    )
    odd = flags.notna() & ~flags.astype("string").str.split(".").str[0].isin(list(FFLAG_STATUS))
    if odd.any():
        notes.append(
            f"{int(odd.sum())} row(s) with an FFLAG other than 0–3 kept with status 'unknown' "
            f"(first: row {int(raw.index[odd.to_numpy()][0])}, value {flags[odd].iloc[0]!r})"
        )
    out["status"] = status.astype("string")
    out["workers"] = parse_amount(
        raw,
        "TOTAL_WORKER",
        problems,
        what="is not a number of workers",
        fix="write the number of workers",
        field_name="workers",
    )
    out["horsepower"] = _horsepower(raw, "HP", problems)
    out["capital_thb"] = parse_amount(
        raw,
        "TOTAL_CAP",
        problems,
        what="is not an amount in baht",
        fix="write the capital in baht as a number",
        field_name="capital_thb",
    )
    date_fix = "write dates as YYYY-MM-DD or DD/MM/YYYY (พ.ศ. years are fine)"
    lic_col = first_column(raw, ("LICENSE_DATE", "LICENCE_DATE", "FDATE", "REGIS_DATE"))
    out["licence_date"] = parse_column(
        raw, lic_col, parse_date, problems, what="is not a date", fix=date_fix
    ).astype("string")
    updates = parse_column(
        raw, "LAST_UPDATE", parse_date, problems, what="is not a date", fix=date_fix
    )
    out["estate_name"] = (
        raw["ESTATE_NAME_TH"].map(text_or_na).astype("string")
        if "ESTATE_NAME_TH" in raw.columns
        else pd.NA
    )
    if "ESTATE" in raw.columns:
        outside = raw["ESTATE"].astype("string").str.strip().str.upper() == "OUT"
        out["estate_name"] = out["estate_name"].mask(outside.fillna(False), pd.NA)
    out["address"] = _address(raw, API_ADDRESS)
    out["_province_name"] = _text(raw, "FPROVNAME")
    out["_district_name"] = _text(raw, "FAMPNAME")
    out["_tambon_name"] = _text(raw, "FTUMNAME")
    out = _finish_rows(out, raw, id_col, problems, notes)
    newest = updates.dropna()
    if len(newest):
        notes.append(f"registry rows last updated {min(newest)} … {max(newest)}")
    return out, problems, notes


def require_columns(raw: pd.DataFrame, needed: tuple[str, ...], *, source: str, fmt: str) -> None:
    """Raise when a registry file lacks a column its format needs.

    Parameters
    ----------
    raw : pandas.DataFrame
        The rows as read; ASCII column names are compared in upper case.
    needed : tuple[str, ...]
        The columns the format needs.
    source : str
        File named in the error.
    fmt : str
        The format's name for the message (``diw-api``, ``diw-gis``).

    Raises
    ------
    DataValidationError
        Naming the first missing column, with the ``--map`` that supplies it.
    """
    cols = {str(c).strip().upper() if str(c).isascii() else str(c).strip() for c in raw.columns}
    missing = [c for c in needed if c not in cols]
    if missing:
        raise DataValidationError(
            f"the {fmt} file has no column {', '.join(missing)}",
            source=source,
            field=missing[0],
            fix="check the export, or map your column with --map YOURNAME=" + missing[0],
        )
