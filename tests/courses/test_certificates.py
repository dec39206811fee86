"""Certificates: the PDF (Chinese text really rendered, QR code decoded), verification, re-issue."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone

import pytest

from accounts.roles import Role
from courses import certificates, services
from courses.models import Certificate, Enrolment, NameCorrection
from tests.conftest import skip_or_fail, which
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import course_with_lessons


@pytest.fixture(autouse=True)
def certificate_root(settings, tmp_path):
    settings.CERTIFICATE_ROOT = tmp_path / "certificates"
    settings.SITE_URL = "https://huiai.example.cn"


@pytest.fixture
def completed(db, catalogue):
    parent = UserFactory(role=Role.PARENT, name="王小明妈妈")
    course = course_with_lessons(1, title="防范校园欺凌：家长必读", estimated_minutes=90)
    enrolment = services.enrol(parent, course)
    enrolment.completed_at = timezone.now()
    enrolment.save()
    return enrolment


def pdf_text(data: bytes, tmp_path) -> str:
    pdftotext = which("pdftotext")
    if pdftotext is None:
        skip_or_fail("pdftotext is missing (apt-get install poppler-utils)")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    return subprocess.run([pdftotext, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def decode_qr(data: bytes, tmp_path) -> list[str]:
    pdftoppm = which("pdftoppm")
    if pdftoppm is None:
        skip_or_fail("pdftoppm is missing (apt-get install poppler-utils)")
    try:
        from pyzbar.pyzbar import decode
    except (ImportError, OSError) as error:  # pyzbar needs libzbar0
        skip_or_fail(f"QR decoding needs pyzbar and libzbar0 ({error})")
    from PIL import Image

    (tmp_path / "c.pdf").write_bytes(data)
    subprocess.run([pdftoppm, "-png", "-r", "150", str(tmp_path / "c.pdf"), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    return [symbol.data.decode() for symbol in decode(image)]


def test_completion_builds_the_certificate_through_celery(parent, course, django_capture_on_commit_callbacks):
    services.enrol(parent, course)
    for item in course.lessons():
        progress = services.open_lesson(parent, item)
        progress.first_opened_at = timezone.now() - timedelta(minutes=5)
        progress.save()
    with django_capture_on_commit_callbacks(execute=True):
        for item in course.lessons():
            services.mark_text_lesson_done(parent, item)
    certificate = Certificate.objects.get(parent=parent, course=course)
    assert certificate.is_valid and certificate.pdf


def test_the_pdf_really_renders_chinese_text_and_the_verify_url(completed, tmp_path):
    certificate = certificates.issue_certificate(completed)
    text = pdf_text(certificate.pdf.read(), tmp_path)
    assert "王小明妈妈" in text
    assert "防范校园欺凌：家长必读" in text
    assert certificate.code in text
    assert f"https://huiai.example.cn/certificates/verify/{certificate.code}/" in text
    assert "学时：90 分钟" in text


def test_the_study_time_is_the_length_the_course_page_states(completed, client, tmp_path):
    """A 35-minute course is 35 minutes on its page and on its certificate (no rounding to half hours)."""
    course = completed.course
    course.estimated_minutes = 35
    course.save_revision().publish()
    certificate = certificates.issue_certificate(completed)
    assert certificate.minutes == 35
    assert "学时：35 分钟" in pdf_text(certificate.pdf.read(), tmp_path)
    assert "35 分钟" in client.get(course.url).content.decode()
    assert "35 分钟" in client.get(f"/certificates/verify/{certificate.code}/").content.decode()


def seal_image(colour=(200, 30, 30)):
    """A Wagtail image of a round red seal on a transparent background."""
    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    from PIL import Image, ImageDraw

    drawing = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(drawing).ellipse((10, 10, 190, 190), outline=colour + (255,), width=12)
    buffer = io.BytesIO()
    drawing.save(buffer, format="PNG")
    return get_image_model().objects.create(title="公章", file=ImageFile(buffer, name="seal.png"))


def embedded_images(data: bytes) -> list[tuple[int, int]]:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [(int(image.Width), int(image.Height)) for page in pdf.pages for image in page.get_images().values()]


def test_the_issuer_and_its_seal_come_from_the_site_settings(completed, tmp_path):
    from wagtail.models import Site

    from home.models import SiteContactSettings

    setting = SiteContactSettings.for_site(Site.objects.get(is_default_site=True))
    setting.certificate_issuer = "示范区教育局"
    setting.certificate_seal = seal_image()
    setting.save()
    certificate = certificates.issue_certificate(completed)
    assert certificate.issuer == "示范区教育局"
    data = certificate.pdf.read()
    assert "颁发单位：示范区教育局" in pdf_text(data, tmp_path)
    assert (200, 200) in embedded_images(data)  # the seal, beside the QR code


def test_without_an_issuer_the_contact_organisation_signs_and_no_seal_is_drawn(completed, tmp_path):
    from wagtail.models import Site

    from home.models import SiteContactSettings

    setting = SiteContactSettings.for_site(Site.objects.get(is_default_site=True))
    setting.organisation = "示范区家庭教育指导中心"
    setting.save()
    certificate = certificates.issue_certificate(completed)
    data = certificate.pdf.read()
    assert "颁发单位：示范区家庭教育指导中心" in pdf_text(data, tmp_path)
    assert len(embedded_images(data)) == 1  # the QR code only


def test_the_qr_code_opens_the_verify_page(completed, tmp_path):
    certificate = certificates.issue_certificate(completed)
    assert decode_qr(certificate.pdf.read(), tmp_path) == [
        f"https://huiai.example.cn/certificates/verify/{certificate.code}/"
    ]


def test_issuing_is_idempotent_and_the_stored_pdf_never_changes(completed):
    first = certificates.issue_certificate(completed)
    data = first.pdf.read()
    again = certificates.issue_certificate(completed)
    assert again.pk == first.pk
    again.pdf.open("rb")
    assert again.pdf.read() == data
    assert Certificate.objects.filter(enrolment=completed).count() == 1


def test_an_unfinished_course_has_no_certificate(db, catalogue, parent):
    enrolment = services.enrol(parent, course_with_lessons(1))
    with pytest.raises(certificates.CertificateError):
        certificates.issue_certificate(enrolment)


@pytest.fixture
def unregistered_font():
    """ReportLab forgets the certificate font for the test (it registers it once per process),
    so the test's CERTIFICATE_FONT_PATH is the one looked up; restored afterwards."""
    from reportlab.pdfbase import pdfmetrics

    registered = pdfmetrics._fonts.pop(certificates.FONT_NAME, None)
    yield
    pdfmetrics._fonts.pop(certificates.FONT_NAME, None)
    if registered is not None:
        pdfmetrics._fonts[certificates.FONT_NAME] = registered


def embedded_font_names(pdf: bytes) -> set[str]:
    """The BaseFont names of the fonts a PDF embeds (ReportLab writes the subset's face name)."""
    import re

    return set(re.findall(rb"/BaseFont /([^\s/]+)", pdf))


def test_a_missing_font_is_a_clear_error(completed, settings, tmp_path, monkeypatch, unregistered_font):
    """Only when neither the configured nor the embedded font exists (a broken checkout)."""
    import core.fonts

    settings.CERTIFICATE_FONT_PATH = str(tmp_path / "missing.ttc")
    monkeypatch.setattr(core.fonts, "EMBEDDED_FONT", tmp_path / "missing-too.ttf")
    with pytest.raises(ImproperlyConfigured, match="fonts-wqy-microhei"):
        certificates.issue_certificate(completed)


def test_the_embedded_font_has_the_glyphs_of_rare_name_characters():
    """core/fonts ships all the CJK Unified Ideographs WenQuanYi Micro Hei draws, not only GB2312's."""
    from reportlab.pdfbase.ttfonts import TTFont

    from core.fonts import EMBEDDED_FONT

    mapped = TTFont("EmbeddedCheck", str(EMBEDDED_FONT)).face.charToGlyph
    # GB2312 hanzi, then rarer ones outside GB2312 seen in names (堃 喆 昇 犇 淼 珺 玥 垚),
    # CJK and full-width punctuation, ASCII
    for char in "王小明妈妈防范校园欺凌家长必读" + "堃喆昇犇淼珺玥垚" + "：，。（）《》·" + "Aa09-":
        assert mapped.get(ord(char), 0) != 0, f"{char} (U+{ord(char):04X}) has no glyph"
    assert sum(1 for code in mapped if 0x4E00 <= code <= 0x9FFF) > 20_000
    assert EMBEDDED_FONT.stat().st_size < 6 * 1024 * 1024


def test_without_a_system_font_the_embedded_one_renders_a_rare_name(completed, settings, tmp_path, unregistered_font):
    settings.CERTIFICATE_FONT_PATH = str(tmp_path / "not-installed.ttc")  # set, but absent
    completed.parent.name = "李堃喆"
    completed.parent.save()
    from core.fonts import EMBEDDED_FONT, chinese_font_path

    assert chinese_font_path() == EMBEDDED_FONT
    certificate = certificates.issue_certificate(completed)
    data = certificate.pdf.read()
    assert any(name.endswith(b"+WenQuanYiMicroHei") for name in embedded_font_names(data))
    text = pdf_text(data, tmp_path)
    assert "李堃喆" in text
    assert "防范校园欺凌：家长必读" in text


def test_a_configured_system_font_is_used_when_present(completed, settings, tmp_path, unregistered_font):
    system_font = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    if not os.path.isfile(system_font):
        skip_or_fail(f"the system font is not installed at {system_font} (apt-get install fonts-wqy-microhei)")
    settings.CERTIFICATE_FONT_PATH = system_font
    from core.fonts import chinese_font_path

    assert str(chinese_font_path()) == system_font
    certificate = certificates.issue_certificate(completed)
    assert "王小明妈妈" in pdf_text(certificate.pdf.read(), tmp_path)


def test_the_verify_page_shows_only_name_course_and_date(completed, client):
    certificate = certificates.issue_certificate(completed)
    html = client.get(f"/certificates/verify/{certificate.code}/").content.decode()
    assert "certificate-verify__result--valid" in html
    assert "王小明妈妈" in html and "防范校园欺凌：家长必读" in html
    assert certificate.completed_on.isoformat() in html
    assert completed.parent.phone not in html and completed.parent.email not in html


def test_the_verify_page_accepts_a_typed_code_and_says_when_it_is_unknown(completed, client):
    certificate = certificates.issue_certificate(completed)
    response = client.get("/certificates/verify/", {"code": certificate.code.lower()})
    assert response.status_code == 302 and response["Location"].endswith(f"/verify/{certificate.code}/")
    assert client.get("/certificates/verify/NOSUCHCODE23/").status_code == 404


def test_only_the_parent_downloads_the_pdf(completed, client):
    certificate = certificates.issue_certificate(completed)
    url = f"/certificates/{certificate.code}/download/"
    sign_in_fully(client, UserFactory(role=Role.PARENT))
    assert client.get(url).status_code == 404
    sign_in_fully(client, completed.parent)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_my_courses_offers_the_certificate_download(completed, client, catalogue):
    certificate = certificates.issue_certificate(completed)
    sign_in_fully(client, completed.parent)
    html = client.get(catalogue.url + "mine/").content.decode()
    assert f"/certificates/{certificate.code}/download/" in html


def test_an_approved_name_correction_reissues_and_revokes_the_old_certificate(completed, client, tmp_path):
    old = certificates.issue_certificate(completed)
    old_pdf = old.pdf.read()
    correction = certificates.request_name_correction(completed.parent, old, "王晓明妈妈", "错别字")
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    new = certificates.decide_name_correction(correction, approve=True, decided_by=staff)
    old.refresh_from_db()
    assert not old.is_valid and old.replaced_by == new
    assert new.version == 2 and new.code != old.code and new.name == "王晓明妈妈"
    old.pdf.open("rb")
    assert old.pdf.read() == old_pdf
    assert "王晓明妈妈" in pdf_text(new.pdf.read(), tmp_path)
    assert "certificate-verify__result--revoked" in client.get(f"/certificates/verify/{old.code}/").content.decode()
    assert "certificate-verify__result--valid" in client.get(f"/certificates/verify/{new.code}/").content.decode()
    assert NameCorrection.objects.get(pk=correction.pk).status == NameCorrection.Status.APPROVED


def test_only_district_staff_decide_name_corrections(completed):
    certificate = certificates.issue_certificate(completed)
    correction = certificates.request_name_correction(completed.parent, certificate, "新名字")
    with pytest.raises(PermissionDenied):
        certificates.decide_name_correction(correction, approve=True, decided_by=UserFactory(role=Role.TEACHER))


def test_a_rejected_correction_keeps_the_certificate(completed):
    certificate = certificates.issue_certificate(completed)
    correction = certificates.request_name_correction(completed.parent, certificate, "新名字")
    certificates.decide_name_correction(correction, approve=False, decided_by=UserFactory(role=Role.DISTRICT_STAFF))
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert Certificate.objects.filter(enrolment=completed).count() == 1


def test_a_parent_requests_a_correction_from_my_courses(completed, client, catalogue):
    certificate = certificates.issue_certificate(completed)
    sign_in_fully(client, completed.parent)
    client.post(f"/certificates/{certificate.code}/name-correction/", {"requested_name": "王晓明", "reason": "错字"})
    assert NameCorrection.objects.get(certificate=certificate).requested_name == "王晓明"


def test_the_district_approves_a_correction_in_the_admin(completed, client):
    certificate = certificates.issue_certificate(completed)
    correction = certificates.request_name_correction(completed.parent, certificate, "王晓明")
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    sign_in_fully(client, staff)
    response = client.post(f"/admin/course_name_corrections/edit/{correction.pk}/", {"status": "approved"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Certificate.objects.get(enrolment=completed, revoked_at__isnull=True).name == "王晓明"


def test_building_a_certificate_is_fast_enough(completed):
    import time

    started = time.perf_counter()
    certificates.issue_certificate(completed)
    assert time.perf_counter() - started < 5
    assert Enrolment.objects.get(pk=completed.pk).certificates.count() == 1


def test_codes_avoid_ambiguous_characters():
    code = certificates.new_code()
    assert len(code) == 12 and not set(code) & set("0O1I")
    assert certificates.normalise_code(" ab-cd ef ") == "ABCDEF"
