"""The map's data document in compact form: columns, typed arrays, deflate, base64.

A national map carries 140,000 factories with their popup fields. As one JSON object per
point that is about 165 bytes a point (23 MB); here it is a few bytes:

* **Columns, not rows.** A point layer is one array per field.
* **Coordinates** are quantised to 1e-5° (1.1 m north–south, ~1.07 m east–west at 15° N)
  and stored as little-endian ``Int32`` pairs (lon, lat).
* **Text** is dictionary-encoded: each distinct string of a column is written once, and
  rows hold its number (``Uint8``/``Uint16``/``Uint32``; 0 is empty). A column whose rows
  are all distinct (names, registration numbers) needs no numbers at all.
* **Numbers** are ``Int32`` (integers, ``-2**31`` for empty) or ``Float64`` (NaN for empty);
  yes/no are ``Uint8`` (0 no, 1 yes, 2 empty).
* **The whole document** — JSON text (UTF-8, Thai as it is) followed by the binary arrays —
  is compressed with raw deflate and written as base64, which holds no character that
  could end a ``<script>`` element. The browser inflates it with the vendored ``fflate``.

Layout of the inflated bytes: ``ECO1``, the JSON length (``Uint32``), the JSON, then the
arrays, each starting on an 8-byte boundary so the browser views them without copying. In
the JSON an array is ``{"$b": [type, byte offset, length]}``.

:func:`read_document` is the same decoder in Python, for tests and for anyone checking
what a page carries.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

MAGIC = b"ECO1"
QUANTUM = 1e5
"""Coordinates are stored as ``round(degrees * QUANTUM)``: 1e-5° ≈ 1.1 m."""
INT_NULL = -(2**31)
TYPES = {"i32": "<i4", "u8": "<u1", "u16": "<u2", "u32": "<u4", "f64": "<f8"}


class Blobs:
    """The binary arrays of one document, in order, each aligned to 8 bytes."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, array: npt.NDArray[Any], kind: str) -> dict[str, list[Any]]:
        """Append ``array`` as type ``kind`` (a key of :data:`TYPES`); return its reference.

        Parameters
        ----------
        array : numpy.ndarray
            The values (flattened; converted to little-endian ``kind``).
        kind : str
            ``i32``, ``u8``, ``u16``, ``u32`` or ``f64``.

        Returns
        -------
        dict of str to list
            ``{"$b": [kind, byte offset, element count]}``, to place in the document.
        """
        data = np.ascontiguousarray(array, dtype=TYPES[kind]).tobytes()
        ref = {"$b": [kind, self.size, int(np.asarray(array).size)]}
        pad = (-len(data)) % 8
        self.parts.append(data + b"\0" * pad)
        self.size += len(data) + pad
        return ref


def pack_document(config: dict[str, Any], blobs: Blobs) -> str:
    """``config`` and its arrays as deflated, base64 text (safe inside ``<script>``).

    Parameters
    ----------
    config
        The map document (JSON-ready; arrays referenced from ``blobs``).
    blobs
        The arrays :meth:`Blobs.add` returned references to.

    Returns
    -------
    str
        Base64 text of the raw-deflated payload.
    """
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    head = text.encode("utf-8")
    pad = (-(8 + len(head))) % 8
    payload = b"".join([MAGIC, struct.pack("<I", len(head)), head, b" " * pad, *blobs.parts])
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(payload) + compressor.flush()
    return base64.b64encode(packed).decode("ascii")


def unpack_document(text: str) -> dict[str, Any]:
    """Inverse of :func:`pack_document`: the document with arrays as numpy arrays.

    Parameters
    ----------
    text : str
        :func:`pack_document` output (base64 of raw deflate).

    Returns
    -------
    dict of str to Any
        The document; every ``{"$b": …}`` reference replaced by a read-only numpy array
        over the payload.

    Raises
    ------
    ValueError
        When the payload does not start with the ``ECO1`` magic.
    """
    payload = zlib.decompress(base64.b64decode(text), -15)
    if payload[:4] != MAGIC:
        raise ValueError("not an ecogis map document")
    (length,) = struct.unpack("<I", payload[4:8])
    config = json.loads(payload[8 : 8 + length].decode("utf-8"))
    start = 8 + length + ((-(8 + length)) % 8)
    body = payload[start:]

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            if "$b" in value and len(value) == 1:
                kind, offset, n = value["$b"]
                return np.frombuffer(body, dtype=TYPES[kind], count=n, offset=offset)
            return {k: resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    return dict(resolve(config))


_DOC = re.compile(
    r'<script type="application/octet-stream"[^>]*data-ecogis="document"[^>]*>([A-Za-z0-9+/=]*)'
    r"</script>"
)


def read_document(html: str) -> dict[str, Any]:
    """Read the data document of a map page, decoded (point layers back to plain columns).

    Parameters
    ----------
    html
        A page written by :func:`ecogis.webmap.save_map` (or a report's ``srcdoc``).

    Returns
    -------
    dict
        The document; each point layer's ``points`` holds ``lon``, ``lat`` (lists of
        degrees) and ``columns`` (field → list of values, ``None`` for empty).

    Raises
    ------
    ValueError
        When the page carries no (or more than one) document.
    """
    found = _DOC.findall(html)
    if len(found) != 1:
        raise ValueError(f"expected one map document in the page, found {len(found)}")
    doc = unpack_document(found[0])
    for layer in doc.get("layers", []):
        if "points" in layer:
            layer["points"] = decode_points(layer["points"])
    return doc


# ----------------------------------------------------------------------------- points
def encode_points(frame: pd.DataFrame, columns: list[str], blobs: Blobs) -> dict[str, Any]:
    """Encode a point layer's coordinates and ``columns`` in compact form.

    Parameters
    ----------
    frame
        A GeoDataFrame of points (rows without a point are left out: unplaced factories
        cannot be drawn); other geometries are placed at a representative point.
    columns
        The fields to carry (popup, search, style).
    blobs
        Where the arrays go.

    Returns
    -------
    dict
        ``{"n", "xy", "cols"}`` (see the module docstring).
    """
    import shapely

    geom = frame.geometry
    ok = (geom.notna() & ~geom.is_empty).to_numpy(dtype=bool)
    sub = frame[ok]
    pts = sub.geometry
    if len(pts) and not (pts.geom_type == "Point").all():
        pts = pts.representative_point()
    xy = shapely.get_coordinates(pts.to_numpy()) if len(pts) else np.zeros((0, 2))
    quantised = np.round(xy * QUANTUM).astype("<i4")
    cols = {
        name: encode_column(
            sub[name] if name in sub.columns else pd.Series(None, index=sub.index, dtype=object),
            blobs,
        )
        for name in columns
    }
    return {"n": len(sub), "xy": blobs.add(quantised.reshape(-1), "i32"), "cols": cols}


def encode_column(col: pd.Series, blobs: Blobs) -> dict[str, Any]:
    """One column: dictionary-encoded text, ``Int32``/``Float64`` numbers or yes/no bytes.

    Parameters
    ----------
    col : pandas.Series
        The column.
    blobs : Blobs
        Where the arrays go.

    Returns
    -------
    dict of str to Any
        ``{"bool": ref}`` (bytes 0/1, 2 = empty), ``{"int": ref}`` (int32, :data:`INT_NULL`
        = empty; ``num`` when out of range), ``{"num": ref}`` (float64, NaN = empty), or
        ``{"values": [...], "codes": ref}`` (codes 1-based into ``values``, 0 = empty;
        without ``codes`` when every row has its own value).
    """
    if pd.api.types.is_bool_dtype(col.dtype):
        vals = col.astype("boolean")
        data = np.where(vals.isna().to_numpy(), 2, vals.fillna(False).to_numpy(dtype=bool))
        return {"bool": blobs.add(data.astype("u1"), "u8")}
    if pd.api.types.is_integer_dtype(col.dtype):
        nums = pd.to_numeric(col, errors="coerce").astype("float64").to_numpy()
        finite = nums[~np.isnan(nums)]
        if not len(finite) or (finite.min() > INT_NULL and finite.max() < 2**31):
            data = np.where(np.isnan(nums), INT_NULL, nums).astype("<i4")
            return {"int": blobs.add(data, "i32")}
        return {"num": blobs.add(nums, "f64")}
    if pd.api.types.is_float_dtype(col.dtype):
        nums = col.astype("float64").to_numpy()
        return {"num": blobs.add(np.where(np.isfinite(nums), nums, np.nan), "f64")}
    codes, uniques = pd.factorize(col.astype(object), use_na_sentinel=True)
    values = [_json_value(u) for u in uniques.tolist()]
    if len(values) == len(col) and bool((codes >= 0).all()):
        return {"values": values}  # every row its own string: no numbers needed
    codes = codes.astype("int64") + 1  # 0 = empty
    kind = "u8" if len(values) < 255 else "u16" if len(values) < 65535 else "u32"
    return {"values": values, "codes": blobs.add(codes, kind)}


def _json_value(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def decode_points(points: dict[str, Any]) -> dict[str, Any]:
    """Plain lists from an encoded point layer (what the browser's decoder makes).

    Parameters
    ----------
    points : dict of str to Any
        An encoded point layer (:func:`encode_points`) with its arrays resolved
        (:func:`unpack_document`).

    Returns
    -------
    dict of str to Any
        ``lon`` and ``lat`` (lists of degrees) and ``columns`` (field → list of values,
        ``None`` for empty).
    """
    xy = np.asarray(points["xy"], dtype="float64").reshape(-1, 2) / QUANTUM
    return {
        "lon": xy[:, 0].tolist(),
        "lat": xy[:, 1].tolist(),
        "columns": {k: decode_column(v, points["n"]) for k, v in points["cols"].items()},
    }


def decode_column(spec: dict[str, Any], n: int) -> list[Any]:
    """Values of one encoded column (``None`` for empty).

    Parameters
    ----------
    spec : dict of str to Any
        An :func:`encode_column` result with its arrays resolved.
    n : int
        The number of rows (points) of the layer.

    Returns
    -------
    list of Any
        One value per row, in order.
    """
    if "bool" in spec:
        return [None if b == 2 else bool(b) for b in spec["bool"].tolist()]
    if "int" in spec:
        return [None if v == INT_NULL else int(v) for v in spec["int"].tolist()]
    if "num" in spec:
        return [None if v != v else float(v) for v in spec["num"].tolist()]
    values = spec["values"]
    if "codes" not in spec:
        return list(values)
    return [None if c == 0 else values[c - 1] for c in spec["codes"].tolist()]
