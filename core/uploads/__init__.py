"""Uploaded files checked by what they contain, with real parsers, in one place.

Used by every upload the site accepts: case attachments (``schools.attachments``), Wagtail
documents (``core.wagtail_forms.SafeDocumentForm``) and the question-bank spreadsheet. Each
check returns the bytes to store, or raises ``ValidationError`` with a message the uploader
understands; nothing here ever lets a parser error become a 500.

- ``core.uploads.pdf``: ``clean_pdf`` (strict parse, active content refused, qpdf's rewrite stored).
- ``core.uploads.images``: ``reencode_image`` (bounded decode, a fresh encode of the pixels only).
- ``core.uploads.documents``: ``clean_document``, ``check_zip_container``, ``check_media_signature``.

Callers import the checks from ``core.uploads``; the modules are how the package is arranged.
"""

from __future__ import annotations

from core.uploads.documents import check_media_signature, check_zip_container, clean_document
from core.uploads.images import EXTENSIONS, CheckedFile, reencode_image
from core.uploads.pdf import clean_pdf, is_pdf

__all__ = [
    "EXTENSIONS",
    "CheckedFile",
    "check_media_signature",
    "check_zip_container",
    "clean_document",
    "clean_pdf",
    "is_pdf",
    "reencode_image",
]
