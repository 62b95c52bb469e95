"""关怀版 (large text, high contrast): every page again under ``/care/``, so it works without script.

适老化 guidelines ask for a large-text, high-contrast mode reachable from every
page that stays on while the citizen moves around the site.  A static host
cannot remember a choice without script, so the mode is a place: the same
pages, rendered again under ``/care/`` with ``<html class="care">``, whose
links all stay under ``/care/``.  The header of every page links to the other
version of itself.  With script, the choice is also remembered in the browser
(``site/static/js/care.js``) and a later visit opens the chosen version.

How the prefix works: :class:`CarePrefix` moves ``/care`` from the path to
``SCRIPT_NAME`` (as a site mounted under a sub-path), so every ``url_for`` of
a page gains the prefix without any template knowing; files that exist once
(static assets, forms, feeds) are linked through :func:`file_url`, which
never carries it.  The static build renders each page a second time with the
prefix (:func:`sunshine.render.freeze_care`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import g, request, url_for

#: The path prefix of the 关怀版.
PREFIX = "/care"

#: Root-relative paths that name files written once, never a page of the 关怀版.
FILE_PREFIXES = ("/static/", "/forms/", "/schema/", "/pagefind/")
FILE_SUFFIXES = (".xml", ".txt", ".json", ".csv")

StartResponse = Callable[..., Any]


class CarePrefix:
    """WSGI middleware: ``/care/…`` is the page ``/…`` in care mode (the prefix goes to SCRIPT_NAME)."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == PREFIX:
            location = environ.get("SCRIPT_NAME", "") + PREFIX + "/"
            start_response("308 Permanent Redirect", [("Location", location), ("Content-Length", "0")])
            return [b""]
        if path.startswith(PREFIX + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX
            environ["PATH_INFO"] = path[len(PREFIX) :]
        return self.app(environ, start_response)


def is_care() -> bool:
    """Whether the page being rendered is the 关怀版."""
    return request.script_root.endswith(PREFIX)


def site_root() -> str:
    """Where the site is mounted, without the care prefix ("" at the root of a domain)."""
    root = request.script_root
    return root[: -len(PREFIX)] if root.endswith(PREFIX) else root


def is_file_path(path: str) -> bool:
    """A root-relative path that names a file written once (asset, form, feed …), not a page."""
    bare = path.split("?", 1)[0].split("#", 1)[0]
    return bare.startswith(FILE_PREFIXES) or bare.endswith(FILE_SUFFIXES)


def page_href(path: str) -> str:
    """A root-relative link written by an editor or a script, in the current version of the site.

    Pages gain the mount point (and the care prefix on a 关怀版 page); files,
    external links and in-page anchors are returned as they are.
    """
    if not path.startswith("/") or path.startswith("//"):
        return path
    return (site_root() if is_file_path(path) else request.script_root) + path


def file_url(path: str) -> str:
    """A root-relative link to a file that exists once (feed, sitemap, form), whatever the version."""
    return site_root() + "/" + path.lstrip("/")


def asset_url(filename: str) -> str:
    """The URL of a static asset (``css/site.css``): the same file for both versions of a page."""
    return standard_url_for("static", filename=filename)


def template_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` of the templates: a file (a data file, a feed) is linked once, outside ``/care/``."""
    url = url_for(endpoint, **values)
    root = request.script_root
    if root.endswith(PREFIX) and url.startswith(root + "/") and is_file_path(url[len(root) :]):
        url = site_root() + url[len(root) :]
    return url


def standard_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` in the standard version, whichever version is being rendered (for print and canonical)."""
    url = url_for(endpoint, **values)
    root = request.script_root
    if root.endswith(PREFIX) and url.startswith(root + "/"):
        url = site_root() + url[len(root) :]
    return url


def other_version_url(with_query: bool = True) -> str:
    """The same page in the other version: the 关怀版 of a standard page, and back."""
    if g.get("not_found"):
        # The 404 page stands for every missing address: its other version is the other home page.
        path = "/"
    else:
        path = request.full_path if with_query and request.query_string else request.path
    return (site_root() if is_care() else site_root() + PREFIX) + path
