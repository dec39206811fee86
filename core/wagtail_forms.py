"""Wagtail's document form, checking each uploaded file by its content (``core.uploads``).

Teachers' and editors' documents are served to parents, so a handout PDF with a script or an
action must never get in. Set as ``WAGTAILDOCS_DOCUMENT_FORM_BASE``: Wagtail builds its add,
edit, multiple-upload and chooser-upload forms from it. A PDF is stored as qpdf rewrote it;
every other file must match its extension (an Office file must be a real Office file, an
``.mp4`` a real MP4…).
"""

from __future__ import annotations

import os

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.forms import BaseDocumentForm

from core.uploads import clean_document


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data or not hasattr(upload, "content_type"):
            return upload  # the stored file, unchanged
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        upload.seek(0)
        data = upload.read()
        cleaned = clean_document(data, extension)
        if cleaned is data:
            upload.seek(0)
            return upload
        return SimpleUploadedFile(upload.name, cleaned, content_type=getattr(upload, "content_type", None))
