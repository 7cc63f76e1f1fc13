"""What a sensitive receptor is: the one rule every importer, analysis and screen uses.

The legal ground is Ministerial Regulation No. 2, B.E. 2535 (Factory Act): factories keep
their distance from schools, temples and other religious places, hospitals, ancient
monuments, government offices and conservation areas (DOMAIN.md §5). Those kinds are the
``sensitive`` value set of ``communities.kind`` in ``layers/communities.toml``, so the
contract holds the list and nothing else types it again. Villages are where people live:
they count as population, not as sensitive receptors.

A receptor is sensitive when its kind is on that list, or when its ``sensitive`` field is
true (a place the list does not name, e.g. a nursery recorded as ``other``). A ``false`` in
that field never takes a protected kind off the list: the regulation protects a school
whatever a spreadsheet says.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecogis import schema


def sensitive_kinds() -> tuple[str, ...]:
    """Return the kinds of receptor the siting regulation protects (``communities.kind`` values).

    Returns
    -------
    tuple of str
        In contract order: ``school``, ``temple``, ``hospital``, ``monument``,
        ``government``, ``conservation``.
    """
    return tuple(
        str(k) for k in schema.contract("communities").field("kind").value_set("sensitive")
    )


def kind_labels(lang: str = "th") -> dict[str, str]:
    """Receptor kind → its name in ``lang`` (``th`` or ``en``), from the contract's style.

    Parameters
    ----------
    lang
        ``th`` or ``en``.

    Returns
    -------
    dict of str to str
    """
    classes = schema.contract("communities").style.get("classes", [])
    key = "label_th" if lang == "th" else "label_en"
    return {str(c["value"]): str(c[key]) for c in classes if "value" in c}


def sensitive_kind_labels(lang: str = "th") -> list[str]:
    """Return the names of the sensitive kinds in ``lang``, for legends and screen headers.

    Parameters
    ----------
    lang
        ``th`` or ``en``.

    Returns
    -------
    list of str
        In the order of :func:`sensitive_kinds`.
    """
    labels = kind_labels(lang)
    return [labels.get(k, k) for k in sensitive_kinds()]


def is_sensitive(
    receptors: pd.DataFrame, *, kind_col: str = "kind", flag_col: str = "sensitive"
) -> npt.NDArray[np.bool_]:
    """Which receptors are sensitive (see the module docstring for the rule).

    Parameters
    ----------
    receptors
        Communities and places with a ``kind`` column and/or a ``sensitive`` column (bool,
        blank = not flagged); either may be absent.
    kind_col, flag_col
        The column names.

    Returns
    -------
    numpy.ndarray of bool
        One value per row, in row order.
    """
    out = np.zeros(len(receptors), dtype=bool)
    if kind_col in receptors.columns:
        kinds = receptors[kind_col].astype("string").str.strip().str.lower()
        out |= kinds.isin(sensitive_kinds()).fillna(False).to_numpy(dtype=bool)
    if flag_col in receptors.columns:
        out |= receptors[flag_col].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return out


def sensitive_flags(receptors: pd.DataFrame) -> pd.Series:
    """Compute the ``sensitive`` column to store: :func:`is_sensitive` of each row (same index).

    Parameters
    ----------
    receptors
        As for :func:`is_sensitive`.

    Returns
    -------
    pandas.Series
        ``boolean``, same index.
    """
    return pd.Series(is_sensitive(receptors), index=receptors.index, dtype="boolean")
