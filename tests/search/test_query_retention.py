"""Stored searches: only what search tuning needs (no names, numbers, e-mails, stories), for a bounded time."""

from __future__ import annotations

import datetime

from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion

import pytest

from search import retention, tasks


def stored() -> set[str]:
    return set(Query.objects.filter(daily_hits__isnull=False).values_list("query_string", flat=True))


def test_a_search_in_the_sites_words_is_counted(client, corpus):
    client.get("/search/", {"q": "校园欺凌"})
    assert stored() == {"校园欺凌"}


def test_a_parents_question_made_of_site_words_and_synonyms_is_counted(client, corpus):
    client.get("/search/", {"q": "霸凌怎么办"})
    assert stored() == {"霸凌怎么办"}


def test_what_is_stored_is_the_normalised_text_not_the_raw_input(client, corpus):
    client.get("/search/", {"q": "  校園欺凌 "})  # traditional characters, spaces
    assert stored() == {"校园欺凌"}


@pytest.mark.parametrize(
    "typed",
    [
        "王小明 欺凌",  # a child's name next to a site word: the name is on no page
        "张子涵被欺负",
        "欺凌 13912345678",  # a phone number
        "欺凌 １３９１２３４５６７８",  # full-width digits
        "欺凌 31010420100101123X",  # an ID-card number
        "欺凌 parent@example.com",  # an e-mail address
        "欺凌 ＠例子",  # a full-width at sign
        "我家孩子在七年级二班被同桌欺负了好几次已经不敢去学校了怎么办才好呢老师",  # a story, not a term
        "找不到的内容",  # found nothing
    ],
)
def test_searches_that_could_name_a_person_or_found_nothing_are_not_stored(client, corpus, typed):
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 200
    assert Query.objects.count() == 0
    assert QueryDailyHits.objects.count() == 0


def test_hits_older_than_the_retention_period_are_purged(corpus, settings):
    settings.SEARCH_QUERY_RETENTION_DAYS = 30
    today = timezone.localdate()
    query = Query.get("校园欺凌")
    query.add_hit(date=today - datetime.timedelta(days=31))
    query.add_hit(date=today - datetime.timedelta(days=30))
    old_only = Query.get("网络欺凌")
    old_only.add_hit(date=today - datetime.timedelta(days=45))

    result = retention.purge_search_queries(today=today)

    assert list(QueryDailyHits.objects.values_list("date", flat=True)) == [today - datetime.timedelta(days=30)]
    assert stored() == {"校园欺凌"}
    assert not Query.objects.filter(query_string="网络欺凌").exists()
    assert result["old_hits"] == 2


def test_rows_stored_before_the_rules_are_cleaned_by_the_task(corpus):
    for text in ("王小明 欺凌", "欺凌 13912345678", "a@b.cn", "校园欺凌"):
        Query.get(text).add_hit()

    tasks.purge_search_queries()

    assert stored() == {"校园欺凌"}
    assert Query.objects.count() == 1


def test_a_query_an_editor_promoted_is_kept_with_its_promotion(corpus):
    promoted = Query.get("强制报告 2024")  # typed by an editor, digits and all
    SearchPromotion.objects.create(query=promoted, page=corpus["prevent-bullying"], sort_order=0)
    promoted.add_hit(date=timezone.localdate() - datetime.timedelta(days=90))

    retention.purge_search_queries()

    assert SearchPromotion.objects.filter(query__query_string="强制报告 2024").exists()


def test_the_retention_period_is_a_setting(settings):
    settings.SEARCH_QUERY_RETENTION_DAYS = 7
    assert retention.retention_days() == 7


def test_the_purge_runs_from_celery_beat(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "search.tasks.purge_search_queries" in schedule


def test_a_search_that_finds_nothing_is_counted_without_its_text_until_others_search_it_too(client, corpus):
    from search.models import UnansweredSearch

    client.get("/search/", {"q": "王小明"})
    assert UnansweredSearch.objects.get().searches == 1
    assert retention.unanswered_report() == []  # typed once: only a keyed digest is kept
    for _ in range(retention.REVEAL_AFTER - 1):
        client.get("/search/", {"q": "王小明"})
    assert retention.unanswered_report() == [{"text": "王小明", "searches": retention.REVEAL_AFTER}]


def test_a_search_that_finds_nothing_with_a_number_is_not_counted(client, corpus):
    from search.models import UnansweredSearch

    client.get("/search/", {"q": "王小明 13912345678"})
    assert not UnansweredSearch.objects.exists()


def test_searches_that_found_nothing_expire(client, corpus):
    from search.models import UnansweredSearch

    client.get("/search/", {"q": "王小明"})
    UnansweredSearch.objects.update(date=timezone.localdate() - datetime.timedelta(days=retention.retention_days() + 1))
    tasks.purge_search_queries()
    assert not UnansweredSearch.objects.exists()


def _outcome(typed: str, pages) -> retention.SearchOutcome:
    from search.query import Results, analyse_query

    return retention.SearchOutcome(
        query=analyse_query(typed), results=Results([(page.pk, page.content_type_id) for page in pages]), page_types=[]
    )


def test_a_typed_word_found_only_on_a_page_past_the_first_ten_results_still_counts_as_site_vocabulary(
    home_page, django_assert_num_queries
):
    """The check reads the top results first and the rest only for the words still missing: the
    answer is the same as reading every result, in one query when the top results hold every word."""
    from .conftest import add_page

    pages = [add_page(home_page, f"bully-{n}", f"校园欺凌第{n}讲", body="欺凌的识别与应对") for n in range(11)]
    care = add_page(home_page, "care", "课后托管", body="放学后的托管服务")
    ranked = [*pages, care]
    assert len(pages) >= retention.FIRST_READ  # 托管 is only on a page past the first read

    past, first, missing, one_word = (
        _outcome("欺凌 托管", ranked),
        _outcome("欺凌 托管", [care, *pages]),
        _outcome("欺凌 托管", pages),  # no result holds 托管
        _outcome("欺凌", ranked),
    )
    with django_assert_num_queries(2):
        assert retention._vocabulary_known(past)
    with django_assert_num_queries(1):
        assert retention._vocabulary_known(first)
    with django_assert_num_queries(2):
        assert not retention._vocabulary_known(missing)
    with django_assert_num_queries(1):
        assert retention._vocabulary_known(one_word)
