"""Case list and case page: the workflow through the browser forms, refusals, audit of views."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from schools import services
from schools.models import AuditLog, State
from tests.factories.accounts import sign_in_fully
from tests.factories.schools import BullyingReportFactory, submitted_case

pytestmark = pytest.mark.django_db


def _act(client, case, action, data=None):
    url = reverse("schools:case_action", args=[case.pk, action])
    return client.post(url, {f"{action}-{key}": value for key, value in (data or {}).items()})


def test_the_whole_workflow_runs_through_the_case_page(client, officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)

    sign_in_fully(client, district)
    assert _act(client, case, "acknowledge", {"reason": "已收到"}).status_code == 302
    assert _act(client, case, "assign_handler", {"handler": district.pk}).status_code == 302
    assert (
        _act(
            client,
            case,
            "add_consultation",
            {
                "held_on": "2026-03-05",
                "participating_bodies": "教育局、派出所",
                "conclusions": "心理辅导",
                "follow_up_actions": "",
            },
        ).status_code
        == 302
    )
    sign_in_fully(client, officer_a)
    assert _act(client, case, "start_investigation").status_code == 302
    assert (
        _act(
            client,
            case,
            "determine",
            {"determination": "bullying", "committee_roles": ["principal", "psychologist"], "reason": "认定欺凌"},
        ).status_code
        == 302
    )
    assert _act(client, case, "start_handling", {"measures": ["counselling", "family_education"]}).status_code == 302
    assert _act(client, case, "close", {"reason": "措施落实"}).status_code == 302

    case.refresh_from_db()
    assert case.state == State.CLOSED and case.handler == district
    page = client.get(reverse("schools:case_detail", args=[case.pk])).content.decode()
    assert "心理辅导" in page, page
    assert "认定欺凌" in page
    assert 'id="timeline"' in page


def test_a_forged_transition_is_refused_with_a_message_and_changes_nothing(client, officer_a, school_a):
    case = submitted_case(officer_a, school=school_a)
    sign_in_fully(client, officer_a)

    response = _act(client, case, "close", {"reason": "想直接结案"})

    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    refusal = gettext("This case is “%(state)s”, so it cannot be %(step)s now.") % {
        "state": case.get_state_display(),
        "step": gettext("closed"),
    }
    assert escape(refusal) in follow


def test_an_officer_cannot_do_a_district_step(client, officer_a, school_a):
    case = submitted_case(officer_a, school=school_a)
    sign_in_fully(client, officer_a)

    assert _act(client, case, "acknowledge").status_code == 403
    assert _act(client, case, "assign_handler", {"handler": officer_a.pk}).status_code == 403
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.handler is None


def test_an_unknown_action_is_not_found(client, officer_a, school_a):
    case = submitted_case(officer_a, school=school_a)
    sign_in_fully(client, officer_a)

    assert _act(client, case, "delete_everything").status_code == 404


def test_an_invalid_step_form_shows_errors_and_changes_nothing(client, officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)
    sign_in_fully(client, district)
    _act(client, case, "acknowledge")
    sign_in_fully(client, officer_a)
    _act(client, case, "start_investigation")

    response = _act(client, case, "determine", {"determination": "bullying", "reason": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_determine-committee_roles_error"' in html and 'id="id_determine-reason_error"' in html
    case.refresh_from_db()
    assert case.state == State.INVESTIGATING


def test_the_page_offers_only_the_steps_the_person_may_take(client, officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)
    url = reverse("schools:case_detail", args=[case.pk])

    sign_in_fully(client, officer_a)
    officer_page = client.get(url).content.decode()
    sign_in_fully(client, district)
    district_page = client.get(url).content.decode()

    assert "/act/acknowledge/" not in officer_page and "/act/add_note/" in officer_page
    assert "/act/acknowledge/" in district_page and "/act/assign_handler/" in district_page


def test_list_and_case_views_are_audited(client, officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)
    sign_in_fully(client, district)

    client.get(reverse("schools:case_list"))
    client.get(reverse("schools:case_detail", args=[case.pk]))

    entries = AuditLog.objects.filter(actor=district).order_by("pk")
    assert [(entry.action, entry.actor_role) for entry in entries] == [
        ("view_list", "district_staff"),
        ("view_case", "district_staff"),
    ]
    assert entries.last().report == case


def test_overdue_cases_stand_out_in_the_list(client, officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)
    type(case).objects.filter(pk=case.pk).update(acknowledge_due_at=case.submitted_at - datetime.timedelta(days=1))
    sign_in_fully(client, district)

    html = client.get(reverse("schools:case_list")).content.decode()

    assert "case-card--overdue" in html and gettext("Overdue") in html


def test_the_list_filters_by_state(client, officer_a, school_a, district):
    submitted_case(officer_a, school=school_a)
    sign_in_fully(client, district)

    assert "XH-" in client.get(reverse("schools:case_list"), {"state": "submitted"}).content.decode()
    assert "XH-" not in client.get(reverse("schools:case_list"), {"state": "closed"}).content.decode()


def test_district_staff_do_not_see_drafts(client, school_a, district):
    draft = BullyingReportFactory(school=school_a)
    sign_in_fully(client, district)

    assert client.get(reverse("schools:case_detail", args=[draft.pk])).status_code == 404


def test_attachments_are_served_privately_and_audited(client, officer_a, school_a):
    from .helpers import png, report_form_data, upload

    sign_in_fully(client, officer_a)
    client.post(
        reverse("schools:report_new"), {**report_form_data(school_a, action="submit"), "attachment": upload(png())}
    )
    from schools.models import Attachment

    item = Attachment.objects.get()
    response = client.get(reverse("schools:attachment", args=[item.report_id, item.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert AuditLog.objects.filter(action="view_attachment", report=item.report).exists()


def test_a_district_lead_reads_the_audit_log_and_reading_it_is_audited(client, officer_a, school_a, lead):
    submitted_case(officer_a, school=school_a)
    sign_in_fully(client, lead)

    response = client.get(reverse("schools:audit_log"))

    assert response.status_code == 200
    assert AuditLog.objects.filter(actor=lead, action="view_audit").exists()


def test_district_staff_who_are_not_leads_cannot_read_the_audit_log(client, district):
    sign_in_fully(client, district)

    assert client.get(reverse("schools:audit_log")).status_code == 403


def test_the_case_list_needs_the_same_number_of_queries_for_many_cases(
    client, officer_a, school_a, district, django_assert_max_num_queries
):
    for _ in range(3):
        submitted_case(officer_a, school=school_a)
    sign_in_fully(client, district)
    client.get(reverse("schools:case_list"))  # warm caches (site settings, roles)

    with django_assert_max_num_queries(20) as few:
        client.get(reverse("schools:case_list"))
    for _ in range(10):
        submitted_case(officer_a, school=school_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("schools:case_list"))


def test_the_case_page_needs_a_fixed_number_of_queries(
    client, officer_a, school_a, district, django_assert_max_num_queries
):
    case = submitted_case(officer_a, school=school_a)
    url = reverse("schools:case_detail", args=[case.pk])
    sign_in_fully(client, district)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for text in ("一", "二", "三", "四", "五"):
        services.add_note(case, by=district, text=text)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
