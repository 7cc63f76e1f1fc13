"""The three-way decision for each row: base (as pulled), copy, database.

For each business key that changed on either side since the base:

=================  ==================  ==========================================
copy changed       database changed    what happens
=================  ==================  ==========================================
yes                no                  push: the copy's row (or its deletion) goes to
                                       the database; pull: kept, still to push
no                 yes                 pull: the copy takes the database's row (or
                                       deletion); push: nothing
yes, same result   yes, same result    agreed: nothing to move, the base catches up
yes                yes, differently    **conflict**: nothing is overwritten; the copy
                                       keeps its row and its old base, so the conflict
                                       is listed again until it is resolved
=================  ==================  ==========================================

A conflict is resolved with ``ours`` (the copy's version wins: pushed by a push; by a pull
the base becomes the database's row, so the next push sends it) or ``theirs`` (the
database's version wins: the copy takes it), or by editing the copy's row to the
database's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ecogis.sync import rows
from ecogis.sync.conflicts import Conflict

RESOLUTIONS = ("ours", "theirs")


@dataclass
class LayerPlan:
    """What one layer's sync does.

    Attributes
    ----------
    layer : str
        The contract layer.
    to_database : list of str
        Keys whose copy row is pushed to the database.
    delete_in_database : list of str
        Keys deleted in the copy, to delete in the database.
    to_copy : list of str
        Keys whose database row the copy takes.
    delete_in_copy : list of str
        Keys deleted in the database, to delete in the copy.
    conflicts : list of Conflict
        Rows changed differently on both sides (left as they are).
    base_updates : dict of str to Row or None
        Key → the row's new base tokens (``None``: removed from the base).
    """

    layer: str
    to_database: list[str] = field(default_factory=list)  # keys whose copy row is pushed
    delete_in_database: list[str] = field(default_factory=list)
    to_copy: list[str] = field(default_factory=list)  # keys whose database row the copy takes
    delete_in_copy: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    base_updates: dict[str, rows.Row | None] = field(default_factory=dict)

    def new_base(self, base: pd.DataFrame) -> pd.DataFrame:
        """Return ``base`` with this plan's updates (a row set, or ``None``: removed).

        Parameters
        ----------
        base : pandas.DataFrame
            The layer's base token frame.

        Returns
        -------
        pandas.DataFrame
            The token frame to store as the new base (``base`` itself when nothing changes).
        """
        if not self.base_updates:
            return base
        gone = [k for k in self.base_updates if k in base.index]
        kept = base.drop(index=gone)
        added = {k: v for k, v in self.base_updates.items() if v is not None}
        if not added:
            return kept
        extra = pd.DataFrame.from_dict(added, orient="index", columns=list(base.columns))
        extra.index.name = rows.KEY_COLUMN
        return pd.concat([kept, extra]) if len(kept) else extra

    @property
    def moves(self) -> bool:
        """Whether anything is written (rows either way, or the base)."""
        return bool(
            self.to_database
            or self.delete_in_database
            or self.to_copy
            or self.delete_in_copy
            or self.base_updates
        )


def plan_layer(
    layer: str,
    base: pd.DataFrame,
    copy: pd.DataFrame,
    database: pd.DataFrame,
    *,
    keys: list[str],
    pushing: bool,
    resolve: str | None = None,
) -> LayerPlan:
    """Decide every key of ``keys`` by the table of the module docstring.

    Parameters
    ----------
    layer : str
        The layer.
    base, copy, database : pandas.DataFrame
        Token frames (:func:`ecogis.sync.rows.tokens`); ``database`` holds at least the
        rows of ``keys`` it has.
    keys : list of str
        The joined business keys to decide (changed on one side or both).
    pushing : bool
        A push (the copy's changes go to the database) or a pull (the database's come to
        the copy).
    resolve : str or None, optional
        ``None`` (default: conflicts are listed and left), ``"ours"`` or ``"theirs"``.

    Returns
    -------
    LayerPlan
        The keys to move each way, the conflicts, and the base's updates.
    """
    plan = LayerPlan(layer)
    for key in keys:
        b = rows.row_tokens(base, key)
        c = rows.row_tokens(copy, key)
        d = rows.row_tokens(database, key)
        local, remote = c != b, d != b
        if not local and not remote:
            continue
        if c == d:  # the same change on both sides, or none left
            plan.base_updates[key] = c
        elif local and not remote:
            if pushing:
                _send(plan, key, c)
        elif remote and not local:
            if not pushing:
                _take(plan, key, d)
        elif resolve == "ours":
            if pushing:
                _send(plan, key, c)
            else:
                plan.base_updates[key] = d  # the next push sends the copy's row
        elif resolve == "theirs":
            _take(plan, key, d)
        else:
            plan.conflicts.append(Conflict(layer, key, b, c, d))
    return plan


def _send(plan: LayerPlan, key: str, copy_row: rows.Row | None) -> None:
    (plan.to_database if copy_row is not None else plan.delete_in_database).append(key)
    plan.base_updates[key] = copy_row


def _take(plan: LayerPlan, key: str, db_row: rows.Row | None) -> None:
    (plan.to_copy if db_row is not None else plan.delete_in_copy).append(key)
    plan.base_updates[key] = db_row
