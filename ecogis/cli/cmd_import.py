"""``ecogis import KIND FILE --workspace W``: bring source files into the workspace.

The verbs are thin: they build :class:`~ecogis.importers.ImportOptions` and call
:func:`ecogis.tasks.imports.import_file`, then print the summary on stderr (``--json``
prints it on stdout).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ecogis.cli._common import echo_json, info, json_option, progress, workspace_option
from ecogis.importers import IMPORT_KINDS, ImportKind, ImportOptions
from ecogis.importers.layouts import parse_mapping

FORMATS = ("diw-api", "diw-gis", "diw-clean", "vector", "table")


def _common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("file", type=click.Path(dir_okay=False, path_type=Path)),
        workspace_option(),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            help="Override format detection "
            "(factories: diw-api, diw-gis, diw-clean, vector, table).",
        ),
        click.option("--crs", help="CRS of a file that has none or a wrong one, e.g. EPSG:32647."),
        click.option("--encoding", help="Text encoding of a CSV or Shapefile DBF, e.g. cp874."),
        click.option(
            "--map",
            "mapping",
            multiple=True,
            metavar="SRC=DEST[unit]",
            help="Map a column onto a field, e.g. --map ชื่อ=name_th "
            "--map GREEN_RAI=green_area_ha[rai].",
        ),
        click.option(
            "--swap-latlon",
            is_flag=True,
            help="Exchange latitude/longitude of rows detected as swapped.",
        ),
        click.option("--layer", help="Layer of a multi-layer file (GeoPackage)."),
        click.option("--sheet", help="Sheet of an Excel workbook."),
        click.option(
            "--skip-bad-rows",
            is_flag=True,
            help="Import the good rows and list the bad ones as rejected, instead of stopping.",
        ),
        json_option(),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _make_verb(spec: ImportKind) -> click.Command:
    help_text = (
        f"Import {spec.help_en} into layer '{spec.layer}'.\n\n"
        "Rows are merged by business key: importing the same file again adds nothing. "
        "Bad input stops with one line naming file, row and field, and the workspace is "
        "left unchanged.\n\n"
        f"\b\nExample:\n  {spec.example}"
    )

    @click.command(name=spec.name, help=help_text)
    @_common_options
    def verb(
        file: Path,
        workspace: Path,
        fmt: str | None,
        crs: str | None,
        encoding: str | None,
        mapping: tuple[str, ...],
        swap_latlon: bool,
        layer: str | None,
        sheet: str | None,
        skip_bad_rows: bool,
        as_json: bool,
    ) -> None:
        from ecogis.tasks.imports import prepare_import, write_import

        options = ImportOptions(
            format=fmt,
            crs=crs,
            encoding=encoding,
            mapping=parse_mapping(list(mapping)),
            swap_latlon=swap_latlon,
            layer=layer,
            sheet=sheet,
            skip_bad_rows=skip_bad_rows,
        )
        prepared = None
        summary = None
        for step in progress(["read and check", "write"], label=f"importing {file.name}"):
            if step == "read and check":
                prepared = prepare_import(workspace, spec.name, file, options)
            elif prepared is not None:
                summary = write_import(prepared)
        assert summary is not None
        if as_json:
            echo_json(summary.as_dict())
        else:
            for line in summary.lines():
                info(line)

    return verb


def register(cli: click.Group) -> None:
    """Add ``ecogis import`` and its verbs to the ``ecogis`` group.

    Parameters
    ----------
    cli : click.Group
        The top ``ecogis`` group; the commands are added to it.
    """

    @cli.group(name="import")
    def import_group() -> None:
        """Import source files into a workspace (created if it does not exist).

        \b
        Kinds: factories, provinces, districts, zones, communities, flows, compliance,
        actionplan, activities. Examples:
          ecogis import factories diw_factories_prachinburi_raw.geojson -w w.gpkg
          ecogis import provinces th_provinces_opengisdata.geojson -w w.gpkg
          ecogis import communities landmarks.geojson -w w.gpkg --crs EPSG:32647
        """

    for spec in IMPORT_KINDS.values():
        import_group.add_command(_make_verb(spec))
