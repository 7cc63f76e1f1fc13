"""QGIS styles and projects for ecogis workspaces, written without QGIS.

Every layer ecogis writes with a layer contract gets default styles in the GeoPackage's
``layer_styles`` table (QML for QGIS, SLD for other clients) in Thai and English — the
workspace language (``ecogis_meta`` key ``lang``, default ``th``) is the default one — and
the GeoPackage carries a QGIS project (``qgis_projects``) with every layer grouped and
styled. :func:`refresh_workspace_styles` is the hook the task layer registers
(:func:`ecogis.workspace.add_after_write_hook`) to run at the end of each
:meth:`~ecogis.workspace.Workspace.batch` that wrote layers, inside the batch, so styles
and project land atomically with the data; the workspace itself never imports this
module. It reads no feature data: layer list, columns
and the extents GDAL keeps in ``gpkg_contents``.

Styles come from the contract's ``[style]`` section (shared with the web map); a
hand-made ``layers/<name>.qml`` replaces the generated QML of that layer.
"""

from __future__ import annotations

import logging
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ecogis import schema
from ecogis.errors import CatalogueError, WorkspaceError
from ecogis.qgis.plan import build_plan, check_style_colors, symbol_kind
from ecogis.qgis.project import (
    GROUP_TITLES,
    PROJECT_NAME,
    ProjectLayer,
    project_qgz,
    project_xml,
)
from ecogis.qgis.qml import LayerSource, layer_qml
from ecogis.qgis.sld import layer_sld
from ecogis.qgis.themes import map_themes
from ecogis.resources import layers_dir
from ecogis.workspace.store import StyleRecord

if TYPE_CHECKING:
    from ecogis.workspace import Workspace

log = logging.getLogger(__name__)

LANGS = ("th", "en")
LANG_NAMES = {"th": "ไทย", "en": "English"}
LANG_META_KEY = "lang"
STYLE_PREFIX = "ecogis"


def style_name(lang: str) -> str:
    """Name of ecogis's style row in ``layer_styles`` for ``lang`` (``ecogis-th``).

    Parameters
    ----------
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    str
        ``ecogis-<lang>``, the ``styleName`` of the row.
    """
    return f"{STYLE_PREFIX}-{lang}"


@dataclass(frozen=True)
class StyledLayer:
    """What :func:`style_workspace` did for one layer."""

    name: str
    renderer: str  # singleSymbol / categorizedSymbol / graduatedSymbol / aliases / handmade
    classes: int
    label_field: str | None
    group: str

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict.

        Returns
        -------
        dict of str to object
            The fields ``name``, ``renderer``, ``classes`` (legend entries), ``label_field``
            and ``group``.
        """
        return dict(self.__dict__)


def workspace_lang(ws: Workspace, lang: str | None = None) -> str:
    """``lang`` if given, else the workspace's language setting (default ``th``).

    Parameters
    ----------
    ws : Workspace
        The workspace; its ``ecogis_meta`` key ``lang`` is read when ``lang`` is ``None``.
    lang : str or None
        ``th`` or ``en``; ``None`` (default) uses the workspace setting.

    Returns
    -------
    str
        ``th`` or ``en``.

    Raises
    ------
    WorkspaceError
        If the chosen language is neither ``th`` nor ``en``.
    """
    chosen = lang or ws.get_meta(LANG_META_KEY, "th") or "th"
    if chosen not in LANGS:
        raise WorkspaceError(
            f"language {chosen!r} is not th or en",
            source=ws.location,
            fix="use --lang th or --lang en",
        )
    return chosen


def layer_sources(
    ws: Workspace,
) -> list[tuple[LayerSource, tuple[float, float, float, float] | None]]:
    """Every layer's stored shape and extent, read from GeoPackage metadata only.

    A generic ``GEOMETRY`` layer is looked into: the geometry types it holds become
    ``mixed_types`` (QGIS shows each as its own sublayer).

    Parameters
    ----------
    ws : Workspace
        The workspace whose layers are listed.

    Returns
    -------
    list of (LayerSource, tuple of 4 float or None)
        Per layer, its :class:`~ecogis.qgis.qml.LayerSource` and its extent (min lon,
        min lat, max lon, max lat; degrees, EPSG:4326); ``None`` for a table or an empty
        layer.
    """
    out = []
    for info in ws.layers():
        geom_col = ws.geometry_column(info.name) or ""
        gtype = (info.geometry_type or "").upper() or None
        mixed: tuple[str, ...] = ()
        if info.kind == "vector" and symbol_kind(gtype) is None:
            # A generic GEOMETRY layer (e.g. communities as points and polygons): look at
            # what it holds; QGIS shows each type as its own sublayer.
            present = ws.geometry_types(info.name)
            if len(present) > 1:
                mixed = tuple(present)
            contract = _contract(info.name)
            hint = contract.geometry if contract is not None else None
            first = present[0] if present else (hint if symbol_kind(hint) else "Point")
            gtype = str(first).upper()
        src = LayerSource(
            name=info.name,
            kind=info.kind,
            geometry_type=gtype,
            geometry_column=geom_col,
            fields=tuple(ws.field_names(info.name)),
            mixed_types=mixed,
        )
        out.append((src, ws.layer_extent(info.name) if info.kind == "vector" else None))
    return out


def project_layers(
    sources: list[tuple[LayerSource, tuple[float, float, float, float] | None]],
) -> list[ProjectLayer]:
    """Project layers of ``sources``: one per geometry type for a mixed layer.

    Parameters
    ----------
    sources : list of (LayerSource, tuple of 4 float or None)
        :func:`layer_sources` output (extents in degrees).

    Returns
    -------
    list of ProjectLayer
        One entry per layer, or per geometry type of a mixed layer (with
        ``geometry_filter`` set), each with its drawable contract (its ``[style]`` dropped
        when a colour in it is broken) and a hand-made QML when there is one.
    """
    out = []
    for src, extent in sources:
        contract = _drawable_contract(src.name)
        handmade = handmade_qml(src.name)
        if not src.mixed_types:
            out.append(ProjectLayer(src, contract, extent, handmade))
            continue
        for gtype in src.mixed_types:
            sub_src = replace(src, geometry_type=gtype.upper())
            out.append(ProjectLayer(sub_src, contract, extent, handmade, geometry_filter=gtype))
    return out


def _contract(name: str) -> schema.LayerContract | None:
    return schema.contract(name) if schema.has_contract(name) else None


def _drawable_contract(name: str) -> schema.LayerContract | None:
    """Return the contract for drawing in the project; without its [style] when that is broken."""
    contract = _contract(name)
    if contract is None:
        return None
    try:
        check_style_colors(contract)
    except CatalogueError:
        return replace(contract, style={})
    return contract


def handmade_qml(name: str) -> str | None:
    """Return the text of ``layers/<name>.qml`` when a hand-made style exists, else ``None``.

    Parameters
    ----------
    name : str
        Layer name.

    Returns
    -------
    str or None
        The QML text; ``None`` when the file is missing or not valid XML (logged as a
        warning, the generated style is used instead).
    """
    entry = layers_dir() / f"{name}.qml"
    if not entry.is_file():
        return None
    text = entry.read_text(encoding="utf-8")
    try:
        ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        log.warning("layers/%s.qml is not valid XML (%s); using the generated style", name, exc)
        return None
    return text


def _describe(src: LayerSource, contract: schema.LayerContract | None, lang: str) -> StyledLayer:
    group = contract.group if contract is not None else "other"
    if handmade_qml(src.name) is not None:
        return StyledLayer(src.name, "handmade", 0, None, group)
    if src.symbol is None:
        return StyledLayer(src.name, "aliases", 0, None, group)
    plan = build_plan(contract, src.name, src.symbol, lang=lang, fields=list(src.fields))
    renderer = {
        "single": "singleSymbol",
        "categorized": "categorizedSymbol",
        "graduated": "graduatedSymbol",
    }[plan.renderer]
    n = len(plan.rules) if plan.renderer != "single" else 1
    return StyledLayer(src.name, renderer, n, plan.label_field, group)


def style_records(
    src: LayerSource, contract: schema.LayerContract, default_lang: str
) -> list[StyleRecord]:
    """``layer_styles`` rows of one layer: the other language first, the default last.

    Parameters
    ----------
    src : LayerSource
        The stored layer.
    contract : LayerContract
        Its layer contract (``[style]``, titles, field labels).
    default_lang : str
        ``th`` or ``en``: the language whose row is written last and becomes QGIS's default.

    Returns
    -------
    list of StyleRecord
        Two rows (``ecogis-th``, ``ecogis-en``), each with the QML (hand-made when present)
        and, for a spatial layer, the SLD (empty for a table).

    Raises
    ------
    CatalogueError
        If a colour in the contract's ``[style]`` is not ``#rrggbb``.
    """
    records = []
    for lang in sorted(LANGS, key=lambda x: x == default_lang):
        qml = handmade_qml(src.name) or layer_qml(src, contract, lang)
        sld = ""
        if src.symbol is not None:
            plan = build_plan(contract, src.name, src.symbol, lang=lang, fields=list(src.fields))
            sld = layer_sld(plan, contract.title(lang))
        records.append(
            StyleRecord(
                layer=src.name,
                geometry_column=src.geometry_column,
                name=style_name(lang),
                qml=qml,
                sld=sld,
                description=f"ecogis: {contract.title(lang)} ({LANG_NAMES[lang]})",
            )
        )
    return records


def style_workspace(
    ws: Workspace, *, layers: list[str] | None = None, lang: str | None = None
) -> list[StyledLayer]:
    """Write default styles for ``layers`` (all by default) and refresh the project.

    Layers with a contract get Thai and English style rows (``ecogis-th``, ``ecogis-en``);
    the one in the workspace language is QGIS's default. A row of the same layer and name
    is replaced, so re-running never adds rows. Layers that have no ecogis style yet are
    styled too. Must run inside ``ws.batch()`` or it opens one. A layer whose ``[style]``
    is broken keeps QGIS's plain default (a warning is logged) instead of stopping.

    Parameters
    ----------
    ws : Workspace
        The workspace to style.
    layers : list of str or None
        Layer names to restyle; ``None`` (default) restyles every layer.
    lang : str or None
        ``th`` or ``en``; ``None`` (default) uses the workspace language.

    Returns
    -------
    list of StyledLayer
        One entry per layer styled.

    Raises
    ------
    WorkspaceError
        If ``lang`` (or the stored language) is neither ``th`` nor ``en``.
    """
    chosen = workspace_lang(ws, lang)
    sources = layer_sources(ws)
    styled_names = set()
    existing = ws.read_styles()
    if len(existing):
        ours = existing[existing["styleName"] == style_name(chosen)]
        styled_names = set(ours["f_table_name"])
    wanted = set(layers) if layers is not None else {s.name for s, _ in sources}
    report: list[StyledLayer] = []
    records = []
    for src, _extent in sources:
        contract = _contract(src.name)
        if contract is None:
            continue
        if src.name not in wanted and src.name in styled_names:
            continue
        try:
            records += style_records(src, contract, chosen)
        except CatalogueError as exc:
            # A broken [style] must not stop the data from being written: the layer keeps
            # QGIS's plain default and the log says what to fix.
            log.warning("no QGIS style for %s: %s", src.name, exc)
            continue
        report.append(_describe(src, contract, chosen))
    with ws.batch():
        ws.write_styles(records)
        write_embedded_project(ws, lang=chosen, sources=sources)
    return report


def build_project(
    ws: Workspace,
    *,
    gpkg_ref: str,
    lang: str,
    sources: list[tuple[LayerSource, tuple[float, float, float, float] | None]] | None = None,
) -> bytes:
    """Build the ``.qgz`` bytes of a project showing every layer of ``ws`` from ``gpkg_ref``.

    Parameters
    ----------
    ws : Workspace
        The workspace (its title names the project).
    gpkg_ref : str
        How the project names the dataset: a GeoPackage path relative to the project
        (``./demo.gpkg``) or a ``postgres:<conninfo>|schema=<s>`` reference.
    lang : str
        ``th`` or ``en``: layer names, group titles, legends and field aliases.
    sources : list of (LayerSource, tuple of 4 float or None) or None
        :func:`layer_sources` output when the caller has it already; ``None`` (default)
        reads it from ``ws``.

    Returns
    -------
    bytes
        A zipped ``.qgs`` (``ecogis.qgs`` inside).
    """
    pls = project_layers(sources if sources is not None else layer_sources(ws))
    title = f"ecogis: {ws.title}"
    return project_qgz(
        project_xml(pls, gpkg_ref=gpkg_ref, lang=lang, title=title, themes=map_themes())
    )


def write_embedded_project(
    ws: Workspace,
    *,
    lang: str | None = None,
    sources: list[tuple[LayerSource, tuple[float, float, float, float] | None]] | None = None,
) -> str:
    """Store the project in the workspace's ``qgis_projects`` table; return its QGIS URI.

    Parameters
    ----------
    ws : Workspace
        The workspace that receives the project (named :data:`PROJECT_NAME`).
    lang : str or None
        ``th`` or ``en``; ``None`` (default) uses the workspace language.
    sources : list of (LayerSource, tuple of 4 float or None) or None
        :func:`layer_sources` output when the caller has it already; ``None`` (default)
        reads it from ``ws``.

    Returns
    -------
    str
        The URI QGIS opens the stored project with (``geopackage:…``, or the PostGIS form).

    Raises
    ------
    WorkspaceError
        If the language is neither ``th`` nor ``en``.
    """
    chosen = workspace_lang(ws, lang)
    content = build_project(ws, gpkg_ref=ws.qgis_dataset_ref(), lang=chosen, sources=sources)
    with ws.batch():
        ws.write_qgis_project(PROJECT_NAME, content)
    return project_uri(ws)


def project_uri(ws: Workspace, name: str = PROJECT_NAME) -> str:
    """Return the URI QGIS opens the project stored in the workspace with (``geopackage:…``).

    Parameters
    ----------
    ws : Workspace
        The workspace holding the project.
    name : str
        Project name in ``qgis_projects``; default :data:`PROJECT_NAME` (``ecogis``).

    Returns
    -------
    str
        The URI, for ``qgis --project`` or QGIS's *Open Project*.
    """
    return ws.qgis_project_uri(name)


def write_project_file(ws: Workspace, out: Path, *, lang: str | None = None) -> Path:
    """Write a separate ``.qgz`` (or ``.qgs``) that refers to the workspace by relative path.

    The file is written to a temporary file beside it and moved into place, so a reader never
    sees half a project.

    Parameters
    ----------
    ws : Workspace
        The workspace the project shows.
    out : Path
        The project file to write; its suffix (``.qgz`` zipped, ``.qgs`` plain XML) picks
        the format.
    lang : str or None
        ``th`` or ``en``; ``None`` (default) uses the workspace language.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    WorkspaceError
        If the output folder does not exist, the suffix is not ``.qgz``/``.qgs``, or the
        language is neither ``th`` nor ``en``.
    """
    chosen = workspace_lang(ws, lang)
    out = Path(out)
    if out.suffix.lower() not in (".qgz", ".qgs"):
        raise WorkspaceError(
            f"project file {out.name!r} must end in .qgz or .qgs",
            source=out,
            fix="name it e.g. demo.qgz",
        )
    if not out.parent.exists():
        raise WorkspaceError(
            f"folder {out.parent} does not exist", source=out, fix="create it first"
        )
    ref = ws.qgis_dataset_ref(out.parent)
    pls = project_layers(layer_sources(ws))
    text = project_xml(
        pls, gpkg_ref=ref, lang=chosen, title=f"ecogis: {ws.title}", themes=map_themes()
    )
    tmp = out.with_name(f".{out.name}.tmp")
    if out.suffix.lower() == ".qgs":
        tmp.write_text(text, encoding="utf-8")
    else:
        tmp.write_bytes(project_qgz(text, name=out.stem))
    os.replace(tmp, out)
    return out


def refresh_workspace_styles(ws: Workspace, layers: list[str]) -> None:
    """Batch hook: restyle the ``layers`` just written and refresh the embedded project.

    Registered with :func:`ecogis.workspace.add_after_write_hook` by the task layer
    (:mod:`ecogis.tasks`) or by a caller; it then runs at the end of every batch that wrote
    layers, before the batch commits, so styles and project land atomically with the data.

    Parameters
    ----------
    ws : Workspace
        The workspace whose batch is ending.
    layers : list of str
        Names of the layers the batch wrote.
    """
    style_workspace(ws, layers=list(layers))


def set_workspace_lang(ws: Workspace, lang: str) -> None:
    """Store ``lang`` as the workspace language and restyle everything in it.

    Parameters
    ----------
    ws : Workspace
        The workspace; its ``ecogis_meta`` key ``lang`` is set.
    lang : str
        ``th`` or ``en``.

    Raises
    ------
    WorkspaceError
        If ``lang`` is neither ``th`` nor ``en`` (nothing is written).
    """
    workspace_lang(ws, lang)
    with ws.batch():
        ws.set_meta(LANG_META_KEY, lang)
        style_workspace(ws, lang=lang)


__all__ = [
    "GROUP_TITLES",
    "LANGS",
    "PROJECT_NAME",
    "StyledLayer",
    "build_project",
    "handmade_qml",
    "layer_sources",
    "project_uri",
    "refresh_workspace_styles",
    "set_workspace_lang",
    "style_name",
    "style_workspace",
    "workspace_lang",
    "write_embedded_project",
    "write_project_file",
]
