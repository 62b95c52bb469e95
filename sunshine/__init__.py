"""Sunshine (阳光政务): a government service center's disclosure site from YAML records.

:func:`create_app` builds the one Flask application that both the static
build (frozen with Frozen-Flask) and the optional server mode run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

REPO_DIR = Path(__file__).resolve().parent.parent
#: The bundled demo content: the embedded default of every command.
DEMO_CONTENT = REPO_DIR / "content"
#: The theme: Jinja templates and static assets (``site/`` is not a Python package; see README).
THEME_DIR = REPO_DIR / "site"

DEFAULTS: dict[str, Any] = {
    "CONTENT_DIR": str(DEMO_CONTENT),
    # serve mode re-reads the tree when a file changes; the static build reads it once.
    "CONTENT_RELOAD": False,
    # True while Frozen-Flask renders the static site: server-only links are left out.
    "STATIC_BUILD": False,
    # Where the Whoosh index lives (written by the build, opened read-only by the server).
    "SEARCH_INDEX_DIR": None,
    # Server mode with online consultation and complaints (see sunshine.feedback).
    "FEEDBACK_ENABLED": False,
    "SECRET_KEY": None,
    "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
    # Reverse proxies (nginx) in front of the server: their X-Forwarded-* headers are trusted, so
    # rate limits and the audit log see the citizen's address rather than the proxy's.
    "PROXY_COUNT": 0,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides :data:`DEFAULTS` (and ``instance_path`` may be given)."""
    config = dict(config or {})
    # The instance folder (feedback database, secret key, attachments) is fixed when the app is made,
    # so it is read here rather than with the rest of the SUNSHINE_* settings.
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get("SUNSHINE_INSTANCE_PATH")
    app = Flask(
        __name__,
        template_folder=str(THEME_DIR / "templates"),
        static_folder=str(THEME_DIR / "static"),
        instance_path=str(instance_path) if instance_path else None,
        instance_relative_config=False,
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("SUNSHINE")
    app.config.from_mapping(config)

    if int(app.config["PROXY_COUNT"]):
        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    from . import inputs, search_views, store, web

    inputs.init_app(app)  # first: its converter and hook must cover every route registered after it
    store.init_app(app)
    web.init_app(app)
    search_views.init_app(app)
    web.init_city(app)
    if app.config["FEEDBACK_ENABLED"]:
        from . import feedback, ledger

        feedback.init_app(app)
        ledger.init_app(app)
    elif app.config.get("FEEDBACK_DB_URL"):
        # A static build publishing replies and statistics from a feedback database (read-only).
        from .feedback import publish

        publish.init_app(app)
    return app
