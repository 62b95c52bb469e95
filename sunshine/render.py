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
from .web.centers import record_with_center
from .web.city import OPTIONAL_PAGES, city_pages, data_files
from .web.urls import RECORD_ENDPOINTS

#: Folders other stages write into the destination; the freezer must not treat them as stale.
OTHER_STAGES = [
    "forms/*",
    "schema/*",
    "pagefind/*",
    "search-index/*",
    "sitemap.xml",
    "robots.txt",
    "news/feed.xml",
    # the same files of each county center, under /<center>/
    "*/forms/*",
    "*/pagefind/*",
    "*/news/feed.xml",
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
    centers = content.all_centers()
    empty_kinds = {
        endpoint for endpoint, kind in RECORD_ENDPOINTS.items() if not any(getattr(c, kind) for c in centers)
    }
    refs = [*city_pages(content), *data_files(content)]
    freezer = _Freezer(app, with_static_files=True, with_no_argument_rules=True, log_url_for=True)
    # The city's pages a tree has nothing for (no catalog, no reform rounds) are not forgotten generators.
    city_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("city.")}
    freezer.empty_endpoints = empty_kinds | (city_endpoints - {ref.endpoint for ref in refs})
    # A county page's links are recorded with its center (see sunshine.web.centers).
    record_with_center(app)

    @freezer.register_generator
    def pages() -> Iterator[tuple[str, dict[str, Any]]]:
        for ref in refs:
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

    def no_argument_rules_urls(self) -> Iterator[tuple[str, dict[str, Any]]]:
        # Pages a tree may not have (no catalog, no reform rounds) come from the page list only.
        for endpoint, values in super().no_argument_rules_urls():
            if endpoint not in OPTIONAL_PAGES:
                yield endpoint, values
