"""Completion reports: when they may be issued, what they say, sealed, versioned, signed, verified."""

from __future__ import annotations

import datetime
import hashlib
import shutil
import subprocess

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from courses.models import Enrolment
from guidance import services, signing
from guidance.models import CompletionReport, GuidancePlan, ReportIsSealed
from guidance.services import Guardian, GuidanceError
from guidance.services.reports import file_bytes
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.guidance import booking, court_liaison
from workstations.models import SessionRecord

pytestmark = pytest.mark.django_db

PHONE = "+8613800003333"


@pytest.fixture
def parent(db):
    return UserFactory(phone=PHONE, name="赵家长")


@pytest.fixture
def order_plan(district, worker, course, parent, the_court):
    today = timezone.localdate()
    return services.register_order(
        by=district,
        court=the_court,
        order_number="(2026)沪0104民初1234号",
        issued_on=today - datetime.timedelta(days=40),
        required_content="学习家庭教育课程并接受指导",
        required_hours=4,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        guardians=[Guardian(name="赵家长", phone=PHONE)],
        worker=worker,
        courses=[course],
        required_sessions=1,
    )


def complete(plan, parent, course):
    Enrolment.objects.filter(parent=parent, course=course).update(completed_at=timezone.now())
    attended = booking(parent)
    SessionRecord.objects.create(booking=attended, notes="家长积极参与，沟通方式有改善。")
    plan.assessment = "家长已按要求完成指导。"
    plan.save()


def pdf_text(report: CompletionReport) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", report.pdf.path, "-"], capture_output=True, check=True)
    return result.stdout.decode()


def test_a_report_waits_until_the_plan_is_met_or_its_period_ended(district, order_plan, parent, course):
    with pytest.raises(GuidanceError):
        services.issue_report(order_plan, by=district)
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    order_plan.refresh_from_db()
    assert order_plan.status == GuidancePlan.Status.COMPLETED
    assert report.outcome == CompletionReport.Outcome.COMPLETED


def test_only_district_staff_issue_reports(worker, liaison, order_plan, parent, course):
    complete(order_plan, parent, course)
    for user in (worker, liaison, parent):
        with pytest.raises(PermissionDenied):
            services.issue_report(order_plan, by=user)


def test_the_pdf_is_in_chinese_with_the_facts_and_no_empty_boxes(district, order_plan, parent, course):
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    text = pdf_text(report)
    for expected in (
        "家庭教育指导",
        "(2026)沪0104民初1234号",
        "徐汇区人民法院",
        "赵家长",
        course.title,
        "家长积极参与",
        "家长已按要求完成指导",
        report.code,
        timezone.localdate().isoformat(),
    ):
        assert expected in text, expected
    assert "\ufffd" not in text and "□" not in text


def test_a_report_at_the_end_of_the_period_says_what_was_not_done(district, order_plan):
    GuidancePlan.objects.filter(pk=order_plan.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    order_plan.refresh_from_db()
    report = services.issue_report(order_plan, by=district)
    assert report.outcome == CompletionReport.Outcome.UNMET
    order_plan.refresh_from_db()
    assert order_plan.status == GuidancePlan.Status.ENDED
    text = pdf_text(report)
    assert "未完成" in text


def test_a_report_is_sealed(district, order_plan, parent, course):
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    stored = file_bytes(report)
    assert hashlib.sha256(stored).hexdigest() == report.sha256
    report.outcome = CompletionReport.Outcome.UNMET
    with pytest.raises(ReportIsSealed):
        report.save()
    with pytest.raises(ReportIsSealed):
        CompletionReport.objects.filter(pk=report.pk).update(sha256="0" * 64)
    with pytest.raises(ReportIsSealed):
        report.delete()
    with pytest.raises(ReportIsSealed):
        CompletionReport.objects.all().delete()
    with pytest.raises(GuidanceError):
        services.issue_report(order_plan, by=district)  # a second one only as a correction


def test_a_correction_is_a_new_version_and_the_old_one_verifies_as_superseded(
    client, district, order_plan, parent, course
):
    complete(order_plan, parent, course)
    first = services.issue_report(order_plan, by=district)
    second = services.issue_report(order_plan, by=district, correction_reason="更正指导师评估")
    first.refresh_from_db()
    assert second.version == 2 and second.code != first.code
    assert first.superseded_by == second and not first.is_current and second.is_current
    assert file_bytes(first) and services.check_file(first)
    old_page = client.get(reverse("guidance:report_verify", args=[first.code])).content.decode()
    assert "已被取代" in old_page or "superseded" in old_page.lower()
    assert first.sha256 in old_page


def test_the_signature_verifies_offline_and_fails_after_any_byte_changes(client, district, order_plan, parent, course):
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    pdf = file_bytes(report)
    pem = client.get(reverse("guidance:public_key")).content
    key = load_pem_public_key(pem)
    signature = bytes.fromhex(report.signature)
    key.verify(signature, pdf)  # raises if it does not verify
    positions = sorted({0, 1, len(pdf) // 3, len(pdf) // 2, len(pdf) - 2, len(pdf) - 1})
    for position in positions:
        changed = bytearray(pdf)
        changed[position] ^= 0x01
        assert not signing.verify(bytes(changed), signature, key)
    assert not signing.verify(pdf + b"\n", signature, key)
    assert not signing.verify(pdf[:-1], signature, key)


def test_a_report_signed_with_another_key_fails(settings, district, order_plan, parent, course):
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    published = signing.public_key()
    settings.GUIDANCE_SIGNING_KEY = signing.new_key_hex()
    data = file_bytes(report)
    forged = signing.sign(data)
    assert not signing.verify(data, forged, published)


def test_the_verify_page_shows_no_names(client, district, order_plan, parent, course):
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    page = client.get(reverse("guidance:report_verify", args=[report.code.lower()]), follow=True).content.decode()
    assert order_plan.order.order_number in page and report.sha256 in page
    for name in ("赵家长", "王老师", "徐汇区人民法院", PHONE[-4:], "学习家庭教育课程"):
        assert name not in page
    assert client.get(reverse("guidance:report_verify", args=["ZZZZZZZZZZZZ"])).status_code == 404


def test_who_downloads_a_report_and_its_signature(client, district, worker, order_plan, parent, course, liaison):
    from tests.factories.guidance import court

    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    other_court_liaison = court_liaison(court("上海市第一中级人民法院"))
    for user, status in ((district, 200), (worker, 200), (liaison, 200), (other_court_liaison, 404), (parent, 404)):
        client.logout()
        sign_in_fully(client, user)
        for name in ("guidance:report_download", "guidance:report_signature"):
            assert client.get(reverse(name, args=[report.code])).status_code == status, (user, name)
    client.logout()
    sign_in_fully(client, liaison)
    response = client.get(reverse("guidance:report_download", args=[report.code]))
    downloaded = b"".join(response.streaming_content)
    assert downloaded == file_bytes(report)
    signature = client.get(reverse("guidance:report_signature", args=[report.code])).content
    assert signing.verify(downloaded, signature)


def test_production_refuses_to_start_without_a_signing_key(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1/db")
    monkeypatch.setenv("SMS_BACKEND", "accounts.sms.HTTPGatewaySMSBackend")
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    monkeypatch.setenv("BACKUP_PASSPHRASE", "x" * 32)
    monkeypatch.setenv("SCHOOLS_ENCRYPTION_KEYS", "aHVpYWktZGV2LW9ubHkta2V5LW5vdC1hLXNlY3JldCE=")
    monkeypatch.delenv("GUIDANCE_SIGNING_KEY", raising=False)
    for name in ("huiai.settings.production", "huiai.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with pytest.raises(ImproperlyConfigured, match="GUIDANCE_SIGNING_KEY"):
        importlib.import_module("huiai.settings.production")

    monkeypatch.setenv("GUIDANCE_SIGNING_KEY", signing.new_key_hex())
    for name in ("huiai.settings.production", "huiai.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert importlib.import_module("huiai.settings.production").GUIDANCE_SIGNING_KEY


def test_issuing_a_report_reads_the_session_notes_through_the_audited_read(district, order_plan, parent, course):
    """Every session note decrypted for the report is in the audit log, as a station's own read is."""
    from schools.models import AuditLog
    from workstations.models import Booking

    complete(order_plan, parent, course)
    second = booking(parent, when=timezone.now() - datetime.timedelta(hours=6))
    SessionRecord.objects.create(booking=second, notes="第二次指导。")
    missed = booking(parent, status=Booking.Status.NO_SHOW, when=timezone.now() - datetime.timedelta(hours=9))
    before = AuditLog.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    report = services.issue_report(order_plan, by=district)
    reads = AuditLog.objects.filter(action=AuditLog.Action.VIEW_SESSION_RECORD, pk__gt=before)
    assert sorted(entry.detail["booking"] for entry in reads) == sorted(
        SessionRecord.objects.filter(booking__parent=parent).values_list("booking_id", flat=True)
    )
    assert missed.pk not in [entry.detail["booking"] for entry in reads]  # no record, nothing read
    assert {entry.actor for entry in reads} == {district}
    assert {entry.detail.get("purpose") for entry in reads} == {
        f"completion_report:{order_plan.reference}:v{report.version}"
    }


def test_only_district_staff_read_session_notes_for_a_report(worker, order_plan, parent):
    from workstations import appointments

    attended = booking(parent)
    SessionRecord.objects.create(booking=attended, notes="记录")
    with pytest.raises(appointments.AppointmentError):
        appointments.read_session_records(bookings=[attended], by=worker, purpose="completion_report")


def _upload(client, data: bytes, name: str = "report.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(reverse("guidance:report_verify_search"), {"document": upload})


def test_the_verify_page_checks_an_uploaded_pdf_against_the_issued_reports(
    client, district, order_plan, parent, course
):
    complete(order_plan, parent, course)
    first = services.issue_report(order_plan, by=district)
    second = services.issue_report(order_plan, by=district, correction_reason="更正")
    genuine = _upload(client, file_bytes(second))
    page = genuine.content.decode()
    assert genuine.status_code == 200
    assert "真实" in page and second.sha256 in page and "有效" in page
    assert order_plan.order.order_number in page
    for name in ("赵家长", "王老师", "徐汇区人民法院", PHONE[-4:]):
        assert name not in page
    old = _upload(client, file_bytes(first)).content.decode()
    assert first.sha256 in old and "已被取代" in old
    changed = bytearray(file_bytes(second))
    changed[len(changed) // 2] ^= 0x01
    forged = _upload(client, bytes(changed)).content.decode()
    assert "不是本系统签发的文件" in forged and second.sha256 not in forged
    assert hashlib.sha256(bytes(changed)).hexdigest() in forged  # the uploaded file's own fingerprint
    not_pdf = _upload(client, "这不是PDF".encode() * 10, name="notes.txt").content.decode()
    assert "不是 PDF 文件" in not_pdf and "不是本系统签发的文件" in not_pdf


def test_an_uploaded_file_over_the_size_limit_is_refused_unread(client, settings, district, order_plan, parent, course):
    settings.GUIDANCE_VERIFY_MAX_BYTES = 1000
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    page = _upload(client, file_bytes(report)).content.decode()
    assert report.sha256 not in page and "文件过大" in page


@pytest.mark.parametrize("run", [1, 2])
def test_reports_are_written_where_the_setting_says_in_every_test(
    report_root, district, order_plan, parent, course, run
):
    """The storage follows GUIDANCE_REPORT_ROOT when it changes (tests write outside the project)."""
    complete(order_plan, parent, course)
    report = services.issue_report(order_plan, by=district)
    assert report.pdf.path.startswith(str(report_root))
