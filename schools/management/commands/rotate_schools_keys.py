"""Re-encrypts students' names, report texts and attachment files with the first key of SCHOOLS_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from schools.crypto import rotate_attachment_files, rotate_encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted case field and every attachment file with the newest key (and encrypt any "
        "attachment stored before encryption). Put the new key first in SCHOOLS_ENCRYPTION_KEYS, deploy, run "
        "this, then remove the old key."
    )

    def handle(self, *args, **options):
        rows = rotate_encrypted_fields()
        files = rotate_attachment_files()
        message = f"Re-encrypted {rows} rows and {files} attachment files with the newest key."
        self.stdout.write(self.style.SUCCESS(message))
