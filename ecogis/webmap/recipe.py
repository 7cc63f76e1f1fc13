"""Web-map recipes: each map product described as data in ``maps/<name>.toml``.

A recipe names the layers a map shows (in drawing order), which fields go into popups
and search, an optional style override, and the choropleth indicators a planner can pick.
Styling, labels and legends otherwise come from the layer contract (``layers/*.toml``), the
same source the QGIS styles are made from. The format is documented in ``maps/README.md``.

A recipe that names a layer the contract does not define, or a field its layer does not
have, is an error naming the recipe; a known layer that is merely absent from a workspace
is skipped with a note when the map is built.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from ecogis import schema
from ecogis.errors import CatalogueError
from ecogis.resources import maps_dir

DERIVED_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "factories": {
        "hazard_class": ("ระดับความเป็นอันตราย", "Hazard class"),
        "compliance_status": ("การปฏิบัติตามกฎหมาย", "Compliance"),
        "compliance_summary": ("สรุปการปฏิบัติตามกฎหมาย", "Compliance summary"),
    },
    "symbiosis_links": {
        "provider_name": ("โรงงานผู้ให้", "Provider"),
        "receiver_name": ("โรงงานผู้รับ", "Receiver"),
        "route": ("ผู้ให้ → ผู้รับ", "Provider → receiver"),
        "material_name": ("วัสดุ", "Material"),
        "use": ("การใช้ประโยชน์", "Use"),
        "hover": ("สรุป", "Summary"),
        "material_group": ("กลุ่มวัสดุหลัก (ตามตัน)", "Main material group (by tonnes)"),
        "materials": ("วัสดุ", "Materials"),
        "members": ("การแลกเปลี่ยนในเส้นนี้", "Exchanges in this line"),
        "n_links": ("จำนวนคู่แลกเปลี่ยน", "Exchanges"),
    },
    "symbiosis_candidates": {
        "provider_name": ("โรงงานผู้ให้", "Provider"),
        "receiver_name": ("โรงงานผู้รับ", "Receiver"),
        "route": ("ผู้ให้ → ผู้รับ", "Provider → receiver"),
        "material_name": ("วัสดุ", "Material"),
        "use": ("การใช้ประโยชน์", "Use"),
        "hover": ("สรุป", "Summary"),
    },
}
"""Fields a map computes from other layers (label in Thai, English), per layer."""

STATS = ("count", "sum", "mean")
COLOUR_BY = {"hazard": "hazard_class", "compliance": "compliance_status", "class": "factory_class"}
"""``ecogis map --colour-by`` words and the factory field each colours by."""
BOUNDARIES = ("auto", "provinces", "districts")


@dataclass(frozen=True)
class LayerEntry:
    """One layer of a recipe (see ``maps/README.md``)."""

    layer: str
    id: str
    show: bool = True
    popup: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    cluster: bool = False
    style: dict[str, Any] = dc_field(default_factory=dict)
    title_th: str = ""
    title_en: str = ""
    where: dict[str, Any] = dc_field(default_factory=dict)
    join: dict[str, str] = dc_field(default_factory=dict)
    lines: dict[str, str] = dc_field(default_factory=dict)
    legend: bool = True
    split_by: str = ""
    hide: tuple[str, ...] = ()
    max_shown: int = 0
    bundle: bool = False
    arrows: bool = False


@dataclass(frozen=True)
class Indicator:
    """A choropleth indicator: ``stat`` of ``source`` (``field``) per province or district.

    ``source`` rows belong to an area by ``pro_code``/``amp_code``, or, for summary tables
    keyed otherwise, by ``key`` (a field holding the province or district code), keeping
    the rows whose ``level`` field is ``levels[boundary level]`` (e.g. ``risk_summary``:
    ``key = "code"``, ``levels = { districts = "district", provinces = "province" }``).
    """

    id: str
    source: str
    stat: str
    title_th: str
    title_en: str
    field: str | None = None
    where: dict[str, Any] = dc_field(default_factory=dict)
    per_km2: bool = False
    boundaries: str = "auto"
    classes: int = 5
    colors: tuple[str, ...] = ("#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026")
    show: bool = False
    unit_th: str = ""
    unit_en: str = ""
    key: str | None = None
    levels: dict[str, str] = dc_field(default_factory=dict)
    where_min: dict[str, float] = dc_field(default_factory=dict)

    def title(self, lang: str) -> str:
        """Return the indicator's title in ``lang``.

        Parameters
        ----------
        lang : str
            ``th`` for the Thai title; anything else gives the English one.

        Returns
        -------
        str
            ``title_th`` or ``title_en``.
        """
        return self.title_th if lang == "th" else self.title_en


@dataclass(frozen=True)
class Recipe:
    """A web-map product."""

    name: str
    title_th: str
    title_en: str
    layers: tuple[LayerEntry, ...]
    indicators: tuple[Indicator, ...] = ()
    description_th: str = ""
    description_en: str = ""
    source: str = ""
    sankey: bool = False

    def title(self, lang: str) -> str:
        """Return the map title in ``lang``.

        Parameters
        ----------
        lang : str
            ``th`` for the Thai title; anything else gives the English one.

        Returns
        -------
        str
            ``title_th`` or ``title_en``.
        """
        return self.title_th if lang == "th" else self.title_en

    def coloured_by(self, field: str) -> Recipe:
        """Copy the recipe with its factory layers coloured by ``field`` (and showing it).

        Parameters
        ----------
        field : str
            ``hazard_class``, ``compliance_status``, ``factory_class`` or another field of
            the factories (``ecogis map --colour-by``).

        Returns
        -------
        Recipe
            A new recipe; the legend classes come from the contract that styles ``field``.

        Raises
        ------
        CatalogueError
            When the factories have no such field.
        """
        if field not in known_fields("factories"):
            raise CatalogueError(
                f"factories have no field {field!r} to colour by",
                source=self.source,
                field="--colour-by",
                fix=f"use one of {', '.join(COLOUR_BY)}",
            )
        layers = tuple(
            replace(
                e,
                style={k: v for k, v in e.style.items() if k != "classes"} | {"field": field},
                popup=e.popup if field in e.popup or not e.popup else (*e.popup, field),
            )
            if e.layer == "factories"
            else e
            for e in self.layers
        )
        return replace(self, layers=layers)

    def indicator(self, ident: str | None) -> Indicator | None:
        """Get the indicator called ``ident`` (the first when ``None``; ``None`` if there are none).

        Parameters
        ----------
        ident : str or None
            The indicator's ``id`` (``ecogis map --indicator``); ``None`` for the first.

        Returns
        -------
        Indicator or None
            The indicator; ``None`` when ``ident`` is ``None`` and the recipe has none.

        Raises
        ------
        CatalogueError
            When the recipe has no indicator of that id, listing those it has.
        """
        if ident is None:
            return self.indicators[0] if self.indicators else None
        for ind in self.indicators:
            if ind.id == ident:
                return ind
        raise CatalogueError(
            f"has no indicator {ident!r}",
            source=self.source,
            field="indicators",
            fix=f"use one of {', '.join(i.id for i in self.indicators) or '(none defined)'}",
        )


def recipe_names() -> list[str]:
    """Names of the recipes shipped in ``maps/``.

    Returns
    -------
    list of str
        File stems of ``maps/*.toml``, sorted (``overview``, ``risk`` …).
    """
    return sorted(p.name[:-5] for p in maps_dir().iterdir() if p.name.endswith(".toml"))


def load_recipe(name_or_path: str | Path) -> Recipe:
    """Read and check a recipe, by shipped name (``overview``) or by file path.

    Parameters
    ----------
    name_or_path : str or Path
        A shipped recipe name, or a ``.toml`` file (an existing path is always read as a
        file).

    Returns
    -------
    Recipe
        The checked recipe.

    Raises
    ------
    CatalogueError
        When the file is missing, not TOML, or names a layer or field the layer contract
        does not define; the message names the recipe and the entry.
    """
    text, source = _recipe_text(name_or_path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}", source=source) from exc
    return parse_recipe(data, source=source)


def _recipe_text(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise CatalogueError("recipe file does not exist", source=path, fix="check the path")
        return path.read_text(encoding="utf-8"), str(path)
    entry = maps_dir() / f"{name_or_path}.toml"
    if not entry.is_file():
        raise CatalogueError(
            f"no map recipe named {name_or_path!r}",
            source="maps/",
            fix=f"use one of {', '.join(recipe_names())}, or give a recipe file path",
        )
    return entry.read_text(encoding="utf-8"), f"maps/{name_or_path}.toml"


def parse_recipe(data: dict[str, Any], *, source: str) -> Recipe:
    """Build a :class:`Recipe` from parsed TOML and check it against the layer contract.

    Parameters
    ----------
    data : dict of str to Any
        The parsed recipe (``name``, ``title_th``, ``title_en``, ``[[layers]]``,
        ``[[indicators]]`` …).
    source : str
        The recipe's file name, for messages and :attr:`Recipe.source`.

    Returns
    -------
    Recipe
        The recipe, layers and indicators in file order.

    Raises
    ------
    CatalogueError
        When a required key is missing, there is no ``[[layers]]``, an id is used twice, or
        an entry or indicator names a layer, field, statistic or boundary level that does
        not exist; the message names the entry (``[[layers]] #3``) and the field.
    """

    def need(mapping: dict[str, Any], key: str, where: str) -> Any:
        if key not in mapping:
            raise CatalogueError(f"{where} has no {key!r}", source=source, fix=f"add {key} = ...")
        return mapping[key]

    entries: list[LayerEntry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("layers", []), start=1):
        where = f"[[layers]] #{i}"
        name = need(raw, "layer", where)
        if not schema.has_contract(name):
            raise CatalogueError(
                f"{where} names layer {name!r}, which the layer contract does not define",
                source=source,
                field="layer",
                fix=f"use one of {', '.join(schema.layer_names())}",
            )
        ident = str(raw.get("id", name))
        if ident in seen:
            raise CatalogueError(
                f"{where}: id {ident!r} is used twice",
                source=source,
                fix="give each entry its own id",
            )
        seen.add(ident)
        entry = LayerEntry(
            layer=name,
            id=ident,
            show=bool(raw.get("show", True)),
            popup=tuple(raw.get("popup", ())),
            search=tuple(raw.get("search", ())),
            cluster=bool(raw.get("cluster", False)),
            style=dict(raw.get("style", {})),
            title_th=str(raw.get("title_th", "")),
            title_en=str(raw.get("title_en", "")),
            where=dict(raw.get("where", {})),
            join=dict(raw.get("join", {})),
            lines=dict(raw.get("lines", {})),
            legend=bool(raw.get("legend", True)),
            split_by=str(raw.get("split_by", "")),
            hide=tuple(str(v) for v in raw.get("hide", ())),
            max_shown=int(raw.get("max_shown", 0)),
            bundle=bool(raw.get("bundle", False)),
            arrows=bool(raw.get("arrows", False)),
        )
        _check_entry(entry, where, source)
        entries.append(entry)
    if not entries:
        raise CatalogueError(
            "has no [[layers]]", source=source, fix="add at least one [[layers]] entry"
        )
    indicators = [
        _parse_indicator(raw, i, source)
        for i, raw in enumerate(data.get("indicators", []), start=1)
    ]
    return Recipe(
        name=str(need(data, "name", "the recipe")),
        title_th=str(need(data, "title_th", "the recipe")),
        title_en=str(need(data, "title_en", "the recipe")),
        layers=tuple(entries),
        indicators=tuple(indicators),
        description_th=str(data.get("description_th", "")),
        description_en=str(data.get("description_en", "")),
        source=source,
        sankey=bool(data.get("sankey", False)),
    )


def known_fields(layer: str, entry: LayerEntry | None = None) -> set[str]:
    """Fields a recipe may name for ``layer``: the contract's, derived ones and joined ones.

    Parameters
    ----------
    layer : str
        A layer with a contract.
    entry : LayerEntry or None
        The recipe entry, whose ``join`` layer's fields count too; default ``None``.

    Returns
    -------
    set of str
        Field names.

    Raises
    ------
    KeyError
        When ``layer`` has no contract.
    """
    names = set(schema.contract(layer).field_names) | set(DERIVED_FIELDS.get(layer, {}))
    if entry is not None and entry.join.get("layer") and schema.has_contract(entry.join["layer"]):
        names |= set(schema.contract(entry.join["layer"]).field_names)
    return names


def _check_entry(entry: LayerEntry, where: str, source: str) -> None:
    def fail(message: str, field: str, fix: str | None = None) -> CatalogueError:
        return CatalogueError(f"{where} {message}", source=source, field=field, fix=fix)

    allowed = known_fields(entry.layer, entry)
    if entry.bundle and entry.layer != "symbiosis_links":
        raise fail("bundles a layer other than symbiosis_links", "bundle")
    if entry.join:
        other = entry.join.get("layer", "")
        if not schema.has_contract(other):
            raise fail(
                f"joins layer {other!r}, which the layer contract does not define", "join.layer"
            )
        on = entry.join.get("on", "")
        if (
            on not in schema.contract(entry.layer).field_names
            or on not in schema.contract(other).field_names
        ):
            raise fail(
                f"joins on {on!r}, which is not a field of both {entry.layer} and {other}",
                "join.on",
            )
    if entry.lines:
        pts = entry.lines.get("points", "factories")
        if not schema.has_contract(pts):
            raise fail(f"draws lines between {pts!r}, an unknown layer", "lines.points")
        for k in ("from", "to"):
            if entry.lines.get(k) not in allowed:
                raise fail(
                    f"lines.{k} names {entry.lines.get(k)!r}, not a field of {entry.layer}",
                    f"lines.{k}",
                )
    named = [("popup", f) for f in entry.popup] + [("search", f) for f in entry.search]
    named += [("where", f) for f in entry.where]
    if entry.split_by:
        named.append(("split_by", entry.split_by))
    for key in ("field", "size_field", "width_field"):
        if entry.style.get(key):
            named.append((f"style.{key}", entry.style[key]))
    for what, name in named:
        if name not in allowed:
            raise fail(
                f"({entry.layer}) {what} names field {name!r}, "
                f"which layer {entry.layer} does not have",
                name,
                f"use one of {', '.join(sorted(allowed))}",
            )


def _parse_indicator(raw: dict[str, Any], i: int, source: str) -> Indicator:
    where = f"[[indicators]] #{i}"

    def fail(message: str, field: str, fix: str | None = None) -> CatalogueError:
        return CatalogueError(f"{where} {message}", source=source, field=field, fix=fix)

    for key in ("id", "source", "stat", "title_th", "title_en"):
        if key not in raw:
            raise CatalogueError(f"{where} has no {key!r}", source=source, fix=f"add {key} = ...")
    src = raw["source"]
    if not schema.has_contract(src):
        raise fail(f"uses layer {src!r}, which the layer contract does not define", "source")
    stat = raw["stat"]
    if stat not in STATS:
        raise fail(f"stat {stat!r} is unknown", "stat", f"use one of {', '.join(STATS)}")
    fld = raw.get("field")
    fields = set(schema.contract(src).field_names)
    if stat != "count" and fld is None:
        raise fail(f"stat {stat!r} needs a field", "field")
    where_min = {str(k): float(v) for k, v in dict(raw.get("where_min", {})).items()}
    for name in ([fld] if fld else []) + list(raw.get("where", {})) + list(where_min):
        if name not in fields:
            raise fail(f"names field {name!r}, which layer {src} does not have", name)
    area_key = raw.get("key")
    if area_key is not None and area_key not in fields:
        raise fail(f"key names field {area_key!r}, which layer {src} does not have", "key")
    levels = {str(k): str(v) for k, v in dict(raw.get("levels", {})).items()}
    if levels and "level" not in fields:
        raise fail(f"has levels, but layer {src} has no level field", "levels")
    bad_levels = sorted(set(levels) - set(BOUNDARIES[1:]))
    if bad_levels:
        raise fail(
            f"levels names {bad_levels}, not a boundary layer",
            "levels",
            "use provinces and/or districts",
        )
    if area_key is None and not ({"pro_code", "amp_code"} & fields):
        raise fail(
            f"(layer {src}) has no pro_code or amp_code to group by",
            "source",
            "name the field holding the area code with key = ...",
        )
    boundaries = raw.get("boundaries", "auto")
    if boundaries not in BOUNDARIES:
        raise fail(f"boundaries {boundaries!r} is unknown", "boundaries", ", ".join(BOUNDARIES))
    colors = tuple(raw.get("colors", Indicator.colors))
    return Indicator(
        id=str(raw["id"]),
        source=src,
        stat=stat,
        title_th=str(raw["title_th"]),
        title_en=str(raw["title_en"]),
        field=fld,
        where=dict(raw.get("where", {})),
        per_km2=bool(raw.get("per_km2", False)),
        boundaries=boundaries,
        classes=int(raw.get("classes", len(colors))),
        colors=colors,
        show=bool(raw.get("show", False)),
        unit_th=str(raw.get("unit_th", "")),
        unit_en=str(raw.get("unit_en", "")),
        key=str(area_key) if area_key is not None else None,
        levels=levels,
        where_min=where_min,
    )
