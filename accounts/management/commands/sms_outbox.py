"""Prints the latest text messages the development SMS backend wrote to its outbox file.

In development no SMS leaves the machine: ``accounts.sms.ConsoleSMSBackend`` appends every
message to ``settings.SMS_OUTBOX_FILE``. This command shows the newest ones, so a developer
can read a sign-in code without scrolling through the server log.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.adapter import normalize_phone


class Command(BaseCommand):
    help = "Show the latest text messages in the development SMS outbox (settings.SMS_OUTBOX_FILE)."

    def add_arguments(self, parser):
        parser.add_argument("-n", "--limit", type=int, default=10, help="How many messages to show (default 10).")
        parser.add_argument("--to", default="", help="Only messages to this number (13800000000 or +8613800000000).")
        parser.add_argument("--clear", action="store_true", help="Empty the outbox file after showing it.")

    def handle(self, *args, limit: int, to: str, clear: bool, **options):
        path = getattr(settings, "SMS_OUTBOX_FILE", None)
        if not path:
            raise CommandError("SMS_OUTBOX_FILE is not set: this settings module keeps no SMS outbox file.")
        path = Path(path)
        if not path.exists():
            self.stdout.write(f"No messages yet ({path} does not exist).")
            return
        messages = read_outbox(path)
        if to:
            recipient = normalize_phone(to)
            messages = [message for message in messages if message.get("to") == recipient]
        shown = messages[-limit:] if limit > 0 else messages
        if not shown:
            self.stdout.write(f"No messages in {path}.")
        for message in shown:
            self.stdout.write(
                f"{message.get('sent_at', '?')}  to {message.get('to', '?')}\n    {message.get('body', '')}"
            )
        if clear:
            path.write_text("", encoding="utf-8")
            self.stdout.write(f"Cleared {path}.")


def read_outbox(path: Path) -> list[dict]:
    """The outbox records, oldest first; lines that are not JSON (a half-written line) are skipped."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records
