"""Workspace task of the QGIS part (``ecogis qgis styles``, ``ecogis qgis project``).

Restyles every layer of a workspace from its layer contract (``layer_styles``), rewrites
the QGIS project stored in the GeoPackage (``qgis_projects``), and optionally writes a
separate ``.qgz`` that refers to the GeoPackage by relative path. All GeoPackage writes
happen in one :meth:`~ecogis.workspace.Workspace.batch`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ecogis import qgis
from ecogis.qgis import StyledLayer
from ecogis.workspace import Workspace

RENDERER_WORDS = {
    "categorizedSymbol": "categorized",
    "graduatedSymbol": "graduated",
    "singleSymbol": "single symbol",
    "aliases": "field aliases only (table)",
    "handmade": "hand-made QML",
}


@dataclass
class QgisSummary:
    """What :func:`style_and_project` did."""

    lang: str
    styled: list[StyledLayer]
    project_uri: str
    project_file: Path | None = None
    unstyled: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable summary lines.

        Returns
        -------
        list[str]
            The layers styled (by renderer kind) and the language, the stored project's URI,
            the project file when written, and the layers left without a style.
        """
        kinds = Counter(RENDERER_WORDS.get(s.renderer, s.renderer) for s in self.styled)
        parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        out = [
            f"QGIS: {len(self.styled)} layers styled in {qgis.LANG_NAMES[self.lang]} "
            f"(Thai and English styles stored; default {self.lang}): {parts}",
            f"QGIS: project '{qgis.PROJECT_NAME}' stored in the workspace — open "
            f"{self.project_uri}",
        ]
        if self.project_file is not None:
            out.append(f"QGIS: project file {self.project_file}")
        if self.unstyled:
            out.append(f"QGIS: no contract, so no default style: {', '.join(self.unstyled)}")
        return out


def style_and_project(
    ws: Workspace, *, lang: str | None = None, out: Path | None = None
) -> QgisSummary:
    """Restyle every layer, rewrite the embedded project, and optionally write ``out``.

    Parameters
    ----------
    ws : Workspace
        The workspace (a GeoPackage).
    lang : str or None, default None
        ``th`` or ``en``: becomes the workspace language (default: keep the current one).
    out : Path or None, default None
        A ``.qgz``/``.qgs`` project file to write next to the data (optional).

    Returns
    -------
    QgisSummary
        The language used, the layers styled (with their renderer), the embedded project's
        URI, the project file written (or ``None``) and the layers without a contract.
    """
    chosen = qgis.workspace_lang(ws, lang)
    with ws.batch():
        if lang is not None and ws.get_meta(qgis.LANG_META_KEY) != lang:
            ws.set_meta(qgis.LANG_META_KEY, lang)
        styled = qgis.style_workspace(ws, lang=chosen)
    project_file = qgis.write_project_file(ws, out, lang=chosen) if out is not None else None
    styled_names = {s.name for s in styled}
    unstyled = [i.name for i in ws.layers() if i.name not in styled_names]
    return QgisSummary(chosen, styled, qgis.project_uri(ws), project_file, unstyled)


def demo_step(ws: Workspace, out_dir: Path) -> list[str]:
    """Style the demo workspace, store its project, and write ``<out_dir>/<name>.qgz``.

    Parameters
    ----------
    ws : Workspace
        The demo workspace; its ``layer_styles`` and ``qgis_projects`` are rewritten.
    out_dir : Path
        Folder of the ``.qgz`` (named after the workspace's title).

    Returns
    -------
    list[str]
        :meth:`QgisSummary.lines`.
    """
    summary = style_and_project(ws, out=out_dir / f"{ws.title}.qgz")
    return summary.lines()
