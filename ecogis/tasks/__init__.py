"""Workspace-level tasks: read layers, call the pure analyses, write results in one batch.

The CLI verbs and ``ecogis demo`` both call these, so a user can do in Python exactly what
the CLI does, with the same names. Analyses themselves (``ecogis.risk``,
``ecogis.symbiosis`` …) never touch files.
"""
