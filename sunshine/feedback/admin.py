"""The staff pages under /admin/: sign-in, the message list with filters, a message's page and its actions.

Access: 管理员 see and handle everything; 部门办理员 see and handle their own
department's messages only; 监察员 see everything and handle nothing (they 催办,
see :mod:`sunshine.feedback.supervision`).  Anonymous visitors are turned
away by :mod:`sunshine.feedback.auth` before any view here runs.
"""

from __future__ import annotations

import math
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from sqlalchemy import func, select

from .. import inputs
from ..store import get_content
from . import audit, auth, messages, security
from .citizen import attachments_dir
from .db import get_session
from .forms import ActionForm, LoginForm, field_problems, mark_refused, options
from .models import (
    KINDS,
    ROLE_ADMIN,
    ROLE_HANDLER,
    ROLE_SUPERVISOR,
    STATUSES,
    Attachment,
    AuditEntry,
    Message,
    User,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if not form.validate_on_submit():
        problems = field_problems(form) if request.method == "POST" else []
        return _login_page(form, problems, 400 if problems else 200)
    db = get_session()
    username = form.username.data.strip()
    key = auth.attempt_key(username)
    wait = auth.claim_attempt(db, key)
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        problem = f"登录尝试过于频繁。为保护账号安全，请在 {seconds} 秒后再试"
        response = _login_page(form, [("username", problem)], 429)
        response.headers["Retry-After"] = str(seconds)
        return response
    user = auth.authenticate(db, username, form.password.data)
    if user is not None:
        auth.clear_failures(db, key)
        auth.touch_login(user)
        audit.record(db, "login", user)
        auth.login(db, user)
        db.commit()
        response = redirect(_safe_next(request.args.get("next")), 303)
        auth.remember_device(response, username)
        return response
    audit.record(db, "login_failed", username[:64] or "?")
    db.commit()
    return _login_page(form, [("username", "用户名或密码不正确")], 400)


def _login_page(form: LoginForm, problems: list[tuple[str, str]], status: int) -> Response:
    return make_response(render_template("admin/login.html", form=form, problems=problems), status)


def _login_refused(refusal: inputs.Refusal) -> Any:
    form = LoginForm(formdata=refusal.form)
    problems = field_problems(form) if mark_refused(form, refusal) else [("submit", refusal.message)]
    return _login_page(form, problems, 400)


def _safe_next(target: str | None) -> str:
    """Only a path on this site under /admin/ (never another host) after signing in."""
    if target and target.startswith("/admin/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.messages")


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    user = auth.current_user()
    db = get_session()
    if user is not None:
        audit.record(db, "logout", user)
    auth.logout(db)
    db.commit()
    return redirect(url_for("admin.login"), 303)


def _scoped(query: Any, user: User) -> Any:
    """Limit a Message query to what ``user`` may see."""
    if user.role == ROLE_HANDLER:
        return query.where(Message.department_id == user.department_id)
    return query


@bp.route("/")
def messages_list() -> str:
    user = _user()
    filters = {
        "status": request.args.get("status", ""),
        "kind": request.args.get("kind", ""),
        "department": request.args.get("department", ""),
    }
    query = _scoped(select(Message), user)
    if filters["status"] in STATUSES:
        query = query.where(Message.status == filters["status"])
    if filters["kind"] in KINDS:
        query = query.where(Message.kind == filters["kind"])
    if filters["department"]:
        query = query.where(Message.department_id == filters["department"])
    db = get_session()
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = inputs.int_arg("page", 1, minimum=1)
    rows = db.scalars(
        query.order_by(Message.created_at.desc(), Message.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "admin/messages.html",
        messages=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        statuses=STATUSES,
        kinds=KINDS,
        departments=get_content().departments,
    )


# The list is the staff home page; "messages" is the name other blueprints link to.
bp.add_url_rule("/", endpoint="messages", view_func=messages_list)


def _user() -> User:
    user = auth.current_user()
    if user is None:  # the guard in auth has already refused anonymous visitors
        abort(401)
    return user


def _visible_message(number: str) -> Message:
    user = _user()
    message = get_session().scalar(select(Message).where(Message.number == number))
    if message is None or not user.can_see(message):
        abort(404)
    return message


@bp.route("/messages/<number>")
def message_detail(number: str) -> str:
    return _detail_page(number)


def _detail_page(number: str, kept: dict[str, str] | None = None, problems: Any = ()) -> str:
    """A message's page; ``kept`` holds what an action form refused by the input policy had in it."""
    message = _visible_message(number)
    user = _user()
    form = ActionForm()
    form.department.choices = _department_choices(message)
    return render_template(
        "admin/message.html",
        message=message,
        form=form,
        actions=messages.available_actions(message, user),
        timeline=audit.timeline(get_session(), message, public=False),
        content=get_content(),
        kept=kept or {},
        problems=list(problems),
    )


#: The id of the field of each action form that holds text, for the error summary's link.
_TEXT_FIELD_IDS = {"reject": "reason-reject", "transfer": "reason-transfer", "draft_reply": "reply"}


def _act_refused(refusal: inputs.Refusal) -> Any:
    kept = {key: refusal.form.get(key, "") for key in ("action", "reason", "reply")}
    target = _TEXT_FIELD_IDS.get(kept["action"], "main")
    number = (request.view_args or {}).get("number", "")
    return _detail_page(number, kept, [(target, refusal.message)]), 400


def _department_choices(message: Message) -> list[Any]:
    return options(
        (d.id, d.name)
        for d in sorted(get_content().departments.values(), key=lambda d: d.id)
        if d.id != message.department_id
    )


@bp.route("/messages/<number>/act", methods=["POST"])
def message_act(number: str) -> Any:
    message = _visible_message(number)
    user = _user()
    form = ActionForm()
    form.department.choices = _department_choices(message)
    if not form.validate():
        for _, problem in field_problems(form):
            flash(problem, "error")
        return redirect(url_for("admin.message_detail", number=number), 303)
    department = form.department.data or ""
    if form.action.data == "transfer" and department not in get_content().departments:
        flash("请选择列表中的承办单位", "error")
        return redirect(url_for("admin.message_detail", number=number), 303)
    db = get_session()
    try:
        messages.act(
            db,
            message,
            user,
            form.action.data or "",
            reason=form.reason.data or "",
            department=department,
            reply=form.reply.data or "",
            public=bool(form.public.data),
        )
        db.commit()
    except messages.WorkflowError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        flash(f"已{audit_label(form.action.data or '')}", "success")
    return redirect(url_for("admin.message_detail", number=number), 303)


def audit_label(action: str) -> str:
    from .models import ACTIONS

    return ACTIONS.get(action, action)


@bp.route("/attachments/<int:attachment_id>")
def attachment(attachment_id: int) -> Any:
    db = get_session()
    item = db.get(Attachment, attachment_id)
    if item is None:
        abort(404)
    _visible_message(item.message.number)
    audit.record(db, "download_attachment", _user(), message=item.message, target=f"attachment:{item.id}")
    db.commit()
    return send_file(
        attachments_dir() / item.stored_name,
        mimetype=item.mimetype,
        as_attachment=True,
        download_name=item.original_name,
        max_age=0,
    )


@bp.route("/audit")
@auth.roles_required(ROLE_ADMIN, ROLE_SUPERVISOR)
def audit_log() -> str:
    rows = get_session().scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)).all()
    return render_template("admin/audit.html", entries=rows)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    security.limit(app, "admin.login", "FEEDBACK_LOGIN_LIMIT")
    inputs.on_refusal(app, "admin.login", _login_refused)
    inputs.on_refusal(app, "admin.message_act", _act_refused)
