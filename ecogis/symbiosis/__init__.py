"""Industrial symbiosis: whose waste can become whose raw material, how far, how much.

Pure analyses (frames in, frames out, no I/O):

* :mod:`ecogis.symbiosis.catalogue` — the waste-to-resource compatibility catalogue,
  waste-code parsing and back-off, ``receivers`` queries;
* :mod:`ecogis.symbiosis.candidates` — waste streams × potential receivers within the
  material's distance, with gates, evidence, benefits and a grade;
* :mod:`ecogis.symbiosis.allocation` — the transportation LP (and a greedy baseline);
* :mod:`ecogis.symbiosis.results` — link lines, stream report, zone/province summary,
  per-material contributions to the totals.

See ``docs/symbiosis.md`` for the method, its parameters and their sources.
"""

from ecogis.symbiosis.allocation import allocate, greedy_allocate
from ecogis.symbiosis.candidates import find_candidates, waste_streams
from ecogis.symbiosis.catalogue import (
    compatible_receivers,
    load_catalogue,
    normalise_waste_code,
    receivers_query,
)
from ecogis.symbiosis.options import SymbiosisOptions
from ecogis.symbiosis.results import (
    build_links,
    material_contributions,
    stream_report,
    summarise_areas,
)

__all__ = [
    "SymbiosisOptions",
    "allocate",
    "build_links",
    "compatible_receivers",
    "find_candidates",
    "greedy_allocate",
    "load_catalogue",
    "material_contributions",
    "normalise_waste_code",
    "receivers_query",
    "stream_report",
    "summarise_areas",
    "waste_streams",
]
