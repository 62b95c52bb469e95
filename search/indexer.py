"""What the build pipeline calls after rendering: both search indexes from one set of documents."""

from __future__ import annotations

from pathlib import Path

from sunshine.content import Content
from sunshine.content.tree import merge_synonyms

from .documents import city_documents, city_vocabulary, vocabulary
from .pagefind_index import build_pagefind
from .text import Synonyms, add_words
from .whoosh_index import build_whoosh

#: Where the build writes the server's Whoosh index, relative to the site output.  It holds only
#: what the public pages show, so a static server exposing it leaks nothing; serve mode points
#: ``SEARCH_INDEX_DIR`` at it.
WHOOSH_SUBDIR = Path("_search") / "whoosh"


def build_indexes(content: Content, site_dir: Path) -> dict[str, Path]:
    """Write the Pagefind bundle (``site_dir/pagefind``) and the Whoosh index (``site_dir/_search/whoosh``).

    Both cover the whole tree.  A city-wide tree also gets a Pagefind bundle per
    county center (``site_dir/<center>/pagefind``) for the county's own search
    page: the citizen downloads that center's index only.  Returns every folder written.
    """
    words = city_vocabulary(content)
    add_words(words)
    by_center = city_documents(content)
    docs = [doc for center_docs in by_center.values() for doc in center_docs]
    synonyms = Synonyms(merge_synonyms(*(c.synonyms for c in content.all_centers())))
    written = {
        "pagefind": build_pagefind(docs, site_dir, synonyms, words),
        "whoosh": build_whoosh(docs, site_dir / WHOOSH_SUBDIR, synonyms, words),
    }
    for center in content.centers.values():
        written[f"pagefind:{center.center_id}"] = build_pagefind(
            by_center[center.center_id],
            site_dir / center.center_id,
            Synonyms(center.synonyms),
            vocabulary(center),
        )
    return written
