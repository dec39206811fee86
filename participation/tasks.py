"""Background work for parent schools: refreshing the participation rollup."""

from __future__ import annotations

from celery import shared_task


@shared_task
def refresh_participation_rollup() -> int:
    """Every few minutes (Celery beat), and soon after a course is completed or a certificate issued
    (``participation.signals``): counts the dashboards' figures afresh; returns the rollup's rows."""
    from participation.rollups import refresh

    return refresh()
