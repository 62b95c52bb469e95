"""The case clock of CASE-EXCHANGE.md in working-day ordinals.

Unlike a citizen's message (:mod:`sunshine.feedback.workdays`), a case does
not move to the next working day when it is received after office hours or on
a weekend: its 受理 day is day 0 whatever the hour.  It is due by the end of
working day N after that day; ``N = 0`` is due by the end of the 受理 day
itself.  A pause moves the due day later by the working days after its first
day up to and including its last.

Everything here is arithmetic on :func:`~sunshine.feedback.workdays.workday_ordinal`
(working days since 1990, one array lookup), so deriving a hundred thousand
cases never loops over calendar days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sunshine.feedback.models import TIMEZONE
from sunshine.feedback.workdays import (
    ORDINAL_LAST_YEAR,
    workday_of_ordinal,
    workday_ordinal,
)

#: The last day the calendar knows: a due day further away is shown as this day (never reached).
LAST_DAY = dt.date(ORDINAL_LAST_YEAR, 12, 31)

#: A pause as local days: (first day, last day).
DaySpan = tuple[dt.date, dt.date]


#: China has kept UTC+8 all year since this moment (the end of the last summer time, 1991).
_FIXED_OFFSET_SINCE = dt.datetime(1991, 9, 14, 17, 0, tzinfo=dt.UTC)
_EIGHT_HOURS = dt.timedelta(hours=8)


def local_day(moment: dt.datetime) -> dt.date:
    """The center's local date of an aware moment (fast for UTC+8, which derivation asks for a lot)."""
    if moment.tzinfo is dt.UTC and moment >= _FIXED_OFFSET_SINCE:
        return (moment + _EIGHT_HOURS).date()
    return moment.astimezone(TIMEZONE).date()


#: Working days from 1990 up to and including a day (see :func:`~sunshine.feedback.workdays.workday_ordinal`).
ordinal = workday_ordinal


def day_of(n: int) -> dt.date:
    """The working day with ordinal ``n``; days beyond the calendar are :data:`LAST_DAY`."""
    try:
        return workday_of_ordinal(n)
    except ValueError:
        return LAST_DAY


def next_workday(day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    return day_of(ordinal(day) + 1)


def workdays_after(first: dt.date, last: dt.date) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when last ≤ first)."""
    return max(0, ordinal(last) - ordinal(first)) if last > first else 0


def paused_workdays(spans: Iterable[DaySpan], start: dt.date, end: dt.date | None = None) -> int:
    """Working days the pauses add to a period that began on ``start`` (and ended on ``end``, if given).

    Each pause counts the working days after its first day up to and including
    its last, clipped to the period (after ``start``, up to ``end``); days
    covered by two pauses at once (补正 during a 特别程序) count once.
    """
    ranges: list[tuple[int, int]] = []
    start_n = ordinal(start)
    end_n = ordinal(end) if end is not None else None
    for first, last in spans:
        lo = max(ordinal(first), start_n)
        hi = ordinal(last)
        if end_n is not None:
            hi = min(hi, end_n)
        if hi > lo:
            ranges.append((lo, hi))
    if not ranges:
        return 0
    ranges.sort()
    total = 0
    cur_lo, cur_hi = ranges[0]
    for lo, hi in ranges[1:]:
        if lo <= cur_hi:
            cur_hi = max(cur_hi, hi)
        else:
            total += cur_hi - cur_lo
            cur_lo, cur_hi = lo, hi
    return total + cur_hi - cur_lo


def due_day(start: dt.date, days: int) -> dt.date:
    """The end of working day ``days`` after ``start`` (day 0); ``days == 0`` is ``start`` itself."""
    if days <= 0:
        return start
    return day_of(ordinal(start) + days)


def workdays_late(due: dt.date, day: dt.date) -> int:
    """Working days ``day`` is past ``due``: at least 1 once past (a weekend after the due day is late)."""
    if day <= due:
        return 0
    return max(1, ordinal(day) - ordinal(due))
