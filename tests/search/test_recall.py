"""Search quality, measured: every query of the test set finds its page in the top 5."""

from __future__ import annotations

from search.query import search_pages

from .corpus import QUERIES

TOP = 5


def test_every_query_of_the_test_set_finds_its_page_in_the_top_five(corpus, capsys):
    misses = []
    for query, slug in QUERIES:
        top = [page.slug for page in search_pages(query).results[:TOP]]
        if slug not in top:
            misses.append(f"{query!r}: wanted {slug}, got {top}")
    recall = (len(QUERIES) - len(misses)) / len(QUERIES)
    with capsys.disabled():
        print(f"\nsearch recall@{TOP}: {recall:.1%} over {len(QUERIES)} queries")
    assert len(QUERIES) >= 40
    assert not misses, "\n".join(misses)
