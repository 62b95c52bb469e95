"""Links into the site itself that the build would not produce: a warning for each.

An editor who writes ``online.url: https://<the site's own address>/wsbs/…``
or a Markdown link ``[须知](/pages/xuzhi/)`` to a page that does not exist
sends citizens to the 404 page.  ``build.py check`` and ``build.py build``
list every such link (under ``site.yaml`` ``base_url``, or root-relative)
with the file, line and field it was written in.  What the build produces is
worked out from the application's own URL map (:func:`site_paths`), the same
one the freezer renders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, url_for

from .content import Content
from .content.problems import Problem
from .web.care import PREFIX as CARE_PREFIX
from .web.city import city_pages, data_files

#: Files every build writes beside the pages.
BUILD_FILES = ("/404.html", "/sitemap.xml", "/robots.txt", "/news/feed.xml", "/items/feed.xml")
#: Folders whose every file the build writes (the Pagefind bundle's names are its own).
BUILD_FOLDERS = ("/pagefind/",)

_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(https?://[^>\s]+)>")


def site_paths(app: Flask, content: Content) -> set[str]:
    """Every path the build of ``content`` writes: pages (both versions), search, forms, schemas, static."""
    from .content.schema import SCHEMA_KINDS

    paths: set[str] = set(BUILD_FILES)
    centers = content.all_centers()
    with app.test_request_context():
        pages = {url_for(ref.endpoint, **ref.values) for ref in city_pages(content)}
        pages |= {url_for("search.page", center=c.center_id) for c in centers}
        files = {url_for(ref.endpoint, **ref.values) for ref in data_files(content)}
        static_root = url_for("static", filename="x")[: -len("x")]
    paths |= pages | files | {CARE_PREFIX + p for p in pages}
    for center in centers:
        paths |= {f"{center.url_prefix}/{rel}" for rel in center.forms}
        paths |= {f"{center.url_prefix}/news/feed.xml", f"{center.url_prefix}/items/feed.xml"}
    paths |= {f"/schema/{kind}.schema.json" for kind in [*SCHEMA_KINDS, "synonyms"]}
    static = Path(app.static_folder or "")
    if static.is_dir():
        paths |= {static_root + p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    return paths


def _links(content: Content) -> Iterator[tuple[str, str, str]]:
    """(file, field, link) of every link an editor wrote: item and department addresses, Markdown links.

    Files are named from the root of the tree (``centers/luochuan/items/x.yaml``).
    """
    for center in content.all_centers():
        folder = center.root.relative_to(content.root).as_posix()
        prefix = "" if folder == "." else folder + "/"
        for source, field, link in _center_links(center):
            yield prefix + source, field, link


def _center_links(content: Content) -> Iterator[tuple[str, str, str]]:
    def markdown(source: str, field: str, text: str | None) -> Iterator[tuple[str, str, str]]:
        for match in _MD_LINK.finditer(text or ""):
            yield source, field, match.group(1) or match.group(2)

    for item in content.items.values():
        if item.online.url:
            yield item.file, "online.url", item.online.url
        if item.appointment and item.appointment.url:
            yield item.file, "appointment.url", item.appointment.url
        yield from markdown(item.file, "conditions", item.conditions)
        yield from markdown(item.file, "rights", item.rights)
        for i, faq in enumerate(item.faq):
            yield from markdown(item.file, f"faq[{i}].a", faq.a)
    for department in content.departments.values():
        if department.website:
            yield department.file, "website", department.website
    for record in (*content.news.values(), *content.pages.values()):
        yield from markdown(record.file, "body", record.body)


def _own_path(link: str, base: str | None) -> str | None:
    """The path of ``link`` when it points into this site (under base_url, or root-relative), else None."""
    if link.startswith("/") and not link.startswith("//"):
        return urlsplit(link).path
    if not base:
        return None
    target, home = urlsplit(link), urlsplit(base)
    if target.scheme not in ("http", "https") or target.netloc.lower() != home.netloc.lower():
        return None
    root = home.path.rstrip("/")
    path = target.path or "/"
    if not (path == root or path.startswith(root + "/")):
        return None
    return path[len(root) :] or "/"


def _produced(path: str, paths: set[str]) -> bool:
    if path in paths or path.startswith(BUILD_FOLDERS):
        return True
    # A directory URL without its slash, or a page written as …/index.html.
    if path + "/" in paths:
        return True
    return path.endswith("/index.html") and path[: -len("index.html")] in paths


def unproduced_links(app: Flask, content: Content) -> list[Problem]:
    """A warning for every link into the site that names a path the build does not write."""
    paths = site_paths(app, content)
    base = content.site.base_url
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for source, field, link in _links(content):
        path = _own_path(link, base)
        if path is None or _produced(path, paths):
            continue
        if source not in texts:
            try:
                texts[source] = (content.root / source).read_text("utf-8-sig")
            except OSError:
                texts[source] = ""
        at = texts[source].find(link)
        line = texts[source].count("\n", 0, at) + 1 if at >= 0 else None
        problems.append(
            Problem(
                source,
                line,
                field,
                f"链接“{link}”指向本站不存在的页面 (link into this site that the build does not produce)",
                "point it at the online service's own address, or at a page this site has",
                severity="warning",
            )
        )
    return problems
