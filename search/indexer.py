"""What the build pipeline calls after rendering: both search indexes from one set of documents."""

from __future__ import annotations

from pathlib import Path

from sunshine.content import Content

from .documents import build_documents, vocabulary
from .pagefind_index import build_pagefind
from .text import Synonyms, add_words
from .whoosh_index import build_whoosh

#: Where the build writes the server's Whoosh index, relative to the site output.  It holds only
#: what the public pages show, so a static server exposing it leaks nothing; serve mode points
#: ``SEARCH_INDEX_DIR`` at it.
WHOOSH_SUBDIR = Path("_search") / "whoosh"


def build_indexes(content: Content, site_dir: Path) -> dict[str, Path]:
    """Write the Pagefind bundle (``site_dir/pagefind``) and the Whoosh index (``site_dir/_search/whoosh``).

    Returns both folders.
    """
    words = vocabulary(content)
    add_words(words)
    docs = build_documents(content)
    synonyms = Synonyms(content.synonyms)
    return {
        "pagefind": build_pagefind(docs, site_dir, synonyms, words),
        "whoosh": build_whoosh(docs, site_dir / WHOOSH_SUBDIR, synonyms, words),
    }
