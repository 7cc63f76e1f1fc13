"""Indicator values computed from the workspace's layers for one area.

Each computation takes an :class:`AreaInputs` and returns a :class:`Result`. A computation
whose inputs are missing returns ``value=None`` with a note saying what to import or run —
never a made-up value. An assessor's sheet of hand-scored indicators is read by
:func:`ecogis.importers.indicator_scores.parse_manual_scores` (importable from here too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ecogis.importers.indicator_scores import parse_manual_scores as parse_manual_scores
from ecogis.programme import indicators as ledger
from ecogis.receptors import is_sensitive
from ecogis.risk.hazard import HAZARDOUS_CLASSES

"""Risk ``hazard_class`` values counted as hazardous when ``risk_factories`` has no
``hazardous`` column (the risk engineer's rule: class high or medium)."""


@dataclass
class AreaInputs:
    """Everything the computations read for one area (frames already limited to the area).

    ``status`` is :func:`ecogis.compliance.factory_compliance` of the area's factories, or
    ``None`` when the workspace has no ``compliance`` table; every other optional frame is
    ``None`` when its layer is absent.
    """

    area_id: str
    area_kind: str
    factories: Any
    zones: Any
    as_of: str
    status: pd.DataFrame | None = None
    mandatory: tuple[str, ...] = ()
    flows: pd.DataFrame | None = None
    communities: Any | None = None
    risk_factories: pd.DataFrame | None = None
    siting_flags: pd.DataFrame | None = None
    links: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None  # the activity ledger (ecogis import activities)
    attendance: pd.DataFrame | None = None  # activity_factories
    recovery_prefixes: tuple[str, ...] = ("01", "02", "03", "04")
    landfill_codes: tuple[str, ...] = ("071", "072", "073")
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """A computed value (``None`` when it cannot be computed), its evidence and a note."""

    value: float | None
    evidence: str = ""
    note: str = ""


def _missing(note: str) -> Result:
    return Result(None, "", note)


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 2)


# --------------------------------------------------------------------------- physical
def share_in_zones(inp: AreaInputs) -> Result:
    """Percent of the area's factories whose ``zone_id`` names an industrial zone.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``factories`` (its ``zone_id``) is read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the area's factories; ``None`` when the area has no
        factory.
    """
    f = inp.factories
    if f is None or len(f) == 0:
        return _missing("no factories in the area")
    inside = int(f["zone_id"].notna().sum()) if "zone_id" in f else 0
    return Result(_pct(inside, len(f)), f"{inside} of {len(f)} factories inside a zone")


def green_buffer_share(inp: AreaInputs) -> Result:
    """Green and buffer area as a percent of the zones' area (``industrial_zones`` fields).

    A zone without ``area_ha`` is measured from its geometry (in a metric CRS); zones
    without ``green_area_ha`` are left out of both sums (the note counts them).

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``zones`` (``green_area_ha``, ``area_ha``, in hectares) is read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the zones' area; ``None`` when the area has no
        zone, no ``green_area_ha`` at all, or zones of no area.
    """
    z = inp.zones
    if z is None or len(z) == 0:
        return _missing("no industrial zone in the area")
    green = pd.to_numeric(z.get("green_area_ha"), errors="coerce")
    if green is None or green.isna().all():
        return _missing("industrial_zones.green_area_ha is empty — fill it in and re-import zones")
    area = pd.to_numeric(z.get("area_ha"), errors="coerce")
    if area is None or area.isna().any():
        from ecogis.crs import to_metric

        measured = to_metric(z).geometry.area / 10_000.0
        area = area.fillna(measured) if area is not None else measured
    known = green.notna()
    total = float(area[known].sum())
    if total <= 0:
        return _missing("the zones have no area")
    note = f"{int((~known).sum())} zone(s) without green_area_ha left out" if (~known).any() else ""
    return Result(
        _pct(float(green[known].sum()), total),
        f"{green[known].sum():.1f} ha green/buffer of {total:.1f} ha",
        note,
    )


def siting_breaches(inp: AreaInputs) -> Result:
    """Count siting-distance breaches (``siting_flags`` rows) by the area's factories.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``siting_flags`` and ``factories`` are read.

    Returns
    -------
    Result
        ``value`` a count of breaches (rows); ``None`` when the workspace has no
        ``siting_flags`` layer (run ``ecogis risk``).
    """
    if inp.siting_flags is None:
        return _missing("no siting_flags layer — run 'ecogis risk' first")
    ids = set(inp.factories["factory_id"].dropna())
    flags = inp.siting_flags[inp.siting_flags["factory_id"].isin(ids)]
    n_fac = flags["factory_id"].nunique()
    return Result(float(len(flags)), f"{len(flags)} breaches by {n_fac} factories")


# --------------------------------------------------------------------------- economic
def sme_share(inp: AreaInputs) -> Result:
    """Percent of factories with a known worker count that employ at most 200 people.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``factories.workers`` (people) is read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the factories with a worker count (the note counts
        those without); ``None`` when no factory has one.
    """
    f = inp.factories
    workers = pd.to_numeric(f.get("workers"), errors="coerce") if len(f) else None
    if workers is None or workers.isna().all():
        return _missing("no worker counts for the area's factories")
    known = workers.dropna()
    sme = int((known <= 200).sum())
    note = f"{int(workers.isna().sum())} factories without a worker count left out"
    return Result(
        _pct(sme, len(known)),
        f"{sme} of {len(known)} factories ≤ 200 workers",
        note if workers.isna().any() else "",
    )


# --------------------------------------------------------------------------- environmental
def _waste(inp: AreaInputs) -> pd.DataFrame | None:
    if inp.flows is None:
        return None
    fl = inp.flows
    w = fl[fl["direction"].eq("out") & fl["flow_kind"].eq("waste") & fl["unit"].eq("t/yr")]
    return w.copy()


def _pick(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    for n in names:
        if n in frame.columns:
            return n
    return None


_PROVIDER_COLS = (
    "provider_id",
    "provider_factory_id",
    "source_factory_id",
    "from_factory_id",
    "source_id",
    "supplier_id",
)
_RECEIVER_COLS = (
    "receiver_id",
    "receiver_factory_id",
    "target_factory_id",
    "to_factory_id",
    "buyer_id",
)
_TONNE_COLS = (
    "tonnes",
    "tonnes_per_yr",
    "tonnes_yr",
    "t_per_yr",
    "t_yr",
    "allocated_t",
    "tonnes_allocated",
    "allocated_tonnes",
    "quantity_t",
    "supply_t",
)


def link_columns(frame: pd.DataFrame) -> tuple[str | None, str | None, str | None]:
    """Name the (provider, receiver, tonnes) columns of a symbiosis links/candidates frame.

    The symbiosis layers are read by name, tolerant of the few spellings in use; any
    column not found is ``None`` and the caller reports the input as unusable.

    Parameters
    ----------
    frame : pandas.DataFrame
        A ``symbiosis_links`` or ``symbiosis_candidates`` frame.

    Returns
    -------
    (str or None, str or None, str or None)
        The provider factory id column, the receiver factory id column and the quantity
        column (tonnes/year; any column with ``tonne`` in its name when none of the known
        spellings is there).
    """
    tonnes = _pick(frame, _TONNE_COLS)
    if tonnes is None:
        tonnes = next((str(c) for c in frame.columns if "tonne" in str(c).lower()), None)
    return _pick(frame, _PROVIDER_COLS), _pick(frame, _RECEIVER_COLS), tonnes


def started_links(links: pd.DataFrame | None) -> pd.DataFrame | None:
    """Return the exchanges of ``symbiosis_links`` that have started, as provider / code / tonnes.

    A link counts only when it has a ``status`` of ``started``, ``active`` or ``operating``
    (links without a status are proposals, not exchanges).

    Parameters
    ----------
    links : pandas.DataFrame or None
        The ``symbiosis_links`` rows, or ``None`` when the layer is absent.

    Returns
    -------
    pandas.DataFrame or None
        Columns ``factory_id`` (the provider), ``waste_code`` (``<NA>`` when the links have
        none) and ``tonnes`` (tonnes/year, 0 where not a number), one row per started link;
        ``None`` when there is no layer, no ``status`` column, or no provider or tonnes
        column.
    """
    if links is None or "status" not in links.columns:
        return None
    prov, _, tonnes = link_columns(links)
    if prov is None or tonnes is None:
        return None
    started = links[
        links["status"]
        .astype("string")
        .str.lower()
        .isin(["started", "active", "operating"])
        .fillna(False)
    ]
    return pd.DataFrame(
        {
            "factory_id": started[prov].astype("string"),
            "waste_code": started["waste_code"].astype("string")
            if "waste_code" in started
            else pd.NA,
            "tonnes": pd.to_numeric(started[tonnes], errors="coerce").fillna(0.0),
        }
    )


def waste_recovered_share(inp: AreaInputs) -> Result:
    """Waste recovered (by disposal code) or exchanged (started links), percent of generated.

    Recovery is a disposal code whose first two digits are one of
    ``inp.recovery_prefixes``; a started exchange adds only the part of its stream not
    already recovered by code. Waste without a disposal code counts as not recovered.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``flows`` (waste out, t/yr) and ``links`` are read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the waste generated (tonnes/year); ``None`` when
        there is no ``material_flows`` table or it lists no waste in t/yr.
    """
    w = _waste(inp)
    if w is None:
        return _missing("no material_flows table — import mass balances with 'ecogis import flows'")
    generated = float(w["quantity"].sum())
    if generated <= 0:
        return _missing("the area's mass balances list no waste in t/yr")
    code = w["disposal_code"].astype("string").fillna("")
    rec = code.str[:2].isin(inp.recovery_prefixes)
    w["recovered"] = np.where(rec, w["quantity"], 0.0)
    by_code = float(w["recovered"].sum())
    exchanged = 0.0
    links = started_links(inp.links)
    if links is not None and len(links):
        # An exchange counts only for the part of its stream not already recovered by code.
        keys = ["factory_id", "waste_code"] if links["waste_code"].notna().any() else ["factory_id"]
        streams = w.groupby(keys, dropna=False)[["quantity", "recovered"]].sum()
        linked = links.groupby(keys, dropna=False)["tonnes"].sum()
        room = (streams["quantity"] - streams["recovered"]).clip(lower=0)
        joined = pd.concat([room.rename("room"), linked.rename("linked")], axis=1).fillna(0.0)
        exchanged = float(np.minimum(joined["room"], joined["linked"]).sum())
    no_code = float(w.loc[code.eq(""), "quantity"].sum())
    notes = []
    if no_code:
        notes.append(f"{no_code:.1f} t/yr without a disposal code counted as not recovered")
    if inp.links is not None and links is None:
        notes.append("symbiosis_links are proposals (no status 'started'), not counted")
    return Result(
        _pct(by_code + exchanged, generated),
        f"{by_code:.1f} t/yr recovered by disposal code + {exchanged:.1f} t/yr exchanged, "
        f"of {generated:.1f} t/yr generated",
        "; ".join(notes),
    )


def hazardous_landfill_share(inp: AreaInputs) -> Result:
    """Hazardous waste (HA/HM) sent to landfill codes, percent of hazardous waste generated.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``flows`` (waste out, t/yr, ``hazardous`` HA/HM) and
        ``landfill_codes`` are read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the hazardous waste generated (tonnes/year); 0 when
        the area generates none; ``None`` when there is no ``material_flows`` table.
    """
    w = _waste(inp)
    if w is None:
        return _missing("no material_flows table — import mass balances with 'ecogis import flows'")
    haz = w[w["hazardous"].isin(["HA", "HM"]).fillna(False)]
    total = float(haz["quantity"].sum())
    if total <= 0:
        return Result(0.0, "no hazardous waste in the area's mass balances")
    code = haz["disposal_code"].astype("string").fillna("")
    landfill = float(haz.loc[code.isin(inp.landfill_codes), "quantity"].sum())
    no_code = float(haz.loc[code.eq(""), "quantity"].sum())
    return Result(
        _pct(landfill, total),
        f"{landfill:.1f} t/yr to landfill of {total:.1f} t/yr hazardous waste",
        f"{no_code:.1f} t/yr hazardous waste without a disposal code" if no_code else "",
    )


def _intensity(inp: AreaInputs, kind: str, unit: str) -> Result:
    if inp.flows is None:
        return _missing("no material_flows table — import mass balances with 'ecogis import flows'")
    fl = inp.flows
    use = fl[fl["direction"].eq("in") & fl["flow_kind"].eq(kind) & fl["unit"].eq(unit)]
    prod = fl[fl["direction"].eq("out") & fl["flow_kind"].eq("product") & fl["unit"].eq("t/yr")]
    both = set(use["factory_id"]) & set(prod["factory_id"])
    if not both:
        return _missing(f"no factory reports both {kind} ({unit}) and products in t/yr")
    u = float(use.loc[use["factory_id"].isin(both), "quantity"].sum())
    p = float(prod.loc[prod["factory_id"].isin(both), "quantity"].sum())
    if p <= 0:
        return _missing("product output is zero")
    return Result(round(u / p, 4), f"{u:.1f} {unit} / {p:.1f} t/yr product, {len(both)} factories")


def water_intensity(inp: AreaInputs) -> Result:
    """Water taken in per tonne of product (m³/t), over factories reporting both.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``flows`` (water in, m³/yr; products out, t/yr) is read.

    Returns
    -------
    Result
        ``value`` in m³ of water per tonne of product (4 decimals); ``None`` when there is
        no ``material_flows`` table, no factory reports both, or the product output is zero.
    """
    return _intensity(inp, "water", "m3/yr")


def energy_intensity(inp: AreaInputs) -> Result:
    """Energy used per tonne of product (MWh/t), over factories reporting both.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``flows`` (energy in, MWh/yr; products out, t/yr) is read.

    Returns
    -------
    Result
        ``value`` in MWh per tonne of product (4 decimals); ``None`` when there is no
        ``material_flows`` table, no factory reports both, or the product output is zero.
    """
    return _intensity(inp, "energy", "MWh/yr")


# --------------------------------------------------------------------------- social
def _near_hazardous(inp: AreaInputs, radius_m: float = 1000.0) -> tuple[Any, int] | Result:
    if inp.risk_factories is None:
        return _missing("no risk_factories layer — run 'ecogis risk' first")
    if inp.communities is None or len(inp.communities) == 0:
        return _missing("no communities layer — import it with 'ecogis import communities'")
    rf = inp.risk_factories
    if "hazardous" in rf.columns:
        haz_ids = set(rf.loc[rf["hazardous"].fillna(False).astype(bool), "factory_id"])
    elif "hazard_class" in rf.columns:
        haz_ids = set(
            rf.loc[rf["hazard_class"].isin(HAZARDOUS_CLASSES).fillna(False), "factory_id"]
        )
    else:
        return _missing("risk_factories has neither hazardous nor hazard_class")
    f = inp.factories
    haz = f[f["factory_id"].isin(haz_ids) & f.geometry.notna()]
    if haz.empty:
        return Result(0.0, "no hazardous factory placed in the area")
    from scipy.spatial import cKDTree

    from ecogis.crs import metric_crs

    c = inp.communities[inp.communities.geometry.notna()]
    crs = metric_crs([haz, c])
    cp = c.geometry.to_crs(crs).representative_point()
    hp = haz.geometry.to_crs(crs)
    tree = cKDTree(np.column_stack([hp.x.to_numpy(), hp.y.to_numpy()]))
    d, _ = tree.query(np.column_stack([cp.x.to_numpy(), cp.y.to_numpy()]), k=1)
    # Each community counts once, however many hazardous factories are near it.
    return c[d <= radius_m], len(haz)


def people_near_hazardous(inp: AreaInputs) -> Result:
    """People in communities within 1 km of a hazardous factory of the area (each once).

    Hazardous is ``risk_factories.hazardous``, or a ``hazard_class`` in
    :data:`ecogis.risk.hazard.HAZARDOUS_CLASSES`; distances are measured from each
    community's representative point in a metric CRS.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``risk_factories``, ``factories`` and ``communities``
        (``population``, people) are read.

    Returns
    -------
    Result
        ``value`` in people (communities without a population count as 0, the note says
        how many); 0 when no hazardous factory is placed; ``None`` when ``risk_factories``
        or ``communities`` is missing, or none of the near communities has a population.
    """
    got = _near_hazardous(inp)
    if isinstance(got, Result):
        return got
    near, n_haz = got
    pop = pd.to_numeric(near.get("population"), errors="coerce")
    if pop is None or (len(near) and pop.isna().all()):
        return _missing("the communities near hazardous factories have no population")
    unknown = int(pop.isna().sum()) if len(near) else 0
    return Result(
        float(pop.fillna(0).sum()) if len(near) else 0.0,
        f"{len(near)} communities within 1 km of {n_haz} hazardous factories",
        f"{unknown} of them without a population" if unknown else "",
    )


def receptors_near_hazardous(inp: AreaInputs) -> Result:
    """Sensitive receptors (:func:`ecogis.receptors.is_sensitive`) within 1 km of one.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``risk_factories``, ``factories`` and ``communities`` are read.

    Returns
    -------
    Result
        ``value`` a count of sensitive receptors (schools, hospitals …) within 1000 m of a
        hazardous factory of the area; 0 when no hazardous factory is placed; ``None`` when
        ``risk_factories`` or ``communities`` is missing.
    """
    got = _near_hazardous(inp)
    if isinstance(got, Result):
        return got
    near, n_haz = got
    n_sens = int(is_sensitive(near).sum())
    return Result(float(n_sens), f"{n_sens} sensitive receptors near {n_haz} factories")


# --------------------------------------------------------------------------- compliance shares
def _share_with(inp: AreaInputs, column: str, label: str) -> Result:
    if inp.status is None:
        return _missing("no compliance table — import it with 'ecogis import compliance'")
    st = inp.status
    if len(st) == 0:
        return _missing("no factories in the area")
    if not st["has_records"].any():
        return _missing("none of the area's factories has a compliance record")
    ok = int(st[column].sum()) if column in st else 0
    norec = int((~st["has_records"]).sum())
    return Result(
        _pct(ok, len(st)),
        f"{ok} of {len(st)} factories {label} on {inp.as_of}",
        f"{norec} factories without any record counted as lacking it" if norec else "",
    )


def env_management_share(inp: AreaInputs) -> Result:
    """Percent of factories with an effective environmental management system.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``status`` (:func:`ecogis.compliance.factory_compliance` on
        ``as_of``) is read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the area's factories (those without any record
        count as lacking it); ``None`` without a compliance table, factories or records.
    """
    return _share_with(inp, "has_environmental_management", "with environmental management")


def safety_management_share(inp: AreaInputs) -> Result:
    """Percent of factories with an effective safety management system.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``status`` (:func:`ecogis.compliance.factory_compliance` on
        ``as_of``) is read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the area's factories (those without any record
        count as lacking it); ``None`` without a compliance table, factories or records.
    """
    return _share_with(inp, "has_safety_management", "with safety management")


def csr_share(inp: AreaInputs) -> Result:
    """Percent of factories with an effective CSR-DIW certificate.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``status`` (:func:`ecogis.compliance.factory_compliance` on
        ``as_of``) is read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the area's factories (those without any record
        count as lacking it); ``None`` without a compliance table, factories or records.
    """
    return _share_with(inp, "has_csr", "certified CSR-DIW")


def green_industry_share(inp: AreaInputs) -> Result:
    """Percent of factories at Green Industry level GI2 or above.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``status.gi_level`` (GI1–GI5) is read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the area's factories at GI2–GI5; ``None`` without a
        compliance table, factories or records.
    """
    if inp.status is None:
        return _share_with(inp, "_gi2", "at GI2 or above")
    st = inp.status.assign(_gi2=inp.status["gi_level"].isin(["GI2", "GI3", "GI4", "GI5"]))
    return _share_with(replace(inp, status=st), "_gi2", "at GI2 or above")


def legal_compliance_share(inp: AreaInputs) -> Result:
    """Percent of factories with no mandatory item missing or expired.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``status`` (``n_missing_legal``, ``expired``) and ``mandatory``
        (the legally required items) are read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the area's factories; ``None`` without a compliance
        table, factories or records.
    """
    if inp.status is None:
        return _missing("no compliance table — import it with 'ecogis import compliance'")
    mand = set(inp.mandatory)
    expired_legal = inp.status["expired"].map(
        lambda s: any(x in mand for x in str(s).split(";") if x)
    )
    ok = (inp.status["n_missing_legal"] == 0) & ~expired_legal.astype(bool)
    st = inp.status.assign(_legal_ok=ok)
    return _share_with(replace(inp, status=st), "_legal_ok", "with every legal item current")


# --------------------------------------------------------------------------- the ledger
def _ledger(got: tuple[float | None, str, str]) -> Result:
    return Result(*got)


def _area_zone(inp: AreaInputs) -> str | None:
    return inp.area_id if inp.area_kind == "zone" else None


def committee_meetings_per_year(inp: AreaInputs) -> Result:
    """Committee meetings of the area's province in the 12 months up to the date (ledger).

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``activities`` (the ledger), the factories' ``pro_code`` (or the
        province itself for a province area) and ``as_of`` are read.

    Returns
    -------
    Result
        ``value`` a count of meetings in the 365 days up to ``as_of``, the activities as
        evidence; ``None`` without an activity ledger.
    """
    codes = set(inp.factories["pro_code"].dropna().astype(str)) if len(inp.factories) else set()
    if inp.area_kind == "province":
        codes = {inp.area_id}
    return _ledger(
        ledger.committee_meetings_per_year(inp.activities, pro_codes=codes, as_of=inp.as_of)
    )


def emergency_drills_with_communities(inp: AreaInputs) -> Result:
    """Emergency drills of the area held with communities in the 12 months up to the date.

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``activities``, ``attendance``, the factories and ``as_of`` are
        read (a zone area also counts drills held for the zone).

    Returns
    -------
    Result
        ``value`` a count of drills in the 365 days up to ``as_of`` whose ledger row names
        the communities that took part, the activities as evidence; ``None`` without an
        activity ledger.
    """
    return _ledger(
        ledger.emergency_drills_with_communities(
            inp.activities,
            inp.attendance,
            factory_ids=set(inp.factories["factory_id"]),
            zone_id=_area_zone(inp),
            as_of=inp.as_of,
        )
    )


def factories_trained_share(inp: AreaInputs) -> Result:
    """Percent of the area's factories that attended a programme training (ledger).

    Parameters
    ----------
    inp : AreaInputs
        The area's layers; ``activities``, ``attendance``, the factories and ``as_of`` are
        read.

    Returns
    -------
    Result
        ``value`` in percent (0–100) of the area's factories trained up to ``as_of``;
        ``None`` without an activity ledger or attendance, or without factories.
    """
    return _ledger(
        ledger.factories_trained_share(
            inp.activities,
            inp.attendance,
            factory_ids=set(inp.factories["factory_id"]),
            as_of=inp.as_of,
        )
    )


COMPUTATIONS: dict[str, Callable[[AreaInputs], Result]] = {
    "share_in_zones": share_in_zones,
    "green_buffer_share": green_buffer_share,
    "siting_breaches": siting_breaches,
    "sme_share": sme_share,
    "waste_recovered_share": waste_recovered_share,
    "hazardous_landfill_share": hazardous_landfill_share,
    "water_intensity": water_intensity,
    "energy_intensity": energy_intensity,
    "people_near_hazardous": people_near_hazardous,
    "receptors_near_hazardous": receptors_near_hazardous,
    "env_management_share": env_management_share,
    "safety_management_share": safety_management_share,
    "csr_share": csr_share,
    "green_industry_share": green_industry_share,
    "legal_compliance_share": legal_compliance_share,
    "committee_meetings_per_year": committee_meetings_per_year,
    "emergency_drills_with_communities": emergency_drills_with_communities,
    "factories_trained_share": factories_trained_share,
}
"""Computation name (as written in the indicator file) → function."""
