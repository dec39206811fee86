"""Related resources and related courses on a resource page, in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

import pytest
import wagtail_factories

from library.models import RELATED_LIMIT
from tests.factories.courses import CoursePageFactory, TopicFactory
from tests.factories.courses import catalogue as make_catalogue
from tests.factories.library import ResourcePageFactory


@pytest.fixture
def resource(library_index, taxonomy):
    return ResourcePageFactory(
        parent=library_index,
        title="网络欺凌的证据保存",
        topics=[taxonomy["bullying"], taxonomy["online"]],
        age_groups=[taxonomy["junior"]],
    )


def test_related_resources_share_a_topic_and_exclude_the_resource_itself(library_index, taxonomy, resource):
    same = ResourcePageFactory(parent=library_index, title="识别欺凌信号", topics=[taxonomy["bullying"]])
    ResourcePageFactory(parent=library_index, title="亲子沟通五法", topics=[taxonomy["communication"]])
    ResourcePageFactory(parent=library_index, title="未标注主题")
    assert resource.related_resources() == [same]


def test_related_resources_with_more_shared_topics_come_first_then_newest(library_index, taxonomy, resource):
    older_one_topic = ResourcePageFactory(
        parent=library_index, topics=[taxonomy["bullying"]], published_date=datetime.date(2026, 1, 1)
    )
    newer_one_topic = ResourcePageFactory(
        parent=library_index, topics=[taxonomy["online"]], published_date=datetime.date(2026, 6, 1)
    )
    both_topics = ResourcePageFactory(
        parent=library_index,
        topics=[taxonomy["bullying"], taxonomy["online"]],
        published_date=datetime.date(2025, 1, 1),
    )
    assert resource.related_resources() == [both_topics, newer_one_topic, older_one_topic]


def test_related_resources_leave_out_drafts_and_stop_at_the_limit(library_index, taxonomy, resource):
    ResourcePageFactory(parent=library_index, live=False, topics=[taxonomy["bullying"]])
    for _number in range(RELATED_LIMIT + 2):
        ResourcePageFactory(parent=library_index, topics=[taxonomy["bullying"]])
    related = resource.related_resources()
    assert len(related) == RELATED_LIMIT
    assert all(page.live for page in related)


def test_a_resource_without_topics_has_no_related_items(library_index, taxonomy):
    ResourcePageFactory(parent=library_index, topics=[taxonomy["bullying"]])
    untagged = ResourcePageFactory(parent=library_index)
    assert untagged.related_resources() == []
    assert untagged.related_courses() == []


def test_related_courses_share_a_topic(library_index, taxonomy, resource):
    catalogue = make_catalogue()
    matching = CoursePageFactory(
        parent=catalogue, title="防范校园欺凌：家长必须知道的事", topics=[taxonomy["bullying"]]
    )
    CoursePageFactory(parent=catalogue, title="亲子沟通", topics=[taxonomy["communication"]])
    CoursePageFactory(parent=catalogue, title="草稿课程", topics=[taxonomy["bullying"]], live=False)
    assert resource.related_courses() == [matching]


def test_resource_page_shows_related_resources_and_courses(client, library_index, taxonomy, resource):
    ResourcePageFactory(parent=library_index, title="如何识别孩子遭受校园欺凌的信号", topics=[taxonomy["bullying"]])
    course = CoursePageFactory(
        parent=make_catalogue(), title="防范校园欺凌：家长必须知道的事", topics=[taxonomy["online"]]
    )
    content = client.get(resource.url).content.decode()
    assert _("Related resources") in content
    assert "如何识别孩子遭受校园欺凌的信号" in content
    assert _("Related courses") in content
    assert f'href="{course.url}"' in content


def test_resource_page_without_related_items_leaves_the_sections_out(client, library_index):
    lonely = ResourcePageFactory(parent=library_index, topics=[TopicFactory(name="独有主题")])
    content = client.get(lonely.url).content.decode()
    assert _("Related resources") not in content
    assert _("Related courses") not in content


def add_related(library_index, catalogue, taxonomy, count: int) -> None:
    for _number in range(count):
        ResourcePageFactory(
            parent=library_index,
            cover_image=wagtail_factories.ImageFactory(),
            topics=[taxonomy["bullying"], taxonomy["online"]],
            age_groups=[taxonomy["junior"], taxonomy["primary"]],
        )
        CoursePageFactory(parent=catalogue, cover_image=wagtail_factories.ImageFactory(), topics=[taxonomy["bullying"]])


def page_queries(client, url: str) -> int:
    client.get(url)  # renditions are made on the first view; count the views after it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_resource_page_query_count_does_not_grow_with_the_number_of_resources(
    client, library_index, taxonomy, resource
):
    catalogue = make_catalogue()
    add_related(library_index, catalogue, taxonomy, 5)
    with_five = page_queries(client, resource.url)
    add_related(library_index, catalogue, taxonomy, 45)
    with_fifty = page_queries(client, resource.url)
    assert with_five == with_fifty
    assert with_five <= 15


def _related_reads(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Both related lists are ordered by the topics they share (the "shared_topics" annotation).
    return response.content.decode(), sum('"shared_topics"' in query["sql"] for query in queries)


def test_the_related_lists_are_read_once_and_then_reused_until_content_changes(
    client, library_index, taxonomy, resource
):
    ResourcePageFactory(parent=library_index, title="识别欺凌信号", topics=[taxonomy["bullying"]])
    client.get(resource.url)
    html, reads = _related_reads(client, resource.url)
    assert "识别欺凌信号" in html
    assert reads == 0

    newer = ResourcePageFactory(parent=library_index, title="网络欺凌怎么取证", topics=[taxonomy["online"]])
    html, reads = _related_reads(client, resource.url)
    assert "网络欺凌怎么取证" in html and reads > 0  # a published page changes the content version

    newer.unpublish()
    html, _reads = _related_reads(client, resource.url)
    assert "网络欺凌怎么取证" not in html
