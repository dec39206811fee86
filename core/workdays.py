"""Working days by China's official calendar: public holidays and make-up working days (调休).

Every deadline the platform counts in working days goes through here. The State Council
publishes each year's holidays and the weekends that become working days (调休) in the autumn
before; the maintained ``chinesecalendar`` package carries them, and a new release of it is
what teaches the platform a new year (pinned in ``pyproject.toml``).

For a year the package does not know yet, a working day is Monday to Friday, a warning goes
to the log (once per year and process), and ``missing_calendar_year`` names the year so that
the system check (``core.checks``) and district staff's workbench can say the package needs an
update, from ``WARN_FROM_MONTH`` of the year before.

A deadline counted in calendar days ("within 10 days") ends on a working day: when its last
day is a rest day, the period runs to the next working day (as the Civil Code, art. 203, counts
periods).
"""

from __future__ import annotations

import datetime
import functools
import logging
from typing import TypeVar

import chinese_calendar

logger = logging.getLogger(__name__)

# From this month on, a missing calendar for the next year is reported (the State Council
# usually publishes it in October or November).
WARN_FROM_MONTH = 12

Day = TypeVar("Day", datetime.date, datetime.datetime)


@functools.cache
def known_years() -> tuple[int, int]:
    """The first and last year the installed calendar knows."""
    years = [day.year for day in chinese_calendar.holidays]  # the package's own test of a known year
    return min(years), max(years)


def covers(year: int) -> bool:
    """Whether the official calendar of ``year`` is known to the platform."""
    first, last = known_years()
    return first <= year <= last


@functools.cache
def _warn_fallback(year: int) -> None:
    logger.warning(
        "The official holiday calendar of %s is not installed (chinesecalendar knows %s-%s): "
        "working days of %s are counted Monday to Friday. Update the chinesecalendar package.",
        year,
        *known_years(),
        year,
    )


def _as_date(day: datetime.date) -> datetime.date:
    return day.date() if isinstance(day, datetime.datetime) else day


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` (a date, or a datetime's local date) is a working day in mainland China."""
    day = _as_date(day)
    if not covers(day.year):
        _warn_fallback(day.year)
        return day.weekday() < 5
    return bool(chinese_calendar.is_workday(day))


def add_working_days(start: Day, days: int) -> Day:
    """``start`` moved forward by ``days`` working days, at the same time of day.

    The day ``start`` falls on does not count, working day or not: one working day after a
    Friday afternoon (or after a Saturday) is Monday at that time, unless Monday is a holiday.
    A datetime is counted in its own time zone: pass a local (Asia/Shanghai) time.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    moment = start
    while days > 0:
        moment += datetime.timedelta(days=1)
        if is_working_day(moment):
            days -= 1
    return moment


def next_working_day(start: Day) -> Day:
    """``start`` itself when it falls on a working day, else the next working day (same time)."""
    moment = start
    while not is_working_day(moment):
        moment += datetime.timedelta(days=1)
    return moment


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 if end <= start)."""
    first, last = _as_date(start), _as_date(end)
    count = 0
    day = first + datetime.timedelta(days=1)
    while day <= last:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count


def missing_calendar_year(today: datetime.date) -> int | None:
    """The year whose official calendar should be installed and is not, as of ``today``.

    This year's, always; next year's from ``WARN_FROM_MONTH`` on. None when nothing is missing.
    """
    if not covers(today.year):
        return today.year
    if today.month >= WARN_FROM_MONTH and not covers(today.year + 1):
        return today.year + 1
    return None
