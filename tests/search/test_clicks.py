"""Searches whose results nobody clicked: daily counts of searches and of searches with a click, no person."""

from __future__ import annotations

import datetime

from django.utils import timezone

from search import clicks, retention, tasks
from search.models import AnsweredSearch


def search(client, text: str) -> str:
    """Searches like a parent; returns the digest the results page posts on a click."""
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    return response.context["click_digest"]


def click(client, digest: str):
    return client.post("/search/click/", {"search": digest})


def test_a_search_that_found_something_is_counted_and_its_page_carries_what_a_click_posts(client, corpus):
    digest = search(client, "校园欺凌")
    assert digest
    response = client.get("/search/", {"q": "校园欺凌"})
    assert f'data-click-search="{digest}"' in response.content.decode()
    assert 'data-click-url="/search/click/"' in response.content.decode()
    row = AnsweredSearch.objects.get()
    assert (row.searches, row.clicked, row.text) == (2, 0, "")  # typed twice: still only a digest


def test_a_click_counts_one_search_with_a_click_and_never_more_than_the_searches(client, corpus):
    digest = search(client, "校园欺凌")
    assert click(client, digest).status_code == 204
    assert click(client, digest).status_code == 204  # a second result opened from the same search
    row = AnsweredSearch.objects.get()
    assert (row.searches, row.clicked) == (1, 1)


def test_a_click_for_a_search_nobody_made_today_counts_nothing(client, corpus):
    assert click(client, "a" * 64).status_code == 204
    assert click(client, "<script>").status_code == 204
    digest = search(client, "校园欺凌")
    AnsweredSearch.objects.update(date=timezone.localdate() - datetime.timedelta(days=2))
    click(client, digest)
    assert AnsweredSearch.objects.get().clicked == 0


def test_a_search_with_a_number_or_without_results_is_not_counted_and_posts_nothing(client, corpus):
    assert search(client, "欺凌 13912345678") == ""
    assert search(client, "王小明") == ""  # found nothing: counted as such (UnansweredSearch), not here
    assert not AnsweredSearch.objects.exists()
    assert "data-click-search" not in client.get("/search/", {"q": "王小明"}).content.decode()


def test_the_report_lists_the_readable_searches_nobody_clicked_most_often_first(client, corpus):
    for _ in range(retention.REVEAL_AFTER + 1):
        search(client, "校园欺凌")
    for _ in range(retention.REVEAL_AFTER):
        click(client, search(client, "网瘾"))  # always clicked: not listed
    search(client, "强制报告")  # once: only a digest, not listed
    typed = retention.REVEAL_AFTER + 1
    assert clicks.unclicked_report() == [{"text": "校园欺凌", "searches": typed, "clicked": 0, "unclicked": typed}]


def test_the_click_endpoint_is_post_only_and_rate_limited(client, corpus, settings):
    settings.SEARCH_CLICKS_PER_HOUR = 2
    digest = search(client, "校园欺凌")
    assert client.get("/search/click/", {"search": digest}).status_code == 405
    assert click(client, digest).status_code == 204
    assert click(client, digest).status_code == 204
    assert click(client, digest).status_code == 429


def test_the_counts_expire_with_the_other_search_statistics(client, corpus):
    search(client, "校园欺凌")
    AnsweredSearch.objects.update(date=timezone.localdate() - datetime.timedelta(days=retention.retention_days() + 1))
    tasks.purge_search_queries()
    assert not AnsweredSearch.objects.exists()
