"""Small XML helpers shared by the QML, SLD and project writers.

QGIS reads symbol-layer properties from ``<Option type="Map">`` (QGIS ≥ 3.16) and from the
older ``<prop k= v=>`` list (QGIS 3.0–3.14); both are written, as QGIS itself does, so a
style opens in every QGIS 3.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from functools import lru_cache

from pyproj import CRS

QGIS_VERSION = "3.22.0-Białowieża"
"""The QGIS version written into QML and project files (the oldest LTR ecogis checks)."""

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$")

MM_PER_PX = 25.4 / 96
"""Millimetres per CSS pixel: web-map sizes (px) become QGIS sizes (mm) at 96 dpi."""


def qgis_color(color: str, opacity: float = 1.0) -> str:
    """``#rrggbb`` (or ``#rrggbbaa``) → QGIS's ``r,g,b,a`` with ``opacity`` (0–1) applied.

    Parameters
    ----------
    color : str
        A hex colour, ``#`` optional; an ``aa`` alpha byte multiplies with ``opacity``.
    opacity : float
        Opacity 0–1 (a fraction, clipped to that range); default 1, opaque.

    Returns
    -------
    str
        ``r,g,b,a`` with each channel 0–255.

    Raises
    ------
    ValueError
        If ``color`` is not a hex colour.
    """
    m = _HEX.match(color.strip())
    if not m:
        raise ValueError(f"{color!r} is not a #rrggbb colour")
    rgb = m.group(1)
    alpha = int(m.group(2), 16) / 255 if m.group(2) else 1.0
    r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    a = round(255 * max(0.0, min(1.0, alpha * opacity)))
    return f"{r},{g},{b},{a}"


def hex_color(color: str) -> str:
    """Normalise a colour to ``#rrggbb`` (SLD has no alpha in the colour itself).

    Parameters
    ----------
    color : str
        A hex colour, ``#rrggbb`` or ``#rrggbbaa`` (``#`` optional); the alpha is dropped.

    Returns
    -------
    str
        ``#rrggbb`` in lower case.

    Raises
    ------
    ValueError
        If ``color`` is not a hex colour.
    """
    m = _HEX.match(color.strip())
    if not m:
        raise ValueError(f"{color!r} is not a #rrggbb colour")
    return "#" + m.group(1).lower()


def mm(px: float) -> str:
    """Convert a web-map size in pixels to a QGIS size in millimetres (text, 3 decimals).

    Parameters
    ----------
    px : float
        Size in CSS pixels (96 dpi).

    Returns
    -------
    str
        The size in millimetres as short text (:func:`fmt`).
    """
    return fmt(px * MM_PER_PX)


def fmt(value: float) -> str:
    """Format a number as short text (no trailing zeros).

    Parameters
    ----------
    value : float
        The number (any unit; it is rounded to 6 decimals).

    Returns
    -------
    str
        E.g. ``1.5``, ``2``; ``0`` for zero and negative zero.
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def sub(
    parent: ET.Element, tag: str, attrib: Mapping[str, str] | None = None, text: str | None = None
) -> ET.Element:
    """Append a child element and return it.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The element to append to.
    tag : str
        The child's tag.
    attrib : Mapping of str to str or None
        Its attributes; ``None`` (default) for none.
    text : str or None
        Its text; ``None`` (default) leaves it empty.

    Returns
    -------
    xml.etree.ElementTree.Element
        The new child.
    """
    el = ET.SubElement(parent, tag, dict(attrib or {}))
    if text is not None:
        el.text = text
    return el


def option_map(
    parent: ET.Element, props: Mapping[str, str], *, name: str | None = None
) -> ET.Element:
    """Write ``props`` as QGIS's ``<Option type="Map">`` of ``QString`` options.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The element to append to.
    props : Mapping of str to str
        Option name → value, written sorted by name.
    name : str or None
        The map's ``name`` attribute; ``None`` (default) writes none.

    Returns
    -------
    xml.etree.ElementTree.Element
        The ``<Option type="Map">`` element.
    """
    attrib = {"type": "Map"}
    if name is not None:
        attrib["name"] = name
    m = sub(parent, "Option", attrib)
    for key in sorted(props):
        sub(m, "Option", {"type": "QString", "name": key, "value": props[key]})
    return m


def data_defined(parent: ET.Element, tag: str, expressions: Mapping[str, str]) -> ET.Element:
    """Build a ``data_defined_properties`` block: property name → QGIS expression.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The element to append to.
    tag : str
        The block's tag (``data_defined_properties`` on symbols, ``dd_properties`` on labels).
    expressions : Mapping of str to str
        Property name (``size``, ``outlineWidth`` …) → an active QGIS expression; empty for
        a block with no data-defined property.

    Returns
    -------
    xml.etree.ElementTree.Element
        The block.
    """
    dd = sub(parent, tag)
    m = sub(dd, "Option", {"type": "Map"})
    sub(m, "Option", {"type": "QString", "name": "name", "value": ""})
    if expressions:
        props = sub(m, "Option", {"type": "Map", "name": "properties"})
        for prop, expr in expressions.items():
            p = sub(props, "Option", {"type": "Map", "name": prop})
            sub(p, "Option", {"type": "bool", "name": "active", "value": "true"})
            sub(p, "Option", {"type": "QString", "name": "expression", "value": expr})
            sub(p, "Option", {"type": "int", "name": "type", "value": "3"})
    else:
        sub(m, "Option", {"name": "properties"})
    sub(m, "Option", {"type": "QString", "name": "type", "value": "collection"})
    return dd


def quote_field(name: str) -> str:
    """Quote a field name for a QGIS expression.

    Parameters
    ----------
    name : str
        The field name (Thai allowed).

    Returns
    -------
    str
        ``"name"`` with inner double quotes doubled.
    """
    return '"' + name.replace('"', '""') + '"'


@lru_cache(maxsize=8)
def _crs_parts(epsg: int) -> tuple[str, str, str, bool]:
    crs = CRS.from_epsg(epsg)
    with warnings.catch_warnings():
        # PROJ warns that a PROJ string loses datum detail; QGIS reads the WKT first.
        warnings.simplefilter("ignore", UserWarning)
        proj4 = crs.to_proj4() or ""
    return crs.to_wkt(), proj4, crs.name, crs.is_geographic


def spatialrefsys(parent: ET.Element, epsg: int) -> ET.Element:
    """Build a ``<spatialrefsys>`` for ``EPSG:epsg`` that QGIS resolves by its WKT and authid.

    Parameters
    ----------
    parent : xml.etree.ElementTree.Element
        The element to append to (``<srs>``, ``<projectCrs>`` …).
    epsg : int
        EPSG code of the CRS (4326 for layers, a UTM zone for the project).

    Returns
    -------
    xml.etree.ElementTree.Element
        The ``<spatialrefsys>`` element.
    """
    wkt, proj4, name, geographic = _crs_parts(epsg)
    srs = sub(parent, "spatialrefsys")
    sub(srs, "wkt", text=wkt)
    sub(srs, "proj4", text=proj4)
    # srsid is QGIS's internal id; 0 makes QGIS resolve the CRS from the WKT below instead
    # of trusting a number that differs between QGIS builds.
    sub(srs, "srsid", text="0")
    sub(srs, "srid", text=str(epsg))
    sub(srs, "authid", text=f"EPSG:{epsg}")
    sub(srs, "description", text=name)
    sub(srs, "projectionacronym", text="longlat" if geographic else "utm")
    sub(srs, "ellipsoidacronym", text="EPSG:7030")
    sub(srs, "geographicflag", text="true" if geographic else "false")
    return srs


def to_text(root: ET.Element, *, doctype: str | None = None, declaration: bool = False) -> str:
    """Serialise with indentation; Thai text stays as UTF-8 characters.

    Parameters
    ----------
    root : xml.etree.ElementTree.Element
        The root element (indented in place).
    doctype : str or None
        A ``<!DOCTYPE …>`` line to write first; ``None`` (default) for none.
    declaration : bool
        Write the ``<?xml … encoding="UTF-8"?>`` declaration first; default ``False``.

    Returns
    -------
    str
        The XML text, ending in a newline.
    """
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if declaration else ""
    if doctype:
        head += doctype + "\n"
    return head + body + "\n"
