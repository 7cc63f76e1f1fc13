"""Shared pieces of the command-line interface: options, output helpers, progress."""

from __future__ import annotations

import json
import os
import shutil
import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import numpy as np
import pandas as pd

import ecogis.tasks  # noqa: F401  (the task layer registers the QGIS style hook)
from ecogis.workspace import ENGINES, Workspace

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class WorkspaceLocation(click.ParamType):
    """A workspace on the command line: a ``.gpkg`` path or a ``postgresql://`` URL.

    Converted to text (the location :meth:`Workspace.open` takes); a folder given as a
    GeoPackage is a usage error. Whether a URL's scheme is known is said by the workspace
    when it opens, with the fix.
    """

    name = "GPKG|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """Return the location as text.

        Parameters
        ----------
        value : Any
            What the command line (or ``ECOGIS_WORKSPACE``) gave: a path or a URL.
        param : click.Parameter or None
            The option, named in a usage error.
        ctx : click.Context or None
            The command's context.

        Returns
        -------
        str
            The path or URL as text.

        Raises
        ------
        click.BadParameter
            The path is a folder, not a GeoPackage file.
        """
        text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
        if "://" not in text and Path(text).is_dir():
            self.fail(f"{text!r} is a folder; give a .gpkg file or a postgresql:// URL", param, ctx)
        return text


WORKSPACE = WorkspaceLocation()


def workspace_option(required: bool = True) -> Callable[[F], F]:
    """``--workspace/-w FILE.gpkg|postgresql://…`` (also read from ``ECOGIS_WORKSPACE``).

    Parameters
    ----------
    required : bool, default True
        Whether the command needs a workspace.

    Returns
    -------
    Callable[[F], F]
        The click decorator that adds the option (as the ``workspace`` argument, text).
    """
    return click.option(
        "--workspace",
        "-w",
        "workspace",
        type=WORKSPACE,
        required=required,
        envvar="ECOGIS_WORKSPACE",
        show_envvar=True,
        help="The workspace: a GeoPackage file, or a PostgreSQL/PostGIS URL "
        "postgresql://user@host:port/db?schema=ecogis.",
    )


def engine_option() -> Callable[[F], F]:
    """``--engine pyogrio|fiona``.

    Returns
    -------
    Callable[[F], F]
        The click decorator that adds the option (``None`` when not given: the global
        ``ecogis --engine`` applies).
    """
    return click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default=None,
        help="I/O engine: pyogrio (default) or fiona (needs the ecogis[fiona] extra); "
        "'ecogis --engine …' sets it for every verb.",
    )


def lang_option() -> Callable[[F], F]:
    """``--lang th|en`` (Thai first).

    Returns
    -------
    Callable[[F], F]
        The click decorator that adds the option (default ``th``).
    """
    return click.option(
        "--lang",
        type=click.Choice(["th", "en"]),
        default="th",
        show_default=True,
        help="Language of labels, legends and headings.",
    )


def json_option() -> Callable[[F], F]:
    """``--json``: machine-readable output on stdout.

    Returns
    -------
    Callable[[F], F]
        The click decorator that adds the flag (as the ``as_json`` argument).
    """
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def file_option(*names: str, help: str, must_exist: bool) -> Callable[[F], F]:
    """Make a file option (``--out FILE``, ``--indicators FILE`` …) given as a ``Path``.

    ``must_exist`` for files read (click then says when one is missing), not for files
    written.

    Parameters
    ----------
    *names : str
        The option's names, e.g. ``"--out"``, ``"-o"``.
    help : str
        The option's ``--help`` text.
    must_exist : bool
        Whether click refuses a file that does not exist.

    Returns
    -------
    Callable[[F], F]
        The click decorator that adds the option (a folder is refused).
    """
    return click.option(
        *names, type=click.Path(exists=must_exist, dir_okay=False, path_type=Path), help=help
    )


def open_workspace(
    path: str | Path, engine: str | None = None, *, create: bool = False
) -> Workspace:
    """Open (or with ``create`` make) the workspace named on the command line.

    Parameters
    ----------
    path : str or Path
        A GeoPackage path or a PostgreSQL URL.
    engine : str or None, default None
        The I/O engine (``pyogrio``, ``fiona``); ``None`` uses the default.
    create : bool, default False
        Create the workspace (it must not be required to exist).

    Returns
    -------
    Workspace
        The opened workspace.

    Raises
    ------
    WorkspaceError
        The workspace cannot be opened (or created).
    """
    if create:
        return Workspace.create(path, engine=engine)
    return Workspace.open(path, engine=engine)


def echo_json(data: Any) -> None:
    r"""Print JSON with Thai text as is (UTF-8), not ``\u``-escaped.

    Parameters
    ----------
    data : Any
        JSON-ready data; other values (dates, paths) are written as their text.
    """
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_table(frame: pd.DataFrame, *, max_rows: int = 40, max_colwidth: int = 40) -> None:
    """Print a DataFrame as a plain table on stdout, Thai aligned, fitted to the terminal.

    ``max_colwidth`` is kept for callers that set it; the fitted printer sizes columns from
    what the terminal shows (see :func:`echo_fitted_table`).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    max_rows : int, default 40
        Rows printed; the count of all rows is said on stderr when there are more.
    max_colwidth : int, default 40
        Text columns are narrowed to ``min(12, max_colwidth)`` terminal columns at the
        least.
    """
    echo_fitted_table(frame, max_rows=max_rows, min_text=min(12, max_colwidth))


def info(message: str) -> None:
    """Print a progress or summary line on stderr (keeps stdout clean for data).

    Parameters
    ----------
    message : str
        The line.
    """
    click.echo(message, err=True)


def progress(items: Iterable[T], label: str, length: int | None = None) -> Iterator[T]:
    """Show a progress bar on stderr, only when stderr is a terminal.

    Parameters
    ----------
    items : Iterable[T]
        What the command works through.
    label : str
        Words in front of the bar.
    length : int or None, default None
        How many items, when ``items`` has no length.

    Yields
    ------
    T
        The items, in order.
    """
    if not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, length=length, file=sys.stderr) as bar:
        yield from bar


# ---------------------------------------------------------------- tables that fit a terminal
_ZERO_WIDTH = frozenset({"Mn", "Me", "Cf"})
_THAI_LEADING = frozenset("เแโใไ")  # written before the consonant they follow in speech
_THAI_FOLLOWING = frozenset("ะาำๅๆฯ")  # never start a line


def _char_width(ch: str) -> int:
    if unicodedata.category(ch) in _ZERO_WIDTH:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes.

    Thai vowel and tone marks written above or below a consonant (ั ิ ี ึ ื ุ ู ็ ่ ้ ๊ ๋ ์ …, Unicode
    category Mn) take no column of their own, and East-Asian wide characters take two; so
    ``len()`` over-counts Thai and tables padded with it come out ragged.

    Parameters
    ----------
    text : str
        Text to be printed.

    Returns
    -------
    int
        Terminal columns: 0 for combining marks and format characters, 2 for wide and
        full-width characters, 1 for any other.
    """
    return sum(_char_width(ch) for ch in text)


def clip_to_width(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, ending in '…' when cut (marks kept whole).

    Parameters
    ----------
    text : str
        Text to be printed.
    width : int
        Terminal columns available.

    Returns
    -------
    str
        ``text`` when it fits, else its head and ``…`` within ``width`` columns; ``""``
        for a width below 1.
    """
    if display_width(text) <= width:
        return text
    head, _ = _split_at_width(text, max(width - 1, 0))
    return head + "…" if width >= 1 else ""


def _split_at_width(text: str, width: int) -> tuple[str, str]:
    """Return the longest head of ``text`` within ``width`` columns (a mark stays with its base)."""
    used = 0
    for pos, ch in enumerate(text):
        cw = _char_width(ch)
        if cw and used + cw > width:
            return text[:pos], text[pos:]
        used += cw
    return text, ""


def wrap_to_width(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns.

    Breaks at a space when the line has one, else between two characters — Thai is
    written without spaces between words — never between a consonant and its marks or
    its vowel, and not so as to leave one or two letters alone on the last line.

    Parameters
    ----------
    text : str
        Text to be printed.
    width : int
        Terminal columns per line (1 at the least).

    Returns
    -------
    list[str]
        The lines, at least one; a character wider than ``width`` gets a line of its own.
    """
    width = max(width, 1)
    lines: list[str] = []
    rest = text
    while display_width(rest) > width:
        head, tail = _split_at_width(rest, width)
        if not head:  # a character wider than the column
            head, tail = rest[0], rest[1:]
        cut = head.rfind(" ")
        if tail and cut > 0 and not tail.startswith(" "):
            head, tail = head[:cut], head[cut + 1 :] + tail
        else:
            # keep a following vowel (า ะ ำ) and a leading vowel (เ แ โ ใ ไ) with their consonant
            # and leave no stray letter or two alone on the next line
            both, back = head + tail, len(head)
            while back > 1 and (
                head[back - 1] in _THAI_LEADING
                or both[back] in _THAI_FOLLOWING
                or unicodedata.category(both[back]) in _ZERO_WIDTH
                or display_width(both[back:]) < 3
            ):
                back -= 1
            if back > len(head) // 2:
                head, tail = head[:back], head[back:] + tail
        lines.append(head.rstrip())
        rest = tail.lstrip(" ")
    lines.append(rest)
    return lines


def terminal_width() -> int | None:
    """Columns to fit tables into.

    ``COLUMNS`` when set, the terminal's width when stdout is a terminal, else ``None``
    (piped output keeps every column whole).

    Returns
    -------
    int or None
        Terminal columns, or ``None`` for no limit.
    """
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def format_cell(value: Any) -> str:
    """Format a value as a person reads it in a table.

    Missing (None, NaN, NA) → '–'; booleans → yes / no; whole numbers with thousands
    separators; other numbers with four significant digits; text on one line (leading
    spaces kept).

    Parameters
    ----------
    value : Any
        A cell of a frame.

    Returns
    -------
    str
        The cell's text; a float of 1,000 or more is rounded to a whole number, an infinite
        one is ``–``.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        if not np.isfinite(v):
            return "–"
        if v.is_integer() or abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.4g}"
    text = str(value)
    indent = text[: len(text) - len(text.lstrip(" "))]  # kept: it shows a sub-item
    return indent + " ".join(text.split())


def _is_key(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name == "rank"


def format_table(
    frame: pd.DataFrame,
    *,
    width: int | None = None,
    max_rows: int = 40,
    min_text: int = 12,
    details: Sequence[str] | None = None,
    keys: Collection[str] = (),
) -> tuple[list[str], list[str]]:
    """Lines of ``frame`` as a plain table, and the names of the columns left out.

    Text is left-aligned and numbers right-aligned by their display width (Thai marks take
    no column), values as :func:`format_cell`. With ``width``, the widest text columns
    are narrowed (to ``min_text`` columns at the least; IDs never) and their cells wrapped
    onto more lines; if the table is still wider, the last columns are left out and named.
    ``details`` (one text per row of ``frame``) are printed under their rows, indented and
    wrapped, for what is too long for a column (e.g. a factory's gaps in words). ``keys``
    names more columns that are never narrowed (IDs shown under a header of their own).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    width : int or None, default None
        Terminal columns to fit into; ``None`` keeps every column whole.
    max_rows : int, default 40
        Rows shown (the first ones).
    min_text : int, default 12
        Narrowest a text column is made, in terminal columns.
    details : Sequence[str] or None, default None
        One text per row, printed under it after ``      → ``.
    keys : Collection[str], default ()
        Columns never narrowed, besides ``id``, ``*_id`` and ``rank``.

    Returns
    -------
    tuple[list[str], list[str]]
        The table's lines (header first), and the columns left out for the width.
    """
    shown = frame.head(max_rows)
    cols = [str(c) for c in shown.columns]
    numeric = [
        pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
        for c in shown.columns
    ]
    cells = [[format_cell(v) for v in shown[c].astype(object).tolist()] for c in shown.columns]
    widths = [
        max([display_width(h)] + [display_width(s) for s in col])
        for h, col in zip(cols, cells, strict=True)
    ]
    hidden: list[str] = []
    if width is not None:
        while sum(widths) + 2 * (len(widths) - 1) > width:
            narrow = [
                i
                for i, (c, n) in enumerate(zip(cols, numeric, strict=True))
                if not n and not (_is_key(c) or c in keys) and widths[i] > min_text
            ]
            if narrow:
                widest = max(narrow, key=lambda i: widths[i])
                widths[widest] -= 1
                continue
            if len(widths) <= 1:
                break
            hidden.insert(0, cols.pop())
            for lst in (widths, numeric, cells):
                lst.pop()

    def pad(text: str, w: int, right: bool) -> str:
        gap = " " * max(w - display_width(text), 0)
        return gap + text if right else text + gap

    def emit(row: list[str]) -> list[str]:
        parts = [
            [clip_to_width(s, w)] if n else wrap_to_width(s, w)
            for s, w, n in zip(row, widths, numeric, strict=True)
        ]
        height = max(len(p) for p in parts)
        return [
            "  ".join(
                pad(p[k] if k < len(p) else "", w, n)
                for p, w, n in zip(parts, widths, numeric, strict=True)
            ).rstrip()
            for k in range(height)
        ]

    lines = emit(cols)
    indent = "      → "
    room = (width if width is not None else 100) - display_width(indent)
    notes = list(details)[: len(shown)] if details is not None else [""] * len(shown)
    for row, note in zip(zip(*cells, strict=True), notes, strict=True):
        lines += emit(list(row))
        if note:
            lines += [indent + part for part in wrap_to_width(str(note), max(room, 20))]
    return lines, hidden


def echo_fitted_table(
    frame: pd.DataFrame,
    *,
    max_rows: int = 40,
    min_text: int = 12,
    details: Sequence[str] | None = None,
    keys: Collection[str] = (),
) -> None:
    """Print ``frame`` with :func:`format_table`, fitted to :func:`terminal_width`.

    The columns left out and the rows beyond ``max_rows`` are said on stderr, with where to
    see them all.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; an empty one prints ``(none)``.
    max_rows : int, default 40
        Rows printed.
    min_text : int, default 12
        Narrowest a text column is made, in terminal columns.
    details : Sequence[str] or None, default None
        One text per row, printed under it.
    keys : Collection[str], default ()
        Columns never narrowed.
    """
    if frame.empty:
        click.echo("(none)")
        return
    lines, hidden = format_table(
        frame,
        width=terminal_width(),
        max_rows=max_rows,
        min_text=min_text,
        details=details,
        keys=keys,
    )
    click.echo("\n".join(lines))
    if hidden:
        click.echo(
            f"(not shown for the terminal's width: {', '.join(hidden)} — widen the window, "
            "or see --json / the CSV)",
            err=True,
        )
    if len(frame) > max_rows:
        click.echo(f"... {len(frame)} rows in all", err=True)
