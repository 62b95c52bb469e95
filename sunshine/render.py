"""Stage 3 — render: freeze every page of the application into HTML files with Frozen-Flask.

The same Flask app that serves the site renders it here: the freezer asks it
for every URL in :func:`sunshine.web.urls.public_pages` (plus every URL the
pages link to with ``url_for`` and every static file) and writes each
directory URL as ``…/index.html``, so any static web server can host the output.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask
from flask_frozen import Freezer

from .content import Content
from .web.urls import RECORD_ENDPOINTS, public_pages

#: Folders other stages write into the destination; the freezer must not treat them as stale.
OTHER_STAGES = [
    "forms/*",
    "schema/*",
    "pagefind/*",
    "search-index/*",
    "sitemap.xml",
    "robots.txt",
    "news/feed.xml",
]


def freeze(app: Flask, content: Content, dest: Path) -> int:
    """Render every page of ``content`` into ``dest``; return the number of pages (static files excluded)."""
    app.config.update(
        FREEZER_DESTINATION=str(Path(dest).resolve()),
        FREEZER_DESTINATION_IGNORE=OTHER_STAGES,
        # A redirect in a static site is a bug (e.g. a missing trailing slash): fail the build.
        FREEZER_REDIRECT_POLICY="error",
        FREEZER_REMOVE_EXTRA_FILES=True,
    )
    empty_kinds = {endpoint for endpoint, kind in RECORD_ENDPOINTS.items() if not getattr(content, kind)}
    freezer = _Freezer(app, with_static_files=True, with_no_argument_rules=True, log_url_for=True)
    freezer.empty_endpoints = empty_kinds

    @freezer.register_generator
    def pages() -> Iterator[tuple[str, dict[str, Any]]]:
        for ref in public_pages(content):
            yield ref.endpoint, ref.values

    @freezer.register_generator
    def feedback_pages() -> Iterator[str]:
        # Published replies and statistics, when the build was given --feedback-db (else nothing).
        from .feedback.publish import freeze_urls

        yield from freeze_urls(app)

    static_prefix = (app.static_url_path or "/static").rstrip("/") + "/"
    return sum(1 for page in freezer.freeze_yield() if not page.url.startswith(static_prefix))


class _Freezer(Freezer):
    """Frozen-Flask's freezer, told which record pages have no records in this tree.

    A contract-valid tree may have no news, pages or windows; Frozen-Flask would
    take the page that has nothing to render for a forgotten URL generator and
    warn (an error under the test suite).  Every other endpoint is still checked.
    """

    empty_endpoints: set[str] = set()  # noqa: RUF012

    def _check_endpoints(self, seen_endpoints: set[str]) -> None:
        super()._check_endpoints(set(seen_endpoints) | self.empty_endpoints)
