"""The citizen's pages: write a message, get a receipt, track it and rate the reply.

Nothing a citizen typed is thrown away: every refusal — a validation error, a
form that expired, a post that came too fast or too often, a busy database —
shows the form again with their text in it and says what to do.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import TooManyRequests

from .. import inputs
from ..content import Content
from ..store import get_content
from . import audit, messages, security
from .db import get_session
from .forms import KIND_HELP, FeedbackForm, RateReplyForm, TrackForm, field_problems, mark_refused
from .models import KINDS, RATINGS, Message

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

#: How many message numbers one browser session may view without re-entering the code.
TRACKED_MAX = 20


def attachments_dir(app: Flask | None = None) -> Path:
    """Uploads live in the instance folder, outside the web root; only staff can download them."""
    return Path((app or current_app).instance_path) / "attachments"


@bp.route("/")
def index() -> str:
    return render_template("feedback/index.html", kinds=KINDS, kind_help=KIND_HELP)


Preselection = tuple[str, str, str, str, str]

#: Longest page address a 纠错 link may fill in (anything longer, or not an address, is dropped).
PAGE_URL_MAX = 300
_PAGE_URL = re.compile(r"^(?:https?://[^\s/]+)?/[^\s<>\"]*$")


def _preselection() -> Preselection:
    """(kind, item, window, department, page) asked for in the link that opened the form.

    Unknown ids are dropped; ``page`` is the address of a page of the site a
    纠错 (error report) link came from, kept only when it looks like one.
    """
    content = get_content()
    kind = request.args.get("kind", "咨询")
    item, window, department = (
        value if (value := request.args.get(name, "")) in records else ""
        for name, records in (
            ("item", content.items),
            ("window", content.windows),
            ("department", content.departments),
        )
    )
    page = request.args.get("page", "").strip()
    if len(page) > PAGE_URL_MAX or not _PAGE_URL.match(page):
        page = ""
    return (kind if kind in KINDS else "咨询", item, window, department, page)


def _new_form(preselection: Preselection) -> FeedbackForm:
    form = FeedbackForm(get_content(), formdata=None)
    form.kind.data, form.item.data, form.window.data, form.department.data, page = preselection
    if page:
        # 纠错: the citizen says what is wrong; which page it is on is already written down.
        form.title.data = "网站纠错"
        form.body.data = f"页面地址：{page}\n错误内容："
    # A fresh timestamp on every showing: the fill time counts from the form the person last saw.
    form.started.data = security.fill_token()
    return form


# Stand-ins for the two per-visitor values in a cached blank form (private-use characters: never in text).
_CSRF_MARK = "\ue000csrf\ue000"
_STARTED_MARK = "\ue000started\ue000"
#: Memory a worker gives to blank form pages (``FEEDBACK_BLANK_FORMS_BYTES``), one per preselection:
#: about 17 KB each with the demo's 57 items, a megabyte with thousands.  Links to ever more items
#: evict the oldest pages.
BLANK_PAGES_BYTES = 16 * 1024 * 1024
_BLANK_KEY = "sunshine.feedback.blank_forms"


@dataclass
class _BlankPages:
    """The blank form pages rendered from one loaded content, oldest first."""

    content: Content | None = None
    pages: dict[Preselection, str] = field(default_factory=dict)
    size: int = 0


class _BlankCache:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.lock = threading.Lock()
        self.current = _BlankPages()

    def get(self, content: Content, key: Preselection) -> str | None:
        current = self.current  # read once: a page is only ever served with the content it came from
        return current.pages.get(key) if current.content is content else None

    def put(self, content: Content, key: Preselection, page: str) -> None:
        size = sys.getsizeof(page)
        with self.lock:
            current = self.current
            if current.content is not content:
                current = self.current = _BlankPages(content)
            while current.pages and current.size + size > self.budget:
                current.size -= sys.getsizeof(current.pages.pop(next(iter(current.pages))))
            if key not in current.pages and size <= self.budget:
                current.pages[key] = page
                current.size += size


def _blank_form() -> str:
    """The form as a citizen first sees it: rendered once per preselection, then only the tokens change.

    Rendering the page (WTForms drawing the item, window and department lists)
    was most of the server's work per submission.  Nothing on a blank form
    depends on the visitor except the session's CSRF token and the signed
    fill-time stamp, so the page is kept with marks in their place, for as long
    as the content it was rendered from is the content being served.
    """
    content = get_content()
    key = _preselection()
    cache: _BlankCache = current_app.extensions[_BLANK_KEY]
    page = cache.get(content, key)
    if page is None:
        form = _new_form(key)
        html, _ = _render_form(form)
        csrf, started = generate_csrf(), form.started.data
        if html.count(csrf) != 1 or html.count(started) != 1:  # pragma: no cover - a theme that repeats them
            return html
        page = html.replace(csrf, _CSRF_MARK).replace(started, _STARTED_MARK)
        cache.put(content, key, page)
    return page.replace(_CSRF_MARK, generate_csrf()).replace(_STARTED_MARK, security.fill_token())


def _render_form(form: FeedbackForm, status: int = 200) -> tuple[str, int]:
    content = get_content()
    kind = form.kind_value
    return (
        render_template(
            "feedback/new.html",
            form=form,
            kind=kind,
            kinds=KINDS,
            kind_help=KIND_HELP,
            problems=form.problems(),
            item=content.items.get(form.item.data or ""),
            window=content.windows.get(form.window.data or ""),
            department=content.departments.get(form.department.data or ""),
        ),
        status,
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    if request.method == "GET":
        return _blank_form()
    form = FeedbackForm(get_content())
    if not form.validate():
        form.started.data = security.fill_token()
        return _render_form(form, 400)
    content = get_content()
    data = messages.Submission(
        kind=form.kind_value,
        title=(form.title.data or "").strip(),
        body=(form.body.data or "").strip(),
        name=form.name.data.strip(),
        phone=form.phone.data.strip(),
        item_id=form.item.data or None,
        window_id=form.window.data or None,
        department_id=form.department.data or None,
        staff_badge=(form.staff_badge.data or "").strip() or None if form.kind_value == "投诉" else None,
        rating=int(form.rating.data) if form.kind_value == "评价" else None,
    )
    _route(data)
    db = get_session()
    files: list[messages.StoredFile] = []
    committing = False
    try:
        upload = form.attachment.data
        if upload is not None and getattr(upload, "filename", ""):
            files.append(messages.store_upload(upload.stream, upload.filename, attachments_dir()))
        receipt = messages.submit(db, data, content.site.feedback, files)
        committing = True
        db.commit()
    except (SQLAlchemyError, OSError):
        db.rollback()
        # A commit that raised may still have committed (a connection lost during COMMIT): keep its files.
        if not committing:
            for stored in files:
                stored.path.unlink(missing_ok=True)
        current_app.logger.exception("feedback submission failed; the form is shown again")
        form.form_problems.append(("submit", "系统繁忙，您填写的内容没有丢失，请稍后再次提交"))
        form.started.data = security.fill_token()
        return _render_form(form, 503)
    # Only now, with the row committed, may the citizen be told it was received.
    session["receipt"] = {"number": receipt.number, "code": receipt.code}
    _remember(receipt.number)
    return redirect(url_for("feedback.receipt", number=receipt.number), 303)


def _route(data: messages.Submission) -> None:
    """Fill in the department from the item or window named, so the message reaches someone who can act."""
    content = get_content()
    if data.department_id:
        return
    if data.item_id:
        data.department_id = content.items[data.item_id].department
    elif data.window_id and content.windows[data.window_id].departments:
        data.department_id = content.windows[data.window_id].departments[0]
    if data.kind == "评价" and not data.title:
        subject = (
            content.items[data.item_id].name
            if data.item_id
            else (f"{content.windows[data.window_id].number}号窗口" if data.window_id else "服务")
        )
        data.title = f"对{subject}的评价：{RATINGS[data.rating or 0]}"


def _remember(number: str) -> None:
    tracked = [n for n in session.get("tracked", []) if n != number]
    session["tracked"] = [*tracked, number][-TRACKED_MAX:]


@bp.route("/receipt/<number>")
def receipt(number: str) -> str:
    if number not in session.get("tracked", []):
        abort(404)
    shown = session.get("receipt")
    code = None
    if shown and shown.get("number") == number:
        code = messages.format_code(shown["code"])
        session.pop("receipt")
    message = _message_or_404(number)
    return render_template("feedback/receipt.html", message=message, code=code)


def _message_or_404(number: str) -> Message:
    message = get_session().scalar(select(Message).where(Message.number == number))
    if message is None:
        abort(404)
    return message


@bp.route("/track", methods=["GET", "POST"])
def track() -> Any:
    form = TrackForm()
    problems: list[tuple[str, str]] = []
    if form.validate_on_submit():
        message = messages.find_message(get_session(), form.number.data, form.code.data)
        if message is not None:
            _remember(message.number)
            return redirect(url_for("feedback.status", number=message.number), 303)
        problems = [("number", "受理编号或查询码不正确，请核对后重新输入")]
    else:
        problems = field_problems(form)
    return _track_page(form, problems, 400 if request.method == "POST" else 200)


def _track_page(form: TrackForm, problems: list[tuple[str, str]], status: int) -> Any:
    return render_template("feedback/track.html", form=form, problems=problems), status


@bp.route("/track/<number>", methods=["GET", "POST"])
def status(number: str) -> Any:
    if number not in session.get("tracked", []):
        return redirect(url_for("feedback.track"))
    db = get_session()
    message = _message_or_404(number)
    form = RateReplyForm()
    problems: list[tuple[str, str]] = []
    code = 200
    if request.method == "POST":
        if form.validate():
            try:
                messages.rate_reply(db, message, form.satisfied.data == "1", form.comment.data or "")
                db.commit()
                return redirect(url_for("feedback.status", number=number), 303)
            except messages.WorkflowError as exc:
                db.rollback()
                problems = [("satisfied", str(exc))]
        else:
            problems = field_problems(form)
        code = 400
    return _status_page(message, form, problems, code)


def _status_page(message: Message, form: RateReplyForm, problems: list[tuple[str, str]], code: int) -> Any:
    return render_template(
        "feedback/status.html",
        message=message,
        timeline=audit.timeline(get_session(), message),
        form=form,
        problems=problems,
    ), code


def _refused(message: str, status: int) -> Any:
    """A post refused before the view ran (expired CSRF token, rate limit): keep what was typed."""
    if request.endpoint == "feedback.new" and request.method == "POST":
        form = FeedbackForm(get_content())
        form.form_problems.append(("submit", message))
        form.started.data = security.fill_token()
        return _render_form(form, status)
    return render_template("feedback/refused.html", message=message), status


# -- the input policy's refusals (control characters): each form again, as typed minus those characters --


def _new_refused(refusal: inputs.Refusal) -> Any:
    form = FeedbackForm(get_content(), formdata=refusal.form)
    if not mark_refused(form, refusal):
        form.form_problems.append(("submit", refusal.message))
    form.started.data = security.fill_token()
    return _render_form(form, 400)


def _plain_refused(form: Any, refusal: inputs.Refusal) -> list[tuple[str, str]]:
    if mark_refused(form, refusal):
        return field_problems(form)
    return [("submit", refusal.message)]


def _track_refused(refusal: inputs.Refusal) -> Any:
    form = TrackForm(formdata=refusal.form)
    return _track_page(form, _plain_refused(form, refusal), 400)


def _status_refused(refusal: inputs.Refusal) -> Any:
    number = (request.view_args or {}).get("number", "")
    if number not in session.get("tracked", []):
        return redirect(url_for("feedback.track"))
    form = RateReplyForm(formdata=refusal.form)
    return _status_page(_message_or_404(number), form, _plain_refused(form, refusal), 400)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.extensions[_BLANK_KEY] = _BlankCache(
        int(app.config.get("FEEDBACK_BLANK_FORMS_BYTES", BLANK_PAGES_BYTES))
    )
    security.limit(app, "feedback.new", "FEEDBACK_SUBMIT_LIMIT")
    security.limit(app, "feedback.track", "FEEDBACK_TRACK_LIMIT")
    security.limit(app, "feedback.status", "FEEDBACK_TRACK_LIMIT")
    inputs.on_refusal(app, "feedback.new", _new_refused)
    inputs.on_refusal(app, "feedback.track", _track_refused)
    inputs.on_refusal(app, "feedback.status", _status_refused)

    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError) -> Any:
        return _refused("页面已过期，您填写的内容没有丢失，请再次提交", 400)

    @app.errorhandler(TooManyRequests)
    def _too_many(_exc: TooManyRequests) -> Any:
        return _refused("提交过于频繁，您填写的内容没有丢失，请过几分钟再提交", 429)

    @app.errorhandler(413)
    def _too_large(_exc: Any) -> Any:
        return render_template(
            "feedback/refused.html",
            message="上传的内容太大（附件不能超过 5 MB）。请返回上一页，换一个较小的附件后再提交。",
        ), 413
