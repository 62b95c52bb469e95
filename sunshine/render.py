"""Stage 3 — render: freeze every page of the application into HTML files with Frozen-Flask.

The same Flask app that serves the site renders it here: the freezer asks it
for every URL in :func:`sunshine.web.urls.public_pages` (plus every URL the
pages link to with ``url_for`` and every static file) and writes each
directory URL as ``…/index.html``, so any static web server can host the output.
Every page is then rendered once more as its 关怀版 under ``/care/``
(:func:`freeze_care`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask
from flask_frozen import Freezer

from .content import Content
from .web.care import PREFIX as CARE_PREFIX
from .web.centers import record_with_center
from .web.city import OPTIONAL_PAGES, city_pages, data_files

#: Folders other stages write into the destination; the freezer must not treat them as stale.
OTHER_STAGES = [
    "forms/*",
    "schema/*",
    "pagefind/*",
    "care/*",
    "sitemap.xml",
    "robots.txt",
    "news/feed.xml",
    "items/feed.xml",
    # the same files of each county center, under /<center>/
    "*/forms/*",
    "*/pagefind/*",
    "*/news/feed.xml",
    "*/items/feed.xml",
]


def freeze(app: Flask, content: Content, dest: Path) -> int:
    """Render every page of ``content`` into ``dest``, and its 关怀版 into ``dest/care``.

    Returns the number of pages (static files excluded, each page counted once).
    """
    app.config.update(
        FREEZER_DESTINATION=str(Path(dest).resolve()),
        FREEZER_DESTINATION_IGNORE=OTHER_STAGES,
        # A redirect in a static site is a bug (e.g. a missing trailing slash): fail the build.
        FREEZER_REDIRECT_POLICY="error",
        FREEZER_REMOVE_EXTRA_FILES=True,
    )
    refs = [*city_pages(content), *data_files(content)]
    freezer = _Freezer(app, with_static_files=True, with_no_argument_rules=True, log_url_for=True)
    # Endpoints of pages this tree gives nothing to show (no news, no withdrawn items, no catalog …)
    # are not forgotten generators.
    rules = app.url_map.iter_rules()
    endpoints = {r.endpoint for r in rules if r.endpoint.startswith(("web.", "search.", "city."))}
    endpoints.discard("search.page")
    freezer.empty_endpoints = endpoints - {ref.endpoint for ref in refs}
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
    page_urls = [
        page.url
        for page in freezer.freeze_yield()
        if not page.url.startswith(static_prefix) and str(page.path).endswith(".html")
    ]
    freeze_care(app, page_urls, Path(dest))
    return len(page_urls)


def freeze_care(app: Flask, urls: list[str], dest: Path) -> None:
    """Write the 关怀版 of each page URL into ``dest/care/…`` (the 404 page has none: hosts serve one)."""
    client = app.test_client()
    base_url = f"http://localhost{CARE_PREFIX}/"
    for url in urls:
        if url == "/404.html":
            continue
        response = client.get(url, base_url=base_url)
        if response.status_code != 200:
            raise RuntimeError(f"关怀版 {CARE_PREFIX}{url}: HTTP {response.status_code}")
        target = dest / CARE_PREFIX.strip("/") / url.lstrip("/")
        if url.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.data)


class _Freezer(Freezer):
    """Frozen-Flask's freezer, told which public pages have nothing to show in this tree.

    A contract-valid tree may have no news, pages, windows or withdrawn items;
    Frozen-Flask would take an endpoint without URLs for a forgotten URL
    generator and warn (an error under the test suite).  Every other endpoint is still checked.
    """

    empty_endpoints: set[str] = set()  # noqa: RUF012

    def _check_endpoints(self, seen_endpoints: set[str]) -> None:
        super()._check_endpoints(set(seen_endpoints) | self.empty_endpoints)

    def no_argument_rules_urls(self) -> Iterator[tuple[str, dict[str, Any]]]:
        # Pages a tree may not have (no catalog, no reform rounds) come from the page list only.
        for endpoint, values in super().no_argument_rules_urls():
            if endpoint not in OPTIONAL_PAGES:
                yield endpoint, values
