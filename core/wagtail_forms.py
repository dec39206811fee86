"""Wagtail's document form, checking each uploaded file by its content (``core.uploads``).

Teachers' and editors' documents are served to parents, so a handout PDF with a script or an
action must never get in. Set as ``WAGTAILDOCS_DOCUMENT_FORM_BASE``: Wagtail builds its add,
edit, multiple-upload and chooser-upload forms from it. A PDF is stored as qpdf rewrote it;
every other file must match its extension (an Office file must be a real Office file, an
``.mp4`` a real MP4…).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from wagtail.documents.forms import BaseDocumentForm

from wagtailmedia.forms import BaseMediaForm

from core.uploads import check_media_signature, clean_document, reencode_image
from core.uploads.running_time import running_time


class SafeDocumentForm(BaseDocumentForm):  # type: ignore[misc]  # Wagtail ships no types
    def clean_file(self) -> File[Any] | None:
        upload: File[Any] | None = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data or not hasattr(upload, "content_type"):
            return upload  # the stored file, unchanged
        extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
        upload.seek(0)
        data = upload.read()
        cleaned = clean_document(data, extension)
        if cleaned is data:
            upload.seek(0)
            return upload
        return SimpleUploadedFile(upload.name or "", cleaned, content_type=upload.content_type)


class SafeMediaForm(BaseMediaForm):  # type: ignore[misc]  # wagtailmedia ships no types
    """wagtailmedia's form (``WAGTAILMEDIA["MEDIA_FORM_BASE"]``): lesson audio and video must be what
    their extension says (only the first bytes are read: videos are large), and a thumbnail is a
    fresh encode of a JPEG, PNG or WebP picture. The running time of an MP4, M4A or MP3 upload is
    read from the file (``core.uploads.running_time``): the teacher types it only for other formats."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "duration" in self.fields:
            self.fields["duration"].required = False
            self.fields["duration"].help_text = _(
                "In seconds. Filled in from the file for MP4, M4A and MP3; type it only for other formats."
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        upload = cleaned.get("file")
        if upload and "file" in self.changed_data and hasattr(upload, "content_type"):
            extension = os.path.splitext(upload.name or "")[1]
            measured = running_time(upload, extension)
            # The file's own length wins over one typed or left from the file it replaces; what was
            # typed is kept only when the file tells none.
            if measured is not None:
                cleaned["duration"] = round(measured, 2)
        return cleaned

    def clean_file(self) -> File[Any] | None:
        upload: File[Any] | None = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data or not hasattr(upload, "content_type"):
            return upload
        extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
        upload.seek(0)
        check_media_signature(upload.read(64), extension)
        upload.seek(0)
        return upload

    def clean_thumbnail(self) -> File[Any] | None:
        upload: File[Any] | None = self.cleaned_data.get("thumbnail")
        if not upload or "thumbnail" not in self.changed_data or not hasattr(upload, "content_type"):
            return upload
        upload.seek(0)
        not_a_picture = ValidationError(_("The thumbnail must be a JPEG, PNG or WebP picture."), code="thumbnail_type")
        checked = reencode_image(
            upload.read(getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024) + 1),
            max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS,
            max_edge=2048,
            not_a_picture=not_a_picture,
        )
        stem = os.path.splitext(os.path.basename(upload.name or ""))[0]
        name = f"{stem}.{checked.extension}"
        return SimpleUploadedFile(name, checked.content, content_type=checked.content_type)
