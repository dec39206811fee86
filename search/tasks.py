"""Background tasks of the search app."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def purge_search_queries() -> dict[str, int]:
    """Daily: stored searches older than ``SEARCH_QUERY_RETENTION_DAYS`` or against the rules go."""
    from .retention import purge_search_queries as purge

    return purge()
