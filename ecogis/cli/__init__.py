"""The ``ecogis`` command line.

Each group of verbs lives in its own module (``cmd_*.py``) with a ``register(cli)``
function; this module builds the top-level group, sets up logging and turns
:class:`~ecogis.errors.EcogisError` into one line on stderr with exit code 1. Usage errors
exit with 2 (click's convention); ``--debug`` shows full tracebacks.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import click

from ecogis import __version__
from ecogis.errors import EcogisError
from ecogis.workspace import ENGINES, set_default_engine

_COMMAND_MODULES = (
    "cmd_core",
    "cmd_import",
    "cmd_demo",
    "cmd_risk",
    "cmd_symbiosis",
    "cmd_compliance",
    "cmd_maps",
    "cmd_programme",
    "cmd_qgis",
    "cmd_db",
    "cmd_sync",
)

log = logging.getLogger("ecogis")


def _utf8_streams() -> None:
    """Make stdout/stderr UTF-8 so Thai text is printed, never mangled or refused."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8", errors="backslashreplace")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's exit flush does not raise again."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class EcogisGroup(click.Group):
    """A click group that reports ecogis errors as one line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; turn what goes wrong into one line on stderr and an exit code.

        An :class:`~ecogis.errors.EcogisError` prints ``error: …`` (file, row, field, fix) and
        exits 1; Ctrl-C exits 130 saying the workspace was left as it was; a closed pipe exits
        0; any other exception exits 1 asking for ``--debug``. With ``--debug`` the errors are
        raised with their traceback.

        Parameters
        ----------
        ctx : click.Context
            The group's context (``ctx.obj["debug"]`` set by ``--debug``).

        Returns
        -------
        Any
            What the command returned.
        """
        try:
            return super().invoke(ctx)
        except EcogisError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # Output piped into head/less that closed early: not an error of the user's.
            _silence_stdout()
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("interrupted; the workspace was left as it was", err=True)
            ctx.exit(130)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"error: unexpected {type(exc).__name__}: {exc} "
                "(run again with --debug for the traceback, and please report it)",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=EcogisGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ecogis")
@click.option("--debug", is_flag=True, help="Show full tracebacks and debug logging.")
@click.option("--quiet", "-q", is_flag=True, help="Only warnings and errors on stderr.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="pyogrio",
    show_default=True,
    envvar="ECOGIS_ENGINE",
    help="GeoPackage I/O engine for every verb (fiona needs the ecogis[fiona] extra).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool, engine: str) -> None:
    """ecogis — GIS analysis for Thailand's eco-industrial towns (เมืองอุตสาหกรรมเชิงนิเวศ).

    Import DIW factory registries, boundaries and communities into one GeoPackage
    workspace; analyse proximity risk, industrial symbiosis, compliance and indicators;
    publish web maps, reports and styled QGIS GeoPackages.

    \b
    Start here:
      ecogis demo                      # build and analyse a demo workspace
      ecogis layers -w ecogis-demo/demo.gpkg
    """  # noqa: D403 (the program's name, ecogis, is written in lower case)
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    set_default_engine(engine)
    _utf8_streams()
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("ecogis")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


for _name in _COMMAND_MODULES:
    importlib.import_module(f"ecogis.cli.{_name}").register(cli)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ecogis")
