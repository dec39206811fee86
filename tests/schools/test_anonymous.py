"""Anonymous reports: receipt codes, shown once and stored as a hash; status and messages; no tracking."""

from __future__ import annotations

import re

from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from schools import receipts, services
from schools.models import AnonymousReceipt, BullyingReport, CaseMessage, Notification, State
from tests.factories.accounts import sign_in_fully
from tests.factories.schools import submitted_case

from .helpers import png, upload

pytestmark = pytest.mark.django_db
REPORT = reverse("schools:anonymous_report")
STATUS = reverse("schools:anonymous_status")
CASE = reverse("schools:anonymous_case")
CODE_PATTERN = re.compile(r"[A-Z2-9]{3}(?:-[A-Z2-9]{3}){6}")


def _report(client, school, **extra):
    data = {
        "school": school.pk,
        "reporter_kind": "student",
        "narrative": "有同学每天在楼梯口拦住我要钱，不给就推我。",
        "place": "corridor",
        "bullying_types": ["property", "physical"],
        **extra,
    }
    return client.post(REPORT, data, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="UniqueBrowser/9.9 (tracking-test)")


def _file_and_get_code(client, school, **extra) -> str:
    response = _report(client, school, **extra)
    assert response.status_code == 302 and response["Location"] == reverse("schools:anonymous_receipt")
    page = client.get(response["Location"]).content.decode()
    return CODE_PATTERN.search(page).group(0)


def _open(client, code):
    return client.post(STATUS, {"code": code})


def test_receipt_codes_carry_at_least_100_random_bits_in_groups_of_three():
    codes = {receipts.new_code() for _ in range(2000)}

    assert len(codes) == 2000
    assert all(CODE_PATTERN.fullmatch(code) for code in codes)
    assert len(receipts.ALPHABET) ** receipts.LENGTH >= 2**100


def test_a_code_given_out_before_the_shorter_groups_still_opens_its_report(client, school_a):
    earlier = "ABCD-EFGH-JKLM-NPQR-STU2"
    report = services.submit_anonymous(school=school_a, reporter_kind="", narrative="有人欺负我").report
    AnonymousReceipt.objects.filter(report=report).update(code_hash=receipts.code_hash(earlier))

    assert _open(client, earlier.lower()).status_code == 302
    assert services.find_by_receipt(earlier) == report


def test_a_report_gives_a_code_that_is_shown_once(client, school_a):
    code = _file_and_get_code(client, school_a)

    again = client.get(reverse("schools:anonymous_receipt"))

    assert again.status_code == 302
    assert code not in client.get(STATUS).content.decode()


def test_the_code_never_reaches_the_server_side_session(client, school_a):
    response = _report(client, school_a)
    code = response.cookies["huiai_receipt_once"].value

    assert code not in _database_dump()
    assert response.cookies["huiai_receipt_once"]["httponly"]
    page = client.get(reverse("schools:anonymous_receipt"))
    assert code in page.content.decode()
    assert page.cookies["huiai_receipt_once"]["max-age"] == 0


def test_the_receipt_page_has_a_copy_button_and_a_printable_slip(client, school_a):
    _report(client, school_a)

    html = client.get(reverse("schools:anonymous_receipt")).content.decode()

    assert "data-copy-target" in html and "data-print" in html and "receipt-slip" in html


def test_the_code_is_stored_only_as_a_hash(client, school_a):
    code = _file_and_get_code(client, school_a)

    receipt = AnonymousReceipt.objects.get()
    assert receipt.code_hash == receipts.code_hash(code) != code
    assert code not in _database_dump() and receipts.normalise(code) not in _database_dump()


def _database_dump() -> str:
    """Every row of every schools table and the session table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names() if t.startswith(("schools_", "django_session"))]
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from introspection
            chunks.append(repr(cursor.fetchall()))
    return "\n".join(chunks)


def test_no_ip_address_or_browser_detail_is_stored(client, school_a):
    code = _file_and_get_code(client, school_a)
    _open(client, code)
    client.post(CASE, {"body": "还有一件事想补充。"}, REMOTE_ADDR="203.0.113.77")

    dump = _database_dump()
    assert "203.0.113.77" not in dump
    assert "UniqueBrowser" not in dump
    report = BullyingReport.objects.get()
    assert report.created_by is None and report.source == "anonymous"


def test_an_anonymous_report_goes_straight_to_the_district(
    client, school_a, district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _file_and_get_code(client, school_a)

    report = BullyingReport.objects.get()
    assert report.state == State.SUBMITTED and report.case_number.startswith("XH-")
    assert report.acknowledge_due_at is not None
    assert [message.to for message in mail.outbox] == [[district.email]]


def test_a_sexual_harm_report_is_a_mandatory_report_and_texts_the_district(
    client, school_a, district, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _file_and_get_code(client, school_a, involves_sexual_harm="on")

    assert BullyingReport.objects.get().is_mandatory_report
    assert [message.to for message in sms_outbox] == [district.phone]


def test_the_school_sees_an_anonymous_report_only_after_the_district_acknowledges_it(school_a, officer_a, district):
    report = services.submit_anonymous(
        school=school_a, reporter_kind="parent", narrative="孩子说被同学孤立很久了。"
    ).report

    assert report not in services.cases_visible_to(officer_a)
    services.acknowledge(report, by=district, school_summary="有家长反映孩子被孤立，请学校了解情况。")
    assert report in services.cases_visible_to(officer_a)


def test_the_code_opens_the_status_and_the_two_sides_exchange_messages(client, school_a, district):
    code = _file_and_get_code(client, school_a)
    report = BullyingReport.objects.get()

    report = services.acknowledge(report, by=district, school_summary="有学生反映被抢零花钱，请学校调查。")
    services.reply_to_reporter(report, by=district, body="谢谢你告诉我们。你愿意说说是哪个年级吗？")
    response = _open(client, code)
    assert response.status_code == 302 and response["Location"] == CASE
    page = client.get(CASE).content.decode()
    assert "谢谢你告诉我们" in page
    assert str(services.reporter_status(report)) in page

    assert client.post(CASE, {"body": "是七年级的同学。"}).status_code == 302
    # First the notice that the school was asked to look into it (test_anonymous_sharing.py).
    assert list(CaseMessage.objects.values_list("author_kind", flat=True)) == ["notice", "handler", "reporter"]
    assert Notification.objects.filter(
        report=report,
        recipient=district,
        subject=gettext("New message from the reporter of case %(number)s") % {"number": report.case_number},
    ).exists()

    sign_in_fully(client, district)
    detail = client.get(reverse("schools:case_detail", args=[report.pk])).content.decode()
    assert "是七年级的同学" in detail


def test_the_code_works_in_lower_case_and_with_spaces(client, school_a):
    code = _file_and_get_code(client, school_a)

    assert _open(client, " " + code.lower().replace("-", " ") + " ").status_code == 302


@pytest.mark.parametrize("wrong", ["ABCD-EFGH-JKLM-NPQR-STUV", "short", "0000-0000-0000-0000-0000", "' OR 1=1 --"])
def test_a_wrong_code_gives_the_same_answer_whatever_it_is(client, school_a, wrong):
    _file_and_get_code(client, school_a)

    response = _open(client, wrong)

    assert response.status_code == 400
    assert (
        escape(gettext("We could not find a report with this code. Check the code and try again."))
        in response.content.decode()
    )
    assert client.get(CASE)["Location"] == STATUS


def test_a_reporter_sees_only_their_own_report(client, school_a):
    first = _file_and_get_code(client, school_a, narrative="第一份报告：在食堂被泼饭。")
    _file_and_get_code(client, school_a, narrative="第二份报告：网络群聊里被辱骂。")
    _open(client, first)

    page = client.get(CASE).content.decode()
    first_report = BullyingReport.objects.order_by("pk").first()
    assert client.cookies["huiai_reporter"].value.split(":")[0] == str(first_report.pk)
    assert "第二份" not in page


def test_leaving_forgets_the_report_on_this_device(client, school_a):
    _open(client, _file_and_get_code(client, school_a))

    client.post(reverse("schools:anonymous_leave"))

    assert client.get(CASE)["Location"] == STATUS


def test_reports_over_the_hourly_volume_are_still_saved_never_refused(client, school_a, settings):
    # The volume limit only changes how reports are announced (tests/schools/test_anonymous_limits.py).
    settings.SCHOOLS_ANONYMOUS_REPORTS_PER_HOUR = 2
    _report(client, school_a)
    _report(client, school_a)

    response = _report(client, school_a)

    assert response.status_code == 302
    assert BullyingReport.objects.count() == 3


def test_code_look_ups_are_rate_limited_even_for_the_right_code(client, school_a, settings):
    settings.SCHOOLS_RECEIPT_LOOKUPS_PER_HOUR = 3
    code = _file_and_get_code(client, school_a)
    for _ in range(3):
        _open(client, "AAAA-AAAA-AAAA-AAAA-AAAA")

    response = _open(client, code)

    assert response.status_code == 429
    assert "huiai_reporter" not in response.cookies
    assert client.get(CASE)["Location"] == STATUS


def test_an_anonymous_report_needs_a_school_and_a_description(client, school_a):
    response = client.post(REPORT, {"reporter_kind": "bystander", "narrative": "   "})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_school_error"' in html and 'id="id_narrative_error"' in html
    assert not BullyingReport.objects.exists()


def test_an_anonymous_report_can_carry_a_checked_attachment(client, school_a):
    _report(client, school_a, attachment=upload(png(), "screenshot.png", "image/png"))

    assert BullyingReport.objects.get().attachments.get().content_type == "image/png"


def test_a_bad_attachment_refuses_the_anonymous_report_with_a_message(client, school_a):
    response = _report(client, school_a, attachment=upload(b"<html>not a picture</html>", "x.png", "image/png"))

    assert response.status_code == 400
    assert (
        escape(
            gettext(
                "This file is not a photo, screenshot or PDF we can read. "
                "Please attach a JPEG, PNG or WebP picture or a PDF."
            )
        )
        in response.content.decode()
    )
    assert not BullyingReport.objects.exists()


def test_only_district_staff_can_write_to_the_reporter(school_a, officer_a, officer_b, parent):
    from django.core.exceptions import PermissionDenied

    report = services.submit_anonymous(school=school_a, reporter_kind="student", narrative="被起外号很久了。").report

    # The school's own officer neither (tests/schools/test_anonymous_sharing.py): the thread is the district's.
    for outsider in (officer_a, officer_b, parent):
        with pytest.raises(PermissionDenied):
            services.reply_to_reporter(report, by=outsider, body="hello")


def test_school_reports_have_no_reporter_to_write_to(officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)

    with pytest.raises(services.WorkflowError):
        services.reply_to_reporter(case, by=district, body="hello")
