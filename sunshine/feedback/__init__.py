"""Online consultation, complaints, suggestions and evaluation.

The static site links to ``{server_url}/feedback/new?kind=…&item=<id>``; this
package answers those links.  A citizen's message is committed to the
database before the receipt is shown, and every refusal keeps what they typed.

Layout: :mod:`.models` (schema), :mod:`.db` (engine, sessions, Alembic),
:mod:`.messages` (submission and workflow), :mod:`.audit`, :mod:`.auth`,
:mod:`.security`, :mod:`.forms`, and the two blueprints :mod:`.citizen`
(``/feedback/``) and :mod:`.admin` (``/admin/``).
"""

from __future__ import annotations

import datetime as dt

from flask import Flask

from .models import TIMEZONE


def init_app(app: Flask) -> None:
    """Turn on server mode: security first (headers, CSRF, limits), then storage, then the pages."""
    from . import admin, auth, citizen, db, publish, security, supervision
    from .formdata import CitizenRequest

    app.request_class = CitizenRequest
    app.add_template_filter(fb_time, "fb_time")
    security.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    citizen.init_app(app)
    admin.init_app(app)
    supervision.init_app(app)
    publish.init_app(app)


def fb_time(moment: dt.datetime | None) -> str:
    """A stored (UTC) moment as the center's local time, to the minute: 2026-11-24 09:05."""
    return moment.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M") if moment else ""
