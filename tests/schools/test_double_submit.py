"""Double-clicked or repeated posts create nothing twice: the anonymous report and the school's form."""

from __future__ import annotations

import re
import uuid

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from schools.models import AnonymousReceipt, BullyingReport, Notification
from tests.factories.accounts import sign_in_fully
from tests.factories.schools import BullyingReportFactory

from .helpers import report_form_data

pytestmark = pytest.mark.django_db
REPORT = reverse("schools:anonymous_report")
RECEIPT = reverse("schools:anonymous_receipt")
CODE_PATTERN = re.compile(r"[A-Z2-9]{3}(?:-[A-Z2-9]{3}){6}")


def _form_key(client) -> str:
    page = client.get(REPORT).content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', page).group(1)


def _post(client, school, key, **extra):
    data = {
        "school": school.pk,
        "reporter_kind": "student",
        "narrative": "放学后有人在车棚把我的书包扔进水沟。",
        "submission_key": key,
        **extra,
    }
    return client.post(REPORT, data)


def _receipt_code(client, response) -> str:
    assert response.status_code == 302 and response["Location"] == RECEIPT
    return CODE_PATTERN.search(client.get(RECEIPT).content.decode()).group(0)


def test_a_double_clicked_report_files_one_case_and_shows_the_same_receipt(client, school_a, district):
    key = _form_key(client)

    first = _receipt_code(client, _post(client, school_a, key))
    second = _receipt_code(client, _post(client, school_a, key))

    assert first == second
    assert BullyingReport.objects.count() == 1
    assert AnonymousReceipt.objects.count() == 1
    assert Notification.objects.filter(recipient=district).count() == 1


def test_each_new_form_files_its_own_report(client, school_a):
    _post(client, school_a, _form_key(client))
    _post(client, school_a, _form_key(client))

    assert BullyingReport.objects.count() == 2


def test_a_repeat_after_the_window_files_nothing_and_says_so_without_the_code(client, school_a, monkeypatch):
    import time

    key = _form_key(client)
    code = _receipt_code(client, _post(client, school_a, key))
    later = time.time() + 11 * 60
    monkeypatch.setattr(time, "time", lambda: later)

    response = _post(client, school_a, key)

    assert response.status_code == 200
    page = response.content.decode()
    assert code not in page
    assert escape(gettext("This report was already sent. It was filed once; nothing was sent twice.")) in page
    assert BullyingReport.objects.count() == 1


def test_the_form_key_is_stored_only_as_a_hash_and_cannot_reveal_the_code_without_it(client, school_a):
    from tests.schools.test_anonymous import _database_dump

    key = _form_key(client)
    code = _receipt_code(client, _post(client, school_a, key))

    dump = _database_dump()
    assert key not in dump and code not in dump and code.replace("-", "") not in dump
    assert _receipt_code(client, _post(client, school_a, key)) == code
    other = ("y" if key[0] == "x" else "x") + key[1:]  # another key (a random key may start with "x")
    assert client.post(REPORT, {"submission_key": other}).status_code == 400  # another key: a new form


def test_a_report_without_a_key_is_still_accepted(client, school_a):
    response = _post(client, school_a, "")

    assert response.status_code == 302
    assert BullyingReport.objects.count() == 1


# --- The school's report form and its draft token ------------------------------------------------


def test_a_reused_draft_token_of_another_school_is_a_clear_error_not_a_500(client, officer_a, school_a, school_b):
    foreign = BullyingReportFactory(school=school_b)
    sign_in_fully(client, officer_a)

    response = client.post(
        reverse("schools:report_new"), report_form_data(school_a, draft_token=str(foreign.draft_token))
    )

    assert response.status_code == 400
    assert escape(
        gettext("This form was already used for another report. Please check the answers and save again.")
    ) in (response.content.decode())
    assert BullyingReport.objects.filter(school=school_a).count() == 0
    new_token = re.search(r'name="draft_token" value="([^"]+)"', response.content.decode()).group(1)
    assert uuid.UUID(new_token) != foreign.draft_token
    again = client.post(reverse("schools:report_new"), report_form_data(school_a, draft_token=new_token))
    assert again.status_code == 302
    assert BullyingReport.objects.filter(school=school_a).count() == 1
    foreign.refresh_from_db()
    assert foreign.school == school_b


def test_another_officers_draft_token_does_not_open_their_draft(client, school_a, officer_a):
    from tests.factories.schools import officer_of

    colleague = officer_of(school_a)
    theirs = BullyingReportFactory(school=school_a, created_by=colleague, narrative="同事的草稿")
    sign_in_fully(client, officer_a)

    response = client.post(
        reverse("schools:report_new"), report_form_data(school_a, draft_token=str(theirs.draft_token), narrative="我的")
    )

    theirs.refresh_from_db()
    assert theirs.narrative == "同事的草稿"
    assert response.status_code == 400
    assert not BullyingReport.objects.filter(created_by=officer_a).exists()


def test_the_same_new_form_posted_twice_resumes_the_same_draft(client, officer_a, school_a):
    sign_in_fully(client, officer_a)
    token = str(uuid.uuid4())

    first = client.post(reverse("schools:report_new"), report_form_data(school_a, draft_token=token))
    second = client.post(reverse("schools:report_new"), report_form_data(school_a, draft_token=token))

    assert first["Location"] == second["Location"]
    assert BullyingReport.objects.count() == 1


def test_sealed_codes_are_dropped_after_the_window(client, school_a):
    import datetime

    from django.utils import timezone

    from schools import services

    _post(client, school_a, _form_key(client))
    assert services.forget_sealed_codes() == 0
    AnonymousReceipt.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))

    assert services.forget_sealed_codes() == 1
    assert AnonymousReceipt.objects.get().sealed_code == ""


# --- Other forms that create rows: the reporter's message and the case steps ---------------------


def _key_of(page: str, name: str = "form_key") -> str:
    return re.search(rf'name="(?:[\w-]+-)?{name}" value="([^"]+)"', page).group(1)


def test_a_double_clicked_reporter_message_is_sent_once(client, school_a, district):
    from schools.models import CaseMessage

    key = _form_key(client)
    code = _receipt_code(client, _post(client, school_a, key))
    client.post(reverse("schools:anonymous_status"), {"code": code})
    case = reverse("schools:anonymous_case")
    form_key = _key_of(client.get(case).content.decode())

    for _ in range(2):
        assert client.post(case, {"body": "补充：昨天又发生了。", "form_key": form_key}).status_code == 302

    reporter_messages = CaseMessage.objects.filter(author_kind=CaseMessage.Author.REPORTER)
    assert reporter_messages.count() == 1
    assert Notification.objects.filter(dedupe_key__startswith="reporter-message:").count() == 1
    fresh = _key_of(client.get(case).content.decode())
    assert fresh != form_key
    client.post(case, {"body": "补充：昨天又发生了。", "form_key": fresh})
    assert reporter_messages.count() == 2  # a new form: a new message


@pytest.mark.parametrize(
    ("action", "fields", "count"),
    [
        ("add_note", {"text": "已联系班主任。"}, lambda report: report.events.filter(kind="note").count()),
        (
            "add_consultation",
            {"held_on": "2026-01-05", "participating_bodies": "区教育局", "conclusions": "继续观察"},
            lambda report: report.consultations.count(),
        ),
    ],
)
def test_a_double_clicked_case_step_is_saved_once(client, officer_a, school_a, district, action, fields, count):
    from schools import services
    from tests.factories.schools import submitted_case

    report = services.acknowledge(submitted_case(officer_a, school=school_a), by=district)
    sign_in_fully(client, district)
    page = client.get(reverse("schools:case_detail", args=[report.pk])).content.decode()
    form_key = _key_of(page.split(f"/{action}/")[1], "form_key")
    data = {f"{action}-{name}": value for name, value in fields.items()} | {f"{action}-form_key": form_key}
    url = reverse("schools:case_action", args=[report.pk, action])

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert count(report) == 1
    assert gettext("This was already saved; it was not saved twice.") in client.get(second["Location"]).content.decode()
