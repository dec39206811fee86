"""Attachments checked by what they contain, not by their names (the checks: ``core.uploads``).

A photo or screenshot (JPEG, PNG or WebP) is re-encoded from its pixels alone, at most
``SCHOOLS_ATTACHMENT_MAX_EDGE`` pixels on its longest side, so EXIF and GPS metadata,
comments, text chunks and anything appended to the file (polyglots) are dropped; its size is
read from the header and a picture above ``SCHOOLS_ATTACHMENT_MAX_PIXELS`` is refused before
it is decoded. GIF and BMP are refused. A PDF is parsed with pikepdf, refused when it carries
scripts, actions, forms with actions or embedded files, and stored as qpdf rewrote it. A file
that is a PDF and something else at once is refused. Every refusal is a message the uploader
understands. The stored bytes are then encrypted at rest (``schools.models.AttachmentStorage``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import CheckedFile, clean_pdf, is_pdf, reencode_image

__all__ = ["CheckedFile", "check_upload"]


def _refuse_unknown() -> ValidationError:
    return ValidationError(
        _(
            "This file is not a photo, screenshot or PDF we can read. "
            "Please attach a JPEG, PNG or WebP picture or a PDF."
        ),
        code="file_type",
    )


def check_upload(upload) -> CheckedFile:
    """The cleaned content of an uploaded file, or ``ValidationError`` saying why it was refused."""
    limit = settings.SCHOOLS_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s MB). Files can be at most %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": limit // (1024 * 1024)},
            code="file_size",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("This file is too large."), code="file_size")
    if not data:
        raise ValidationError(_("This file is empty."), code="file_empty")
    if is_pdf(data):
        return CheckedFile(clean_pdf(data), "application/pdf")
    if b"%PDF-" in data:
        # A picture that is also a PDF (a polyglot): which one a program sees depends on the program.
        raise _refuse_unknown()
    return reencode_image(
        data,
        max_pixels=settings.SCHOOLS_ATTACHMENT_MAX_PIXELS,
        max_edge=settings.SCHOOLS_ATTACHMENT_MAX_EDGE,
        not_a_picture=_refuse_unknown(),
    )
