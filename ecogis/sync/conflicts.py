"""Conflicts: a row changed in the copy and in the database since the pull, differently.

A conflict is never overwritten. It is listed, field by field with the base value (as
pulled), the copy's and the database's, on screen (:func:`screen_lines`) and in a CSV for
people (:func:`write_conflicts`, through the project's one CSV writer) with Thai and
English labels from the layer contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from ecogis import schema
from ecogis.importers.csvout import write_csv
from ecogis.sync.rows import GEOMETRY_TOKEN, Row

CHANGE_WORDS = {
    "added": ("เพิ่ม", "added"),
    "updated": ("แก้ไข", "updated"),
    "deleted": ("ลบ", "deleted"),
}
ABSENT_WORDS = {"deleted": "(ลบแล้ว / deleted)", "none": "(ไม่มี / none)"}

CSV_COLUMNS = {
    "layer": "ชั้นข้อมูล / layer",
    "key": "รหัสแถว / key",
    "field": "ฟิลด์ / field",
    "label_th": "ชื่อฟิลด์ (ไทย)",
    "label_en": "field label (English)",
    "base": "ค่าตอนดึงข้อมูล / base (as pulled)",
    "copy": "ค่าในสำเนา / copy",
    "database": "ค่าในฐานข้อมูล / database",
    "copy_change": "สำเนา / copy change",
    "database_change": "ฐานข้อมูล / database change",
}


def change_kind(base: Row | None, now: Row | None) -> str:
    """Classify how ``now`` moved from ``base``: ``added``, ``updated`` or ``deleted``.

    Parameters
    ----------
    base : Row or None
        The row's tokens as pulled (``None``: it was not there).
    now : Row or None
        The row's tokens on one side now (``None``: it is gone).

    Returns
    -------
    str
        ``"added"`` without a base, ``"deleted"`` when ``now`` is ``None``, else
        ``"updated"``.
    """
    if base is None:
        return "added"
    return "deleted" if now is None else "updated"


@dataclass(frozen=True)
class Conflict:
    r"""One row changed on both sides since the pull.

    Attributes
    ----------
    layer : str
        The contract layer.
    key : str
        The joined business key (parts separated by ``\x1f``).
    base, copy, database : Row or None
        The row's tokens as pulled, in the copy and in the database now; ``None`` where
        the row is absent (not there at the pull, or deleted).
    """

    layer: str
    key: str  # the joined business key
    base: Row | None
    copy: Row | None
    database: Row | None

    @property
    def key_text(self) -> str:
        """The business key as a person reads it (parts joined with ``/``)."""
        return self.key.replace("\x1f", "/")

    @property
    def copy_change(self) -> str:
        """How the copy changed the row."""
        return change_kind(self.base, self.copy)

    @property
    def database_change(self) -> str:
        """How the database changed the row."""
        return change_kind(self.base, self.database)

    def fields(self) -> list[str]:
        """List the fields whose copy and database values differ.

        Every field when one side deleted the row.

        Returns
        -------
        list of str
            Token column names (contract fields, ``geometry_wkb``), in column order.
        """
        names = list((self.copy or self.database or self.base or {}).keys())
        return [
            n
            for n in names
            if _get(self.copy, n, self.copy is None)
            != _get(self.database, n, self.database is None)
        ]


def _get(row: Row | None, name: str, absent: bool) -> object:
    return ("\x00absent",) if absent or row is None else row.get(name)


def shown(token: str | None, column: str) -> str:
    """Show a token as a person reads it: text as is, a point as WKT, another shape summarised.

    Parameters
    ----------
    token : str or None
        A token (``None``: NULL).
    column : str
        Its column; ``geometry_wkb`` holds hex WKB.

    Returns
    -------
    str
        Empty for NULL; the text itself; ``POINT (lon lat)`` to 6 decimals (degrees); or
        ``Polygon (N vertices, centre lon lat)`` with the centre to 5 decimals (degrees).
    """
    if token is None:
        return ""
    if column != GEOMETRY_TOKEN:
        return token
    geom = shapely.from_wkb(bytes.fromhex(token))
    if geom.geom_type == "Point":
        return str(shapely.to_wkt(geom, rounding_precision=6))
    c = geom.centroid
    vertices = shapely.get_num_coordinates(geom)
    return f"{geom.geom_type} ({vertices} vertices, centre {c.x:.5f} {c.y:.5f})"


def _value(row: Row | None, column: str, *, absent: str) -> str:
    return ABSENT_WORDS[absent] if row is None else shown(row.get(column), column)


def _labels(layer: str, column: str) -> tuple[str, str]:
    if column == GEOMETRY_TOKEN:
        return ("ตำแหน่ง/รูปร่าง", "location / shape")
    contract = schema.contract(layer)
    if contract.has_field(column):
        f = contract.field(column)
        return (f.label("th"), f.label("en"))
    return (column, column)


def conflict_rows(conflicts: list[Conflict]) -> pd.DataFrame:
    """One row per conflicting field, with the CSV's bilingual headers.

    Parameters
    ----------
    conflicts : list of Conflict
        The conflicts of a sync.

    Returns
    -------
    pandas.DataFrame
        Columns as :data:`CSV_COLUMNS` names them (Thai / English): layer, key, field,
        Thai and English field labels, the base, copy and database values as shown to a
        person, and how each side changed the row.
    """
    records = []
    for c in conflicts:
        for column in c.fields():
            th, en = _labels(c.layer, column)
            records.append(
                {
                    "layer": c.layer,
                    "key": c.key_text,
                    "field": column,
                    "label_th": th,
                    "label_en": en,
                    "base": _value(c.base, column, absent="none"),
                    "copy": _value(c.copy, column, absent="deleted"),
                    "database": _value(c.database, column, absent="deleted"),
                    "copy_change": " / ".join(CHANGE_WORDS[c.copy_change]),
                    "database_change": " / ".join(CHANGE_WORDS[c.database_change]),
                }
            )
    frame = pd.DataFrame(records, columns=list(CSV_COLUMNS))
    return frame.rename(columns=CSV_COLUMNS)


def write_conflicts(conflicts: list[Conflict], path: Path) -> Path:
    """Write the conflict list for people (UTF-8 with BOM, formula-safe); the file.

    Parameters
    ----------
    conflicts : list of Conflict
        The conflicts of a sync.
    path : pathlib.Path
        The CSV file to write (replaced when it exists).

    Returns
    -------
    pathlib.Path
        The file written (one row per conflicting field, :func:`conflict_rows`).
    """
    return write_csv(conflict_rows(conflicts), path, excel_text=[CSV_COLUMNS["key"]])


def screen_lines(conflicts: list[Conflict], *, limit: int = 20) -> list[str]:
    """Format the conflicts as lines for the terminal (the first ``limit`` fields).

    Parameters
    ----------
    conflicts : list of Conflict
        The conflicts of a sync.
    limit : int, optional
        Most lines shown (default 20); beyond it one line points to the conflict file.

    Returns
    -------
    list of str
        Per conflict a heading line (layer, Thai title, key, how each side changed it)
        and one indented line per differing field (base, copy, database).
    """
    lines = []
    for c in conflicts:
        title = schema.contract(c.layer).title_th
        head = (
            f"conflict / ขัดแย้ง: {c.layer} ({title}) {c.key_text}: copy "
            f"{c.copy_change}, database {c.database_change}"
        )
        lines.append(head)
        for column in c.fields():
            th, en = _labels(c.layer, column)
            lines.append(
                f"    {column} ({th} / {en}): base {_value(c.base, column, absent='none')!r} · "
                f"copy {_value(c.copy, column, absent='deleted')!r} · database "
                f"{_value(c.database, column, absent='deleted')!r}"
            )
    if len(lines) > limit:
        lines = [*lines[:limit], f"    … and more: see the conflict file ({len(conflicts)} rows)"]
    return lines
