"""Factories for the course library: catalogue, courses, lessons and records.

``TopicFactory`` and ``AgeGroupFactory`` live in ``tests.factories.taxonomy`` and can be imported
from here too, since the course tests tag courses with them.
"""

from __future__ import annotations

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, Question, QuizPage
from taxonomy.models import Topic
from tests.factories.home import home_page
from tests.factories.taxonomy import AgeGroupFactory, TopicFactory  # noqa: F401 (course tests tag with them)


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    title = "课程资源库"
    slug = "courses"
    intro = "按孩子的年龄和主题找到合适的课程。"

    class Meta:
        model = CourseIndexPage


class CoursePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"家庭教育课程{n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "帮助家长理解孩子、陪伴成长。"
    learning_objectives = "学会倾听\n学会表达"
    estimated_minutes = 30

    class Meta:
        model = CoursePage


def text_body(text: str = "正文内容") -> list[tuple]:
    return [("paragraph", f"<p>{text}</p>")]


def media_body(duration: int = 100, kind: str = "video") -> str:
    import json

    return json.dumps(
        [
            {
                "type": "media",
                "value": {
                    "kind": kind,
                    "title": "示例视频",
                    "document": None,
                    "url": "/static/video/demo.mp4",
                    "poster": None,
                    "duration_seconds": duration,
                    "transcript": "",
                },
            }
        ]
    )


class LessonPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n}课")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    body = factory.LazyFunction(lambda: '[{"type": "paragraph", "value": "<p>正文</p>"}]')
    minimum_reading_seconds = 60

    class Meta:
        model = LessonPage


def catalogue() -> CourseIndexPage:
    """The site's catalogue under the home page, created on first use."""
    existing = CourseIndexPage.objects.first()
    return existing or CourseIndexPageFactory(parent=home_page())


def course_with_lessons(lessons: int = 2, *, media_lessons: int = 0, **fields) -> CoursePage:
    course = CoursePageFactory(parent=catalogue(), **fields)
    for _index in range(lessons):
        LessonPageFactory(parent=course)
    for _index in range(media_lessons):
        LessonPageFactory(parent=course, body=media_body())
    return course


class EnrolmentFactory(DjangoModelFactory):
    status = Enrolment.Status.ACTIVE

    class Meta:
        model = Enrolment


def tag(course: CoursePage, *, topics=(), age_groups=()) -> CoursePage:
    """Adds topics and age groups; parental many-to-many changes are stored on save."""
    course.topics.add(*topics)
    course.age_groups.add(*age_groups)
    course.save()
    return course


class QuizPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"测验{n}")
    slug = factory.Sequence(lambda n: f"quiz-{n}")
    question_count = 3
    pass_mark_percent = 60
    max_attempts = 3

    class Meta:
        model = QuizPage


def question(
    text: str = "孩子被同学起侮辱性外号，家长首先应该怎么做？",
    *,
    kind: str = Question.Kind.SINGLE,
    options=(("认真倾听孩子的感受", True), ("让孩子忍一忍", False), ("直接去找对方家长吵架", False)),
    explanation: str = "先倾听、稳住情绪，再和学校沟通。",
    topic: Topic | None = None,
    difficulty: int = Question.Difficulty.EASY,
    publish: bool = True,
) -> Question:
    """A bank question saved with a revision, published unless ``publish=False`` (a draft)."""
    from courses.question_bank import option_stream

    item = Question(
        text=text,
        kind=kind,
        options=option_stream(list(options)),
        explanation=explanation,
        topic=topic,
        difficulty=difficulty,
        live=publish,
    )
    item.save()
    revision = item.save_revision()
    if publish:
        revision.publish()
    item.refresh_from_db()
    return item


def question_bank(count: int, **fields) -> list[Question]:
    return [question(f"第{number}题：家长应该怎么做？", **fields) for number in range(1, count + 1)]


def issued_certificate(enrolment: Enrolment, *, code: str = "ABCDEFGHJKLM", name: str = "家长"):
    """A valid certificate for ``enrolment`` stored as a row only (no PDF), completed 2026-01-05."""
    import datetime

    from courses.models import Certificate

    return Certificate.objects.create(
        enrolment=enrolment,
        parent=enrolment.parent,
        course=enrolment.course,
        code=code,
        name=name,
        course_title=enrolment.course.title,
        minutes=60,
        completed_on=datetime.date(2026, 1, 5),
    )
