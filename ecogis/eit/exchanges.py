"""When a proposed symbiosis exchange has started: the one rule.

The upgrade report's "exchanges started" section and the guidelines' ``start_exchange``
actions both ask :func:`exchange_state`, so an exchange shown as started is never proposed
again.
"""

from __future__ import annotations

import pandas as pd

from ecogis.eit.compute import link_columns

STARTED_STATUSES = ("started", "active", "operating")
"""A link's ``status`` (when the layer carries one) that says the exchange runs."""

STATES = ("started", "used_up", "proposed")
"""What :func:`exchange_state` says of a link."""


def exchange_state(
    links: pd.DataFrame, flows: pd.DataFrame | None, *, exchange_codes: tuple[str, ...]
) -> pd.DataFrame:
    """Per proposed exchange (a link or candidate): started, used up, or still a proposal.

    **An exchange is started** when its ``status`` says so (``started``, ``active``,
    ``operating``), or when the provider's mass balance shows its stream exchanged: the
    stream (``stream_id`` = ``factory_id/flow_id``) or its exchanged part (``flow_id-EX``)
    carries one of ``exchange_codes``. The mass balance does not name the receiver, so of
    the stream's proposals the largest (the one the guidelines put first) is the started
    one. The stream's other proposals are **used up** when the whole stream is exchanged
    (nothing is left to give), else they stay **proposed** for the rest of the stream: their
    open tonnes are capped at what the mass balance still records unexchanged.

    Parameters
    ----------
    links
        ``symbiosis_links`` or ``symbiosis_candidates`` rows (provider, receiver, tonnes;
        ``stream_id`` and ``status`` when present).
    flows
        ``material_flows`` (``None``: no mass balance, only ``status`` can say started).
    exchange_codes
        Disposal codes that mean "exchanged" (the indicator set's ``exchange_codes``).

    Returns
    -------
    pandas.DataFrame
        Index of ``links``; ``state`` (one of :data:`STATES`); ``exchanged_t``: for a
        started exchange the tonnes the mass balance records as exchanged (t/yr; the
        link's own tonnes when only its ``status`` says so), else NaN; ``open_t``: for a
        proposal the tonnes still open (t/yr: the link's own, capped at the unexchanged
        rest of a partly exchanged stream), else NaN.
    """
    _, _, tonnes_col = link_columns(links)
    tonnes = (
        pd.to_numeric(links[tonnes_col], errors="coerce")
        if tonnes_col is not None
        else pd.Series(float("nan"), index=links.index)
    )
    out = pd.DataFrame(
        {"state": "proposed", "exchanged_t": float("nan"), "open_t": tonnes}, index=links.index
    )
    if "status" in links.columns:
        by_status = links["status"].astype("string").str.lower().isin(STARTED_STATUSES)
        by_status = by_status.fillna(False).astype(bool)
        out.loc[by_status, "state"] = "started"
        out.loc[by_status, "exchanged_t"] = tonnes[by_status]
        out.loc[by_status, "open_t"] = float("nan")
    if flows is None or flows.empty or "stream_id" not in links.columns:
        return out
    code = flows["disposal_code"].astype("string").fillna("")
    key = flows["factory_id"].astype(str) + "/" + flows["flow_id"].astype(str)
    quantity = pd.to_numeric(flows["quantity"], errors="coerce").fillna(0.0)
    coded = code.isin(exchange_codes).to_numpy()
    whole = set(key[coded])  # the stream itself carries the code: exchanged whole
    part = key[coded & key.str.endswith("-EX").to_numpy()]
    part_t = quantity[part.index].groupby(part.str[: -len("-EX")]).sum()
    whole_t = quantity[coded].groupby(key[coded]).sum()
    rest_t = quantity[~coded].groupby(key[~coded]).sum()  # what a stream still gives
    stream = links["stream_id"].astype("string")
    for sid, group in tonnes.groupby(stream, sort=False):
        sid = str(sid)
        if sid not in whole and sid not in part_t.index:
            continue
        ids = group.index[out.loc[group.index, "state"].eq("proposed")]
        if not len(ids):
            continue
        first = group[ids].fillna(-1.0).idxmax()  # the largest, first in order on a tie
        out.loc[first, "state"] = "started"
        out.loc[first, "exchanged_t"] = float(whole_t.get(sid, 0.0) + part_t.get(sid, 0.0))
        out.loc[first, "open_t"] = float("nan")
        others = [i for i in ids if i != first]
        if sid in whole:
            out.loc[others, "state"] = "used_up"
            out.loc[others, "open_t"] = float("nan")
        elif sid in rest_t.index:
            out.loc[others, "open_t"] = out.loc[others, "open_t"].clip(upper=rest_t[sid])
    return out


def started_exchanges(
    links: pd.DataFrame | None,
    flows: pd.DataFrame | None,
    *,
    exchange_codes: tuple[str, ...],
    providers: set[str] | None = None,
) -> pd.DataFrame | None:
    """List the started exchanges of :func:`exchange_state`, with the tonnes exchanged.

    Parameters
    ----------
    links
        ``symbiosis_links`` (``None``: no links, so nothing started).
    flows
        ``material_flows``.
    exchange_codes
        Disposal codes that mean "exchanged".
    providers
        Only exchanges whose provider is one of these factories (``None``: all).

    Returns
    -------
    pandas.DataFrame or None
        The started rows of ``links`` with ``tonnes`` replaced by the exchanged tonnes
        (t/yr) the records show; ``None`` when there are no links.
    """
    if links is None or links.empty:
        return None
    state = exchange_state(links, flows, exchange_codes=exchange_codes)
    started = state["state"].eq("started")
    prov, _, tonnes_col = link_columns(links)
    if providers is not None and prov is not None:
        started &= links[prov].astype(str).isin(providers)
    out = links[started].copy()
    out[tonnes_col or "tonnes"] = state.loc[started, "exchanged_t"]
    return out
