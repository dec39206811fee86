"""Two posts of the same anonymous form at the same moment file one report (PostgreSQL)."""

from __future__ import annotations

from django.db import connection

import pytest

from schools import receipts, services
from schools.models import AnonymousReceipt, BullyingReport
from tests.factories.schools import SchoolFactory
from tests.schools.test_concurrency import _in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (run with DATABASE_URL)"),
]


def test_the_same_form_posted_four_times_at_once_files_one_report(monkeypatch):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)
    school = SchoolFactory()
    key = receipts.new_submission_key()

    results = _in_threads(
        lambda _: services.submit_anonymous(
            school=school, reporter_kind="student", narrative="午饭时总被同一群人围住。", submission_key=key
        ),
        range(4),
    )

    assert BullyingReport.objects.count() == 1 and AnonymousReceipt.objects.count() == 1
    assert sum(result.created for result in results) == 1
    assert len({result.receipt_code for result in results}) == 1
    assert len({result.report.pk for result in results}) == 1
