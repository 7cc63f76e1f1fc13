"""The house drawn from its imports: no import cycle, no arrow up a layer.

The graph is read with :mod:`ast` from every module under ``ecogis/`` (nothing is imported, so a
cycle cannot hide behind import order). ``from pkg import name`` counts as importing
``pkg.name`` when that is a module, else ``pkg`` (its ``__init__``); relative imports are
resolved against the importing module.

Layers, from the top (TEAM.md, DESIGN.md)::

    cli → tasks/demo → analyses / presentation → workspace, schema, importers, catalogue
        → errors, crs, units, resources

A module may import its own layer (when that makes no cycle) or any layer below it.

The nodes are modules (a package's ``__init__`` is a module of its own).

* **Cycles** are judged on every import that runs: at module level (also inside ``try``/``if``)
  and inside functions. A local import that closes a circle hides it from the interpreter, not
  from the next reader. Imports under ``if TYPE_CHECKING:`` never run and are left out.
* **Direction** is judged on every import, type-only ones too: a lazy or type-only import up a
  layer is still a dependency up a layer. Analyses never import the workspace (they are pure:
  frames in, frames out), although it sits below them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "ecogis"
PACKAGE_DIR = Path(__file__).resolve().parent.parent / PACKAGE

# Layer of each top-level part of the package: higher numbers sit higher in the house and
# may import lower ones. The root package itself re-exports ``Workspace`` (storage layer).
LAYERS: dict[str, int] = {
    # 0 — the foundations
    "errors": 0,
    "crs": 0,
    "units": 0,
    "resources": 0,
    # 1 — storage, the contract, reading files, the project's catalogues
    "workspace": 1,
    "schema": 1,
    "importers": 1,
    "catalogue": 1,
    "actionplan": 1,  # the action-plan table importer (importers' engineer)
    "receptors": 1,  # what a sensitive receptor is (read from the contract)
    "": 1,  # ``ecogis`` itself: ``from ecogis import Workspace``
    # 2 — analyses and presentation
    "risk": 2,
    "flows": 2,
    "symbiosis": 2,
    "compliance": 2,
    "eit": 2,
    "programme": 2,
    "webmap": 2,
    "report": 2,
    "qgis": 2,
    "assets": 2,
    # 3 — workspace jobs and the demo
    "tasks": 3,
    "demo": 3,
    "sync": 3,  # offline provincial copies (workspace jobs across two stores)
    # 4 — the command line
    "cli": 4,
    "__main__": 4,
}
LAYER_NAMES = {
    0: "errors/crs/units",
    1: "storage",
    2: "analysis/presentation",
    3: "tasks/demo",
    4: "cli",
}

# Package-data folders: no code of their own (an ``__init__`` only marks the folder).
DATA_PACKAGES = {"static", "templates", "layers", "maps"}

# Analyses are pure (frames in, frames out): they never reach the store, though it is below them.
ANALYSES = {"risk", "flows", "symbiosis", "compliance", "eit", "programme"}
STORE = {"ecogis.workspace", "ecogis"}  # ``ecogis`` re-exports Workspace

# Known violations that other engineers are removing in this round. Each entry names who
# removes it; the lead deletes the entry when the fix lands (a test below fails on an entry
# whose violation is gone). Nothing else may break the rules.
#
# Not listed, because they are not cycles under the rule above: ``from ecogis.report import
# charts`` in report/sections.py, ``from ecogis.webmap import data`` in webmap/build.py and
# ``from ecogis.importers import diw`` in importers/factories.py import a *module* of the
# package, not a name its ``__init__`` defines, so nothing there waits on a half-run
# ``__init__``. ``from ecogis.report import Section`` would be one, and fails the test.
ALLOWED_CYCLES: dict[frozenset[str], str] = {}
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}
ALLOWED_ANALYSIS_TO_STORE: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    """One import statement's target, as a module name of the package."""

    source: str
    target: str
    line: int
    runs: bool
    """False for an import under ``if TYPE_CHECKING:`` (never executed)."""


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _resolve(name: str, module: str | None, level: int) -> str:
    """Absolute module name of ``from <level dots><module> import …`` in ``name``."""
    if level == 0:
        return module or ""
    base = name.split(".")
    if not _is_package(name):
        base = base[:-1]  # a plain module's package
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _known(target: str) -> str | None:
    """The nearest module of the package that ``target`` names (``a.b.c`` → ``a.b``)."""
    parts = target.split(".")
    while parts:
        cand = ".".join(parts)
        if cand in MODULES:
            return cand
        parts.pop()
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, *, runs: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, runs
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), runs=False)
            for stmt in child.orelse:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), runs=runs)
        else:
            yield from _walk(child, runs=runs)


def imports_of(name: str) -> list[Import]:
    """Every import of a module of the package made by module ``name``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))
    out: list[Import] = []
    for node, runs in _walk(tree, runs=True):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = _resolve(name, node.module, node.level)
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                # ``from pkg import mod`` imports the module pkg.mod; ``from pkg import x``
                # (a function, a class) imports pkg itself, i.e. its __init__.
                targets.append(sub if sub in MODULES else base)
        for t in targets:
            if t != PACKAGE and not t.startswith(PACKAGE + "."):
                continue
            known = _known(t)
            if known is not None and known != name:
                out.append(Import(name, known, node.lineno, runs))
    return out


GRAPH: dict[str, list[Import]] = {m: imports_of(m) for m in MODULES}


def _part(module: str) -> str:
    """The top-level part of the package a module belongs to (``''`` for ``ecogis``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _where(i: Import) -> str:
    return f"{MODULES[i.source].relative_to(PACKAGE_DIR.parent)}:{i.line}"


def _cycles() -> list[list[str]]:
    """Strongly connected components (Tarjan) of the graph of imports that run, ≥ 2 modules."""
    edges = {m: sorted({i.target for i in GRAPH[m] if i.runs}) for m in GRAPH}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def _cycle_path(component: list[str]) -> list[str]:
    """One circle through the component, for the failure message (a → b → … → a)."""
    members = set(component)
    start = component[0]
    edges = {
        m: sorted({i.target for i in GRAPH[m] if i.runs and i.target in members}) for m in component
    }
    # breadth-first search from start back to start
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in edges[v]:
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return component


def _allowed_cycle(component: list[str]) -> bool:
    """Whether every edge of the component belongs to an allowed (named) cycle."""
    members = set(component)
    for m in component:
        for i in GRAPH[m]:
            if not (i.runs and i.target in members):
                continue
            if not any({m, i.target} <= pair for pair in ALLOWED_CYCLES):
                return False
    return True


def test_the_graph_is_read() -> None:
    """The reader finds the package's modules and their imports (so the rules can bite)."""
    assert "ecogis.workspace" in MODULES and "ecogis.cli" in MODULES
    targets = {i.target for i in GRAPH["ecogis.tasks.risk"]}
    assert "ecogis.risk" in targets and "ecogis.workspace" in targets
    # a relative import resolves against the importing module's package
    assert _resolve("ecogis.risk.bands", "proximity", 1) == "ecogis.risk.proximity"
    assert _resolve("ecogis.risk", "bands", 1) == "ecogis.risk.bands"
    assert _resolve("ecogis.risk.bands", None, 2) == "ecogis"


def test_every_module_has_a_layer() -> None:
    missing = sorted(m for m in MODULES if _part(m) not in LAYERS and _part(m) not in DATA_PACKAGES)
    assert not missing, f"give these modules a layer in LAYERS: {missing}"


def test_no_import_cycle() -> None:
    problems = [" → ".join(_cycle_path(comp)) for comp in _cycles() if not _allowed_cycle(comp)]
    assert not problems, "import cycles:\n  " + "\n  ".join(problems)


def test_imports_point_down_the_layers() -> None:
    problems = []
    for m, imports in GRAPH.items():
        mine = LAYERS.get(_part(m))
        for i in imports:
            theirs = LAYERS.get(_part(i.target))
            if mine is None or theirs is None or theirs <= mine:
                continue
            if (m, i.target) in ALLOWED_UPWARD:
                continue
            problems.append(
                f"{_where(i)} {m} ({LAYER_NAMES[mine]}) imports {i.target} ({LAYER_NAMES[theirs]})"
            )
    assert not problems, "imports up a layer:\n  " + "\n  ".join(sorted(problems))


def test_analyses_never_import_the_workspace() -> None:
    problems = [
        f"{_where(i)} {m} imports {i.target}"
        for m, imports in GRAPH.items()
        if _part(m) in ANALYSES
        for i in imports
        if i.target in STORE and (m, i.target) not in ALLOWED_ANALYSIS_TO_STORE
    ]
    assert not problems, "analyses that reach the store:\n  " + "\n  ".join(sorted(problems))


def test_allow_lists_hold_only_what_still_breaks() -> None:
    """An entry whose violation is gone must be deleted, so the list only ever shrinks."""
    cycles = [set(c) for c in _cycles()]
    stale = [sorted(pair) for pair in ALLOWED_CYCLES if not any(pair <= c for c in cycles)]
    edges = {(m, i.target) for m, imports in GRAPH.items() for i in imports}
    stale += [
        list(pair) for pair in (*ALLOWED_UPWARD, *ALLOWED_ANALYSIS_TO_STORE) if pair not in edges
    ]
    assert not stale, f"delete these allow-list entries, the violation is gone: {stale}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ecogis import schema\n", "ecogis.schema"),
        ("from ecogis import Workspace\n", "ecogis"),
        ("from ecogis.risk import proximity_scores\n", "ecogis.risk"),
        ("from . import bands\n", "ecogis.risk.bands"),
        ("from .bands import band_label\n", "ecogis.risk.bands"),
        ("import ecogis.crs as c\n", "ecogis.crs"),
    ],
)
def test_reader_resolves_import_forms(
    source: str, expected: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each form of import names the module a person would say it imports."""
    fake = tmp_path / "probe.py"
    fake.write_text(source, encoding="utf-8")
    monkeypatch.setitem(MODULES, "ecogis.risk.probe", fake)
    assert [i.target for i in imports_of("ecogis.risk.probe")] == [expected]


def test_a_cycle_through_a_package_init_is_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A submodule taking a *name* from its package's ``__init__``, which imports it, is a cycle;
    taking a sibling *module* through the package is not."""
    pkg = tmp_path / "probe"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from ecogis.probe.child import thing\nLIMIT = 3\n")
    (pkg / "child.py").write_text("from ecogis.probe import LIMIT\nthing = LIMIT\n")
    (pkg / "sibling.py").write_text("from ecogis.probe import child\n")
    for name, path in (
        ("ecogis.probe", pkg / "__init__.py"),
        ("ecogis.probe.child", pkg / "child.py"),
        ("ecogis.probe.sibling", pkg / "sibling.py"),
    ):
        monkeypatch.setitem(MODULES, name, path)
    for name in ("ecogis.probe", "ecogis.probe.child", "ecogis.probe.sibling"):
        monkeypatch.setitem(GRAPH, name, imports_of(name))
    assert ["ecogis.probe", "ecogis.probe.child"] in _cycles()
    assert [i.target for i in GRAPH["ecogis.probe.sibling"]] == ["ecogis.probe.child"]


def test_no_test_module_imports_another() -> None:
    """Shared test helpers are fixtures in conftest.py (issue 13.7), never imported.

    Importing conftest for a fixture's type (``DemoRun``) is fine; a test module is not a
    library of helpers.
    """
    tests = Path(__file__).resolve().parent
    offenders = []
    for path in sorted(tests.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) in ("__import__", "importlib.import_module")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = [str(node.args[0].value)]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0].startswith("test_")]
    assert not offenders, offenders
