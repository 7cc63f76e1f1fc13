"""``ecogis sync pull URL --province 21 --to rayong.gpkg``: a province's offline copy.

A new copy gets the province's rows of every contract layer of the database (the rules of
:mod:`ecogis.sync.scope`), its origin and a base snapshot, in one batch: the file appears
whole or not at all. It is an ordinary ecogis workspace (every verb works on it offline)
and is styled for QGIS like any other.

Pulling into an existing copy of the same database and province brings the database's
changes since the last pull or push — added, updated and deleted rows — into the rows the
copy did not change; a row changed on both sides is a conflict (:mod:`ecogis.sync.plan`),
left as the copy has it and listed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

import ecogis.tasks  # noqa: F401  (the task layer styles written layers for QGIS)
from ecogis import schema
from ecogis.errors import SyncError
from ecogis.sync import base as sync_base
from ecogis.sync import rows
from ecogis.sync.conflicts import Conflict
from ecogis.sync.plan import LayerPlan, plan_layer
from ecogis.sync.scope import ProvinceRows, layer_scope, synced_layers
from ecogis.workspace import Workspace

COPIED_SETTINGS = ("lang",)
"""Workspace settings a copy takes from its database (the QGIS language)."""


@dataclass
class PullSummary:
    """What a pull did.

    Attributes
    ----------
    copy : str
        The copy's path.
    database : str
        The database URL (without password).
    province : str
        The 2-digit province code pulled.
    new_copy : bool
        True when the copy was made now, False when an existing one was brought up to
        date.
    rows : dict of str to int
        Layer → rows written into a new copy.
    rules : dict of str to str
        Layer → its scope rule in words (:meth:`LayerScope.describe`), for a new copy.
    taken : dict of str to tuple of int
        Layer → rows the existing copy took from the database (added, updated, deleted).
    conflicts : list of Conflict
        Rows changed on both sides, left as the copy has them.
    """

    copy: str
    database: str
    province: str
    new_copy: bool
    rows: dict[str, int] = field(default_factory=dict)  # layer → rows in the copy
    rules: dict[str, str] = field(default_factory=dict)  # layer → scope rule in words
    taken: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # added/updated/deleted
    conflicts: list[Conflict] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the summary for the terminal.

        Returns
        -------
        list of str
            A headline (rows and layers pulled, or rows taken since the last sync), then one
            indented line per layer (its rows and rule, or what it took).
        """
        out = []
        if self.new_copy:
            out.append(
                f"pulled province {self.province} from {self.database} into {self.copy}: "
                f"{sum(self.rows.values()):,} rows in {len(self.rows)} layers"
            )
            empty = [layer for layer, n in self.rows.items() if not n]
            for layer, n in self.rows.items():
                if n:
                    out.append(
                        f"  {layer}: {n:,} {'row' if n == 1 else 'rows'} — {self.rules[layer]}"
                    )
            if empty:
                out.append(
                    f"  no rows for province {self.province} in {len(empty)} layers: "
                    + ", ".join(empty)
                )
        else:
            a = sum(t[0] for t in self.taken.values())
            u = sum(t[1] for t in self.taken.values())
            d = sum(t[2] for t in self.taken.values())
            out.append(
                f"pulled the database's changes since the last sync into {self.copy}: "
                f"{a} added, {u} updated, {d} deleted"
            )
            for layer, (la, lu, ld) in self.taken.items():
                if la or lu or ld:
                    out.append(f"  {layer}: {la} added, {lu} updated, {ld} deleted")
        return out

    def as_dict(self) -> dict[str, object]:
        """JSON-ready.

        Returns
        -------
        dict of str to object
            ``copy``, ``database``, ``province``, ``new_copy``, ``rows`` (layer → rows),
            ``taken`` (layer → ``{"added", "updated", "deleted"}`` counts) and
            ``conflicts`` (how many).
        """
        return {
            "copy": self.copy,
            "database": self.database,
            "province": self.province,
            "new_copy": self.new_copy,
            "rows": self.rows,
            "taken": {
                k: dict(zip(("added", "updated", "deleted"), v, strict=True))
                for k, v in self.taken.items()
            },
            "conflicts": len(self.conflicts),
        }


def check_province(code: str) -> str:
    """``code`` if it is a 2-digit province code, else a clear error.

    Parameters
    ----------
    code : str
        A province code as typed (``--province``).

    Returns
    -------
    str
        ``code`` unchanged.

    Raises
    ------
    SyncError
        When ``code`` is not exactly two digits.
    """
    if not (len(code) == 2 and code.isdigit()):
        raise SyncError(
            f"--province {code!r} is not a 2-digit province code", fix="e.g. --province 21 (Rayong)"
        )
    return code


def pull(
    url: str,
    province: str,
    to: str | os.PathLike[str],
    *,
    resolve: str | None = None,
) -> PullSummary:
    """Make (or bring up to date) the offline copy ``to`` of ``province`` from ``url``.

    Parameters
    ----------
    url : str
        The central database, ``postgresql://user@host:port/db?schema=NAME``.
    province : str
        The 2-digit province code (``pro_code``).
    to : str or os.PathLike of str
        The copy, a ``.gpkg`` file: created when missing; an existing one must be a copy
        of the same database and province.
    resolve : str or None, optional
        For rows changed on both sides: ``None`` (default: list them, keep the copy's),
        ``"ours"`` (keep the copy's, to be pushed) or ``"theirs"`` (take the database's).

    Returns
    -------
    PullSummary
        What was pulled; ``conflicts`` lists rows changed on both sides.

    Raises
    ------
    SyncError
        A province code that is not two digits or that the database does not hold; a
        file that is not a copy of this database and province; a URL that is not a
        database.
    WorkspaceError
        The database cannot be reached (host, port, what failed, the fix).
    """
    check_province(province)
    central, identity = sync_base.open_database(url)
    scope = ProvinceRows(central, province)
    if not scope.holds_province():
        known = scope.known_provinces()
        raise SyncError(
            f"holds no province {province} (no row of provinces or factories has pro_code "
            f"{province})",
            source=central.location,
            fix=f"give a province it holds ({', '.join(known[:20]) or 'none yet'}"
            f"{' …' if len(known) > 20 else ''}), or import that province first",
        )
    target = Path(to)
    copy = Workspace.open_if_exists(target)
    origin = None
    if copy is not None:
        origin = sync_base.read_origin(copy)
        _check_same(copy, origin, identity, province)
    # One consistent picture of the database: read under its writer lock, in one transaction.
    with central.batch():
        layers = synced_layers(central)
        frames = {layer: scope.read(layer) for layer in layers}
        settings = {k: v for k, v in central.meta_items().items() if k in COPIED_SETTINGS}
    stamp = sync_base.now_utc()
    summary = PullSummary(str(target), central.location, province, new_copy=copy is None)
    if copy is None or origin is None:
        new_origin = sync_base.Origin(
            url=central.location,
            province=province,
            pulled_at=stamp,
            layers=tuple(layers),
            **{k: identity[k] for k in ("system_identifier", "database", "schema", "host", "port")},
        )
        _first_pull(target, frames, settings, new_origin, summary)
        return summary
    with copy.batch():
        for layer in layers:
            plan, counts = _refresh_layer(copy, layer, frames[layer], resolve=resolve)
            summary.conflicts += plan.conflicts
            summary.taken[layer] = counts
        carried = tuple(dict.fromkeys((*origin.layers, *layers)))
        sync_base.write_origin(copy, origin.stamped(pulled_at=stamp, layers=carried))
    return summary


def _check_same(
    copy: Workspace, origin: sync_base.Origin | None, identity: dict[str, str], province: str
) -> None:
    if origin is None:
        raise SyncError(
            "already exists and is not an offline copy; a pull never overwrites a workspace",
            source=copy.location,
            fix="give --to a new file name",
        )
    if not origin.same_database(identity):
        raise SyncError(
            f"is a copy of {origin.describe()}, not of {sync_base.describe_identity(identity)}",
            source=copy.location,
            fix=f"pull into a new file, or sync it with the database it came from ({origin.url})",
        )
    if origin.province != province:
        raise SyncError(
            f"is a copy of province {origin.province}, not {province}",
            source=copy.location,
            fix=f"pull --province {origin.province} into it, or pull {province} into a new file",
        )


def _first_pull(
    target: Path,
    frames: dict[str, pd.DataFrame],
    settings: dict[str, str],
    origin: sync_base.Origin,
    summary: PullSummary,
) -> None:
    """Write the new copy: layers, base snapshot, settings and origin, in one batch."""
    copy = Workspace(target)
    with copy.batch():
        copy.set_meta("created", sync_base.now_utc())
        sync_base.write_origin(copy, origin)
        for key, value in settings.items():
            copy.set_meta(key, value)
        for layer, frame in frames.items():
            contract = schema.contract(layer)
            copy.write(layer, frame, validate=False)
            sync_base.write_base(copy, layer, rows.tokens(frame, contract))
            summary.rows[layer] = len(frame)
            summary.rules[layer] = layer_scope(contract).describe()


def _refresh_layer(
    copy: Workspace, layer: str, central: pd.DataFrame, *, resolve: str | None
) -> tuple[LayerPlan, tuple[int, int, int]]:
    """Bring the database's changes of one layer into the copy (inside its batch).

    Returns the plan and the rows the copy took (added, updated, deleted).
    """
    contract = schema.contract(layer)
    base = sync_base.read_base(copy, layer)
    mine = copy.read(layer) if copy.has_layer(layer) else central.iloc[0:0]
    copy_t, db_t = rows.tokens(mine, contract), rows.tokens(central, contract)
    local, remote = rows.changes(base, copy_t), rows.changes(base, db_t)
    keys = sorted(set(local.keys) | set(remote.keys))
    plan = plan_layer(layer, base, copy_t, db_t, keys=keys, pushing=False, resolve=resolve)
    added = sum(1 for k in plan.to_copy if k not in base.index)
    counts = (added, len(plan.to_copy) - added, len(plan.delete_in_copy))
    if plan.to_copy or plan.delete_in_copy or not copy.has_layer(layer):
        kept = rows.drop_keys(mine, contract, [*plan.to_copy, *plan.delete_in_copy])
        taken = rows.select(central, contract, plan.to_copy)
        merged = pd.concat([kept, taken], ignore_index=True) if len(taken) else kept
        if isinstance(central, gpd.GeoDataFrame) and not isinstance(merged, gpd.GeoDataFrame):
            merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=4326)
        copy.write(layer, merged, validate=False)
    if plan.base_updates:
        sync_base.write_base(copy, layer, plan.new_base(base))
    return plan, counts
