"""``ecogis import``: parse a file, validate it, and upsert it into the workspace in one batch.

The file is parsed and checked completely before the workspace is opened for writing, and
every write happens inside one :meth:`Workspace.batch`, so a bad file leaves the workspace
byte for byte as it was. Rows are merged by business key (:meth:`Workspace.upsert`):
re-importing the same file adds nothing and loses nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ecogis import schema
from ecogis.importers import IMPORT_KINDS, ImportOptions, ParseResult, parse_file
from ecogis.importers.factories import assign_zones
from ecogis.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    """What an import did, for the CLI and for Python callers."""

    kind: str
    layer: str
    source: str
    fmt: str
    rows: int
    added: int
    updated: int
    unchanged: int
    unplaced: int
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one summary line."""
        return (
            f"{self.layer}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, "
            f"{self.unplaced} unplaced, {len(self.rejected)} rejected "
            f"(from {Path(self.source).name}, {self.fmt})"
        )

    def lines(self, *, max_rejected: int = 20) -> list[str]:
        """The summary line, then notes and the rejected rows with their reasons."""
        out = [self.line()]
        out += [f"  note: {n}" for n in self.notes]
        for row, reason in self.rejected[:max_rejected]:
            out.append(f"  rejected row {row}: {reason}")
        if len(self.rejected) > max_rejected:
            out.append(f"  … {len(self.rejected) - max_rejected} more rejected rows")
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "layer": self.layer,
            "source": self.source,
            "format": self.fmt,
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unplaced": self.unplaced,
            "rejected": [{"row": r, "reason": m} for r, m in self.rejected],
            "notes": self.notes,
        }


def _known_factory_ids(ws: Workspace | None) -> set[str] | None:
    if ws is None or not ws.has_layer("factories"):
        return None
    ids = ws.read("factories", columns=["factory_id"])["factory_id"]
    return set(ids.dropna().astype(str))


def import_file(
    workspace: str | Path,
    kind: str,
    path: str | Path,
    options: ImportOptions | None = None,
) -> ImportSummary:
    """Import one file into a workspace (created when it does not exist).

    Parameters
    ----------
    workspace
        The workspace GeoPackage.
    kind
        A key of :data:`ecogis.importers.IMPORT_KINDS`.
    path
        The source file.
    options
        Import options.

    Returns
    -------
    ImportSummary
        Counts of added, updated, unchanged, unplaced and rejected rows, and notes.

    Raises
    ------
    EcogisError
        For bad input; the workspace is then left unchanged.
    """
    opts = options or ImportOptions()
    ws_path = Path(workspace)
    ws = Workspace.open(ws_path) if ws_path.exists() else None
    provinces = ws.read_if_present("provinces") if ws is not None else None
    zones = ws.read_if_present("industrial_zones") if ws is not None else None
    result: ParseResult = parse_file(
        kind,
        path,
        opts,
        provinces=provinces,
        zones=zones,
        known_factory_ids=_known_factory_ids(ws),
    )
    layer = result.layer
    frame = result.frame
    # Validate the incoming rows before anything is created or written.
    if schema.has_contract(layer):
        contract = schema.contract(layer)
        checked = schema.coerce_dtypes(frame, contract)
        schema.require_valid(checked, contract, source=f"{Path(path).name} → {layer}")
    if ws is None:
        ws = Workspace.create(ws_path)
    notes = list(result.notes)
    with ws.batch():
        counts = ws.upsert(layer, frame)
        if layer == "industrial_zones" and ws.has_layer("factories"):
            notes.append(_refresh_factory_zones(ws))
    unplaced = result.unplaced
    summary = ImportSummary(
        kind=kind,
        layer=layer,
        source=str(path),
        fmt=result.fmt,
        rows=len(frame),
        added=counts.added,
        updated=counts.updated,
        unchanged=counts.unchanged,
        unplaced=unplaced,
        rejected=result.rejected,
        notes=notes,
    )
    log.debug("%s", summary.line())
    return summary


def _refresh_factory_zones(ws: Workspace) -> str:
    """Recompute every factory's ``zone_id`` after the zones changed (inside the batch)."""
    factories = ws.read("factories")
    zones = ws.read("industrial_zones")
    new = assign_zones(factories, zones)
    old = factories["zone_id"].astype("string")
    changed = int((old.fillna("\x00") != new.fillna("\x00")).sum())
    if changed:
        factories = factories.copy()
        factories["zone_id"] = new
        ws.write("factories", factories)
    inside = int(new.notna().sum())
    return f"factories' zone_id refreshed: {inside} inside a zone, {changed} changed"


def import_kinds() -> list[str]:
    """The kinds ``ecogis import`` accepts, in registry order."""
    return list(IMPORT_KINDS)


def export_diw_api_csv(factories: gpd.GeoDataFrame, path: Path) -> Path:
    """Write factories as a DIW open-data API CSV (UTF-8 with BOM, Excel-quoted IDs).

    Used by the demo to show the round trip (export → import → nothing changes); a user
    can also hand such a file to colleagues who read the DIW format.
    """
    status_code = {"licensed": "0", "operating": "1", "struck_off": "2", "stopped": "3"}
    pts = factories.geometry
    has = pts.notna() & ~pts.is_empty
    out = pd.DataFrame(
        {
            "FACREG": '="' + factories["factory_id"].astype(str) + '"',
            "DISPFACREG": factories["factory_id"].astype(str),
            "FID": factories.get("fid_diw", pd.Series(pd.NA, index=factories.index)),
            "FACTYPE": factories["factory_class"].astype("string").fillna("-"),
            "FNAME": factories["name_th"],
            "OBJECT": factories.get("activity"),
            "TOTAL_CAP": factories["capital_thb"],
            "TOTAL_WORKER": factories["workers"],
            "HP": factories["horsepower"],
            "LAT": pts.y.where(has).round(6),
            "LNG": pts.x.where(has).round(6),
            "ISIC_CODE": factories["tsic"],
            "FACTORY_TYPE": factories["diw_type"],
            "LICENSE_DATE": factories["licence_date"],
            "ESTATE_NAME_TH": factories.get("estate_name"),
            "FFLAG": factories["status"].map(status_code),
        }
    )
    out.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Export the demo factories as a DIW API CSV and import it back: nothing may change.

    Shows the registry importer on the demo data and proves that re-importing by business
    key adds no duplicates and loses nothing.
    """
    if not ws.has_layer("factories"):
        return []
    csv_path = export_diw_api_csv(ws.read("factories"), out_dir / "demo_factories_diw_api.csv")
    summary = import_file(ws.path, "factories", csv_path, ImportOptions(format="diw-api"))
    return [f"import round trip ({csv_path.name}): {summary.line()}"]
