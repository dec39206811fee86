"""Helpers for posting the report form and building test files."""

from __future__ import annotations

import datetime
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from PIL import Image


def report_form_data(school, *, action: str = "save", students: list[dict] | None = None, **overrides) -> dict:
    """A complete, valid report form post for ``school`` (override or blank any field)."""
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    data = {
        "school": str(school.pk),
        "incident_date": yesterday.isoformat(),
        "incident_time": "10:30",
        "place": "playground",
        "bullying_types": ["verbal", "physical"],
        "narrative": "两名同学在操场上推搡并辱骂小华。",
        "frequency": "once",
        "injury": "none",
        "severity": "general",
        "guardians_notified": "True",
        "guardians_notified_at": f"{yesterday.isoformat()}T16:00",
        "police_informed": "False",
        "immediate_measures": "班主任当场制止并分开学生。",
        "action": action,
    }
    students = students if students is not None else [{"role": "target", "grade": "五年级", "class_name": "3班"}]
    data.update(
        {
            "students-TOTAL_FORMS": str(len(students)),
            "students-INITIAL_FORMS": "0",
            "students-MIN_NUM_FORMS": "0",
            "students-MAX_NUM_FORMS": "30",
        }
    )
    for index, student in enumerate(students):
        for key, value in student.items():
            data[f"students-{index}-{key}"] = value
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 80, 60))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif.get_ifd(0x8825)[1] = "N"
    exif.get_ifd(0x8825)[2] = (31.0, 11.0, 45.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png(size=(40, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb's shape."""
    data = png((1, 1))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    start = 8
    return data[:start] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[start + 25 :]


def pdf(extra: bytes = b"") -> bytes:
    """A hand-written one-page PDF with a valid cross-reference table; ``extra`` goes in its catalog."""
    from tests.security.pdf_attacks import _raw_with_catalog

    return _raw_with_catalog(extra)


def png_bomb(width: int, height: int) -> bytes:
    """A real PNG of ``width`` × ``height`` black pixels: 40 MP compress to about 170 KB.

    Written row by row, so making it never holds the decoded picture in memory.
    """
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + width * 3)
    parts = [compressor.compress(row) for _ in range(height)]
    idat = b"".join(parts) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_with_comment(comment: bytes = b"<script>alert('COM')</script>", size=(64, 48)) -> bytes:
    """A JPEG with a COM segment, an XMP packet and an ICC profile carrying text."""
    from PIL import ImageCms

    image = Image.new("RGB", size, (20, 90, 160))
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(
        buffer,
        format="JPEG",
        comment=comment,
        xmp=b"<x:xmpmeta><rdf:Description>XMP-MARKER</rdf:Description></x:xmpmeta>",
        icc_profile=profile,
    )
    return buffer.getvalue()


def png_with_text() -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks holding a marker."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert('tEXt')</script>")
    info.add_text("Author", "TEXT-MARKER-zTXt", zip=True)
    info.add_itxt("Description", "TEXT-MARKER-iTXt 小明")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def upload(content: bytes, name: str = "file.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
