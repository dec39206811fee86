"""The database search backend, with relevance ordering on SQLite that scales.

``WAGTAILSEARCH_BACKENDS`` points here instead of ``wagtail.search.backends.database``. On
PostgreSQL and MySQL this returns Wagtail's own backend unchanged. On SQLite (FTS5) Wagtail
orders by relevance with a correlated subquery that repeats the full-text match for every
matching row, which takes seconds at a few thousand pages; here the match and its bm25 score
are computed once, in one query, and the pages are ordered by that. Elasticsearch/OpenSearch
are configured with their own ``BACKEND`` and never come here.
"""

from __future__ import annotations

from django.db import connection

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = DatabaseSearchBackend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        from .sqlite_backend import RankedSQLiteSearchBackend

        return RankedSQLiteSearchBackend(params)
    return backend
