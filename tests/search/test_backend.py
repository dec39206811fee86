"""The search backend: Wagtail's database backend, with SQLite relevance ordering that scales."""

from __future__ import annotations

from django.db import connection

from wagtail.search.backends import get_search_backend

import pytest

from home.models import StandardPage

from .conftest import add_page

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite FTS5 backend only")


def test_the_backend_is_wagtails_database_backend_for_this_database():
    backend = type(get_search_backend())
    expected = {"sqlite": "RankedSQLiteSearchBackend", "postgresql": "PostgresSearchBackend"}
    assert backend.__name__ == expected.get(connection.vendor, backend.__name__)


@sqlite_only
def test_relevance_order_matches_wagtails_own_sqlite_ordering(home_page):
    for number, body in enumerate(["欺凌", "欺凌 欺凌 欺凌", "欺凌 欺凌", "安全"]):
        add_page(home_page, f"page-{number}", f"页面{number}", "", body)
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    ours = [page.pk for page in StandardPage.objects.search("欺凌")]
    stock = [page.pk for page in SQLiteSearchBackend({}).search("欺凌", StandardPage.objects.all())]
    assert ours == stock
    assert len(ours) == 3


@sqlite_only
def test_slices_and_counts_follow_the_filtered_queryset(home_page):
    pages = [add_page(home_page, f"page-{number}", f"欺凌{number}", "", "欺凌") for number in range(5)]
    pages[0].unpublish()
    results = StandardPage.objects.live().search("欺凌")
    assert results.count() == 4
    assert len(results[1:3]) == 2
    assert pages[0].pk not in [page.pk for page in results]


@sqlite_only
def test_ordering_without_relevance_still_works(home_page):
    for number in range(3):
        add_page(home_page, f"page-{number}", f"欺凌{number}", "", "欺凌")
    results = StandardPage.objects.order_by("title").search("欺凌", order_by_relevance=False)
    assert [page.title for page in results] == ["欺凌0", "欺凌1", "欺凌2"]
