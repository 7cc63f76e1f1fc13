"""Demo identifiers: a form no real registry can hold, so demo and real rows never meet.

Every identifier the illustrative demo writes starts with ``DEMO-``: factories
(``DEMO-3-42(1)-12/55ปจ``), DIW's 14-digit numbers, zones and communities. DIW registration
numbers begin with a class digit or a Thai prefix (``จ``, ``น.``), never with Latin letters,
so a real registry row can never take a demo row's key.
"""

from __future__ import annotations

import pandas as pd

DEMO_ID_PREFIX = "DEMO-"

DEMO_SOURCE = "ecogis demo — ข้อมูลตัวอย่าง (illustrative, not real data)"
"""The ``source`` of every row the demo writes (also in workspaces from before the prefix)."""


def is_demo_id(ids: pd.Series) -> pd.Series:
    """Whether each identifier is a demo one (starts with :data:`DEMO_ID_PREFIX`)."""
    return ids.astype("string").str.startswith(DEMO_ID_PREFIX).fillna(False).astype(bool)


def demo_rows(frame: pd.DataFrame, key: str) -> pd.Series:
    """Whether each row is an illustrative demo row: a demo ID, or the demo's ``source``."""
    demo = is_demo_id(frame[key])
    if "source" in frame.columns:
        demo |= frame["source"].astype("string").eq(DEMO_SOURCE).fillna(False).astype(bool)
    return demo
