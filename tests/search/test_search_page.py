"""The /search/ page and its suggestions endpoint."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest

from search.query import analyse_query, highlight, search_pages
from workstations.models import WorkstationIndexPage

from .conftest import add_page

pytestmark = pytest.mark.django_db


def test_searching_a_word_inside_a_run_of_chinese_finds_the_page(client, corpus):
    response = client.get("/search/", {"q": "欺凌"})
    assert response.status_code == 200
    assert "如何预防校园欺凌" in response.content.decode()


def test_a_title_match_ranks_above_a_body_only_match(home_page, synonyms):
    body_only = add_page(home_page, "body-only", "学校安全工作", "", "欺凌的预防。欺凌要早发现。")
    in_title = add_page(home_page, "in-title", "欺凌的早期信号", "", "家长要留意孩子的变化。")
    results = search_pages("欺凌").results
    assert [page.pk for page in results[:2]] == [in_title.pk, body_only.pk]


def test_results_highlight_the_query_words(client, corpus):
    content = client.get("/search/", {"q": "网络诈骗"}).content.decode()
    assert "<mark>网络诈骗</mark>" in content


def test_highlighting_escapes_the_text_it_marks():
    snippet = highlight("<script>欺凌</script>", analyse_query("欺凌", synonyms=[]))
    assert "<script>" not in snippet
    assert "&lt;script&gt;<mark>欺凌</mark>" in snippet


def test_results_can_be_filtered_by_page_type(client, corpus):
    directory = WorkstationIndexPage(title="欺凌求助站点", slug="stations", intro="")
    corpus["prevent-bullying"].get_parent().add_child(instance=directory)
    everything = client.get("/search/", {"q": "欺凌"})
    types = {page_type.key for page_type in everything.context["outcome"].page_types}
    assert {"home.standardpage", "workstations.workstationindexpage"} <= types
    only_directory = client.get("/search/", {"q": "欺凌", "type": "workstations.workstationindexpage"})
    assert [item["page"].pk for item in only_directory.context["results_page"].object_list] == [directory.pk]


def test_results_are_paginated(client, home_page, synonyms):
    for number in range(23):
        add_page(home_page, f"bullying-{number}", f"防欺凌资料第{number}篇", "", "欺凌")
    first = client.get("/search/", {"q": "欺凌"})
    third = client.get("/search/", {"q": "欺凌", "page": 3})
    assert len(first.context["results_page"].object_list) == 10
    assert len(third.context["results_page"].object_list) == 3
    assert 'rel="next"' in first.content.decode()


def test_search_promotions_come_first_and_are_not_repeated(client, corpus):
    pick = corpus["mandatory-report"]
    SearchPromotion.objects.create(query=Query.get("欺凌"), page=pick, sort_order=0, description="编辑推荐")
    response = client.get("/search/", {"q": "欺凌"})
    content = response.content.decode()
    assert content.index("强制报告制度问答") < content.index("如何预防校园欺凌")
    assert pick.pk not in [item["page"].pk for item in response.context["results_page"].object_list]


def test_a_search_is_counted_for_the_editors_popular_queries(client, corpus):
    client.get("/search/", {"q": "欺凌"})
    assert Query.get("欺凌").hits == 1


def test_the_page_works_without_javascript(client):
    """A plain GET form to /search/ with a labelled query field: no script needed to search."""
    from html.parser import HTMLParser

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.forms, self.labels, self.inputs = [], [], []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            {"form": self.forms, "label": self.labels, "input": self.inputs}.get(tag, []).append(attrs)

    page = Forms()
    page.feed(client.get("/search/").content.decode())
    search = [form for form in page.forms if "search-form" in form.get("class", "").split()]
    assert search and search[0]["role"] == "search"
    assert search[0]["method"] == "get" and search[0]["action"] == "/search/"
    assert any(label.get("for") == "search-q" for label in page.labels)
    assert any(field.get("id") == "search-q" and field.get("name") == "q" for field in page.inputs)


def test_nothing_found_says_so(client, corpus):
    response = client.get("/search/", {"q": "火星探测"})
    assert response.status_code == 200
    assert response.context["results_page"].paginator.count == 0


def test_suggestions_return_pages_whose_words_start_with_what_was_typed(client, corpus):
    response = client.get("/search/suggest/", {"q": "强制"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    titles = [item["title"] for item in response.json()["suggestions"]]
    assert "强制报告制度问答" in titles
    assert all(item["url"].startswith("/") for item in response.json()["suggestions"])


def test_when_no_title_word_starts_so_suggestions_are_the_best_live_pages_for_the_words(client, home_page):
    taken_down = add_page(home_page, "old-nap", "旧的作息安排", "", "午休午休午休。")
    taken_down.unpublish()
    once = add_page(home_page, "routine", "小学生的一天", "", "午休半小时。")
    often = add_page(home_page, "nap", "周末作息", "午休的好处", "午休很重要，午休能提高下午的学习效率。")
    response = client.get("/search/suggest/", {"q": "午休"})
    titles = [item["title"] for item in response.json()["suggestions"]]
    assert titles == [often.title, once.title]


def test_suggestions_for_an_empty_query_are_empty(client):
    assert client.get("/search/suggest/", {"q": " "}).json()["suggestions"] == []


def test_search_query_count_does_not_grow_with_the_number_of_results(client, home_page, synonyms):
    for number in range(3):
        add_page(home_page, f"few-{number}", f"欺凌{number}", "", "欺凌")
    client.get("/search/", {"q": "欺凌"})  # creates the query's hit counter and the site settings
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "欺凌"})
    for number in range(30):
        add_page(home_page, f"many-{number}", f"欺凌资料{number}", "", "欺凌")
    client.get("/search/", {"q": "欺凌"})  # new pages: the site's menu and settings are read again once
    with CaptureQueriesContext(connection) as many:
        client.get("/search/", {"q": "欺凌"})
    assert len(many) == len(few)


def test_the_page_says_which_editors_term_a_synonym_added(client, corpus):
    response = client.get("/search/", {"q": "霸凌"})
    assert response.context["outcome"].query.synonyms_used == ["欺凌"]
    assert "<strong>欺凌</strong>" in response.content.decode()


def test_a_promotion_of_an_unpublished_page_is_not_shown(client, corpus):
    pick = corpus["mandatory-report"]
    pick.unpublish()
    SearchPromotion.objects.create(query=Query.get("欺凌"), page=pick, sort_order=0)
    assert client.get("/search/", {"q": "欺凌"}).context["outcome"].promotions == []
