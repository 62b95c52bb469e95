"""The feedback data model: citizens' messages, staff users, audit log, 催办, attachments.

Every message a citizen sends — 咨询, 投诉, 建议 or 评价 — is one :class:`Message`
row.  A good evaluation needs no handling and is stored closed; a bad one
(不满意 / 非常不满意, 差评) is handled like a complaint.

Times are stored as naive UTC and read back as aware UTC (:class:`UTCDateTime`)
so SQLite and PostgreSQL behave the same; dates shown to people (the date part
of a message number, deadlines) are local dates in :data:`TIMEZONE`.

The citizen-visible timeline of a message is its audit entries whose action is in
:data:`TIMELINE_ACTIONS` — one record of what happened, not two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..privacy import PersonalData

#: The center's time zone: message numbers and deadlines use its local dates.
TIMEZONE = ZoneInfo("Asia/Shanghai")

# -- vocabulary ---------------------------------------------------------------

KINDS: tuple[str, ...] = ("咨询", "投诉", "建议", "评价")
#: Prefix of the readable number of each kind: TS-20261124-0007.
KIND_PREFIX: dict[str, str] = {"咨询": "ZX", "投诉": "TS", "建议": "JY", "评价": "PJ"}

#: 好差评 levels, best first; stored as the integer (5 = 非常满意).
RATINGS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
#: Ratings at or below this are 差评: handled like a complaint.
BAD_RATING_MAX = 2

S_NEW = "待受理"
S_ACCEPTED = "已受理"
S_IN_PROGRESS = "办理中"
S_ANSWERED = "已答复"
S_CLOSED = "已办结"
S_REJECTED = "不予受理"
STATUSES: tuple[str, ...] = (S_NEW, S_ACCEPTED, S_IN_PROGRESS, S_ANSWERED, S_CLOSED, S_REJECTED)
#: Statuses in which a message still waits for the center (counted against its deadline).
OPEN_STATUSES: tuple[str, ...] = (S_NEW, S_ACCEPTED, S_IN_PROGRESS)
#: Statuses after which nothing more happens.
FINAL_STATUSES: tuple[str, ...] = (S_CLOSED, S_REJECTED)

ROLE_ADMIN = "管理员"
ROLE_HANDLER = "部门办理员"
ROLE_SUPERVISOR = "监察员"
ROLES: tuple[str, ...] = (ROLE_ADMIN, ROLE_HANDLER, ROLE_SUPERVISOR)

#: Audit actions, with the words shown in timelines and the admin log.
ACTIONS: dict[str, str] = {
    "submit": "提交",
    "accept": "受理",
    "start": "开始办理",
    "reject": "不予受理",
    "transfer": "转办",
    "draft_reply": "起草答复",
    "publish_reply": "答复",
    "set_public": "设置公开",
    "close": "办结",
    "citizen_rating": "群众评价答复",
    "urge": "催办",
    "download_attachment": "查看附件",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "user_add": "添加用户",
    "user_passwd": "修改密码",
    "user_disable": "停用用户",
}
#: Audit actions a citizen sees in the timeline of their own message.
TIMELINE_ACTIONS: frozenset[str] = frozenset(
    {"submit", "accept", "start", "reject", "transfer", "publish_reply", "close", "citizen_rating"}
)


def utcnow() -> dt.datetime:
    """The current time, aware UTC: the only clock the feedback code reads."""
    return dt.datetime.now(dt.UTC)


def local_date(moment: dt.datetime) -> dt.date:
    """The center's local calendar date of an aware moment."""
    return moment.astimezone(TIMEZONE).date()


def is_bad_rating(kind: str, rating: int | None) -> bool:
    """差评: an evaluation at 不满意 or below."""
    return kind == "评价" and rating is not None and rating <= BAD_RATING_MAX


def needs_handling(kind: str, rating: int | None) -> bool:
    """Every kind needs an answer except a good evaluation."""
    return kind != "评价" or is_bad_rating(kind, rating)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, naive UTC in the column, aware UTC out — identical on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use sunshine.feedback.models.utcnow()")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None else None


# Constraint names are fixed so Alembic migrations name them the same on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A staff account.  部门办理员 see their department's messages only; 监察员 read all and send 催办."""

    __tablename__ = "feedback_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    #: Content department id; required for 部门办理员.
    department_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def can_see(self, message: Message) -> bool:
        return self.role != ROLE_HANDLER or message.department_id == self.department_id

    def can_handle(self, message: Message) -> bool:
        """May change the message (accept, reply, transfer …): admins anywhere, handlers in theirs."""
        if self.role == ROLE_ADMIN:
            return True
        return self.role == ROLE_HANDLER and message.department_id == self.department_id


class Message(Base):
    """One message from a citizen and everything the center did with it."""

    __tablename__ = "feedback_message"
    __table_args__ = (
        Index("ix_feedback_message_status_kind", "status", "kind"),
        Index("ix_feedback_message_department_status", "department_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Readable number: ``<KIND_PREFIX>-<local YYYYMMDD>-<daily sequence, 4+ digits>``.
    number: Mapped[str] = mapped_column(String(32), unique=True)
    #: sha256 hex of the 查询码 the citizen was shown once.
    code_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default=S_NEW)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")

    # What the message is about (content ids; kept as given, even if the content later changes).
    item_id: Mapped[str | None] = mapped_column(String(64))
    window_id: Mapped[str | None] = mapped_column(String(64))
    #: The department the citizen named (or the item's / window's), never changed by 转办.
    about_department_id: Mapped[str | None] = mapped_column(String(64))
    staff_badge: Mapped[str | None] = mapped_column(String(32))
    #: 1–5 for 评价 (see :data:`RATINGS`), else None.
    rating: Mapped[int | None] = mapped_column(Integer)

    #: The department handling the message now (转办 changes it); None = the center's own staff.
    department_id: Mapped[str | None] = mapped_column(String(64), index=True)

    # Private: asked for, never published.
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: Last working day to answer (set from site.yaml feedback.deadlines at submission).
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: When the reply was published to the citizen (status 已答复): the deadline stops here.
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reject_reason: Mapped[str | None] = mapped_column(Text)

    # The reply: drafted (editable, unseen), then published to the citizen.
    reply: Mapped[str | None] = mapped_column(Text)
    reply_drafted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reply_by_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_user.id"))
    #: Staff chose to publish the question and reply on the public site (公开).
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the message was made public on the site (kept apart from answered_at).
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # The citizen's verdict on the reply.
    citizen_satisfied: Mapped[bool | None] = mapped_column(Boolean)
    citizen_comment: Mapped[str | None] = mapped_column(Text)
    citizen_rated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    urges: Mapped[list[Urge]] = relationship(back_populates="message", order_by="Urge.id")
    reply_by: Mapped[User | None] = relationship()

    def personal_data(self) -> PersonalData:
        """Everything in this message that identifies a person: what publication must remove.

        The form asks for a name and a phone; a complaint may name a staff
        member's badge number.  A field added to the form that identifies
        someone belongs here too.
        """
        return PersonalData.of(names=(self.name,), phones=(self.phone,), identifiers=(self.staff_badge,))

    @property
    def is_bad_rating(self) -> bool:
        return is_bad_rating(self.kind, self.rating)

    @property
    def needs_handling(self) -> bool:
        return needs_handling(self.kind, self.rating)

    @property
    def rating_label(self) -> str:
        return RATINGS.get(self.rating or 0, "")


class Attachment(Base):
    """A file a citizen attached: stored under instance/attachments with a random name, staff-only."""

    __tablename__ = "feedback_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("feedback_message.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[Message] = relationship(back_populates="attachments")


class Urge(Base):
    """催办: a supervisor (监察员) presses the handling department about a message that is overdue or slow."""

    __tablename__ = "feedback_urge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("feedback_message.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_user.id"))
    #: The department urged (the message's handling department at that moment).
    department_id: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[Message] = relationship(back_populates="urges")
    user: Mapped[User | None] = relationship()


class AuditEntry(Base):
    """Who did what, when, to which record, with the record's fields before and after (JSON)."""

    __tablename__ = "feedback_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: None for a citizen or the command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_user.id"))
    #: Who, as shown: a username, "群众" or "命令行" (kept even if the user is renamed).
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_message.id"), index=True)
    #: What else the action was about, e.g. "user:alice".
    target: Mapped[str | None] = mapped_column(String(128))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: A short public note shown in the timeline (e.g. the 转办 destination or 不予受理 reason).
    note: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship()
    message: Mapped[Message | None] = relationship()

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


class StaffSession(Base):
    """A signed-in staff member's session, checked on every request and revocable at once.

    The browser's cookie (signed by Flask) holds only a random token; the
    row is keyed by the token's sha256, so a copy of this table does not hold
    a single usable session.  A session ends at ``expires_at`` (absolute
    limit), after ``FEEDBACK_SESSION_IDLE_SECONDS`` without a request, or when
    revoked: at logout, at a password change and when the account is disabled.
    """

    __tablename__ = "feedback_staff_session"

    #: sha256 hex of the random token in the cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("feedback_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed sign-ins of one account name, counted for every worker and server alike.

    Keyed by the sha256 of the name as typed (known or not, so the answer
    never tells whether an account exists, and a password typed into the
    name field is not kept).  After each failure the next attempt is refused
    until ``blocked_until``; the wait doubles with every failure, up to a cap.
    """

    __tablename__ = "feedback_login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Counter(Base):
    """Daily sequence per number prefix ("TS-20261124" → 7): incremented inside the submitting transaction."""

    __tablename__ = "feedback_counter"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
