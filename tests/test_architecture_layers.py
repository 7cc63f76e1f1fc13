"""Every layer an analysis produces keeps its contract (``layers/*.toml``), column for column.

The demo runs once (fixture ``demo_run``) with every frame handed to the workspace recorded.
The workspace fills a contract field the frame lacks with NULLs and keeps a column the
contract does not name, so neither shows in ``validate``; here both fail:

* a result layer (one that no importer writes) is handed over with exactly its contract's
  fields, in contract order — no column the contract does not describe, no contract field
  the analysis leaves for the writer to fill with NULLs;
* an imported layer (base data, which a file may carry only in part) may lack optional
  fields, but never carries a column outside its contract;
* every result layer of the contract is made by the demo, so none escapes the check;
* on disk, every layer's columns are its contract's fields in contract order.
"""

from __future__ import annotations

import pyogrio
import pytest
from conftest import DemoRun

from ecogis import schema
from ecogis.importers import IMPORT_KINDS

# Tables an importer writes beside its kind's own layer (a parser's companion tables).
COMPANIONS = {"activity_factories": "activities"}
IMPORTED = {kind.layer for kind in IMPORT_KINDS.values()} | set(COMPANIONS)
RESULTS = sorted(set(schema.contracts()) - IMPORTED)


def test_the_split_is_sound() -> None:
    """Both kinds exist, so neither rule is vacuous; a companion belongs to an import kind."""
    assert {"factories", "communities", "compliance"} <= IMPORTED
    assert set(COMPANIONS.values()) <= {kind.layer for kind in IMPORT_KINDS.values()}
    assert {"risk_factories", "symbiosis_candidates", "eit_guidelines"} <= set(RESULTS)


def test_every_result_layer_is_made_by_the_demo(demo_run: DemoRun) -> None:
    written = {w.layer for w in demo_run.writes}
    missing = [name for name in RESULTS if name not in written]
    assert not missing, f"result layers the demo never writes (so never checked): {missing}"


@pytest.mark.parametrize("name", RESULTS)
def test_result_layer_columns_are_its_contract(demo_run: DemoRun, name: str) -> None:
    fields = schema.contract(name).field_names
    writes = [w for w in demo_run.writes if w.layer == name]
    if not writes:
        pytest.skip(f"{name} is not written by the demo (see the test above)")
    for w in writes:
        extra = [c for c in w.columns if c not in fields]
        dropped = [f for f in fields if f not in w.columns]
        assert not extra, f"{name}: {w.how} hands over columns outside the contract: {extra}"
        assert not dropped, f"{name}: {w.how} leaves contract fields to be filled empty: {dropped}"
        assert list(w.columns) == fields, f"{name}: columns not in contract order"


def test_imported_layers_carry_nothing_outside_their_contract(demo_run: DemoRun) -> None:
    problems = []
    for w in demo_run.writes:
        if w.layer in IMPORTED:
            extra = [c for c in w.columns if c not in schema.contract(w.layer).field_names]
            if extra:
                problems.append(f"{w.layer} ({w.how}): {extra}")
    assert not problems, "columns outside the contract:\n  " + "\n  ".join(problems)


def test_stored_layers_are_their_contract_in_order(demo_run: DemoRun) -> None:
    stored = [str(row[0]) for row in pyogrio.list_layers(demo_run.workspace)]
    problems = []
    for name in stored:
        if not schema.has_contract(name):
            continue
        columns = [str(c) for c in pyogrio.read_info(demo_run.workspace, layer=name)["fields"]]
        if columns != schema.contract(name).field_names:
            problems.append(f"{name}: {columns}")
    assert set(RESULTS) <= set(stored)
    assert not problems, "stored columns differ from the contract:\n  " + "\n  ".join(problems)
