"""The case ledger's tables (办件台账) and the words of the case exchange contract.

Three tables, on the feedback server's ``Base`` and Alembic history:

* :class:`Event` — every event as it came, append-only: the line verbatim
  plus its parsed columns.  The event ``id`` is unique; a re-sent id is a
  duplicate and changes nothing.
* :class:`Case` — the state of each case derived from all its events
  (:mod:`.state`), recomputed whenever an import touches the case, in the same
  transaction as the events.  Only the *snapshot* columns are never
  recomputed: the item's promised limit and its steps as they stood when the
  case's 受理 was stored, so a later edit of the guide never moves an existing
  case's deadline.
* :class:`Token` — bearer tokens of the systems that send events over HTTP,
  stored as a SHA-256 of the token (tokens are 256 random bits, so a fast hash
  is enough; the token itself is shown once).

Times are stored as naive UTC (:class:`~sunshine.feedback.models.UTCDateTime`);
days (due days) are the center's local dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.feedback.models import Base, UTCDateTime, utcnow

# -- the contract's words (CASE-EXCHANGE.md) -----------------------------------------------------

T_APPLY = "申请"
T_ACCEPT = "受理"
T_REFUSE = "不予受理"
T_CORRECT = "补正告知"
T_CORRECTED = "补正完成"
T_SPECIAL = "特别程序开始"
T_SPECIAL_END = "特别程序结束"
T_STEP = "环节完成"
T_DONE = "办结"
T_WITHDRAW = "撤回"
T_FEE = "收费"

#: Event types in the order that breaks ties of ``at``: the clock starts before anything it times,
#: a pause opens before it ends, steps and fees come before the case closes.
TYPES: tuple[str, ...] = (
    T_APPLY,
    T_ACCEPT,
    T_CORRECT,
    T_CORRECTED,
    T_SPECIAL,
    T_SPECIAL_END,
    T_STEP,
    T_FEE,
    T_REFUSE,
    T_DONE,
    T_WITHDRAW,
)
TYPE_ORDER: dict[str, int] = {t: i for i, t in enumerate(TYPES)}
#: Events that close a case.
CLOSING: frozenset[str] = frozenset({T_DONE, T_REFUSE, T_WITHDRAW})
#: Pause kinds: the event that opens each and the one that ends it.
PAUSES: dict[str, tuple[str, str]] = {
    "补正": (T_CORRECT, T_CORRECTED),
    "特别程序": (T_SPECIAL, T_SPECIAL_END),
}

CHANNELS: tuple[str, ...] = ("窗口", "网上", "自助", "邮寄")
APPLICANT_KINDS: tuple[str, ...] = ("自然人", "法人")
DECISIONS: tuple[str, ...] = ("准予", "不予")

#: Signal rules and their levels, verbatim from the contract, most severe first.
R_DUE_SOON = "临近到期"
R_STEP_LATE = "环节超时"
R_RECORRECT = "重复补正"
R_OVERDUE = "超期"
R_NO_REASON = "不予无理由"
R_FEE = "违规收费"
R_WITHDRAWN = "已取消事项受理"
L_WARN = "预警"
L_YELLOW = "黄牌"
L_RED = "红牌"
LEVELS: tuple[str, ...] = (L_RED, L_YELLOW, L_WARN)
RULES: dict[str, str] = {
    R_OVERDUE: L_RED,
    R_NO_REASON: L_RED,
    R_FEE: L_RED,
    R_WITHDRAWN: L_RED,
    R_STEP_LATE: L_YELLOW,
    R_RECORRECT: L_YELLOW,
    R_DUE_SOON: L_WARN,
}

#: Case statuses (Case.status), in the order a case goes through them.
S_APPLIED = "已申请"
S_RUNNING = "办理中"
S_PAUSED = "暂停计时"
S_DONE = "已办结"
S_REFUSED = "不予受理"
S_WITHDRAWN = "已撤回"
STATUSES: tuple[str, ...] = (S_APPLIED, S_RUNNING, S_PAUSED, S_DONE, S_REFUSED, S_WITHDRAWN)
CLOSED_STATUS: dict[str, str] = {T_DONE: S_DONE, T_REFUSE: S_REFUSED, T_WITHDRAW: S_WITHDRAWN}

#: Who sent events from the command line (Event.source); tokens send under their own name.
SOURCE_CLI = "命令行"


class Event(Base):
    """One event of one case, stored as it came (``raw``) and parsed; never updated or deleted."""

    __tablename__ = "ledger_event"
    __table_args__ = (Index("ix_ledger_event_case_no_center", "case_no", "center"),)

    #: Storage order (also the order of the ``raw`` lines of one import).
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The sender's event id (事件编号), unique across all events.
    id: Mapped[str] = mapped_column(String(64), unique=True)
    #: The center the case belongs to (the root's id in a single-center tree).
    center: Mapped[str] = mapped_column(String(64))
    case_no: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(8))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The item's id (an event may name it by its code; this is the id it resolved to), if named.
    item_id: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(4))
    applicant_name: Mapped[str | None] = mapped_column(Text)
    applicant_kind: Mapped[str | None] = mapped_column(String(4))
    step: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(4))
    reason: Mapped[str | None] = mapped_column(Text)
    fee_name: Mapped[str | None] = mapped_column(Text)
    #: The fee as sent ("50.00") and in fen (5000), for sums.
    fee_amount: Mapped[str | None] = mapped_column(String(32))
    fee_fen: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    #: The line exactly as received (a UTF-8 BOM on the first line removed).
    raw: Mapped[str] = mapped_column(Text)
    #: Who sent it: a token's name, "命令行", or a staff page's name for its user.
    source: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Case(Base):
    """A case's state, derived from all its events (see :mod:`sunshine.ledger.state`)."""

    __tablename__ = "ledger_case"
    __table_args__ = (
        UniqueConstraint("case_no", "center"),
        Index("ix_ledger_case_center_status", "center", "status"),
        Index("ix_ledger_case_department_id", "department_id"),
        Index("ix_ledger_case_item_id", "item_id"),
        Index("ix_ledger_case_due_on", "due_on"),
        Index("ix_ledger_case_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center: Mapped[str] = mapped_column(String(64))
    case_no: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str | None] = mapped_column(String(64))
    #: The item's department when the case was last derived (for lists and token bindings).
    department_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(8))
    applicant_name: Mapped[str | None] = mapped_column(Text)
    applicant_kind: Mapped[str | None] = mapped_column(String(4))
    channel: Mapped[str | None] = mapped_column(String(4))
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # Snapshot of the item when the case's 受理 was first stored: never recomputed.
    promised: Mapped[int | None] = mapped_column(Integer)
    #: [[step, working days or null, duration as written], …] in process order.
    steps: Mapped[list[Any] | None] = mapped_column(JSON)
    snapshot_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    #: The due day (local date), pauses moved out; null before 受理 and while a pause is open.
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Working days the ended pauses added to the deadline.
    pause_days: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The event type that closed it: 办结, 不予受理 or 撤回.
    closed_by: Mapped[str | None] = mapped_column(String(8))
    decision: Mapped[str | None] = mapped_column(String(4))
    #: Closed by the end of its due day (null: not closed, or closed without a clock).
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    #: Working days after the due day it closed (or 0).
    late_days: Mapped[int] = mapped_column(Integer, default=0)

    # What the signals need, in compact columns (the rest is in ``detail``).
    corrections: Mapped[int] = mapped_column(Integer, default=0)
    fee_count: Mapped[int] = mapped_column(Integer, default=0)
    #: The distinct names charged (trimmed, sorted, one a line): 违规收费 is checked per (item, names).
    fee_names: Mapped[str | None] = mapped_column(Text)
    #: Steps that ended after their own due day (黄牌 环节超时, fixed once ended).
    late_steps: Mapped[int] = mapped_column(Integer, default=0)
    #: Index (in ``steps``) of the step running now, and its due day (null: none, unchecked or paused).
    running_step: Mapped[int | None] = mapped_column(Integer)
    running_due: Mapped[dt.date | None] = mapped_column(Date)
    #: A 不予 (不予受理, or 办结 with 不予) without a reason.
    no_reason: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The case has at least one 环节完成 event (steps are supervised only then).
    has_steps: Mapped[bool] = mapped_column(Boolean, default=False)

    event_count: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The signals no later moment changes, the 受理 event and the running step (signals.signal_facts).
    signal_facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Token(Base):
    """An API token of a sending system; bound to one department's items when ``department_id`` is set."""

    __tablename__ = "ledger_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 hex of the token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    center: Mapped[str | None] = mapped_column(String(64))
    department_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
