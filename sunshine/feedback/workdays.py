"""Working-day arithmetic on China's official calendar, 调休 make-up weekends included.

Reply deadlines (答复时限) are set in working days (工作日), and the State
Council's yearly holiday notice moves working days onto weekends around the
long holidays: 2024-09-29 (Sunday) and 2024-10-12 (Saturday) were working days
so that 10-01…10-07 could be one week off.  Counting Monday–Friday alone would
put deadlines inside the golden week and miss those Saturdays, so every date is
checked against the `holidays` package's China calendar, which carries both the
public holidays and the make-up working weekends (``weekend_workdays``).

Conventions (those of the administrative-procedure rule "期间开始之日不计算在期间内"):

* the day a message is received does not count; a message received after
  office hours, on a weekend or on a holiday is treated as received on the
  next working day;
* the deadline of ``n`` working days is the end of the n-th working day after
  that receipt day (n = 0: the end of the receipt day itself).

The State Council publishes each year's schedule in the November or December
before; for a year not yet published the `holidays` package gives the fixed
public holidays without make-up days, so upgrade it each winter.

Aware datetimes (the feedback database stores UTC) are read in the center's
time zone, :data:`sunshine.feedback.models.TIMEZONE`; naive ones are taken as local.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import threading
from array import array
from typing import TYPE_CHECKING

import holidays

from .models import BAD_RATING_MAX, TIMEZONE

if TYPE_CHECKING:
    from ..content.model import FeedbackSettings

#: Messages received after this time of day count from the next working day (office hours end).
OFFICE_CLOSE = dt.time(17, 30)
#: A deadline falls due at the very end of its day.
DAY_END = dt.time(23, 59, 59)
#: Bound on any loop over calendar days: no deadline is ten years of working days away.
_MAX_DAYS = 3660

_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def _year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(holidays, make-up working weekends) of one year, computed once and frozen (thread-safe to read)."""
    with _lock:
        calendar = holidays.country_holidays("CN", years=year)
        off = frozenset(day for day in calendar if day.year == year)
        extra = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return off, extra


def local(moment: dt.datetime) -> dt.datetime:
    """An aware moment as the center's wall-clock time (naive values are taken as already local)."""
    return moment.astimezone(TIMEZONE) if moment.tzinfo is not None else moment


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return local(value).date() if isinstance(value, dt.datetime) else value


def is_workday(day: dt.date | dt.datetime) -> bool:
    """Whether ``day`` is an official working day in China (调休 weekends are; public holidays are not)."""
    day = _as_date(day)
    off, extra = _year(day.year)
    if day.weekday() >= 5:
        return day in extra
    return day not in off


def next_workday(day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    for _ in range(_MAX_DAYS):
        day += dt.timedelta(days=1)
        if is_workday(day):
            return day
    raise ValueError(f"no working day within {_MAX_DAYS} days after {day}")  # pragma: no cover


def receipt_day(received: dt.date | dt.datetime) -> dt.date:
    """The working day a message counts as received on: itself, or the next one if after hours or off."""
    day = _as_date(received)
    after_hours = isinstance(received, dt.datetime) and local(received).time() >= OFFICE_CLOSE
    if is_workday(day) and not after_hours:
        return day
    return next_workday(day)


def add_workdays(start: dt.date | dt.datetime, n: int) -> dt.datetime:
    """The deadline of ``n`` working days from a message received at ``start``: the end of that day."""
    if n < 0:
        raise ValueError(f"a deadline cannot be negative ({n} working days)")
    day = receipt_day(start)
    for _ in range(n):
        day = next_workday(day)
    return dt.datetime.combine(day, DAY_END, tzinfo=TIMEZONE)


def deadline_days(settings: FeedbackSettings, kind: str, rating: int | None = None) -> int:
    """Working days allowed to answer a message: site.yaml's per-kind figure; a 差评 is handled as a 投诉."""
    if kind == "评价":
        if rating is not None and rating > BAD_RATING_MAX:
            raise ValueError("a good evaluation needs no answer and has no deadline")
        kind = "投诉"
    return settings.deadline(kind)


def workdays_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """Working days elapsed from receipt at ``a`` to ``b``: those after the receipt day, up to ``b``'s day.

    Answered the same working day → 0; the next working day → 1.  It is the
    inverse of :func:`add_workdays`: a reply at ``b`` is within ``n`` working
    days exactly when ``workdays_between(a, b) <= n``.  Negative when ``b``
    comes before ``a``'s receipt day (a deadline still ahead, counted back).
    """
    start = receipt_day(a)
    end = _as_date(b)
    if end < start:
        return -_count(end, start)
    return _count(start, end)


def _count(lo: dt.date, hi: dt.date) -> int:
    """Working days d with lo < d <= hi."""
    span = (hi - lo).days
    if span > _MAX_DAYS * 10:
        raise ValueError(f"{lo} … {hi}: too long a span to count working days over")
    return sum(1 for i in range(1, span + 1) if is_workday(lo + dt.timedelta(days=i)))


def workdays_left(now: dt.datetime, due: dt.date | dt.datetime) -> int:
    """Working days from ``now`` until the day ``due`` falls on (0: due today; negative once past)."""
    today, due_day = _as_date(now), _as_date(due)
    if due_day >= today:
        return _count(today, due_day)
    return -_count(due_day, today)


# -- working-day ordinals: constant-time arithmetic for bulk work (the case ledger) ------------------

#: First day of the ordinal table; earlier dates have no ordinal.
ORDINAL_EPOCH = dt.date(1990, 1, 1)
#: Last year the table may grow to: a deadline further away than this is not a deadline anyone keeps.
ORDINAL_LAST_YEAR = 2199


class _Ordinals:
    """Cumulative counts of working days from :data:`ORDINAL_EPOCH`, grown a year at a time as needed.

    ``counts[i]`` is the number of working days among the first ``i + 1`` days
    of the table, so the working days after ``a`` up to and including ``b`` are
    ``ordinal(b) - ordinal(a)``.  Growing only appends, so an ordinal never
    changes once read; readers see either the old table or the longer one.
    """

    def __init__(self) -> None:
        self.counts = array("l")
        self.end_year = ORDINAL_EPOCH.year - 1
        self.lock = threading.Lock()

    def grow(self, year: int) -> None:
        if year > ORDINAL_LAST_YEAR:
            raise ValueError(f"{year}: beyond the working-day calendar (last year {ORDINAL_LAST_YEAR})")
        with self.lock:
            counts = array("l", self.counts)
            total = counts[-1] if counts else 0
            for y in range(self.end_year + 1, year + 1):
                off, extra = _year(y)
                day = dt.date(y, 1, 1)
                while day.year == y:
                    total += (day in extra) if day.weekday() >= 5 else (day not in off)
                    counts.append(total)
                    day += dt.timedelta(days=1)
                self.end_year = y
            self.counts = counts

    def ordinal(self, day: dt.date) -> int:
        index = (day - ORDINAL_EPOCH).days
        if index < 0:
            raise ValueError(f"{day}: before the working-day calendar ({ORDINAL_EPOCH})")
        counts = self.counts
        if index >= len(counts):
            self.grow(day.year)
            counts = self.counts
        return counts[index]

    def day(self, ordinal: int) -> dt.date:
        counts = self.counts
        while not counts or counts[-1] < ordinal:
            self.grow(self.end_year + 1)
            counts = self.counts
        if ordinal < 1:
            raise ValueError(f"working day #{ordinal}: before the working-day calendar ({ORDINAL_EPOCH})")
        return ORDINAL_EPOCH + dt.timedelta(days=bisect.bisect_left(counts, ordinal))


_ORDINALS = _Ordinals()


def workday_ordinal(day: dt.date) -> int:
    """How many working days there are from :data:`ORDINAL_EPOCH` up to and including ``day``.

    The working days after ``a`` up to and including ``b`` are
    ``workday_ordinal(b) - workday_ordinal(a)``; a non-working day has the
    ordinal of the working day before it.  Raises ValueError outside
    1990–2199.
    """
    return _ORDINALS.ordinal(day)


def workday_of_ordinal(ordinal: int) -> dt.date:
    """The working day whose ordinal is ``ordinal`` (inverse of :func:`workday_ordinal` on working days)."""
    return _ORDINALS.day(ordinal)
