"""Re-encrypts students' names and report texts with the first key of SCHOOLS_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from schools.crypto import rotate_encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted case field with the newest key. Put the new key first in "
        "SCHOOLS_ENCRYPTION_KEYS, deploy, run this, then remove the old key."
    )

    def handle(self, *args, **options):
        rows = rotate_encrypted_fields()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rows} rows with the newest key."))
