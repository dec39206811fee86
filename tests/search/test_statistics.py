"""The index's figures the ranking needs (page count, field lengths, word frequencies) are counted
once per index generation and kept in the shared cache; every write of the index renews them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from search.ranking import collection_stats, document_frequencies

from .conftest import add_page

pytestmark = pytest.mark.django_db


def test_the_figures_are_read_from_the_cache_after_the_first_search(home_page):
    add_page(home_page, "myopia", "近视防控", "", "近视要早发现。")
    assert document_frequencies(["近视", "手机"]) == {"近视": 1, "手机": 0}
    pages = collection_stats()[0]
    with CaptureQueriesContext(connection) as queries:
        assert document_frequencies(["近视", "手机"]) == {"近视": 1, "手机": 0}
        assert collection_stats()[0] == pages
    assert len(queries) == 0


def test_a_page_published_or_deleted_changes_the_figures_at_once(home_page):
    first = add_page(home_page, "myopia", "近视防控", "", "近视要早发现。")
    before = collection_stats()[0]
    assert document_frequencies(["近视"]) == {"近视": 1}
    second = add_page(home_page, "myopia-2", "近视的预防", "", "近视可以防控。")
    assert document_frequencies(["近视"]) == {"近视": 2}
    assert collection_stats()[0] == before + 1
    second.delete()
    first.delete()
    assert document_frequencies(["近视"]) == {"近视": 0}
    assert collection_stats()[0] == before - 1


def test_without_a_cache_the_figures_are_counted(home_page, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    add_page(home_page, "myopia", "近视防控", "", "近视要早发现。")
    assert document_frequencies(["近视"]) == {"近视": 1}


def test_an_editors_synonym_applies_to_the_next_search_once_saved_and_stops_once_deleted(home_page):
    from search.models import SearchSynonym
    from search.query import analyse_query

    assert "欺凌" not in analyse_query("抢红包").expansions  # read (and kept) with no synonym
    synonym = SearchSynonym.objects.create(term="欺凌", synonyms="抢红包")
    assert "欺凌" in analyse_query("抢红包").expansions
    synonym.synonyms = "抢手机"
    synonym.save()
    assert "欺凌" not in analyse_query("抢红包").expansions
    SearchSynonym.objects.all().delete()
    assert "欺凌" not in analyse_query("抢手机").expansions
