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
import numpy as np
import pandas as pd
import shapely

from ecogis import schema
from ecogis.demo.ids import demo_rows, is_demo_id
from ecogis.errors import InputFileError
from ecogis.importers import IMPORT_KINDS, ImportOptions, ParseResult, parse_file
from ecogis.importers.csvout import write_csv
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
        """Return the one summary line.

        Returns
        -------
        str
            ``<layer>: N added, N updated, N unchanged, N unplaced, N rejected (from <file>,
            <format>)``.
        """
        return (
            f"{self.layer}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, "
            f"{self.unplaced} unplaced, {len(self.rejected)} rejected "
            f"(from {Path(self.source).name}, {self.fmt})"
        )

    def lines(self, *, max_rejected: int = 20) -> list[str]:
        """Return the summary line, then notes and the rejected rows with their reasons.

        Parameters
        ----------
        max_rejected : int, default 20
            How many rejected rows to list; the rest are counted in one line.

        Returns
        -------
        list[str]
            :meth:`line`, then ``  note: …`` lines, then ``  rejected row N: …`` lines.
        """
        out = [self.line()]
        out += [f"  note: {n}" for n in self.notes]
        for row, reason in self.rejected[:max_rejected]:
            out.append(f"  rejected row {row}: {reason}")
        if len(self.rejected) > max_rejected:
            out.append(f"  … {len(self.rejected) - max_rejected} more rejected rows")
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Returns
        -------
        dict[str, Any]
            ``kind``, ``layer``, ``source``, ``format``, the row counts (``rows``, ``added``,
            ``updated``, ``unchanged``, ``unplaced``), ``rejected`` as ``{"row", "reason"}``
            objects and ``notes``.
        """
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


@dataclass
class PreparedImport:
    """A parsed and validated file, ready to be written (nothing written yet)."""

    workspace: str
    kind: str
    path: Path
    result: ParseResult


def prepare_import(
    workspace: str | Path,
    kind: str,
    path: str | Path,
    options: ImportOptions | None = None,
) -> PreparedImport:
    """Parse and validate a file against the workspace, without writing anything.

    The workspace (when it exists) is only read: its provinces and zones for the
    factories' checks, its factory IDs for the table parsers.

    Parameters
    ----------
    workspace : str or Path
        The workspace: a GeoPackage path or a PostgreSQL URL (it need not exist yet).
    kind : str
        A key of :data:`ecogis.importers.IMPORT_KINDS`.
    path : str or Path
        The source file.
    options : ImportOptions or None, default None
        Import options; ``None`` uses the defaults.

    Returns
    -------
    PreparedImport
        The parsed result, checked against its layer contract (and its companions'),
        ready for :func:`write_import`.

    Raises
    ------
    EcogisError
        For bad input (InputFileError, DataValidationError, CRSError …), including real
        rows that would merge onto the demo's rows.
    """
    opts = options or ImportOptions()
    ws = Workspace.open_if_exists(workspace)
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
    # Validate the incoming rows before anything is created or written.
    if schema.has_contract(result.layer):
        contract = schema.contract(result.layer)
        checked = schema.coerce_dtypes(result.frame, contract)
        schema.require_valid(checked, contract, source=f"{Path(path).name} → {result.layer}")
    for name, frame in result.companions.items():
        companion = schema.contract(name)
        schema.require_valid(
            schema.coerce_dtypes(frame, companion), companion, source=f"{Path(path).name} → {name}"
        )
    refuse_real_rows_onto_demo_rows(ws, result, path, kind=kind)
    return PreparedImport(workspace=str(workspace), kind=kind, path=Path(path), result=result)


def refuse_real_rows_onto_demo_rows(
    ws: Workspace | None, result: ParseResult, path: str | Path, *, kind: str
) -> None:
    """Refuse a file whose real rows would merge onto the illustrative demo's rows.

    A stored row is a demo row when its key carries the demo prefix or its ``source`` is the
    demo's (:func:`ecogis.demo.ids.demo_rows`: workspaces built before the prefix have
    registration numbers a real factory holds). An incoming row is real when its key lacks
    the prefix. Merging the two would give a real company the demo's made-up compliance
    records, mass balance and gaps; so nothing is written and the message says where the
    real data belong.

    Parameters
    ----------
    ws : Workspace or None
        The target workspace; ``None`` (not created yet) refuses nothing.
    result : ParseResult
        The parsed file.
    path : str or Path
        The source file, named in the message.
    kind : str
        The import kind, for the command in the fix.

    Raises
    ------
    InputFileError
        Naming the file, the first such row's key and how many there are.
    """
    layer = result.layer
    if ws is None or not schema.has_contract(layer) or not ws.has_layer(layer):
        return
    contract = schema.contract(layer)
    if len(contract.key) != 1 or len(result.frame) == 0:
        return
    column = contract.key[0]
    stored = ws.read(layer, columns=[c for c in (column, "source") if contract.has_field(c)])
    demo_keys = set(stored.loc[demo_rows(stored, column).to_numpy(), column].astype(str))
    if not demo_keys:
        return
    incoming = result.frame[column]
    real = ~is_demo_id(incoming)
    clash = real & incoming.astype("string").isin(demo_keys).fillna(False).astype(bool)
    if not clash.any():
        return
    first = str(incoming[clash].iloc[0])
    raise InputFileError(
        f"{int(clash.sum())} row(s) would merge real data onto the illustrative demo's "
        f"{layer} (e.g. {first!r}, a demo row with made-up records); nothing was imported",
        source=Path(path),
        row=first,
        field=column,
        fix=f"import real data into a workspace of its own: "
        f"ecogis import {kind} {Path(path).name} -w real.gpkg",
    )


def write_import(prepared: PreparedImport) -> ImportSummary:
    """Upsert a prepared import in one batch (the workspace is created if needed).

    Importing zones also refreshes every factory's ``zone_id`` in the same batch. The
    stored rows (kept points, unchanged rows) are read inside the batch, so an import
    that waited for another writer works on the rows that writer left.

    Parameters
    ----------
    prepared : PreparedImport
        What :func:`prepare_import` returned.

    Returns
    -------
    ImportSummary
        Rows in the file, added, updated, unchanged (by business key), unplaced (rows
        without a point) and rejected, with the notes (stored values kept, zones refreshed).

    Raises
    ------
    WorkspaceError
        The workspace cannot be opened or written; nothing is then written.
    """
    location = prepared.workspace
    ws = Workspace.open_if_exists(location) or Workspace.create(location)
    result = prepared.result
    notes = list(result.notes)
    added = updated = 0
    with ws.batch():
        frame = _keep_stored(ws, result, notes)
        changed = _new_or_changed(ws, result.layer, frame)
        companions = _companions_to_write(ws, result, notes)
        if changed.any():
            counts = ws.upsert(result.layer, frame[changed.to_numpy()])
            added, updated = counts.added, counts.updated
        for name, table in companions.items():
            ws.write(name, table)
        zones_changed = changed.any() and result.layer == "industrial_zones"
        if zones_changed and ws.has_layer("factories"):
            notes.append(_refresh_factory_zones(ws))
    summary = ImportSummary(
        kind=prepared.kind,
        layer=result.layer,
        source=str(prepared.path),
        fmt=result.fmt,
        rows=len(frame),
        added=added,
        updated=updated,
        unchanged=len(frame) - added - updated,
        unplaced=_unplaced(frame, result.unplaced),
        rejected=result.rejected,
        notes=notes,
    )
    log.debug("%s", summary.line())
    return summary


def _companions_to_write(
    ws: Workspace, result: ParseResult, notes: list[str]
) -> dict[str, pd.DataFrame]:
    """Return the companion tables as they will be stored, for those the file changes.

    A companion's stored rows for the parents in the file (``result.replace_by``) are
    replaced by the file's rows (a corrected sign-in sheet that drops a factory drops it);
    rows of other parents stay.
    """
    out: dict[str, pd.DataFrame] = {}
    if not result.companions or result.replace_by is None:
        return out
    parents = set(result.frame[result.replace_by].astype(str))
    for name, frame in result.companions.items():
        contract = schema.contract(name)
        incoming = schema.coerce_dtypes(frame, contract)
        stored = ws.read_if_present(name)
        mine = (
            stored[stored[result.replace_by].astype(str).isin(parents)]
            if stored is not None
            else None
        )
        notes.append(
            f"{name}: {len(incoming)} row(s) for the {len(parents)} activity(ies) in the file"
        )
        if mine is not None and _same_rows(mine, incoming, list(contract.key)):
            continue
        kept = (
            stored[~stored.index.isin(mine.index)]
            if stored is not None and mine is not None
            else None
        )
        table = (
            pd.concat([kept, incoming], ignore_index=True)
            if kept is not None and len(kept)
            else incoming
        )
        out[name] = table.reset_index(drop=True)
    return out


def _same_rows(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> bool:
    """Whether two tables hold the same rows (order aside; ``source`` not compared)."""
    cols = [c for c in b.columns if c != "source" and c in a.columns]
    if len(a) != len(b) or len(cols) != len([c for c in b.columns if c != "source"]):
        return False
    left = a[cols].astype("string").sort_values(key).reset_index(drop=True)
    right = b[cols].astype("string").sort_values(key).reset_index(drop=True)
    return bool(left.fillna("\x00").equals(right.fillna("\x00")))


def _unplaced(frame: Any, parsed: int) -> int:
    """Rows left without a point after stored points were kept."""
    if isinstance(frame, gpd.GeoDataFrame) and "coord_flag" in frame.columns:
        return int((frame.geometry.isna() | frame.geometry.is_empty).sum())
    return parsed


UNKNOWN_POSITION = ("missing", "placeholder")
"""coord_flag values that mean "this file does not know where the factory is"."""


def _keep_stored(ws: Workspace, result: ParseResult, notes: list[str]) -> Any:
    """Keep what the workspace knows where the file knows nothing (rows already stored).

    * A field the file does not carry (blank in every row, or a parser default such as the
      GIS export's ``status``) keeps the stored value.
    * A factory the file has no coordinates for (``coord_flag`` missing/placeholder — about
      40 % of DIW API rows) keeps its stored point, flag and zone: an export without
      coordinates does not mean the factory moved nowhere.

    A value the file does give (a new point, a changed number) still replaces the stored one.
    """
    frame = result.frame
    layer = result.layer
    if not schema.has_contract(layer) or not ws.has_layer(layer) or len(frame) == 0:
        return frame
    key = list(schema.contract(layer).key)
    stored = ws.read(layer)
    stored_keys = schema.join_key(stored, key)
    if stored_keys.duplicated().any():
        return frame
    in_keys = schema.join_key(frame, key)
    found = in_keys.isin(stored_keys).to_numpy()
    if not found.any():
        return frame
    old = stored.set_index(stored_keys.to_numpy()).loc[in_keys[found].to_numpy()]
    rows = frame.index[found]
    out = frame.copy()
    skip = {*key, "geometry", "source", "coord_flag"}
    absent = [c for c in frame.columns if c not in skip and frame[c].isna().all()]
    kept = [c for c in (*absent, *result.defaults) if c in stored.columns and c in out.columns]
    meaningful = []
    for col in kept:
        before = old[col].astype("string").fillna("\x00").to_numpy()
        if (before != frame.loc[rows, col].astype("string").fillna("\x00").to_numpy()).any():
            meaningful.append(col)  # the file would have changed something here
        out[col] = out[col].astype(object)
        out.loc[rows, col] = old[col].to_numpy(dtype=object)
    if meaningful:
        notes.append(
            f"not in this file, kept as stored for {len(rows)} existing row(s): "
            + ", ".join(meaningful)
        )
    if "coord_flag" in frame.columns and "geometry" in frame.columns:
        unknown = frame.loc[rows, "coord_flag"].isin(UNKNOWN_POSITION).to_numpy()
        placed_before = old.geometry.notna().to_numpy() & ~old.geometry.is_empty.to_numpy()
        keep = unknown & placed_before
        if keep.any():
            take = rows[keep]
            out.loc[take, "geometry"] = old.geometry.to_numpy()[keep]
            for col in ("coord_flag", "zone_id"):
                if col in out.columns and col in old.columns:
                    out[col] = out[col].astype(object)
                    out.loc[take, col] = old[col].to_numpy(dtype=object)[keep]
            notes.append(
                f"{int(keep.sum())} factory(ies) without coordinates in this file kept the "
                "point already in the workspace"
            )
    return out


def _new_or_changed(ws: Workspace, layer: str, frame: Any) -> pd.Series:
    """Flag incoming rows whose key is new or whose values differ from the stored row.

    Compared column by column (vectorised) on the columns the file brings, the same rule
    as :meth:`Workspace.upsert`; only these rows are handed to it, so re-importing a
    national registry in which little changed stays fast, and an import that changes
    nothing leaves the workspace file untouched.
    """
    all_rows = pd.Series(True, index=frame.index)
    if not schema.has_contract(layer) or not ws.has_layer(layer) or len(frame) == 0:
        return all_rows
    contract = schema.contract(layer)
    key = list(contract.key)
    incoming = schema.coerce_dtypes(frame, contract)
    stored = ws.read(layer)
    stored_keys = schema.join_key(stored, key)  # vectorised: a row-wise join took seconds
    if stored_keys.duplicated().any():
        return all_rows  # let upsert deal with a layer that breaks its own key
    in_keys = schema.join_key(incoming, key)
    pos = pd.Series(range(len(stored)), index=stored_keys.to_numpy())
    found = in_keys.isin(pos.index).to_numpy()
    result = pd.Series(True, index=frame.index)
    if not found.any():
        return result
    match = stored.iloc[pos.loc[in_keys[found].to_numpy()].to_numpy()]
    mine = incoming[found]
    same = np.ones(int(found.sum()), dtype=bool)
    for col in frame.columns:
        # The file name alone does not make a row "updated": a registry saved under a
        # new name with the same values changes nothing.
        if col not in stored.columns or col in key or col == "source":
            continue
        a = match[col].to_numpy(dtype=object)
        b = mine[col].to_numpy(dtype=object)
        if col == "geometry":
            a_na = pd.isna(a)
            b_na = pd.isna(b)
            both = ~a_na & ~b_na
            eq = a_na & b_na
            eq[both] = shapely.equals_exact(
                np.asarray(a[both]), np.asarray(b[both]), tolerance=1e-9
            )
        else:
            a_na = pd.isna(a)
            b_na = pd.isna(b)
            eq = a_na & b_na
            both = ~a_na & ~b_na
            eq[both] = [x == y for x, y in zip(a[both], b[both], strict=True)]
        same &= eq.astype(bool)
    result[found] = ~same
    return result


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
        The workspace: a GeoPackage path or a PostgreSQL URL.
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
    return write_import(prepare_import(workspace, kind, path, options))


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
    """List the kinds ``ecogis import`` accepts, in registry order.

    Returns
    -------
    list[str]
        The keys of :data:`ecogis.importers.IMPORT_KINDS` (``factories``, ``provinces`` …).
    """
    return list(IMPORT_KINDS)


def export_diw_api_csv(factories: gpd.GeoDataFrame, path: Path) -> Path:
    """Write factories as a DIW open-data API CSV (UTF-8 with BOM, Excel-quoted IDs).

    Used by the demo to show the round trip (export → import → the same factories); a
    user can also hand such a file to colleagues whose tools read the DIW format. Tambon,
    district and province names come from geothai by code.

    Parameters
    ----------
    factories : geopandas.GeoDataFrame
        The ``factories`` layer (points in EPSG:4326) as the workspace stores it.
    path : Path
        The CSV to write (replaced).

    Returns
    -------
    Path
        ``path``: one row per factory with the DIW API columns (``FACREG`` as ``="…"``,
        ``LAT``/``LNG`` in decimal degrees, ``TOTAL_CAP`` in baht, ``HP`` in horsepower,
        ``FFLAG`` status code).
    """
    import geothai

    status_code = {"licensed": "0", "operating": "1", "struck_off": "2", "stopped": "3"}
    provinces = {p.code: p.name_th for p in geothai.provinces()}
    districts: dict[str, str] = {}
    tambons: dict[str, str] = {}
    for pro in set(factories["pro_code"].dropna()):
        for d in geothai.districts(str(pro)):
            districts[d.code] = d.name_th
            tambons.update({t.code: t.name_th for t in geothai.subdistricts(d.code)})
    pts = factories.geometry
    has = pts.notna() & ~pts.is_empty
    blank = pd.Series(pd.NA, index=factories.index)
    out = pd.DataFrame(
        {
            "FACREG": factories["factory_id"].astype(str),
            "DISPFACREG": factories["factory_id"].astype(str),
            "FID": factories.get("fid_diw", blank),
            "FACTYPE": factories["factory_class"].astype("string").fillna("-"),
            "FNAME": factories["name_th"],
            "OBJECT": factories.get("activity", blank),
            "FADDR": factories.get("address", blank),
            "FTUMNAME": factories["tam_code"].map(tambons),
            "FAMPNAME": factories["amp_code"].map(districts),
            "FPROVNAME": factories["pro_code"].map(provinces),
            "TOTAL_CAP": factories["capital_thb"],
            "TOTAL_WORKER": factories["workers"],
            "HP": factories["horsepower"],
            "LAT": pts.y.where(has),
            "LNG": pts.x.where(has),
            "ISIC_CODE": factories["tsic"],
            "FACTORY_TYPE": factories["diw_type"],
            "LICENSE_DATE": factories["licence_date"],
            "ESTATE_NAME_TH": factories.get("estate_name", blank),
            "FFLAG": factories["status"].map(status_code),
        }
    )
    write_csv(out, path, excel_text=["FACREG"])  # FACREG as ="…", as DIW writes it
    return path


ROUND_TRIP_FIELDS = (
    "name_th", "diw_type", "diw_type_main", "tsic", "factory_class", "status", "workers",
    "horsepower", "capital_thb", "licence_date", "pro_code", "amp_code", "tam_code",
    "address", "zone_id", "coord_flag",
)  # fmt: skip
"""Fields the demo's export → import round trip must give back unchanged."""


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Export the demo factories as a DIW API CSV, import it into a scratch workspace.

    Shows the registry importer on the demo data: every factory comes back with the same
    fields, and a second import of the same file changes nothing (upsert by key). The demo
    workspace itself is only read.

    Parameters
    ----------
    ws : Workspace
        The demo workspace (read only).
    out_dir : Path
        Folder for ``demo_factories_diw_api.csv`` and the scratch
        ``import_round_trip.gpkg`` (replaced).

    Returns
    -------
    list[str]
        Two summary lines (the export; the round trip with its counts, the fields that
        differ and the largest point shift in degrees); empty without factories.
    """
    if not ws.has_layer("factories"):
        return []
    factories = ws.read("factories")
    csv_path = export_diw_api_csv(factories, out_dir / "demo_factories_diw_api.csv")
    scratch = out_dir / "import_round_trip.gpkg"
    scratch.unlink(missing_ok=True)
    scratch_ws = Workspace.create(scratch)
    if ws.has_layer("industrial_zones"):
        with scratch_ws.batch():
            scratch_ws.write("industrial_zones", ws.read("industrial_zones"))
    options = ImportOptions(format="diw-api")
    first = import_file(scratch, "factories", csv_path, options)
    second = import_file(scratch, "factories", csv_path, options)
    back = Workspace.open(scratch).read("factories").set_index("factory_id")
    orig = factories.set_index("factory_id").reindex(back.index)
    differing = [
        f
        for f in ROUND_TRIP_FIELDS
        if f in orig.columns
        and not (
            (orig[f].astype("string") == back[f].astype("string"))
            | (orig[f].isna() & back[f].isna())
        ).all()
    ]
    placed = orig.geometry.notna() & back.geometry.notna()
    moved = 0.0
    if placed.any():
        dx = (orig.geometry[placed].x - back.geometry[placed].x).abs().max()
        dy = (orig.geometry[placed].y - back.geometry[placed].y).abs().max()
        moved = float(max(dx, dy))  # degrees: only to show the coordinates came back as written
    same = (
        "all fields identical" if not differing else f"fields that differ: {', '.join(differing)}"
    )
    return [
        f"DIW API CSV export: {csv_path.name} ({len(factories)} factories)",
        f"import round trip: {first.line()}; again: {second.added} added, "
        f"{second.updated} updated, {second.unchanged} unchanged; {same}; "
        f"largest point shift {moved:.1e}°",
    ]
