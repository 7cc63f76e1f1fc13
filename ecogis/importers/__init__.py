"""Importers: source files → frames shaped like the layer contract.

Public API
    :func:`parse_file` (any kind; no workspace needed), :func:`read_table` (a CSV/XLSX with
    every cell as text, for the table parsers), :data:`IMPORT_KINDS` (the registry of what
    ``ecogis import KIND`` accepts), :class:`ImportOptions` and :class:`ParseResult`.
    Writing to a workspace is :func:`ecogis.tasks.imports.import_file`.

Kinds
    ``factories`` (DIW registry, both formats, or any point file), ``provinces``,
    ``districts``, ``zones`` (→ ``industrial_zones``), ``communities`` (vector files and
    coordinate tables), and the table kinds ``flows``, ``compliance``, ``actionplan`` and
    ``activities`` (:mod:`.flows`, :mod:`.compliance`, :mod:`.actionplan`,
    :mod:`.activities`; the assessors' score sheets are :mod:`.indicator_scores`).

For a new table importer
    :func:`.tabular.normalise_headers` (find the columns by their English or Thai headers),
    :func:`.tabular.table_records` / :func:`.tabular.spreadsheet_rows` (rows with the numbers
    a person sees), :func:`.cells.is_blank` / :func:`.cells.text_or_na` (the one meaning of
    a blank cell), :func:`.cells.normalise_key` (a registration number as a key) and
    :func:`.privacy.is_person_name` (names withheld under the PDPA).

This package file only gathers names; the modules never import it back.
"""

from ecogis.importers.base import ImportOptions, ParseResult, parse_date
from ecogis.importers.diw import normalise_diw_type
from ecogis.importers.registry import (
    IMPORT_KINDS,
    TABLE_PARSERS,
    ImportKind,
    load_parser,
    parse_file,
)
from ecogis.importers.tabular import read_table

__all__ = [
    "IMPORT_KINDS",
    "TABLE_PARSERS",
    "ImportKind",
    "ImportOptions",
    "ParseResult",
    "load_parser",
    "normalise_diw_type",
    "parse_date",
    "parse_file",
    "read_table",
]
