"""Which rows of each layer belong to a set of provinces: the one filter of maps and reports.

A map of province 25 and the report of province 25 must show the same factories, links
and gaps, so both cut the workspace with :func:`area_frames`. A row belongs to the area
by the first rule its layer allows:

1. its ``pro_code`` (when the layer has one filled in);
2. the first two digits of its ``amp_code``;
3. a factory of the area in any of its factory-id fields (``factory_id``, ``provider_id``,
   ``receiver_id``, ``source_id``, ``*_factory_id``: symbiosis links, risk rings,
   compliance records), so a link belongs to the provinces of both its ends;
4. a community of the area (``community_id``);
5. its geometry intersecting the provinces' boundary (vector layers without codes);
6. ``area_id`` being one of the provinces or one of their industrial zones (indicator
   rounds).

The area's factories, communities and zones themselves are found by rules 1, 2 and 5.

A table with none of these fields has no place and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from ecogis.webmap.provinces import Province, province

FACTORY_ID_FIELDS = ("factory_id", "provider_id", "receiver_id", "source_id")
"""Fields that hold a factory registration number (plus any ``*_factory_id``)."""


def _boundary(frames: dict[str, pd.DataFrame], codes: set[str]) -> Any:
    provinces = frames.get("provinces")
    if provinces is None or provinces.empty or not isinstance(provinces, gpd.GeoDataFrame):
        return None
    rows = provinces[provinces["pro_code"].astype("string").isin(codes).fillna(False)]
    return rows.geometry.union_all() if len(rows) else None


def _ids(frame: pd.DataFrame | None, column: str, codes: set[str], boundary: Any) -> set[str]:
    """Return the ``column`` values of the rows of ``frame`` in the area by code or by place."""
    if frame is None or column not in frame.columns:
        return set()
    mask = _by_code(frame, codes)
    if mask is None:
        mask = _by_geometry(frame, boundary)
    if mask is None:
        return set()
    return set(frame.loc[mask.fillna(False).to_numpy(dtype=bool), column].dropna().astype(str))


def in_area(
    frame: pd.DataFrame,
    pro_codes: Collection[str],
    *,
    boundary: Any = None,
    factory_ids: Collection[str] = (),
    community_ids: Collection[str] = (),
    zone_ids: Collection[str] = (),
) -> pd.DataFrame:
    """Pick the rows of ``frame`` that belong to provinces ``pro_codes`` (rules in the module doc).

    Parameters
    ----------
    frame
        Any workspace layer.
    pro_codes
        2-digit province codes.
    boundary
        The provinces' outline (a shapely geometry), for vector layers without codes.
    factory_ids, community_ids, zone_ids
        The area's factories, communities and industrial zones, for tables that refer to
        them.

    Returns
    -------
    pandas.DataFrame
        A row selection of ``frame`` (index kept; the input is not changed).
    """
    codes = {str(c) for c in pro_codes}

    def keep(mask: pd.Series) -> pd.DataFrame:
        return frame[mask.fillna(False).to_numpy(dtype=bool)]

    by_code = _by_code(frame, codes)
    if by_code is not None:
        return keep(by_code)
    id_cols = [c for c in frame.columns if c in FACTORY_ID_FIELDS or c.endswith("_factory_id")]
    if id_cols:
        wanted = set(factory_ids)
        mask = pd.Series(False, index=frame.index)
        for c in id_cols:
            mask |= frame[c].astype("string").isin(wanted).fillna(False)
        return keep(mask)
    if "community_id" in frame.columns:
        return keep(frame["community_id"].astype("string").isin(set(community_ids)))
    by_place = _by_geometry(frame, boundary)
    if by_place is not None:
        return keep(by_place)
    if "area_id" in frame.columns:
        return keep(frame["area_id"].astype("string").isin(codes | set(zone_ids)))
    return frame.iloc[0:0]


def _by_code(frame: pd.DataFrame, codes: set[str]) -> pd.Series | None:
    """Rules 1 and 2: by ``pro_code``, else ``amp_code`` (``None`` when neither is filled)."""
    if "pro_code" in frame.columns and frame["pro_code"].notna().any():
        return frame["pro_code"].astype("string").isin(codes)
    if "amp_code" in frame.columns and frame["amp_code"].notna().any():
        return frame["amp_code"].astype("string").str[:2].isin(codes)
    return None


def _by_geometry(frame: pd.DataFrame, boundary: Any) -> pd.Series | None:
    """Rule 5: geometry intersecting ``boundary`` (``None`` for tables or no boundary)."""
    if not isinstance(frame, gpd.GeoDataFrame) or boundary is None:
        return None
    placed = frame.geometry.notna() & ~frame.geometry.is_empty
    if not placed.any():
        return None
    return placed & frame.geometry.intersects(boundary)


def area_frames(
    frames: dict[str, pd.DataFrame], pro_codes: Collection[str]
) -> dict[str, pd.DataFrame]:
    """Every frame cut to provinces ``pro_codes`` with :func:`in_area`.

    Parameters
    ----------
    frames
        Layer name → frame, as :meth:`ecogis.workspace.Workspace.read` returns them.
    pro_codes
        2-digit province codes.

    Returns
    -------
    dict
        The same names, each frame cut to the area (the provinces layer to those
        provinces).
    """
    codes = {str(c) for c in pro_codes}
    boundary = _boundary(frames, codes)
    refs = {
        "factory_ids": _ids(frames.get("factories"), "factory_id", codes, boundary),
        "community_ids": _ids(frames.get("communities"), "community_id", codes, boundary),
        "zone_ids": _ids(frames.get("industrial_zones"), "zone_id", codes, boundary),
    }
    return {
        name: in_area(frame, codes, boundary=boundary, **refs) for name, frame in frames.items()
    }


@dataclass(frozen=True)
class Area:
    """What a map or report covers: some provinces, or (none given) the whole workspace.

    Parameters
    ----------
    provinces
        The provinces; empty for the whole workspace (a national map).
    """

    provinces: tuple[Province, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The provinces' 2-digit codes (empty: everywhere)."""
        return tuple(p.pro_code for p in self.provinces)

    @property
    def whole(self) -> bool:
        """Whether the area is the whole workspace."""
        return not self.provinces

    def name(self, lang: str) -> str:
        """How a title names the area, e.g. ``จังหวัดปราจีนบุรี (25)`` or ``All provinces``.

        Parameters
        ----------
        lang : str
            ``th`` or ``en``.

        Returns
        -------
        str
            ``ทุกจังหวัด``/``All provinces`` for the whole workspace, one province with its
            code, or the count and names of several.
        """
        if self.whole:
            return "ทุกจังหวัด" if lang == "th" else "All provinces"
        if len(self.provinces) == 1:
            p = self.provinces[0]
            name = f"จังหวัด{p.name_th}" if lang == "th" else f"{p.name_en} province"
            return f"{name} ({p.pro_code})"
        names = ", ".join(p.name(lang) for p in self.provinces)
        return (
            f"{len(self.provinces)} จังหวัด: {names}"
            if lang == "th"
            else (f"{len(self.provinces)} provinces: {names}")
        )


def parse_area(text: str | None) -> Area | None:
    """Parse the area a ``--province`` option names.

    Parameters
    ----------
    text
        ``None`` (no option: the whole workspace, as before), ``all``, one 2-digit code, or
        codes separated by commas or spaces (``21,24,25``).

    Returns
    -------
    Area or None
        ``None`` when ``text`` is ``None``.

    Raises
    ------
    InputFileError
        When a code is not one of Thailand's 77 province codes.
    """
    if text is None:
        return None
    words = [w for w in re.split(r"[,\s]+", text.strip()) if w]
    if not words or [w.lower() for w in words] == ["all"]:
        return Area()
    return Area(tuple(dict.fromkeys(province(w) for w in words)))
