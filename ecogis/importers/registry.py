"""The import kinds: what ``ecogis import KIND`` accepts, and the parser behind each.

:func:`parse_file` turns a source file of any kind into a frame shaped like its layer
contract (no workspace I/O); the table kinds are read with :func:`~ecogis.importers.tabular.
read_table` and parsed by the function :data:`TABLE_PARSERS` names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ecogis import schema
from ecogis.errors import EcogisError, InputFileError
from ecogis.importers.base import ImportOptions, ParseResult
from ecogis.importers.tabular import read_table


@dataclass(frozen=True)
class ImportKind:
    """One ``ecogis import`` verb: the layer it writes and the parser behind it."""

    name: str
    layer: str
    parser: str  # "module:function", imported lazily
    help_en: str
    example: str


TABLE_PARSERS: dict[str, str] = {
    "flows": "ecogis.importers.flows:parse_flow_form",
    "compliance": "ecogis.importers.compliance:parse_compliance_records",
    "actionplan": "ecogis.importers.actionplan:parse_action_plan",
    "activities": "ecogis.importers.activities:parse_activities",
}
"""Table kinds → ``module:function`` with the signature
``parse_x(raw, *, source, known_factory_ids) -> DataFrame`` (CONTRIBUTING.md); a parser
that fills more than one table returns ``{layer: DataFrame}`` (its own layer first)."""

IMPORT_KINDS: dict[str, ImportKind] = {
    k.name: k
    for k in (
        ImportKind(
            "factories",
            "factories",
            "ecogis.importers.factories:parse_factories",
            "DIW factory registry (open-data API CSV or GIS export) or a point file",
            "ecogis import factories diw_factories_prachinburi_raw.geojson -w w.gpkg",
        ),
        ImportKind(
            "provinces",
            "provinces",
            "ecogis.importers.areas:parse_areas",
            "province boundaries (OpenGISData-Thailand, HDX ADM1, or mapped columns)",
            "ecogis import provinces th_provinces_opengisdata.geojson -w w.gpkg",
        ),
        ImportKind(
            "districts",
            "districts",
            "ecogis.importers.areas:parse_areas",
            "district boundaries (OpenGISData-Thailand, HDX ADM2, or mapped columns)",
            "ecogis import districts th_districts_opengisdata.geojson -w w.gpkg",
        ),
        ImportKind(
            "zones",
            "industrial_zones",
            "ecogis.importers.areas:parse_areas",
            "industrial estates, parks and zones (polygons)",
            "ecogis import zones estates.gpkg -w w.gpkg --map CODE=zone_id --map NAME=name_th "
            "--map TYPE=zone_type",
        ),
        ImportKind(
            "communities",
            "communities",
            "ecogis.importers.areas:parse_areas",
            "villages, schools, temples, hospitals (landmark standard, points or polygons)",
            "ecogis import communities nakhonpathom_landmarks_wgs84.geojson -w w.gpkg",
        ),
        ImportKind(
            "roads",
            "roads",
            "ecogis.importers.basemap:parse_basemap_lines",
            "roads for the maps' offline basemap (OpenStreetMap or Geofabrik extract, lines)",
            "ecogis import roads gis_osm_roads_free_1.shp -w w.gpkg",
        ),
        ImportKind(
            "water",
            "water",
            "ecogis.importers.basemap:parse_basemap_lines",
            "rivers, canals, lakes and reservoirs for the maps' offline basemap (lines or "
            "polygons)",
            "ecogis import water gis_osm_water_a_free_1.shp -w w.gpkg",
        ),
        ImportKind(
            "flows",
            "material_flows",
            TABLE_PARSERS["flows"],
            "mass-balance forms (material_flows table)",
            "ecogis import flows mass_balance.xlsx -w w.gpkg --sheet flows",
        ),
        ImportKind(
            "compliance",
            "compliance",
            TABLE_PARSERS["compliance"],
            "legal-compliance records (compliance table)",
            "ecogis import compliance compliance.csv -w w.gpkg",
        ),
        ImportKind(
            "actionplan",
            "action_plans",
            TABLE_PARSERS["actionplan"],
            "provincial action plans (action_plans table)",
            "ecogis import actionplan action_plan.xlsx -w w.gpkg",
        ),
        ImportKind(
            "activities",
            "activities",
            TABLE_PARSERS["activities"],
            "the programme's activity ledger: sign-in sheets and consulting logs "
            "(activities and activity_factories tables)",
            "ecogis import activities signin_training.xlsx -w w.gpkg",
        ),
    )
}
"""The registry of import kinds (what ``ecogis import KIND`` accepts)."""


def load_parser(dotted: str) -> Callable[..., Any]:
    """Import ``module:function`` when first needed.

    Parameters
    ----------
    dotted : str
        ``"package.module:function"``, e.g. ``"ecogis.importers.flows:parse_flows"``.

    Returns
    -------
    Callable[..., Any]
        The parser function.

    Raises
    ------
    InputFileError
        When the module or function is not available in this installation.
    """
    module_name, func_name = dotted.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise InputFileError(
            f"this installation has no parser for this kind ({module_name} is missing)",
            fix="update ecogis; see 'ecogis import --help' for the kinds available",
        ) from exc
    func = getattr(module, func_name, None)
    if func is None:
        raise InputFileError(
            f"{module_name} has no {func_name}",
            fix="update ecogis; see 'ecogis import --help' for the kinds available",
        )
    return func  # type: ignore[no-any-return]


def parse_file(
    kind: str,
    path: str | Path,
    options: ImportOptions | None = None,
    *,
    provinces: gpd.GeoDataFrame | None = None,
    zones: gpd.GeoDataFrame | None = None,
    known_factory_ids: set[str] | None = None,
) -> ParseResult:
    """Parse a source file into a frame shaped like its layer contract (no workspace I/O).

    Parameters
    ----------
    kind : str
        A key of :data:`IMPORT_KINDS` (``factories``, ``provinces``, ``zones`` …).
    path : str or Path
        The file.
    options : ImportOptions or None, default None
        Import options (see :class:`ImportOptions`); ``None`` uses the defaults.
    provinces, zones : geopandas.GeoDataFrame or None, default None
        The workspace's provinces and zones, used by ``factories`` for the province check
        and ``zone_id``.
    known_factory_ids : set[str] or None, default None
        Factory IDs in the workspace, passed to the table parsers (``None`` skips their
        check).

    Returns
    -------
    ParseResult
        The kind's layer as a contract-shaped frame (a GeoDataFrame in EPSG:4326 for
        vector layers), with its format, rejected rows, notes and companion tables (the
        activity ledger's ``activity_factories``).

    Raises
    ------
    EcogisError
        For any bad input, naming file, row and field (InputFileError for an unknown kind
        or an unreadable file, DataValidationError, CRSError, UnitError).
    """
    if kind not in IMPORT_KINDS:
        raise InputFileError(
            f"unknown import kind {kind!r}", fix=f"use one of: {', '.join(IMPORT_KINDS)}"
        )
    opts = options or ImportOptions()
    p = Path(path)
    spec = IMPORT_KINDS[kind]
    if kind == "factories":
        from ecogis.importers.factories import parse_factories

        return parse_factories(p, opts, provinces=provinces, zones=zones)
    if kind in TABLE_PARSERS:
        return _parse_table_kind(spec, p, opts, known_factory_ids)
    if kind in ("roads", "water"):
        from ecogis.importers.basemap import parse_basemap_lines

        return parse_basemap_lines(p, spec.layer, opts)
    from ecogis.importers.areas import parse_areas

    return parse_areas(p, spec.layer, opts)


def _parse_table_kind(
    spec: ImportKind, path: Path, options: ImportOptions, known_factory_ids: set[str] | None
) -> ParseResult:
    parser = load_parser(spec.parser)
    raw = read_table(path, encoding=options.encoding, sheet=options.sheet)
    notes = list(raw.attrs.get("read_notes", []))
    if options.mapping:
        missing = [s for s in options.mapping if s not in raw.columns]
        if missing:
            raise InputFileError(
                f"--map names column {missing[0]!r}, which the file does not have",
                source=path,
                field=missing[0],
                fix=f"columns are: {', '.join(map(str, raw.columns[:30]))}",
            )
        raw = raw.rename(columns={s: d.split("[")[0] for s, d in options.mapping.items()})
    try:
        frame = parser(raw, source=str(path), known_factory_ids=known_factory_ids)
    except EcogisError:
        raise
    except (KeyError, ValueError, TypeError) as exc:
        # A parser that trips over an unexpected layout must still give one clear line.
        raise InputFileError(
            f"cannot read this {spec.name} table ({type(exc).__name__}: {exc})",
            source=path,
            fix=f"check the columns against the {spec.layer} template (see docs/importing.md)",
        ) from exc
    companions: dict[str, Any] = {}
    if isinstance(frame, dict):  # several tables: the kind's own layer and its companions
        companions = {k: v for k, v in frame.items() if k != spec.layer}
        frame = frame.get(spec.layer)
    if not isinstance(frame, pd.DataFrame):
        raise InputFileError(f"the {spec.name} parser returned no table", source=path)
    notes += list(frame.attrs.get("notes", []))
    result = ParseResult(layer=spec.layer, frame=frame, source=str(path), fmt="table", notes=notes)
    if companions:
        result.companions = companions
        result.replace_by = schema.contract(spec.layer).key[0]
    return result
