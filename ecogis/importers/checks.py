"""Traps in real files: wrong file types, garbled Thai text, coordinates not what they claim.

Each check either returns what it found (so the caller can flag rows) or raises an
:class:`~ecogis.errors.EcogisError` whose message names the file, row and field, says what
is wrong and how to fix it. Nothing here changes data silently.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

from ecogis.crs import THAILAND_BOUNDS
from ecogis.errors import CRSError, InputFileError

# ---------------------------------------------------------------------------- file kinds

_THAI = re.compile("[\u0e00-\u0e7f]")
# UTF-8 Thai bytes (E0 B8 xx / E0 B9 xx) decoded as Latin-1 or cp1252 give "à¸" / "à¹".
_UTF8_AS_LATIN1 = re.compile("à[¸¹º]")
# cp874 / TIS-620 Thai bytes (A1–FB) decoded as Latin-1 give accented Latin letters.
_LATIN1_HIGH = re.compile("[\u00a1-\u00fb]")

_SUSPECT = "\ufffd|à[¸¹º]|[\u00a1-\u00fb]"

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
VECTOR_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb", ".kml", ".gml"}


def sniff_kind(path: Path) -> str:
    """Say what a file really is from its first bytes.

    Parameters
    ----------
    path : Path
        The file; its first 4096 bytes are read, the extension is not looked at.

    Returns
    -------
    str
        One of ``empty``, ``zip``, ``sqlite``, ``ole`` (old Excel .xls), ``pdf``, ``html``,
        ``xml``, ``json``, ``utf16``, ``text`` or ``binary``.

    Raises
    ------
    OSError
        The file cannot be opened.
    """
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in text[:512]:
        return "html"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "xml"
    if text.startswith((b"{", b"[")):
        return "json"
    if b"\x00" in head:
        return "binary"
    return "text"


_KIND_WORDS = {
    "empty": "empty",
    "zip": "a ZIP archive (an .xlsx workbook, a zipped Shapefile or other archive)",
    "sqlite": "an SQLite database (a GeoPackage?)",
    "ole": "an old Excel .xls workbook",
    "pdf": "a PDF document",
    "html": "a web page (HTML), e.g. an error page or a download saved from a browser",
    "xml": "an XML document",
    "json": "a JSON document",
    "utf16": "UTF-16 text",
    "text": "plain text",
    "binary": "a binary file",
}


def require_kind(path: Path) -> str:
    """Check that a file is what its extension says; return the sniffed kind.

    Parameters
    ----------
    path : Path
        The file to import; its extension says what it should be (``.csv``, ``.xlsx``,
        ``.geojson``, ``.gpkg``, ``.shp``, ``.zip`` …).

    Returns
    -------
    str
        The kind :func:`sniff_kind` found (``text``, ``zip``, ``sqlite`` …).

    Raises
    ------
    InputFileError
        For a missing file or a folder, an empty file, an unsupported extension, a file
        whose content does not match its extension (HTML saved as .csv, a ZIP named
        .geojson, a PDF named .xlsx …), or an .xlsx that is a damaged ZIP or not a workbook.
    """
    if not path.exists():
        raise InputFileError("file not found", source=path, fix="check the path and the name")
    if path.is_dir():
        raise InputFileError("is a folder, not a file", source=path, fix="give the file inside it")
    kind = sniff_kind(path)
    suffix = path.suffix.lower()
    if kind == "empty":
        raise InputFileError(
            "the file is empty", source=path, fix="export the data again; nothing to import"
        )
    allowed: dict[str, set[str]] = {
        ".csv": {"text", "utf16"},
        ".txt": {"text", "utf16"},
        ".tsv": {"text", "utf16"},
        ".xlsx": {"zip"},
        ".xlsm": {"zip"},
        ".xls": {"ole"},
        ".geojson": {"json"},
        ".json": {"json"},
        ".gpkg": {"sqlite"},
        ".zip": {"zip"},
        ".kml": {"xml"},
        ".gml": {"xml"},
        ".shp": {"binary", "text"},
        ".fgb": {"binary", "text"},
    }
    expected = allowed.get(suffix)
    if expected is None:
        raise InputFileError(
            f"unsupported file type {suffix or '(no extension)'}",
            source=path,
            fix="give a .csv, .xlsx, .geojson, .gpkg, .shp or .zip (zipped Shapefile) file",
        )
    if kind not in expected:
        fix = "export it again in the format its name says"
        if kind == "zip" and suffix in TEXT_SUFFIXES:
            fix = "it looks like an Excel workbook: rename it to .xlsx"
        elif kind == "zip":
            fix = "unzip it first, or rename it to .zip if it is a zipped Shapefile"
        elif kind == "html":
            fix = "the download probably failed; open it in a browser and download the real file"
        elif kind == "json" and suffix in TEXT_SUFFIXES:
            fix = "rename it to .geojson if it is GeoJSON"
        elif kind == "sqlite":
            fix = "rename it to .gpkg"
        raise InputFileError(
            f"is not a {suffix} file: its content is {_KIND_WORDS.get(kind, kind)}",
            source=path,
            fix=fix,
        )
    if suffix == ".xlsx" or suffix == ".xlsm":
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise InputFileError(
                "is a damaged ZIP/Excel file", source=path, fix="save the workbook again"
            ) from exc
        if "xl/workbook.xml" not in names:
            raise InputFileError(
                "is a ZIP archive but not an Excel workbook",
                source=path,
                fix="unzip it, or rename it to .zip if it is a zipped Shapefile",
            )
    return kind


# ---------------------------------------------------------------------------- Thai text


def garbled_kind(text: str) -> str | None:
    """Say whether one text value looks like Thai decoded with the wrong encoding.

    Parameters
    ----------
    text : str
        One cell's text (or a column name).

    Returns
    -------
    str or None
        ``"utf8-as-latin1"`` (``à¸`` sequences: UTF-8 read as Latin-1/cp1252),
        ``"cp874-as-latin1"`` (TIS-620/cp874 bytes read as Latin-1: accented Latin letters
        that decode to Thai as cp874), ``"replacement"`` (U+FFFD characters: bytes that were
        not valid in the encoding used) or ``None`` when the text looks fine.
    """
    if "\ufffd" in text:
        return "replacement"
    if _UTF8_AS_LATIN1.search(text):
        return "utf8-as-latin1"
    high = _LATIN1_HIGH.findall(text)
    if len(high) >= 3 and not _THAI.search(text) and len(high) >= 0.3 * len(text.replace(" ", "")):
        try:
            as_thai = text.encode("latin-1").decode("cp874")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
        if len(_THAI.findall(as_thai)) >= len(high) * 0.8:
            return "cp874-as-latin1"
    return None


def check_text_encoding(
    frame: pd.DataFrame,
    *,
    source: str | Path,
    first_row: int = 2,
    columns: Iterable[str] | None = None,
    encoding: str | None = None,
) -> None:
    """Raise when text in ``frame`` looks like Thai read with the wrong encoding.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows as read.
    source : str or Path
        File name for the message.
    first_row : int, default 2
        The row number a person sees for ``frame``'s first row (2 for a file with a header),
        used when the index does not hold the spreadsheet rows (as ``read_table``'s does).
    columns : Iterable[str] or None, default None
        Which columns to check (all object/string columns by default; ``geometry`` never).
    encoding : str or None, default None
        The encoding the user asked for, if any (changes the advice).

    Raises
    ------
    InputFileError
        Naming the first garbled row and field, with the encoding to use instead.
    """
    cols = list(columns) if columns is not None else list(frame.columns)
    for col in cols:
        if col == "geometry" or col not in frame.columns:
            continue
        series = frame[col]
        if not (series.dtype == object or isinstance(series.dtype, pd.StringDtype)):
            continue
        text = series.astype("string")
        # Only values with suspicious characters are examined one by one.
        suspect = text.str.contains(_SUSPECT, regex=True).fillna(False).to_numpy(dtype=bool)
        for pos in np.flatnonzero(suspect):
            value = str(text.iloc[pos])
            kind = garbled_kind(value)
            if kind is None:
                continue
            sample = value[:24]
            if kind == "utf8-as-latin1":
                what = f"Thai text is garbled ({sample!r}): UTF-8 bytes were read as Latin-1"
                fix = "pass --encoding utf-8 (or save the file again as UTF-8)"
            elif kind == "cp874-as-latin1":
                what = f"Thai text is garbled ({sample!r}): TIS-620/cp874 bytes read as Latin-1"
                fix = "pass --encoding cp874"
            else:
                what = f"text has characters that could not be decoded ({sample!r})"
                fix = (
                    "pass --encoding cp874 (Thai Windows/TIS-620 files)"
                    if encoding in (None, "utf-8", "utf8", "utf-8-sig")
                    else "pass the file's real encoding with --encoding (utf-8 or cp874)"
                )
            label: Any = frame.index[int(pos)]
            row = int(label) if isinstance(label, int | np.integer) else first_row + int(pos)
            raise InputFileError(what, source=source, row=row, field=str(col), fix=fix)


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(raw: bytes, *, source: str | Path, encoding: str | None) -> str:
    """Decode a text file: the given encoding, else UTF-8 (BOM or not) or UTF-16 by BOM.

    Parameters
    ----------
    raw : bytes
        The whole file.
    source : str or Path
        File name for the message.
    encoding : str or None
        ``--encoding`` (e.g. ``cp874``); ``None`` detects UTF-16 by its byte-order mark and
        reads anything else as UTF-8.

    Returns
    -------
    str
        The text, without a leading BOM.

    Raises
    ------
    InputFileError
        For an unknown encoding, or when the bytes are not valid in the encoding (naming the
        line); if they decode as Thai cp874, the message says so and suggests
        ``--encoding cp874``.
    """
    if encoding:
        try:
            text = raw.decode(encoding)
        except LookupError as exc:
            raise InputFileError(
                f"unknown encoding {encoding!r}",
                source=source,
                fix="use utf-8, utf-8-sig or cp874 (tis-620)",
            ) from exc
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            fix = "check the file's encoding (utf-8 or cp874) and pass it with --encoding"
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                fix = "the file is UTF-16 (it starts with a byte-order mark): leave out --encoding"
            elif _decodes(raw, "utf-8-sig"):
                fix = "the file is UTF-8: leave out --encoding (or pass --encoding utf-8)"
            raise InputFileError(
                f"bytes at line {line} are not valid {encoding}", source=source, fix=fix
            ) from exc
        return text.lstrip("\ufeff")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputFileError(
                "the UTF-16 file is cut or damaged (an odd number of bytes or a broken pair)",
                source=source,
                fix="export the table again (Excel: Save As → CSV UTF-8)",
            ) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            thai = raw.decode("cp874")
        except UnicodeDecodeError:
            thai = ""
        if _THAI.search(thai):
            raise InputFileError(
                f"the file is not UTF-8 (line {line}); its Thai text looks like TIS-620/cp874",
                source=source,
                fix="pass --encoding cp874",
            ) from exc
        raise InputFileError(
            f"the file is not UTF-8 (line {line})",
            source=source,
            fix="pass its encoding with --encoding (e.g. cp874 for Thai Windows files)",
        ) from exc


# ---------------------------------------------------------------------------- coordinates

PLACEHOLDER_VALUES = (0.0, 1.0, 999.0, -999.0, 9999.0, -9999.0, 99999.0, -99999.0)
"""Numbers registries write for an unknown position (DIW: 0 and 1; other tools: 999, -9999)."""

COORD_OK = "ok"
COORD_MISSING = "missing"
COORD_PLACEHOLDER = "placeholder"
COORD_OUTSIDE = "outside_thailand"
COORD_SWAPPED = "swapped"  # detected; becomes "swapped_fixed" only with --swap-latlon
COORD_METRES = "metres"


def inside_thailand(lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Return True where (lon, lat) lies in :data:`ecogis.crs.THAILAND_BOUNDS`.

    Parameters
    ----------
    lon, lat : array_like
        Longitudes and latitudes in decimal degrees (WGS 84), the same shape.

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the point is inside the bounding box (edges included); ``False`` for
        NaN.
    """
    x = np.asarray(lon, dtype="float64")
    y = np.asarray(lat, dtype="float64")
    minx, miny, maxx, maxy = THAILAND_BOUNDS
    return (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)


def classify_coordinates(lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Classify each coordinate pair of a point file meant to be in degrees (WGS 84).

    Parameters
    ----------
    lon, lat : array_like
        Longitudes (x) and latitudes (y) as read, the same shape; NaN for blanks.

    Returns
    -------
    numpy.ndarray of str
        ``ok``; ``missing`` (blank/NaN); ``placeholder`` (0 or 1 for either coordinate, as
        the DIW registry writes for unknown positions, or 999/-9999 …); ``swapped``
        (latitude and longitude exchanged: the pair is in Thailand only when swapped);
        ``metres`` (numbers far beyond ±180, i.e. a projected CRS such as UTM);
        ``outside_thailand`` (anything else outside :data:`~ecogis.crs.THAILAND_BOUNDS`).
    """
    x = np.asarray(lon, dtype="float64")
    y = np.asarray(lat, dtype="float64")
    out = np.full(x.shape, COORD_OK, dtype=object)
    missing = ~np.isfinite(x) | ~np.isfinite(y)
    placeholder = ~missing & (np.isin(x, PLACEHOLDER_VALUES) | np.isin(y, PLACEHOLDER_VALUES))
    inside = inside_thailand(x, y)
    swapped = ~missing & ~placeholder & ~inside & inside_thailand(y, x)
    metres = ~missing & ~placeholder & ((np.abs(x) > 180) | (np.abs(y) > 90))
    out[~inside] = COORD_OUTSIDE
    out[metres] = COORD_METRES
    out[swapped] = COORD_SWAPPED
    out[placeholder] = COORD_PLACEHOLDER
    out[missing] = COORD_MISSING
    return out.astype(str)


def guess_utm_epsg(x: npt.ArrayLike, y: npt.ArrayLike) -> list[int]:
    """Which UTM CRSs would put metre coordinates inside Thailand.

    Tries WGS 84 / UTM 47N and 48N (EPSG:32647, 32648) and returns those that place at
    least 90 % of the finite points inside Thailand's bounds, best first.

    Parameters
    ----------
    x, y : array_like
        Eastings and northings in metres; non-finite pairs are left out.

    Returns
    -------
    list[int]
        EPSG codes (32647, 32648), the one placing the larger share first; empty when
        neither fits or no pair is finite.
    """
    xs = np.asarray(x, dtype="float64")
    ys = np.asarray(y, dtype="float64")
    ok = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[ok], ys[ok]
    if len(xs) == 0:
        return []
    scores: list[tuple[float, int]] = []
    for epsg in (32647, 32648):
        tr = Transformer.from_crs(epsg, 4326, always_xy=True)
        lon, lat = tr.transform(xs, ys)
        share = float(inside_thailand(lon, lat).mean())
        if share >= 0.9:
            scores.append((share, epsg))
    scores.sort(key=lambda s: -s[0])
    return [epsg for _, epsg in scores]


def metres_without_crs_error(
    x: npt.ArrayLike, y: npt.ArrayLike, *, source: str | Path, row: int | None = None
) -> CRSError:
    """Make the error for a file whose coordinates are metres but whose CRS says degrees/none.

    Parameters
    ----------
    x, y : array_like
        The coordinates as read (metres); their range is shown in km.
    source : str or Path
        File named in the error.
    row : int or None, default None
        Spreadsheet row or feature named in the error.

    Returns
    -------
    CRSError
        Not raised: the caller raises it. Its fix names the UTM zone that puts the points in
        Thailand (``--crs EPSG:32647`` …, and the Indian 1975 alternative), or asks for the
        real CRS when none does.
    """
    xs = np.asarray(x, dtype="float64")
    ys = np.asarray(y, dtype="float64")
    ok = np.isfinite(xs) & np.isfinite(ys)
    rng = ""
    if ok.any():
        rng = (
            f" (E {np.nanmin(xs[ok]) / 1000:,.0f}–{np.nanmax(xs[ok]) / 1000:,.0f} km, "
            f"N {np.nanmin(ys[ok]) / 1000:,.0f}–{np.nanmax(ys[ok]) / 1000:,.0f} km)"
        )
    candidates = guess_utm_epsg(xs, ys)
    if candidates:
        zone = {32647: "UTM zone 47N", 32648: "UTM zone 48N"}[candidates[0]]
        fix = f"pass --crs EPSG:{candidates[0]}"
        if len(candidates) > 1:
            fix += f" (or EPSG:{candidates[1]}; both fall in Thailand — check the source)"
        fix += f"; if it comes from an old Indian 1975 survey use EPSG:{candidates[0] - 8600}"
        what = f"coordinates are metres{rng}, not degrees: the file looks like {zone}"
    else:
        what = f"coordinates are metres{rng}, not degrees, and no UTM zone puts them in Thailand"
        fix = "pass the file's real CRS with --crs EPSG:…"
    return CRSError(what, source=source, row=row, fix=fix)


# ---------------------------------------------------------------------------- CRS / datum

INDIAN_1975_EPSG = {4240, 24047, 24048}


@dataclass(frozen=True)
class DatumNote:
    """How data in a legacy datum were brought to WGS 84."""

    transformation: str
    accuracy_m: float | None
    alternatives_differ_m: float

    def describe(self, crs_name: str) -> str:
        """Return a summary line naming the transformation.

        Parameters
        ----------
        crs_name : str
            Name of the source CRS, e.g. ``Indian 1975 / UTM zone 47N``.

        Returns
        -------
        str
            ``reprojected from … to WGS 84 with '…'``, the stated accuracy in metres when known
            and how far (m) the other published transformations differ.
        """
        acc = f", stated accuracy {self.accuracy_m:g} m" if self.accuracy_m else ""
        return (
            f"reprojected from {crs_name} to WGS 84 with '{self.transformation}'{acc}; "
            f"other published transformations differ by up to {self.alternatives_differ_m:.0f} m "
            "here — reproject beforehand with your agency's own parameters if they differ"
        )


def is_indian_1975(crs: Any) -> bool:
    """Whether ``crs`` is on the Indian 1975 datum (Thailand's pre-WGS 84 datum).

    Parameters
    ----------
    crs : Any
        Anything :meth:`pyproj.CRS.from_user_input` takes (EPSG code, WKT, CRS); ``None``
        is not.

    Returns
    -------
    bool
        ``True`` for EPSG:4240, 24047, 24048 or a CRS whose datum is named Indian 1975.
    """
    if crs is None:
        return False
    c = CRS.from_user_input(crs)
    if c.to_epsg() in INDIAN_1975_EPSG:
        return True
    datum = c.datum.name.lower() if c.datum is not None else ""
    return "indian 1975" in datum or "indian_1975" in datum


def datum_transformation(
    crs: Any, x: npt.ArrayLike, y: npt.ArrayLike
) -> tuple[Transformer, DatumNote]:
    """Choose and name the transformation from a legacy-datum CRS to WGS 84.

    pyproj lists every published operation for the area of the data, best first; the first
    one is used and the spread between it and the others at the data's centre is reported,
    since the 3-parameter shifts and the 7-parameter one differ by ~190 m in Thailand.

    Parameters
    ----------
    crs : Any
        The source CRS (e.g. EPSG:24047, Indian 1975 / UTM 47N).
    x, y : array_like
        The data's coordinates in ``crs``; their median is the point where the spread is
        measured.

    Returns
    -------
    tuple[pyproj.Transformer, DatumNote]
        The transformer to EPSG:4326 (``always_xy``: x = longitude) and its note: name,
        stated accuracy in metres (``None`` when unknown), spread of the alternatives in
        metres.

    Raises
    ------
    CRSError
        No usable (non-ballpark) transformation is available.
    """
    xs = np.asarray(x, dtype="float64")
    ys = np.asarray(y, dtype="float64")
    ok = np.isfinite(xs) & np.isfinite(ys)
    cx = float(np.median(xs[ok])) if ok.any() else 0.0
    cy = float(np.median(ys[ok])) if ok.any() else 0.0
    group = TransformerGroup(CRS.from_user_input(crs), 4326, always_xy=True)
    usable = [t for t in group.transformers if "ballpark" not in t.description.lower()]
    if not usable:
        raise CRSError(
            f"no datum transformation from {CRS.from_user_input(crs).name} to WGS 84 is available",
            fix="reproject the file to EPSG:4326 in QGIS with a named transformation first",
        )
    best = usable[0]
    bx, by = best.transform(cx, cy)
    spread = 0.0
    from ecogis.crs import geodesic_distance_m

    for other in usable[1:]:
        ox, oy = other.transform(cx, cy)
        if np.isfinite(ox) and np.isfinite(oy):
            spread = max(spread, float(geodesic_distance_m(bx, by, ox, oy)))
    name = best.description
    accuracy = best.accuracy if best.accuracy and best.accuracy > 0 else None
    return best, DatumNote(name, accuracy, spread)
