"""Signal receivers: a new library index gets the library review workflow."""

from __future__ import annotations

from django.db.models.signals import post_save


def library_index_created(sender, instance, created, raw=False, **kwargs):
    from library.review import setup_library_review

    if created and not raw:
        setup_library_review(instance)


def connect() -> None:
    """Called from ``LibraryConfig.ready``."""
    from library.models import LibraryIndexPage

    post_save.connect(library_index_created, sender=LibraryIndexPage, dispatch_uid="library_index_created")
