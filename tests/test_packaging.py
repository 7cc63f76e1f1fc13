"""The wheel must carry every subpackage and data file (layers/, maps/, catalogues, templates).

The full check — build the wheel, install it in a fresh venv, run ``ecogis demo`` from
another folder — runs in ``.ci/run``; this test catches the usual cause of a broken wheel
(a new subpackage or data file type not declared in pyproject.toml) in a second.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _setuptools_config() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]


def test_every_subpackage_is_declared() -> None:
    declared = set(_setuptools_config()["packages"])
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "ecogis").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    missing = sorted(found - declared)
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_every_data_file_is_covered_by_package_data() -> None:
    cfg = _setuptools_config()
    package_dir = cfg["package-dir"]
    package_data = cfg["package-data"]
    uncovered = []
    for package, patterns in package_data.items():
        folder = REPO / package_dir.get(package, package.replace(".", "/"))
        for f in folder.iterdir():
            is_data = f.is_file() and f.suffix not in (".py", ".pyc")
            if is_data and not any(fnmatch.fnmatch(f.name, pat) for pat in patterns):
                uncovered.append(str(f.relative_to(REPO)))
    assert not uncovered, f"package-data patterns do not cover: {uncovered}"
