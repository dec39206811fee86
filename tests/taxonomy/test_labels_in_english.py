"""English mode translates the taxonomy's labels and says that the content itself is in Chinese."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

import pytest

from taxonomy.models import AgeGroup, Topic
from tests.factories.courses import catalogue as make_catalogue
from tests.factories.courses import course_with_lessons, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged_course():
    make_catalogue()
    bullying = Topic.objects.create(name="防范校园欺凌", slug="bullying")
    new_topic = Topic.objects.create(name="家风家训", slug="family-tradition")
    preschool = AgeGroup.objects.create(name="学龄前（3–6 岁）", slug="preschool", min_age=3, max_age=6)
    return tag(course_with_lessons(1), topics=[bullying, new_topic], age_groups=[preschool])


def in_english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_labels_follow_the_interface_language():
    topic = Topic(name="防范校园欺凌", slug="bullying")
    ages = AgeGroup(name="初中（12–15 岁）", slug="junior", min_age=12, max_age=15)
    with translation.override("zh-hans"):
        assert (topic.label, ages.label) == ("防范校园欺凌", "初中（12–15 岁）")
    with translation.override("en"):
        assert (topic.label, ages.label) == ("Preventing school bullying", "Ages 12–15")


def test_the_course_page_in_english_shows_english_labels_and_the_content_notice(client, tagged_course):
    in_english(client)
    html = client.get(tagged_course.url).content.decode()
    assert "Preventing school bullying" in html and "Ages 3–6" in html
    assert "防范校园欺凌" not in html and "学龄前（3–6 岁）" not in html
    assert "家风家训" in html  # a topic without an English name keeps its own
    assert "content is in Chinese" in html


def test_the_catalogue_filters_in_english_use_english_labels(client, tagged_course):
    in_english(client)
    html = client.get(tagged_course.get_parent().url).content.decode()
    assert ">Ages 3–6</option>" in html and ">Preventing school bullying</option>" in html


def test_in_chinese_the_labels_are_the_editors_names_and_there_is_no_notice(client, tagged_course):
    html = client.get(tagged_course.url).content.decode()
    assert "防范校园欺凌" in html and "学龄前（3–6 岁）" in html
    assert "content-language" not in html
