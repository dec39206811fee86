"""Writing the ranking index: only what changed is rewritten, in a fixed number of queries."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from search.analysis import words
from search.models import SearchDocument, SearchPosting
from search.postings import field_texts, index_pages
from search.query import search_pages

from .conftest import add_page

pytestmark = pytest.mark.django_db


def rows(page) -> list[tuple]:
    return list(
        SearchPosting.objects.filter(document_id=page.pk)
        .order_by("term")
        .values_list("id", "term", "title", "keywords", "summary", "body", "impact")
    )


def test_publishing_a_page_whose_text_did_not_change_keeps_its_rows(home_page):
    page = add_page(home_page, "sleep", "保证孩子充足的睡眠", "睡眠不足影响学习", "小学生每天应睡够十个小时。")
    before = rows(page)
    page.owner = None
    page.save_revision().publish()
    assert rows(page) == before  # the same rows, ids included: nothing was rewritten
    assert [result.pk for result in search_pages("睡眠").results] == [page.pk]


def test_changing_the_text_rewrites_the_rows_and_the_new_words_are_found(home_page):
    page = add_page(home_page, "sleep", "保证孩子充足的睡眠", "睡眠不足影响学习", "小学生每天应睡够十个小时。")
    page.body = json.dumps([{"type": "paragraph", "value": "<p>午休也很重要。</p>"}], ensure_ascii=False)
    page.save_revision().publish()
    assert [result.pk for result in search_pages("午休").results] == [page.pk]
    assert not search_pages("十个小时").results


def test_the_rows_hold_the_words_of_the_whole_text_of_each_field(home_page):
    page = add_page(
        home_page, "bullying", "如何预防校园欺凌", "家长与学校携手预防欺凌", "发现孩子被欺负，先倾听，再联系老师。"
    )
    texts = field_texts(page)
    expected = {}
    for field, text in texts.items():
        for word in words(text):
            expected.setdefault(word, dict.fromkeys(texts, 0))[field] += 1
    stored = {
        term: {"title": title, "keywords": keywords, "summary": summary, "body": body}
        for _id, term, title, keywords, summary, body, _impact in rows(page)
    }
    assert stored == expected
    document = SearchDocument.objects.get(pk=page.pk)
    assert document.body_length == len(words(texts["body"]))


def test_indexing_many_pages_takes_as_many_queries_as_indexing_one(home_page):
    pages = [
        add_page(home_page, f"page-{n}", f"第{n}篇家庭教育文章", "亲子沟通", "倾听孩子。" * n) for n in range(1, 7)
    ]
    SearchDocument.objects.update(digest="")  # as if the dictionary had changed: every page is rewritten

    def queries(batch) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert index_pages(batch) == len(batch)
        return len(captured)

    one = queries(pages[:1])
    assert queries(pages[1:]) == one
    with CaptureQueriesContext(connection) as captured:
        assert index_pages(pages) == 0  # nothing changed since
    assert len(captured) == 1
