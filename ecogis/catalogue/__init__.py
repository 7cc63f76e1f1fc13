"""The project's own catalogues: package data written for ecogis, and their readers.

The CSV and TOML files here (materials and material classes, waste compatibility, hazard by
factory type, siting rules, requirements, target provinces, TSIC descriptions, EIT
indicators, TOR targets) are installed with the package and found through
:func:`ecogis.resources.catalogue_dir`. The modules read the ones needed below the analyses:
:mod:`~ecogis.catalogue.materials`, :mod:`~ecogis.catalogue.provinces`,
:mod:`~ecogis.catalogue.requirements`.
"""
