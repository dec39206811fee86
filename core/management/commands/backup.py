"""Writes an encrypted backup of the database and the stored files (core/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from core import backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the stored files into one encrypted archive in BACKUP_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=None, help="Where to write it (default BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=None, help="How many backups to keep (default BACKUP_KEEP).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backups.create_backup(
                directory=options["directory"] or Path(settings.BACKUP_DIR),
                passphrase=settings.BACKUP_PASSPHRASE,
                keep=options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP,
                database=connection.settings_dict,
                folders=backups.backup_folders(),
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {archive} ({archive.stat().st_size:,} bytes)")
