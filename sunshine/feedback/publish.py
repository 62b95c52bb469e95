"""Published replies (答复公开): staff-chosen messages shown to everyone, with personal data removed.

The pages are read-only views of the feedback database.  They are served live
in server mode, and a static build given ``--feedback-db URL`` renders them too
(:func:`init_app` opens that database read-only, :func:`freeze_urls` lists the
pages for the freezer), so a center without a public server still discloses
its answers.

What a reader never sees: the citizen's full name (only the surname and
``**``), their phone, the badge number of a staff member complained about —
in the title, message and reply text too, however it was written there — nor
anything shaped like a phone or ID number, an e-mail address or a badge
number (:func:`sunshine.privacy.scrub`).
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, abort, current_app, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ..content import Content, ContentError
from ..content.problems import Problem
from ..privacy import mask_name, scrub
from ..store import get_content
from . import db
from .models import S_ANSWERED, S_CLOSED, Message, local_date

bp = Blueprint("feedback_public", __name__)

#: Replies on one list page.
PER_PAGE = 20


@dataclass(frozen=True)
class PublicReply:
    """What the public sees of one message: nothing here may identify the citizen."""

    number: str
    kind: str
    title: str
    body: str
    asker: str
    department: str
    received_on: dt.date
    answered_on: dt.date
    reply: str

    @classmethod
    def of(cls, message: Message, content: Content) -> PublicReply:
        private = message.personal_data()
        return cls(
            number=message.number,
            kind=message.kind,
            title=scrub(message.title, private),
            body=scrub(message.body, private),
            asker=mask_name(message.name),
            department=department_name(content, message.department_id),
            received_on=local_date(message.created_at),
            answered_on=local_date(message.answered_at)
            if message.answered_at
            else local_date(message.created_at),
            reply=scrub(message.reply, private),
        )


def department_name(content: Content, department_id: str | None) -> str:
    """A department's name from the content (its id if it has since been removed); none → the center."""
    if department_id is None:
        return content.site.short_name or content.site.name
    department = content.departments.get(department_id)
    return department.name if department else department_id


def _published():  # type: ignore[no-untyped-def]
    return (
        Message.public.is_(True)
        & Message.published_at.is_not(None)
        & Message.reply.is_not(None)
        & Message.status.in_((S_ANSWERED, S_CLOSED))
    )


def count_published(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Message).where(_published())) or 0


def published_page(session: Session, page: int, per_page: int = PER_PAGE) -> list[Message]:
    """One page (from 1) of published messages, newest publication first."""
    query = (
        select(Message)
        .where(_published())
        .order_by(Message.published_at.desc(), Message.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(session.scalars(query))


def published_numbers(session: Session) -> list[str]:
    return list(
        session.scalars(select(Message.number).where(_published()).order_by(Message.published_at.desc()))
    )


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    """Pages of the list: at least one (an empty list still has its page saying so)."""
    return max(1, math.ceil(total / per_page))


def read_session(app: Flask | None = None) -> Any:
    """A short read of the feedback database, closed when the block ends (not at request teardown).

    The public pages are rendered by Frozen-Flask too, which runs many
    requests inside one application context: a session kept in ``g`` until
    teardown would stay open across them and, on SQLite, hold its lock.
    """
    return db.session_scope(app or current_app)


@bp.route("/feedback/replies/", defaults={"page": 1})
@bp.route("/feedback/replies/page/<int:page>/")
def replies(page: int) -> str:
    content = get_content()
    with read_session() as session:
        total = count_published(session)
        pages = page_count(total)
        if page < 1 or page > pages:  # /page/1/ itself redirects to the list (Flask's redirect_defaults)
            abort(404)
        rows = [PublicReply.of(message, content) for message in published_page(session, page)]
    return render_template("feedback/replies.html", replies=rows, page=page, pages=pages, total=total)


@bp.route("/feedback/replies/<number>/")
def reply(number: str) -> str:
    with read_session() as session:
        message = session.scalar(select(Message).where(Message.number == number, _published()))
        if message is None:
            abort(404)
        shown = PublicReply.of(message, get_content())
    return render_template("feedback/replies_detail.html", reply=shown)


def replies_page_url(page: int) -> str:
    """URL of list page ``page`` (page 1 is the list's own address)."""
    return url_for("feedback_public.replies", page=page) if page > 1 else url_for("feedback_public.replies")


def freeze_urls(app: Flask) -> list[str]:
    """Every page of the published replies and statistics, for Frozen-Flask (none without a database).

    The list is built, and its context closed, before the freezer renders any
    of it: the freezer's requests would otherwise reuse that context.
    """
    if "feedback_public" not in app.blueprints:
        return []
    with read_session(app) as session:
        pages = page_count(count_published(session))
        numbers = published_numbers(session)
    with app.test_request_context():
        urls = [replies_page_url(page) for page in range(1, pages + 1)]
        urls += [url_for("feedback_public.reply", number=number) for number in numbers]
        urls.append(url_for("feedback_stats.stats"))
    return urls


class FeedbackDatabaseError(ContentError):
    """The database named for a static build cannot be read: missing, unreachable, or never migrated.

    A kind of :class:`ContentError` so that ``build.py build`` reports it like
    any other input problem (one line, exit code 1, nothing written).
    """

    def __init__(self, url: str, message: str) -> None:
        shown = make_url(url).render_as_string(hide_password=True)
        super().__init__([Problem(shown, None, "--feedback-db", message)])


def database_problem(url: str) -> str | None:
    """Why the existing feedback database at ``url`` cannot be read, or None when it can.

    Used by every reader that must not create or migrate anything (the static
    build, ``build.py feedback overdue``): a SQLite file is never created here.
    """
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:" and not Path(path).is_file():
            return "no such database file"
    engine = db.make_engine(url)
    try:
        revision = db.current_revision(engine)
    except Exception as exc:  # the driver's own error says why (refused, unknown database …)
        return f"cannot open: {exc}"
    finally:
        engine.dispose()
    if revision is None:
        return "not a feedback database (run build.py db upgrade)"
    return None


def _open_readonly(app: Flask, url: str) -> None:
    """Attach the build's feedback database without migrating it (a build never changes the database)."""
    problem = database_problem(url)
    if problem is not None:
        raise FeedbackDatabaseError(url, problem)
    app.config["DATABASE_URL"] = url
    app.config["FEEDBACK_AUTO_MIGRATE"] = False
    db.init_app(app)
    # The build's app is simply dropped when the site is written: close its pooled connections then.
    weakref.finalize(app, db.get_engine(app).dispose)


def init_app(app: Flask) -> None:
    """Register the public replies and statistics pages.

    In server mode the feedback database is already attached; in a static
    build ``FEEDBACK_DB_URL`` names it and it is opened here, read-only.
    """
    from . import stats

    url = app.config.get("FEEDBACK_DB_URL")
    if url and not app.config.get("FEEDBACK_ENABLED"):
        _open_readonly(app, str(url))
    app.register_blueprint(bp)
    app.add_template_global(replies_page_url, "replies_page_url")
    stats.init_app(app)
