"""The database search backend, with the ranking index kept alongside it.

``WAGTAILSEARCH_BACKENDS`` points here instead of ``wagtail.search.backends.database``. This is
Wagtail's own backend for the database (on SQLite with relevance ordering that scales, see
``sqlite_backend``), extended so that whatever indexes a page — the signal handlers on publish,
``update_index``, ``add_bulk`` — also writes the page's rows of the ranking index
(``search.postings``) that the site search reads, and deleting a page from the index deletes
them. Admin searches keep using Wagtail's index; the site search uses the ranking index.
"""

from __future__ import annotations

from django.db import connection

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend


def _is_page_model(model) -> bool:
    from wagtail.models import Page

    return isinstance(model, type) and issubclass(model, Page)


class RankingIndex:
    """Wagtail's index for a model, and the ranking index for pages, written together."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def add_item(self, obj):
        self.inner.add_item(obj)
        if _is_page_model(type(obj)):
            from .postings import index_pages

            index_pages([obj])

    def add_items(self, model, items):
        items = list(items)
        self.inner.add_items(model, items)
        if _is_page_model(model):
            from .postings import index_pages

            index_pages(items)

    def delete_item(self, item):
        self.inner.delete_item(item)
        if _is_page_model(type(item)):
            from .postings import remove_pages

            remove_pages([item.pk])

    def reset(self):
        self.inner.reset()
        from .postings import reset

        reset()


class RankingIndexMixin:
    def get_index_for_model(self, model):
        return RankingIndex(super().get_index_for_model(model))


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend_class = type(DatabaseSearchBackend(params))
    if connection.vendor == "sqlite" and backend_class.__name__ == "SQLiteSearchBackend":
        from .sqlite_backend import RankedSQLiteSearchBackend

        backend_class = RankedSQLiteSearchBackend
    ranked = type(backend_class.__name__, (RankingIndexMixin, backend_class), {"__module__": __name__})
    return ranked(params)
