"""A completed course or an issued certificate asks for the participation rollup to be counted
again (``participation.tasks``), at most once a minute however many complete at the same time;
beat's refresh every few minutes covers whatever a skipped request would have counted."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save

QUEUED_KEY = "participation:rollup-refresh-queued"
QUEUED_SECONDS = 60


def request_refresh() -> None:
    if cache.add(QUEUED_KEY, 1, QUEUED_SECONDS):
        transaction.on_commit(_publish)


def _publish() -> None:
    from core.broker import publish
    from participation.tasks import refresh_participation_rollup

    publish(refresh_participation_rollup)


def enrolment_saved(sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.completed_at is not None and (created or (update_fields and "completed_at" in update_fields)):
        request_refresh()


def certificate_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        request_refresh()


def connect() -> None:
    from courses.models import Certificate, Enrolment

    post_save.connect(enrolment_saved, sender=Enrolment, dispatch_uid="participation_enrolment_completed")
    post_save.connect(certificate_saved, sender=Certificate, dispatch_uid="participation_certificate_issued")
