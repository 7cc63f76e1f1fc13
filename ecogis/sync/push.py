"""``ecogis sync push rayong.gpkg URL``: the copy's changes since the pull, into the database.

Order of work, so that no failure leaves anything half-written:

1. The copy must be a copy of *this* database (its origin: cluster, database, schema).
2. The copy's changes by business key — added, updated, deleted rows — against its base.
3. **One database transaction** (the workspace's writer lock held): the database's rows of
   those keys are read, each key is decided (:mod:`ecogis.sync.plan`), the non-conflicting
   rows are upserted (referenced layers first) and deleted (referencing layers first). A
   refusal — row-level security, a contract violation — rolls all of it back and the copy
   is not touched.
4. After the commit, one batch on the copy: its base catches up with what was pushed (a
   second push is a no-op) and, with ``theirs``, conflicting rows take the database's
   version. Should this step fail, the next push finds the same rows already in the
   database and pushes nothing twice.

A conflict blocks only its own row: the rest lands, the conflict is listed on screen and
in the conflict file, and the copy keeps its version (and its old base) until it is
resolved with ``--ours``/``--theirs`` or by editing the row and pushing again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ecogis import schema
from ecogis.errors import DataValidationError, SyncError
from ecogis.sync import base as sync_base
from ecogis.sync import rows
from ecogis.sync.conflicts import Conflict
from ecogis.sync.plan import RESOLUTIONS, LayerPlan, plan_layer
from ecogis.sync.scope import dependency_order, read_keys
from ecogis.workspace import Workspace


@dataclass
class PushSummary:
    """What a push did, per layer (added, updated, deleted in the database).

    Attributes
    ----------
    copy : str
        The copy's location.
    database : str
        The database URL (without password).
    counts : dict of str to tuple of int
        Layer → rows added, updated and deleted in the database.
    taken : dict of str to int
        Layer → rows of the copy that took the database's version (``theirs``).
    conflicts : list of Conflict
        Rows changed on both sides and left unpushed.
    """

    copy: str
    database: str
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)  # rows the copy took (theirs)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def added(self) -> int:
        """Rows added to the database."""
        return sum(c[0] for c in self.counts.values())

    @property
    def updated(self) -> int:
        """Rows updated in the database."""
        return sum(c[1] for c in self.counts.values())

    @property
    def deleted(self) -> int:
        """Rows deleted from the database."""
        return sum(c[2] for c in self.counts.values())

    def lines(self) -> list[str]:
        """Return the summary for the terminal.

        Returns
        -------
        list of str
            A headline with the totals, one indented line per layer that changed, and one
            per layer whose rows took the database's version.
        """
        out = [
            f"pushed {self.copy} to {self.database}: {self.added} added, {self.updated} "
            f"updated, {self.deleted} deleted"
        ]
        for layer, (a, u, d) in self.counts.items():
            if a or u or d:
                out.append(f"  {layer}: {a} added, {u} updated, {d} deleted")
        for layer, n in self.taken.items():
            out.append(f"  {layer}: {n} rows of the copy took the database's version (theirs)")
        return out

    def as_dict(self) -> dict[str, object]:
        """JSON-ready.

        Returns
        -------
        dict of str to object
            ``copy``, ``database``, totals ``added``/``updated``/``deleted``, ``layers``
            (layer → those three counts) and ``conflicts`` (how many).
        """
        return {
            "copy": self.copy,
            "database": self.database,
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "layers": {
                k: dict(zip(("added", "updated", "deleted"), v, strict=True))
                for k, v in self.counts.items()
            },
            "conflicts": len(self.conflicts),
        }


@dataclass
class _Layer:
    """One layer's state during a push."""

    name: str
    contract: schema.LayerContract
    base: pd.DataFrame
    frame: pd.DataFrame  # the copy's rows
    toks: pd.DataFrame  # the copy's rows as tokens
    plan: LayerPlan | None = None
    central: pd.DataFrame | None = None  # the database's rows of the changed keys


def push(copy_path: str | os.PathLike[str], url: str, *, resolve: str | None = None) -> PushSummary:
    """Send the changes of the offline copy ``copy_path`` to the database at ``url``.

    Parameters
    ----------
    copy_path : str or os.PathLike of str
        A copy made by :func:`ecogis.sync.pull`.
    url : str
        Its database (the one it was pulled from), ``postgresql://…?schema=NAME``.
    resolve : str or None, optional
        Rows changed on both sides: ``None`` (default: listed in ``conflicts``, not
        overwritten), ``"ours"`` (the copy's version goes to the database) or
        ``"theirs"`` (the copy takes the database's version).

    Returns
    -------
    PushSummary
        Rows added, updated and deleted in the database, and the conflicts left.

    Raises
    ------
    ValueError
        For a ``resolve`` other than ``None``, ``"ours"``, ``"theirs"``.
    SyncError
        A plain workspace (never pulled); a copy of another database.
    DataValidationError
        A business key that appears more than once in a layer of the copy, or a row
        that breaks the layer contract (nothing is written).
    WorkspaceError
        An unreachable database; a write refused by row-level security (naming the rows;
        nothing is written).
    """
    if resolve is not None and resolve not in RESOLUTIONS:
        raise ValueError(f"resolve must be one of {RESOLUTIONS} or None")
    copy = Workspace.open(Path(copy_path))
    origin = sync_base.require_origin(copy)
    central, identity = sync_base.open_database(url)
    if not origin.same_database(identity):
        raise SyncError(
            f"was pulled from {origin.describe()} ({origin.url}), not from "
            f"{sync_base.describe_identity(identity)}; nothing was pushed",
            source=copy.location,
            fix=f"push it to the database it came from: ecogis sync push {copy.location} "
            f"'{origin.url}', or pull a new copy from this one",
        )
    layers = _changed_layers(copy, origin)
    summary = PushSummary(copy.location, central.location)
    with central.batch():
        for state in layers:
            _decide(central, state, resolve)
            summary.conflicts += state.plan.conflicts if state.plan else []
        for state in layers:  # referenced layers first: a new factory before its records
            summary.counts[state.name] = _upsert(central, state)
        for state in reversed(layers):  # records before the factory they belong to
            a, u, _ = summary.counts[state.name]
            summary.counts[state.name] = (a, u, _delete(central, state))
    with copy.batch():  # the database committed: the copy's base catches up
        for state in layers:
            taken = _settle_copy(copy, state)
            if taken:
                summary.taken[state.name] = taken
        sync_base.write_origin(copy, origin.stamped(pushed_at=sync_base.now_utc()))
    return summary


def _changed_layers(copy: Workspace, origin: sync_base.Origin) -> list[_Layer]:
    """List the copy's layers that changed since their base, in dependency order."""
    names = dependency_order(
        {*origin.layers, *(n for n in copy.layer_names() if schema.has_contract(n))}
    )
    out = []
    for name in names:
        contract = schema.contract(name)
        base = sync_base.read_base(copy, name)
        frame = copy.read(name) if copy.has_layer(name) else None
        if frame is None:
            continue  # a layer removed from the copy is not a deletion of every row
        toks = rows.tokens(frame, contract)
        dupes = toks.index[toks.index.duplicated()]
        if len(dupes):
            raise DataValidationError(
                f"business key {dupes[0].replace(chr(31), '/')} appears more than once "
                f"({len(dupes)} repeated keys)",
                source=f"{copy.location}, layer {name}",
                fix=f"make {', '.join(contract.key)} unique in the copy, then push again",
            )
        state = _Layer(name, contract, base, frame, toks)
        if rows.changes(base, toks):
            out.append(state)
    return out


def _decide(central: Workspace, state: _Layer, resolve: str | None) -> None:
    """Read the database's rows of the changed keys and plan every key."""
    keys = rows.changes(state.base, state.toks).keys
    if central.has_layer(state.name):
        state.central = read_keys(central, state.name, keys)
    else:
        state.central = state.frame.iloc[0:0]
    db_t = rows.tokens(state.central, state.contract)
    state.plan = plan_layer(
        state.name, state.base, state.toks, db_t, keys=keys, pushing=True, resolve=resolve
    )


def _contract_columns(frame: pd.DataFrame, contract: schema.LayerContract) -> pd.DataFrame:
    cols = [*contract.field_names, *(["geometry"] if isinstance(frame, gpd.GeoDataFrame) else [])]
    return frame[[c for c in cols if c in frame.columns]]


def _upsert(central: Workspace, state: _Layer) -> tuple[int, int, int]:
    assert state.plan is not None
    if not state.plan.to_database:
        return (0, 0, 0)
    sent = _contract_columns(
        rows.select(state.frame, state.contract, state.plan.to_database), state.contract
    )
    result = central.upsert(state.name, sent)
    return (result.added, result.updated, 0)


def _delete(central: Workspace, state: _Layer) -> int:
    assert state.plan is not None
    if not state.plan.delete_in_database:
        return 0
    columns = list(dict.fromkeys([*state.contract.key, "pro_code", "factory_id"]))
    gone = rows.frame_of_keys(state.base, state.plan.delete_in_database, columns)
    return central.delete_rows(state.name, gone)


def _settle_copy(copy: Workspace, state: _Layer) -> int:
    """After the commit: rows the copy takes (``theirs``) and its new base; rows taken."""
    plan = state.plan
    assert plan is not None
    taken = [*plan.to_copy, *plan.delete_in_copy]
    if taken and state.central is not None:
        kept = rows.drop_keys(state.frame, state.contract, taken)
        theirs = rows.select(state.central, state.contract, plan.to_copy)
        merged = pd.concat([kept, theirs], ignore_index=True) if len(theirs) else kept
        if isinstance(state.frame, gpd.GeoDataFrame) and not isinstance(merged, gpd.GeoDataFrame):
            merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=4326)
        copy.write(state.name, merged, validate=False)
    if plan.base_updates:
        sync_base.write_base(copy, state.name, plan.new_base(state.base))
    return len(taken)
