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


def _data_files(folder: Path) -> list[Path]:
    """Files of a package folder that are not code, down to (not into) its subpackages."""
    out = []
    for f in sorted(folder.rglob("*")):
        rel = f.relative_to(folder)
        if "__pycache__" in rel.parts or not f.is_file() or f.suffix in (".py", ".pyc"):
            continue
        inner = [folder.joinpath(*rel.parts[:i]) for i in range(1, len(rel.parts))]
        if any((d / "__init__.py").exists() for d in inner):
            continue  # belongs to a subpackage, checked as its own package
        out.append(f)
    return out


def test_every_data_file_is_covered_by_package_data() -> None:
    """Every non-code file of every package (also in its data folders) ships in the wheel."""
    cfg = _setuptools_config()
    package_dir = cfg["package-dir"]
    package_data = cfg["package-data"]
    uncovered = []
    for package in cfg["packages"]:
        folder = REPO / package_dir.get(package, package.replace(".", "/"))
        patterns = package_data.get(package, [])
        for f in _data_files(folder):
            rel = f.relative_to(folder).as_posix()
            if not any(fnmatch.fnmatch(rel, pat) for pat in patterns):
                uncovered.append(str(f.relative_to(REPO)))
    assert not uncovered, f"package-data patterns do not cover: {uncovered}"


def test_the_demo_tables_and_the_type_marker_are_declared() -> None:
    """The demo reads its tables from the package, and ecogis ships ``py.typed`` (PEP 561)."""
    cfg = _setuptools_config()
    assert (REPO / "ecogis" / "py.typed").is_file()
    assert "py.typed" in cfg["package-data"]["ecogis"]
    tables = sorted((REPO / "ecogis" / "demo" / "data").glob("*.csv"))
    assert len(tables) >= 10
    assert "data/*.csv" in cfg["package-data"]["ecogis.demo"]
