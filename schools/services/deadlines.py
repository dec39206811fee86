"""Deadlines of the case workflow, by China's official calendar (``core.workdays``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from core import workdays

# --- Deadlines -------------------------------------------------------------------------------


def add_working_days(start: datetime.datetime, *, days: int) -> datetime.datetime:
    """``start`` moved forward by ``days`` working days (official holidays and 调休 included),
    at the same local time of day."""
    return workdays.add_working_days(timezone.localtime(start), days)


def acknowledge_due(submitted_at: datetime.datetime) -> datetime.datetime:
    """The district acknowledges a report within ``SCHOOLS_ACKNOWLEDGE_WORKING_DAYS`` working days."""
    return add_working_days(submitted_at, days=settings.SCHOOLS_ACKNOWLEDGE_WORKING_DAYS)


def determination_due(investigation_started_at: datetime.datetime) -> datetime.datetime:
    """The school determines within ``SCHOOLS_DETERMINATION_DAYS`` days of the investigation's start;
    a period whose last day is a rest day (weekend or public holiday) runs to the next working day."""
    end = timezone.localtime(investigation_started_at) + datetime.timedelta(days=settings.SCHOOLS_DETERMINATION_DAYS)
    return workdays.next_working_day(end)
