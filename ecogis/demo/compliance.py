"""The demo's compliance table: each factory's status per requirement, with realistic gaps.

Which requirement applies follows the project's requirement catalogue
(``ecogis/catalogue/requirements.csv``): a licence for class 3 only, the annual waste report
where the mass balance shows waste, manifests where hazardous waste (HA/HM) leaves the site,
pollution-control staff for class-3 factories of the listed types, environmental
monitoring for class 3; ISO 14001, ISO 45001, CSR-DIW and Green Industry are voluntary.
Large factories hold certificates more often than small ones; some have lapsed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

import numpy as np
import pandas as pd

from ecogis.compliance.records import load_requirements
from ecogis.demo.tables import read_rows

EVIDENCE: dict[str, str] = {
    r["requirement"]: r["evidence"] for r in read_rows("compliance_evidence.csv")
}
"""What a held requirement's evidence reads (``data/compliance_evidence.csv``)."""


def _pollution_staff_types() -> frozenset[int]:
    """Return the main DIW types whose class-3 factories must employ pollution-control staff.

    They are the requirement catalogue's ``applies_types`` (provisional).
    """
    return frozenset(load_requirements()["pollution_staff"].applies_types)


def compliance_frame(
    factories: pd.DataFrame,
    flows: pd.DataFrame,
    rng: np.random.Generator,
    *,
    as_of: date,
    source: str,
) -> pd.DataFrame:
    """One row per factory and requirement (key ``factory_id``, ``requirement``).

    Parameters
    ----------
    factories
        The demo's factories (``factory_id``, ``factory_class``, ``diw_type_main``,
        ``workers``, ``licence_date``).
    flows
        The demo's mass balances (for waste and hazardous-waste applicability).
    rng
        The demo's random generator (drawn in a fixed order).
    as_of
        The date the statuses describe: a certificate valid until before it is ``expired``.
    source
        Text of the ``source`` column.

    Returns
    -------
    pandas.DataFrame
        The ``compliance`` table: ``factory_id``, ``requirement``, ``status`` (``yes`` /
        ``expired`` / ``in_progress`` / ``no`` / ``unknown``), ``level``, ``issued`` and
        ``valid_until`` (ISO dates or ``None``), ``evidence`` (for a held or lapsed item)
        and ``source``; the same rows for the same seed.
    """
    coded = flows[flows["waste_code"].notna()]
    with_waste = set(coded["factory_id"])
    with_hazardous = set(coded.loc[coded["hazardous"].isin(["HA", "HM"]), "factory_id"])
    sheet = _Sheet(rng, as_of=as_of, source=source)
    staff_types = _pollution_staff_types()
    columns = ["factory_id", "factory_class", "diw_type_main", "workers", "licence_date"]
    records = cast(list[dict[str, Any]], factories[columns].to_dict("records"))
    for f in records:
        fid = str(f["factory_id"])
        _legal_items(
            sheet, f, waste=fid in with_waste, hazardous=fid in with_hazardous, staff=staff_types
        )
        _voluntary_items(sheet, fid, workers=int(f["workers"]))
    return pd.DataFrame(sheet.rows)


class _Sheet:
    """The rows being written, and how a status is drawn (in a fixed order from ``rng``)."""

    def __init__(self, rng: np.random.Generator, *, as_of: date, source: str) -> None:
        self.rng, self.as_of, self.source = rng, as_of, source
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        fid: str,
        req: str,
        status: str,
        issued: date | None = None,
        valid_until: date | None = None,
        level: str | None = None,
    ) -> None:
        """One record."""
        self.rows.append(
            {
                "factory_id": fid,
                "requirement": req,
                "status": status,
                "level": level,
                "issued": issued.isoformat() if issued else None,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "evidence": EVIDENCE[req] if status in ("yes", "expired") else None,
                "source": self.source,
            }
        )

    def held(
        self,
        fid: str,
        req: str,
        p_yes: float,
        years: int,
        *,
        p_lapsed: float,
        level: str | None = None,
    ) -> None:
        """Make a requirement held with probability ``p_yes`` (a share of them lapsed)."""
        rng, as_of = self.rng, self.as_of
        u = float(rng.uniform())
        lapsed = float(rng.uniform()) < p_lapsed
        if u < p_yes:
            if lapsed:
                valid = as_of - timedelta(days=int(rng.integers(20, 400)))
                status = "expired"
            else:
                valid = as_of + timedelta(days=int(rng.integers(180, 365 * years)))
                status = "yes"
            issued = date(valid.year - years, valid.month, min(valid.day, 28))
            lvl = level if level is not None or req != "csr_diw" else str(issued.year)
            self.add(fid, req, status, issued, valid, lvl)
        elif u < p_yes + 0.07:
            self.add(fid, req, "in_progress")
        elif u > 0.97:
            self.add(fid, req, "unknown")
        else:
            self.add(fid, req, "no")

    def in_place(self, fid: str, req: str, p_yes: float, days: tuple[int, int]) -> None:
        """Make a one-off item (manifest, staff appointment) in place with probability ``p_yes``.

        When in place it is dated ``days`` (low, high) days before the date the statuses
        describe.
        """
        if float(self.rng.uniform()) < p_yes:
            self.add(fid, req, "yes", self.as_of - timedelta(days=int(self.rng.integers(*days))))
        else:
            self.add(fid, req, "no")


def _legal_items(
    sheet: _Sheet, f: dict[str, Any], *, waste: bool, hazardous: bool, staff: frozenset[int]
) -> None:
    """List the mandatory items of one factory, as the requirement catalogue applies them."""
    fid, cls = str(f["factory_id"]), int(f["factory_class"])
    if cls == 3:
        sheet.add(fid, "factory_licence", "yes", date.fromisoformat(str(f["licence_date"])))
    else:
        sheet.add(fid, "factory_licence", "not_required")
    if waste:
        sheet.held(fid, "waste_report", 0.86, 1, p_lapsed=0.12)
    else:
        sheet.add(fid, "waste_report", "not_required")
    if hazardous:
        u = float(sheet.rng.uniform())  # the date is drawn either way (fixed draw order)
        last = sheet.as_of - timedelta(days=int(sheet.rng.integers(5, 90)))
        sheet.add(
            fid, "hazardous_manifest", "yes" if u < 0.85 else "no", last if u < 0.85 else None
        )
    else:
        sheet.add(fid, "hazardous_manifest", "not_required")
    if cls == 3 and int(f["diw_type_main"]) in staff:
        sheet.in_place(fid, "pollution_staff", 0.85, (200, 3000))
    else:
        sheet.add(fid, "pollution_staff", "not_required")
    if cls == 3:
        sheet.held(fid, "env_monitoring", 0.85, 1, p_lapsed=0.15)
    else:
        sheet.add(fid, "env_monitoring", "not_required")


def _voluntary_items(sheet: _Sheet, fid: str, *, workers: int) -> None:
    """Voluntary management systems and standards: big firms hold them far more often."""
    large, medium = workers >= 200, workers >= 80
    sheet.held(fid, "iso14001", 0.8 if large else 0.35 if medium else 0.08, 3, p_lapsed=0.12)
    sheet.held(fid, "iso45001", 0.65 if large else 0.22 if medium else 0.04, 3, p_lapsed=0.12)
    sheet.held(fid, "csr_diw", 0.45 if large else 0.15 if medium else 0.05, 3, p_lapsed=0.2)
    u = float(sheet.rng.uniform())
    gi: str | None = None
    if u < 0.12 and medium:
        gi = "GI4" if large and u < 0.04 else "GI3"
    elif u < 0.30:
        gi = "GI2"
    elif u < 0.55:
        gi = "GI1"
    if gi is None:
        sheet.add(fid, "green_industry", "no")
    else:
        sheet.held(fid, "green_industry", 1.0, 3, p_lapsed=0.1, level=gi)
