"""Nothing the district keeps of an anonymous report reaches the school (issue 15).

The reporter's words and contact, the thread with them, and everything district staff write
on the case (notes, consultations, the reasons of their steps) stay with the district; the
school reads the summary the district wrote for it. Tested as a class of fault: every kind of
district-side text carries a marker of its own, the case goes through the steps a school
takes, and no marker may appear in anything a school officer can fetch (every page, file and
link reachable from the case pages) or receive (their e-mails and texts).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from schools import services
from schools.models import BullyingReport, Notification
from tests.factories.accounts import sign_in_fully

from .helpers import png, upload

pytestmark = pytest.mark.django_db

MARKERS = {
    "narrative": "标记甲-报告原文-有人在厕所抢我的钱",
    "contact": "13911112222",
    "reporter_message": "标记乙-举报人留言-我住在三号楼",
    "district_reply": "标记丙-区中心回复-我们会保护你",
    "acknowledge_reason": "标记丁-受理理由-孩子怕班主任知道",
    "district_note": "标记戊-区中心内部备注-举报人是七年级女生",
    "consultation": "标记己-会商结论-公安已介入",
    "later_note": "标记庚-调查中的内部备注-不要告诉学校",
}
SUMMARY = "有学生反映在厕所被索要财物，请学校加强课间巡查并调查。"


def _file_anonymous_report(client, school) -> tuple[BullyingReport, str]:
    data = {
        "school": school.pk,
        "reporter_kind": "student",
        "narrative": MARKERS["narrative"],
        "place": "toilet",
        "bullying_types": ["property"],
        "injury": "minor",
        "contact": MARKERS["contact"],
        "incident_date": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
        "attachment": upload(png(), "screenshot.png", "image/png"),
    }
    assert client.post(reverse("schools:anonymous_report"), data).status_code == 302
    code = client.cookies["huiai_receipt_once"].value
    client.post(reverse("schools:anonymous_status"), {"code": code})
    assert client.post(reverse("schools:anonymous_case"), {"body": MARKERS["reporter_message"]}).status_code == 302
    client.cookies.clear()
    return BullyingReport.objects.latest("pk"), code


@pytest.fixture
def worked_case(client, school_a, district, officer_a, django_capture_on_commit_callbacks):
    """An anonymous case the district and the school worked on, with every kind of district text."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report, _code = _file_anonymous_report(client, school_a)
        services.reply_to_reporter(report, by=district, body=MARKERS["district_reply"])
        services.add_note(report, by=district, text=MARKERS["district_note"])
        report = services.acknowledge(
            report, by=district, reason=MARKERS["acknowledge_reason"], school_summary=SUMMARY, shared_parts=["place"]
        )
        services.add_consultation(
            report,
            by=district,
            held_on=datetime.date.today(),
            participating_bodies="区教育局、派出所",
            conclusions=MARKERS["consultation"],
            follow_up_actions=MARKERS["consultation"],
        )
        report = services.assign_handler(report, by=district, handler=officer_a)
        report = services.start_investigation(report, by=officer_a, reason="学校已开始调查。")
        services.add_note(report, by=district, text=MARKERS["later_note"])
        services.add_note(report, by=officer_a, text="学校的调查记录：已约谈相关学生。")
        # The determination is overdue: the handler (the school officer) is told.
        BullyingReport.objects.filter(pk=report.pk).update(determination_due_at=timezone.now())
        services.escalate_overdue(now=timezone.now() + datetime.timedelta(minutes=1))
    report.refresh_from_db()
    return report


def _leaks(text: str) -> list[str]:
    return [name for name, marker in MARKERS.items() if marker in text]


def _text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):  # an XLSX file: its cells are XML inside the zip
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


def _surfaces(report: BullyingReport) -> list[str]:
    urls = [
        reverse("workbench"),
        reverse("schools:case_list"),
        reverse("schools:case_list") + f"?state={report.state}",
        reverse("schools:case_detail", args=[report.pk]),
        reverse("schools:dashboard"),
        reverse("schools:export", args=["csv"]),
        reverse("schools:export", args=["xlsx"]),
        reverse("schools:audit_log"),
        reverse("schools:audit_export", args=["csv"]),
    ]
    urls += [reverse("schools:attachment", args=[report.pk, item.pk]) for item in report.attachments.all()]
    return urls


def _crawl(client, start: list[str]) -> dict[str, str]:
    """Every page and file reachable by GET from ``start`` within the case area, by URL."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue:
        url = queue.pop()
        if url in seen or not url.startswith(("/schools/", "/workbench/")) or "/act/" in url:
            continue
        response = client.get(url)
        seen[url] = _text_of(response) if response.status_code == 200 else ""
        queue += [link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"#]*)', seen[url])]
    return seen


def test_no_district_side_text_reaches_a_school_officer_of_an_anonymous_case(client, worked_case, officer_a):
    sign_in_fully(client, officer_a)
    pages = _crawl(client, _surfaces(worked_case))

    assert len(pages) >= 8 and pages[reverse("schools:case_detail", args=[worked_case.pk])]
    assert SUMMARY in pages[reverse("schools:case_detail", args=[worked_case.pk])]
    leaked = {url: _leaks(text) for url, text in pages.items() if _leaks(text)}
    assert leaked == {}

    to_officer = [message for message in mail.outbox if officer_a.email in message.to]
    assert to_officer  # they were told of the case, the assignment and the overdue step
    for message in to_officer:
        assert _leaks(message.subject + message.body) == []
    for notification in Notification.objects.filter(recipient=officer_a):
        assert _leaks(notification.subject + notification.body) == []


def test_the_school_reads_its_own_entries_and_the_steps_on_the_timeline(client, worked_case, officer_a):
    sign_in_fully(client, officer_a)
    html = client.get(reverse("schools:case_detail", args=[worked_case.pk])).content.decode()

    assert "学校的调查记录：已约谈相关学生。" in html and "学校已开始调查。" in html
    events = services.timeline(officer_a, worked_case)
    kinds = [event.kind for event in events]
    assert kinds.count("note") == 1 and "consultation" not in kinds
    assert {"transition", "assignment", "escalation"} <= set(kinds)


def test_district_staff_read_everything_the_school_does_not(client, worked_case, district):
    sign_in_fully(client, district)
    html = client.get(reverse("schools:case_detail", args=[worked_case.pk])).content.decode()

    assert set(_leaks(html)) == set(MARKERS)  # the test's markers are really on the case
    assert worked_case.events.get(kind="transition", to_state="acknowledged").reason == MARKERS["acknowledge_reason"]


def test_a_school_filed_case_keeps_its_whole_timeline_for_the_school(officer_a, school_a, district):
    from tests.factories.schools import submitted_case

    case = submitted_case(officer_a, school=school_a)
    case = services.acknowledge(case, by=district, reason="区中心受理意见")
    services.add_note(case, by=district, text="区中心给学校的备注")

    reasons = [event.reason for event in services.timeline(officer_a, case)]
    assert "区中心受理意见" in reasons and "区中心给学校的备注" in reasons
