"""The sections of a province report, each from the layers it needs (pure functions)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ecogis import schema
from ecogis.report.charts import hbar_chart, paired_bar_chart
from ecogis.report.data import (
    STATUS_COLORS,
    TEXT,
    Section,
    Table,
    fmt,
    make_table,
    value_label,
)
from ecogis.risk import TOP_COLUMNS
from ecogis.webmap.data import link_fields, material_names
from ecogis.webmap.exchanges import sankey_flows
from ecogis.webmap.sankey import sankey_svg


def _unavailable(frame: pd.DataFrame | None, key: str, layer: str, lang: str) -> Section:
    """Build the section ``key`` saying the workspace lacks ``layer`` or it is empty here.

    ``frame`` is ``None`` when the workspace lacks the layer, empty when the layer has
    nothing in this province.
    """
    t = TEXT[lang]
    if frame is not None:
        return Section(key=key, title=t[key], message=t["none_here"])
    title = schema.contract(layer).title(lang) if schema.has_contract(layer) else layer
    return Section(key=key, title=t[key], message=t["no_layer"].format(title=title))


def _table_section(
    frame: pd.DataFrame,
    key: str,
    layer: str,
    fields: list[str],
    *,
    lang: str,
    limit: int | None = None,
) -> Section:
    """Section ``key`` with one table of ``fields`` of ``frame`` (labels from ``layer``)."""
    return Section(
        key=key,
        title=TEXT[lang][key],
        tables=[make_table(frame, layer, fields, lang=lang, limit=limit)],
    )


def plan_columns(plan: pd.DataFrame) -> list[str]:
    """Return the action-plan table's columns, from the ``action_plans`` contract.

    Every field of the contract in its order, but the business key (project id and
    province, which the report's heading says) and the provenance (``source``), that has a
    value in ``plan``: a plan without locations or factory links shows no empty columns.

    Parameters
    ----------
    plan
        The province's ``action_plans`` rows.

    Returns
    -------
    list of str
        Field names.
    """
    contract = schema.contract("action_plans")
    return [
        f
        for f in contract.field_names
        if f not in contract.key
        and f != "source"
        and f in plan.columns
        and bool(plan[f].notna().any())
    ]


def action_plan_section(plan: pd.DataFrame | None, *, lang: str) -> Section:
    """Build the action-plan table by strategy, budget by strategy and projects by status.

    Parameters
    ----------
    plan : pandas.DataFrame or None
        The province's ``action_plans`` rows; ``None`` when the workspace has no such layer.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    Section
        The table, a chart of budget (baht) by strategy, a chart of projects by status and
        the totals (projects, budget in baht); a plain message when there is no plan.
    """
    t = TEXT[lang]
    if plan is None or plan.empty:
        return _unavailable(plan, "action_plan", "action_plans", lang)
    plan = plan.sort_values(["strategy", "action_id"], kind="stable")
    section = _table_section(plan, "action_plan", "action_plans", plan_columns(plan), lang=lang)
    budget = pd.to_numeric(plan["budget_thb"], errors="coerce")
    by_strategy = budget.groupby(plan["strategy"].astype("string")).sum(min_count=1).dropna()
    if len(by_strategy):
        section.charts.append(
            hbar_chart(
                list(by_strategy.index),
                by_strategy.tolist(),
                title=t["budget_by_strategy"],
                color="#2b8cbe",
            )
        )
    status = plan["status"].astype("string").value_counts()
    order = [s for s in STATUS_COLORS if s in status.index]
    if order:
        section.charts.append(
            hbar_chart(
                [value_label("action_plans", "status", s, lang) for s in order],
                [float(status[s]) for s in order],
                title=t["status_count"],
                colors=[STATUS_COLORS[s] for s in order],
            )
        )
    section.totals = [
        (t["projects"], fmt(len(plan))),
        (t["budget"], fmt(float(budget.sum(min_count=1))) if budget.notna().any() else "–"),
    ]
    return section


def risk_section(receptors: pd.DataFrame | None, *, lang: str, top: int = 10) -> Section:
    """List the communities with the highest proximity scores.

    Parameters
    ----------
    receptors : pandas.DataFrame or None
        The province's ``risk_receptors`` rows; ``None`` when the workspace has no such
        layer.
    lang : str
        ``th`` or ``en``.
    top : int
        How many communities to list and chart; default 10.

    Returns
    -------
    Section
        The risk screen's top-table columns, a chart of ``prox_score``, and the totals
        (communities, population in people); a plain message when there are no rows.
    """
    t = TEXT[lang]
    if receptors is None or receptors.empty:
        return _unavailable(receptors, "risk", "risk_receptors", lang)
    ranked = receptors.sort_values("prox_score", ascending=False, kind="stable")
    name = "name_th" if lang == "th" else "name_en"
    # The columns of the risk screen's top table, names in the report's language.
    fields = [
        name if c == "name_th" else c for c in TOP_COLUMNS if c not in ("rank", "community_id")
    ]
    section = _table_section(ranked, "risk", "risk_receptors", fields, lang=lang, limit=top)
    head = ranked.head(top)
    labels = (
        head[name].astype("string").fillna(head["name_th"].astype("string")).fillna("–").tolist()
    )
    section.charts.append(
        hbar_chart(
            labels,
            pd.to_numeric(head["prox_score"], errors="coerce").tolist(),
            title=t["top_scores"],
            color="#e31a1c",
        )
    )
    pop = (
        pd.to_numeric(receptors["population"], errors="coerce")
        if "population" in receptors.columns
        else None
    )
    section.totals = [
        (t["communities"], fmt(len(receptors))),
        (t["population"], fmt(float(pop.sum())) if pop is not None else "–"),
    ]
    return section


def siting_section(flags: pd.DataFrame | None, *, lang: str, top: int = 20) -> Section:
    """Factories closer to schools, temples, hospitals … than the siting rule allows.

    Parameters
    ----------
    flags : pandas.DataFrame or None
        The province's ``siting_flags`` rows; ``None`` when the workspace has no such layer.
    lang : str
        ``th`` or ``en``.
    top : int
        How many breaches to list, largest shortfall first; default 20.

    Returns
    -------
    Section
        The table (distances and shortfall in metres) and the count of breaches; a plain
        message when there are none.
    """
    t = TEXT[lang]
    if flags is None or flags.empty:
        return _unavailable(flags, "siting", "siting_flags", lang)
    ranked = flags.sort_values("shortfall_m", ascending=False, kind="stable")
    fields = [
        "factory_name",
        "factory_id",
        "factory_class",
        "receptor_name",
        "receptor_kind",
        "distance_m",
        "rule_distance_m",
        "shortfall_m",
    ]
    section = _table_section(ranked, "siting", "siting_flags", fields, lang=lang, limit=top)
    section.totals = [(t["breaches"], fmt(len(flags)))]
    return section


def _pick(fields: list[str], *candidates: str, contains: str | None = None) -> str | None:
    for c in candidates:
        if c in fields:
            return c
    if contains:
        for f in fields:
            if contains in f:
                return f
    return None


def symbiosis_section(
    links: pd.DataFrame | None,
    layer: str,
    *,
    lang: str,
    top: int = 20,
    factories: pd.DataFrame | None = None,
) -> Section:
    """Symbiosis links (or candidates) in the province and their totals.

    Links read as on the map: provider → receiver by factory name (from ``factories``),
    the material's name and its use in ``lang``.

    Parameters
    ----------
    links : pandas.DataFrame or None
        The province's ``symbiosis_links`` (or candidates) rows; ``None`` when the
        workspace has no such layer.
    layer : str
        ``symbiosis_links`` or ``symbiosis_candidates`` (labels; links also get the flow
        diagram).
    lang : str
        ``th`` or ``en``.
    top : int
        How many exchanges to list, most tonnes first; default 20.
    factories : pandas.DataFrame or None
        The ``factories`` layer, for the factory names of a route; default ``None``.

    Returns
    -------
    Section
        The table, the totals (exchanges; tonnes/year, benefit in baht/year, net CO₂e in
        tonnes/year where the layer has them), the Sankey diagram of links and a chart of
        tonnes by grade; a plain message when there are none.
    """
    t = TEXT[lang]
    if links is None or links.empty:
        return _unavailable(links, "symbiosis", layer, lang)
    if layer == "symbiosis_links" and {"provider_id", "receiver_id"} <= set(links.columns):
        derived = link_fields(links, factories, lang=lang)
        links = links.assign(**{c: derived[c] for c in ("route", "material_name", "use")})
    fields = [f for f in links.columns if f != "geometry"]
    tonnes = _pick(fields, "tonnes", "allocated", "supply")
    ranked = links.sort_values(tonnes, ascending=False, kind="stable") if tonnes else links
    use = "use" if "use" in fields else ("use_th" if lang == "th" else "use_en")
    named = "route" in fields
    wanted = [
        "route" if named else "label",
        "material_name" if named else "material",
        "waste_code",
        "hazard_mark",
        "tonnes",
        "allocated",
        "distance_km",
        use,
        "benefit_thb_yr",
        "net_co2e_t_yr",
        "grade",
    ]
    section = _table_section(ranked, "symbiosis", layer, wanted, lang=lang, limit=top)
    labels = schema.contract(layer).labels(lang) if schema.has_contract(layer) else {}
    totals: list[tuple[str, str]] = [(t["exchanges"], fmt(len(links)))]
    for f in (tonnes, "benefit_thb_yr", "net_co2e_t_yr"):
        if f and f in fields and pd.api.types.is_numeric_dtype(links[f].dtype):
            totals.append(
                (labels.get(f, f), fmt(float(pd.to_numeric(links[f], errors="coerce").sum())))
            )
    section.totals = totals
    if layer == "symbiosis_links":
        # The flow diagram of the map, as the same inline SVG (prints, and works in a PDF).
        svg = sankey_svg(
            sankey_flows(links, lang=lang, material_names=material_names(lang)),
            title=t["sankey"],
            unit="ตัน/ปี" if lang == "th" else "t/yr",
            lang=lang,
        )
        if svg:
            section.charts.append(svg)
    grade = _pick(fields, "grade")
    if grade and tonnes:
        by_grade = (
            pd.to_numeric(links[tonnes], errors="coerce")
            .groupby(links[grade].astype("string"))
            .sum()
        )
        section.charts.append(
            hbar_chart(
                list(by_grade.index),
                by_grade.tolist(),
                title=t["by_grade"].format(
                    what=labels.get(tonnes, tonnes), grade=labels.get(grade, grade)
                ),
                color="#31a354",
            )
        )
    return section


def compliance_section(gaps: pd.DataFrame | None, *, lang: str, top: int = 15) -> Section:
    """Factories lacking management systems or legal items, ranked by priority.

    Parameters
    ----------
    gaps : pandas.DataFrame or None
        The province's ``compliance_gaps`` rows; ``None`` when the workspace has no such
        layer.
    lang : str
        ``th`` or ``en``.
    top : int
        How many factories to list, by ``rank``; default 15.

    Returns
    -------
    Section
        The table, a chart of how many factories lack each system or item, and the count
        of gaps; a plain message when there are none.
    """
    t = TEXT[lang]
    if gaps is None or gaps.empty:
        return _unavailable(gaps, "compliance", "compliance_gaps", lang)
    ranked = gaps.sort_values("rank", kind="stable")
    name = "name_th" if lang == "th" else "name_en"
    fields = [
        "rank",
        name,
        "factory_id",
        "factory_class",
        "priority",
        "lacks_env",
        "lacks_safety",
        "lacks_csr",
        "legal_missing",
        "expired",
    ]
    section = _table_section(ranked, "compliance", "compliance_gaps", fields, lang=lang, limit=top)
    labels = schema.contract("compliance_gaps").labels(lang)
    kinds = [f for f in ("lacks_env", "lacks_safety", "lacks_csr") if f in gaps.columns]
    counts = [float(gaps[f].fillna(False).astype(bool).sum()) for f in kinds]
    for f in ("legal_missing", "expired"):
        if f in gaps.columns:
            kinds.append(f)
            counts.append(float(gaps[f].astype("string").fillna("").str.len().gt(0).sum()))
    if kinds:
        section.charts.append(
            hbar_chart(
                [labels.get(k, k) for k in kinds], counts, title=t["gap_counts"], color="#de2d26"
            )
        )
    section.totals = [(t["gaps"], fmt(len(gaps)))]
    return section


def indicator_section(assess: pd.DataFrame | None, *, lang: str) -> Section:
    """Show indicators with baseline and follow-up values side by side.

    Parameters
    ----------
    assess : pandas.DataFrame or None
        The province's ``eit_assessments`` rows; ``None`` when the workspace has no such
        layer.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    Section
        One row per area and indicator (threshold, baseline, follow-up in the indicator's
        unit, whether each meets it) and a paired bar chart of the indicators with both
        rounds; a plain message when there are none.
    """
    t = TEXT[lang]
    if assess is None or assess.empty:
        return _unavailable(assess, "indicators", "eit_assessments", lang)
    name = "name_th" if lang == "th" else "name_en"
    labels = schema.contract("eit_assessments").labels(lang)
    rows: list[dict[str, Any]] = []
    for (area, ind), grp in assess.groupby(
        [assess["area_id"].astype("string"), assess["indicator_id"].astype("string")], sort=True
    ):
        first = grp.iloc[0]
        rec: dict[str, Any] = {
            "area_id": area,
            "indicator_id": ind,
            "name": first.get(name) or first.get("name_th"),
            "dimension": first.get("dimension"),
            "unit": first.get("unit"),
            "threshold": first.get("threshold"),
        }
        for rnd in ("baseline", "followup"):
            sub = grp[grp["round"].astype("string") == rnd]
            rec[rnd] = sub["value"].iloc[0] if len(sub) else float("nan")
            rec[f"meets_{rnd}"] = sub["meets"].iloc[0] if len(sub) and "meets" in sub else pd.NA
        rows.append(rec)
    frame = pd.DataFrame(rows)
    cols = [
        "area_id",
        "name",
        "dimension",
        "unit",
        "threshold",
        "baseline",
        "meets_baseline",
        "followup",
        "meets_followup",
    ]
    heads = [
        labels["area_id"],
        labels[name],
        labels["dimension"],
        labels["unit"],
        labels["threshold"],
        t["baseline"],
        labels["meets"],
        t["followup"],
        labels["meets"],
    ]
    table_rows = [
        [
            value_label("eit_assessments", c, r[c], lang)
            if c == "dimension"
            else fmt(r[c], lang=lang)
            for c in cols
        ]
        for _, r in frame.iterrows()
    ]
    numeric = [c in ("threshold", "baseline", "followup") for c in cols]
    section = Section(
        key="indicators",
        title=t["indicators"],
        tables=[Table(columns=heads, numeric=numeric, rows=table_rows)],
    )
    both = frame[
        pd.to_numeric(frame["baseline"], errors="coerce").notna()
        & pd.to_numeric(frame["followup"], errors="coerce").notna()
    ]
    if len(both):
        section.charts.append(
            paired_bar_chart(
                [str(x) for x in both["name"].fillna(both["indicator_id"])],
                pd.to_numeric(both["baseline"]).tolist(),
                pd.to_numeric(both["followup"]).tolist(),
                title=t["indicators"],
                names=(t["baseline"], t["followup"]),
            )
        )
    return section


def key_figures(frames: dict[str, pd.DataFrame], *, lang: str) -> list[tuple[str, str]]:
    """Return the headline numbers of the province (only those the workspace can give).

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        The province's layers.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    list of (str, str)
        (label, number as text): factories, class-3 factories, workers (people),
        communities, action-plan projects, compliance gaps and siting breaches, each only
        when its layer or column is there.
    """
    t = TEXT[lang]
    out: list[tuple[str, str]] = []
    fac = frames.get("factories")
    if fac is not None:
        out.append((t["factories"], fmt(len(fac))))
        if "factory_class" in fac:
            out.append(
                (
                    t["class3"],
                    fmt(int((pd.to_numeric(fac["factory_class"], errors="coerce") == 3).sum())),
                )
            )
        if "workers" in fac:
            out.append(
                (t["workers"], fmt(float(pd.to_numeric(fac["workers"], errors="coerce").sum())))
            )
    com = frames.get("communities")
    if com is not None:
        out.append((t["communities"], fmt(len(com))))
    plan = frames.get("action_plans")
    if plan is not None:
        out.append((t["projects"], fmt(len(plan))))
    gaps = frames.get("compliance_gaps")
    if gaps is not None:
        out.append((t["gaps"], fmt(len(gaps))))
    flags = frames.get("siting_flags")
    if flags is not None:
        out.append((t["breaches"], fmt(len(flags))))
    return out
