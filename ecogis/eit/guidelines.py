"""Development guidelines: a ranked list of actions per area, each tied to an indicator."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ecogis import schema
from ecogis.catalogue.materials import material_name
from ecogis.eit.compute import link_columns
from ecogis.eit.exchanges import exchange_state

_ADDED_AFTER_RANKING = ("area_id", "rank", "generated_on")
"""Fields of ``eit_guidelines`` set once the actions are ranked (the rest come per action)."""
_SYSTEM_TEXT = {
    "lacks_env": ("MGT02", "ระบบการจัดการสิ่งแวดล้อม ISO 14001", "ISO 14001 environmental management"),
    "lacks_safety": ("MGT03", "ระบบการจัดการความปลอดภัย ISO 45001", "ISO 45001 safety management"),
    "lacks_csr": ("SOC03", "มาตรฐาน CSR-DIW", "CSR-DIW"),
}


def _fails(values: pd.DataFrame | None, indicator_id: str) -> bool:
    """Whether the indicator currently misses its threshold (boosts its actions)."""
    if values is None or values.empty:
        return False
    row = values[values["indicator_id"] == indicator_id]
    if not len(row):
        return False
    meets = row["meets"].iloc[0]
    return meets is not None and meets is not pd.NA and not bool(meets)


def _num(v: Any) -> float | None:
    """Return a float, or None for a missing value (NA, NaN, None)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _text(v: Any) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


def guidelines(
    *,
    area_id: str,
    gaps: pd.DataFrame,
    values: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    candidates: pd.DataFrame | None = None,
    siting_flags: pd.DataFrame | None = None,
    factory_ids: set[str] | None = None,
    generated_on: str | None = None,
    max_exchanges: int = 10,
    flows: pd.DataFrame | None = None,
    exchange_codes: tuple[str, ...] = ("021",),
    item_names: dict[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Ranked recommended actions for one area.

    Actions and the indicators they move:

    * ``address_siting`` — each siting breach (PHY03), first: it is a legal and safety issue;
    * ``train_factory`` — each factory of the gap list lacking a management system, in gap
      rank order, tied to the first system it lacks (MGT02 ISO 14001, MGT03 ISO 45001,
      SOC03 CSR-DIW);
    * ``renew_item`` — factories with a mandatory item missing or expired (MGT01);
    * ``start_exchange`` — proposed symbiosis exchanges not yet started, largest first
      (ENV01; from ``symbiosis_links``, else the best ``symbiosis_candidates``); started
      is :func:`ecogis.eit.exchanges.exchange_state`'s rule, the one the upgrade report's
      "exchanges started" uses;
    * ``increase_green`` — when the green/buffer share misses its threshold (PHY02);
    * ``manual_evidence`` — manual indicators without a value.

    The priority is the action's own score (the gap priority for factories, the share
    of the largest exchange for exchanges), +0.2 when the indicator it moves currently
    misses its threshold.

    Parameters
    ----------
    area_id
        The area.
    gaps
        :func:`ecogis.compliance.rank_gaps` output for the area's factories.
    values
        The area's latest round (``eit_assessments`` rows), for the boosts.
    links, candidates, siting_flags
        Layers when present (``None`` otherwise).
    factory_ids
        The area's factories; exchanges and breaches of other factories are left out.
    generated_on
        ISO date stored with the rows.
    max_exchanges
        How many exchanges to recommend at most.
    flows
        ``material_flows``: an exchange whose stream it shows exchanged has started.
    exchange_codes
        Disposal codes that mean "exchanged" (the indicator set's ``exchange_codes``).
    item_names
        Requirement id → (Thai name, English name), for the items to obtain or renew
        (the id itself when not given).

    Returns
    -------
    pandas.DataFrame
        ``eit_guidelines`` rows (the columns of ``layers/eit_guidelines.toml``), highest
        priority first: ``rank`` (1 = first), ``action``, ``indicator_id`` the action
        moves, ``target_id`` (a factory, exchange or the area), ``detail_th``/``detail_en``,
        ``priority`` (a score, larger first), ``area_id`` and ``generated_on``.
    """
    rows: list[dict[str, Any]] = []
    ids = factory_ids if factory_ids is not None else set(gaps.get("factory_id", []))

    def add(action: str, ind: str | None, target: str, th: str, en: str, prio: float) -> None:
        boost = 0.2 if ind and _fails(values, ind) else 0.0
        rows.append(
            {
                "action": action,
                "indicator_id": ind,
                "target_id": target,
                "detail_th": th,
                "detail_en": en,
                "priority": round(prio + boost, 4),
            }
        )

    if siting_flags is not None and len(siting_flags):
        flags = siting_flags[siting_flags["factory_id"].isin(ids)]
        for r in flags.itertuples(index=False):
            d = _num(getattr(r, "distance_m", None))
            rule = _num(getattr(r, "rule_distance_m", None))
            who = _text(getattr(r, "receptor_name", "")) or _text(getattr(r, "community_id", ""))
            dist = f"{d:.0f} m" if d is not None else "?"
            need = f"{rule:.0f} m" if rule is not None else "the rule"
            dist_th = f"{d:.0f} เมตร" if d is not None else "?"
            need_th = f"{rule:.0f} เมตร" if rule is not None else "ตามกฎหมาย"
            add(
                "address_siting",
                "PHY03",
                str(r.factory_id),
                f"แก้ไขการตั้งโรงงาน {r.factory_id} ห่างจาก {who} เพียง {dist_th} "
                f"(เกณฑ์ {need_th}): "
                "ตรวจสอบ จัดทำแนวกันชน และแผนฉุกเฉินร่วมกับชุมชน",
                f"Address the siting of {r.factory_id}: {dist} from {who} (rule {need}) — "
                "verify, add a buffer and an emergency plan with the community",
                0.9,
            )
    for r in gaps.itertuples(index=False):
        name = _text(getattr(r, "name_th", "")) or str(r.factory_id)
        name_en = _text(getattr(r, "name_en", "")) or name
        lacking = [k for k in ("lacks_env", "lacks_safety", "lacks_csr") if bool(getattr(r, k))]
        prio = float(r.priority)  # type: ignore[arg-type]
        if lacking:
            ind, _, _ = _SYSTEM_TEXT[lacking[0]]
            th = ", ".join(_SYSTEM_TEXT[k][1] for k in lacking)
            en = ", ".join(_SYSTEM_TEXT[k][2] for k in lacking)
            people = _num(getattr(r, "people_1km", None))
            near = f"; {people:,.0f} people within 1 km" if people is not None else ""
            add(
                "train_factory",
                ind,
                str(r.factory_id),
                f"อบรม ศึกษาดูงาน และให้คำปรึกษาเชิงลึกแก่ {name} ({r.factory_id}) เพื่อจัดทำ {th}",
                f"Train, take on a study tour and consult {name_en} ({r.factory_id}) toward {en}"
                f" (gap rank {r.rank}{near})",
                prio,
            )
        items = [x for x in (_text(r.legal_missing) + ";" + _text(r.expired)).split(";") if x]
        if items:
            named = [(item_names or {}).get(x, (x, x)) for x in items]
            add(
                "renew_item",
                "MGT01",
                str(r.factory_id),
                f"ติดตามให้ {name} ({r.factory_id}) จัดทำ/ต่ออายุ: {', '.join(n[0] for n in named)}",
                f"Have {name_en} ({r.factory_id}) obtain or renew: "
                f"{', '.join(n[1] for n in named)}",
                0.5 * prio + 0.3,
            )
    ex = _exchanges(links, candidates, ids, max_exchanges, flows, exchange_codes)
    if ex is not None and len(ex):
        top = float(ex["tonnes"].max()) or 1.0
        for r in ex.itertuples(index=False):
            key = _text(r.material)
            what_th = material_name(key, "th") if key else f" {_text(r.waste_code)}"
            what_en = material_name(key, "en") if key else _text(r.waste_code)
            add(
                "start_exchange",
                "ENV01",
                f"{r.provider}→{r.receiver}",
                f"เริ่มการแลกเปลี่ยน{what_th} {r.tonnes:,.0f} ตัน/ปี จาก {r.provider} ไปยัง {r.receiver}",
                f"Start the exchange of {what_en.lower()}, {r.tonnes:,.0f} t/yr from "
                f"{r.provider} to {r.receiver}",
                0.3 + 0.5 * float(r.tonnes) / top,  # type: ignore[arg-type]
            )
    if values is not None and not values.empty:
        green = values[values["indicator_id"] == "PHY02"]
        if _fails(values, "PHY02"):
            add(
                "increase_green",
                "PHY02",
                area_id,
                f"เพิ่มพื้นที่สีเขียวและแนวกันชนของพื้นที่ {area_id} ให้ถึงเกณฑ์ {green['threshold'].iloc[0]:g}%",
                f"Raise the green and buffer area of {area_id} to {green['threshold'].iloc[0]:g}%",
                0.4,
            )
        manual = values[
            (values["method"] == "missing")
            & values["note"].astype("string").str.startswith("manual").fillna(False)
        ]
        for r in manual.itertuples(index=False):
            add(
                "manual_evidence",
                str(r.indicator_id),
                area_id,
                f"รวบรวมหลักฐานสำหรับตัวชี้วัด {r.indicator_id} {r.name_th}",
                f"Collect evidence for indicator {r.indicator_id} {r.name_en}",
                0.2,
            )
    layer = schema.contract("eit_guidelines")
    out = layer.from_records(rows, without=_ADDED_AFTER_RANKING)
    out = out.sort_values("priority", ascending=False, kind="stable").reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    out["area_id"] = area_id
    out["generated_on"] = generated_on
    return layer.select(out)


def _exchanges(
    links: pd.DataFrame | None,
    candidates: pd.DataFrame | None,
    ids: set[str],
    top: int,
    flows: pd.DataFrame | None,
    codes: tuple[str, ...],
) -> pd.DataFrame | None:
    """Proposed exchanges (not yet started) whose provider is in the area, largest first."""
    for frame in (links, candidates):
        if frame is None or frame.empty:
            continue
        prov, recv, tonnes = link_columns(frame)
        if prov is None or recv is None or tonnes is None:
            continue
        f = frame[frame[prov].isin(ids)]
        if "unit" in f.columns and tonnes != "tonnes":  # candidates: supply in its own unit
            f = f[f["unit"].eq("t/yr").fillna(False)]
        state = exchange_state(f, flows, exchange_codes=codes)
        proposed = state["state"].eq("proposed")
        f = f[proposed]
        out = pd.DataFrame(
            {
                "provider": f[prov].astype("string"),
                "receiver": f[recv].astype("string"),
                # What is still open: the rest of a partly exchanged stream, not the link's
                # tonnes from before the exchange started.
                "tonnes": pd.to_numeric(state.loc[proposed, "open_t"], errors="coerce").fillna(0.0),
                "material": f.get("material", pd.NA),
                "waste_code": f.get("waste_code", pd.NA),
            }
        )
        out = out[out["tonnes"] > 0].sort_values("tonnes", ascending=False)
        return out.drop_duplicates(["provider", "receiver", "waste_code"]).head(top)
    return None
