"""Server-mode twins of the files the static build writes: forms, schemas, sitemap, feeds, robots.

The build writes these in :mod:`sunshine.write`; serving them from the same
functions keeps a ``serve`` preview identical to the published site.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_from_directory
from werkzeug.wrappers import Response as BaseResponse

from .. import write
from ..store import get_content

bp = Blueprint("files", __name__)


def _base_url() -> str:
    """The site's configured address, else the address this server was reached at."""
    return get_content().site.base_url or request.url_root


@bp.route("/forms/<path:name>")
def form(name: str) -> BaseResponse:
    return send_from_directory(get_content().root / "forms", name)


@bp.route("/schema/<name>")
def schema(name: str) -> BaseResponse:
    # The schemas depend on the code only: written once per process into the instance folder.
    folder = Path(current_app.instance_path) / "schema"
    if current_app.extensions.get("sunshine.schema_written") != folder:
        write.write_schema_files(folder)
        current_app.extensions["sunshine.schema_written"] = folder
    return send_from_directory(folder, name)


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    text = write.sitemap_xml(current_app, get_content(), _base_url())
    return Response(text, mimetype="application/xml")


@bp.route("/news/feed.xml")
def feed() -> Response:
    text = write.atom_feed(current_app, get_content(), _base_url())
    return Response(text, mimetype="application/atom+xml")


@bp.route("/items/feed.xml")
def item_feed() -> Response:
    text = write.item_feed(current_app, get_content(), _base_url())
    return Response(text, mimetype="application/atom+xml")


@bp.route("/robots.txt")
def robots() -> Response:
    return Response(write.robots_txt(_base_url()), mimetype="text/plain")
