"""No code runs from data (issue 14.1): template syntax in workspace values stays text.

folium/branca render pages through Jinja2 and the reports are Jinja2 templates, so a
value such as ``บริษัท {{7*7}} จำกัด`` must reach the page literally — never ``49``, never a
template error, never a shell command. Every free-text field of every layer of a demo
workspace (with risk, symbiosis and compliance run) is overwritten with template
payloads; then every recipe (Thai and English), the province reports and ``report --all``
are written through the CLI, and each page is parsed to find the payloads as written.

A second test reads the code: nothing in ``ecogis/`` builds a template from a string or
uses the folium/branca elements whose text becomes a template.
"""

from __future__ import annotations

import ast
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from ecogis import schema
from ecogis.cli import cli
from ecogis.webmap.encode import read_document
from ecogis.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent

MARKER = "PWNED_MARKER"


def payloads(target: Path) -> list[str]:
    """Template-injection forms; the shell ones would create ``target`` if evaluated."""
    touch = f"touch {target}"
    return [
        "บริษัท {{7*7}} จำกัด",
        "โรงงาน {% if true %}ถูกประเมิน{% endif %} จำกัด",
        "หจก. {# ความเห็น #} ท้าย",
        "ห้าง {% raw %} ไม่ปิด",
        "${7*7} ${alert(1)} `x${1}`",
        "{{ self.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('" + touch + "').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ lipsum.__globals__['os'].popen('" + touch + "').read() }}",
        "{{ joiner.__init__.__globals__.os.system('" + touch + "') }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
        "{{ config }} {{ request }} }} {% endfor %}",
    ]


def _free_text_fields(layer: str) -> list[str]:
    """Text fields a person types freely (no key, code, pattern, list or reference)."""
    c = schema.contract(layer)
    out = []
    for f in c.fields:
        if f.type != "str" or f.name in c.key or f.values or f.pattern or f.references:
            continue
        if f.name.endswith(("_id", "_code")) or f.name in ("level", "round", "grade", "unit"):
            continue
        out.append(f.name)
    return out


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path, list[str]]:
    """The demo workspace after the analyses, every free-text value a template payload."""
    from ecogis.tasks.demo import run_demo
    from ecogis.tasks.reports import ensure_action_plan

    folder = tmp_path_factory.mktemp("hostile")
    target = folder / MARKER
    run_demo(folder / "demo.gpkg", folder / "out", steps=("risk", "symbiosis", "compliance"))
    ws = Workspace.open(folder / "demo.gpkg")
    ensure_action_plan(ws, "25")
    forms = payloads(target)
    with ws.batch():
        for name in ws.layer_names():
            if not schema.has_contract(name):
                continue
            frame = ws.read(name)
            fields = [
                f for f in _free_text_fields(name) if f in frame.columns and frame[f].notna().any()
            ]
            if not fields or frame.empty:
                continue
            for k, f in enumerate(fields):
                values = [forms[(i + k) % len(forms)] for i in range(len(frame))]
                keep = frame[f].notna().to_numpy()
                frame[f] = pd.array(
                    [v if kept else None for v, kept in zip(values, keep, strict=True)],
                    dtype="string",
                )
            ws.write(name, frame)
    return ws, target, forms


class _Text(HTMLParser):
    """Text content, attributes and JSON documents of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.attrs: list[str] = []
        self.json: list[str] = []
        self._json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [v for _, v in attrs if v]
        self._json = tag == "script" and ("type", "application/json") in attrs

    def handle_endtag(self, tag: str) -> None:
        self._json = False

    def handle_data(self, data: str) -> None:
        (self.json if self._json else self.text).append(data)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def map_strings(html: str) -> set[str]:
    """Every string value in a map page's data document (decoded as the browser does)."""
    return set(_strings(read_document(html)))


def _assert_literal_in_map(html: str, forms: list[str], where: str) -> None:
    found = map_strings(html)
    present = [p for p in forms if any(p in s for s in found)]
    assert present, f"{where}: no payload reached the map data"
    for s in found:
        assert "บริษัท 49 จำกัด" not in s, f"{where}: {{{{7*7}}}} was evaluated"


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("recipe", ["overview", "risk", "symbiosis", "action_plan"])
def test_every_recipe_shows_template_syntax_as_text(
    hostile_ws: tuple[Workspace, Path, list[str]], tmp_path: Path, recipe: str, lang: str
) -> None:
    ws, target, forms = hostile_ws
    out = tmp_path / f"{recipe}_{lang}.html"
    args = ["map", "-w", ws.location, "-r", recipe, "-p", "25", "--lang", lang, "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    _assert_literal_in_map(out.read_text(encoding="utf-8"), forms, f"{recipe}/{lang}")
    assert not target.exists(), "a payload ran a shell command"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_province_report_shows_template_syntax_as_text(
    hostile_ws: tuple[Workspace, Path, list[str]], tmp_path: Path, lang: str
) -> None:
    ws, target, forms = hostile_ws
    out = tmp_path / f"report_{lang}.html"
    args = ["report", "-w", ws.location, "-p", "25", "--lang", lang, "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    doc = _Text()
    doc.feed(out.read_text(encoding="utf-8"))
    text = "\n".join(doc.text)
    shown = [p for p in forms if p in text]
    # Names of factories, communities, projects, links: many payloads reach the tables.
    assert len(shown) >= 6, shown
    assert "บริษัท 49 จำกัด" not in text
    # The embedded map (an iframe srcdoc) carries the payloads literally too.
    srcdoc = next(a for a in doc.attrs if 'data-ecogis="document"' in a)
    _assert_literal_in_map(srcdoc, forms, f"report map/{lang}")
    assert not target.exists()


def test_report_all_and_index_show_template_syntax_as_text(
    hostile_ws: tuple[Workspace, Path, list[str]], tmp_path: Path
) -> None:
    ws, target, forms = hostile_ws
    out = tmp_path / "all"
    result = CliRunner().invoke(cli, ["report", "-w", ws.location, "--all", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    pages = sorted(out.glob("report_*.html"))
    assert len(pages) == 15
    text = (out / "report_25.html").read_text(encoding="utf-8")
    assert any(p in text.replace("&#39;", "'").replace("&#34;", '"') for p in forms)
    assert not target.exists()


# ----------------------------------------------------------------------------- the code
FORBIDDEN_CALLS = {
    # A template made from a string compiles whatever the string holds.
    "jinja2.Template",
    "jinja2.Environment",
    "jinja2.environment.Template",
    # branca/folium elements whose text (or macro output) branca compiles as a template.
    "branca.element.Element",
    "branca.element.Html",
    "branca.element.IFrame",
    "branca.element.MacroElement",
    "folium.Element",
    "folium.Html",
    "folium.IFrame",
    "folium.Popup",
    "folium.Tooltip",
    "folium.Marker",
    "folium.CircleMarker",
    "folium.GeoJson",
    "folium.TileLayer",
    "folium.DivIcon",
    "folium.features.DivIcon",
    "folium.map.Popup",
    "folium.map.Tooltip",
}
FORBIDDEN_BASES = {"branca.element.MacroElement", "folium.MacroElement", "folium.map.Layer"}


def _imported_names(tree: ast.Module) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    names[a.asname] = a.name
                else:
                    head = a.name.split(".")[0]
                    names[head] = head
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
    return names


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    head = names.get(node.id)
    if head is None:
        return None
    return ".".join([head, *reversed(parts)])


def test_no_template_is_built_from_a_string_anywhere_in_ecogis() -> None:
    problems: list[str] = []
    for path in sorted((REPO / "ecogis").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _imported_names(tree)
        rel = path.relative_to(REPO)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "from_string":
                    problems.append(f"{rel}:{node.lineno}: .from_string() compiles a string")
                dotted = _dotted(func, names)
                if dotted in FORBIDDEN_CALLS:
                    problems.append(f"{rel}:{node.lineno}: {dotted}(…) makes a template source")
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    if _dotted(base, names) in FORBIDDEN_BASES:
                        problems.append(
                            f"{rel}:{node.lineno}: class {node.name} is a MacroElement, whose "
                            "macro output branca compiles as a template"
                        )
    assert not problems, (
        "data must never reach a template source; use ecogis.webmap.page.LiteralElement / "
        "DataDocument for map pages and ecogis.report.render.render_page for reports:\n"
        + "\n".join(problems)
    )
