"""The words of a map: interface labels, field labels and units, value labels.

Field labels and units come from the layer contract (``layers/*.toml``) and the recipe's
derived fields; the labels of coded values (``high`` → อันตรายสูง) from the style classes
of the contract that styles the field, so a value reads the same on every map.
"""

from __future__ import annotations

from typing import Any

from ecogis import schema
from ecogis.webmap.data import COMPLIANCE_STYLE_CLASSES
from ecogis.webmap.exchanges import material_group_classes
from ecogis.webmap.recipe import DERIVED_FIELDS, LayerEntry

LABELS = {
    "th": {
        "legend": "คำอธิบายสัญลักษณ์",
        "search": "ค้นหาโรงงาน (ชื่อหรือเลขทะเบียน)",
        "no_results": "ไม่พบ",
        "fullscreen": "เต็มจอ",
        "exit_fullscreen": "ออกจากเต็มจอ",
        "skipped": "ไม่มีชั้นข้อมูล {title} ในพื้นที่ทำงาน",
        "empty": "ไม่มีข้อมูล {title} ในพื้นที่นี้",
        "no_level": "{title}: ไม่มีข้อมูลระดับนี้ (ลองดูทุกจังหวัด)",
    },
    "en": {
        "legend": "Legend",
        "search": "Search factories (name or registration no.)",
        "no_results": "No match",
        "fullscreen": "Full screen",
        "exit_fullscreen": "Exit full screen",
        "skipped": "{title}: not in this workspace",
        "empty": "{title}: no data in this area",
        "no_level": "{title}: no data at this level (try all provinces)",
    },
}


def layer_title(entry: LayerEntry, contract: schema.LayerContract, lang: str) -> str:
    """Return the recipe entry's own title in ``lang``, else the layer contract's.

    Parameters
    ----------
    entry : LayerEntry
        The recipe's ``[[layers]]`` entry (``title_th``/``title_en``, maybe empty).
    contract : LayerContract
        The layer's contract.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    str
        The layer's title on the map and in the legend.
    """
    own = entry.title_th if lang == "th" else entry.title_en
    return own or contract.title(lang)


def field_labels(layer: str, lang: str, extra: str | None = None) -> dict[str, str]:
    """Field → label in ``lang`` of ``layer``, of a joined layer and of derived fields.

    Labels of ``layer`` win over those of ``extra``; the recipe's derived fields (e.g. a
    link's ``route``) are labelled too.

    Parameters
    ----------
    layer : str
        A layer with a contract.
    lang : str
        ``th`` or ``en``.
    extra : str or None
        A joined layer whose labels fill in the fields ``layer`` lacks; default ``None``.

    Returns
    -------
    dict of str to str
        Field name → label.

    Raises
    ------
    KeyError
        When ``layer`` has no contract.
    """
    labels = schema.contract(layer).labels(lang)
    if extra and schema.has_contract(extra):
        for k, v in schema.contract(extra).labels(lang).items():
            labels.setdefault(k, v)
    for name, (th, en) in DERIVED_FIELDS.get(layer, {}).items():
        labels[name] = th if lang == "th" else en
    return labels


UNIT_WORDS = {
    "th": {
        "persons": "คน",
        "m": "ม.",
        "km": "กม.",
        "ha": "เฮกตาร์",
        "km2": "ตร.กม.",
        "hp": "แรงม้า",
        "t/yr": "ตัน/ปี",
        "m3/yr": "ลบ.ม./ปี",
        "MWh/yr": "MWh/ปี",
        "tCO2e/yr": "tCO2e/ปี",
    },
    "en": {"km2": "km²"},
}
"""How a contract unit is written next to a value in a popup."""


def unit_words(layer: str, lang: str) -> dict[str, str]:
    """Field → unit as a popup writes it in ``lang`` (``t/yr`` → ตัน/ปี).

    Parameters
    ----------
    layer : str
        A layer with a contract.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    dict of str to str
        The unit of each field that has one (baht, ``THB``, is left out), in the words of
        :data:`UNIT_WORDS` (the contract's unit where it has none).
    """
    words = UNIT_WORDS[lang]
    return {
        f.name: words.get(f.unit, f.unit)
        for f in schema.contract(layer).fields
        if f.unit and f.unit not in ("THB",)
    }


def classes_of(field: str, contract: schema.LayerContract) -> list[dict[str, Any]] | None:
    """Legend classes for ``field`` when the layer's own style does not classify it.

    A factory's ``compliance_status`` has the compliance classes; any other field takes
    the classes of the contract whose style classifies it (``hazard_class``: the risk
    results' hazard classes), so a value looks the same on every map.

    Parameters
    ----------
    field : str
        The field a recipe colours by.
    contract : LayerContract
        The layer's contract.

    Returns
    -------
    list of dict of str to Any or None
        The classes (``value``, ``color``, ``label_th``, ``label_en``); ``None`` when the
        layer's own style classifies the field, or no contract does.
    """
    if contract.style.get("field") == field and contract.style.get("classes"):
        return None
    if field == "compliance_status":
        return list(COMPLIANCE_STYLE_CLASSES)
    if field == "material_group":
        return material_group_classes()
    for other in schema.contracts().values():
        if other.style.get("field") == field and other.style.get("classes"):
            return list(other.style["classes"])
    return None


def value_labels(field: str, contract: schema.LayerContract, lang: str) -> dict[str, str]:
    """How a popup writes a coded value (``high`` → อันตรายสูง), from the styles' classes.

    Parameters
    ----------
    field : str
        The field.
    contract : LayerContract
        The layer's contract.
    lang : str
        ``th`` or ``en``.

    Returns
    -------
    dict of str to str
        Stored value (as text) → label; empty when no style classifies the field.
    """
    classes = classes_of(field, contract)
    if classes is None and contract.style.get("field") == field:
        classes = list(contract.style.get("classes", []))
    out: dict[str, str] = {}
    for c in classes or []:
        if "value" in c:
            label = c.get(f"label_{lang}") or c.get("label_en") or c.get("label_th")
            out[str(c["value"])] = str(label if label is not None else c["value"])
    return out
