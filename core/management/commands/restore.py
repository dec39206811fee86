"""Puts a backup made by ``manage.py backup`` back into the database and the file folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from core import backups


class Command(BaseCommand):
    help = "Restore a backup archive (huiai-….tar.gpg) into an empty database and the file folders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gpg file; 'latest' takes the newest in BACKUP_DIR.")
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite a database that already holds Huiai's tables."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if str(archive) == "latest":
            found = backups.archives(Path(settings.BACKUP_DIR))
            if not found:
                raise CommandError(f"No backup in {settings.BACKUP_DIR}.")
            archive = found[-1]
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        connection.close()  # pg_restore needs the database to itself
        try:
            summary = backups.restore_backup(
                archive=archive,
                passphrase=settings.BACKUP_PASSPHRASE,
                database=connection.settings_dict,
                folders=backups.backup_folders(),
                replace=options["replace"],
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        files = ", ".join(f"{name}: {count}" for name, count in summary.files.items())
        self.stdout.write(f"Restored {archive.name} (made {summary.created_at} UTC); files {files}.")
