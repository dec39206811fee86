"""The library index: filters in the URL, newest first, pagination, and a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

import pytest
import wagtail_factories

from library.models import RESOURCES_PER_PAGE, ResourceKind
from tests.factories.library import ResourcePageFactory, signs_resource


def titles(response) -> list[str]:
    return [resource.title for resource in response.context["resources"]]


@pytest.fixture
def resources(library_index, taxonomy):
    """Three resources, published on three days, with different topics, ages and kinds."""
    return {
        "signs": signs_resource(
            library_index,
            published_date=datetime.date(2026, 11, 1),
            topics=[taxonomy["bullying"]],
            age_groups=[taxonomy["primary"]],
        ),
        "phone": ResourcePageFactory(
            parent=library_index,
            title="孩子沉迷手机怎么办",
            kind=ResourceKind.VIDEO,
            published_date=datetime.date(2026, 11, 3),
            topics=[taxonomy["online"]],
            age_groups=[taxonomy["junior"]],
        ),
        "evidence": ResourcePageFactory(
            parent=library_index,
            title="网络欺凌的证据保存",
            published_date=datetime.date(2026, 11, 2),
            topics=[taxonomy["bullying"], taxonomy["online"]],
            age_groups=[taxonomy["junior"]],
        ),
    }


def test_index_lists_live_resources_newest_first(client, library_index, resources):
    ResourcePageFactory(parent=library_index, title="草稿资源", live=False, published_date=datetime.date(2026, 12, 1))
    response = client.get(library_index.url)
    assert titles(response) == ["孩子沉迷手机怎么办", "网络欺凌的证据保存", "如何识别孩子遭受校园欺凌的信号"]


def test_index_renders_cards_with_chinese_titles_tags_and_kind(client, library_index, resources):
    content = client.get(library_index.url).content.decode()
    assert "网络欺凌的证据保存" in content
    assert "防范校园欺凌" in content
    assert "初中（12–15 岁）" in content
    assert f'href="{resources["phone"].url}"' in content


def test_filter_by_topic_keeps_its_state_in_the_url(client, library_index, resources):
    response = client.get(library_index.url, {"topic": "bullying"})
    assert titles(response) == ["网络欺凌的证据保存", "如何识别孩子遭受校园欺凌的信号"]
    assert '<option value="bullying" selected>' in response.content.decode()


def test_filter_by_age_group(client, library_index, resources):
    response = client.get(library_index.url, {"age": "junior"})
    assert titles(response) == ["孩子沉迷手机怎么办", "网络欺凌的证据保存"]
    assert '<option value="junior" selected>' in response.content.decode()


def test_filter_by_kind(client, library_index, resources):
    response = client.get(library_index.url, {"kind": "video"})
    assert titles(response) == ["孩子沉迷手机怎么办"]
    assert '<option value="video" selected>' in response.content.decode()


def test_filters_combine(client, library_index, resources):
    response = client.get(library_index.url, {"topic": "online-safety", "age": "junior", "kind": "article"})
    assert titles(response) == ["网络欺凌的证据保存"]


def test_a_resource_with_two_matching_tags_is_listed_once(client, library_index, resources):
    response = client.get(library_index.url, {"topic": "online-safety"})
    assert titles(response) == ["孩子沉迷手机怎么办", "网络欺凌的证据保存"]


def test_no_match_says_so_and_offers_to_clear_the_filters(client, library_index, resources):
    response = client.get(library_index.url, {"topic": "bullying", "kind": "audio"})
    content = response.content.decode()
    assert titles(response) == []
    assert _("No resource matches these filters yet. Try another age, topic or kind.") in content
    assert f'href="{library_index.url}"' in content


def test_unknown_filter_values_are_ignored_not_errors(client, library_index, resources):
    response = client.get(library_index.url, {"kind": "hologram", "topic": "无此主题", "page": "x"})
    assert response.status_code == 200
    assert response.context["filters"]["kind"] == ""
    assert titles(response) == []  # an unknown topic matches nothing


def test_filters_are_an_accessible_get_form_without_javascript(client, library_index, resources):
    content = client.get(library_index.url).content.decode()
    start = content.index('<form class="course-filters library-filters"')
    form = content[start : content.index("</form>", start)]
    assert form.startswith(f'<form class="course-filters library-filters" method="get" action="{library_index.url}">')
    assert "<fieldset" in form and "<legend" in form
    for field in ("age", "topic", "kind"):
        assert f'<label for="filter-{field}">' in form
        assert f'<select id="filter-{field}" name="{field}">' in form
    assert 'type="submit"' in form


def test_pagination_keeps_the_filters(client, library_index, taxonomy):
    for number in range(RESOURCES_PER_PAGE + 2):
        ResourcePageFactory(parent=library_index, title=f"防欺凌资料{number}", topics=[taxonomy["bullying"]])
    first = client.get(library_index.url, {"topic": "bullying"})
    assert len(first.context["resources"]) == RESOURCES_PER_PAGE
    assert "?topic=bullying&amp;page=2" in first.content.decode()
    second = client.get(library_index.url, {"topic": "bullying", "page": 2})
    assert len(second.context["resources"]) == 2
    assert "?topic=bullying&amp;page=1" in second.content.decode()


def test_a_page_number_past_the_end_shows_the_last_page(client, library_index, resources):
    response = client.get(library_index.url, {"page": 99})
    assert response.status_code == 200
    assert len(response.context["resources"]) == 3


def add_resources(library_index, taxonomy, count: int) -> None:
    """Resources with a cover image, two topics and an age group each."""
    for _number in range(count):
        ResourcePageFactory(
            parent=library_index,
            cover_image=wagtail_factories.ImageFactory(),
            topics=[taxonomy["bullying"], taxonomy["online"]],
            age_groups=[taxonomy["junior"]],
        )


def index_queries(client, url: str) -> int:
    client.get(url)  # renditions are made on the first view; count the views after it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_index_query_count_does_not_grow_with_the_number_of_resources(client, library_index, taxonomy):
    add_resources(library_index, taxonomy, 5)
    with_five = index_queries(client, library_index.url)
    add_resources(library_index, taxonomy, 45)
    with_fifty = index_queries(client, library_index.url)
    assert with_five == with_fifty
    assert with_five <= 15


def test_filtered_index_query_count_does_not_grow_either(client, library_index, taxonomy):
    url = f"{library_index.url}?topic=bullying&age=junior&kind=article"
    add_resources(library_index, taxonomy, 5)
    with_five = index_queries(client, url)
    add_resources(library_index, taxonomy, 45)
    assert index_queries(client, url) == with_five
    assert with_five <= 15
