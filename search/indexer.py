"""What the build pipeline calls after rendering: both search indexes from one set of documents."""

from __future__ import annotations

from pathlib import Path

from sunshine.content import Content
from sunshine.content.tree import merge_synonyms

from .documents import city_documents, city_vocabulary, vocabulary
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

    Both cover the whole tree.  A city-wide tree also gets a Pagefind bundle per
    county center (``site_dir/<center>/pagefind``) for the county's own search
    page: the citizen downloads that center's index only.  The Whoosh index
    replaces an older one only once it is complete.  Returns every folder written.
    """
    words = city_vocabulary(content)
    add_words(words)
    by_center = city_documents(content)
    docs = [doc for center_docs in by_center.values() for doc in center_docs]
    synonyms = Synonyms(merge_synonyms(*(c.synonyms for c in content.all_centers())))
    written = {
        "pagefind": build_pagefind(docs, site_dir, synonyms, words),
        "whoosh": build_whoosh(docs, index_dir, synonyms, words),
    }
    for center in content.centers.values():
        written[f"pagefind:{center.center_id}"] = build_pagefind(
            by_center[center.center_id],
            site_dir / center.center_id,
            Synonyms(center.synonyms),
            vocabulary(center),
        )
    return written
