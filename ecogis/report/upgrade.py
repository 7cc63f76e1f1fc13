"""The upgrade report (TOR 5.7): an area's change toward DIW's level 2, for print.

:func:`upgrade_context` turns workspace frames into what ``upgrade.html.j2`` shows (pure:
frames in, a dict out) and :func:`build_upgrade_html` renders it through the one report
renderer (:func:`ecogis.report.render.render_page`): every value reaches the template as an
autoescaped variable. The page prints to A4 with :func:`ecogis.report.pdf.write_pdf`.

Sections: cover and summary; the area before and after (two static maps side by side);
the indicators baseline → follow-up → level-2 threshold with a chart, and what still
stands between the area and level 2; TOR progress and the activity ledger; the factory
database; per-factory progress; the symbiosis exchanges started; guidelines for what
remains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ecogis.catalogue.materials import material_name
from ecogis.programme.snapshot import SYSTEMS, factory_changes
from ecogis.receptors import is_sensitive
from ecogis.report import pdf_figures as figs
from ecogis.report.pdf import keep_compounds, thai_font
from ecogis.report.render import render_page, stylesheet
from ecogis.report.upgrade_text import KIND_WORDS, SYSTEM_WORDS, TEXT, UNIT_WORDS


@dataclass
class UpgradeInputs:
    """The frames the upgrade report reads, already limited to the area where it matters."""

    area_id: str
    zone: gpd.GeoDataFrame
    factories: gpd.GeoDataFrame
    comparison: pd.DataFrame  # ecogis.eit.compare_rounds table
    summary: dict[str, Any]  # ecogis.eit.compare_rounds summary
    progress: pd.DataFrame  # ecogis.programme.tor_progress
    database: pd.DataFrame  # ecogis.programme.database_check
    database_lacks: list[str]  # per database row, what lacks in words
    activities: pd.DataFrame | None = None
    attendance: pd.DataFrame | None = None
    snapshots: pd.DataFrame | None = None  # eit_factory_status
    communities: gpd.GeoDataFrame | None = None
    siting_flags: pd.DataFrame | None = None
    exchanges: pd.DataFrame | None = None  # started symbiosis links
    guidelines: pd.DataFrame | None = None
    requirement_names: dict[str, str] = field(default_factory=dict)
    level2_gap: list[dict[str, Any]] = field(default_factory=list)  # compare's to_level2
    level_lines: list[str] = field(default_factory=list)  # the level rule at follow-up, in words
    provisional: bool = True
    illustrative: bool = False
    province_name: str = ""


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _num(value: Any, digits: int = 2) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(x):
        return "–"
    if x.is_integer() or abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def _map_class(snap: pd.DataFrame | None, factory_ids: pd.Series) -> pd.Series:
    """Each factory's map colour key at a round from its stored status."""
    if snap is None or snap.empty:
        return pd.Series("unknown", index=factory_ids.index)
    s = snap.drop_duplicates("factory_id").set_index("factory_id")
    n = sum(s[c].fillna(False).astype(int) for c in SYSTEMS)
    cls = np.select([n == 3, n > 0], ["all", "some"], "none")
    by_id = pd.Series(cls, index=s.index)
    by_id[~s["has_records"].fillna(False).astype(bool)] = "unknown"
    return factory_ids.map(by_id).fillna("unknown")


def _maps(inp: UpgradeInputs) -> dict[str, str]:
    """Draw the baseline and follow-up maps as ``data:`` URIs (empty when nothing is placed)."""
    from ecogis.crs import metric_crs

    placed = inp.factories[inp.factories.geometry.notna()]
    if placed.empty or inp.zone.empty:
        return {}
    crs = metric_crs([inp.zone, placed])
    sensitive = None
    if inp.communities is not None:
        sensitive = pd.Series(is_sensitive(inp.communities), index=inp.communities.index)
    breaches = None
    if inp.siting_flags is not None and len(inp.siting_flags):
        breaches = placed[placed["factory_id"].isin(set(inp.siting_flags["factory_id"]))]
    out = {}
    extent = None
    for rnd in ("baseline", "followup"):
        snap = None
        if inp.snapshots is not None:
            snap = inp.snapshots[
                (inp.snapshots["area_id"].astype("string") == inp.area_id)
                & (inp.snapshots["round"] == rnd)
            ]
        layers = figs.MapLayers(
            zones=inp.zone,
            factories=placed.assign(map_class=_map_class(snap, placed["factory_id"])),
            communities=inp.communities,
            sensitive=list(sensitive) if sensitive is not None else None,
            breaches=breaches,
        )
        extent = extent or figs.map_extent(layers, crs=crs)
        out[rnd] = figs.svg_data_uri(figs.area_map_svg(layers, crs=crs, extent=extent))
    return out


def _meets(value: Any, threshold: Any, direction: Any) -> bool | None:
    """Whether ``value`` meets ``threshold`` in the indicator's direction (None if unknown)."""
    try:
        v, thr = float(value), float(threshold)
    except (TypeError, ValueError):
        return None
    if math.isnan(v) or math.isnan(thr):
        return None
    return v >= thr if direction != "lower" else v <= thr


def _indicator_rows(inp: UpgradeInputs, t: dict[str, str], lang: str) -> list[dict[str, str]]:
    """Each indicator: baseline, follow-up, its level-2 threshold and met at level 2."""
    rows = []
    for r in inp.comparison.to_dict("records"):
        thr2 = r.get("threshold_level2")
        direction = r.get("direction")

        def met(v: Any, _thr: Any = thr2, _dir: Any = direction) -> str:
            ok = _meets(v, _thr, _dir)
            return "–" if ok is None else (t["met"] if ok else t["not_met"])

        rows.append(
            {
                "id": _text(r["indicator_id"]),
                "name": _text(r.get(f"name_{lang}")),
                "level": _num(r.get("level")),
                "unit": _unit(r.get("unit"), lang),
                "baseline": _num(r["baseline"]),
                "followup": _num(r["followup"]),
                "threshold": _num(thr2),
                "met": f"{met(r['baseline'])} → {met(r['followup'])}",
                "trend": _text(r["improvement"]),
                "evidence": _text(r.get("evidence_followup")),
            }
        )
    return rows


def _unit(unit: Any, lang: str) -> str:
    text = _text(unit)
    return UNIT_WORDS["th" if lang == "th" else "en"].get(text, text)


def _indicator_chart(inp: UpgradeInputs) -> str:
    c = inp.comparison
    pct = c[(c["unit"] == "%") & c["threshold_level2"].notna()]
    if pct.empty:
        return ""
    svg = figs.indicator_chart_svg(
        list(pct["indicator_id"].astype(str)),
        list(pct["baseline"].astype(float)),
        list(pct["followup"].astype(float)),
        list(pct["threshold_level2"].astype(float)),
    )
    return figs.svg_data_uri(svg)


def _ledger_rows(inp: UpgradeInputs, lang: str) -> list[dict[str, str]]:
    if inp.activities is None or inp.activities.empty:
        return []
    att = inp.attendance if inp.attendance is not None else pd.DataFrame(columns=["activity_id"])
    n_fac = att.groupby("activity_id")["factory_id"].nunique() if len(att) else pd.Series()
    days = (
        pd.to_numeric(att["man_days"], errors="coerce").groupby(att["activity_id"]).sum()
        if len(att)
        else pd.Series()
    )
    acts = inp.activities.sort_values(["date", "activity_id"])
    # Consulting is logged visit by visit: one line per round of visits with one title.
    visits = acts["kind"].eq("consulting")
    rows = []
    for r in acts[~visits].to_dict("records"):
        aid = str(r["activity_id"])
        title = _text(r.get("title_en")) if lang == "en" else ""
        rows.append(
            {
                "date": _text(r["date"]),
                "kind": _kind_label(str(r["kind"]), lang),
                "title": title or _text(r["title_th"]),
                "participants": _num(r.get("participants")),
                "factories": _num(n_fac.get(aid, 0)),
                "man_days": _num(days.get(aid)) if days.get(aid) else "",
                "evidence": _text(r.get("evidence")),
            }
        )
    for visit_title, group in acts[visits].groupby("title_th", sort=False):
        ids = set(group["activity_id"])
        mine = att[att["activity_id"].isin(ids)] if len(att) else att
        first, last = str(group["date"].min()), str(group["date"].max())
        reports = [_text(x) for x in group.get("report", pd.Series(dtype=object)) if _text(x)]
        shown = _text(group["title_en"].iloc[0]) if lang == "en" else ""
        n_visits = f"{len(group)} {TEXT[lang]['visits']}"
        rows.append(
            {
                "date": first if first == last else f"{first} – {last}",
                "kind": _kind_label("consulting", lang),
                "title": f"{shown or _text(visit_title)} ({n_visits})",
                "participants": _num(group["participants"].sum(min_count=1)),
                "factories": _num(mine["factory_id"].nunique() if len(mine) else 0),
                "man_days": _num(pd.to_numeric(mine["man_days"], errors="coerce").sum())
                if len(mine)
                else "",
                "evidence": "; ".join(
                    dict.fromkeys(
                        [*[_text(e) for e in group["evidence"] if _text(e)][:1], *reports]
                    )
                ),
            }
        )
    rows.sort(key=lambda x: x["date"])
    return rows


def _kind_label(kind: str, lang: str) -> str:
    return KIND_WORDS["th" if lang == "th" else "en"].get(kind, kind.replace("_", " "))


def _factory_rows(inp: UpgradeInputs, t: dict[str, str], lang: str) -> list[dict[str, str]]:
    """Per factory: what the ledger gave it and what changed in its records."""
    if inp.snapshots is None:
        return []
    changes = factory_changes(inp.snapshots, area_id=inp.area_id)
    if changes.empty:
        return []
    names = inp.factories.drop_duplicates("factory_id").set_index("factory_id")[f"name_{lang}"]
    att = inp.attendance if inp.attendance is not None else pd.DataFrame()
    kinds = (
        inp.activities.set_index("activity_id")["kind"]
        if inp.activities is not None and len(inp.activities)
        else pd.Series(dtype="string")
    )
    words = SYSTEM_WORDS[lang]
    rows = []
    for r in changes.to_dict("records"):
        fid = r["factory_id"]
        mine = att[att["factory_id"] == fid] if len(att) else att
        got = mine["activity_id"].map(kinds) if len(mine) else pd.Series(dtype="string")
        took = [
            _kind_label(k, lang)
            for k in ("training", "study_tour", "consulting", "emergency_drill")
            if (got == k).any()
        ]
        days = float(pd.to_numeric(mine["man_days"], errors="coerce").sum()) if len(mine) else 0.0
        if days:
            took.append(f"{days:g} {t['col_man_days']}")
        gained = [words[s] for s in str(r["gained"]).split(";") if s]
        if r["gi_followup"] and r["gi_followup"] != r["gi_baseline"]:
            gained.append(f"GI: {r['gi_baseline'] or '–'} → {r['gi_followup']}")
        resolved = [inp.requirement_names.get(x, x) for x in str(r["resolved"]).split(";") if x]
        lost = [words[s] for s in str(r["lost"]).split(";") if s]
        lost += [inp.requirement_names.get(x, x) for x in str(r["new_issues"]).split(";") if x]
        rows.append(
            {
                "factory_id": str(fid),
                "name": _text(names.get(fid)),
                "took": ", ".join(took) or "–",
                "gained": ", ".join(gained + resolved) or "–",
                "remains": ", ".join(lost) or "–",
            }
        )
    rows.sort(key=lambda x: (x["took"] == "–", x["factory_id"]))
    return rows


def upgrade_context(inp: UpgradeInputs, *, lang: str = "th") -> dict[str, Any]:
    """Everything ``upgrade.html.j2`` shows, as plain values (escaped by the template).

    Parameters
    ----------
    inp : UpgradeInputs
        The area's frames, round comparison, TOR progress, database check and guidelines.
    lang : str
        ``th`` (default) or ``en``.

    Returns
    -------
    dict of str to Any
        Template variables: the words ``t``, area and province names, round dates and
        levels, counts (indicators better/worse, TOR deliverables met, complete factories),
        the two maps and the indicator chart (SVG data URIs), and the rows of every table
        (indicators, what stands between the area and level 2, TOR progress with ``share``
        in percent, the ledger, the database, per-factory progress, exchanges in
        tonnes/year, the first 15 guidelines).
    """
    t = TEXT[lang]
    s = inp.summary
    zone_name = _text(inp.zone.iloc[0].get(f"name_{lang}")) if len(inp.zone) else inp.area_id
    met = int(inp.progress["met"].sum()) if len(inp.progress) else 0
    tor = [
        {
            "name": _text(r[f"name_{lang}"]),
            "scope": _text(r[f"scope_{lang}"]),
            "target": _num(r["target"]),
            "actual": _num(r["actual"]),
            "met": t["met"] if r["met"] else t["not_met"],
            "ok": bool(r["met"]),
            "share": min(100.0, 100.0 * float(r["actual"]) / float(r["target"]))
            if float(r["target"])
            else 100.0,
            "detail": _text(r[f"detail_{lang}"]),
        }
        for r in inp.progress.to_dict("records")
    ]
    db = [
        {
            "factory_id": _text(r["factory_id"]),
            "name": _text(r.get(f"name_{lang}")),
            "compliance": t["complete"] if r["compliance_complete"] else t["incomplete"],
            "mass_balance": t["complete"] if r["mass_balance_complete"] else t["incomplete"],
            "lacks": lacks,
        }
        for r, lacks in zip(inp.database.to_dict("records"), inp.database_lacks, strict=True)
    ]
    exchanges = []
    if inp.exchanges is not None:
        for r in inp.exchanges.to_dict("records"):
            exchanges.append(
                {
                    "provider": _text(r.get("provider_id")),
                    "receiver": _text(r.get("receiver_id")),
                    "material": material_name(_text(r.get("material")), lang),
                    "tonnes": _num(r.get("tonnes")),
                    "use": _text(r.get(f"use_{lang}")),
                }
            )
    guides = []
    if inp.guidelines is not None:
        for r in inp.guidelines.head(15).to_dict("records"):
            guides.append(
                {
                    "rank": _num(r["rank"]),
                    "indicator": _text(r.get("indicator_id")),
                    "detail": _text(r.get(f"detail_{lang}")),
                }
            )
    by_id = inp.comparison.set_index("indicator_id") if len(inp.comparison) else None

    def why(gap: dict[str, Any], indicator: str) -> str:
        if str(gap["why"]) == "no value":
            return t["no_value"]
        if str(gap["why"]) == "below threshold":
            lower = by_id is not None and by_id.at[indicator, "direction"] == "lower"
            return t["above_threshold"] if lower else t["below_threshold"]
        return str(gap["why"])

    between = [
        {
            "id": i,
            "name": _text(by_id.at[i, f"name_{lang}"]),
            "followup": _num(by_id.at[i, "followup"]),
            "threshold": _num(by_id.at[i, "threshold_level2"])
            if g["level"] == 2
            else _num(by_id.at[i, "threshold"]),
            # a count reads as a bare number ("2", not "2 count")
            "unit": "" if by_id.at[i, "unit"] == "count" else _unit(by_id.at[i, "unit"], lang),
            "level": str(g["level"]),
            "why": why(g, i),
        }
        for g in inp.level2_gap
        if by_id is not None and (i := str(g["indicator_id"])) in by_id.index
    ]
    return {
        "t": t,
        "lang": lang,
        "keep": keep_compounds,
        "illustrative": inp.illustrative,
        "provisional": inp.provisional,
        "area_id": inp.area_id,
        "zone_name": zone_name,
        "province_name": inp.province_name,
        "date_baseline": _text(s.get("date_baseline")),
        "date_followup": _text(s.get("date_followup")),
        "level_baseline": _text(s.get("level_baseline")),
        "level_followup": _text(s.get("level_followup")),
        "reasons_followup": inp.level_lines or list(s.get("reasons_followup", [])),
        "n_better": int(s.get("better", 0)),
        "n_worse": int(s.get("worse", 0)),
        "n_factories": len(inp.database),
        "tor_met": met,
        "tor_total": len(inp.progress),
        "db_complete": int(inp.database["complete"].sum()) if len(inp.database) else 0,
        "maps": _maps(inp),
        "indicators": _indicator_rows(inp, t, lang),
        "chart": _indicator_chart(inp),
        "between": between,
        "tor": tor,
        "ledger": _ledger_rows(inp, lang),
        "database": db,
        "factory_rows": _factory_rows(inp, t, lang),
        "exchanges": exchanges,
        "guidelines": guides,
    }


def build_upgrade_html(
    inp: UpgradeInputs, *, lang: str = "th", generated: date | None = None
) -> str:
    """Build the upgrade report as one HTML page with its print stylesheet (A4, page numbers).

    Parameters
    ----------
    inp : UpgradeInputs
        What the report shows (see :func:`upgrade_context`).
    lang : str
        ``th`` (default) or ``en``.
    generated : datetime.date or None
        The date printed on the report; ``None`` (default) is today.

    Returns
    -------
    str
        The HTML page, for :func:`ecogis.report.pdf.write_pdf`.

    Raises
    ------
    PdfError
        When no Thai font is installed (checked before anything is drawn).
    """
    thai_font()  # refuse early, with the package to install, when no Thai font is there
    context = upgrade_context(inp, lang=lang)
    return render_page(
        "upgrade.html.j2",
        css=stylesheet("upgrade.css"),
        generated=(generated or date.today()).isoformat(),
        **context,
    )
