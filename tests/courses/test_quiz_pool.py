"""A quiz may not promise more questions than its pool holds: the admin refuses it when saving."""

from __future__ import annotations

from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data

import pytest

from accounts.roles import Role
from courses.models import QuizPage
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import question_bank
from tests.factories.taxonomy import TopicFactory


@pytest.fixture
def staff_client(client, db):
    sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))
    return client


def add_quiz(client, course, topics=(), **fields):
    data = nested_form_data(
        {
            "title": "单元测验",
            "slug": "unit-quiz",
            "intro": "",
            "question_count": 10,
            "difficulty": "",
            "pass_mark_percent": 60,
            "max_attempts": 3,
            "time_limit_minutes": "",
            **fields,
        }
    )
    data["topics"] = [str(pk) for pk in topics]  # a plain multiple choice, not a nested list
    return client.post(reverse("wagtailadmin_pages:add", args=["courses", "quizpage", course.pk]), data)


def test_a_quiz_drawing_more_questions_than_its_topic_holds_is_refused(staff_client, course):
    topic, other = TopicFactory(), TopicFactory()
    question_bank(3, topic=topic)
    question_bank(20, topic=other)
    response = add_quiz(staff_client, course, question_count=4, topics=[topic.pk])
    assert response.status_code == 200
    assert not QuizPage.objects.exists()
    errors = response.context["form"].errors["question_count"]
    assert "3" in errors[0] and "4" in errors[0]


def test_a_quiz_drawing_no_more_than_its_pool_is_saved(staff_client, course):
    topic = TopicFactory()
    question_bank(3, topic=topic)
    response = add_quiz(staff_client, course, question_count=3, topics=[topic.pk])
    assert response.status_code == 302, response.context["form"].errors
    assert QuizPage.objects.get().question_count == 3


def test_unpublished_questions_do_not_count_towards_the_pool(staff_client, course):
    question_bank(2)
    question_bank(5, publish=False)
    response = add_quiz(staff_client, course, question_count=3)
    assert response.status_code == 200 and "question_count" in response.context["form"].errors
