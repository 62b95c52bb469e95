"""Markdown for editor-written text (news, pages, item conditions, FAQ answers), rendered safely.

The contract says raw HTML in a body is escaped, not rendered: editors write
Markdown, and a pasted ``<script>`` or ``<iframe>`` must show up as text on a
government site rather than run.  Python-Markdown passes raw HTML through by
default, so :class:`EscapeHtml` removes the two places where it does (the
block preprocessor and the inline pattern); the serializer then escapes ``<``
like any other text.  Links whose scheme could run code are dropped too.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown as _markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

#: Link and image schemes that are never rendered (the text of the link is kept).
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


class _SafeTree(Treeprocessor):
    """Drop ``href``/``src`` values whose scheme runs code; give table headers a scope; map links."""

    #: Set for one conversion: how a link an editor wrote becomes the link on the page.
    rewrite: Callable[[str], str] | None = None

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "th":
                element.set("scope", "col")
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and value.strip().lower().replace("\t", "").startswith(_UNSAFE_SCHEMES):
                    del element.attrib[attribute]
                elif value is not None and attribute == "href" and self.rewrite is not None:
                    element.set("href", self.rewrite(value))


class EscapeHtml(Extension):
    """Treat raw HTML in Markdown as text: it is escaped on output instead of passed through."""

    def extendMarkdown(self, md: _markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeTree(md), "safe_tree", 0)


_local = threading.local()


def _renderer() -> _markdown.Markdown:
    # A Markdown instance keeps state between conversions and is not thread-safe: one per thread.
    md = getattr(_local, "md", None)
    if md is None:
        md = _markdown.Markdown(extensions=[EscapeHtml(), "tables", "sane_lists"], output_format="html")
        _local.md = md
    return md


def render_markdown(text: str | None, rewrite_link: Callable[[str], str] | None = None) -> Markup:
    """Render editor Markdown to HTML that is safe to insert into a page (raw HTML escaped).

    ``rewrite_link`` maps each link target (the 关怀版 keeps its own links under ``/care/``).
    """
    if not text:
        return Markup("")
    md = _renderer()
    tree: _SafeTree = md.treeprocessors["safe_tree"]  # type: ignore[assignment]
    tree.rewrite = rewrite_link
    try:
        return Markup(md.convert(text))
    finally:
        tree.rewrite = None
        md.reset()
