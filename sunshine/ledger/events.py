"""One line of the case exchange (CASE-EXCHANGE.md): decoded, parsed and checked on its own.

:func:`parse_line` turns a line into a :class:`ParsedEvent` or raises
:class:`EventError` with every problem of the line, each written like the
content errors: ``field: 中文说明 (English) (hint)``.  The checks that need
the stored case (does ``item`` agree with the case's, is ``step`` one of the
case's item's steps when the line names no item) are made by the importer,
which knows the case (:mod:`.store`).

The checks are plain Python rather than a pydantic model: an import of a
million lines spends most of its time here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from .items import ItemInfo, LedgerIndex
from .models import (
    APPLICANT_KINDS,
    CHANNELS,
    DECISIONS,
    T_ACCEPT,
    T_APPLY,
    T_DONE,
    T_FEE,
    T_STEP,
    TYPE_ORDER,
    TYPES,
)

#: The keys of an event, in the contract's order.
KEYS: tuple[str, ...] = (
    "id",
    "case",
    "center",
    "item",
    "type",
    "at",
    "channel",
    "applicant",
    "step",
    "actor",
    "decision",
    "reason",
    "fee",
    "note",
)
_KEY_SET = frozenset(KEYS)
_STRING_KEYS = (
    "id",
    "case",
    "center",
    "item",
    "type",
    "at",
    "channel",
    "step",
    "actor",
    "decision",
    "reason",
    "note",
)
APPLICANT_KEYS: tuple[str, ...] = ("name", "kind")
FEE_KEYS: tuple[str, ...] = ("name", "amount")

#: A line longer than this is refused unread (an event is a few hundred bytes).
MAX_LINE_CHARS = 64 * 1024
#: Events may be stamped at most this far ahead of the receiving clock.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
#: The earliest moment accepted (the working-day calendar starts here).
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)

_CASE = re.compile(r"[A-Za-z0-9-]{1,64}")
# RFC 3339 date-time: the offset is required ("Z" or ±HH:MM); "t" and a space are tolerated as separator.
_AT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?"
)
_PLAIN_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-](?:[01]\d|2[0-3]):[0-5]\d")
_AMOUNT = re.compile(r"(\d{1,15})(?:\.(\d{1,2}))?")


class EventError(ValueError):
    """A line that cannot be stored, with every problem found in it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(slots=True)
class ParsedEvent:
    """A checked event: the columns of :class:`~sunshine.ledger.models.Event` and the item it names."""

    id: str
    case: str
    center: str
    type: str
    at: dt.datetime
    item: ItemInfo | None
    channel: str | None
    applicant_name: str | None
    applicant_kind: str | None
    step: str | None
    actor: str | None
    decision: str | None
    reason: str | None
    fee_name: str | None
    fee_amount: str | None
    fee_fen: int | None
    note: str | None
    raw: str

    @property
    def key(self) -> tuple[str, str]:
        """The case this event belongs to: (center, case number)."""
        return (self.center, self.case)


def problem(field: str, message: str, hint: str = "") -> str:
    """One problem as the content errors write it: ``field: message (hint)``."""
    text = f"{field}: {message}" if field else message
    return f"{text} ({hint})" if hint else text


def _nearest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f'did you mean "{close[0]}"?' if close else "known: " + ", ".join(choices)


def _storable(value: str) -> bool:
    """Text a database column can hold: no NUL (PostgreSQL refuses it) and no unpaired surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode_line(data: bytes, number: int) -> str:
    """A line's bytes as text: UTF-8, a BOM tolerated on line 1, the line break removed."""
    if number == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.endswith(b"\r"):
        data = data[:-1]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EventError(
            [
                problem(
                    "",
                    f"不是有效的 UTF-8 文本（第 {exc.start + 1} 字节）(invalid UTF-8)",
                    "save the file as UTF-8",
                )
            ]
        ) from None


def parse_at(value: str) -> dt.datetime:
    """An RFC 3339 moment with its offset, as aware UTC; ValueError says what is wrong."""
    if _PLAIN_AT.fullmatch(value):  # the usual shape, 2026-11-02T09:15:00+08:00: the C parser
        try:
            return dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        except ValueError:
            pass  # an impossible date or offset: the full check below says which
    match = _AT.fullmatch(value)
    if match is None:
        raise ValueError(
            "不是 RFC 3339 时间 (not an RFC 3339 date-time)|write it like 2026-11-02T09:15:00+08:00"
        )
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if not zulu and not sign:
        raise ValueError("缺少时区偏移 (no UTC offset)|add the offset, e.g. +08:00")
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    sec = int(second)
    if sec == 60:  # a leap second: the moment just before it
        sec, micro = 59, 999_999
    try:
        if sign:
            hours, minutes = int(off_h), int(off_m)
            if hours > 23 or minutes > 59:
                raise ValueError
            delta = dt.timedelta(hours=hours, minutes=minutes)
            tz = dt.timezone(-delta if sign == "-" else delta)
        else:
            tz = dt.UTC
        moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), sec, micro, tzinfo=tz)
    except ValueError:
        raise ValueError(
            "不是存在的日期或时间 (no such date or time)|check the date, time and offset"
        ) from None
    return moment.astimezone(dt.UTC)


def _at_problem(value: str, now: dt.datetime) -> tuple[dt.datetime | None, str | None]:
    try:
        moment = parse_at(value)
    except ValueError as exc:
        message, _, hint = str(exc).partition("|")
        return None, problem("at", message, hint)
    if moment > now + FUTURE_TOLERANCE:
        local = now.astimezone(dt.timezone(dt.timedelta(hours=8)))
        return None, problem(
            "at",
            "晚于当前时间 5 分钟以上 (more than 5 minutes in the future)",
            f"the server's clock reads {local:%Y-%m-%dT%H:%M:%S+08:00}",
        )
    if moment < EARLIEST:
        return None, problem("at", "早于 1990 年 (before 1990)", "the working-day calendar starts in 1990")
    return moment, None


def parse_line(text: str, index: LedgerIndex, now: dt.datetime) -> ParsedEvent:
    """Check one line (already decoded, not blank) against the contract and the content; raise EventError."""
    if len(text) > MAX_LINE_CHARS:
        raise EventError(
            [problem("", f"一行超过 {MAX_LINE_CHARS} 个字符 (line too long)", "one event per line")]
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise EventError([problem("", "不是 JSON (not JSON)", "one JSON object per line")]) from None
    if not isinstance(data, dict):
        raise EventError([problem("", "不是 JSON 对象 (not a JSON object)", 'write {"id": …, "case": …}')])
    problems: list[str] = []
    if not _KEY_SET.issuperset(data):
        for key in data:
            if key not in _KEY_SET:
                problems.append(problem(key, "未知字段 (unknown key)", _nearest(key, KEYS)))
    values: dict[str, Any] = {k: v for k, v in data.items() if v is not None and k in _KEY_SET}

    # Only a \u escape can put a NUL or a lone surrogate into a decoded string.
    escaped = "\\u" in text
    for key in _STRING_KEYS:
        value = values.get(key)
        if value is None or (type(value) is str and not escaped):
            continue
        if not isinstance(value, str):
            problems.append(
                problem(key, "应为字符串 (must be a string)", f'write it in quotes: "{key}": "…"')
            )
            del values[key]
        elif not _storable(value):
            problems.append(problem(key, "含有 NUL 或无效字符 (contains NUL or an invalid character)"))
            del values[key]

    for key in ("id", "case", "type", "at"):
        if key not in values and key in data and data[key] is None:
            problems.append(problem(key, "不能为 null (must not be null)"))
        elif key not in data:
            problems.append(problem(key, "缺少必填字段 (required)"))

    event_id = values.get("id")
    if event_id is not None and not 1 <= len(event_id) <= 64:
        problems.append(problem("id", "长度应为 1–64 个字符 (1–64 characters)"))
    case = values.get("case")
    if case is not None and not _CASE.fullmatch(case):
        problems.append(
            problem("case", "应为 1–64 个字母、数字或 - (1–64 of A-Z a-z 0-9 -)", "e.g. YA-20261102-0007")
        )

    kind = values.get("type")
    if kind is not None and kind not in TYPE_ORDER:
        problems.append(problem("type", f"未知事件类型“{kind}” (unknown type)", _nearest(kind, TYPES)))
        kind = None

    moment = None
    if "at" in values:
        moment, at_problem = _at_problem(values["at"], now)
        if at_problem:
            problems.append(at_problem)

    center = _center(values, data, index, problems)

    item: ItemInfo | None = None
    ref = values.get("item")
    if ref is not None and center is not None:
        item = index.centers[center].item(ref)
        if item is None:
            where = f"中心 {center} " if index.is_city else ""
            problems.append(
                problem(
                    "item",
                    f"{where}没有 id 或编码为“{ref}”的事项 (unknown item)",
                    "use the item's id or code",
                )
            )
    if kind in (T_APPLY, T_ACCEPT) and data.get("item") is None:
        problems.append(
            problem("item", f"{kind}事件须写明事项 (required on {kind})", "the item's id or code")
        )

    channel = values.get("channel")
    if channel is not None and channel not in CHANNELS:
        problems.append(problem("channel", f"应为 {' / '.join(CHANNELS)} 之一 (unknown channel)"))

    applicant_name = applicant_kind = None
    if "applicant" in values:
        applicant_name, applicant_kind = _applicant(values["applicant"], problems)

    step = values.get("step")
    if kind == T_STEP and step is None:
        problems.append(
            problem("step", "环节完成事件须写明环节 (required on 环节完成)", "a step of the item's process")
        )
    if step is not None and item is not None and step.strip() not in item.step_names:
        problems.append(
            problem("step", f"“{step}”不是该事项的办理环节 (not one of the item's steps)", _steps_hint(item))
        )

    decision = values.get("decision")
    if decision is not None and decision not in DECISIONS:
        problems.append(problem("decision", "应为 准予 或 不予 (准予 / 不予)"))
    if kind == T_DONE and decision is None:
        problems.append(problem("decision", "办结事件须写明决定 (required on 办结)", "准予 or 不予"))

    fee_name = fee_amount = None
    fee_fen = None
    if "fee" in values:
        fee_name, fee_amount, fee_fen = _fee(values["fee"], problems)
    elif kind == T_FEE:
        problems.append(
            problem("fee", "收费事件须写明收费 (required on 收费)", '{"name": "工本费", "amount": "10.00"}')
        )

    if problems:
        raise EventError(problems)
    assert event_id is not None and case is not None and kind is not None and moment is not None
    assert center is not None
    return ParsedEvent(
        id=event_id,
        case=case,
        center=center,
        type=kind,
        at=moment,
        item=item,
        channel=channel,
        applicant_name=applicant_name,
        applicant_kind=applicant_kind,
        step=step.strip() if step is not None else None,
        actor=values.get("actor"),
        decision=decision,
        reason=values.get("reason"),
        fee_name=fee_name,
        fee_amount=fee_amount,
        fee_fen=fee_fen,
        note=values.get("note"),
        raw=text,
    )


def _center(
    values: dict[str, Any], data: dict[str, Any], index: LedgerIndex, problems: list[str]
) -> str | None:
    if data.get("center") is None:
        if index.is_city:
            problems.append(
                problem(
                    "center", "市级目录中每个事件须写明中心 (required in a city-wide tree)", _centers(index)
                )
            )
            return None
        return index.root_id
    center = values.get("center")
    if center is None:  # not a string: reported already
        return None
    if center not in index.centers:
        problems.append(problem("center", f"未知中心“{center}” (unknown center)", _centers(index)))
        return None
    return center


def _centers(index: LedgerIndex) -> str:
    return "centers: " + ", ".join(index.centers)


def _steps_hint(item: ItemInfo) -> str:
    return "steps: " + "、".join(s[0] for s in item.steps)


def _object(value: Any, field: str, keys: tuple[str, ...], problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        problems.append(
            problem(field, "应为对象 (must be an object)", "{" + ", ".join(f'"{k}": …' for k in keys) + "}")
        )
        return None
    ok = True
    for key in value:
        if key not in keys:
            problems.append(problem(f"{field}.{key}", "未知字段 (unknown key)", _nearest(str(key), keys)))
            ok = False
    for key in keys:
        item = value.get(key)
        if item is None:
            problems.append(problem(f"{field}.{key}", "缺少必填字段 (required)"))
            ok = False
        elif not isinstance(item, str):
            problems.append(problem(f"{field}.{key}", "应为字符串 (must be a string)"))
            ok = False
        elif not _storable(item):
            problems.append(
                problem(f"{field}.{key}", "含有 NUL 或无效字符 (contains NUL or an invalid character)")
            )
            ok = False
    return value if ok else None


def _applicant(value: Any, problems: list[str]) -> tuple[str | None, str | None]:
    applicant = _object(value, "applicant", APPLICANT_KEYS, problems)
    if applicant is None:
        return None, None
    if applicant["kind"] not in APPLICANT_KINDS:
        problems.append(problem("applicant.kind", "应为 自然人 或 法人 (自然人 / 法人)"))
        return None, None
    return applicant["name"], applicant["kind"]


def _fee(value: Any, problems: list[str]) -> tuple[str | None, str | None, int | None]:
    fee = _object(value, "fee", FEE_KEYS, problems)
    if fee is None:
        return None, None, None
    match = _AMOUNT.fullmatch(fee["amount"])
    if match is None:
        problems.append(
            problem(
                "fee.amount", "应为以元为单位的十进制数字字符串 (a decimal string in yuan)", 'e.g. "50.00"'
            )
        )
        return None, None, None
    whole, cents = match.groups()
    fen = int(whole) * 100 + int((cents or "0").ljust(2, "0"))
    return fee["name"], fee["amount"], fen


def event_line(fields: dict[str, Any]) -> str:
    """An event written as one line of the exchange (compact JSON, Chinese kept readable)."""
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
