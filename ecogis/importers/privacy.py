"""Personal data (PDPA): the names and addresses of private persons stay out.

A registry row whose factory *name* is a private person's name (the operator's own name, as
sole proprietors register) would put that person's name — and their home, the address — on
maps, in reports and in CSVs. :func:`is_person_name` is the one rule that recognises such a
name, and :func:`withhold_personal_data` the one place that replaces it (and the address of
the same row) when a factory table is imported.

A name is a person's when, after invisible characters (zero-width space, BOM …) and leading
spaces, quotes or brackets are removed and compatibility forms folded (NFKC), it begins with
a personal title:

* Thai: นาย, นาง, นางสาว, น.ส., เด็กชาย/ด.ช., เด็กหญิง/ด.ญ., คุณ, คุณหญิง, ท่านผู้หญิง, the royal
  lineage titles (หม่อมเจ้า, หม่อมราชวงศ์/ม.ร.ว., หม่อมหลวง/ม.ล.), ว่าที่ (acting, before a rank),
  doctors and academics (ดร., นพ., พญ., ทพ., ทพญ., ภก., ภญ., ศ.ดร., รศ., ผศ., นายแพทย์, แพทย์หญิง),
  and the military and police ranks in full or abbreviated (พลเอก/พล.อ., พันเอก/พ.อ.,
  ร้อยตรี/ร.ต., จ่าสิบเอก/จ.ส.อ., พลเรือเอก/พล.ร.อ., นาวาเอก/น.อ., พลอากาศเอก/พล.อ.อ.,
  พลตำรวจเอก/พล.ต.อ., พันตำรวจโท/พ.ต.ท., ร้อยตำรวจเอก/ร.ต.อ., ดาบตำรวจ/ด.ต., จ่าสิบตำรวจ/จ.ส.ต.,
  สิบตำรวจตรี/ส.ต.ต. … — :data:`THAI_TITLES`); an abbreviation may be written without its
  inner dots or with spaces (``น. ส.``, ``นส.``);
* English: Mr, Mrs, Ms, Miss, Mx, Dr, Prof and Khun, with or without a dot, followed by a
  space or a dot (``Mr Somchai``, ``Mrs.Somsri``, ``DR. A``) — not ``Drinks Co.``.

Words that begin like a title but are not one are kept: positions (นายอำเภอ, นายกเทศมนตรี,
นายกองค์การบริหารส่วนตำบล …), the district นางรอง, and words such as คุณภาพ (quality), คุณค่า,
คุณธรรม (:data:`NOT_TITLES`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ecogis.importers.cells import strip_invisible

WITHHELD_NAME = "[ชื่อบุคคลธรรมดา — ไม่เปิดเผย]"
"""What replaces a factory name that is a private person's name."""

WITHHELD_ADDRESS = "[ที่อยู่บุคคลธรรมดา — ไม่เปิดเผย]"
"""What replaces the address of such a row (the person's home, often)."""

_RANKS = (
    # army
    "พลเอก", "พลโท", "พลตรี", "พันเอก", "พันโท", "พันตรี", "ร้อยเอก", "ร้อยโท", "ร้อยตรี",
    "จ่าสิบเอก", "จ่าสิบโท", "จ่าสิบตรี", "สิบเอก", "สิบโท", "สิบตรี", "พลทหาร",
    # navy
    "พลเรือเอก", "พลเรือโท", "พลเรือตรี", "นาวาเอก", "นาวาโท", "นาวาตรี", "เรือเอก", "เรือโท",
    "เรือตรี", "พันจ่าเอก", "พันจ่าโท", "พันจ่าตรี", "จ่าเอก", "จ่าโท", "จ่าตรี",
    # air force
    "พลอากาศเอก", "พลอากาศโท", "พลอากาศตรี", "นาวาอากาศเอก", "นาวาอากาศโท", "นาวาอากาศตรี",
    "เรืออากาศเอก", "เรืออากาศโท", "เรืออากาศตรี", "พันจ่าอากาศเอก", "พันจ่าอากาศโท",
    "พันจ่าอากาศตรี", "จ่าอากาศเอก", "จ่าอากาศโท", "จ่าอากาศตรี",
    # police
    "พลตำรวจเอก", "พลตำรวจโท", "พลตำรวจตรี", "พันตำรวจเอก", "พันตำรวจโท", "พันตำรวจตรี",
    "ร้อยตำรวจเอก", "ร้อยตำรวจโท", "ร้อยตำรวจตรี", "ดาบตำรวจ", "จ่าสิบตำรวจ", "สิบตำรวจเอก",
    "สิบตำรวจโท", "สิบตำรวจตรี", "พลตำรวจ",
)  # fmt: skip

_RANK_ABBREVIATIONS = (
    "พล.อ.", "พล.ท.", "พล.ต.", "พ.อ.", "พ.ท.", "พ.ต.", "ร.อ.", "ร.ท.", "ร.ต.", "จ.ส.อ.",
    "จ.ส.ท.", "จ.ส.ต.", "ส.อ.", "ส.ท.", "ส.ต.", "พลฯ",
    "พล.ร.อ.", "พล.ร.ท.", "พล.ร.ต.", "น.อ.", "น.ท.", "น.ต.", "พ.จ.อ.", "พ.จ.ท.", "พ.จ.ต.",
    "จ.อ.", "จ.ท.", "จ.ต.",
    "พล.อ.อ.", "พล.อ.ท.", "พล.อ.ต.", "พ.อ.อ.", "พ.อ.ท.", "พ.อ.ต.",
    "พล.ต.อ.", "พล.ต.ท.", "พล.ต.ต.", "พ.ต.อ.", "พ.ต.ท.", "พ.ต.ต.", "ร.ต.อ.", "ร.ต.ท.",
    "ร.ต.ต.", "ด.ต.", "ส.ต.อ.", "ส.ต.ท.", "ส.ต.ต.",
)  # fmt: skip

_CIVIL = (
    "นางสาว", "นาง", "นาย", "เด็กชาย", "เด็กหญิง", "คุณหญิง", "คุณ", "ท่านผู้หญิง",
    "หม่อมเจ้า", "หม่อมราชวงศ์", "หม่อมหลวง", "ว่าที่", "นายแพทย์", "แพทย์หญิง",
    "ทันตแพทย์หญิง", "ทันตแพทย์", "เภสัชกรหญิง", "เภสัชกร", "ศาสตราจารย์", "รองศาสตราจารย์",
    "ผู้ช่วยศาสตราจารย์",
)  # fmt: skip

_CIVIL_ABBREVIATIONS = (
    "น.ส.", "ด.ช.", "ด.ญ.", "ม.จ.", "ม.ร.ว.", "ม.ล.", "ดร.", "นพ.", "พญ.", "ทพ.", "ทพญ.",
    "ภก.", "ภญ.", "ศ.ดร.", "รศ.", "ผศ.",
)  # fmt: skip

THAI_TITLES: tuple[str, ...] = (*_CIVIL, *_RANKS, *_CIVIL_ABBREVIATIONS, *_RANK_ABBREVIATIONS)
"""The Thai personal titles a private person's name may begin with."""

NOT_TITLES: tuple[str, ...] = (
    "นายอำเภอ", "นายกเทศมนตรี", "นายกองค์การ", "นายกอบต", "นายกอบจ", "นายกสมาคม",
    "นายกรัฐมนตรี", "นายกสภา", "นายช่าง", "นายทะเบียน", "นางรอง", "คุณภาพ", "คุณค่า", "คุณธรรม",
    "คุณสมบัติ", "คุณประโยชน์", "คุณูปการ", "คุณลักษณะ", "คุณวุฒิ",
)  # fmt: skip
"""Words that begin like a title but name a position, a place or a quality."""

ENGLISH_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "khun")
"""English titles (case-insensitive), followed by a dot or a space."""


def _abbreviation(text: str) -> str:
    """Make a pattern for ``น.ส.``-like abbreviations: inner dots optional, spaces allowed."""
    parts = [re.escape(p) for p in text.rstrip(".").split(".")]
    return r"\.?\s*".join(parts) + (r"\." if text.endswith(".") else "")


_THAI = re.compile(
    "^(?:"
    + "|".join(
        sorted(
            [re.escape(t) for t in (*_CIVIL, *_RANKS)]
            + [_abbreviation(t) for t in (*_CIVIL_ABBREVIATIONS, *_RANK_ABBREVIATIONS)],
            key=len,
            reverse=True,
        )
    )
    + ")"
)
_ENGLISH = re.compile(r"^(?:" + "|".join(ENGLISH_TITLES) + r")(?:\.\s*|\s+)\S", re.IGNORECASE)
_LEADING = re.compile(r"^[\s\"'“”‘’«»()\[\]{}<>*#•·\-–—_.,:;]+")


def _name_text(text: str) -> str:
    """Return the name as compared: invisible characters out, NFKC, leading marks stripped."""
    folded = unicodedata.normalize("NFKC", strip_invisible(text)).replace("\u0e4d\u0e32", "\u0e33")
    return _LEADING.sub("", folded)


def is_person_name(text: Any) -> bool:
    """Return True when a name is a private person's: it begins with a personal title.

    Parameters
    ----------
    text
        A factory name (any value; non-text is never a person's name).

    Returns
    -------
    bool
        See the module docstring for the titles and the words that are not titles.
    """
    if not isinstance(text, str):
        return False
    name = _name_text(text)
    if not name or name.startswith(NOT_TITLES):
        return False
    return bool(_THAI.match(name) or _ENGLISH.match(name))


def withhold_personal_data(
    frame: pd.DataFrame,
    *,
    names: Sequence[str] = ("name_th", "name_en"),
    addresses: Sequence[str] = ("address",),
) -> tuple[pd.DataFrame, int]:
    """Replace private persons' names, and the addresses of their rows.

    Parameters
    ----------
    frame
        A factories table (contract field names).
    names
        Name columns checked with :func:`is_person_name`; a row is a person's when any is.
    addresses
        Address columns replaced by :data:`WITHHELD_ADDRESS` in those rows.

    Returns
    -------
    tuple
        A copy of the frame with :data:`WITHHELD_NAME` in the persons' name columns (those
        that held a name) and the addresses withheld, and how many rows were a person's.
    """
    present = [c for c in names if c in frame.columns]
    if not present or len(frame) == 0:
        return frame, 0
    person = pd.Series(False, index=frame.index)
    for col in present:
        person |= frame[col].map(is_person_name).astype(bool)
    if not person.any():
        return frame, 0
    out = frame.copy()
    for col in present:
        filled = person & out[col].notna()
        out[col] = out[col].astype("string").mask(filled, WITHHELD_NAME)
    for col in (c for c in addresses if c in out.columns):
        filled = person & out[col].notna()
        out[col] = out[col].astype("string").mask(filled, WITHHELD_ADDRESS)
    return out, int(person.sum())
