"""Library resources are found by the site's Chinese search (the search app)."""

from __future__ import annotations

import pytest

from search.query import search_pages
from tests.factories.library import ResourcePageFactory, signs_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources(library_index, taxonomy):
    return {
        "signs": signs_resource(
            library_index,
            summary="身体、情绪和学习上的变化，往往是最早的信号。",
        ),
        "evidence": ResourcePageFactory(
            parent=library_index,
            title="保存证据",
            summary="聊天记录和评论可能随时被删除。",
            body='[{"type": "paragraph", "value": "<p>遇到网络欺凌，先截图保存。</p>"}]',
        ),
        "tagged": ResourcePageFactory(
            parent=library_index,
            title="给家长的一封信",
            summary="写给每一位家长。",
            topics=[taxonomy["bullying"]],
        ),
        "unrelated": ResourcePageFactory(parent=library_index, title="睡前故事", summary="陪孩子入睡。"),
    }


def found(query: str, **kwargs) -> list[int]:
    return [page.pk for page in search_pages(query, **kwargs).results]


def test_searching_bullying_finds_resources_by_title_body_and_topic(resources):
    pks = found("欺凌")
    assert resources["signs"].pk in pks
    assert resources["evidence"].pk in pks
    assert resources["tagged"].pk in pks
    assert resources["unrelated"].pk not in pks


def test_a_title_match_ranks_above_a_body_only_match(resources):
    pks = found("欺凌")
    assert pks.index(resources["signs"].pk) < pks.index(resources["evidence"].pk)


def test_search_results_can_be_narrowed_to_library_resources(resources, library_index):
    outcome = search_pages("欺凌", page_type="library.resourcepage")
    assert {page.pk for page in outcome.results} == {
        resources["signs"].pk,
        resources["evidence"].pk,
        resources["tagged"].pk,
    }
    assert "library.resourcepage" in {page_type.key for page_type in outcome.page_types}


def test_draft_resources_are_not_found(library_index):
    draft = ResourcePageFactory(parent=library_index, title="校园欺凌草稿", live=False)
    assert draft.pk not in found("欺凌")


def test_the_search_page_shows_library_resources(client, resources):
    content = client.get("/search/", {"q": "欺凌", "type": "library.resourcepage"}).content.decode()
    assert "如何识别孩子遭受校园欺凌的信号" in content
    assert "睡前故事" not in content


def test_the_library_index_offers_a_search_limited_to_resources(client, library_index):
    content = client.get(library_index.url).content.decode()
    assert 'action="/search/"' in content
    assert 'name="type" value="library.resourcepage"' in content


def test_a_topic_added_when_republishing_is_searchable(library_index, taxonomy):
    resource = ResourcePageFactory(parent=library_index, title="给家长的一封信", summary="写给每一位家长。")
    assert resource.pk not in found("欺凌")
    resource.topics = [taxonomy["bullying"]]
    resource.save_revision().publish()
    assert resource.pk in found("欺凌")
