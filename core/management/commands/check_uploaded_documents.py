"""Runs today's upload checks (core/uploads/) over the Wagtail documents and media already stored.

Documents uploaded before the checks existed were never parsed: this lists each one that
would now be refused (a PDF with a script or an action, a file whose content does not match
its extension), so an editor can replace or delete it. Nothing is changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wagtail.documents import get_document_model

from wagtailmedia.models import get_media_model

if TYPE_CHECKING:
    from wagtail.documents.models import Document

    from wagtailmedia.models import AbstractMedia

from core.uploads import check_media_signature, clean_document


class Command(BaseCommand):
    help = "List stored Wagtail documents and media files that the upload checks would refuse today."

    def handle(self, *args: str, **options: Any) -> None:
        refused = 0
        for document in get_document_model().objects.order_by("pk"):
            refused += self._check(document, lambda data, extension: clean_document(data, extension), "document")
        for item in get_media_model().objects.order_by("pk"):
            refused += self._check(item, lambda data, extension: check_media_signature(data[:64], extension), "media")
        if refused:
            raise CommandError(f"{refused} stored files would be refused today; replace or delete them.")
        self.stdout.write(self.style.SUCCESS("Every stored document and media file passes the upload checks."))

    def _check(self, item: Document | AbstractMedia, check: Callable[[bytes, str], object], kind: str) -> int:
        extension = os.path.splitext(item.file.name)[1].lower().lstrip(".")
        try:
            with item.file.open("rb") as file:
                check(file.read(), extension)
        except FileNotFoundError:
            self.stdout.write(f"{kind} {item.pk} “{item.title}”: the file is missing")
            return 1
        except ValidationError as refusal:
            self.stdout.write(f"{kind} {item.pk} “{item.title}”: {' '.join(refusal.messages)}")
            return 1
        return 0
