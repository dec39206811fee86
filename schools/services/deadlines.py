"""Deadlines of the case workflow, counted in working days."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

# --- Deadlines -------------------------------------------------------------------------------


def add_working_days(start: datetime.datetime, *, days: int) -> datetime.datetime:
    """``start`` moved forward by ``days`` working days (Monday–Friday, same time of day).

    Public holidays are not known to the platform yet; weekends are skipped.
    """
    moment = timezone.localtime(start)
    while days > 0:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def acknowledge_due(submitted_at: datetime.datetime) -> datetime.datetime:
    return add_working_days(submitted_at, days=settings.SCHOOLS_ACKNOWLEDGE_WORKING_DAYS)


def determination_due(investigation_started_at: datetime.datetime) -> datetime.datetime:
    return investigation_started_at + datetime.timedelta(days=settings.SCHOOLS_DETERMINATION_DAYS)
