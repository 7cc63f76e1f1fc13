"""The exceptions ecogis raises for bad input.

Every message names where the problem is (file, row, field), what is wrong and how to fix
it. The CLI prints ``str(error)`` as one line on stderr and exits with code 1; nothing in the
workspace is changed by a command that raised one of these.
"""

from __future__ import annotations

from pathlib import Path


class EcogisError(ValueError):
    """Base class of every error caused by input a user can fix.

    Parameters
    ----------
    what
        What is wrong, in words a planner understands.
    fix
        What to do about it (optional but nearly always given).
    source
        The file or layer the problem is in.
    row
        1-based data row (the header is row 0), or a business key such as a factory ID.
    field
        The column or field name.
    """

    def __init__(
        self,
        what: str,
        *,
        fix: str | None = None,
        source: str | Path | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.what = what
        self.fix = fix
        self.source = str(source) if source is not None else None
        self.row = row
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        where: list[str] = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}" if isinstance(self.row, int) else f"key {self.row}")
        if self.field:
            where.append(f"field {self.field}")
        text = (" ".join(where) + ": " if where else "") + self.what
        if self.fix:
            text += f" — {self.fix}"
        return text


class InputFileError(EcogisError):
    """A source file cannot be read, or is not what its name says."""


class DataValidationError(EcogisError):
    """A value breaks the layer contract (missing, wrong type, out of range, duplicate)."""


class CRSError(EcogisError):
    """A coordinate reference system is missing, wrong, or used for what it cannot do."""


class UnitError(EcogisError):
    """A unit is unknown or cannot be converted to the one asked for."""


class WorkspaceError(EcogisError):
    """The workspace GeoPackage is missing, not a GeoPackage, or lacks a needed layer."""


class CatalogueError(EcogisError):
    """A catalogue, recipe or rule file (package data or user-supplied) is malformed."""


class SyncError(WorkspaceError):
    """An offline copy and its database cannot be synchronised.

    The copy belongs to another database, is not a copy at all, or covers a province the
    database does not hold.
    """
