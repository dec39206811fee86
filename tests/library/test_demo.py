"""Demo resources: at least fifteen, in Chinese, across kinds, topics and ages, created once."""

from __future__ import annotations

import re

from django.core.management import call_command

import pytest

from demo.recipes.library import RESOURCES, create_demo_resources
from library.models import LibraryIndexPage, ResourceKind, ResourcePage
from search.query import search_pages
from taxonomy.models import AgeGroup, Topic
from tests.factories.demo import restored

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo():
    """The demo library: built by the recipe once per process, then restored from its snapshot
    (tests/factories/demo.py). The idempotency test runs the recipe itself."""
    return restored("create_demo_resources", create_demo_resources)


def test_demo_creates_one_live_index_with_at_least_fifteen_live_resources(demo):
    assert LibraryIndexPage.objects.live().count() == 1
    assert ResourcePage.objects.live().child_of(demo).count() == len(RESOURCES) >= 15


def test_demo_resources_cover_every_kind_and_several_topics_and_ages(demo):
    resources = ResourcePage.objects.all()
    assert {resource.kind for resource in resources} == set(ResourceKind.values)
    assert Topic.objects.filter(resources__isnull=False).distinct().count() >= 5
    assert AgeGroup.objects.filter(resources__isnull=False).distinct().count() == 4


def test_demo_resources_are_written_in_chinese(demo):
    for resource in ResourcePage.objects.all():
        assert CHINESE.search(resource.title), resource.title
        assert CHINESE.search(resource.summary), resource.title
        assert resource.body, resource.title


def test_demo_links_nothing_outside_the_site(demo):
    for resource in ResourcePage.objects.all():
        assert "http" not in str(resource.body.raw_data), resource.title


def test_demo_video_and_audio_resources_say_their_recording_is_not_shipped(demo):
    for resource in ResourcePage.objects.filter(kind__in=[ResourceKind.VIDEO, ResourceKind.AUDIO]):
        assert not [block for block in resource.body if block.block_type == "media"]
        assert "演示内容" in str(resource.body.raw_data), resource.title


def test_demo_document_resources_have_a_downloadable_file(demo, client):
    documents = ResourcePage.objects.filter(kind=ResourceKind.DOCUMENT)
    assert documents.count() >= 3
    for resource in documents:
        assert resource.document is not None
        assert resource.document.file_size > 0
        content = client.get(resource.url).content.decode()
        assert resource.document.url in content


def test_running_the_demo_twice_changes_nothing():
    from wagtail.documents import get_document_model

    demo = create_demo_resources()
    counts = (ResourcePage.objects.count(), get_document_model().objects.count(), Topic.objects.count())
    assert create_demo_resources().pk == demo.pk
    assert (ResourcePage.objects.count(), get_document_model().objects.count(), Topic.objects.count()) == counts
    assert LibraryIndexPage.objects.count() == 1


def test_the_demo_uses_the_course_librarys_taxonomy(demo):
    from demo.recipes.courses import create_demo_courses

    topics = Topic.objects.count()
    create_demo_courses()
    assert Topic.objects.count() == topics


def test_demo_pages_render(demo, client):
    assert "如何识别孩子遭受校园欺凌的信号" in client.get(demo.url).content.decode()
    for resource in ResourcePage.objects.all():
        response = client.get(resource.url)
        assert response.status_code == 200
        assert resource.title in response.content.decode()


def test_searching_bullying_finds_demo_resources(demo):
    titles = {page.title for page in search_pages("欺凌", page_type="library.resourcepage").results}
    tagged = ResourcePage.objects.filter(topics__slug="bullying").values_list("title", flat=True)
    assert {"如何识别孩子遭受校园欺凌的信号", "网络欺凌的证据保存", *tagged} <= titles


def test_load_demo_content_creates_the_library(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "demo.management.commands.load_demo_content.create_demo_resources", lambda *args: calls.append(args)
    )
    call_command("load_demo_content", "--skip-index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(calls) == 1
