"""PostgreSQL errors of the PostGIS store turned into one clear line each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ecogis.errors import WorkspaceError
from ecogis.workspace import _pgadmin

if TYPE_CHECKING:
    from ecogis import schema
    from ecogis.workspace.postgis import PostGISStore


def connect_error(store: PostGISStore, exc: BaseException) -> BaseException:
    """``exc`` from connecting as one line (host, port, what failed, the fix), else itself.

    Parameters
    ----------
    store : PostGISStore
        The store that tried to connect (host, port, user, database for the message).
    exc : BaseException
        The error from ``engine.connect()``.

    Returns
    -------
    BaseException
        A :class:`WorkspaceError` for a SQLAlchemy operational or interface error (a
        refused password, a missing database or user, no server answering); ``exc``
        itself for anything else.
    """
    import sqlalchemy as sa

    if not isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        return exc
    text = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        what = f"the password for user {store.user or '(default)'} was refused"
        fix = "check the user and password (in ~/.pgpass, PGPASSWORD or the URL)"
    elif "does not exist" in low and "database" in low:
        what = f"database {store.database!r} does not exist"
        fix = f"create it (createdb {store.database}) or give the right name in the URL"
    elif "role" in low and "does not exist" in low:
        what = f"user {store.user!r} does not exist on the server"
        fix = "ask the administrator to create it, or give another user in the URL"
    elif "refused" in low or "could not connect" in low or "timeout" in low:
        what = "no PostgreSQL server answers there"
        fix = "start the server, or check the host and port in the URL"
    else:
        what = text or type(exc).__name__
        fix = "check the URL, the server and your access to it"
    return WorkspaceError(
        f"cannot connect to PostgreSQL at {store.host}:{store.port}: {what}",
        source=store.location,
        fix=fix,
    )


def rls_error(
    conn: Any,
    store: PostGISStore,
    name: str,
    frame: pd.DataFrame,
    contract: schema.LayerContract | None,
) -> WorkspaceError:
    """Build the error for a write refused by row-level security: one line naming the refused rows.

    ``conn`` is a fresh connection (the refused transaction is aborted).

    Parameters
    ----------
    conn : Any
        A fresh SQLAlchemy connection.
    store : PostGISStore
        The store written to.
    name : str
        The layer written.
    frame : pandas.DataFrame
        The rows of the refused write; a row counts as refused when its province
        (``pro_code``, or its factory's) is not one the user may write.
    contract : schema.LayerContract or None
        The layer's contract; its key labels the rows in the message.

    Returns
    -------
    WorkspaceError
        Naming the user, the provinces it may write and up to five refused rows (key
        and province), with the fix.
    """
    user = str(conn.exec_driver_sql("SELECT current_user").scalar())
    allowed = _pgadmin.allowed_provinces(conn, store.schema)
    province_of: dict[str, str] = {}
    if "pro_code" not in frame.columns and "factory_id" in frame.columns:
        ids = [str(v) for v in frame["factory_id"].dropna().unique()]
        province_of = dict(
            conn.exec_driver_sql(
                f"SELECT factory_id, pro_code FROM {store._q('factories')} "
                "WHERE factory_id = ANY(%(ids)s)",
                {"ids": ids},
            ).fetchall()
        )
    key = list(contract.key) if contract is not None else []
    if "pro_code" in frame.columns:
        provinces = frame["pro_code"].astype(object)
    elif "factory_id" in frame.columns:
        provinces = frame["factory_id"].map(lambda f: province_of.get(str(f)))
    else:
        provinces = pd.Series([None] * len(frame), index=frame.index)
    refused = ~provinces.isin(allowed).to_numpy()
    bad = frame[refused]
    shown = []
    for pos, (_, row) in enumerate(bad.head(5).iterrows()):
        label = "/".join(str(row[k]) for k in key if k in row) or "?"
        shown.append(f"{label} (province {provinces[refused].iloc[pos]})")
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    may = ", ".join(allowed) if allowed else "none"
    return WorkspaceError(
        f"user {user} may write rows of province {may} only; refused in {name}: "
        f"{', '.join(shown) or 'rows of other provinces'}{more}; nothing was written",
        source=store.location,
        fix="write only your province's rows (in an offline copy: undo the edits of other "
        "provinces' rows, then push again), or ask the administrator for a role that may "
        "(ecogis db grant URL --province CODE --role ROLE)",
    )
