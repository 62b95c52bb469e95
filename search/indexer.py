"""What the build pipeline calls after rendering: both search indexes from one set of documents."""

from __future__ import annotations

from pathlib import Path

from sunshine.content import Content

from .documents import build_documents, vocabulary
from .pagefind_index import build_pagefind
from .text import Synonyms, add_words
from .whoosh_index import build_whoosh


def whoosh_dir(out_dir: Path) -> Path:
    """Where the build of ``out_dir`` keeps the server's Whoosh index: beside the site, never inside it.

    ``output/`` → ``output.search/whoosh``.  The public folder holds only what a
    static host should serve; the server opens this folder (``SEARCH_INDEX_DIR``).
    """
    out_dir = Path(out_dir)
    return out_dir.with_name(f"{out_dir.name}.search") / "whoosh"


def build_indexes(content: Content, site_dir: Path, index_dir: Path) -> dict[str, Path]:
    """Write the Pagefind bundle into ``site_dir/pagefind`` and the Whoosh index at ``index_dir``.

    Returns both folders.  The Whoosh index replaces an older one only once it is complete.
    """
    words = vocabulary(content)
    add_words(words)
    docs = build_documents(content)
    synonyms = Synonyms(content.synonyms)
    return {
        "pagefind": build_pagefind(docs, site_dir, synonyms, words),
        "whoosh": build_whoosh(docs, index_dir, synonyms, words),
    }
