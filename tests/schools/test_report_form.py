"""The school officer's report form: drafts, what is missing, submit, idempotency, attachments."""

from __future__ import annotations

import io
import uuid

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

import pytest
from PIL import Image

from schools.models import Attachment, AuditLog, BullyingReport, State
from tests.factories.accounts import sign_in_fully
from tests.factories.schools import BullyingReportFactory

from .helpers import jpeg_with_gps, pdf, png, png_claiming, report_form_data, upload

pytestmark = pytest.mark.django_db
NEW = reverse("schools:report_new")
# The refusals of schools.attachments, as msgids: the tests compare their translation.
NOT_A_PICTURE = (
    "This file is not a photo, screenshot or PDF we can read. Please attach a JPEG, PNG or WebP picture or a PDF."
)
ACTIVE_PDF = (
    "This PDF contains scripts, actions, forms or embedded files, which we do not accept. "
    "Please print it to a plain PDF and attach that."
)
DAMAGED_PDF = "This PDF file seems damaged or incomplete. Please save it again and retry."
TOO_MANY_PIXELS = "This picture has too many pixels (more than %(megapixels)s million). Please send a smaller picture."


@pytest.fixture
def officer_client(client, officer_a):
    sign_in_fully(client, officer_a)
    return client


def test_the_form_shows_every_part_of_the_report(officer_client):
    response = officer_client.get(NEW)

    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "incident_date",
        "place",
        "bullying_types",
        "narrative",
        "frequency",
        "injury",
        "severity",
        "police_informed",
        "guardians_notified",
        "immediate_measures",
        "students-0-role",
        "attachment",
    ):
        assert f'name="{name}' in html
    assert "<fieldset" in html and "<legend" in html


def test_an_empty_draft_can_be_saved_and_lists_what_is_missing(officer_client, school_a):
    data = report_form_data(school_a, students=[], narrative="", place=None, bullying_types=None)

    response = officer_client.post(NEW, data, follow=True)

    report = BullyingReport.objects.get()
    assert report.state == State.DRAFT and report.case_number is None
    html = response.content.decode()
    assert _("Still missing before you can submit") in html
    assert _("What happened") in html and _("Where it happened") in html


def test_saving_a_draft_twice_from_a_new_form_keeps_one_draft(officer_client, school_a):
    data = report_form_data(school_a, draft_token=str(uuid.uuid4()))

    officer_client.post(NEW, data)
    officer_client.post(NEW, data)

    assert BullyingReport.objects.count() == 1
    assert BullyingReport.objects.get().students.count() == 1


def test_submit_gives_a_case_number(officer_client, school_a):
    response = officer_client.post(NEW, report_form_data(school_a, action="submit"), follow=True)

    report = BullyingReport.objects.get()
    assert report.state == State.SUBMITTED
    assert report.case_number.startswith("XH-")
    assert report.case_number in response.content.decode()
    assert report.students.get().grade == "五年级"


def test_a_double_clicked_submit_creates_one_case(officer_client, school_a):
    data = report_form_data(school_a, action="submit", draft_token=str(uuid.uuid4()))

    first = officer_client.post(NEW, data)
    second = officer_client.post(NEW, data)

    assert BullyingReport.objects.count() == 1
    report = BullyingReport.objects.get()
    assert first["Location"] == second["Location"] == reverse("schools:case_detail", args=[report.pk])
    assert report.events.filter(to_state=State.SUBMITTED).count() == 1


def test_submitting_an_already_submitted_draft_again_changes_nothing(officer_client, school_a):
    draft = BullyingReportFactory(school=school_a)
    edit = reverse("schools:report_edit", args=[draft.pk])
    officer_client.post(edit, report_form_data(school_a, action="submit"))
    number = BullyingReport.objects.get().case_number

    response = officer_client.post(edit, report_form_data(school_a, action="submit", narrative="改写"))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.case_number == number and draft.narrative != "改写"


def test_an_incomplete_submit_keeps_the_draft_and_shows_what_is_missing(officer_client, school_a):
    response = officer_client.post(NEW, report_form_data(school_a, action="submit", narrative="", students=[]))

    assert response.status_code == 400
    report = BullyingReport.objects.get()
    assert report.state == State.DRAFT
    html = response.content.decode()
    assert _("What happened") in html and _("At least one student involved") in html


def test_a_mandatory_report_cannot_be_submitted_without_the_police_answer(officer_client, school_a):
    data = report_form_data(school_a, action="submit", severity="severe", police_informed=None)

    response = officer_client.post(NEW, data)

    assert response.status_code == 400
    assert escape(_("Whether the police were informed (required for a mandatory report)")) in response.content.decode()
    assert BullyingReport.objects.get().state == State.DRAFT


def test_a_future_incident_date_is_refused_and_nothing_is_saved(officer_client, school_a):
    response = officer_client.post(NEW, report_form_data(school_a, incident_date="2999-01-01"))

    assert response.status_code == 400
    assert escape(_("The date of the incident cannot be in the future.")) in response.content.decode()
    assert 'aria-describedby="id_incident_date_error"' in response.content.decode()
    assert not BullyingReport.objects.exists()


def test_a_student_row_without_grade_is_refused_with_a_message(officer_client, school_a):
    response = officer_client.post(NEW, report_form_data(school_a, students=[{"role": "target", "grade": ""}]))

    assert response.status_code == 400
    assert not BullyingReport.objects.exists()


def test_the_form_cannot_switch_the_mandatory_flag_off(officer_client, school_a):
    data = report_form_data(school_a, severity="severe", is_mandatory_report="False", police_informed="False")

    officer_client.post(NEW, data)

    assert BullyingReport.objects.get().is_mandatory_report is True


def test_an_officer_cannot_file_for_another_school(officer_client, school_b):
    response = officer_client.post(NEW, report_form_data(school_b))

    assert response.status_code == 400
    assert not BullyingReport.objects.exists()


def test_drafts_are_audited(officer_client, school_a):
    officer_client.post(NEW, report_form_data(school_a))
    report = BullyingReport.objects.get()
    officer_client.get(reverse("schools:report_edit", args=[report.pk]))

    actions = list(AuditLog.objects.filter(report=report).order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "view_case"]


# --- Attachments -------------------------------------------------------------------------------


def _post_file(client, school, file):
    return client.post(NEW, {**report_form_data(school), "attachment": file})


def test_a_photo_is_re_encoded_without_exif_or_gps(officer_client, school_a):
    response = _post_file(officer_client, school_a, upload(jpeg_with_gps()))

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    stored = attachment.file.read()
    assert attachment.content_type == "image/jpeg"
    assert b"SecretCameraMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.size == (64, 48)


def test_a_png_screenshot_is_kept_as_png(officer_client, school_a):
    _post_file(officer_client, school_a, upload(png(), "screen.png", "image/png"))

    assert Attachment.objects.get().content_type == "image/png"


def test_a_pdf_is_accepted_by_its_content(officer_client, school_a):
    _post_file(officer_client, school_a, upload(pdf(), "letter.txt", "text/plain"))

    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read().startswith(b"%PDF-")


def test_the_stored_file_name_never_reuses_the_uploaded_name(officer_client, school_a):
    _post_file(officer_client, school_a, upload(png(), "小明-家庭住址.png", "image/png"))

    assert "小明" not in Attachment.objects.get().file.name


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", NOT_A_PICTURE),
        (b"MZ\x90\x00 this is a program", "photo.png", NOT_A_PICTURE),
        (pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "form.pdf", ACTIVE_PDF),
        (b"%PDF-1.4 truncated", "cut.pdf", DAMAGED_PDF),
        (png_claiming(50_000, 50_000), "bomb.png", TOO_MANY_PIXELS),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_saved(
    officer_client, school_a, settings, content, name, message
):
    response = _post_file(officer_client, school_a, upload(content, name))

    assert response.status_code == 400
    # Only the pixel message has a placeholder; a mapping with unused keys leaves the others as they are.
    expected = _(message) % {"megapixels": settings.SCHOOLS_ATTACHMENT_MAX_PIXELS // 1_000_000}
    assert escape(expected) in response.content.decode()
    assert not BullyingReport.objects.exists()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(officer_client, school_a, settings):
    settings.SCHOOLS_ATTACHMENT_MAX_BYTES = 1024

    big = upload(png((300, 300), "RGBA") + b"\0" * 2048, "big.png")
    response = _post_file(officer_client, school_a, big)

    assert response.status_code == 400
    expected = _("This file is too large (%(size)s MB). Files can be at most %(limit)s MB.") % {
        "size": round(big.size / 1024 / 1024, 1),
        "limit": settings.SCHOOLS_ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }
    assert escape(expected) in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_picture_above_the_pixel_limit_is_refused(officer_client, school_a, settings):
    settings.SCHOOLS_ATTACHMENT_MAX_PIXELS = 1000

    response = _post_file(officer_client, school_a, upload(png((100, 100))))

    assert response.status_code == 400
    expected = _(TOO_MANY_PIXELS) % {"megapixels": settings.SCHOOLS_ATTACHMENT_MAX_PIXELS // 1_000_000}
    assert escape(expected) in response.content.decode()


def test_a_polyglot_image_loses_what_was_appended(officer_client, school_a):
    _post_file(officer_client, school_a, upload(jpeg_with_gps() + b"<script>alert('x')</script>"))

    assert b"<script>" not in Attachment.objects.get().file.read()


def test_attachments_are_stored_outside_the_public_media_folder(officer_client, school_a, attachment_root, settings):
    _post_file(officer_client, school_a, upload(png(), "a.png"))

    path = Attachment.objects.get().file.path
    assert path.startswith(str(attachment_root))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_the_form_offers_an_empty_student_row_template_for_adding_students(officer_client):
    html = officer_client.get(NEW).content.decode()

    assert 'id="student-row-template"' in html
    assert 'name="students-__prefix__-role"' in html


def test_several_students_are_saved_from_one_post(officer_client, school_a):
    students = [
        {"role": "target", "grade": "五年级", "class_name": "3班"},
        {"role": "initiator", "grade": "六年级", "class_name": "1班"},
        {"role": "witness", "grade": "五年级", "class_name": "3班", "name": "小李"},
    ]

    officer_client.post(NEW, report_form_data(school_a, students=students))

    saved = BullyingReport.objects.get().students.order_by("pk")
    assert [(s.role, s.name) for s in saved] == [("target", ""), ("initiator", ""), ("witness", "小李")]
