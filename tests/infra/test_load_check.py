"""bench/load_check.py: after a load run with faults, it must find what was accepted and then lost.

A check that cannot see a loss proves nothing, so each kind of loss is made here on purpose: a
report the server answered for but that is not stored, a progress save stored behind the
position it was accepted at, a notification never sent and one received twice.
"""

from __future__ import annotations

import datetime
import json

from django.db import connection
from django.utils import timezone

import pytest

from bench.load_check import check
from courses.models import LessonProgress
from schools.models import Notification
from schools.tasks import message_id
from tests.factories.accounts import UserFactory
from tests.factories.courses import course_with_lessons
from tests.factories.schools import district_staff, submitted_case

# The check reads with a connection of its own: the rows must be committed (and the demo's pages
# put back after each test, as other tests of the run need them).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("the check reads PostgreSQL")
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def received(row: Notification) -> dict:
    """What the sinks write for a delivered outbox row."""
    if row.channel == "email":
        return {"channel": "email", "to": row.address, "message_id": message_id(row)}
    return {"channel": "sms", "to": row.address, "body": row.body}


def write(path, rows) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


@pytest.fixture
def run(tmp_path):
    url = database_url()
    since = (timezone.now() - datetime.timedelta(seconds=5)).timestamp()
    district_staff(), district_staff()  # who are told of a new case
    report = submitted_case()
    parent = UserFactory()
    lesson = course_with_lessons(1, media_lessons=1).lessons().first()
    LessonProgress.objects.create(parent=parent, lesson=lesson, position_seconds=40)
    write(
        tmp_path / "receipts.jsonl",
        [
            {"kind": "report", "case": report.pk, "draft_token": str(report.draft_token)},
            {"kind": "progress", "parent": parent.pk, "lesson": lesson.pk, "position": 40.0},
        ],
    )
    Notification.objects.filter(report=report).update(sent_at=timezone.now())
    write(tmp_path / "sent.jsonl", [received(row) for row in Notification.objects.filter(report=report)])
    return {"url": url, "dir": tmp_path, "since": since, "report": report, "parent": parent, "lesson": lesson}


def test_nothing_lost_is_no_problem(run):
    assert Notification.objects.filter(report=run["report"]).exists()
    assert check(run["url"], run["dir"], since=run["since"]) == []


def test_an_accepted_report_missing_from_the_database_is_found(run):
    receipts = run["dir"] / "receipts.jsonl"
    receipts.write_text(receipts.read_text() + json.dumps({"kind": "report", "case": 10**9, "draft_token": "x"}) + "\n")
    assert check(run["url"], run["dir"], since=run["since"]) == [f"report {10**9} accepted but not in the database"]


def test_a_progress_save_stored_behind_its_accepted_position_is_found(run):
    LessonProgress.objects.filter(parent=run["parent"]).update(position_seconds=30)
    problems = check(run["url"], run["dir"], since=run["since"])
    assert problems == [
        f"progress of parent {run['parent'].pk} on lesson {run['lesson'].pk}: accepted at 40.0 s, stored 30.0"
    ]


def test_a_notification_unsent_or_received_twice_is_found(run):
    first, *others = Notification.objects.filter(report=run["report"]).order_by("pk")
    Notification.objects.filter(pk=first.pk).update(sent_at=None)
    sent = run["dir"] / "sent.jsonl"
    sent.write_text(sent.read_text() + json.dumps(received(others[0])) + "\n")
    problems = check(run["url"], run["dir"], since=run["since"])
    assert f"notification {first.pk} ({first.channel}) not sent" in problems
    assert f"notification {others[0].pk} ({others[0].channel} to {others[0].address}) received 2 times" in problems
