"""The static engine: a Pagefind bundle written from the search documents (no HTML re-parsing).

Each document becomes a small synthetic HTML record (written to a scratch
folder at its URL's path and indexed in one ``add_directory`` call): HTML is
the one way to pass Pagefind per-field weights (``data-pagefind-weight``), so
the document model's boosts hold in the browser as they do on the server.
The rendered pages of the site are never parsed.  Filters and metadata travel in
``data-pagefind-filter`` / ``data-pagefind-meta`` attributes.
"""

from __future__ import annotations

import asyncio
import html
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .documents import WEIGHTS, SearchDocument
from .text import Synonyms, browser_table

#: The JSON the search page loads next to the bundle: fillers, stop words, synonym groups.
TABLE_NAME = "sunshine-query.json"
#: Pagefind stores Chinese under this language code; the page asks for nothing else.
LANGUAGE = "zh-cn"
#: Written between a record's own text and the words it is only found by (keywords, synonyms,
#: pinyin): the search page cuts excerpts from the text before it.  search.js knows it too.
HIDDEN_MARK = "〓"


def _weight(value: float) -> str:
    # Pagefind accepts weights from 0 to 10.
    return f"{max(0.1, min(10.0, value)):.1f}"


def record_html(doc: SearchDocument) -> str:
    """The synthetic page Pagefind indexes for ``doc``: one weighted block per field.

    The record's own text comes first (name, text, materials, basis), then
    :data:`HIDDEN_MARK`, then the words that find it but are not its text.
    """
    esc = html.escape
    own: list[tuple[str, float]] = [(doc.title, WEIGHTS["title"]), (doc.body, WEIGHTS["body"])]
    own += [("；".join(doc.materials), WEIGHTS["materials"]), ("；".join(doc.basis), WEIGHTS["basis"])]
    hidden: list[tuple[str, float]] = [(" ".join(doc.keywords), WEIGHTS["keywords"])]
    hidden += [(" ".join(doc.synonyms), WEIGHTS["synonyms"]), (" ".join(doc.pinyin), WEIGHTS["pinyin"])]

    def blocks(parts: list[tuple[str, float]]) -> list[str]:
        return [
            f'<p data-pagefind-weight="{_weight(weight * doc.boost)}">{esc(text)}</p>'
            for text, weight in parts
            if text
        ]

    body = "\n".join([*blocks(own), f"<p>{HIDDEN_MARK}</p>", *blocks(hidden)])
    filters = "\n".join(
        f'<span data-pagefind-filter="{esc(name)}">{esc(value)}</span>'
        for name, values in doc.facets.items()
        for value in values
    )
    status = doc.facets.get("status", ("",))[0]
    meta = {
        "title": doc.title,
        "kind": doc.kind,
        "id": doc.id,
        "summary": doc.summary,
        "keywords": " ".join(doc.keywords),
        "status": status if status != "在办" else "",
    }
    metas = "\n".join(f'<span data-pagefind-meta="{esc(k)}">{esc(v)}</span>' for k, v in meta.items() if v)
    # Filters and metadata are read from the ignored block but not indexed as words.
    return (
        f'<!doctype html><html lang="{LANGUAGE}"><head><title>{esc(doc.title)}</title></head>'
        f"<body><main data-pagefind-body>{body}"
        f"<div data-pagefind-ignore>{filters}{metas}</div></main></body></html>"
    )


def write_records(docs: list[SearchDocument], records_dir: Path) -> None:
    """One synthetic record file per document, at the path of its URL (``/items/x/`` → items/x/index.html)."""
    for doc in docs:
        path = records_dir / doc.url.strip("/") / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_html(doc), "utf-8")


async def _write(records_dir: Path, bundle_dir: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    # The bundle is written once, when the context closes, to output_path (an absolute path: left
    # unset, the wrapper writes ./pagefind in the working directory).
    config = IndexConfig(force_language=LANGUAGE, output_path=str(bundle_dir.resolve()))
    async with PagefindIndex(config=config) as index:
        # One request for the whole folder: the Python service answers about ten requests a
        # second, so a request per record would take minutes for a large center.
        await index.add_directory(str(records_dir))


def build_pagefind(
    docs: list[SearchDocument], site_dir: Path, synonyms: Synonyms, vocabulary: list[str] | None = None
) -> Path:
    """Write ``site_dir/pagefind/`` (the bundle plus the query table); return the bundle folder."""
    bundle = site_dir / "pagefind"
    with tempfile.TemporaryDirectory(prefix="sunshine-records-") as records:
        write_records(docs, Path(records))
        # A thread of its own: the caller may already run an event loop (Playwright's, in tests).
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(lambda: asyncio.run(_write(Path(records), bundle))).result()
    table = browser_table(synonyms, vocabulary or ())
    (bundle / TABLE_NAME).write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return bundle
