"""When an exchange has started: one rule for the report's started list and the guidelines."""

from __future__ import annotations

import pandas as pd

from ecogis import eit
from ecogis.eit.exchanges import exchange_state, started_exchanges

CODES = ("021",)


def links() -> pd.DataFrame:
    """Stream P/W1 proposed to R1 (100 t) and R2 (60 t); stream P/W2 to R3 (50 t)."""
    return pd.DataFrame(
        {
            "link_id": ["L1", "L2", "L3"],
            "stream_id": ["P/W1", "P/W1", "P/W2"],
            "provider_id": ["P", "P", "P"],
            "receiver_id": ["R1", "R2", "R3"],
            "material": ["fly_ash", "fly_ash", "steel_slag"],
            "waste_code": ["100102", "100102", "100202"],
            "tonnes": [100.0, 60.0, 50.0],
        }
    )


def flows(**codes: tuple[float, str]) -> pd.DataFrame:
    """Waste out of P: flow id → (t/yr, disposal code)."""
    return pd.DataFrame(
        {
            "factory_id": "P",
            "flow_id": list(codes),
            "direction": "out",
            "flow_kind": "waste",
            "quantity": [q for q, _ in codes.values()],
            "unit": "t/yr",
            "disposal_code": [c for _, c in codes.values()],
        }
    )


def test_part_of_a_stream_exchanged_starts_its_largest_proposal_only() -> None:
    mb = flows(W1=(150.0, "071"), **{"W1-EX": (100.0, "021")}, W2=(50.0, "071"))
    state = exchange_state(links(), mb, exchange_codes=CODES)
    assert state["state"].tolist() == ["started", "proposed", "proposed"]
    assert state["exchanged_t"].iloc[0] == 100.0
    started = started_exchanges(links(), mb, exchange_codes=CODES)
    assert started is not None and started["receiver_id"].tolist() == ["R1"]


def test_a_stream_exchanged_whole_leaves_nothing_to_propose() -> None:
    mb = flows(W1=(100.0, "021"), W2=(50.0, "071"))
    state = exchange_state(links(), mb, exchange_codes=CODES)["state"]
    assert state.tolist() == ["started", "used_up", "proposed"]


def test_a_status_column_says_started_too() -> None:
    with_status = links().assign(status=[None, None, "Active"])
    state = exchange_state(with_status, None, exchange_codes=CODES)["state"]
    assert state.tolist() == ["proposed", "proposed", "started"]


def test_guidelines_never_propose_the_started_exchange() -> None:
    mb = flows(W1=(150.0, "071"), **{"W1-EX": (100.0, "021")}, W2=(50.0, "071"))
    gaps = pd.DataFrame(columns=["factory_id", "priority", "legal_missing", "expired"])
    g = eit.guidelines(
        area_id="Z", gaps=gaps, links=links(), factory_ids={"P"}, flows=mb, exchange_codes=CODES
    )
    proposed = g.loc[g["action"] == "start_exchange", "target_id"].tolist()
    assert proposed == ["P→R2", "P→R3"]  # P→R1 has started
    started = started_exchanges(links(), mb, exchange_codes=CODES)
    assert started is not None
    assert not set(started["provider_id"] + "→" + started["receiver_id"]) & set(proposed)
    # the material by its Thai name, not its key
    assert "เถ้าลอย" in g["detail_th"].iloc[0] and "fly_ash" not in g["detail_th"].iloc[0]


def test_the_rest_of_a_partly_exchanged_stream_is_proposed_at_what_is_left() -> None:
    """W1 gave 100 t to R1 and keeps 40 t: R2's proposal (60 t) is open for 40 t only."""
    mb = flows(W1=(40.0, "071"), **{"W1-EX": (100.0, "021")}, W2=(50.0, "071"))
    state = exchange_state(links(), mb, exchange_codes=CODES)
    assert state["state"].tolist() == ["started", "proposed", "proposed"]
    assert state["open_t"].iloc[1:].tolist() == [40.0, 50.0]
    assert pd.isna(state["open_t"].iloc[0])
    gaps = pd.DataFrame(columns=["factory_id", "priority", "legal_missing", "expired"])
    g = eit.guidelines(
        area_id="Z", gaps=gaps, links=links(), factory_ids={"P"}, flows=mb, exchange_codes=CODES
    )
    start = g[g["action"] == "start_exchange"].set_index("target_id")
    assert "50 t/yr" in start.loc["P→R3", "detail_en"]
    assert (
        "40 t/yr" in start.loc["P→R2", "detail_en"]
        and "60 t/yr" not in start.loc["P→R2", "detail_en"]
    )
