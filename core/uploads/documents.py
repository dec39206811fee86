"""Documents (handouts, spreadsheets, lesson audio and video) checked against their extension.

``clean_document`` is the check for Wagtail documents; ``check_zip_container`` also checks the
question-bank spreadsheet, and ``check_media_signature`` lesson media (wagtailmedia).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads.pdf import clean_pdf, is_pdf

ZIP_FORMATS = {
    "docx": "word/",
    "xlsx": "xl/",
    "pptx": "ppt/",
    "odt": "mimetype",
}


def check_zip_container(data: bytes, extension: str, *, max_unpacked: int = 100 * 1024 * 1024) -> None:
    """An Office (OOXML) or OpenDocument file: a real ZIP of the declared kind, no zip bomb."""
    wrong = ValidationError(
        _("This file is not a valid .%(extension)s file. Please save it again from its program and retry.")
        % {"extension": extension},
        code="file_mismatch",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = [member.filename for member in members]
            unpacked = sum(member.file_size for member in members)
            if extension == "odt":
                if archive.read("mimetype") != b"application/vnd.oasis.opendocument.text":
                    raise wrong
            else:
                kind_found = any(name.startswith(ZIP_FORMATS[extension]) for name in names)
                if "[Content_Types].xml" not in names or not kind_found:
                    raise wrong
            if any("vbaproject" in name.lower() for name in names):
                raise ValidationError(
                    _("This file contains macros, which we do not accept. Please save it without macros."),
                    code="file_macros",
                )
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        raise wrong from None
    if unpacked > max_unpacked:
        raise ValidationError(
            _("This file unpacks to more than %(limit)s MB, which we do not accept.")
            % {"limit": max_unpacked // (1024 * 1024)},
            code="file_unpacked_size",
        )


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


MEDIA_EXTENSIONS = {"mp4", "m4a", "webm", "mp3"}
# What a file of each accepted document extension starts with (or how it reads).
DOCUMENT_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "rtf": lambda data: data.startswith(b"{\\rtf"),
    "txt": _is_text,
    "csv": _is_text,
    "mp4": lambda data: data[4:8] == b"ftyp",
    "m4a": lambda data: data[4:8] == b"ftyp",
    "webm": lambda data: data.startswith(b"\x1a\x45\xdf\xa3"),
    "mp3": lambda data: data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0),
}


def check_media_signature(head: bytes, extension: str) -> None:
    """Lesson audio or video (wagtailmedia): its first bytes must match its extension."""
    signature = DOCUMENT_SIGNATURES.get(extension.lower().lstrip("."))
    if extension not in MEDIA_EXTENSIONS or signature is None or not signature(head):
        raise ValidationError(
            _("This file's content does not match its .%(extension)s name. Please upload the original file.")
            % {"extension": extension},
            code="file_mismatch",
        )


def clean_document(data: bytes, extension: str) -> bytes:
    """A document (handout, spreadsheet, lesson audio or video) whose content matches its extension.

    PDFs come back rewritten (``clean_pdf``); everything else unchanged once checked. An
    extension this module does not know is refused: add its check here first.
    """
    extension = extension.lower().lstrip(".")
    mismatch = ValidationError(
        _("This file's content does not match its .%(extension)s name. Please upload the original file.")
        % {"extension": extension},
        code="file_mismatch",
    )
    if is_pdf(data) and extension != "pdf":
        raise mismatch
    if extension == "pdf":
        if not is_pdf(data):
            raise mismatch
        return clean_pdf(data)
    if extension in ZIP_FORMATS:
        check_zip_container(data, extension)
        return data
    signature = DOCUMENT_SIGNATURES.get(extension)
    if signature is None or not signature(data):
        raise mismatch
    return data
