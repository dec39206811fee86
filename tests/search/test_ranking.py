"""The ranking model (BM25F over the ranking index) and the corrections, as a parent sees them."""

from __future__ import annotations

import pytest

from search.query import analyse_query, search_pages
from search.ranking import forget_stats

from .conftest import add_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_statistics():
    forget_stats()  # field lengths are cached for a minute per process


def slugs(query: str) -> list[str]:
    return [page.slug for page in search_pages(query, synonyms=[]).results]


def test_a_page_that_says_it_more_often_ranks_higher(home_page):
    add_page(home_page, "once", "学校通知一", "", "近视要早发现。操场开放时间调整，请家长留意。")
    add_page(home_page, "thrice", "学校通知二", "", "近视要早发现。近视可以防控，近视与用眼习惯有关。")
    assert slugs("近视")[:2] == ["thrice", "once"]


def test_the_same_mentions_in_a_shorter_page_rank_higher(home_page):
    long_text = "近视要早发现。" + "操场开放时间调整，请家长留意天气变化和活动安排。" * 8
    add_page(home_page, "long", "学校通知一", "", long_text)
    add_page(home_page, "short", "学校通知二", "", "近视要早发现。")
    assert slugs("近视")[:2] == ["short", "long"]


def test_a_title_match_outranks_a_summary_match_which_outranks_a_body_match(home_page):
    add_page(home_page, "body", "学校通知一", "家长须知。", "近视要早发现。")
    add_page(home_page, "summary", "学校通知二", "近视要早发现。", "家长须知。")
    add_page(home_page, "title", "近视的预防", "家长须知。", "家长须知。")
    assert slugs("近视")[:3] == ["title", "summary", "body"]


def test_pages_that_score_the_same_come_in_page_order(home_page):
    first = add_page(home_page, "first", "近视", "", "")
    second = add_page(home_page, "second", "近视", "", "")
    assert first.pk < second.pk
    assert slugs("近视")[:2] == ["first", "second"]


def test_the_word_typed_outweighs_a_dictionary_word_for_it(home_page):
    add_page(home_page, "expansion-in-title", "网络沉迷的干预", "", "家长要以身作则。")
    add_page(home_page, "typed-in-body", "家长手记", "", "我家孩子有网瘾，我们一起做了计划。")
    assert slugs("网瘾")[:2] == ["typed-in-body", "expansion-in-title"]


def test_words_typed_next_to_each_other_rank_a_page_that_has_them_together_higher(home_page):
    add_page(home_page, "apart", "家长手记一", "", "孩子的安全很重要。网络上的信息要核实。")
    add_page(home_page, "together", "家长手记二", "", "网络安全很重要。孩子的信息要核实。")
    assert slugs("网络安全")[0] == "together"


def test_toneless_pinyin_finds_the_page_and_offers_the_words(home_page):
    add_page(home_page, "cyber", "网络欺凌的识别", "", "截图保存证据。")
    outcome = search_pages("wangluo qiling", synonyms=[])
    assert [page.slug for page in outcome.results][:1] == ["cyber"]
    assert outcome.query.corrected == "网络欺凌"
    assert outcome.query.typed_found_nothing


def test_a_homophone_typo_is_corrected_from_the_sites_own_words(home_page):
    add_page(home_page, "romance", "青春期早恋的沟通", "", "理解孩子的情感。")
    add_page(home_page, "other", "青春期的睡眠", "", "睡足九小时。")
    outcome = search_pages("青春期早练", synonyms=[])
    assert outcome.query.corrected == "青春期早恋"
    assert [page.slug for page in outcome.results][0] == "romance"
    assert not outcome.query.typed_found_nothing  # 青春期 was found: offered, not applied silently


def test_a_word_of_the_site_is_not_corrected(home_page):
    add_page(home_page, "romance", "青春期早恋的沟通", "", "理解孩子的情感。")
    assert search_pages("早恋", synonyms=[]).query.corrected == ""


def test_the_search_page_offers_the_correction(client, home_page):
    add_page(home_page, "romance", "青春期早恋的沟通", "", "理解孩子的情感。")
    content = client.get("/search/", {"q": "早练"}).content.decode()
    assert "您是不是要找" in content or "以下是" in content
    assert "青春期早恋的沟通" in content


def test_a_page_taken_down_is_no_longer_found(home_page):
    page = add_page(home_page, "gone", "近视的预防", "", "")
    page.unpublish()
    assert "gone" not in slugs("近视")


def test_the_number_of_queries_does_not_grow_with_the_pages_found(home_page, django_assert_max_num_queries):
    for number in range(3):
        add_page(home_page, f"few-{number}", f"近视预防{number}", "", "户外活动。")
    search_pages("近视 户外", synonyms=[])  # the index's figures, counted once per index write
    with django_assert_max_num_queries(12) as small:
        search_pages("近视 户外", synonyms=[])
    for number in range(30):
        add_page(home_page, f"many-{number}", f"近视预防{number}", "", "户外活动。")
    search_pages("近视 户外", synonyms=[])
    with django_assert_max_num_queries(len(small.captured_queries)):
        search_pages("近视 户外", synonyms=[])


def test_a_word_on_more_pages_than_the_bound_is_read_best_first_next_to_rare_words(client, home_page, monkeypatch):
    """A common word's rows are read best first and at most ``MAX_POSTINGS`` of them, in one
    query with the rare words' rows (on SQLite, where a limited part of a UNION is not allowed,
    too: it ran only on PostgreSQL until a 5,000-page SQLite site answered 500)."""
    from search import ranking

    monkeypatch.setattr(ranking, "MAX_POSTINGS", 2)
    add_page(home_page, "title", "近视的预防", "", "家长须知。")
    for number in range(3):
        add_page(home_page, f"body-{number}", f"学校通知{number}", "", "操场开放时间调整。近视要早发现。")
    add_page(home_page, "glasses", "配眼镜", "", "近视要早发现。")
    assert len(slugs("近视")) == 2 and slugs("近视")[0] == "title"  # two rows read, the best first
    assert slugs("近视 眼镜")[0] == "glasses"  # a rare word's rows, and a common word's best two
    response = client.get("/search/", {"q": "近视 眼镜"})
    assert response.status_code == 200 and "配眼镜" in response.content.decode()


def test_words_added_for_a_typed_word_no_page_holds_stand_in_for_it(home_page):
    """emo is on no page: the dictionary's 情绪低落/抑郁 are the only way to what was meant, so
    they weigh as a typed word, not less than the common words typed next to it."""
    add_page(home_page, "low-mood", "青春期抑郁的信号", "", "情绪低落持续两周以上，要及时就医。")
    for number in range(3):
        add_page(home_page, f"sleep-{number}", f"作息提醒{number}", "", "孩子作息乱了好久，孩子要早睡。")
    query = analyse_query("孩子emo了好久")
    assert query.terms == ["孩子", "emo", "好久"] and "抑郁" in query.expansions
    assert slugs("孩子emo了好久")[0] == "low-mood"


def test_a_typed_word_some_page_holds_still_outweighs_the_words_added_for_it(home_page):
    add_page(home_page, "added", "学校通知", "", "家长须知：作业负担要减轻。")
    add_page(home_page, "typed", "学校通知", "", "家长须知：双减之后怎么安排。")
    query = analyse_query("双减")
    assert "双减" in query.terms and "作业负担" in query.expansions
    assert slugs("双减")[0] == "typed"
