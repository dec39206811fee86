"""Who sees what of an anonymous report (child-protection practice).

* The reporter is told, before sending, who will read the report.
* The report, the reporter's words, who they are, their contact and the thread with them stay
  with the district: the school's case page, e-mails and exports never show them.
* District staff accept the report by writing a summary for the school and choosing which parts
  of the report it receives; without a summary the report is not forwarded.
* The reporter is told, in their thread, when the school is involved.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from schools import receipts, services
from schools.models import CaseMessage, Notification, State
from tests.factories.accounts import sign_in_fully

from .helpers import png, upload

pytestmark = pytest.mark.django_db

NARRATIVE = "我是七年级的小芳，可以不让班主任知道是我报告的吗？有人在厕所里抢我的钱。"
THREAD_SECRET = "我家住在汇爱小区三号楼。"
SUMMARY = "有学生反映在厕所被索要财物，请学校加强课间巡查并调查。"
CONTACT = "13800001234"
INCIDENT_DATE = datetime.date.today() - datetime.timedelta(days=2)


def _anonymous(client, school, **extra):
    data = {
        "school": school.pk,
        "reporter_kind": "student",
        "narrative": NARRATIVE,
        "place": "toilet",
        "bullying_types": ["property"],
        "injury": "minor",
        "contact": CONTACT,
        "incident_date": INCIDENT_DATE.isoformat(),
        **extra,
    }
    response = client.post(reverse("schools:anonymous_report"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    code = client.cookies["huiai_receipt_once"].value
    from schools.models import BullyingReport

    return BullyingReport.objects.latest("pk"), code


def _reporter_writes(client, code, body=THREAD_SECRET):
    client.post(reverse("schools:anonymous_status"), {"code": code})
    assert client.post(reverse("schools:anonymous_case"), {"body": body}).status_code == 302


@pytest.fixture
def filed(client, school_a, district):
    """An anonymous report with a message from the reporter and a reply from the district."""
    report, code = _anonymous(client, school_a, attachment=upload(png(), "screenshot.png", "image/png"))
    _reporter_writes(client, code)
    services.reply_to_reporter(report, by=district, body="谢谢你，我们会保护你的身份。")
    client.cookies.clear()
    return report, code


def test_the_form_tells_the_reporter_who_will_read_the_report_before_sending(client):
    html = client.get(reverse("schools:anonymous_report")).content.decode()

    assert escape(gettext("Who will read your report")) in html
    assert (
        escape(
            gettext(
                "Only staff of the district minors-protection centre read your report and your messages. "
                "If the school needs to act, the district centre sends it a short summary it writes itself: "
                "not your own words, not your messages and not how to reach you."
            )
        )
        in html
    )


def test_accepting_an_anonymous_report_needs_a_summary_for_the_school(filed, district):
    report, _code = filed

    with pytest.raises(services.WorkflowError):
        services.acknowledge(report, by=district, reason="已收到")

    report.refresh_from_db()
    assert report.state == State.SUBMITTED and not report.school_summary


def test_only_parts_of_the_report_may_be_chosen_for_the_school(filed, district):
    report, _code = filed

    with pytest.raises(services.WorkflowError):
        services.acknowledge(report, by=district, school_summary=SUMMARY, shared_parts=["narrative"])


def test_the_acknowledge_form_on_the_case_page_asks_for_the_summary_and_links_its_error(client, filed, district):
    report, _code = filed
    sign_in_fully(client, district)
    url = reverse("schools:case_action", args=[report.pk, "acknowledge"])

    refused = client.post(url, {"acknowledge-reason": "已收到"})
    accepted = client.post(
        url,
        {"acknowledge-school_summary": SUMMARY, "acknowledge-shared_parts": ["place", "attachments"]},
    )

    assert refused.status_code == 400
    assert 'id="id_acknowledge-school_summary_error"' in refused.content.decode()
    assert escape(gettext("Write a summary for the school.")) in refused.content.decode()
    assert accepted.status_code == 302
    report.refresh_from_db()
    assert report.state == State.ACKNOWLEDGED
    assert report.school_summary == SUMMARY and report.shared_with_school == ["place", "attachments"]


def test_the_school_officer_reads_the_summary_and_only_the_chosen_parts(client, filed, district, officer_a):
    report, _code = filed
    services.acknowledge(report, by=district, school_summary=SUMMARY, shared_parts=["place"])

    sign_in_fully(client, officer_a)
    html = client.get(reverse("schools:case_detail", args=[report.pk])).content.decode()

    assert SUMMARY in html
    assert escape(gettext("Toilet")) in html  # the shared place
    assert NARRATIVE not in html and "班主任" not in html
    assert THREAD_SECRET not in html and "我们会保护你的身份" not in html
    assert CONTACT not in html
    assert escape(gettext("Anonymous reporter")) not in html  # who reported is the district's to know
    # Kinds of bullying and injuries were not shared, nor why it is a mandatory report (the flag is).
    assert escape(gettext("Property (taking or damaging belongings, demanding money)")) not in html
    assert escape(gettext("Minor injury, no medical care needed")) not in html
    assert escape(gettext("A student was injured")) not in html
    assert escape(gettext("the district centre holds the reasons; please act at once.")) in html
    assert "/attachments/" not in html  # nor the picture
    assert "/act/reply_to_reporter/" not in html
    assert INCIDENT_DATE.isoformat() not in html  # nor when it happened


def test_the_school_case_list_shows_the_date_only_when_it_was_shared(client, filed, district, officer_a):
    report, _code = filed
    services.acknowledge(report, by=district, school_summary=SUMMARY, shared_parts=[])
    sign_in_fully(client, officer_a)

    hidden = client.get(reverse("schools:case_list")).content.decode()
    type(report).objects.filter(pk=report.pk).update(shared_with_school=["incident_date"])
    shared = client.get(reverse("schools:case_list")).content.decode()

    assert report.case_number in hidden and INCIDENT_DATE.isoformat() not in hidden
    assert INCIDENT_DATE.isoformat() in shared


def test_district_staff_read_the_whole_report_the_thread_and_what_was_shared(client, filed, district):
    report, _code = filed
    services.acknowledge(report, by=district, school_summary=SUMMARY, shared_parts=["place"])

    sign_in_fully(client, district)
    html = client.get(reverse("schools:case_detail", args=[report.pk])).content.decode()

    assert NARRATIVE in html and THREAD_SECRET in html and CONTACT in html and SUMMARY in html
    assert "/act/reply_to_reporter/" in html


def test_the_school_cannot_open_an_attachment_the_district_did_not_share(client, filed, district, officer_a):
    report, _code = filed
    services.acknowledge(report, by=district, school_summary=SUMMARY, shared_parts=[])
    item = report.attachments.get()
    url = reverse("schools:attachment", args=[report.pk, item.pk])

    sign_in_fully(client, officer_a)
    hidden = client.get(url)
    type(report).objects.filter(pk=report.pk).update(shared_with_school=["attachments"])
    shared = client.get(url)

    assert hidden.status_code == 404
    assert shared.status_code == 200


def test_the_school_cannot_write_to_the_anonymous_reporter(filed, district, officer_a):
    report, _code = filed
    report = services.acknowledge(report, by=district, school_summary=SUMMARY)

    with pytest.raises(PermissionDenied):
        services.reply_to_reporter(report, by=officer_a, body="你是哪个班的？")
    assert "reply_to_reporter" not in services.available_actions(report, user=officer_a)
    assert "reply_to_reporter" in services.available_actions(report, user=district)


def test_a_school_officer_handling_the_case_is_not_told_of_the_reporters_messages(
    client, filed, district, officer_a, django_capture_on_commit_callbacks
):
    report, code = filed
    report = services.acknowledge(report, by=district, school_summary=SUMMARY)
    report = services.assign_handler(report, by=district, handler=officer_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _reporter_writes(client, code, body="还有一件事：他们今天又来了。")

    subject = gettext("New message from the reporter of case %(number)s") % {"number": report.case_number}
    new_message = Notification.objects.filter(subject=subject)
    assert not new_message.filter(recipient=officer_a).exists()
    assert new_message.filter(recipient=district).exists()
    subjects_to_officer = [message.subject for message in mail.outbox if officer_a.email in message.to]
    assert subject not in subjects_to_officer
    for message in mail.outbox:
        assert "他们今天又来了" not in message.body and THREAD_SECRET not in message.body


def test_the_school_is_e_mailed_a_link_never_the_report_or_the_thread(
    filed, district, officer_a, django_capture_on_commit_callbacks
):
    report, _code = filed
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(report, by=district, school_summary=SUMMARY)

    to_officer = [message for message in mail.outbox if officer_a.email in message.to]
    assert len(to_officer) == 1
    body = to_officer[0].subject + to_officer[0].body
    for secret in (NARRATIVE, THREAD_SECRET, CONTACT, "我们会保护你的身份"):
        assert secret not in body


def _export(client, user) -> str:
    sign_in_fully(client, user)
    response = client.get(reverse("schools:export", args=["csv"]))
    assert response.status_code == 200
    return response.content.decode("utf-8")


def test_a_school_export_carries_only_the_parts_the_district_shared(client, filed, district, officer_a):
    report, _code = filed
    services.acknowledge(report, by=district, school_summary=SUMMARY, shared_parts=["place"])

    school_rows = list(csv.DictReader(io.StringIO(_export(client, officer_a)[1:])))
    client.logout()
    district_rows = list(csv.DictReader(io.StringIO(_export(client, district)[1:])))

    (school_row,) = school_rows
    (district_row,) = district_rows
    kinds, place, injuries = gettext("Kinds of bullying"), gettext("Place"), gettext("Injuries")
    assert school_row[place] == district_row[place] != ""
    assert school_row[kinds] == "" and district_row[kinds] != ""
    assert school_row[injuries] == "" and district_row[injuries] != ""
    for row in (school_row, district_row):
        text = " ".join(row.values())
        assert NARRATIVE not in text and THREAD_SECRET not in text and SUMMARY not in text and CONTACT not in text


def test_the_reporter_is_told_when_the_school_is_involved(client, filed, district):
    report, code = filed
    client.post(reverse("schools:anonymous_status"), {"code": code})
    before = client.get(reverse("schools:anonymous_case")).content.decode()

    services.acknowledge(report, by=district, school_summary=SUMMARY)
    after = client.get(reverse("schools:anonymous_case")).content.decode()

    notice = CaseMessage.objects.get(report=report, author_kind=CaseMessage.Author.NOTICE)
    assert escape(notice.body) not in before
    assert escape(notice.body) in after
    assert SUMMARY not in after  # what the district wrote for the school is the district's
    assert receipts.looks_valid(code)


def test_the_school_dashboard_counts_an_anonymous_reports_kinds_only_when_shared(filed, district, officer_a):
    from schools import dashboards

    report, _code = filed
    services.acknowledge(report, by=district, school_summary=SUMMARY, shared_parts=[])

    def property_count(user) -> int:
        chart = next(chart for chart in dashboards.build(user).charts if chart.slug == "kind")
        return chart.bars[4].count  # BullyingType.PROPERTY, the fifth kind

    hidden = property_count(officer_a)
    type(report).objects.filter(pk=report.pk).update(shared_with_school=["bullying_types"])

    assert hidden == 0 and property_count(officer_a) == 1
    assert property_count(district) == 1
