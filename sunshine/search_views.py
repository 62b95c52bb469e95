"""Search pages: ``/search/`` in both modes, and ``/api/search`` on the server.

In the static build ``/search/`` is frozen as a page whose script queries the
Pagefind bundle in the browser.  On the server the same URL (also reachable
as ``/search?q=``) renders Whoosh results without any script, and
``/api/search`` returns them as JSON.

The server opens the index named by ``SEARCH_INDEX_DIR`` (the build writes it
to ``<output>.search/whoosh``, beside the site).  Without one it indexes the current content
into the instance folder on first use, and again whenever the content changes
(serve mode re-reads edited files).

A city-wide tree has one index for all its centers: ``/search/`` searches the
whole city with a filter by center (``center=<id>``), and a county's own
``/<center>/search/`` is the same page kept to that center.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, g, jsonify, render_template, request, url_for

from search.documents import (
    FACET_LABELS,
    KIND_LABELS,
    city_documents,
    city_vocabulary,
    facet_values,
    term_index,
)
from search.text import Synonyms, add_words
from search.whoosh_index import MAX_LIMIT, Response, WhooshSearch, build_whoosh, clamp_limit

from .content import Content
from .content.tree import merge_synonyms
from .store import get_city, get_content
from .web.helpers import feedback_base

bp = Blueprint("search", __name__)
_KEY = "sunshine.search"

#: Query-string names of the filters (shared by the page and the API) → facet names.
FILTER_PARAMS: dict[str, str] = {
    "type": "type",
    "department": "department",
    "audience": "audience",
    "online": "online",
    "kind": "kind",
    "status": "status",
    "center": "center",
}


class _Engine:
    """The server's searcher: a prebuilt index, or one kept in step with the content.

    One :class:`WhooshSearch` per process: it keeps the index and the postings
    it has read in memory, and reopens a prebuilt index when a build replaces it.
    """

    def __init__(self, app: Flask):
        configured = app.config.get("SEARCH_INDEX_DIR")
        self.prebuilt = Path(configured) if configured else None
        self.instance_dir = Path(app.instance_path) / "search" / "whoosh"
        self.lock = threading.Lock()
        self.searcher: WhooshSearch | None = None
        self.built_for: object = None

    def current(self) -> WhooshSearch:
        if self.prebuilt is not None:
            if self.searcher is None:
                with self.lock:
                    if self.searcher is None:
                        self.searcher = WhooshSearch(self.prebuilt)
            assert self.searcher is not None
            return self.searcher
        content = get_city()
        with self.lock:
            if self.searcher is None or self.built_for is not content:
                if self.searcher is not None:
                    self.searcher.close()
                words = city_vocabulary(content)
                add_words(words)
                docs = [d for center_docs in city_documents(content).values() for d in center_docs]
                synonyms = Synonyms(merge_synonyms(*(c.synonyms for c in content.all_centers())))
                build_whoosh(docs, self.instance_dir, synonyms, words)
                self.searcher = WhooshSearch(self.instance_dir)
                self.built_for = content
            return self.searcher


def engine() -> WhooshSearch:
    """The Whoosh searcher of the current application."""
    return current_app.extensions[_KEY].current()


def _filters() -> dict[str, str]:
    """The filters of the query string; a county's own search page is always kept to the county."""
    filters = {facet: request.args.get(param, "").strip() for param, facet in FILTER_PARAMS.items()}
    content = get_content()
    if content.city is not None:
        filters["center"] = content.center_id
    return filters


def _query() -> str:
    return request.args.get("q", "")[:500]


def suggestions(query: str, limit: int = 5) -> list[tuple[str, str]]:
    """Items whose names share the most Chinese characters with ``query``: offered when nothing matched."""
    wanted = {ch for ch in query if not ch.isspace() and not ch.isascii()}
    if not wanted:
        return []
    scored = []
    content = get_content()
    for item in content.active_items():
        overlap = len(wanted & set(item.name + "".join(item.keywords)))
        if overlap:
            scored.append((-overlap, item.name, item.id))
    return [(f"{content.url_prefix}/items/{item_id}/", name) for _, name, item_id in sorted(scored)[:limit]]


#: Facets offered as filters on the server's results page, in this order.
PAGE_FACETS = ("type", "department", "audience", "online")


def _page_facets() -> tuple[str, ...]:
    """The city-wide search of a city-wide tree also filters by center."""
    content = get_content()
    return ("center", *PAGE_FACETS) if content.is_city else PAGE_FACETS


def center_names() -> dict[str, str]:
    """Center id → name, for the center filter (empty in a single-center tree)."""
    city = get_city()
    return {c.center_id: c.site.name for c in city.all_centers()} if city.is_city else {}


def _filter_values() -> dict[str, list[str]]:
    """The static page's filter menus: the values of this center, or of every center on the city's page."""
    content = get_content()
    if not content.is_city:
        return facet_values(content)
    merged: dict[str, list[str]] = {}
    for center in content.all_centers():
        for name, values in facet_values(center).items():
            merged[name] = [*merged.get(name, []), *(v for v in values if v not in merged.get(name, []))]
    return merged


def _facet_links(query: str, response: Response | None) -> dict[str, list[tuple[str, int, str, bool]]]:
    """For each facet: (value, count, URL applying or removing it, applied?)."""
    if response is None:
        return {}
    current = {k: v for k, v in _filters().items() if v}
    if get_content().city is not None:
        current.pop("center", None)  # the county's page is its filter
    links: dict[str, list[tuple[str, int, str, bool]]] = {}
    for name in _page_facets():
        links[name] = []
        for value, count in response.facets.get(name, {}).items():
            active = current.get(name) == value
            params = {**current, name: value}
            if active:
                params.pop(name)
            links[name].append((value, count, url_for("search.page", q=query, **params), active))
    return links


#: Results the server's page shows at first, and how many more each "显示更多结果" adds.
PAGE_SIZE = 10


def _shown() -> int:
    """How many results the server's page shows (``n``): a multiple of the page size, at most the API's."""
    try:
        wanted = int(request.args.get("n", PAGE_SIZE))
    except ValueError:
        wanted = PAGE_SIZE
    return max(PAGE_SIZE, min(clamp_limit(wanted), -(-wanted // PAGE_SIZE) * PAGE_SIZE))


def search_action() -> str:
    """Where search forms send a query: a server when there is one (it answers without script)."""
    base = feedback_base(get_content().site)
    if base:
        return base + ("/care" if request.script_root.endswith("/care") else "") + "/search/"
    return url_for("search.page")


_LETTERS: dict[int, tuple[Content, dict[str, list[tuple[str, list]]]]] = {}  # type: ignore[type-arg]


def _term_index(content: Content) -> dict[str, list[tuple[str, list]]]:  # type: ignore[type-arg]
    cached = _LETTERS.get(id(content))
    if cached is None or cached[0] is not content:
        _LETTERS.clear()
        cached = (content, term_index(content))
        _LETTERS[id(content)] = cached
    return cached[1]


@bp.route("/search/", strict_slashes=False)
def page() -> str:
    """The search page: server results when a query is given on the server, else the browser UI."""
    static = bool(current_app.config.get("STATIC_BUILD"))
    content = get_content()
    query = "" if static else _query()
    shown = _shown()
    response = engine().search(query, filters=_filters(), limit=shown) if query.strip() else None
    more_url = None
    if response is not None and response.total > shown and shown < MAX_LIMIT:
        params = {k: v for k, v in _filters().items() if v}
        more_url = url_for("search.page", q=query, n=shown + PAGE_SIZE, **params) + f"#r{shown + 1}"
    return render_template(
        "search/index.html",
        query=query,
        response=response,
        static=static,
        search_server=feedback_base(content.site) is not None,
        suggestions=suggestions(query) if response is not None and not response.total else [],
        facet_labels=FACET_LABELS,
        kind_labels=KIND_LABELS,
        facet_links=_facet_links(query, response),
        filter_values=_filter_values() if static else {},
        center_names=center_names(),
        more_url=more_url,
        letters=_letter_links(_term_index(content)),
    )


@bp.route("/search/zimu/")
def letters() -> str:
    """事项索引: the pinyin initials, each leading to its page (the script-free way to find an item)."""
    index = _term_index(get_content())
    return render_template("search/letter.html", letter=None, letters=_letter_links(index), terms=[])


@bp.route("/search/zimu/<letter>/")
def letter(letter: str) -> str:
    """事项索引: the items' names and colloquial names under one pinyin initial (a page per letter)."""
    index = _term_index(get_content())
    key = letter.upper() if letter != "0" else "#"
    if letter != letter.lower() or key not in index:
        abort(404)
    return render_template("search/letter.html", letter=key, letters=_letter_links(index), terms=index[key])


def letter_slug(key: str) -> str:
    """The URL part of a letter page: the letter in lower case, ``0`` for terms that begin with no letter."""
    return "0" if key == "#" else key.lower()


def _letter_links(index: dict[str, list]) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(key, letter_slug(key)) for key in index]


def api():  # type: ignore[no-untyped-def]
    """JSON: {"query", "total", "results": [{"id","kind","title","url","snippet","score"}], "facets"}."""
    response = engine().search(_query(), filters=_filters(), limit=clamp_limit(request.args.get("limit", "")))
    return jsonify(response.as_json())


def _searchbox_id() -> str:
    """A fresh id for each search box of a page (the home page shows two)."""
    g.searchbox_count = getattr(g, "searchbox_count", 0) + 1
    return "site-search-q" if g.searchbox_count == 1 else f"site-search-q{g.searchbox_count}"


def init_app(app: Flask) -> None:
    """Register the search pages and the server's searcher (built lazily: static builds never touch it)."""
    app.extensions[_KEY] = _Engine(app)
    app.add_template_global(_searchbox_id, "searchbox_id")
    app.add_template_global(search_action, "search_action")
    if not app.config.get("STATIC_BUILD"):
        # A static site has no server to answer it (and Frozen-Flask would freeze it as a file).
        app.add_url_rule("/api/search", endpoint="search.api", view_func=api)
    app.register_blueprint(bp)
