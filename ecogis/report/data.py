"""Gather what a province report shows from workspace frames (pure: frames in, dicts out).

Each section reads the layers it needs when the workspace has them and says plainly when
it does not. Column labels come from the layer contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecogis import schema
from ecogis.webmap.recipe import DERIVED_FIELDS

TEXT: dict[str, dict[str, str]] = {
    "th": {
        "title": "รายงานแผนปฏิบัติการเมืองอุตสาหกรรมเชิงนิเวศ",
        "province": "จังหวัด",
        "heading": "จังหวัด{name}",
        "generated": "จัดทำเมื่อ",
        "illustrative": "ข้อมูลตัวอย่างเพื่อการสาธิต ไม่ใช่ข้อมูลจริง",
        "no_data": "ไม่มีข้อมูลของจังหวัดนี้ในพื้นที่ทำงาน",
        "no_data_hint": "นำเข้าข้อมูลโรงงานและแผนปฏิบัติการของจังหวัด เช่น "
        "ecogis import factories … และ ecogis import actionplan … แล้วจัดทำรายงานใหม่",
        "no_layer": "ยังไม่มีข้อมูล {title} ในพื้นที่ทำงาน",
        "none_here": "ไม่พบรายการในจังหวัดนี้",
        "key_figures": "ตัวเลขสำคัญ",
        "map": "แผนที่จังหวัด",
        "action_plan": "แผนปฏิบัติการ",
        "risk": "จุดเสี่ยง: ชุมชนที่ใกล้แหล่งอันตรายที่สุด",
        "siting": "การฝ่าฝืนระยะห่างจากสถานที่อ่อนไหว",
        "symbiosis": "โอกาสการใช้ประโยชน์ของเสียร่วมกัน (Industrial symbiosis)",
        "compliance": "ช่องว่างการปฏิบัติตามกฎหมายและมาตรฐาน",
        "indicators": "ตัวชี้วัดเมืองอุตสาหกรรมเชิงนิเวศ",
        "baseline": "ก่อนดำเนินการ",
        "followup": "ติดตามผล",
        "factories": "โรงงาน",
        "class3": "โรงงานจำพวกที่ 3",
        "workers": "คนงาน",
        "communities": "ชุมชน/สถานที่อ่อนไหว",
        "population": "ประชากรในชุมชน",
        "projects": "โครงการในแผน",
        "budget": "งบประมาณรวม (บาท)",
        "gaps": "โรงงานที่มีช่องว่าง",
        "breaches": "การฝ่าฝืนระยะห่าง",
        "budget_by_strategy": "งบประมาณตามยุทธศาสตร์ (บาท)",
        "status_count": "จำนวนโครงการตามสถานะ",
        "top_scores": "คะแนนความใกล้ชิดแหล่งอันตราย (สูงสุด 10 อันดับ)",
        "gap_counts": "จำนวนโรงงานตามประเภทช่องว่าง",
        "totals": "รวม",
        "exchanges": "จำนวนคู่แลกเปลี่ยน",
        "by_grade": "{what} แยกตาม{grade}",
        "sankey": "การไหลของของเสียสู่อุตสาหกรรมผู้รับ (ตัน/ปี)",
        "index_title": "รายงานแผนปฏิบัติการ 15 จังหวัด",
        "open": "เปิดรายงาน",
        "shown": "แสดง {n} จาก {total} รายการ",
    },
    "en": {
        "title": "Eco-industrial town action-plan report",
        "province": "Province",
        "heading": "{name} province",
        "generated": "Generated",
        "illustrative": "Illustrative demonstration data, not real records",
        "no_data": "This workspace has no data for this province.",
        "no_data_hint": "Import the province's factories and action plan (ecogis import "
        "factories …, ecogis import actionplan …), then write the report again.",
        "no_layer": "No {title} in this workspace yet.",
        "none_here": "None in this province.",
        "key_figures": "Key figures",
        "map": "Province map",
        "action_plan": "Action plan",
        "risk": "Risk hotspots: communities closest to hazards",
        "siting": "Siting-distance breaches",
        "symbiosis": "Industrial symbiosis opportunities",
        "compliance": "Compliance gaps",
        "indicators": "Eco-industrial town indicators",
        "baseline": "Baseline",
        "followup": "Follow-up",
        "factories": "Factories",
        "class3": "Class 3 factories",
        "workers": "Workers",
        "communities": "Communities and receptors",
        "population": "Community population",
        "projects": "Projects in the plan",
        "budget": "Total budget (THB)",
        "gaps": "Factories with gaps",
        "breaches": "Siting breaches",
        "budget_by_strategy": "Budget by strategy (THB)",
        "status_count": "Projects by status",
        "top_scores": "Proximity score (top 10)",
        "gap_counts": "Factories by kind of gap",
        "totals": "Totals",
        "exchanges": "Exchanges",
        "by_grade": "{what} by {grade}",
        "sankey": "Waste flows to receiving industries (t/yr)",
        "index_title": "Action-plan reports of the 15 provinces",
        "open": "Open report",
        "shown": "showing {n} of {total}",
    },
}

STATUS_COLORS = {
    c["value"]: c["color"] for c in schema.contract("action_plans").style.get("classes", [])
}


@dataclass
class Table:
    """A table ready for the template: labelled columns and formatted cells."""

    columns: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Section:
    """One report section: heading, an optional message, tables, charts and totals."""

    key: str
    title: str
    message: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    totals: list[tuple[str, str]] = field(default_factory=list)


def fmt(value: Any, *, lang: str = "th") -> str:
    """Format a cell value as text: thousands separators, 2 decimals at most, ``–`` when missing.

    Parameters
    ----------
    value : Any
        The cell (number, bool, text, ``None``/NA/NaN); units are the column's own.
    lang : str
        ``th`` (default) or ``en``: the words for a bool (ใช่/ไม่ใช่, yes/no).

    Returns
    -------
    str
        Whole numbers and values ≥ 100 without decimals (``12,345``), others with 2
        (``3.14``); text as is; ``–`` when missing.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool | np.bool_):
        return ("ใช่" if value else "ไม่ใช่") if lang == "th" else ("yes" if value else "no")
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        return f"{v:,.0f}" if abs(v) >= 100 or v.is_integer() else f"{v:,.2f}"
    return str(value)


DIMENSIONS = {
    "th": {
        "physical": "กายภาพ",
        "economic": "เศรษฐกิจ",
        "environmental": "สิ่งแวดล้อม",
        "social": "สังคม",
        "management": "การบริหารจัดการ",
    },
    "en": {
        "physical": "Physical",
        "economic": "Economic",
        "environmental": "Environmental",
        "social": "Social",
        "management": "Management",
    },
}
"""The five dimensions of DIW's eco-industrial town criteria, as a report writes them."""

_VALUE_ALIASES = {"receptor_kind": "kind", "hazard": "hazard_class"}


def value_label(layer: str, fld: str, value: Any, lang: str) -> str:
    """Label a categorized value (e.g. status ``done`` → แล้วเสร็จ, kind ``temple`` → วัด).

    From the style of ``layer`` when it classifies ``fld``, else of any contract whose style
    classifies a field of that name.

    Parameters
    ----------
    layer : str
        The layer the value comes from (its contract's ``[style]`` is looked at first).
    fld : str
        The field name (``receptor_kind`` and ``hazard`` are looked up as ``kind`` and
        ``hazard_class``; ``dimension`` gives DIW's dimension names).
    value : Any
        The stored value.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    str
        The class label in ``lang``; :func:`fmt` of the value when no style names it;
        ``–`` when missing.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if fld == "dimension" and str(value) in DIMENSIONS[lang]:
        return DIMENSIONS[lang][str(value)]
    name = _VALUE_ALIASES.get(fld, fld)
    candidates = [schema.contract(layer)] if schema.has_contract(layer) else []
    candidates += list(schema.contracts().values())
    for c in candidates:
        style = c.style
        if style.get("type") == "categorized" and style.get("field") in (fld, name):
            for cls in style.get("classes", []):
                if str(cls.get("value")) == str(value):
                    return str(cls.get(f"label_{lang}", value))
    return fmt(value, lang=lang)


def make_table(
    frame: pd.DataFrame, layer: str, fields: list[str], *, lang: str, limit: int | None = None
) -> Table:
    """Make a :class:`Table` of ``fields``, labelled from ``layer``'s contract.

    Only the fields the frame has are shown. Labels also come from the web map's derived
    fields (e.g. a symbiosis link's ``route``).

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows, in the order shown.
    layer : str
        The layer whose contract labels the columns and categorized values.
    fields : list of str
        The columns wanted, in order.
    lang : str
        ``th`` or ``en``.
    limit : int or None
        Show at most this many rows (the table's note says how many of how many);
        ``None`` (default) shows all.

    Returns
    -------
    Table
        Column labels, which columns are numeric (right-aligned), the rows as text, and
        the note.
    """
    labels = {k: v[0] if lang == "th" else v[1] for k, v in DERIVED_FIELDS.get(layer, {}).items()}
    if schema.has_contract(layer):
        labels.update(schema.contract(layer).labels(lang))
    cols = [f for f in fields if f in frame.columns]
    total = len(frame)
    sub = frame.head(limit) if limit is not None else frame
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c].dtype)
        and not pd.api.types.is_bool_dtype(frame[c].dtype)
        for c in cols
    ]
    rows = []
    for _, rec in sub.iterrows():
        rows.append(
            [
                value_label(layer, c, rec[c], lang)
                if isinstance(rec[c], str)
                else fmt(rec[c], lang=lang)
                for c in cols
            ]
        )
    note = (
        TEXT[lang]["shown"].format(n=len(sub), total=total)
        if limit is not None and total > limit
        else ""
    )
    return Table(columns=[labels.get(c, c) for c in cols], numeric=numeric, rows=rows, note=note)
