"""Which rows of each layer a provincial copy holds, decided from the layer contracts.

One rule per layer, the first its contract allows (no list of layer names):

1. **reference** — a layer a factory points into: its key is a single field that the
   ``factories`` contract carries too (``provinces`` by ``pro_code``, ``districts`` by
   ``amp_code``, ``industrial_zones`` by ``zone_id``). These shared reference layers come
   whole, so every factory of the copy finds its province, district and zone and maps show
   the neighbours.
2. **province** — a layer with a ``pro_code`` field: the rows of the province (factories,
   communities, action plans, activities, …), the rows row-level security lets the
   province's role write (``ecogis db grant``).
3. **factories** — a layer with fields that reference ``factories.factory_id``: the rows of
   the province's factories in any of those fields (compliance, material flows, activity
   attendance, risk rings, symbiosis links of which one end is in the province).
4. **communities** — fields that reference ``communities.community_id``: the rows of the
   province's communities.
5. **place** — another vector layer (roads, water): the features within the province's
   extent (bounding box of its boundary, else of its factories).
6. **whole** — any other table (catalogue-like summaries).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from ecogis import schema
from ecogis.workspace import Workspace

FACTORY_REF = "factories.factory_id"
COMMUNITY_REF = "communities.community_id"
_CHUNK = 2000  # ids per IN (…) filter: far below any driver's parameter limit


@dataclass(frozen=True)
class LayerScope:
    """How the copy's rows of one layer are chosen.

    Attributes
    ----------
    layer : str
        The contract layer.
    rule : str
        ``"reference"``, ``"province"``, ``"factories"``, ``"communities"``, ``"place"``
        or ``"whole"`` (the module docstring's rules).
    fields : tuple of str
        The fields the rule selects on (``pro_code``, or the fields referencing
        factories or communities); empty for the other rules.
    """

    layer: str
    rule: str  # "reference" | "province" | "factories" | "communities" | "place" | "whole"
    fields: tuple[str, ...] = ()

    def describe(self) -> str:
        """Describe the rule in words, for ``ecogis sync pull``'s summary.

        Returns
        -------
        str
            E.g. ``"rows of the province (pro_code)"``.
        """
        return {
            "reference": "all rows (shared reference)",
            "whole": "all rows (no province field)",
            "province": "rows of the province (pro_code)",
            "factories": f"rows of the province's factories ({', '.join(self.fields)})",
            "communities": f"rows of the province's communities ({', '.join(self.fields)})",
            "place": "features within the province's extent",
        }[self.rule]


def _referencing(contract: schema.LayerContract, target: str) -> tuple[str, ...]:
    return tuple(f.name for f in contract.fields if f.references == target)


def layer_scope(contract: schema.LayerContract) -> LayerScope:
    """Return the rule of the module docstring for one layer.

    Parameters
    ----------
    contract : schema.LayerContract
        The layer's contract.

    Returns
    -------
    LayerScope
        The first rule the contract allows.
    """
    factories = schema.contract("factories")
    plain = set(factories.field_names) - set(factories.key)
    name = contract.name
    if name != "factories" and len(contract.key) == 1 and contract.key[0] in plain:
        return LayerScope(name, "reference")
    if contract.has_field("pro_code"):
        return LayerScope(name, "province", ("pro_code",))
    if refs := _referencing(contract, FACTORY_REF):
        return LayerScope(name, "factories", refs)
    if refs := _referencing(contract, COMMUNITY_REF):
        return LayerScope(name, "communities", refs)
    if contract.is_spatial:
        return LayerScope(name, "place")
    return LayerScope(name, "whole")


def synced_layers(ws: Workspace) -> list[str]:
    """List the layers of ``ws`` a copy carries.

    Every layer with a contract (a business key), referenced layers before the layers that
    refer to them.

    Parameters
    ----------
    ws : Workspace
        The central workspace.

    Returns
    -------
    list of str
        Layer names in :func:`dependency_order`.
    """
    names = [n for n in ws.layer_names() if schema.has_contract(n)]
    return dependency_order(names)


def dependency_order(names: Iterable[str]) -> list[str]:
    """``names`` with each layer after the layers its fields reference.

    ``factories`` comes before ``compliance``: the order rows are added in; deletions go
    the other way.

    Parameters
    ----------
    names : Iterable of str
        Contract layer names.

    Returns
    -------
    list of str
        The same names, referenced layers first, otherwise alphabetical (a reference
        cycle is broken where it is met).
    """
    names = sorted(names)
    wanted = set(names)
    done: list[str] = []
    seen: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in seen or name in path:
            return
        for f in schema.contract(name).fields:
            target = (f.references or "").split(".")[0]
            if target in wanted and target != name:
                visit(target, (*path, name))
        seen.add(name)
        done.append(name)

    for n in names:
        visit(n, ())
    return done


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def read_by_values(
    ws: Workspace, layer: str, fields: Iterable[str], values: Iterable[str]
) -> pd.DataFrame:
    """Read the rows of ``layer`` whose value in any of ``fields`` is one of ``values``.

    Read in chunks of 2,000 values per filter; rows found twice are kept once.

    Parameters
    ----------
    ws : Workspace
        The workspace to read.
    layer : str
        A contract layer.
    fields : Iterable of str
        The fields to match on (any of them).
    values : Iterable of str
        The wanted values (compared as text).

    Returns
    -------
    pandas.DataFrame
        The matching rows (a GeoDataFrame for a vector layer), one per business key,
        with a fresh index; no rows when nothing matches.
    """
    wanted = sorted({str(v) for v in values})
    contract = schema.contract(layer)
    parts = [ws.read(layer, filters={f: chunk}) for f in fields for chunk in _chunks(wanted)]
    if not parts:
        return ws.read(layer, filters={contract.field_names[0]: []})
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if isinstance(parts[0], gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=parts[0].crs)
    keys = schema.join_key(frame, list(contract.key))
    return frame[~keys.duplicated().to_numpy()].reset_index(drop=True)


def read_keys(ws: Workspace, layer: str, keys: Iterable[str]) -> pd.DataFrame:
    """Read the stored rows of ``layer`` with these joined business keys (absent ones left out).

    Parameters
    ----------
    ws : Workspace
        The workspace to read.
    layer : str
        A contract layer.
    keys : Iterable of str
        Joined business keys (:func:`ecogis.schema.join_key`).

    Returns
    -------
    pandas.DataFrame
        The rows found (a GeoDataFrame for a vector layer), with a fresh index.
    """
    contract = schema.contract(layer)
    key = list(contract.key)
    wanted = set(keys)
    if not wanted:
        return ws.read(layer, filters={key[0]: []})
    first = {k.split("\x1f")[0] for k in wanted}
    frame = read_by_values(ws, layer, [key[0]], first)
    return frame[schema.join_key(frame, key).isin(wanted).to_numpy()].reset_index(drop=True)


class ProvinceRows:
    """Reads the rows of one province from a workspace, layer by layer (module rules).

    Parameters
    ----------
    ws : Workspace
        The central workspace.
    province : str
        The 2-digit province code (``pro_code``).
    """

    def __init__(self, ws: Workspace, province: str) -> None:
        self.ws = ws
        self.province = province
        self._factory_ids: list[str] | None = None
        self._community_ids: list[str] | None = None

    def factory_ids(self) -> list[str]:
        """Registration numbers of the province's factories.

        Returns
        -------
        list of str
            Sorted ``factory_id`` values of the factories with this ``pro_code`` (read once,
            then remembered); empty without a factories layer.
        """
        if self._factory_ids is None:
            self._factory_ids = self._ids("factories", "factory_id")
        return self._factory_ids

    def community_ids(self) -> list[str]:
        """Ids of the province's communities.

        Returns
        -------
        list of str
            Sorted ``community_id`` values with this ``pro_code`` (read once); empty without
            a communities layer.
        """
        if self._community_ids is None:
            self._community_ids = self._ids("communities", "community_id")
        return self._community_ids

    def _ids(self, layer: str, column: str) -> list[str]:
        if not self.ws.has_layer(layer):
            return []
        frame = self.ws.read(layer, columns=[column], filters={"pro_code": self.province})
        return sorted(frame[column].dropna().astype(str).unique())

    def extent(self) -> tuple[float, float, float, float] | None:
        """Return the province's bounding box in degrees (its boundary, else its factories).

        Returns
        -------
        tuple of float or None
            (min lon, min lat, max lon, max lat) in degrees (EPSG:4326), or ``None`` when
            neither layer has a placed feature of the province.
        """
        for layer in ("provinces", "factories"):
            if not self.ws.has_layer(layer):
                continue
            frame = self.ws.read(layer, filters={"pro_code": self.province})
            if isinstance(frame, gpd.GeoDataFrame):
                placed = frame.geometry.dropna()
                placed = placed[~placed.is_empty]
                if len(placed):
                    w, s, e, n = (float(v) for v in placed.total_bounds)
                    return (w, s, e, n)
        return None

    def read(self, layer: str) -> pd.DataFrame:
        """Read the province's rows of ``layer`` by its :func:`layer_scope`.

        Parameters
        ----------
        layer : str
            A contract layer.

        Returns
        -------
        pandas.DataFrame
            The rows (a GeoDataFrame for a vector layer); for ``place`` the features
            intersecting :meth:`extent` (the whole layer when there is none).
        """
        scope = layer_scope(schema.contract(layer))
        if scope.rule == "province":
            return self.ws.read(layer, filters={"pro_code": self.province})
        if scope.rule == "factories":
            return read_by_values(self.ws, layer, scope.fields, self.factory_ids())
        if scope.rule == "communities":
            return read_by_values(self.ws, layer, scope.fields, self.community_ids())
        if scope.rule == "place":
            box = self.extent()
            return self.ws.read(layer, bbox=box) if box is not None else self.ws.read(layer)
        return self.ws.read(layer)

    def holds_province(self) -> bool:
        """Whether the database has the province: in its provinces layer, or factories.

        Returns
        -------
        bool
            True when a row of ``provinces`` or ``factories`` has this ``pro_code``.
        """
        for layer in ("provinces", "factories"):
            if self.ws.has_layer(layer):
                found = self.ws.read(
                    layer, columns=["pro_code"], filters={"pro_code": self.province}
                )
                if len(found):
                    return True
        return False

    def known_provinces(self) -> list[str]:
        """List the province codes the database holds (for the message when one is missing).

        Returns
        -------
        list of str
            Sorted ``pro_code`` values of ``provinces`` (else of ``factories``); empty when
            neither has any.
        """
        for layer in ("provinces", "factories"):
            if self.ws.has_layer(layer):
                codes = self.ws.read(layer, columns=["pro_code"])["pro_code"].dropna()
                if len(codes):
                    return sorted(codes.astype(str).unique())
        return []
