"""Working days follow China's official calendar (core/workdays.py): public holidays, make-up
working days (调休) and, for a year the installed calendar does not know, Monday to Friday with a
warning that reaches the system check and district staff."""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.core import checks

import pytest

from core import workdays

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def calendar_until(monkeypatch):
    """Pretends the installed calendar ends with the given year (faking the package's coverage)."""

    def until(last_year: int) -> None:
        monkeypatch.setattr(workdays, "known_years", lambda: (2004, last_year))

    return until


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 10, 1), False),  # National Day, a Wednesday
        (D(2025, 10, 8), False),  # the last day of the 2025 Golden Week (with Mid-Autumn)
        (D(2025, 9, 28), True),  # Sunday made a working day (调休)
        (D(2025, 10, 11), True),  # Saturday made a working day (调休)
        (D(2025, 10, 9), True),  # the Thursday after the holiday
        (D(2026, 1, 1), False),  # New Year's Day
        (D(2026, 2, 16), False),  # Spring Festival's eve week, a Monday
        (D(2026, 2, 23), False),  # the last day of the 2026 Spring Festival holiday, a Monday
        (D(2026, 2, 14), True),  # Saturday made a working day (调休)
        (D(2026, 2, 28), True),  # Saturday made a working day (调休)
        (D(2026, 10, 10), True),  # Saturday made a working day after National Day 2026
        (D(2026, 3, 7), False),  # an ordinary Saturday
        (D(2026, 3, 9), True),  # an ordinary Monday
    ],
)
def test_a_day_is_a_working_day_by_the_official_calendar(day, working):
    assert workdays.is_working_day(day) is working
    assert workdays.is_working_day(datetime.datetime.combine(day, datetime.time(9), SHANGHAI)) is working


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 3, 2), 1, D(2026, 3, 3)),  # Monday -> Tuesday
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday -> Monday
        (D(2026, 3, 7), 1, D(2026, 3, 9)),  # Saturday -> Monday
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # before National Day 2025 -> the first day back
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Friday -> the 调休 Sunday
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday -> the 调休 Saturday before Spring Festival
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # the last day before Spring Festival -> the day after it
        (D(2026, 2, 24), 4, D(2026, 2, 28)),  # the week after Spring Festival ends on a 调休 Saturday
        (D(2026, 3, 6), 0, D(2026, 3, 6)),
    ],
)
def test_working_days_are_added_over_holidays_and_make_up_days(start, days, due):
    assert workdays.add_working_days(start, days) == due
    at_ten = datetime.datetime.combine(start, datetime.time(10, 30), SHANGHAI)
    assert workdays.add_working_days(at_ten, days) == datetime.datetime.combine(due, datetime.time(10, 30), SHANGHAI)


def test_working_days_cannot_be_added_backwards():
    with pytest.raises(ValueError):
        workdays.add_working_days(D(2026, 3, 2), -1)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2025, 9, 30), D(2025, 10, 9), 1),  # across the Golden Week
        (D(2025, 9, 26), D(2025, 10, 12), 6),  # Sun 28 (调休), Mon 29, Tue 30, Thu 9, Fri 10, Sat 11 (调休)
        (D(2026, 3, 1), D(2026, 3, 31), 22),  # March 2026 has no holiday
        (D(2026, 3, 9), D(2026, 3, 9), 0),
        (D(2026, 3, 9), D(2026, 3, 2), 0),
    ],
)
def test_working_days_between_two_days(start, end, count):
    assert workdays.working_days_between(start, end) == count


def test_a_rest_day_rolls_to_the_next_working_day_and_a_working_day_stays():
    assert workdays.next_working_day(D(2025, 10, 1)) == D(2025, 10, 9)
    assert workdays.next_working_day(D(2026, 2, 28)) == D(2026, 2, 28)  # a 调休 Saturday is a working day
    assert workdays.next_working_day(D(2026, 3, 7)) == D(2026, 3, 9)


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday_and_logs_a_warning(calendar_until, caplog):
    calendar_until(2026)
    workdays._warn_fallback.cache_clear()
    with caplog.at_level(logging.WARNING, logger="core.workdays"):
        # 2027-01-01 is a Friday; unknown to the calendar, it is counted as a working day.
        assert workdays.is_working_day(D(2027, 1, 1)) is True
        assert workdays.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)
        assert workdays.is_working_day(D(2027, 1, 2)) is False
    warnings = [record for record in caplog.records if "2027" in record.getMessage()]
    assert len(warnings) == 1  # once per year and process, not on every day counted
    workdays._warn_fallback.cache_clear()


def test_the_real_calendar_covers_this_and_last_year_of_the_tests():
    first, last = workdays.known_years()
    assert first <= 2025 and last >= 2026


# --- Telling district staff that next year's calendar is missing ---------------------------------


@pytest.mark.parametrize(
    ("today", "last_year", "missing"),
    [
        (D(2026, 11, 30), 2026, None),  # next year's calendar is not looked for before December
        (D(2026, 12, 1), 2026, 2027),
        (D(2026, 12, 1), 2027, None),
        (D(2027, 1, 4), 2026, 2027),  # this year's, missing, is named all year round
        (D(2027, 6, 1), 2027, None),
    ],
)
def test_the_missing_year_is_named_from_december(calendar_until, today, last_year, missing):
    calendar_until(last_year)
    assert workdays.missing_calendar_year(today) == missing


def fake_today(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)


def calendar_messages() -> list[checks.CheckMessage]:
    return [message for message in checks.run_checks() if message.id in {"core.W001", "core.I001"}]


def test_the_system_check_tells_when_next_years_calendar_is_missing_without_failing_a_deploy_check(
    calendar_until, monkeypatch
):
    calendar_until(2026)
    fake_today(monkeypatch, D(2026, 12, 7))
    found = calendar_messages()
    # Information, not a warning: `check --deploy --fail-level WARNING` must not refuse a release
    # for a calendar the State Council has not published yet.
    assert len(found) == 1 and found[0].level == checks.INFO and "2027" in found[0].msg

    fake_today(monkeypatch, D(2026, 11, 7))
    assert not calendar_messages()
    calendar_until(2027)
    fake_today(monkeypatch, D(2026, 12, 7))
    assert not calendar_messages()


def test_the_system_check_warns_when_this_years_calendar_is_missing(calendar_until, monkeypatch):
    calendar_until(2026)
    fake_today(monkeypatch, D(2027, 1, 4))
    found = calendar_messages()
    assert len(found) == 1 and found[0].level == checks.WARNING and found[0].id == "core.W001"
    assert "2027" in found[0].msg
