"""What every "place for a family" shares: a guidance station's slot (``workstations.appointments``)
and a street workstation's event (``participation.street_events``).

- **Capacity under concurrency**: the caller locks the row that owns the places (``lock``) and,
  still in that transaction, asks ``claim`` whether the parent may take one; N+1 simultaneous
  claims of N places give exactly N because the count and the insert happen under the lock.
- **Messages exactly once**: ``tell_parent`` writes one outbox row per channel with a dedupe key;
  ``remind_once`` claims each row to remind under a lock, stamps ``reminder_queued_at`` in the
  same transaction as its message, and skips rows another run holds.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import override

from accounts.models import User
from core.errors import DomainError
from schools.notifications import queue

Owner = TypeVar("Owner", bound=models.Model)


def lock(instance: Owner) -> Owner:
    """``instance`` read again under ``SELECT … FOR UPDATE`` (call inside a transaction)."""
    return type(instance)._default_manager.select_for_update(of=("self",)).get(pk=instance.pk)


def claim(*, live: QuerySet, parent: User, capacity: int, already: str, full: str, error: type[DomainError]) -> None:
    """Refuses (``error``) a second live place for ``parent`` or a place beyond ``capacity``.

    ``live`` is the owner's places that still count (not cancelled); call it with the owner locked.
    """
    if live.filter(parent=parent).exists():
        raise error(already)
    if live.count() >= capacity:
        raise error(full)


def tell_parent(parent: User, *, texts: Callable[[], tuple[str, str]], dedupe: str) -> bool:
    """One message to ``parent`` (e-mail if they have an address, else a text message), in the
    site's language; a message with the same ``dedupe`` key is never written twice."""
    with override(settings.LANGUAGE_CODE):
        subject, body = texts()
    return bool(queue([parent], subject=subject, body=body, report=None, sms=not parent.email, dedupe=dedupe))


def remind_once(pending: Callable[[], QuerySet[Owner]], tell: Callable[[Owner], bool]) -> int:
    """Reminds each row of ``pending()`` once (``tell``); returns how many messages were queued.

    ``pending`` must filter out rows whose ``reminder_queued_at`` is set; each row is claimed
    under a row lock and stamped in the same transaction as its message.
    """
    sent = 0
    for pk in list(pending().values_list("pk", flat=True)):
        with transaction.atomic():
            row = pending().select_for_update(of=("self",), skip_locked=True).filter(pk=pk).first()
            if row is None:
                continue
            if tell(row):
                sent += 1
            type(row)._default_manager.filter(pk=row.pk).update(reminder_queued_at=timezone.now())
    return sent


def local_span(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """``2026-12-08 14:00–15:30`` (or both dates when it runs past midnight), local time."""
    starts, ends = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if starts.date() == ends.date():
        return f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}"
    return f"{starts:%Y-%m-%d %H:%M} – {ends:%Y-%m-%d %H:%M}"
