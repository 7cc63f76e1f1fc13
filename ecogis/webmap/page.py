"""Page elements that carry data into a folium page without ever becoming a template.

folium and branca build a page by rendering Jinja2 templates, and branca turns the output
of a ``MacroElement``'s ``html``/``header``/``script`` macros into *new* templates
(``Element(text)`` compiles ``text``). Anything placed in those macros is therefore
evaluated a second time: a factory called ``บริษัท {{7*7}} จำกัด`` would read ``49``, a
``{%`` would break every page, and a crafted name could run code on the machine that
builds the map.

The rule of this module: data travel only inside :class:`LiteralElement` (text that is
returned as it is by ``render`` and never compiled), as the packed document of
:mod:`ecogis.webmap.encode` (base64: no character of it can end a ``<script>``) or as JSON
made safe for ``<script>`` by :func:`json_for_html`. Templates are constants in the code;
every value a page shows goes through the one document read by ``templates/webmap.js``,
which puts it on screen with ``textContent``.
"""

from __future__ import annotations

import json
from typing import Any

from branca.element import Element, Figure

from ecogis.webmap.encode import Blobs, pack_document


def json_for_html(value: Any) -> str:
    r"""``value`` as JSON that is safe inside any HTML element, including ``<script>``.

    Thai text stays as UTF-8 (a third of the size of ``\u`` escapes); ``<``, ``>``,
    ``&`` and the JavaScript line separators are escaped so no value can end the element
    or start a comment, and ``${…}`` is inert because it is never in a template literal.

    Parameters
    ----------
    value
        Any JSON-serialisable value (NaN and infinities are refused).

    Returns
    -------
    str
        The JSON text.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class LiteralElement(Element):
    """A piece of page text that is written as it is: never compiled as a template.

    Parameters
    ----------
    text
        The HTML (or script) text, already made safe for where it goes.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "LiteralElement"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged (branca inserts it as a template *variable*).

        Parameters
        ----------
        **kwargs : Any
            Passed by branca's rendering; not used.

        Returns
        -------
        str
            :attr:`text`, as given.
        """
        return self.text


class DataDocument(Element):
    """The map's data document and the call that draws it on its parent map.

    On render it places a ``<script type="application/octet-stream">`` holding the packed
    document (:func:`ecogis.webmap.encode.pack_document`) in the page body and an
    ``ecogisRender(map, id)`` call in the page script, both as :class:`LiteralElement`.

    Parameters
    ----------
    config
        The whole map description (layers, legends, labels, search), JSON-ready.
    blobs
        The typed arrays ``config`` refers to.
    """

    def __init__(self, config: dict[str, Any], blobs: Blobs) -> None:
        super().__init__()
        self._name = "EcogisLayers"
        self.data_id = f"ecogis-data-{self._id}"
        self.payload = pack_document(config, blobs)

    def render(self, **kwargs: Any) -> str:
        """Add the document and the render call to the figure (nothing is templated).

        Parameters
        ----------
        **kwargs : Any
            Passed by branca's rendering; not used.

        Returns
        -------
        str
            ``""``: the element itself writes nothing where it stands.
        """
        figure = self.get_root()
        assert isinstance(figure, Figure), "the data document must be inside a folium map"
        parent = self._parent
        assert parent is not None, "the data document must be added to a folium map"
        figure.html.add_child(
            LiteralElement(
                f'<script type="application/octet-stream" id="{self.data_id}" '
                f'data-ecogis="document">{self.payload}</script>'
            ),
            name=self.get_name(),
        )
        figure.script.add_child(
            LiteralElement(f'ecogisRender({parent.get_name()}, "{self.data_id}");'),
            name=self.get_name(),
        )
        return ""
