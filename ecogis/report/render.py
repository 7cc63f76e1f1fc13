"""The one way a report page is rendered: package templates, data only as variables.

Every report kind (province reports, the index page, and any new one) renders through
:func:`render_page`. Templates are files in ``ecogis/templates`` and nothing else: no
template is ever built from a string, so no value from a workspace can become template
code (a factory called ``{{7*7}}`` stays ``{{7*7}}``; issue 14.1). Values are
autoescaped, and the environment is Jinja2's immutable sandbox, so even a template that
calls a method on a value cannot reach Python internals or change the value.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Return the report template environment (package templates, autoescape, sandboxed).

    Returns
    -------
    jinja2.Environment
        Shared by every report kind; templates load from ``ecogis/templates``.
    """
    return ImmutableSandboxedEnvironment(
        loader=jinja2.PackageLoader("ecogis", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_page(template: str, **values: Any) -> str:
    """Render the package template ``template`` with ``values`` as its variables.

    Parameters
    ----------
    template
        File name in ``ecogis/templates`` (e.g. ``report.html.j2``).
    **values
        Template variables; strings are escaped. Mark HTML built by ecogis from escaped
        parts (inline SVG charts) with :func:`trusted_html`.

    Returns
    -------
    str
        The page.
    """
    return environment().get_template(template).render(**values)


def trusted_html(text: str) -> Markup:
    """Mark HTML that ecogis built from escaped parts (an SVG chart) as safe to insert.

    Parameters
    ----------
    text
        Markup whose every data value was escaped where it was built.

    Returns
    -------
    Markup
        The same text, inserted without a second escaping.
    """
    return Markup(text)


def stylesheet(name: str = "report.css") -> Markup:
    r"""Read a package stylesheet, made safe to place inside ``<style>``.

    Parameters
    ----------
    name : str
        File name in ``ecogis/templates``; default ``report.css``.

    Returns
    -------
    Markup
        The CSS text with ``</`` written as ``<\/``.
    """
    text = (files("ecogis.templates") / name).read_text(encoding="utf-8")
    return Markup(text.replace("</", "<\\/"))
