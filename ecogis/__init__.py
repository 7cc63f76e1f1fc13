"""ecogis: GIS analysis for Thailand's eco-industrial town programme.

Files come in through importers, live in one GeoPackage (the workspace), are turned into
new layers by pure analysis functions, and leave as web maps, reports and styled
GeoPackages. See ``DESIGN.md`` in the shared folder and the README.
"""

from ecogis.workspace import Workspace

__version__ = "0.1.0"
__all__ = ["Workspace", "__version__"]
