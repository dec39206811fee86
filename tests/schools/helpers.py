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
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + extra + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(content: bytes, name: str = "file.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
