"""Picture uploads re-encoded from their pixels alone: ``reencode_image`` returns a ``CheckedFile``.

Accepted: JPEG, PNG and WebP. The dimensions are read from the header
before anything is decoded, so a decompression bomb is refused without allocating its pixels;
JPEGs are decoded at a reduced scale (draft mode) when they are large; the stored copy is a
fresh encode of the pixels alone, at most ``max_edge`` pixels on its longest side, with no
EXIF, XMP, ICC profile, comment or text chunk carried over (``Image.info`` is emptied before
saving, since Pillow copies a JPEG comment into a re-encode on its own). GIF and BMP are
refused with a message naming the formats that work.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

# A PNG's text chunks are decompressed when the file is opened, before its size is known:
# keep what one upload may make Pillow allocate for them small (Pillow's default is 64 MB).
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024

ORIENTATION = 0x0112  # the EXIF tag a phone sets when the photo was taken sideways
IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Phones write JPEGs with a second, smaller picture inside ("MPO"); the first one is the photo.
JPEG_FORMATS = {"JPEG", "MPO"}
REFUSED_IMAGE_FORMATS = {"GIF", "BMP", "DIB"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


@dataclass
class CheckedFile:
    """A checked upload: the bytes to store and their type (a picture here, or a cleaned PDF)."""

    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")


def unknown_file(kinds: str) -> ValidationError:
    return ValidationError(kinds, code="file_type")


def refused_image_format() -> ValidationError:
    return ValidationError(
        _("GIF and BMP pictures are not accepted. Please attach a JPEG, PNG or WebP picture (or a PDF)."),
        code="image_format",
    )


def too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("This picture has too many pixels (more than %(megapixels)s million). Please send a smaller picture.")
        % {"megapixels": max_pixels // 1_000_000},
        code="image_pixels",
    )


def _draft_scale(width: int, height: int, max_pixels: int) -> int:
    """The smallest JPEG decoding scale (1, 2, 4 or 8) that brings the picture under ``max_pixels``."""
    for scale in (1, 2, 4, 8):
        if math.ceil(width / scale) * math.ceil(height / scale) <= max_pixels:
            return scale
    return 0


def reencode_image(data: bytes, *, max_pixels: int, max_edge: int, not_a_picture: ValidationError) -> CheckedFile:
    """A fresh encode of the picture's pixels, or ``ValidationError`` saying why it was refused.

    Memory stays bounded by ``max_pixels`` (times 4 bytes): the size is read from the header
    first, and a large baseline JPEG is decoded at 1/2, 1/4 or 1/8 scale. A progressive JPEG
    keeps every coefficient of the full picture in memory while decoding, so it gets no
    such allowance.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                source_format = image.format
                if source_format in REFUSED_IMAGE_FORMATS:
                    raise refused_image_format()
                if source_format not in IMAGE_CONTENT_TYPES and source_format not in JPEG_FORMATS:
                    raise not_a_picture
                width, height = image.size
                if source_format in JPEG_FORMATS:
                    progressive = image.info.get("progressive") or image.info.get("progression")
                    scale = 1 if progressive else _draft_scale(width, height, max_pixels)
                    if scale == 0 or (scale == 1 and width * height > max_pixels):
                        raise too_many_pixels(max_pixels)
                    if scale > 1:
                        image.draft("RGB", (math.ceil(width / scale), math.ceil(height / scale)))
                elif width * height > max_pixels:
                    raise too_many_pixels(max_pixels)
                image.load()
                has_alpha = "A" in image.getbands() or "transparency" in image.info
                target = "RGBA" if has_alpha and source_format not in JPEG_FORMATS else "RGB"
                # No copy of the pixels unless one is needed: memory stays near one decoded picture.
                picture = image if image.mode == target else image.convert(target)
                if image.getexif().get(ORIENTATION, 1) != 1:
                    ImageOps.exif_transpose(picture, in_place=True)
                picture.info = {}
                if max(picture.size) > max_edge:
                    picture.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
                output = io.BytesIO()
                if source_format in JPEG_FORMATS:
                    picture.save(output, format="JPEG", quality=88, exif=b"")
                    content_type = "image/jpeg"
                elif source_format == "WEBP":
                    picture.save(output, format="WEBP", quality=88, exif=b"", xmp=b"", icc_profile=b"")
                    content_type = "image/webp"
                else:
                    picture.save(output, format="PNG")
                    content_type = "image/png"
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError, EOFError, MemoryError, ZeroDivisionError):
        raise not_a_picture from None
    return CheckedFile(output.getvalue(), content_type)
