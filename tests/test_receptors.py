"""One definition of a sensitive receptor, and every analysis counts by it.

The definition (``ecogis.receptors``, from ``layers/communities.toml``): the kinds Ministerial
Regulation No. 2 B.E. 2535 keeps factories away from, or a place flagged sensitive. The risk
bands, the gap ranking, the indicators, the scenario and the siting rules must all count the
same receptors on the same data.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from ecogis import receptors, schema
from ecogis.compliance import neighbours_within
from ecogis.eit.compute import AreaInputs, receptors_near_hazardous
from ecogis.importers.layouts import community_kind
from ecogis.risk import band_counts, load_siting_rules, scenario

LON, LAT = 101.5, 14.0
M_PER_DEG_LON = 108_000.0  # near 14° N, enough for offsets of a few hundred metres

# (id, kind, sensitive flag, metres east of the factory)
PLACES = [
    ("V1", "village", None, 300),  # people, not a protected place
    ("V2", "village", True, 350),  # a planner flagged it (e.g. a housing estate): counts
    ("S1", "school", None, 400),
    ("S2", "school", False, 450),  # a 'no' never takes a school off the legal list
    ("T1", "temple", None, 500),
    ("H1", "hospital", None, 550),
    ("M1", "monument", None, 600),
    ("G1", "government", None, 650),
    ("C1", "conservation", None, 700),
    ("O1", "other", None, 750),
    ("O2", "other", True, 800),  # a nursery recorded as other, flagged: counts
    ("S3", "school", None, 3000),  # beyond 1 km
]
SENSITIVE_WITHIN_1KM = {"V2", "S1", "S2", "T1", "H1", "M1", "G1", "C1", "O2"}


def _communities() -> gpd.GeoDataFrame:
    rows = [
        {
            "community_id": cid,
            "name_th": f"สถานที่ {cid}",
            "kind": kind,
            "sensitive": flag,
            "population": 100,
        }
        for cid, kind, flag, _ in PLACES
    ]
    geoms = [shapely.Point(LON + east / M_PER_DEG_LON, LAT) for *_, east in PLACES]
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)
    return schema.coerce_dtypes(frame, schema.contract("communities"))


def _factories() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "factory_id": ["F1"],
            "name_th": ["โรงงานเคมี"],
            "factory_class": [3],
            "hazardous": [True],
            "hazard_class": ["high"],
        },
        geometry=[shapely.Point(LON, LAT)],
        crs=4326,
    )


def test_the_definition_is_the_regulations_list() -> None:
    assert receptors.sensitive_kinds() == (
        "school",
        "temple",
        "hospital",
        "monument",
        "government",
        "conservation",
    )
    assert "village" not in receptors.sensitive_kinds()
    flags = receptors.is_sensitive(_communities())
    assert {p[0] for p, f in zip(PLACES, flags, strict=True) if f} == SENSITIVE_WITHIN_1KM | {"S3"}


def test_risk_gaps_indicators_and_scenario_count_the_same_receptors() -> None:
    comm, fac = _communities(), _factories()
    _, fac_bands = band_counts(comm, fac, bands_m=(1000.0,))
    risk_count = int(fac_bands["sens_1000m"].iloc[0])
    gaps_count = int(neighbours_within(fac, comm, radius_m=1000.0)["receptors_1km"].iloc[0])
    inputs = AreaInputs(
        area_id="Z1",
        area_kind="zone",
        factories=fac,
        zones=None,
        as_of="2025-01-15",
        communities=comm,
        risk_factories=pd.DataFrame(fac.drop(columns="geometry")),
    )
    indicator = receptors_near_hazardous(inputs).value
    scen = scenario("F1", fac, comm, radius_m=5000.0, cordon_m=1000.0)
    scenario_count = int(scen.summary.set_index("ring").loc["cordon", "n_sensitive"])
    expected = len(SENSITIVE_WITHIN_1KM)
    assert (risk_count, gaps_count, indicator, scenario_count) == (
        expected,
        expected,
        float(expected),
        expected,
    )


def test_the_shipped_siting_rules_protect_exactly_the_sensitive_kinds() -> None:
    for kinds in load_siting_rules()["receptor_kinds"]:
        assert set(kinds) == set(receptors.sensitive_kinds())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("โบราณสถานวัดร้าง", "monument"),
        ("เขตอนุรักษ์พันธุ์สัตว์ป่า", "conservation"),
        ("monument", "monument"),
        ("government", "government"),
    ],
)
def test_the_importer_reads_every_kind_of_the_contract(text: str, kind: str) -> None:
    assert community_kind(text) == kind


def test_a_value_set_outside_the_values_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ecogis.errors import CatalogueError

    p = tmp_path / "x.toml"
    p.write_text(
        'name = "x"\nkind = "table"\nkey = ["a"]\ntitle_th = "ก"\ntitle_en = "x"\n'
        '[[fields]]\nname = "a"\ntype = "str"\nlabel_th = "ก"\nlabel_en = "a"\n'
        'values = ["p", "q"]\nvalue_sets = { sensitive = ["p", "z"] }\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="names \\['z'\\]"):
        schema.load_contract_file(p)
