"""Every upload the site accepts is checked by a real parser (core/uploads/), and bodies are capped.

The PDF corpus (tests/security/pdf_attacks.py) goes through the shared check, through Wagtail's
document upload (handouts parents download) and the question-bank import; request bodies above
the limit get a 413 page before anything reads them.
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model

import pikepdf
import pytest
from PIL import Image

from accounts.roles import Role
from core.uploads import clean_document, clean_pdf
from tests.factories.accounts import UserFactory, sign_in_fully

from .pdf_attacks import ATTACKS, CHINESE_TEXT, CLEAN, javascript_in_object_stream

ACTIVE_PDF = (
    "This PDF contains scripts, actions, forms or embedded files, which we do not accept. "
    "Please print it to a plain PDF and attach that."
)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_every_attack_in_the_corpus_is_refused(name):
    data = ATTACKS[name]()

    with pytest.raises(ValidationError) as refused:
        clean_document(data, "pdf")

    assert refused.value.code in {"pdf_active", "pdf_damaged", "pdf_password", "file_mismatch"}


def test_the_object_stream_attack_hides_its_name_from_a_byte_scan():
    """The walk over qpdf's objects finds what no regex over the raw bytes can see."""
    data = javascript_in_object_stream()
    assert b"JavaScript" not in data

    with pytest.raises(ValidationError) as refused:
        clean_pdf(data)
    assert refused.value.code == "pdf_active"


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_pdfs_pass_and_are_stored_as_qpdf_rewrote_them(name):
    stored = clean_pdf(CLEAN[name]())

    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert len(pdf.pages) == 1
        assert not pdf.is_encrypted
        assert "/Info" not in pdf.trailer  # author names are not kept


def test_a_clean_chinese_pdf_keeps_its_text_and_loses_its_author():
    stored = clean_pdf(CLEAN["chinese-text"]())

    assert "张三".encode("utf-16-be") not in stored and b"Secret Author" not in stored
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        shown = [bytes(op.operands[0]) for op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op.operator) == "Tj"]
    assert CHINESE_TEXT.encode("utf-16-be") in shown


# --- Wagtail documents: handouts reach parents --------------------------------------------------


@pytest.fixture
def editor_client(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory(is_superuser=True, is_staff=True, role=Role.EDITOR)
    sign_in_fully(client, user)
    return client


def _add_document(client, data: bytes, name: str):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("wagtaildocs:add"), {"title": "讲义", "file": upload, "collection": 1})


@pytest.mark.parametrize("name", ["openaction-javascript", "hex-javascript", "incremental-update", "embedded-file"])
def test_a_handout_pdf_with_active_content_is_refused_by_the_document_upload(editor_client, name):
    response = _add_document(editor_client, ATTACKS[name](), "handout.pdf")

    assert response.status_code == 200
    assert _(ACTIVE_PDF) in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_clean_handout_pdf_is_stored_rewritten(editor_client):
    response = _add_document(editor_client, CLEAN["chinese-text"](), "handout.pdf")

    assert response.status_code == 302
    document = get_document_model().objects.get()
    with document.file.open("rb") as file:
        stored = file.read()
    assert stored.startswith(b"%PDF-") and b"Secret Author" not in stored


def test_the_multiple_upload_refuses_an_active_pdf_too(editor_client):
    upload = SimpleUploadedFile("handout.pdf", ATTACKS["launch"](), content_type="application/pdf")
    response = editor_client.post(reverse("wagtaildocs:add_multiple"), {"files[]": upload, "collection": 1})

    assert response.json()["success"] is False
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (CLEAN["chinese-text"](), "lesson.docx"),  # a PDF in disguise
        (b"<html><script>alert(1)</script></html>", "lesson.mp4"),
        (b"<html><script>alert(1)</script></html>", "song.mp3"),
        (b"PK\x03\x04 not really a zip", "sheet.xlsx"),
        (b"\x00\x01binary", "notes.txt"),
    ],
)
def test_a_document_whose_content_does_not_match_its_extension_is_refused(editor_client, data, name):
    response = _add_document(editor_client, data, name)

    assert response.status_code == 200
    assert not get_document_model().objects.exists()


def test_a_real_text_handout_is_accepted(editor_client):
    response = _add_document(editor_client, "家长须知：请按时参加家长会。\n".encode(), "notes.txt")

    assert response.status_code == 302


# --- Lesson audio and video (wagtailmedia) ----------------------------------------------------------

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _add_media(client, data: bytes, name: str, **extra):
    upload = SimpleUploadedFile(name, data, content_type="video/mp4")
    fields = {"title": "课程视频", "file": upload, "collection": 1, "duration": 10, **extra}
    return client.post("/admin/media/video/add/", fields)


def test_a_lesson_video_that_is_really_a_web_page_is_refused(editor_client):
    from wagtailmedia.models import get_media_model

    response = _add_media(editor_client, b"<html><script>alert(1)</script></html>", "lesson.mp4")

    assert response.status_code == 200
    assert not get_media_model().objects.exists()


def test_a_real_mp4_is_accepted_and_a_gif_thumbnail_is_not(editor_client):
    from wagtailmedia.models import get_media_model

    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, format="GIF")
    refused = _add_media(editor_client, MP4_HEAD, "lesson.mp4", thumbnail=SimpleUploadedFile("t.gif", gif.getvalue()))
    assert refused.status_code == 200 and not get_media_model().objects.exists()

    accepted = _add_media(editor_client, MP4_HEAD, "lesson.mp4")
    assert accepted.status_code == 302
    assert get_media_model().objects.count() == 1


# --- Question bank spreadsheet -------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_a_zip_bomb_named_xlsx_is_refused_before_openpyxl_reads_it(client, db):
    sign_in_fully(client, UserFactory(role=Role.TEACHER))
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": b"\0" * (120 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024

    response = client.post("/admin/courses/questions/import/", {"file": SimpleUploadedFile("bank.xlsx", bomb)})

    assert response.status_code == 200
    assert _("This file unpacks to more than %(limit)s MB, which we do not accept.") % {"limit": 100} in (
        response.content.decode()
    )


# --- Request bodies -------------------------------------------------------------------------------


def test_a_body_above_the_limit_gets_a_413_page_before_any_view(client, settings, db):
    settings.REQUEST_BODY_MAX_BYTES = 1000

    response = client.post(
        reverse("schools:anonymous_report"), {"narrative": "x" * 2000}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 413
    assert "文件太大" in response.content.decode()


def test_a_body_under_the_limit_reaches_the_view(client, settings, db):
    settings.REQUEST_BODY_MAX_BYTES = 100_000

    response = client.post(reverse("schools:anonymous_report"), {"narrative": "x" * 2000})

    assert response.status_code != 413


def test_the_media_admin_paths_take_lesson_videos(client, settings, db):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    settings.REQUEST_BODY_MAX_BYTES_MEDIA = 100_000

    assert client.post("/admin/media/video/add/", {"title": "x" * 2000}).status_code != 413
    assert client.post("/admin/documents/add/", {"title": "x" * 2000}).status_code == 413


def test_the_default_limits_are_set_in_the_app():
    from django.conf import settings

    assert settings.REQUEST_BODY_MAX_BYTES == 25 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    order = settings.MIDDLEWARE
    limit = order.index("core.middleware.RequestBodyLimitMiddleware")
    assert limit < order.index("django.contrib.sessions.middleware.SessionMiddleware")


def test_documents_stored_before_the_checks_are_listed(db, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.management import CommandError, call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    Document = get_document_model()
    for title, name, data in [
        ("讲义", "handout.pdf", CLEAN["chinese-text"]()),
        ("带脚本的讲义", "active.pdf", ATTACKS["openaction-javascript"]()),
    ]:
        document = Document(title=title)
        document.file.save(name, ContentFile(data), save=False)
        document.save()
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 stored files"):
        call_command("check_uploaded_documents", stdout=out)

    assert "带脚本的讲义" in out.getvalue() and "“讲义”" not in out.getvalue()
