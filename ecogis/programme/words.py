"""The words of the TOR progress, Thai and English: scopes, detail lines, what lacks.

:func:`~ecogis.programme.progress.tor_progress` writes each detail in both languages from
these templates (``detail_th``, ``detail_en``); ``ecogis programme``, its ``--json`` and the
upgrade report show the one of ``--lang``. The deliverables' own names are in
``tor_targets.toml`` (``name_th``, ``name_en``).
"""

from __future__ import annotations

LANGS = ("th", "en")

WORDS: dict[str, dict[str, str]] = {
    "th": {
        "scope_province": "จังหวัด {code}",
        "scope_zone": "พื้นที่ {zone}",
        "scope_all": "โรงงานทั้งหมด",
        "none_recorded": "ยังไม่มีบันทึก",
        "participants": ", ผู้เข้าร่วม {n} คน",
        "participants_unknown": ", ไม่ทราบจำนวนผู้เข้าร่วม",
        "not_counted": " — ไม่นับ (ต่ำกว่า {minimum} คน)",
        "no_report": "ยังไม่มีรายงาน (กรอกช่องรายงานในบันทึกการให้คำปรึกษา)",
        "acts": "{n} กิจกรรม",
        "acts_one": "{n} กิจกรรม",
        "factories_at": "{n} โรงงาน จาก {acts}",
        "man_days_for": "{days} คน-วัน ให้ {n} โรงงาน ใน {acts}",
        "no_factories": "ไม่มีโรงงานในพื้นที่",
        "database": "ข้อมูลครบ {complete} จาก {total} โรงงาน "
        "(สถานะครบทุกข้อกำหนด {compliance} โรงงาน, สมดุลมวลสารครบ {mass_balance} โรงงาน)",
        "lacks_status": "ไม่มีสถานะ",
        "lacks_flows": "สมดุลมวลสารไม่มี",
        "col_deliverable": "ผลผลิตตาม TOR",
        "col_scope": "ขอบเขต",
        "col_target": "เป้าหมาย",
        "col_actual": "ผลงาน",
        "col_met": "ผล",
        "met": "ผ่าน",
        "not_met": "ยังไม่ผ่าน",
        "incomplete_head": "โรงงานที่ข้อมูลยังไม่ครบ ({n} โรงงาน):",
        "summary": "{scope}: ผ่าน {met} จาก {total} ผลผลิต (เป้าหมายชุด {version}, "
        "สถานะการปฏิบัติตามกฎหมาย ณ {as_of})",
    },
    "en": {
        "scope_province": "province {code}",
        "scope_zone": "zone {zone}",
        "scope_all": "all factories",
        "none_recorded": "none recorded",
        "participants": ", {n} participants",
        "participants_unknown": ", participants unknown",
        "not_counted": " — not counted (under {minimum})",
        "no_report": "no report recorded (fill in the report column of the consulting log)",
        "acts": "{n} activities",
        "acts_one": "{n} activity",
        "factories_at": "{n} factories at {acts}",
        "man_days_for": "{days} man-days for {n} factories at {acts}",
        "no_factories": "no factories in the area",
        "database": "{complete} of {total} factories complete ({compliance} with every "
        "requirement's status, {mass_balance} with a full mass balance)",
        "lacks_status": "no status",
        "lacks_flows": "mass balance lacks",
        "col_deliverable": "deliverable",
        "col_scope": "scope",
        "col_target": "target",
        "col_actual": "actual",
        "col_met": "met",
        "met": "met",
        "not_met": "not met",
        "incomplete_head": "factories whose record is incomplete ({n}):",
        "summary": "{scope}: {met} of {total} deliverables met (targets {version}, "
        "compliance as of {as_of})",
    },
}


def words(lang: str) -> dict[str, str]:
    """Return the templates of ``lang``.

    Parameters
    ----------
    lang : str
        ``th`` or ``en``; anything else gives English.

    Returns
    -------
    dict of str to str
        Template key → text with ``str.format`` fields.
    """
    return WORDS["th" if lang == "th" else "en"]


def both(key: str, **values: object) -> dict[str, str]:
    """Template ``key`` filled in each language.

    Parameters
    ----------
    key : str
        A key of :data:`WORDS`.
    **values : object
        The template's fields.

    Returns
    -------
    dict of str to str
        ``{"th": …, "en": …}``.
    """
    return {lang: WORDS[lang][key].format(**values) for lang in LANGS}
