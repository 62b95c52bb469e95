"""The content an application serves: read once, or re-read on change in serve mode.

The static build reads the tree once.  ``serve`` sets ``CONTENT_RELOAD`` so an
editor's saved YAML appears on the next page load; a tree that fails
validation then shows the editor the error list instead of the page, and the
last good content is kept for everything else.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, abort, current_app, has_request_context, render_template, request

from .content import Content, ContentError, read_content

_KEY = "sunshine.content"
#: Where a request under ``/<center>/`` keeps its county's id (see sunshine.web.centers).
CENTER_KEY = "sunshine.center"


@dataclass
class _Store:
    root: Path
    reload: bool
    content: Content | None = None
    signature: tuple[tuple[str, int, int], ...] = ()
    error: ContentError | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def current(self) -> Content:
        if self.content is None or self.reload:
            with self.lock:
                signature = _signature(self.root) if self.reload else ()
                if self.content is None or signature != self.signature:
                    try:
                        self.content = read_content(self.root)
                        self.error = None
                    except ContentError as exc:
                        self.error = exc
                        if self.content is None and not self.reload:
                            raise
                    self.signature = signature
        if self.error is not None and self.reload:
            raise self.error
        assert self.content is not None
        return self.content


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every file: cheap enough to take on each request."""
    out = []
    for path in root.rglob("*"):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def init_app(app: Flask) -> None:
    """Attach the content store; a static build fails here, before any page is rendered."""
    store = _Store(Path(app.config["CONTENT_DIR"]), bool(app.config["CONTENT_RELOAD"]))
    app.extensions[_KEY] = store
    if not store.reload:
        store.current()

    @app.errorhandler(ContentError)
    def _content_error(exc: ContentError):  # type: ignore[no-untyped-def]
        return render_template("errors/content.html", problems=exc.problems), 500

    @app.context_processor
    def _inject() -> dict[str, object]:
        try:
            content = get_content()
        except ContentError:
            return {}
        return {"content": content, "site": content.site, "city": content.root_center}


def current_center_id() -> str | None:
    """The county the current request is under, or None (the root, or no request)."""
    return request.environ.get(CENTER_KEY) if has_request_context() else None


def get_city() -> Content:
    """The whole tree of the current application: the root center, with the county centers and catalog."""
    return current_app.extensions[_KEY].current()


def get_content() -> Content:
    """The center the current request is about: a county under ``/<center>/``, else the root center.

    Pages of a county center are the same views as the root's; the URL prefix
    (see :mod:`sunshine.web.centers`) decides which center they show.
    """
    city = get_city()
    center_id = current_center_id()
    if center_id:
        # Checked when the request began; a preview whose tree lost the center since shows a 404.
        return city.centers.get(center_id) or abort(404)
    return city
