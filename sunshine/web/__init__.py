"""The public disclosure pages: one blueprint, the same for the static build and the server.

The server (``build.py serve``) also answers for the files the static build
writes beside the pages (forms, schemas, sitemap, feeds, robots), so a preview
matches the published site.
"""

from __future__ import annotations

from flask import Flask, g, render_template
from markupsafe import Markup

from ..content import ContentError
from ..content.model import ONLINE_DEPTHS
from ..markdown import render_markdown
from ..store import get_content
from . import care, helpers, meta, printing
from .urls import AUDIENCE_LABELS, AUDIENCE_SLUGS, TYPE_SLUGS, types_with_items
from .views import bp


def _markdown(text: str | None) -> Markup:
    return render_markdown(text, care.page_href)


def init_app(app: Flask) -> None:
    """Register the public pages, their template helpers, the 关怀版 prefix and the 404 page."""
    app.register_blueprint(bp)
    if not app.config["STATIC_BUILD"]:
        from .files import bp as files_bp

        app.register_blueprint(files_bp)
    app.wsgi_app = care.CarePrefix(app.wsgi_app)  # type: ignore[method-assign]

    app.add_template_filter(_markdown, "markdown")
    app.add_template_filter(helpers.working_days, "days")
    app.add_template_filter(helpers.form_url, "form_url")
    app.add_template_test(lambda text: str(text).isascii(), "ascii_only")
    app.add_template_global(helpers.feedback_links, "feedback_links")
    app.add_template_global(helpers.report_error_url, "report_error_url")
    app.add_template_global(care.is_care, "is_care")
    app.add_template_global(care.asset_url, "asset_url")
    app.add_template_global(care.file_url, "file_url")
    app.add_template_global(care.page_href, "page_href")
    app.add_template_global(care.other_version_url, "other_version_url")
    app.add_template_global(care.standard_url_for, "standard_url_for")
    app.add_template_global(care.template_url_for, "url_for")
    app.add_template_global(meta.page_meta, "page_meta")
    app.add_template_global(meta.absolute_url, "absolute_url")
    app.add_template_global(printing.qr_svg, "qr_svg")
    app.add_template_global(types_with_items, "types_with_items")
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
        g.not_found = True
        return render_template("errors/404.html"), 404


def init_city(app: Flask) -> None:
    """The pages of a city-wide tree, then every center page again under ``/<center>/``.

    Called once every blueprint with center pages (web, search, files) is registered.
    """
    from . import centers, city

    city.init_app(app)
    centers.init_app(app)
