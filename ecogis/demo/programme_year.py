"""ILLUSTRATIVE: a programme year of the demo, made as a user would make it.

Between the demo's baseline and follow-up assessment rounds, :func:`illustrative_programme_year`
writes an updated compliance sheet and imports it (what ``ecogis import compliance FILE``
does), and starts the largest proposed symbiosis exchanges in the providers' mass balances;
:func:`illustrative_scores` writes the assessor's manual indicator sheets of both rounds.
None of this is real data: every file and evidence text says ILLUSTRATIVE.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ecogis import compliance as comp
from ecogis.importers.csvout import write_csv
from ecogis.importers.tabular import read_table
from ecogis.workspace import Workspace


def plus_years(iso: str, years: int) -> str:
    """Return the ISO date ``years`` later (29 February becomes the 28th).

    Parameters
    ----------
    iso
        A date ``YYYY-MM-DD``.
    years
        Years to add.

    Returns
    -------
    str
    """
    d = date.fromisoformat(iso)
    return d.replace(year=d.year + years, day=min(d.day, 28) if d.month == 2 else d.day).isoformat()


def illustrative_programme_year(
    ws: Workspace,
    gaps: pd.DataFrame,
    *,
    out_dir: Path,
    as_of: str,
    followup: str,
    n_trained: int = 30,
    n_consulted: int = 15,
    first: set[str] | None = None,
) -> list[str]:
    """ILLUSTRATIVE change of the demo data after a programme year, made as a user would.

    The change is written as an updated compliance sheet
    (``compliance_programme_year_ILLUSTRATIVE.csv`` in ``out_dir``) and imported through
    :func:`ecogis.compliance.parse_compliance_records` + ``ws.upsert`` — what
    ``ecogis import compliance FILE`` does:

    * routine: every annual legal report current on ``as_of`` that would lapse before
      ``followup`` is filed again for a year (factories do this every year);
    * the top ``n_trained`` factories of the gap list (those in ``first`` — the assessed
      area — before the others) are taken through training and a study tour: they obtain
      ISO 14001, CSR-DIW and Green Industry GI2 (unless higher), and file their missing
      legal items;
    * the first ``n_consulted`` of them lacking safety management get in-depth consulting
      and ISO 45001; the others have it in progress.

    The three largest proposed symbiosis exchanges start: in the providers' mass balances
    the exchanged tonnes become a flow of their own with the recovery code 021 and the rest
    of the stream keeps its disposal (as a re-imported mass balance would say). None of
    this is real data.

    Parameters
    ----------
    ws
        The demo workspace (after the baseline round).
    gaps
        The baseline gap list (:class:`~ecogis.tasks.compliance.GapResult` ``gaps``).
    out_dir
        Folder for the sheet.
    as_of, followup
        The baseline and follow-up dates (ISO).
    n_trained, n_consulted
        Factories trained; of them, given in-depth consulting.
    first
        The assessed area's factories, taken first.

    Returns
    -------
    list of str
        Summary lines.
    """
    lines: list[str] = []
    in_first = gaps["factory_id"].isin(first or set())
    top = gaps.assign(_first=~in_first).sort_values(["_first", "rank"]).head(n_trained)
    reqs = comp.load_requirements()
    rows: list[dict[str, Any]] = []
    records = ws.read("compliance")
    routine = records[
        records["status"].eq("yes").fillna(False)
        & records["requirement"].map(lambda r: r in reqs and reqs[r].mandatory and reqs[r].expires)
        & records["valid_until"].between(as_of, followup).fillna(False)
    ]
    for r in routine.itertuples(index=False):
        rows.append(
            {
                "factory_id": r.factory_id,
                "requirement": r.requirement,
                "status": "yes",
                "issued": r.valid_until,
                "valid_until": plus_years(str(r.valid_until), 1),
                "evidence": "ILLUSTRATIVE: routine yearly filing",
            }
        )
    gi_rank = {f"GI{i}": i for i in range(1, 6)}
    consulted = 0
    for i, r in enumerate(top.itertuples(index=False)):
        fid = r.factory_id
        # Not every trained factory is certified within the year: one in three is still
        # working towards ISO 14001, one in four towards CSR-DIW.
        for req, evidence, done in (
            ("iso14001", "certificate after the programme's consulting", i % 3 != 2),
            ("csr_diw", "CSR-DIW award after training", i % 4 != 3),
        ):
            rows.append(
                {
                    "factory_id": fid,
                    "requirement": req,
                    "status": "yes" if done else "in_progress",
                    "issued": as_of if done else "",
                    "valid_until": plus_years(followup, 3) if done else "",
                    "level": as_of[:4] if req == "csr_diw" and done else "",
                    "evidence": "ILLUSTRATIVE: "
                    + (evidence if done else "trained; application in progress"),
                }
            )
        if gi_rank.get(str(r.gi_level or ""), 0) < 2:
            rows.append(
                {
                    "factory_id": fid,
                    "requirement": "green_industry",
                    "status": "yes",
                    "level": "GI2",
                    "issued": as_of,
                    "valid_until": plus_years(followup, 3),
                    "evidence": "ILLUSTRATIVE: Green Industry activity level after training",
                }
            )
        if r.lacks_safety:
            consulted += 1
            deep = consulted <= n_consulted
            rows.append(
                {
                    "factory_id": fid,
                    "requirement": "iso45001",
                    "status": "yes" if deep else "in_progress",
                    "issued": as_of if deep else "",
                    "valid_until": plus_years(followup, 3) if deep else "",
                    "evidence": "ILLUSTRATIVE: "
                    + ("certified after in-depth consulting" if deep else "gap audit done"),
                }
            )
        for item in [x for x in str(r.legal_missing or "").split(";") if x]:
            rows.append(
                {
                    "factory_id": fid,
                    "requirement": item,
                    "status": "yes",
                    "issued": as_of,
                    "valid_until": plus_years(followup, 1) if reqs[item].expires else "",
                    "evidence": "ILLUSTRATIVE: filed during consulting",
                }
            )
    sheet = (
        pd.DataFrame(rows)
        .fillna("")
        .astype(str)
        .drop_duplicates(["factory_id", "requirement"], keep="last")
    )
    path = out_dir / "compliance_programme_year_ILLUSTRATIVE.csv"
    write_csv(sheet, path)
    known = set(ws.read("factories", columns=["factory_id"])["factory_id"])
    parsed = comp.parse_compliance_records(
        read_table(path), source=path.name, known_factory_ids=known, requirements=reqs
    )
    with ws.batch():
        res = ws.upsert("compliance", parsed)
        started = start_exchanges(ws, n=3, first=first)
    lines.append(
        f"  ILLUSTRATIVE programme year: {len(top)} factories trained, "
        f"{min(consulted, n_consulted)} given in-depth consulting, {len(routine)} yearly reports "
        f"refiled → {path.name} imported ({res.added} records added, {res.updated} updated); "
        f"{started}"
    )
    return lines


def start_exchanges(ws: Workspace, *, n: int, first: set[str] | None = None) -> str:
    """Mark the ``n`` largest proposed exchanges of waste (t/yr) as started (ILLUSTRATIVE).

    Exchanges whose provider is in ``first`` (the assessed area) come before the others.

    A started exchange shows in the provider's mass balance: the waste stream's disposal
    code becomes 021 (a recovery code), as a re-imported mass balance would say.

    Parameters
    ----------
    ws
        The demo workspace (with ``symbiosis_links`` and ``material_flows``).
    n
        How many exchanges to start.
    first
        Providers taken first (the assessed area).

    Returns
    -------
    str
        A summary line.
    """
    links = ws.read_if_present("symbiosis_links")
    flows = ws.read_if_present("material_flows")
    if links is None or flows is None or links.empty or "stream_id" not in links:
        return "no symbiosis links in the workspace, so no exchange started"
    waste = flows[flows["flow_kind"].eq("waste") & flows["direction"].eq("out")]
    stream_of = waste["factory_id"] + "/" + waste["flow_id"]
    key = links["stream_id"].astype("string")
    usable = links[key.isin(set(stream_of)).fillna(False) & links["tonnes"].notna()]
    usable = usable.assign(_later=~usable["provider_id"].isin(first or set()))
    chosen = (
        usable.sort_values(["_later", "tonnes"], ascending=[True, False])
        .drop_duplicates("stream_id")
        .head(n)
    )
    if chosen.empty:
        return "no proposed exchange of a waste stream in t/yr, so none started"
    # The mass balance splits a stream: the exchanged tonnes become their own flow with the
    # recovery code and the rest keeps its old disposal; a stream exchanged whole is recoded.
    linked = chosen.set_index("stream_id")["tonnes"]
    streams = waste[stream_of.isin(set(linked.index))].copy()
    moved = stream_of[streams.index].map(linked).clip(upper=streams["quantity"])
    whole = moved >= streams["quantity"]
    part = streams[~whole]
    exchanged = part.assign(
        flow_id=part["flow_id"] + "-EX", quantity=moved[~whole], disposal_code="021"
    )
    rest = part.assign(quantity=part["quantity"] - moved[~whole])
    recoded = streams[whole].assign(disposal_code="021")
    ws.upsert("material_flows", pd.concat([recoded, rest, exchanged], ignore_index=True))
    what = ", ".join(
        f"{m} {t:,.0f} t/yr" for m, t in zip(chosen["material"], chosen["tonnes"], strict=True)
    )
    return (
        f"{len(chosen)} exchanges started ({what}; the exchanged tonnes now carry the "
        "recovery code 021)"
    )


def illustrative_scores(out_dir: Path) -> dict[str, Path]:
    """ILLUSTRATIVE manual indicator sheets for the demo's two rounds (as an assessor fills).

    Parameters
    ----------
    out_dir
        Folder for the two sheets.

    Returns
    -------
    dict of str to Path
        Round name → sheet.
    """
    sheets = {
        "baseline": [
            ("ECO02", 35, "ILLUSTRATIVE: factory survey of local hiring"),
        ],
        "followup": [
            ("ECO02", 52, "ILLUSTRATIVE: repeat survey of local hiring"),
        ],
    }
    out: dict[str, Path] = {}
    for name, rows in sheets.items():
        path = out_dir / f"eit_manual_scores_{name}_ILLUSTRATIVE.csv"
        write_csv(pd.DataFrame(rows, columns=["indicator_id", "value", "evidence"]), path)
        out[name] = path
    return out
