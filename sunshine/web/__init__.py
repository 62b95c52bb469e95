"""The public disclosure pages: one blueprint, the same for the static build and the server.

The server (``build.py serve``) also answers for the files the static build
writes beside the pages (forms, schemas, sitemap, feed, robots), so a preview
matches the published site.
"""

from __future__ import annotations

from flask import Flask, render_template

from ..content import ContentError
from ..content.model import ONLINE_DEPTHS
from ..markdown import render_markdown
from ..store import get_content
from . import helpers
from .urls import AUDIENCE_LABELS, AUDIENCE_SLUGS, TYPE_SLUGS
from .views import bp


def init_app(app: Flask) -> None:
    """Register the public pages, their template helpers and the 404 page."""
    app.register_blueprint(bp)
    if not app.config["STATIC_BUILD"]:
        from .files import bp as files_bp

        app.register_blueprint(files_bp)

    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(helpers.working_days, "days")
    app.add_template_filter(helpers.form_url, "form_url")
    app.add_template_global(helpers.feedback_links, "feedback_links")
    app.jinja_env.globals.update(
        TYPE_SLUGS=TYPE_SLUGS,
        AUDIENCE_SLUGS=AUDIENCE_SLUGS,
        AUDIENCE_LABELS=AUDIENCE_LABELS,
        ONLINE_DEPTHS=ONLINE_DEPTHS,
    )

    @app.errorhandler(404)
    def _not_found(_exc: Exception):  # type: ignore[no-untyped-def]
        try:
            get_content()
        except ContentError as exc:
            return render_template("errors/content.html", problems=exc.problems), 500
        return render_template("errors/404.html"), 404


def init_city(app: Flask) -> None:
    """The pages of a city-wide tree, then every center page again under ``/<center>/``.

    Called once every blueprint with center pages (web, search, files) is registered.
    """
    from . import centers, city

    city.init_app(app)
    centers.init_app(app)
