"""Published replies (答复公开): staff-chosen messages shown to everyone, with personal data removed.

The pages are read-only views of the feedback database.  They are served live
in server mode, and a static build given ``--feedback-db URL`` renders them too
(:func:`init_app` opens that database read-only, :func:`freeze_urls` lists the
pages for the freezer), so a center without a public server still discloses
its answers.

What a reader never sees: the citizen's phone and full name (only the surname
and ``**``), the badge number of a staff member complained about, and — in
the title, message and reply text — anything shaped like a mobile or landline
number, an 18-digit ID card number or a badge number.
"""

from __future__ import annotations

import datetime as dt
import math
import re
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
from ..store import get_content
from . import db
from .models import S_ANSWERED, S_CLOSED, Message, local_date

bp = Blueprint("feedback_public", __name__)

#: Replies on one list page.
PER_PAGE = 20
#: What every scrubbed span becomes.
REDACTED = "***"

# Order matters: an ID card number contains digit runs that look like phone numbers.
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),  # 居民身份证号
    re.compile(r"(?<!\d)0\d{2,3}[-－ ]?\d{7,8}(?!\d)"),  # 固定电话 0571-87654321
    re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1\d{2}[-\s]?\d{4}[-\s]?\d{4}(?!\d)"),  # 手机 138 1234 5678
    re.compile(r"(?:工号|警号|胸牌号?|工牌号?)\s*[:：]?\s*[A-Za-z0-9-]{2,16}"),  # 工号：YA-2011
    re.compile(r"(?<![0-9A-Za-z-])[A-Za-z]{1,3}-?\d{3,6}(?![0-9-])"),  # badge-shaped: YA-2011, A0123
)

#: Two-character surnames (复姓): the mask keeps both characters.
_COMPOUND_SURNAMES = frozenset(
    {
        *("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒"),
        *("令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "闻人", "澹台"),
    }
)


def mask_name(name: str | None) -> str:
    """The surname followed by ``**`` (张三 → 张**, 欧阳娜娜 → 欧阳**); no name → 匿名."""
    name = (name or "").strip()
    if not name:
        return "匿名"
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]
    return f"{surname}**"


def scrub(
    text: str | None, *, names: tuple[str | None, ...] = (), badges: tuple[str | None, ...] = ()
) -> str:
    """``text`` with phone, ID-card and badge-shaped numbers removed and the given names masked."""
    out = text or ""
    for badge in badges:
        if badge and badge.strip():
            out = out.replace(badge.strip(), REDACTED)
    for name in names:
        # A one-character name would mask every occurrence of a common character: only full names.
        if name and len(name.strip()) >= 2:
            out = out.replace(name.strip(), mask_name(name))
    for pattern in _PATTERNS:
        out = pattern.sub(REDACTED, out)
    return out


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
        private = {"names": (message.name,), "badges": (message.staff_badge,)}
        return cls(
            number=message.number,
            kind=message.kind,
            title=scrub(message.title, **private),
            body=scrub(message.body, **private),
            asker=mask_name(message.name),
            department=department_name(content, message.department_id),
            received_on=local_date(message.created_at),
            answered_on=local_date(message.answered_at)
            if message.answered_at
            else local_date(message.created_at),
            reply=scrub(message.reply, **private),
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
