"""Attachments checked by what they contain, not by their names.

A photo or screenshot is opened and verified with Pillow, refused above a pixel limit
(decompression bombs), and re-encoded, so EXIF and GPS metadata and anything appended to
the file (polyglots) are dropped. A PDF must start with ``%PDF-``, end with ``%%EOF`` and
carry no scripts or launch actions. Every refusal is a message the uploader understands.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP"}
ACTIVE_PDF_CONTENT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|OpenAction)\b")


@dataclass
class CheckedFile:
    content: bytes
    content_type: str


def _refuse_unknown() -> ValidationError:
    return ValidationError(
        _("This file is not a photo, screenshot or PDF we can read. Please attach a JPEG or PNG picture or a PDF."),
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
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    return _reencode_image(data)


def _check_pdf(data: bytes) -> CheckedFile:
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This PDF file seems damaged or incomplete. Please save it again and retry."))
    if ACTIVE_PDF_CONTENT.search(data):
        raise ValidationError(
            _("This PDF contains scripts or embedded files, which we do not accept. Please print it to a plain PDF.")
        )
    return CheckedFile(data, "application/pdf")


def _reencode_image(data: bytes) -> CheckedFile:
    max_pixels = settings.SCHOOLS_ATTACHMENT_MAX_PIXELS
    too_big = ValidationError(
        _("This picture has too many pixels (more than %(megapixels)s million). Please send a smaller picture.")
        % {"megapixels": max_pixels // 1_000_000},
        code="image_pixels",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    raise _refuse_unknown()
                if probe.width * probe.height > max_pixels:
                    raise too_big
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                source_format = image.format
                image.load()
                image = ImageOps.exif_transpose(image)
                output = io.BytesIO()
                if source_format == "JPEG":
                    image.convert("RGB").save(output, format="JPEG", quality=88)
                    content_type = "image/jpeg"
                else:
                    has_alpha = "A" in image.mode or "transparency" in image.info
                    image.convert("RGBA" if has_alpha else "RGB").save(output, format="PNG", optimize=True)
                    content_type = "image/png"
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError, EOFError):
        raise _refuse_unknown() from None
    return CheckedFile(output.getvalue(), content_type)
