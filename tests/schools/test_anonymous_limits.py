"""The anonymous channel cannot be shut for everyone (docs/security.md, "The anonymous channel").

Many children share one address (a school's network, behind the TLS proxy everybody used to):
what others do wrong from it must never refuse a valid report, and a flood of valid reports
must not bury district staff in messages either.
"""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from schools.models import BullyingReport, CaseEvent, CaseMessage, Notification

pytestmark = pytest.mark.django_db
REPORT = reverse("schools:anonymous_report")
STATUS = reverse("schools:anonymous_status")
CASE = reverse("schools:anonymous_case")
PROXY = "10.0.0.2"
CODE_PATTERN = re.compile(r"[A-Z2-9]{3}(?:-[A-Z2-9]{3}){6}")


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def visitor(address: str, spoofed: str = "") -> Client:
    """A browser behind the TLS proxy: REMOTE_ADDR is the proxy, the proxy appends the client."""
    xff = f"{spoofed}, {address}" if spoofed else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)


def valid(school, **extra) -> dict:
    return {
        "school": school.pk,
        "reporter_kind": "student",
        "narrative": "有同学每天在楼梯口拦住我要钱，不给就推我。",
        "place": "corridor",
        "bullying_types": ["property"],
        **extra,
    }


def invalid() -> dict:
    return {"reporter_kind": "student", "narrative": "短"}


def file_report(client, school, **extra) -> str:
    response = client.post(REPORT, valid(school, **extra))
    assert response.status_code == 302, response.status_code
    return CODE_PATTERN.search(client.get(response["Location"]).content.decode()).group(0)


# --- the report form -----------------------------------------------------------------------


def test_a_valid_report_is_accepted_after_a_flood_of_invalid_ones_from_the_same_address(client, school_a, settings):
    settings.SCHOOLS_ANONYMOUS_INVALID_PER_HOUR = 3
    flooder = visitor("203.0.113.50")
    statuses = [flooder.post(REPORT, invalid()).status_code for _ in range(6)]
    assert statuses == [400, 400, 400, 429, 429, 429]

    # Another child on the same school network, and the flooder itself once it sends a real report.
    file_report(visitor("203.0.113.50"), school_a)
    file_report(flooder, school_a)

    assert BullyingReport.objects.count() == 2


def test_the_invalid_limit_says_a_complete_report_is_still_accepted_and_keeps_what_was_typed(school_a, settings):
    settings.SCHOOLS_ANONYMOUS_INVALID_PER_HOUR = 0
    response = visitor("203.0.113.51").post(REPORT, {**invalid(), "narrative": "楼梯口的事"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "您的报告仍会被接收" in html
    assert "楼梯口的事" in html


def test_valid_reports_over_the_per_client_volume_are_stored_and_announced_together(
    school_a, district, settings, django_capture_on_commit_callbacks
):
    settings.SCHOOLS_ANONYMOUS_REPORTS_PER_HOUR = 2
    same_network = visitor("203.0.113.60")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            file_report(same_network, school_a)

    reports = list(BullyingReport.objects.order_by("pk"))
    assert len(reports) == 5  # none refused
    assert all(report.state == "submitted" and report.acknowledge_due_at for report in reports)
    marked = [r for r in reports if r.events.filter(kind=CaseEvent.Kind.NOTE).exists()]
    assert marked == reports[2:]
    # Two messages of their own, then ONE combined message for the rest of the hour.
    assert len(mail.outbox) == 3
    assert mail.outbox[-1].subject.endswith("大量新的匿名报告")
    assert "/schools/cases/" in mail.outbox[-1].body


def test_a_different_client_is_announced_normally_while_one_floods(
    school_a, district, settings, django_capture_on_commit_callbacks
):
    settings.SCHOOLS_ANONYMOUS_REPORTS_PER_HOUR = 1
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            file_report(visitor("203.0.113.61"), school_a)
        file_report(visitor("203.0.113.62"), school_a)
        # Writing a fresh leftmost X-Forwarded-For does not make a flooder a new client.
        file_report(visitor("203.0.113.61", spoofed="198.51.100.1"), school_a)

    last = BullyingReport.objects.order_by("pk")
    assert [r.events.filter(kind=CaseEvent.Kind.NOTE).exists() for r in last] == [False, True, True, False, True]


def test_a_site_wide_flood_from_many_addresses_is_announced_together(
    school_a, district, settings, django_capture_on_commit_callbacks
):
    settings.SCHOOLS_ANONYMOUS_REPORTS_SITE_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(4):
            file_report(visitor(f"203.0.113.{70 + index}"), school_a)

    assert BullyingReport.objects.count() == 4
    assert len(mail.outbox) == 3


def test_a_mandatory_report_in_a_flood_still_texts_the_district_once(
    school_a, district, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.SCHOOLS_ANONYMOUS_REPORTS_PER_HOUR = 0
    flooder = visitor("203.0.113.80")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            file_report(flooder, school_a, involves_sexual_harm="on")

    assert BullyingReport.objects.filter(is_mandatory_report=True).count() == 3
    assert [message.to for message in sms_outbox] == [district.phone]
    assert len(mail.outbox) == 1 and "强制报告" in mail.outbox[0].subject


# --- receipt look-ups ----------------------------------------------------------------------


def test_guessing_is_limited_per_client_and_a_right_code_from_another_client_always_works(school_a, settings):
    settings.SCHOOLS_RECEIPT_LOOKUPS_PER_HOUR = 3
    code = file_report(visitor("203.0.113.90"), school_a)
    guesser = visitor("203.0.113.91")
    statuses = [guesser.post(STATUS, {"code": "AAAA-AAAA-AAAA-AAAA-AAAA"}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 429, 429]
    # The guesser is refused even with the right code (or the limit would not stop guessing),
    # also when it writes its own X-Forwarded-For entry...
    assert guesser.post(STATUS, {"code": code}).status_code == 429
    assert visitor("203.0.113.91", spoofed="198.51.100.7").post(STATUS, {"code": code}).status_code == 429
    # ...while the reporter, on another connection behind the same proxy, gets in.
    reporter = visitor("203.0.113.92")
    response = reporter.post(STATUS, {"code": code})
    assert response.status_code == 302 and response["Location"] == CASE


def test_right_codes_do_not_count_towards_the_guessing_limit(school_a, settings):
    settings.SCHOOLS_RECEIPT_LOOKUPS_PER_HOUR = 2
    reporter = visitor("203.0.113.93")
    code = file_report(reporter, school_a)
    for _ in range(5):
        assert reporter.post(STATUS, {"code": code}).status_code == 302


# --- the reporter's messages -------------------------------------------------------------------


def test_a_reporters_messages_are_never_refused_and_announced_together_past_the_limit(
    school_a, district, settings, django_capture_on_commit_callbacks
):
    settings.SCHOOLS_REPORTER_MESSAGES_PER_HOUR = 2
    reporter = visitor("203.0.113.94")
    code = file_report(reporter, school_a)
    reporter.post(STATUS, {"code": code})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(5):
            assert reporter.post(CASE, {"body": f"补充第{index}件事。"}).status_code == 302

    assert CaseMessage.objects.filter(author_kind=CaseMessage.Author.REPORTER).count() == 5
    # Two announced one by one, then one for the rest of the hour (the district's only address).
    announced = Notification.objects.filter(recipient=district, dedupe_key__startswith="reporter-message")
    assert announced.count() == 3
