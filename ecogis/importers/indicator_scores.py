"""An assessor's indicator score sheet → values for the indicators scored by hand.

The sheet has one row per indicator: ``indicator_id``, ``value`` (a number in the
indicator's unit), ``evidence`` (the document, minutes or photo that shows it) and an optional
``note``. Rows with neither a value nor evidence (a template row not filled in) are skipped.
The indicator set itself is :mod:`ecogis.eit.framework`; rounds use the result.
"""

from __future__ import annotations

import math

import pandas as pd

from ecogis.importers.tabular import normalise_headers, table_records

COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "รหัสตัวชี้วัด"),
    "value": ("value", "ค่า"),
    "evidence": ("evidence", "หลักฐาน"),
    "note": ("note", "หมายเหตุ"),
}
"""Headers a score sheet may use for each field (English or Thai)."""

REQUIRED = ("indicator_id", "value", "evidence")
SCORE_FIELDS = ("indicator_id", "value", "evidence", "note")


def parse_manual_scores(
    raw: pd.DataFrame, *, source: str, indicator_ids: list[str]
) -> pd.DataFrame:
    """Check an assessor's score sheet: ``indicator_id``, ``value``, ``evidence`` (``note``).

    Parameters
    ----------
    raw
        The sheet with every cell as text (:func:`ecogis.importers.read_table`; header = row 1).
    source
        File name for messages.
    indicator_ids
        The ids of the indicator set in use.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``indicator_id`` with ``value`` (float, in the indicator's unit),
        ``evidence`` and ``note``.

    Raises
    ------
    InputFileError
        A needed column is missing.
    DataValidationError
        An unknown indicator, a value that is not a finite number, a missing evidence, or an
        indicator given twice — naming the row and the column.
    """
    cols = normalise_headers(raw, COLUMNS, source=source, required=REQUIRED)
    rows = []
    seen: dict[str, int] = {}
    for rec in table_records(raw, cols, source=source):
        if not rec.text("value") and not rec.text("evidence"):
            continue  # a template row not filled in
        iid = rec.text("indicator_id")
        if iid not in indicator_ids:
            raise rec.error(
                "indicator_id",
                f"unknown indicator {iid!r}",
                f"use one of {', '.join(indicator_ids)}",
            )
        if iid in seen:
            raise rec.error(
                "indicator_id",
                f"{iid} already given on row {seen[iid]}",
                "give each indicator once",
            )
        seen[iid] = rec.row
        try:
            value = float(rec.text("value").replace(",", ""))
        except ValueError:
            raise rec.error(
                "value",
                f"{rec.text('value')!r} is not a number",
                "write the indicator's value as a number in its unit",
            ) from None
        if not math.isfinite(value):
            raise rec.error("value", f"{rec.text('value')!r} is not finite", "write a real number")
        if not rec.text("evidence"):
            raise rec.error(
                "evidence",
                "evidence is empty",
                "name the document, meeting minutes or photo that shows the value",
            )
        rows.append(
            {"indicator_id": iid, "value": value, "evidence": rec.text("evidence"),
             "note": rec.text("note")}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(SCORE_FIELDS)).set_index("indicator_id")
