"""Segmentation and query analysis: the same words at index time and at query time."""

from __future__ import annotations

import runpy
import sys

from wagtail.models import Page

import pytest

from home.models import StandardPage
from search import analysis
from search.fields import SegmentedSearchField, chinese_search_fields
from search.query import analyse_query
from search.vocabulary import parse


def test_a_run_of_chinese_characters_is_split_into_words():
    assert {"校园", "欺凌", "校园欺凌"} <= set(analysis.words("如何预防校园欺凌"))


def test_long_words_also_index_their_dictionary_sub_words():
    words = analysis.words("未成年人保护工作站")
    assert {"未成年人", "未成年人保护", "工作站"} <= set(words)


def test_punctuation_tokens_are_dropped():
    words = analysis.words("“强制报告”？！…… ——（）")
    assert {"强制", "报告", "强制报告"} <= set(words)
    assert all(analysis.is_word(word) for word in words)


def test_full_width_letters_and_traditional_characters_are_normalised():
    assert analysis.normalise("ＡＢＣ 校園霸凌 網癮") == "abc 校园霸凌 网瘾"


def test_the_dictionary_is_loaded_once_and_only_when_first_needed(monkeypatch):
    monkeypatch.setattr(analysis, "_tokenizer", None)
    import jieba

    created = []
    original = jieba.Tokenizer

    def counting_tokenizer(*args, **kwargs):
        created.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(jieba, "Tokenizer", counting_tokenizer)
    analysis.words("欺凌")
    analysis.words("网络沉迷")
    assert created == [1]


def test_question_words_are_left_out_of_the_query():
    query = analyse_query("孩子被同学欺负怎么办", synonyms=[], corrections=False)
    assert "怎么办" not in query.terms and "被" not in query.terms
    assert {"孩子", "同学", "欺负"} <= set(query.terms)


def test_a_synonym_in_the_query_adds_the_editors_term():
    query = analyse_query("孩子总是玩手机", synonyms=[("网络沉迷", ["网瘾", "玩手机"])], corrections=False)
    assert {"网络", "沉迷", "网络沉迷"} <= set(query.expansions)


def test_a_pinyin_synonym_adds_the_editors_term():
    assert "欺凌" in analyse_query("baling", synonyms=[("欺凌", ["baling"])], corrections=False).expansions


def test_a_query_of_punctuation_only_is_empty():
    assert not analyse_query("？！。", synonyms=[])


def test_page_search_fields_keep_wagtails_core_fields_and_add_segmented_ones():
    fields = chinese_search_fields("intro", "body")
    assert all(field in fields for field in Page.search_fields)
    segmented = [field.field_name for field in fields if isinstance(field, SegmentedSearchField)]
    assert segmented == ["title", "intro", "body"]


@pytest.mark.django_db
def test_the_indexed_value_of_a_standard_page_is_segmented_text():
    page = StandardPage(title="如何预防校园欺凌", intro="孩子被欺负怎么办")
    values = {
        field.field_name: field.get_value(page)
        for field in page.get_search_fields()
        if isinstance(field, SegmentedSearchField) and field.field_name in {"title", "intro"}
    }
    assert "校园 欺凌" in values["title"]
    assert "欺负" in values["intro"].split()


@pytest.mark.parametrize("model", ["home.HomePage", "home.StandardPage", "workstations.WorkstationIndexPage"])
def test_home_page_models_use_the_chinese_search_fields(model):
    from django.apps import apps

    fields = apps.get_model(model).get_search_fields()
    assert any(isinstance(field, SegmentedSearchField) and field.field_name == "title" for field in fields)


@pytest.mark.django_db
def test_demo_synonyms_are_created_once_and_map_parents_words():
    from demo.recipes.search import create_demo_synonyms
    from search.models import SearchSynonym

    create_demo_synonyms()
    create_demo_synonyms()
    assert SearchSynonym.objects.filter(term="欺凌").count() == 1
    assert "欺凌" in analyse_query("霸凌").expansions
    assert "网络沉迷" in analyse_query("孩子总是玩手机").expansions


def test_traditional_characters_and_taiwan_words_become_the_sites_words():
    query = analyse_query("網路霸凌 軟體", synonyms=[], corrections=False)
    assert {"网络", "霸凌", "软件"} <= set(query.terms)


def test_simplified_text_is_left_as_typed():
    assert analyse_query("孩子怎么办", synonyms=[], corrections=False).text == "孩子怎么办"


def test_the_dictionary_maps_colloquial_words_and_abbreviations_to_the_sites_words():
    assert "孩子" in analyse_query("娃写作业", synonyms=[], corrections=False).expansions
    assert {"家庭教育", "促进法"} <= set(analyse_query("家促法", synonyms=[], corrections=False).expansions)
    assert {"校外", "培训", "作业负担"} <= set(analyse_query("双减", synonyms=[], corrections=False).expansions)


def test_an_equivalence_group_works_both_ways_and_a_one_way_rule_does_not():
    assert "霸凌" in analyse_query("欺凌", synonyms=[], corrections=False).expansions
    assert "欺凌" in analyse_query("霸凌", synonyms=[], corrections=False).expansions
    assert "娃" not in analyse_query("孩子", synonyms=[], corrections=False).expansions


def test_the_dictionary_format_editors_extend():
    rules = parse("# a comment\n甲 = 乙\n丙, 丁 => 戊 己\n")
    assert rules == [(("甲",), ("乙",)), (("乙",), ("甲",)), (("丙", "丁"), ("戊", "己"))]


def test_each_gunicorn_worker_loads_the_dictionary_before_its_first_request(monkeypatch, settings):
    """The first search a worker answered waited for jieba's and pypinyin's dictionaries (5-20 s under load)."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)  # the config sets it; put back after
    config = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    monkeypatch.setattr(analysis, "_tokenizer", None)
    monkeypatch.delitem(sys.modules, "pypinyin", raising=False)  # the spelling corrections' dictionaries
    config["post_worker_init"](None)
    assert analysis._tokenizer is not None
    assert "pypinyin" in sys.modules
