"""The catalogue: filters in the URL, sorting, pagination, and a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import wagtail_factories

from accounts.roles import Role
from courses import services
from courses.models import LessonPage
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import (
    AgeGroupFactory,
    LessonPageFactory,
    TopicFactory,
    course_with_lessons,
    media_body,
    tag,
)


def titles(response) -> list[str]:
    return [course.title for course in response.context["courses"]]


@pytest.fixture
def taxonomy(db):
    return {
        "communication": TopicFactory(name="亲子沟通", slug="communication"),
        "bullying": TopicFactory(name="防范校园欺凌", slug="bullying"),
        "preschool": AgeGroupFactory(name="学龄前", slug="preschool"),
        "teen": AgeGroupFactory(name="初中", slug="teen"),
    }


@pytest.fixture
def library(catalogue, taxonomy):
    talk = course_with_lessons(1, title="倾听孩子")
    tag(talk, topics=[taxonomy["communication"]], age_groups=[taxonomy["preschool"]])
    bullying = course_with_lessons(1, media_lessons=1, title="识别欺凌")
    tag(bullying, topics=[taxonomy["bullying"]], age_groups=[taxonomy["teen"]])
    both = course_with_lessons(1, title="青春期的沟通")
    tag(both, topics=[taxonomy["communication"]], age_groups=[taxonomy["teen"]])
    return {"talk": talk, "bullying": bullying, "both": both}


def test_catalogue_lists_live_courses_newest_first(client, catalogue, library):
    course_with_lessons(1, title="草稿课程", live=False)
    response = client.get(catalogue.url)
    assert titles(response) == ["青春期的沟通", "识别欺凌", "倾听孩子"]


def test_filter_by_topic_keeps_its_state_in_the_url(client, catalogue, library):
    response = client.get(catalogue.url, {"topic": "communication"})
    assert titles(response) == ["青春期的沟通", "倾听孩子"]
    assert '<option value="communication" selected>' in response.content.decode()


def test_filter_by_age_group(client, catalogue, library):
    assert titles(client.get(catalogue.url, {"age": "teen"})) == ["青春期的沟通", "识别欺凌"]


def test_filters_combine(client, catalogue, library):
    assert titles(client.get(catalogue.url, {"age": "teen", "topic": "communication"})) == ["青春期的沟通"]


def test_filter_by_format_video_finds_courses_with_a_player(client, catalogue, library):
    assert titles(client.get(catalogue.url, {"format": "video"})) == ["识别欺凌"]


def test_filter_by_format_text_finds_courses_without_a_player(client, catalogue, library):
    assert titles(client.get(catalogue.url, {"format": "text"})) == ["青春期的沟通", "倾听孩子"]


def test_unknown_filter_values_are_ignored_not_errors(client, catalogue, library):
    response = client.get(catalogue.url, {"format": "hologram", "sort": "random", "page": "x"})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_sort_by_most_enrolled_counts_active_enrolments_only(client, catalogue, library):
    for _index in range(2):
        services.enrol(UserFactory(role=Role.PARENT), library["talk"])
    services.enrol(UserFactory(role=Role.PARENT), library["bullying"])
    leaver = UserFactory(role=Role.PARENT)
    for _index in range(2):
        services.enrol(UserFactory(role=Role.PARENT), library["both"])
    services.enrol(leaver, library["both"])
    services.leave(leaver, library["both"])
    response = client.get(catalogue.url, {"sort": "popular"})
    assert titles(response) == ["青春期的沟通", "倾听孩子", "识别欺凌"]
    assert [course.enrolled_count for course in response.context["courses"]] == [2, 2, 1]


def test_catalogue_paginates_twelve_courses_a_page_and_keeps_filters_in_page_links(client, catalogue, taxonomy):
    for number in range(14):
        tag(course_with_lessons(0, title=f"课程{number:02d}"), topics=[taxonomy["bullying"]])
    first = client.get(catalogue.url, {"topic": "bullying"})
    assert len(titles(first)) == 12
    assert "?topic=bullying&amp;page=2" in first.content.decode()
    second = client.get(catalogue.url, {"topic": "bullying", "page": 2})
    assert titles(second) == ["课程01", "课程00"]


def test_filter_form_works_without_javascript(client, catalogue, library):
    html = client.get(catalogue.url).content.decode()
    assert 'method="get"' in html
    assert '<label for="filter-age">' in html and '<select id="filter-age" name="age">' in html
    assert '<button class="button button--primary" type="submit">' in html


# --- Query counts do not grow with data ---------------------------------------------------


def add_courses(count: int, taxonomy, *, lessons: int = 1) -> list:
    courses = []
    for _index in range(count):
        course = course_with_lessons(lessons, media_lessons=1, cover_image=wagtail_factories.ImageFactory())
        tag(course, topics=[taxonomy["communication"], taxonomy["bullying"]], age_groups=[taxonomy["teen"]])
        courses.append(course)
    return courses


def count_queries(client, url: str) -> int:
    client.get(url)  # the first visit builds image renditions once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_from_5_to_50_courses(client, catalogue, taxonomy):
    parent = UserFactory(role=Role.PARENT)
    sign_in_fully(client, parent)
    measured = add_courses(5, taxonomy)[0]
    services.enrol(parent, measured)
    lesson = measured.lessons().first()
    services.open_lesson(parent, lesson)

    def measure() -> dict[str, int]:
        return {
            "catalogue": count_queries(client, catalogue.url),
            "filtered": count_queries(client, catalogue.url + "?topic=bullying&age=teen&format=video&sort=popular"),
            "course": count_queries(client, measured.url),
            "lesson": count_queries(client, lesson.url),
            "my_courses": count_queries(client, catalogue.url + "mine/"),
        }

    small = measure()
    for course in add_courses(45, taxonomy):
        services.enrol(UserFactory(role=Role.PARENT), course)
        services.enrol(parent, course)
    for _index in range(8):
        LessonPageFactory(parent=measured)
        services.enrol(UserFactory(role=Role.PARENT), measured)
    LessonPageFactory(parent=measured, body=media_body())
    for other in LessonPage.objects.child_of(measured)[:5]:
        services.open_lesson(parent, other)
    large = measure()
    assert large == small
    # Signed in: the session, the user and their roles come on top of the anonymous page's queries.
    assert small["catalogue"] <= 18 and small["filtered"] <= 18 and small["course"] <= 18, small
    assert small["lesson"] <= 15 and small["my_courses"] <= 18, small


def test_anonymous_query_counts_stay_at_15_or_fewer_from_5_to_50_courses(client, catalogue, taxonomy):
    measured = add_courses(5, taxonomy)[0]

    def measure() -> dict[str, int]:
        return {
            "catalogue": count_queries(client, catalogue.url),
            "filtered": count_queries(client, catalogue.url + "?topic=bullying&age=teen&format=video&sort=popular"),
            "page_2": count_queries(client, catalogue.url + "?page=2"),
            "course": count_queries(client, measured.url),
        }

    small = measure()
    for course in add_courses(45, taxonomy, lessons=3):
        services.enrol(UserFactory(role=Role.PARENT), course)
    for _index in range(8):
        LessonPageFactory(parent=measured)
        services.enrol(UserFactory(role=Role.PARENT), measured)
    large = measure()
    assert large == small
    assert max(small.values()) <= 15, small
