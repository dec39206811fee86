"""The audit log for district leads: read-only, filtered, paginated, exported, itself audited."""

from __future__ import annotations

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from schools import audit
from schools.models import AuditLog
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.schools import district_staff, officer_of, submitted_case

pytestmark = pytest.mark.django_db


def _entries(n, *, actor, report=None, action=AuditLog.Action.VIEW_CASE):
    for _ in range(n):
        audit.record(actor, action, report)


@pytest.fixture
def case(officer_a, school_a):
    return submitted_case(officer_a, school=school_a)


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_lead_reads_the_log_and_the_reading_is_audited(client, lead, case, officer_a):
    sign_in_fully(client, lead)

    response = client.get(reverse("schools:audit_log"))

    assert response.status_code == 200
    assert "审计日志" in response.content.decode()
    assert case.case_number in response.content.decode()
    entry = AuditLog.objects.filter(action=AuditLog.Action.VIEW_AUDIT).get()
    assert entry.actor == lead and entry.actor_role == "district_staff"


@pytest.mark.parametrize("who", ["district", "officer_a", "teacher", "parent"])
def test_only_leads_read_the_log(client, request, who):
    sign_in_fully(client, request.getfixturevalue(who))

    for url in (reverse("schools:audit_log"), reverse("schools:audit_export", args=["csv"])):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or "mfa" in response["Location"] or "login" in response["Location"]
    assert not AuditLog.objects.filter(action__in=["view_audit", "export_audit"]).exists()


def test_a_lead_without_two_step_verification_is_sent_to_set_it_up(client):
    lead = district_staff(mfa=False, lead=True)
    client.force_login(lead)  # keep: no second factor

    response = client.get(reverse("schools:audit_log"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_required"))


def test_the_audit_log_is_in_the_case_area_navigation_for_a_lead_only(client, lead, district):
    sign_in_fully(client, lead)
    assert reverse("schools:audit_log") in client.get(reverse("schools:case_list")).content.decode()

    sign_in_fully(client, district)
    assert reverse("schools:audit_log") not in client.get(reverse("schools:case_list")).content.decode()


def test_filters_by_case_person_action_and_dates(client, lead, case, officer_a, school_a):
    other_case = submitted_case(officer_a, school=school_a)
    someone = UserFactory(role=Role.DISTRICT_STAFF, name="张审计")
    audit.record(someone, AuditLog.Action.NOTE, other_case)
    old = audit.record(officer_a, AuditLog.Action.VIEW_CASE, case)
    # Move one entry back in time through the database (the model refuses updates).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLog._meta.db_table} SET created_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=40), old.pk],
        )
    sign_in_fully(client, lead)
    url = reverse("schools:audit_log")

    by_case = client.get(url, {"case": other_case.case_number}).context["entries"]
    assert {entry.report_id for entry in by_case} == {other_case.pk}

    by_person = client.get(url, {"person": "张审"}).context["entries"]
    assert [entry.actor_id for entry in by_person] == [someone.pk]

    by_action = client.get(url, {"action": "note"}).context["entries"]
    assert [entry.action for entry in by_action] == ["note"]

    today = timezone.localdate()
    recent = client.get(url, {"since": (today - datetime.timedelta(days=1)).isoformat()}).context["entries"]
    assert old.pk not in {entry.pk for entry in recent}
    earlier = client.get(url, {"until": (today - datetime.timedelta(days=30)).isoformat()}).context["entries"]
    assert [entry.pk for entry in earlier] == [old.pk]


def test_bad_filters_show_an_error_not_a_server_error(client, lead):
    sign_in_fully(client, lead)

    for query in (
        {"since": "0001-01-01x"},
        {"since": "2026-02-30"},
        {"action": "nonsense"},
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"person": "a\x00b"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"case": "x" * 500},
        {"page": "-1"},
    ):
        response = client.get(reverse("schools:audit_log"), query)
        assert response.status_code == 200, query
        exported = client.get(reverse("schools:audit_export", args=["csv"]), query)
        assert exported.status_code == 200, query


def test_pages_of_fifty_with_the_filter_kept(client, lead, officer_a, case):
    _entries(60, actor=officer_a, report=case, action=AuditLog.Action.NOTE)
    sign_in_fully(client, lead)

    first = client.get(reverse("schools:audit_log"), {"action": "note"})
    second = client.get(reverse("schools:audit_log"), {"action": "note", "page": 2})

    assert len(first.context["entries"]) == 50 and len(second.context["entries"]) == 10
    assert "action=note&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_is_filtered_defused_and_audited(client, lead, officer_a, case, file_format):
    nasty = UserFactory(role=Role.SCHOOL_OFFICER, username="=HYPERLINK(1)")
    audit.record(nasty, AuditLog.Action.NOTE, case)
    audit.record(officer_a, AuditLog.Action.VIEW_CASE, case)
    sign_in_fully(client, lead)

    response = client.get(reverse("schools:audit_export", args=[file_format]), {"action": "note"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    if file_format == "csv":
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = _rows(response)
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[str(cell) if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert len(rows[0]) == 6
    body = rows[1:]
    assert len(body) == 1 and body[0][1] == "'=HYPERLINK(1)" and body[0][4] == case.case_number
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT_AUDIT)
    assert entry.actor == lead and entry.detail == {"format": file_format, "filters": {"action": "note"}, "entries": 1}


def test_the_log_cannot_be_changed_through_the_view(client, lead):
    sign_in_fully(client, lead)
    before = AuditLog.objects.count()

    assert client.post(reverse("schools:audit_log")).status_code == 405
    assert client.delete(reverse("schools:audit_export", args=["csv"])).status_code == 405
    assert AuditLog.objects.count() == before


@pytest.mark.parametrize("url_name", ["list", "csv", "xlsx"])
def test_queries_do_not_grow_with_rows(client, lead, officer_a, case, school_a, url_name):
    sign_in_fully(client, lead)
    url = reverse("schools:audit_log") if url_name == "list" else reverse("schools:audit_export", args=[url_name])
    client.get(url)  # warm up: session, sites, translations

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    cases = [submitted_case(officer_of(school_a), school=school_a) for _ in range(3)]
    for index in range(5):
        audit.record(officer_a, AuditLog.Action.VIEW_CASE, cases[index % 3])
    few = count()
    for index in range(45):
        audit.record(UserFactory(role=Role.DISTRICT_STAFF), AuditLog.Action.NOTE, cases[index % 3])
    many = count()

    assert many == few
