"""A realistic year of cases for a content tree (the demo's, or a benchmark's), as exchange lines.

``build.py cases demo`` writes them; ``make run`` imports them into the
instance database.  The output depends only on the content, the seed and the
last day: each day's cases come from a generator seeded with the day, and
each case's events from one seeded with its number, so a case keeps its
events (and their ids) from one day's run to the next and importing again is
idempotent — a later run adds the events that happened since.

Events after the end of the last day are not written: cases still running
then are open (some 临近到期, some overdue).  What the year holds, roughly:
channels by how far the item can be done online, fake applicants (people or
companies as the item's audience says), every step of the item's process,
补正 in one case in twelve (a few told twice: 重复补正), 特别程序, fees as
the guide publishes them, 撤回, 不予受理 with reasons, late steps and late
cases, and a few red cards of each kind: a fee the guide does not list, a
不予 without a reason, a 受理 of a cancelled or suspended item.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sunshine.content import Content
from sunshine.content.model import Item
from sunshine.feedback.models import TIMEZONE
from sunshine.feedback.workdays import is_workday

from .events import event_line
from .items import step_days
from .models import T_ACCEPT

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强春梅海燕小红玉兰文博宇航晓东红梅建华"
TRADES = (
    "商贸",
    "餐饮",
    "建筑工程",
    "农业开发",
    "物流",
    "文化传媒",
    "石油技术服务",
    "果业",
    "医药",
    "汽车运输",
)
FORMS = ("有限公司", "有限责任公司", "个体工商户", "农民专业合作社")
PLACES = ("宝塔区", "洛川县", "延川县", "延长县", "安塞区", "黄陵县", "志丹县")
EXTRA_FEES = ("加急费", "资料费", "表格费", "咨询服务费")
REFUSALS = (
    "申请材料不齐全，经一次性告知后逾期未补正",
    "申请事项不属于本机关职权范围，已告知向有关机关申请",
    "申请人不具备法定条件",
    "现场核查不符合规定条件",
)


@dataclass
class _Line:
    at: dt.datetime
    fields: dict[str, object]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _company(rng: random.Random) -> str:
    return f"延安市{rng.choice(PLACES)}{_name(rng)[1:]}{rng.choice(TRADES)}{rng.choice(FORMS)}"


def _amount(standard: str | None, rng: random.Random) -> str:
    found = re.search(r"(\d+(?:\.\d+)?)\s*元", standard or "")
    value = float(found.group(1)) if found else rng.choice((10, 20, 50, 80, 100, 150))
    return f"{value:.2f}"


def _office_time(
    day: dt.date, rng: random.Random, start: int = 8 * 60 + 40, end: int = 17 * 60 + 50
) -> dt.datetime:
    minute = rng.randint(start, end)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randint(0, 59)), tzinfo=TIMEZONE)


def _add_workdays(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


class _Center:
    """The items a center's applicants ask for, each with a fixed popularity."""

    def __init__(self, content: Content, weight: float, rng: random.Random) -> None:
        self.content = content
        self.weight = weight
        items = sorted(content.items.values(), key=lambda i: i.id)
        self.open = [i for i in items if i.status == "在办"]
        self.stopped = [i for i in items if i.status != "在办"]
        self.popularity = [rng.lognormvariate(0, 1.1) for _ in self.open]
        self.badges: dict[str, list[str]] = {
            w.id: [s.badge for s in w.staff if s.badge] for w in content.windows.values()
        }

    def actor(self, item: Item, rng: random.Random) -> str:
        badges = [b for w in item.windows for b in self.badges.get(w, [])]
        if badges:
            return rng.choice(badges)
        department = self.content.departments[item.department]
        return department.short_name or department.name


def demo_lines(
    content: Content, *, until: dt.date, seed: int = 2010, days: int = 365, per_day: float = 15.0
) -> list[str]:
    """The events of ``days`` days of cases ending with ``until`` (its last moment), as exchange lines.

    ``per_day`` is the mean number of cases a working day across all centers.
    """
    return list(iter_demo_lines(content, until=until, seed=seed, days=days, per_day=per_day))


def iter_demo_lines(
    content: Content, *, until: dt.date, seed: int = 2010, days: int = 365, per_day: float = 15.0
) -> Iterator[str]:
    """:func:`demo_lines` one line at a time, in time order day by day (for big benchmark files)."""
    root = content.root_center
    setup = random.Random(f"{seed}:centers")
    centers = [_Center(c, 3.0 if c is root else 1.0, setup) for c in root.all_centers()]
    centers = [c for c in centers if c.open]
    city = root.is_city
    cutoff = dt.datetime.combine(until, dt.time.max, tzinfo=TIMEZONE)
    pending: list[_Line] = []
    for offset in range(days - 1, -1, -1):
        day = until - dt.timedelta(days=offset)
        day_rng = random.Random(f"{seed}:{day.isoformat()}")
        # Saturdays have a few cases (延时服务); holidays none.
        mean = per_day if is_workday(day) else (per_day * 0.08 if day.weekday() == 5 else 0.0)
        count = max(0, round(day_rng.gauss(mean, mean**0.5))) if mean else 0
        for k in range(1, count + 1):
            center = day_rng.choices(centers, weights=[c.weight for c in centers])[0]
            case = f"{center.content.center_id}-{day:%Y%m%d}-{k:04d}"
            for line in _case(center, case, day, seed, city):
                if line.at <= cutoff:
                    pending.append(line)
        # Flush what can no longer be preceded by a later case's events (cases last far less than a year).
        horizon = dt.datetime.combine(day - dt.timedelta(days=120), dt.time.max, tzinfo=TIMEZONE)
        ready = [line for line in pending if line.at <= horizon]
        if ready:
            pending = [line for line in pending if line.at > horizon]
            ready.sort(key=lambda line: (line.at, str(line.fields["id"])))
            yield from (event_line(line.fields) for line in ready)
    pending.sort(key=lambda line: (line.at, str(line.fields["id"])))
    yield from (event_line(line.fields) for line in pending)


def _case(center: _Center, case: str, day: dt.date, seed: int, city: bool) -> list[_Line]:
    """Every event of one case, as it would happen (the caller drops those after the cutoff)."""
    rng = random.Random(f"{seed}:{case}")
    red = rng.random()
    if red < 0.002 and center.stopped:
        item = rng.choice(center.stopped)  # a 受理 of an item no longer offered: 已取消事项受理
    else:
        item = rng.choices(center.open, weights=center.popularity)[0]
    out: list[_Line] = []
    counter = iter(range(1, 100))

    def add(at: dt.datetime, kind: str, **fields: object) -> None:
        event: dict[str, object] = {"id": f"{case}-{next(counter):02d}", "case": case}
        if city:
            event["center"] = center.content.center_id
        event.update(type=kind, at=at.isoformat(timespec="seconds"), **fields)
        out.append(_Line(at, event))

    depth = item.online.depth
    channel = rng.choices(("窗口", "网上", "自助", "邮寄"), weights=(60, 30 if depth >= 3 else 4, 5, 3))[0]
    audience = item.audience or "自然人和法人"
    kind = {"自然人": "自然人", "法人": "法人"}.get(audience) or rng.choice(("自然人", "法人"))
    applicant = {"name": _name(rng) if kind == "自然人" else _company(rng), "kind": kind}
    actor = center.actor(item, rng)

    if channel == "网上":
        applied = _office_time(day, rng, 0, 23 * 60 + 59) - dt.timedelta(days=rng.choice((0, 0, 1, 2)))
        accepted = _office_time(day, rng)
        if accepted < applied:
            accepted = applied + dt.timedelta(minutes=rng.randint(5, 90))
    else:
        applied = _office_time(day, rng)
        accepted = applied + dt.timedelta(minutes=rng.randint(3, 25))
    add(
        applied,
        "申请",
        item=item.code if rng.random() < 0.3 else item.id,
        channel=channel,
        applicant=applicant,
    )

    if rng.random() < 0.02:  # refused at the window, most with the reason the law requires
        reason = rng.choice(REFUSALS) if rng.random() > 0.05 else None
        add(accepted, "不予受理", actor=actor, **({"reason": reason} if reason else {}))
        return out
    add(accepted, T_ACCEPT, item=item.id, actor=actor)

    steps = list(item.process)
    window_step = 1  # the first step is the window's own (申请与受理), done at once
    if steps and steps[0].step == T_ACCEPT:
        steps, window_step = steps[1:], 0  # completed by the 受理 event itself
    limits = [step_days(s.duration) for s in steps]
    promised = item.time_limit.promised
    budget = min(promised, sum(n if n is not None else 2 for n in limits[window_step:] or limits))
    late_case = rng.random() < 0.04
    total = promised + rng.randint(1, 4) if late_case else rng.randint(0, budget)
    reports_steps = rng.random() < 0.8
    # Working days each step takes, summing to the case's total, each within its own limit while they last;
    # the first (window) step takes none.
    share = [0] * len(steps)
    later = list(range(window_step, len(steps))) or list(range(len(steps)))
    for _ in range(total if later else 0):
        room = [i for i in later if share[i] < (limits[i] if limits[i] is not None else 2)]
        share[rng.choice(room or later)] += 1
    if len(steps) > window_step and rng.random() < 0.04:  # one step drags; the case may still close in time
        i = rng.randrange(window_step, len(steps))
        if limits[i] is not None:
            share[i] = max(share[i], limits[i] + rng.randint(1, 2))

    moment = accepted
    current = accepted.astimezone(TIMEZONE).date()
    pause = rng.random()
    corrected = False
    for i, step in enumerate(steps):
        if share[i]:
            current = _add_workdays(current, share[i])
            moment = max(moment + dt.timedelta(minutes=5), _office_time(current, rng))
        else:
            moment = moment + dt.timedelta(minutes=rng.randint(5, 40))
            current = moment.astimezone(TIMEZONE).date()
        if i == 1 and not corrected and pause < 0.08:  # 补正: the clock stops until the applicant answers
            corrected = True
            told = moment - dt.timedelta(minutes=rng.randint(30, 120))
            add(told, "补正告知", actor=actor, note="一次性告知需补正的材料")
            gap = rng.randint(1, 6)
            if pause < 0.008:  # told a second time: 一次性告知 broken
                again = _office_time(_add_workdays(current, 1), rng)
                add(again, "补正告知", actor=actor, note="再次告知补正材料")
                gap += 2
            current = _add_workdays(current, gap)
            moment = _office_time(current, rng)
            add(moment, "补正完成", note="申请人已补齐材料")
            moment += dt.timedelta(minutes=rng.randint(10, 60))
        elif i == 1 and 0.08 <= pause < 0.10 and promised >= 5:  # 特别程序: 听证, 专家评审 …
            add(moment, "特别程序开始", actor=actor, note=rng.choice(("组织听证", "专家评审", "技术鉴定")))
            current = _add_workdays(current, rng.randint(3, 10))
            moment = _office_time(current, rng)
            add(moment, "特别程序结束", actor=actor)
            moment += dt.timedelta(minutes=rng.randint(10, 60))
        if rng.random() < 0.015 and i >= 1:  # the applicant withdraws
            add(moment + dt.timedelta(minutes=30), "撤回", note="申请人书面申请撤回")
            return out
        if reports_steps:
            add(moment, "环节完成", step=step.step, actor=actor)

    if item.fees and rng.random() < 0.9:
        fee = rng.choice(item.fees)
        add(
            moment + dt.timedelta(minutes=2),
            "收费",
            fee={"name": fee.name or "", "amount": _amount(fee.standard, rng)},
        )
    if red > 0.996:  # a charge the guide does not list: 违规收费
        add(moment + dt.timedelta(minutes=3), "收费", fee={"name": rng.choice(EXTRA_FEES), "amount": "20.00"})
    closed = moment + dt.timedelta(minutes=rng.randint(5, 30))
    if 0.002 <= red < 0.004:  # a refusal without the reason the law requires: 不予无理由
        add(closed, "办结", decision="不予", actor=actor)
    elif rng.random() < 0.03:
        add(closed, "办结", decision="不予", actor=actor, reason=rng.choice(REFUSALS))
    else:
        add(closed, "办结", decision="准予", actor=actor)
    return out
