"""Workspace-level tasks: read layers, call the pure analyses, write results in one batch.

The CLI verbs and ``ecogis demo`` both call these, so a user can do in Python exactly what
the CLI does, with the same names. Analyses themselves (``ecogis.risk``,
``ecogis.symbiosis`` …) never touch files.

The task layer turns on QGIS default styles for every write: it registers
:func:`ecogis.qgis.refresh_workspace_styles` as a workspace after-write hook (storage
never imports presentation, so the hook is registered from here).
"""

from ecogis.qgis import refresh_workspace_styles
from ecogis.workspace import add_after_write_hook

add_after_write_hook(refresh_workspace_styles)
