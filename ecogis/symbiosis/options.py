"""Parameters of the symbiosis analysis, in one place so outputs and docs can state them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SymbiosisOptions:
    """Parameters of candidate generation and benefits (all stated in outputs and docs).

    Attributes
    ----------
    detour_factor
        Road km per straight-line km (1.3: a common circuity figure for regional roads).
    transport_kgco2e_per_tkm
        Freight emission factor, kg CO2e per tonne-km (DEFRA 2022 average laden HGV).
    carbon_price_thb_per_t
        Shadow price of CO2e added to the money benefit (0 = money only).
    k_per_industry
        Nearest receivers kept per stream and receiving industry.
    max_per_stream
        Candidates kept per stream, best score first.
    hm_is_hazardous
        Treat mirror entries (``HM``) as hazardous (the safe default).
    intake_per_worker
        Capacity estimate for a receiver without a declared input: units per worker per
        year by canonical unit, times the catalogue's largest share.
    default_intake
        The same when the worker count is unknown too.
    max_km
        Per material class overrides of the catalogue's largest distance.
    indicative_value_factor
        Weight of a material value that is not the receiver's own declared price (catalogue
        or provider price): uncertain values count at 90 % so declared exchanges win ties.
    grade_confidence
        Chance that an exchange of each evidence grade happens (A 1.0, B 0.6, C 0.3): the
        allocation maximises objective × this confidence, i.e. the expected benefit.
        ``{"A": 1, "B": 1, "C": 1}`` gives the plain objective.
    """

    detour_factor: float = 1.3
    transport_kgco2e_per_tkm: float = 0.10614
    carbon_price_thb_per_t: float = 0.0
    k_per_industry: int = 3
    max_per_stream: int = 8
    hm_is_hazardous: bool = True
    intake_per_worker: dict[str, float] = field(
        default_factory=lambda: {"t/yr": 100.0, "m3/yr": 300.0, "MWh/yr": 50.0}
    )
    default_intake: dict[str, float] = field(
        default_factory=lambda: {"t/yr": 2_000.0, "m3/yr": 10_000.0, "MWh/yr": 2_000.0}
    )
    max_km: dict[str, float] = field(default_factory=dict)
    indicative_value_factor: float = 0.9
    grade_confidence: dict[str, float] = field(
        default_factory=lambda: {"A": 1.0, "B": 0.6, "C": 0.3}
    )
