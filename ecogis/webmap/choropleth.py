"""The choropleth of a recipe indicator: a statistic of a layer per province or district."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

import ecogis.webmap.data as wd
from ecogis.webmap.area import Area
from ecogis.webmap.recipe import Indicator
from ecogis.webmap.styles import legend_entries, renderer_style
from ecogis.webmap.words import LABELS, field_labels


def choropleth_layer(
    local: dict[str, pd.DataFrame],
    frames: dict[str, pd.DataFrame],
    ind: Indicator,
    *,
    lang: str,
    area: Area,
) -> tuple[dict[str, Any] | None, gpd.GeoDataFrame | None, str | None]:
    """Compute the indicator per boundary of the area (``local``), from the whole source layer.

    The source is read whole (``frames``): summary tables keyed by area code have no place
    of their own to cut by.

    Parameters
    ----------
    local : dict of str to pandas.DataFrame
        The layers cut to the map's area (the boundary layer is read from here).
    frames : dict of str to pandas.DataFrame
        The whole workspace (the indicator's source layer is read from here).
    ind : Indicator
        The recipe's indicator (statistic, field, filters, classes, colours).
    lang : str
        ``th`` or ``en``.
    area : Area
        The map's area: one province is drawn by district (``boundaries = "auto"``).

    Returns
    -------
    (dict or None, geopandas.GeoDataFrame or None, str or None)
        The layer config for the page (graduated style, legend, popup, GeoJSON with
        ``indicator_value`` rounded to 3 decimals, per km² when ``per_km2``), the boundaries
        with their values, and ``None``; or ``None, None`` and a note saying why the
        indicator is not drawn (layer missing, empty, or not given at that level).
    """
    words = LABELS[lang]
    level = ind.boundaries
    if level == "auto":
        level = "districts" if len(area.codes) == 1 else "provinces"
    bounds = local.get(level)
    source = frames.get(ind.source)
    title = ind.title(lang)
    if bounds is None or source is None:
        return None, None, words["skipped"].format(title=title)
    if ind.where:
        source = wd.apply_where(source, ind.where)
    for name, least in ind.where_min.items():
        keep = pd.to_numeric(source[name], errors="coerce") >= least
        source = source[keep.fillna(False).to_numpy(dtype=bool)]
    if ind.levels:
        if level not in ind.levels:
            return None, None, words["no_level"].format(title=title)
        source = source[source["level"].astype("string") == ind.levels[level]]
    if bounds.empty:
        return None, None, words["empty"].format(title=title)
    values = wd.indicator_values(
        bounds,
        source,
        level=level,
        stat=ind.stat,
        field=ind.field,
        per_km2=ind.per_km2,
        key_field=ind.key,
    )
    gdf = bounds.assign(indicator_value=values.round(3))
    unit = ind.unit_th if lang == "th" else ind.unit_en
    style = renderer_style(
        {
            "type": "graduated",
            "field": "indicator_value",
            "colors": list(ind.colors[: ind.classes]),
            "opacity": 0.6,
            "stroke": "#666666",
            "stroke_width": 0.8,
        },
        lang=lang,
        shape="polygon",
        values=gdf,
    )
    name_field = "name_th" if lang == "th" else "name_en"
    key = "pro_code" if level == "provinces" else "amp_code"
    labels = field_labels(level, lang)
    value_label = f"{title} ({unit})" if unit else title
    cfg = {
        "id": f"indicator_{ind.id}",
        "layer": level,
        "title": title,
        "show": ind.show or len(area.codes) != 1,
        "cluster": False,
        "style": style,
        "popup": [
            {"field": name_field, "label": labels.get(name_field, name_field), "unit": ""},
            {"field": key, "label": labels.get(key, key), "unit": ""},
            {"field": "indicator_value", "label": value_label, "unit": ""},
        ],
        "search": [],
        "title_field": name_field,
        "tooltip_field": name_field,
        "legend": legend_entries(style, shape="polygon", title=title, lang=lang, field_labels={}),
        "count": len(gdf),
        "geojson": wd.geojson_payload(gdf, [name_field, key, "indicator_value"]),
    }
    return cfg, gdf, None
