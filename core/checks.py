"""System checks of what every app shares (registered in ``CoreConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils import timezone

from core import workdays


def official_calendar_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Says when the official holiday calendar of this year, or from December of next year, is missing.

    This year's missing is a warning (deadlines are being counted without the holidays now, and
    ``check --deploy --fail-level WARNING`` refuses it); next year's, before that year starts, is
    information: the State Council publishes the calendar late in the year and the package follows,
    so a deployment must not fail for a calendar nobody can install yet. District staff are told
    on their workbench either way.
    """
    today = timezone.localdate()
    year = workdays.missing_calendar_year(today)
    if year is None:
        return []
    first, last = workdays.known_years()
    message = f"The official holiday calendar of {year} is not installed (chinesecalendar knows {first}-{last})."
    hint = (
        "Working-day deadlines of that year fall back to Monday-Friday, ignoring public holidays and "
        "make-up working days. Install the chinesecalendar release that carries it (pyproject.toml)."
    )
    if year == today.year:
        return [checks.Warning(message, hint=hint, id="core.W001")]
    return [checks.Info(message, hint=hint, id="core.I001")]
