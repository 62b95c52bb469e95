"""County centers' sites under ``/<center>/``: the same views and templates as the root center's.

A city-wide tree publishes the root (the city's own center) at the site's
root and each county center under its id: ``/luochuan/items/<id>/`` is the
page ``/items/<id>/`` would be for a single center.  Flask's documented
pattern for URL prefixes (language codes) does the work:

* every public rule gets a twin with a ``/<center>`` prefix (:func:`init_app`),
  which matches only the ids of the tree's county centers (:class:`CenterConverter`),
  so any other first segment is the 404 it always was and a single-center
  tree answers exactly as before (a preview started before a county was
  added learns of it when restarted);
* a URL value preprocessor takes ``center`` out of the view arguments and
  keeps it with the request (:data:`CENTER_KEY` in its WSGI environ), where
  :func:`sunshine.store.get_content` finds it — not in ``g``, which a request
  shares with an application context already active (as the freezer's is);
* a URL defaults function puts it back into every ``url_for`` of a page, so
  templates link within their own center without knowing about centers.
  ``url_for(..., center=<root id>)`` links to the root center's page.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from werkzeug.routing import BaseConverter, ValidationError

from ..content import ContentError
from ..store import CENTER_KEY, current_center_id, get_city

#: Blueprints whose pages every center has.
CENTER_BLUEPRINTS: frozenset[str] = frozenset({"web", "search", "files", "city"})
#: Pages and files of those blueprints that exist once, for the whole site.
ROOT_ONLY: frozenset[str] = frozenset(
    {
        "web.not_found_page",
        "search.api",
        "files.schema",
        "files.sitemap",
        "files.robots",
        "city.catalog",
        "city.catalog_entry",
        "city.data",
        "city.data_catalog",
        "city.data_reform",
        "city.data_schema",
    }
)


def is_center_endpoint(endpoint: str) -> bool:
    """True for the endpoints a county center has a page of its own for."""
    return endpoint.partition(".")[0] in CENTER_BLUEPRINTS and endpoint not in ROOT_ONLY


class CenterConverter(BaseConverter):
    """A URL segment that is the id of one of the tree's county centers.

    ``regex`` lists the ids known when the application was made; :meth:`to_python`
    checks again against the current tree (a preview may have lost a center since).
    """

    regex = r"(?!)"

    def to_python(self, value: str) -> str:
        try:
            known = value in get_city().centers
        except ContentError:
            known = False  # a preview of a broken tree: the 404 page lists its errors
        if not known:
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    """Give every center page a ``/<center>`` twin; call after the blueprints are registered."""
    try:
        with app.app_context():
            known = list(get_city().centers)
    except ContentError:
        known = []  # a preview of a broken tree: its pages show the errors
    if known:
        pattern = "(?:" + "|".join(re.escape(c) for c in known) + ")"
        app.url_map.converters["center"] = type("TreeCenterConverter", (CenterConverter,), {"regex": pattern})
    else:
        app.url_map.converters["center"] = CenterConverter
    for rule in list(app.url_map.iter_rules()):
        if is_center_endpoint(rule.endpoint) and rule.methods and "GET" in rule.methods:
            app.add_url_rule(
                "/<center:center>" + rule.rule,
                endpoint=rule.endpoint,
                methods=["GET"],
                strict_slashes=rule.strict_slashes,
                defaults=rule.defaults,
            )
    app.url_value_preprocessor(_pull_center)
    app.url_defaults(center_default)


def _pull_center(endpoint: str | None, values: dict[str, Any] | None) -> None:
    from flask import request

    if values and "center" in values:
        request.environ[CENTER_KEY] = values.pop("center")


def center_default(endpoint: str, values: dict[str, Any]) -> None:
    """Links of a county's page stay in that county; ``center=<root id>`` (or None) means the root."""
    if "center" in values:
        if not values["center"] or values["center"] == get_city().center_id:
            values.pop("center")
        return
    center = current_center_id()
    if center and is_center_endpoint(endpoint):
        values["center"] = center


def record_with_center(app: Flask) -> None:
    """Run :func:`center_default` before Frozen-Flask's ``url_for`` logger.

    The freezer records every ``url_for`` a page makes and builds the URL again
    later, outside that page's request: the record must already carry the
    center, or a county page's links would be frozen as the root's.
    """
    functions = app.url_default_functions.setdefault(None, [])
    if center_default in functions:
        functions.remove(center_default)
    functions.insert(0, center_default)
