"""Attachments: fresh image encodes, refused formats, memory bounded per upload, encryption at rest.

Stored bytes are read back decrypted (``Attachment.file``, through the storage) and raw from
disk, and looked for the marker strings the uploaded file carried.
"""

from __future__ import annotations

import importlib
import io
import time
from io import StringIO

from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

import pytest
from cryptography.fernet import Fernet
from PIL import Image

from schools import crypto
from schools.models import Attachment, BullyingReport
from tests.factories.accounts import sign_in_fully
from tests.security.pdf_attacks import ATTACKS, clean_chinese_pdf

from .helpers import jpeg_with_comment, png, png_bomb, png_claiming, png_with_text, report_form_data, upload

pytestmark = pytest.mark.django_db
NEW = reverse("schools:report_new")
ANONYMOUS = reverse("schools:anonymous_report")
FORMATS = "GIF and BMP pictures are not accepted. Please attach a JPEG, PNG or WebP picture (or a PDF)."
TOO_MANY_PIXELS = "This picture has too many pixels (more than %(megapixels)s million). Please send a smaller picture."


@pytest.fixture
def officer_client(client, officer_a):
    sign_in_fully(client, officer_a)
    return client


def _post(client, school, file):
    return client.post(NEW, {**report_form_data(school), "attachment": file})


def _anonymous(client, school, file):
    data = {
        "school": school.pk,
        "reporter_kind": "student",
        "narrative": "有同学每天在楼梯口拦住我要钱，不给就推我。",
        "place": "corridor",
        "bullying_types": ["property"],
        "attachment": file,
    }
    return client.post(ANONYMOUS, data)


def _stored() -> bytes:
    with Attachment.objects.get().file.open("rb") as file:
        return file.read()


def _raw_on_disk() -> bytes:
    with open(Attachment.objects.get().file.path, "rb") as file:
        return file.read()


def _image(kind: str, size=(60, 40), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (9, 9, 9)).save(buffer, format=kind)
    return buffer.getvalue()


# --- Images: a fresh encode of the pixels only --------------------------------------------------


def test_a_jpeg_comment_xmp_and_icc_profile_are_not_carried_over(officer_client, school_a):
    response = _post(officer_client, school_a, upload(jpeg_with_comment()))

    assert response.status_code == 302
    stored = _stored()
    assert b"<script>" not in stored and b"XMP-MARKER" not in stored
    assert b"\xff\xfe" not in stored.split(b"\xff\xda", 1)[0]  # no COM segment before the scan
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info


def test_png_text_chunks_are_dropped(officer_client, school_a):
    _post(officer_client, school_a, upload(png_with_text(), "screen.png", "image/png"))

    stored = _stored()
    assert b"tEXt" not in stored and b"zTXt" not in stored and b"iTXt" not in stored
    assert b"TEXT-MARKER" not in stored and b"<script>" not in stored


def test_a_webp_picture_is_accepted_and_re_encoded(officer_client, school_a):
    _post(officer_client, school_a, upload(_image("WEBP"), "photo.webp", "image/webp"))

    item = Attachment.objects.get()
    assert item.content_type == "image/webp"
    with Image.open(io.BytesIO(_stored())) as image:
        assert image.format == "WEBP" and image.size == (60, 40)


@pytest.mark.parametrize("kind", ["GIF", "BMP"])
def test_gif_and_bmp_are_refused_with_the_formats_that_work(client, school_a, kind):
    response = _anonymous(client, school_a, upload(_image(kind), f"x.{kind.lower()}", "image/gif"))

    assert response.status_code == 400
    assert escape(_(FORMATS)) in response.content.decode()
    assert not BullyingReport.objects.exists()


def test_the_help_text_names_webp(client):
    assert "WebP" in client.get(ANONYMOUS).content.decode()


def test_a_large_picture_is_stored_at_most_max_edge_wide(officer_client, school_a, settings):
    settings.SCHOOLS_ATTACHMENT_MAX_EDGE = 100

    _post(officer_client, school_a, upload(_image("PNG", (400, 200)), "wide.png", "image/png"))

    with Image.open(io.BytesIO(_stored())) as image:
        assert image.size == (100, 50)


@pytest.mark.parametrize("name", ["openaction-javascript", "hex-openaction", "javascript-in-object-stream", "xfa"])
def test_an_active_pdf_is_refused_on_the_anonymous_form(client, school_a, name):
    response = _anonymous(client, school_a, upload(ATTACKS[name](), "evidence.pdf", "application/pdf"))

    assert response.status_code == 400
    assert not BullyingReport.objects.exists()


def test_a_jpeg_that_is_also_a_pdf_is_refused(client, school_a):
    response = _anonymous(client, school_a, upload(ATTACKS["polyglot-jpeg-pdf"](), "photo.jpg"))

    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_a_clean_chinese_pdf_is_accepted(officer_client, school_a):
    _post(officer_client, school_a, upload(clean_chinese_pdf(), "letter.pdf", "application/pdf"))

    assert Attachment.objects.get().content_type == "application/pdf"
    assert _stored().startswith(b"%PDF-")


# --- Memory per upload ----------------------------------------------------------------------------


def test_a_40_megapixel_png_is_refused_from_its_header_without_decoding(client, school_a, monkeypatch):
    bomb = png_bomb(7300, 5470)  # 39.9 MP, about 170 KB
    assert len(bomb) < 400 * 1024
    loads = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: loads.append(self.size) or real_load(self))
    started = time.monotonic()

    response = _anonymous(client, school_a, upload(bomb, "bomb.png", "image/png"))

    assert response.status_code == 400
    assert time.monotonic() - started < 5
    assert (7300, 5470) not in loads
    assert not BullyingReport.objects.exists()


def test_a_decompression_bomb_is_a_message_never_a_500(client, school_a, settings):
    settings.SCHOOLS_ATTACHMENT_MAX_PIXELS = 10**12  # only Pillow's own limit is left to hit

    response = _anonymous(client, school_a, upload(png_claiming(50_000, 50_000), "bomb.png", "image/png"))

    assert response.status_code == 400
    assert escape(_(TOO_MANY_PIXELS) % {"megapixels": 10**6}) in response.content.decode()


def test_a_large_jpeg_is_decoded_at_reduced_scale(officer_client, school_a, settings, monkeypatch):
    from PIL import JpegImagePlugin

    settings.SCHOOLS_ATTACHMENT_MAX_PIXELS = 10_000
    drafts = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        drafts.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)

    response = _post(officer_client, school_a, upload(_image("JPEG", (300, 200))))

    assert response.status_code == 302
    # 60,000 pixels, 15,000 at 1/2 scale: both above the limit; 1/4 scale decodes 3,750.
    assert drafts == [(75, 50)]
    with Image.open(io.BytesIO(_stored())) as image:
        assert image.size == (75, 50)


# --- Encryption at rest ---------------------------------------------------------------------------


def test_the_file_on_disk_is_ciphertext_and_the_view_serves_the_plain_file(officer_client, school_a):
    _post(officer_client, school_a, upload(png_with_text(), "screen.png", "image/png"))
    item = Attachment.objects.get()
    raw = _raw_on_disk()
    plain = _stored()

    assert raw.startswith(crypto.FILE_HEADER)
    assert b"PNG" not in raw and b"IHDR" not in raw
    response = officer_client.get(reverse("schools:attachment", args=[item.report_id, item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == plain and plain.startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_is_served_as_a_download(officer_client, school_a):
    _post(officer_client, school_a, upload(clean_chinese_pdf(), "letter.pdf", "application/pdf"))
    item = Attachment.objects.get()

    response = officer_client.get(reverse("schools:attachment", args=[item.report_id, item.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert b"%PDF-" not in _raw_on_disk()


def test_rotation_re_encrypts_files_and_the_old_key_can_then_go(officer_client, school_a, settings):
    _post(officer_client, school_a, upload(png(), "screen.png", "image/png"))
    item = Attachment.objects.get()
    before = _raw_on_disk()
    plain = _stored()
    old_keys = list(settings.SCHOOLS_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.SCHOOLS_ENCRYPTION_KEYS = [new_key, *old_keys]

    out = StringIO()
    call_command("rotate_schools_keys", stdout=out)

    assert "1 attachment files" in out.getvalue()
    after = _raw_on_disk()
    assert after != before and after.startswith(crypto.FILE_HEADER) and b"IHDR" not in after
    settings.SCHOOLS_ENCRYPTION_KEYS = [new_key]
    response = officer_client.get(reverse("schools:attachment", args=[item.report_id, item.pk]))
    assert b"".join(response.streaming_content) == plain
    settings.SCHOOLS_ENCRYPTION_KEYS = old_keys
    with pytest.raises(ImproperlyConfigured):
        _stored()


def test_files_stored_before_encryption_are_encrypted_by_the_migration(officer_client, school_a):
    _post(officer_client, school_a, upload(png(), "screen.png", "image/png"))
    plain = _stored()
    path = Attachment.objects.get().file.path
    with open(path, "wb") as file:  # as the demo and early uploads left them
        file.write(plain)
    assert _stored() == plain  # still readable meanwhile

    migration = importlib.import_module("schools.migrations.0007_uploads_encrypt_attachments")
    migration.encrypt_plain_files(django_apps, None)

    raw = _raw_on_disk()
    assert raw.startswith(crypto.FILE_HEADER) and b"IHDR" not in raw
    assert _stored() == plain
