"""The TOR targets as data (``ecogis/catalogue/tor_targets.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecogis import schema
from ecogis.errors import CatalogueError
from ecogis.resources import read_catalogue_text

SCOPES = ("province", "area")
MEASURES = ("activities", "factories", "man_days", "reports", "database")


@dataclass(frozen=True)
class Deliverable:
    """One TOR deliverable: what is counted, over which scope, and the target."""

    id: str
    name_th: str
    name_en: str
    scope: str
    measure: str
    target: float
    kinds: tuple[str, ...] = ()
    min_participants: int | None = None

    def name(self, lang: str = "th") -> str:
        """Return the deliverable's name in ``lang`` (``th`` or ``en``).

        Parameters
        ----------
        lang : str
            ``th`` (default) for the Thai name; anything else gives the English one.

        Returns
        -------
        str
            ``name_th`` or ``name_en``.
        """
        return self.name_th if lang == "th" else self.name_en


@dataclass(frozen=True)
class MassBalanceItem:
    """What a complete mass balance lists: a flow of one of ``flow_kinds`` in ``direction``."""

    id: str
    name_th: str
    name_en: str
    direction: str
    flow_kinds: tuple[str, ...]


@dataclass(frozen=True)
class TorTargets:
    """The deliverables and the database check's mass-balance items."""

    deliverables: tuple[Deliverable, ...]
    mass_balance: tuple[MassBalanceItem, ...]
    version: str
    source: str


def load_targets(path: str | Path | None = None) -> TorTargets:
    """Read the TOR targets; the shipped ``tor_targets.toml`` by default.

    Parameters
    ----------
    path : str or Path or None
        A planner's own file in the format of the shipped one (another programme year);
        ``None`` (default) reads the shipped file.

    Returns
    -------
    TorTargets
        The deliverables in file order (targets in their measure's unit: activities,
        factories, man-days, reports), the mass-balance items of the database check, the
        version (``[meta] version``, else the file's stem) and the file's name.

    Raises
    ------
    CatalogueError
        Naming the file, the entry and the field: not valid TOML, no deliverables, a
        missing field, an unknown scope, measure, activity kind, direction or flow kind,
        a target that is not a number ≥ 0, a ``min_participants`` that is not a whole
        number.
    """
    text, name = read_catalogue_text(path, "tor_targets.toml")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}", source=name) from exc
    kinds = set(schema.contract("activities").field("kind").values or ())
    flows = schema.contract("material_flows")
    flow_kinds = set(flows.field("flow_kind").values or ())
    directions = set(flows.field("direction").values or ())
    entries = data.get("deliverables")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError("has no [[deliverables]] entries", source=name)
    out = [_deliverable(name, pos, entry, kinds) for pos, entry in enumerate(entries, start=1)]
    items = [
        _mass_balance_item(name, pos, entry, flow_kinds, directions)
        for pos, entry in enumerate(data.get("database", {}).get("mass_balance", []), start=1)
    ]
    meta: dict[str, Any] = data.get("meta", {})
    return TorTargets(
        deliverables=tuple(out),
        mass_balance=tuple(items),
        version=str(meta.get("version", Path(name).stem)),
        source=name,
    )


def _deliverable(name: str, pos: int, entry: dict[str, Any], kinds: set[str]) -> Deliverable:
    """One ``[[deliverables]]`` entry, checked against the activity kinds."""
    bad = _complaint(name, f"deliverable #{pos}", entry)
    for fld in ("id", "name_th", "name_en", "scope", "measure", "target"):
        if entry.get(fld) in (None, ""):
            raise bad(fld, "is missing", f"add {fld} = … to the entry")
    if entry["scope"] not in SCOPES:
        raise bad("scope", f"{entry['scope']!r} is not a scope", f"use {' or '.join(SCOPES)}")
    if entry["measure"] not in MEASURES:
        raise bad("measure", f"{entry['measure']!r} is unknown", f"use {', '.join(MEASURES)}")
    target = entry["target"]
    if isinstance(target, bool) or not isinstance(target, int | float) or target < 0:
        raise bad("target", f"{target!r} is not a number ≥ 0", "write a number, e.g. 30")
    these = tuple(entry.get("kinds", ()))
    unknown = [k for k in these if k not in kinds]
    if unknown or (entry["measure"] != "database" and not these):
        raise bad(
            "kinds",
            f"activity kind {unknown[0]!r} is unknown" if unknown else "lists no kinds",
            f"use {', '.join(sorted(kinds))}",
        )
    minimum = entry.get("min_participants")
    if minimum is not None and (isinstance(minimum, bool) or not isinstance(minimum, int)):
        raise bad("min_participants", f"{minimum!r} is not a whole number", "e.g. 50")
    return Deliverable(
        id=str(entry["id"]),
        name_th=str(entry["name_th"]),
        name_en=str(entry["name_en"]),
        scope=entry["scope"],
        measure=entry["measure"],
        target=float(target),
        kinds=these,
        min_participants=minimum,
    )


def _mass_balance_item(
    name: str, pos: int, entry: dict[str, Any], flow_kinds: set[str], directions: set[str]
) -> MassBalanceItem:
    """One ``[[database.mass_balance]]`` entry, checked against ``material_flows``."""
    bad = _complaint(name, f"database.mass_balance #{pos}", entry)
    for fld in ("id", "name_th", "name_en", "direction", "flow_kinds"):
        if entry.get(fld) in (None, "", []):
            raise bad(fld, "is missing", f"add {fld} = … to the entry")
    if entry["direction"] not in directions:
        raise bad("direction", f"{entry['direction']!r} is not in or out", "use in or out")
    wrong = [k for k in entry["flow_kinds"] if k not in flow_kinds]
    if wrong:
        raise bad("flow_kinds", f"{wrong[0]!r} is not a flow kind", f"use {', '.join(flow_kinds)}")
    return MassBalanceItem(
        id=str(entry["id"]),
        name_th=str(entry["name_th"]),
        name_en=str(entry["name_en"]),
        direction=entry["direction"],
        flow_kinds=tuple(entry["flow_kinds"]),
    )


def _complaint(source: str, where: str, entry: dict[str, Any]) -> Any:
    label = where + (f" ({entry['id']})" if entry.get("id") else "")

    def bad(fld: str, what: str, fix: str) -> CatalogueError:
        return CatalogueError(f"{label}: {fld} {what}", source=source, field=fld, fix=fix)

    return bad
