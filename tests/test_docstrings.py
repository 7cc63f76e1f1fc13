"""Every public function of the library says what it takes and what it gives (issue 13.7).

ruff's pydocstyle rules (numpy convention) check that a docstring is there and well formed;
they cannot tell whether it has the numpydoc sections. This test walks every public function
and method of ``ecogis`` and fails when one that takes arguments has no ``Parameters``
section, or one that returns a value has no ``Returns`` (or ``Yields``) section.

Click commands are left out: their docstring is the command's ``--help`` text and their
options are documented by ``help=`` (a ``Parameters`` section would print in the help).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ecogis"

#: Packages not yet swept, as paths relative to ``ecogis/``. Empty when every module is done;
#: an entry here is a debt, never a permanent exemption.
NOT_YET_SWEPT: tuple[str, ...] = ()


def _is_click_command(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ast.unparse(target)
        if name.endswith((".command", ".group")) or name in ("command", "group"):
            return True
    return False


def _returns_value(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    annotation = node.returns
    if annotation is None:
        return False
    text = ast.unparse(annotation)
    return text not in ("None", "NoReturn", "Never")


def _takes_arguments(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = node.args
    names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    names = [n for n in names if n not in ("self", "cls")]
    return bool(names or arguments.vararg or arguments.kwarg)


def _public_functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not node.name.startswith("_"):
                found.append((node.name, node))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and not (
                    item.name.startswith("_")
                ):
                    found.append((f"{node.name}.{item.name}", item))
    return found


def _is_property_or_overload(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    names = {ast.unparse(d) for d in node.decorator_list}
    return bool(names & {"property", "overload", "typing.overload", "cached_property"}) or any(
        n.endswith((".setter", ".getter")) for n in names
    )


def _missing_sections() -> list[str]:
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if NOT_YET_SWEPT and relative.startswith(NOT_YET_SWEPT):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _public_functions(tree):
            if _is_click_command(node) or _is_property_or_overload(node):
                continue
            doc = ast.get_docstring(node) or ""
            lacks = []
            if _takes_arguments(node) and "Parameters\n" not in doc:
                lacks.append("Parameters")
            if _returns_value(node) and "Returns\n" not in doc and "Yields\n" not in doc:
                lacks.append("Returns")
            if lacks:
                problems.append(f"ecogis/{relative}:{node.lineno} {name}: no {' / '.join(lacks)}")
    return problems


def test_every_public_function_has_numpydoc_sections() -> None:
    problems = _missing_sections()
    assert not problems, "numpydoc sections missing:\n" + "\n".join(problems)


def test_the_allow_list_holds_only_packages_that_exist() -> None:
    for entry in NOT_YET_SWEPT:
        assert (PACKAGE / entry).exists(), f"NOT_YET_SWEPT names {entry!r}, which is gone"


def test_the_check_sees_a_missing_section() -> None:
    tree = ast.parse('def f(x: int) -> int:\n    """Twice x."""\n    return 2 * x\n')
    (_name, node) = _public_functions(tree)[0]
    assert _takes_arguments(node) and _returns_value(node)
    assert "Parameters\n" not in (ast.get_docstring(node) or "")
