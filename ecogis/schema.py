"""The layer contract: what each workspace layer holds, read from ``layers/*.toml``.

One TOML file per layer gives its geometry, business key, titles in Thai and English, and
its fields (type, unit, labels, required or optional, allowed values or pattern). This
module is the only reader of those files; validators, QGIS aliases and web-map popups all
come from :func:`contract`.

Field types and the pandas dtypes they are read as:

========  ==================  =====================================================
type      pandas dtype        stored in the GeoPackage as
========  ==================  =====================================================
str       ``string``          TEXT
int       ``Int64``           INTEGER (nullable)
float     ``float64``         REAL
bool      ``boolean``         INTEGER 0/1 (nullable)
date      ``string``          TEXT, ISO 8601 ``YYYY-MM-DD`` (Gregorian, never B.E.)
========  ==================  =====================================================
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from ecogis.errors import CatalogueError, DataValidationError
from ecogis.resources import layers_dir

FIELD_TYPES = ("str", "int", "float", "bool", "date")
PANDAS_DTYPES: dict[str, str] = {
    "str": "string",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "string",
}
GROUPS = ("base", "factories_zones", "risk", "symbiosis", "assessment")
"""Layer groups, in the order a QGIS project or web-map layer list shows them."""

FrameT = TypeVar("FrameT", bound=pd.DataFrame)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a layer contract."""

    name: str
    type: str
    label_th: str
    label_en: str
    required: bool = False
    unit: str = ""
    description: str = ""
    values: tuple[Any, ...] | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    references: str | None = None
    short_th: str = ""
    short_en: str = ""
    value_sets: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    @property
    def dtype(self) -> str:
        """The pandas dtype a column of this field is read as."""
        return PANDAS_DTYPES[self.type]

    def label(self, lang: str = "th") -> str:
        """Return the field's label in ``lang`` (``th`` or ``en``).

        Parameters
        ----------
        lang
            ``th`` (the default) or ``en``; any other value gives the English label.

        Returns
        -------
        str
            ``label_th`` or ``label_en`` from the contract.
        """
        return self.label_th if lang == "th" else self.label_en

    def value_set(self, name: str) -> tuple[Any, ...]:
        """Return the named subset ``name`` of the field's allowed values (``value_sets`` in TOML).

        Parameters
        ----------
        name
            The set's name, e.g. ``sensitive``.

        Returns
        -------
        tuple
            Its members, in contract order.

        Raises
        ------
        KeyError
            If the contract defines no such set for this field.
        """
        for key, members in self.value_sets:
            if key == name:
                return members
        raise KeyError(f"field {self.name!r} has no value set {name!r} in the contract")

    def short(self, lang: str = "th") -> str:
        """Return a short column header in ``lang`` for screens and narrow tables (else the label).

        Parameters
        ----------
        lang
            ``th`` or ``en``.

        Returns
        -------
        str
        """
        text = self.short_th if lang == "th" else self.short_en
        return text or self.label(lang)


@dataclass(frozen=True)
class LayerContract:
    """The contract of one workspace layer (see the module docstring)."""

    name: str
    kind: str  # "vector" or "table"
    key: tuple[str, ...]
    title_th: str
    title_en: str
    description_th: str = ""
    description_en: str = ""
    geometry: str | None = None
    geometry_nullable: bool = False
    group: str = "base"
    fields: tuple[FieldSpec, ...] = ()
    style: dict[str, Any] = field(default_factory=dict)
    source_path: str = ""

    @property
    def field_names(self) -> list[str]:
        """Field names in contract order."""
        return [f.name for f in self.fields]

    @property
    def required_fields(self) -> list[str]:
        """Names of the fields that must be present and non-null."""
        return [f.name for f in self.fields if f.required]

    @property
    def is_spatial(self) -> bool:
        """True for a vector layer, False for a plain table."""
        return self.kind == "vector"

    def field(self, name: str) -> FieldSpec:
        """Return the :class:`FieldSpec` called ``name``.

        Parameters
        ----------
        name
            A field name of this layer.

        Returns
        -------
        FieldSpec

        Raises
        ------
        KeyError
            If the contract has no field of that name.
        """
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"layer {self.name!r} has no field {name!r}")

    def has_field(self, name: str) -> bool:
        """Whether the contract defines a field called ``name``.

        Parameters
        ----------
        name
            A field name.

        Returns
        -------
        bool
        """
        return any(f.name == name for f in self.fields)

    def title(self, lang: str = "th") -> str:
        """Return the layer's title in ``lang``.

        Parameters
        ----------
        lang
            ``th`` (the default) or ``en``; any other value gives the English title.

        Returns
        -------
        str
        """
        return self.title_th if lang == "th" else self.title_en

    def description(self, lang: str = "th") -> str:
        """Return the layer's description in ``lang``.

        Parameters
        ----------
        lang
            ``th`` (the default) or ``en``; any other value gives the English description.

        Returns
        -------
        str
            Empty when the contract gives none.
        """
        return self.description_th if lang == "th" else self.description_en

    def labels(self, lang: str = "th") -> dict[str, str]:
        """Field name → label in ``lang``, for popups and QGIS aliases.

        Parameters
        ----------
        lang
            ``th`` (the default) or ``en``.

        Returns
        -------
        dict of str to str
            Every field of the contract, in contract order.
        """
        return {f.name: f.label(lang) for f in self.fields}

    def headers(self, names: Iterable[str], lang: str = "th") -> dict[str, str]:
        """Field name → short header in ``lang`` for the fields ``names`` (screens, tables).

        Parameters
        ----------
        names
            Field names of this layer.
        lang
            ``th`` or ``en``.

        Returns
        -------
        dict of str to str
        """
        return {n: self.field(n).short(lang) for n in names}

    def from_records(
        self, rows: Iterable[dict[str, Any]], *, without: Iterable[str] = ()
    ) -> pd.DataFrame:
        """Build a table of this layer from one dict per row, columns in contract order.

        Parameters
        ----------
        rows
            One dict per row whose keys are exactly the contract's fields (less ``without``).
        without
            Fields the caller adds afterwards (e.g. a rank given once rows are sorted).

        Returns
        -------
        pandas.DataFrame
            One row per dict, columns in contract order.

        Raises
        ------
        KeyError
            When a row lacks a field or names one the contract does not have (a typo would
            otherwise give a column of NULLs or be dropped without a word).
        """
        skip = set(without)
        names = [n for n in self.field_names if n not in skip]
        records = list(rows)
        want = set(names)
        for row in records:
            if set(row) != want:
                lacking, unknown = sorted(want - set(row)), sorted(set(row) - want)
                raise KeyError(
                    f"layer {self.name!r}: a row lacks {lacking} and has unknown {unknown}"
                )
        return pd.DataFrame(records, columns=names)

    def values(self, name: str) -> tuple[Any, ...]:
        """Return the allowed values of field ``name``, in contract order.

        Parameters
        ----------
        name
            A field of this layer.

        Returns
        -------
        tuple

        Raises
        ------
        KeyError
            If the field has no ``values`` list in the contract.
        """
        spec = self.field(name)
        if spec.values is None:
            raise KeyError(f"field {self.name}.{name} has no list of values in the contract")
        return spec.values

    def select(
        self, frame: FrameT, *, extra: Iterable[str] = (), absent: Iterable[str] = ()
    ) -> FrameT:
        """``frame`` with exactly this layer's fields, in contract order (then geometry).

        What an analysis hands to the workspace: nothing the contract does not name, and
        every field it names.

        Parameters
        ----------
        frame
            A DataFrame or GeoDataFrame holding at least the contract's fields.
        extra
            Columns the caller keeps after the contract's fields (e.g. distance bands the
            user asked for that the contract does not list).
        absent
            Contract fields the frame may lack (left out; the workspace writes them empty).

        Returns
        -------
        pandas.DataFrame or geopandas.GeoDataFrame
            A new frame, same index; ``geometry`` last for a vector layer.

        Raises
        ------
        KeyError
            Naming the contract fields ``frame`` lacks (a programming error, not bad input).
        """
        may_lack = set(absent)
        missing = [n for n in self.field_names if n not in frame.columns and n not in may_lack]
        if missing:
            raise KeyError(f"layer {self.name!r}: the frame lacks contract fields {missing}")
        names = [n for n in self.field_names if n in frame.columns]
        names += [c for c in extra if c in frame.columns and c not in names]
        if self.is_spatial and "geometry" in frame.columns:
            names.append("geometry")
        return cast(FrameT, frame[names])


def _parse_contract(data: dict[str, Any], source: str) -> LayerContract:
    def need(mapping: dict[str, Any], key: str, where: str) -> Any:
        if key not in mapping:
            raise CatalogueError(
                f"{where} has no {key!r}", source=source, fix=f"add {key} = ... to the file"
            )
        return mapping[key]

    fields = []
    for i, f in enumerate(data.get("fields", []), start=1):
        where = f"field #{i}"
        ftype = need(f, "type", where)
        if ftype not in FIELD_TYPES:
            raise CatalogueError(
                f"field {f.get('name')!r} has unknown type {ftype!r}",
                source=source,
                fix=f"use one of {', '.join(FIELD_TYPES)}",
            )
        values = tuple(f["values"]) if "values" in f else None
        sets = f.get("value_sets", {})
        for set_name, members in sets.items():
            outside = [m for m in members if values is None or m not in values]
            if outside:
                raise CatalogueError(
                    f"value set {set_name!r} of field {f.get('name')!r} names {outside}, "
                    "which are not among its values",
                    source=source,
                    fix="list only allowed values in a value set",
                )
        fields.append(
            FieldSpec(
                name=need(f, "name", where),
                type=ftype,
                label_th=need(f, "label_th", where),
                label_en=need(f, "label_en", where),
                required=bool(f.get("required", False)),
                unit=f.get("unit", ""),
                description=f.get("description", ""),
                values=values,
                pattern=f.get("pattern"),
                min=f.get("min"),
                max=f.get("max"),
                references=f.get("references"),
                short_th=f.get("short_th", ""),
                short_en=f.get("short_en", ""),
                value_sets=tuple((k, tuple(v)) for k, v in sets.items()),
            )
        )
    kind = need(data, "kind", "the contract")
    if kind not in ("vector", "table"):
        raise CatalogueError(f"kind {kind!r} is not vector or table", source=source)
    return LayerContract(
        name=need(data, "name", "the contract"),
        kind=kind,
        key=tuple(need(data, "key", "the contract")),
        title_th=need(data, "title_th", "the contract"),
        title_en=need(data, "title_en", "the contract"),
        description_th=data.get("description_th", ""),
        description_en=data.get("description_en", ""),
        geometry=data.get("geometry"),
        geometry_nullable=bool(data.get("geometry_nullable", False)),
        group=data.get("group", "base"),
        fields=tuple(fields),
        style=data.get("style", {}),
        source_path=source,
    )


def load_contract_file(path: str | Path) -> LayerContract:
    """Read one contract TOML file (e.g. a user's own layer).

    Parameters
    ----------
    path
        The TOML file, in the format of ``layers/*.toml``.

    Returns
    -------
    LayerContract
        With ``source_path`` set to ``path``.

    Raises
    ------
    CatalogueError
        If the file is not valid TOML, lacks a required key (``name``, ``kind``, ``key``,
        titles, a field's ``name``/``type``/labels), names an unknown field type or kind, or
        has a value set with members outside the field's values.
    OSError
        If the file cannot be read.
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}", source=p) from exc
    return _parse_contract(data, str(p))


@lru_cache(maxsize=1)
def _all_contracts() -> dict[str, LayerContract]:
    out: dict[str, LayerContract] = {}
    for entry in sorted(layers_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            text = entry.read_text(encoding="utf-8")
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise CatalogueError(f"not valid TOML: {exc}", source=entry.name) from exc
            c = _parse_contract(data, f"layers/{entry.name}")
            out[c.name] = c
    return out


def contracts() -> dict[str, LayerContract]:
    """Every layer contract shipped in ``layers/``, by layer name.

    Returns
    -------
    dict of str to LayerContract
        A new dict (the caller may change it), in file-name order.

    Raises
    ------
    CatalogueError
        If a shipped contract file is malformed.
    """
    return dict(_all_contracts())


def contract(name: str) -> LayerContract:
    """Return the contract of layer ``name``.

    Parameters
    ----------
    name
        A layer name, e.g. ``factories``.

    Returns
    -------
    LayerContract

    Raises
    ------
    KeyError
        If ``layers/`` has no contract of that name.
    """
    all_ = _all_contracts()
    if name not in all_:
        raise KeyError(f"no layer contract named {name!r} in layers/")
    return all_[name]


def has_contract(name: str) -> bool:
    """Whether ``layers/`` defines layer ``name``.

    Parameters
    ----------
    name
        A layer name.

    Returns
    -------
    bool
    """
    return name in _all_contracts()


def coerce_dtypes(frame: pd.DataFrame, layer: LayerContract) -> pd.DataFrame:
    """Return a copy of ``frame`` with each contract field cast to its dtype.

    Columns the contract does not name are kept as they are; contract fields missing from
    ``frame`` are added as all-null columns so every reader sees the same columns. Integers
    that pandas read as float because of NULLs come back as ``Int64``.

    Parameters
    ----------
    frame
        A DataFrame or GeoDataFrame of the layer, as read from a file or the workspace.
    layer
        The layer's contract.

    Returns
    -------
    pandas.DataFrame
        Same index as ``frame``: the contract fields first in contract order, then
        the other columns, ``geometry`` last. A value that cannot be cast (text in a number
        field, a word that is not yes/no in a bool field) becomes null; :func:`check_frame`
        reports the empty required values.
    """
    out = frame.copy()
    for f in layer.fields:
        if f.name not in out.columns:
            fill = float("nan") if f.dtype == "float64" else pd.NA
            out[f.name] = pd.Series(fill, index=out.index, dtype=f.dtype)
            continue
        col = out[f.name]
        if f.type == "str" or f.type == "date":
            out[f.name] = _as_string(col)
        elif f.type == "int":
            num = pd.to_numeric(col, errors="coerce")
            out[f.name] = num.round().astype("Int64") if len(num) else num.astype("Int64")
        elif f.type == "float":
            out[f.name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif f.type == "bool":
            out[f.name] = _as_boolean(col)
    # Contract fields first, in contract order; then any extra columns; geometry last.
    names = layer.field_names
    extras = [c for c in out.columns if c not in names and c != "geometry"]
    tail = ["geometry"] if "geometry" in out.columns else []
    return out[names + extras + tail]


def _as_string(col: pd.Series) -> pd.Series:
    def norm(v: Any) -> Any:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return pd.NA
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    if isinstance(col.dtype, pd.StringDtype):
        return col.astype("string")
    return col.map(norm).astype("string")


_TRUE = {"1", "true", "yes", "y", "t", "ใช่", "มี"}
_FALSE = {"0", "false", "no", "n", "f", "ไม่ใช่", "ไม่มี"}


def _as_boolean(col: pd.Series) -> pd.Series:
    def norm(v: Any) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return pd.NA
        if isinstance(v, bool | np.bool_):
            return bool(v)
        s = str(v).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        return pd.NA

    return col.map(norm).astype("boolean")


@dataclass(frozen=True)
class Problem:
    """One way a layer breaks its contract."""

    layer: str
    key: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """Give the problem as one line: layer, key and field, then the message."""
        where = [self.layer]
        if self.key is not None:
            where.append(f"key {self.key}")
        if self.field is not None:
            where.append(f"field {self.field}")
        return f"{' '.join(where)}: {self.message}"


def _key_of(frame: pd.DataFrame, layer: LayerContract) -> pd.Series:
    cols = [c for c in layer.key if c in frame.columns]
    if not cols:
        return pd.Series([f"row {i + 1}" for i in range(len(frame))], index=frame.index)
    return join_key(frame, cols, sep="/")


def join_key(frame: pd.DataFrame, columns: list[str], *, sep: str = "\x1f") -> pd.Series:
    """One text key per row from the business-key columns (vectorised; NULL shown as ∅).

    Parameters
    ----------
    frame
        Any frame holding ``columns``.
    columns
        The key columns, in key order.
    sep
        Separator between the parts (default U+001F, the ASCII unit separator).

    Returns
    -------
    pandas.Series
        ``string`` dtype, same index as ``frame``.
    """
    parts = [frame[c].astype("string").fillna("∅") for c in columns]
    key = parts[0]
    if len(parts) > 1:
        key = key.str.cat(parts[1:], sep=sep)  # type: ignore[arg-type]  # stubs lack list[Series]
    return key.astype("string")


def check_frame(frame: pd.DataFrame, layer: LayerContract, *, limit: int = 1000) -> list[Problem]:
    """List every way ``frame`` breaks ``layer``'s contract.

    Checks: required fields present and non-null; business key unique; values within the
    allowed list, pattern, minimum and maximum; dates real ISO dates; geometry type and CRS
    for vector layers. Stops after ``limit`` problems.

    Parameters
    ----------
    frame
        The layer's rows (a GeoDataFrame for a vector layer, so its geometry is checked).
    layer
        The contract to check against.
    limit
        Most problems to list (default 1000).

    Returns
    -------
    list of Problem
        Empty when the frame keeps the contract.
    """
    keys = _key_of(frame, layer)
    problems: list[Problem] = []
    for key, fld, msg in _table_problems(frame, layer, keys):
        problems.append(Problem(layer.name, key, fld, msg))
        if len(problems) >= limit:
            return problems
    if layer.is_spatial and hasattr(frame, "geometry"):
        problems += _check_geometry(frame, layer, keys, limit - len(problems))
    return problems


def _table_problems(
    frame: pd.DataFrame, layer: LayerContract, keys: pd.Series
) -> Iterator[tuple[str | None, str | None, str]]:
    """(key, field, message) of each problem but the geometry's, in the order reported."""
    for name in layer.required_fields:
        if name not in frame.columns:
            yield None, name, "required field is missing"
    key_cols = [c for c in layer.key if c in frame.columns]
    if len(key_cols) == len(layer.key) and len(frame):
        for k in dict.fromkeys(keys[keys.duplicated(keep=False)]):
            yield k, ",".join(layer.key), "business key is not unique"
    for f in layer.fields:
        if f.name not in frame.columns:
            continue
        col = frame[f.name]
        null = col.isna()
        if f.required:
            for k in keys[null]:
                yield k, f.name, "required value is empty"
        present = col[~null]
        if present.empty:
            continue
        bad, reason = _bad_values(f, present)
        for idx in present.index[bad.to_numpy(dtype=bool)]:
            yield keys[idx], f.name, f"{present[idx]!r} {reason}"


def _bad_values(f: FieldSpec, present: pd.Series) -> tuple[pd.Series, str]:
    """Which non-null values of field ``f`` break it, and why (the first rule broken)."""
    bad = pd.Series(False, index=present.index)
    reason = ""
    if f.values is not None:
        allowed = {str(v) for v in f.values}
        bad = ~present.astype("string").isin(allowed)
        reason = f"not one of {', '.join(map(str, f.values))}"
    if f.pattern is not None and not bad.any():
        bad = ~present.astype("string").str.fullmatch(f.pattern).fillna(False).astype(bool)
        reason = f"does not match the pattern {f.pattern}"
    if f.type == "date" and not bad.any():
        bad = ~present.astype("string").map(_is_iso_date).astype(bool)
        reason = "is not an ISO date YYYY-MM-DD"
    if f.type in ("int", "float") and not bad.any():
        num = pd.to_numeric(present, errors="coerce")
        if f.min is not None and (num < f.min).any():
            bad = num < f.min
            reason = f"is below the minimum {f.min}"
        elif f.max is not None and (num > f.max).any():
            bad = num > f.max
            reason = f"is above the maximum {f.max}"
    return bad, reason


def _is_iso_date(text: Any) -> bool:
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_geometry(frame: Any, layer: LayerContract, keys: pd.Series, limit: int) -> list[Problem]:
    problems: list[Problem] = []
    if limit <= 0:
        return problems
    if frame.crs is None:
        return [Problem(layer.name, None, "geometry", "the layer has no CRS")]
    if frame.crs.to_epsg() != 4326:
        problems.append(
            Problem(layer.name, None, "geometry", f"stored CRS is {frame.crs}, not EPSG:4326")
        )
    geom = frame.geometry
    missing = geom.isna() | geom.is_empty
    if not layer.geometry_nullable:
        for k in keys[missing]:
            problems.append(Problem(layer.name, k, "geometry", "geometry is empty"))
            if len(problems) >= limit:
                return problems
    present = geom[~missing]
    want = layer.geometry or "Geometry"
    if want != "Geometry":
        base = want.replace("Multi", "")
        ok = present.geom_type.isin([base, "Multi" + base])
        for k in keys[present.index[~ok.to_numpy()]]:
            problems.append(Problem(layer.name, k, "geometry", f"geometry is not a {want}"))
            if len(problems) >= limit:
                return problems
    invalid = ~present.is_valid
    for k in keys[present.index[invalid.to_numpy()]]:
        problems.append(Problem(layer.name, k, "geometry", "geometry is not valid"))
        if len(problems) >= limit:
            return problems
    return problems


def require_valid(frame: pd.DataFrame, layer: LayerContract, *, source: str | None = None) -> None:
    """Raise :class:`DataValidationError` naming the first problem (and the count of others).

    Parameters
    ----------
    frame
        The layer's rows, as for :func:`check_frame`.
    layer
        The contract to check against.
    source
        The file or layer named in the message; ``None`` (the default) names the layer.

    Raises
    ------
    DataValidationError
        On the first of up to 50 problems :func:`check_frame` finds, with its key and field.
    """
    problems = check_frame(frame, layer, limit=50)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise DataValidationError(
            first.message + more,
            source=source or layer.name,
            row=first.key,
            field=first.field,
            fix="correct the value in the source file and import again",
        )


def layer_names(kinds: Iterable[str] = ("vector", "table")) -> list[str]:
    """Names of the contract layers of the given kinds, in group order.

    Parameters
    ----------
    kinds
        Layer kinds to include: ``vector``, ``table`` or both (the default).

    Returns
    -------
    list of str
        Sorted by the order of :data:`GROUPS`, then by name.
    """
    cs = _all_contracts().values()
    order = {g: i for i, g in enumerate(GROUPS)}
    return [
        c.name
        for c in sorted(cs, key=lambda c: (order.get(c.group, 99), c.name))
        if c.kind in kinds
    ]
