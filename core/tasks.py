"""Background tasks of core: the scheduled backup (beat, huiai/settings/production.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection

from celery import shared_task

from core import backups


@shared_task(ignore_result=True, acks_late=False)  # type: ignore[untyped-decorator]  # Celery ships no types
def create_scheduled_backup() -> str:
    """One backup into BACKUP_DIR with the retention of BACKUP_KEEP.

    Acknowledged on receipt (not late): a worker lost in the middle leaves only a ``.partial``
    file, and the next night's run makes a whole backup instead of a second one racing the first.
    """
    archive = backups.create_backup(
        directory=Path(settings.BACKUP_DIR),
        passphrase=settings.BACKUP_PASSPHRASE,
        keep=settings.BACKUP_KEEP,
        database=connection.settings_dict,
        folders=backups.backup_folders(),
    )
    return str(archive)
