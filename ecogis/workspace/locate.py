"""Which store a workspace location names: a PostgreSQL URL or a GeoPackage path."""

from __future__ import annotations

import re
from pathlib import Path

from ecogis.errors import WorkspaceError
from ecogis.workspace.gpkg import GeoPackageStore
from ecogis.workspace.postgis import PostGISStore
from ecogis.workspace.store import POSTGRES_SCHEMES, Store


def open_store(location: str | Path, *, engine: str) -> Store:
    """Open the store for ``location``: a PostgreSQL URL or a GeoPackage path.

    Parameters
    ----------
    location : str or pathlib.Path
        ``postgresql://…`` (also ``postgres://``, ``postgresql+psycopg://``) for a
        database; any text without ``://`` is a GeoPackage path.
    engine : str
        GeoPackage I/O engine (``"pyogrio"`` or ``"fiona"``); unused by PostGIS.

    Returns
    -------
    Store
        A :class:`GeoPackageStore` or :class:`PostGISStore` (nothing opened yet).

    Raises
    ------
    WorkspaceError
        For a URL of another scheme (``mysql://``, ``http://`` …).
    """
    text = str(location)
    scheme = text.split("://", 1)[0].lower() if "://" in text else None
    if scheme is None:
        return GeoPackageStore(Path(text), engine=engine)
    if scheme in POSTGRES_SCHEMES:
        return PostGISStore(text, engine=engine)
    raise WorkspaceError(
        f"unknown workspace URL scheme {scheme!r}",
        source=_hide_password(text),
        fix="give a .gpkg path or postgresql://user@host:port/db?schema=ecogis",
    )


def _hide_password(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
