"""Prints a new Ed25519 key for GUIDANCE_SIGNING_KEY (--new), or the public key of the current one."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from guidance import signing


class Command(BaseCommand):
    help = "Print a new GUIDANCE_SIGNING_KEY (--new) or the public key (PEM) that verifies reports."

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="print a new private key (64 hex digits)")

    def handle(self, *args, **options):
        if options["new"]:
            self.stdout.write(signing.new_key_hex())
        else:
            self.stdout.write(signing.public_key_pem().decode())
