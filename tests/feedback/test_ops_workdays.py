"""Working-day arithmetic on China's official calendar, checked against the State Council's notices."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.content.model import FeedbackSettings
from sunshine.feedback.models import TIMEZONE
from sunshine.feedback.workdays import (
    add_workdays,
    deadline_days,
    is_workday,
    receipt_day,
    workdays_between,
    workdays_left,
)

D = dt.date


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TIMEZONE)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2024 National Day: 10-01…10-07 off; Sunday 09-29 and Saturday 10-12 are 调休 working days.
        (D(2024, 9, 29), True),
        (D(2024, 10, 1), False),
        (D(2024, 10, 4), False),
        (D(2024, 10, 7), False),
        (D(2024, 10, 8), True),
        (D(2024, 10, 12), True),
        (D(2024, 10, 13), False),
        # 2025 Spring Festival: 01-28…02-04 off; Sunday 01-26 and Saturday 02-08 are working days.
        (D(2025, 1, 26), True),
        (D(2025, 1, 28), False),
        (D(2025, 2, 4), False),
        (D(2025, 2, 5), True),
        (D(2025, 2, 8), True),
        # A plain weekend and weekdays.
        (D(2025, 3, 15), False),
        (D(2025, 3, 16), False),
        (D(2025, 3, 17), True),
    ],
)
def test_official_calendar(day: dt.date, working: bool) -> None:
    assert is_workday(day) is working


def test_national_day_2024_deadline_skips_the_golden_week() -> None:
    # Monday 09-30 morning, 2 working days: 10-01…10-07 are off, so 10-08 and 10-09.
    due = add_workdays(at(2024, 9, 30, 10, 0), 2)
    assert due.date() == D(2024, 10, 9)
    assert due.tzinfo is not None and due.astimezone(TIMEZONE).time() == dt.time(23, 59, 59)


def test_make_up_sunday_counts_as_a_working_day() -> None:
    # Friday 09-27 after hours → received Sunday 09-29 (调休); +2 → 09-30, 10-08.
    assert receipt_day(at(2024, 9, 27, 18, 0)) == D(2024, 9, 29)
    assert add_workdays(at(2024, 9, 27, 18, 0), 2).date() == D(2024, 10, 8)
    # A complaint (10 working days) from 10-08 runs over Saturday 10-12: 10-09…10-12, 10-14…10-18, 10-21.
    assert add_workdays(at(2024, 10, 8, 9, 0), 10).date() == D(2024, 10, 21)


def test_spring_festival_2025() -> None:
    # Received on the eve of the holiday (Monday 01-27, a working day), 2 working days: 02-05, 02-06.
    assert add_workdays(at(2025, 1, 27, 9, 30), 2).date() == D(2025, 2, 6)
    # Received during the holiday: counts from 02-05; the first counted day is 02-06, then Saturday 02-08.
    assert receipt_day(at(2025, 1, 30, 11, 0)) == D(2025, 2, 5)
    assert add_workdays(at(2025, 1, 30, 11, 0), 2).date() == D(2025, 2, 7)
    assert add_workdays(at(2025, 1, 30, 11, 0), 3).date() == D(2025, 2, 8)


def test_plain_weekend_and_after_hours() -> None:
    # Friday 2025-03-14 before closing: Monday and Tuesday.
    assert add_workdays(at(2025, 3, 14, 17, 0), 2).date() == D(2025, 3, 18)
    # The same Friday after closing, or Saturday: received Monday, so Tuesday and Wednesday.
    assert add_workdays(at(2025, 3, 14, 17, 30), 2).date() == D(2025, 3, 19)
    assert add_workdays(at(2025, 3, 15, 10, 0), 2).date() == D(2025, 3, 19)
    # 0 days: the end of the receipt day.
    assert add_workdays(at(2025, 3, 15, 10, 0), 0).date() == D(2025, 3, 17)


def test_utc_moments_are_read_on_the_centers_clock() -> None:
    # 2024-09-30 10:00 UTC is 18:00 in Beijing: after hours, so received 10-08.
    assert receipt_day(dt.datetime(2024, 9, 30, 10, 0, tzinfo=dt.UTC)) == D(2024, 10, 8)


def test_workdays_between_is_the_inverse_of_add_workdays() -> None:
    start = at(2024, 9, 27, 9, 0)  # Friday, working
    assert workdays_between(start, at(2024, 9, 27, 16, 0)) == 0
    assert workdays_between(start, D(2024, 9, 29)) == 1  # the 调休 Sunday
    assert workdays_between(start, D(2024, 10, 7)) == 2  # 09-29, 09-30; the holiday adds nothing
    assert workdays_between(start, D(2024, 10, 12)) == 7  # + 10-08…10-12
    for n in range(0, 25):
        due = add_workdays(start, n)
        assert workdays_between(start, due) == n
        assert workdays_between(start, due + dt.timedelta(days=1)) >= n  # never fewer the day after


def test_workdays_left_counts_down_and_past_zero() -> None:
    due = D(2024, 10, 8)
    assert workdays_left(at(2024, 9, 30, 9, 0), due) == 1  # only 10-08 lies ahead
    assert workdays_left(at(2024, 10, 8, 9, 0), due) == 0
    assert workdays_left(at(2024, 10, 10, 9, 0), due) == -2  # 10-09, 10-10


def test_deadline_days_per_kind() -> None:
    settings = FeedbackSettings(deadlines={"咨询": 3})
    assert deadline_days(settings, "咨询") == 3
    assert deadline_days(settings, "投诉") == 10
    assert deadline_days(settings, "建议") == 15
    # A bad evaluation (差评) is handled as a complaint; a good one has no deadline.
    assert deadline_days(settings, "评价", rating=1) == 10
    with pytest.raises(ValueError, match="no answer"):
        deadline_days(settings, "评价", rating=5)
    with pytest.raises(ValueError, match="negative"):
        add_workdays(at(2025, 3, 14, 9, 0), -1)
