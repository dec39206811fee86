"""System checks of what every app shares (registered in ``CoreConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils import timezone

from core import workdays


def official_calendar_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warns when the official holiday calendar of this year, or from December of next year, is missing."""
    year = workdays.missing_calendar_year(timezone.localdate())
    if year is None:
        return []
    first, last = workdays.known_years()
    return [
        checks.Warning(
            f"The official holiday calendar of {year} is not installed (chinesecalendar knows {first}-{last}).",
            hint=(
                "Working-day deadlines of that year fall back to Monday-Friday, ignoring public holidays and "
                "make-up working days. Install the chinesecalendar release that carries it (pyproject.toml)."
            ),
            id="core.W001",
        )
    ]
