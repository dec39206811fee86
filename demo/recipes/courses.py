"""Demo course library (``data/courses.json``): the catalogue and six family-education courses,
each with a quiz drawing from ten bank questions (``data/questions.csv``, imported through the
question bank's own spreadsheet importer). One lesson plays a short video the project ships
(``demo/media/``, made by ``make_demo_video.py`` there), stored as a wagtailmedia video item
with its poster as the thumbnail; the lesson's player takes its poster and running time from it.

``create_demo_courses()`` is idempotent: pages are looked up by slug, questions by text and the
video item by title before anything is created, and existing pages are left as they are. When
the demo teacher and parent exist, the courses name the teacher and the parent gets one course
in progress and one assigned course, so "my courses" has something to show.
"""

from __future__ import annotations

import datetime
import io
import json
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from ..builder import MEDIA, ensure_page, home_page, load, publish, store, write
from ..sources import (
    QUESTION_COLUMNS,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    MediaType,
    Question,
    QuizPage,
    Topic,
    User,
    course_services,
    get_media_model,
    import_questions,
    table_to_xlsx,
)
from .taxonomy import ensure_taxonomy

COURSES = load("courses.json")
VIDEO = COURSES["video"]
DEMO_VIDEO = MEDIA / VIDEO["file"]
DEMO_POSTER = MEDIA / VIDEO["poster"]
DEMO_VIDEO_SECONDS: int = VIDEO["seconds"]
DEMO_VIDEO_TITLE: str = VIDEO["title"]


def ensure_catalogue(home) -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    spec = COURSES["catalogue"]
    return ensure_page(
        home, CourseIndexPage, spec["slug"], title=spec["title"], intro=spec["intro"], show_in_menus=True
    )[0]


def ensure_course(catalogue, spec: dict, topics, age_groups, teacher: User | None) -> tuple[CoursePage, bool]:
    course, created = ensure_page(
        catalogue,
        CoursePage,
        spec["slug"],
        relations={
            "topics": [topics[slug] for slug in spec["topics"]],
            "age_groups": [age_groups[slug] for slug in spec["ages"]],
        },
        title=spec["title"],
        summary=spec["summary"],
        learning_objectives=spec["objectives"],
        estimated_minutes=spec["minutes"],
        teacher=teacher,
        organisation=COURSES["organisation"],
    )
    if created:
        for number, lesson in enumerate(spec["lessons"], start=1):
            ensure_page(
                course,
                LessonPage,
                f"lesson-{number}",
                title=lesson["title"],
                body=lesson["body"],
                minimum_reading_seconds=60,
            )
    return course, created


def ensure_demo_media_item():
    """The demo video as a wagtailmedia video item (root collection), found by title, with the
    poster as its thumbnail and the running time and size the player needs."""
    media_model = get_media_model()
    existing = media_model.objects.filter(title=DEMO_VIDEO_TITLE, type=MediaType.VIDEO).first()
    if existing is not None:
        return existing
    media_item = media_model(
        title=DEMO_VIDEO_TITLE,
        type=MediaType.VIDEO,
        duration=DEMO_VIDEO_SECONDS,
        width=VIDEO["width"],
        height=VIDEO["height"],
    )
    store(media_item.file, DEMO_VIDEO, "media")
    store(media_item.thumbnail, DEMO_POSTER, "media_thumbnails")
    media_item.save()
    return media_item


def _is_demo_or_placeholder(player) -> bool:
    """A player the demo may replace: none, a URL or a missing file, or the demo video as the
    Wagtail document earlier versions of the demo stored."""
    if player is None:
        return True
    if player.get("media") is not None:
        return False
    document = player.get("document")
    return document is None or document.title == DEMO_VIDEO_TITLE


def ensure_demo_video(course: CoursePage) -> bool:
    """Puts the demo video at the top of one lesson, replacing a placeholder player; a lesson
    whose player already has a file of an editor's is left alone. True when changed."""
    lesson = LessonPage.objects.child_of(course).filter(slug=VIDEO["lesson"]).first()
    if lesson is None or not _is_demo_or_placeholder(lesson.media_block()):
        return False
    media_item = ensure_demo_media_item()
    player = {
        "type": "media",
        "value": {
            "kind": "video",
            "title": VIDEO["player_title"],
            "media": media_item.pk,
            "document": None,
            "url": "",
            "poster": None,  # the media item's thumbnail
            "duration_seconds": None,  # the media item's duration
            "transcript": VIDEO["transcript"],
        },
    }
    body = [dict(block) for block in lesson.body.raw_data if block["type"] != "media"]
    lesson.body = json.dumps([player, *body])
    publish(lesson)
    return True


def ensure_questions(course: CoursePage) -> int:
    """The course's bank questions that are not in the bank yet (by text), imported as one
    spreadsheet through ``courses.question_bank.import_questions``; the number imported."""
    rows = [
        [row[column] for column in QUESTION_COLUMNS]
        for row in load("questions.csv")
        if row["course"] == course.slug and not Question.objects.filter(text=row["question"]).exists()
    ]
    if not rows:
        return 0
    result = import_questions(io.BytesIO(table_to_xlsx(QUESTION_COLUMNS, rows, "questions")))
    if not result.ok:
        raise ValueError("demo/data/questions.csv: " + " ".join(result.errors))
    return len(result.created)


def ensure_quiz(course: CoursePage, topic: Topic) -> QuizPage:
    """A quiz after the lessons, drawing from the course topic's bank questions."""
    quiz = QuizPage.objects.child_of(course).first()
    if quiz is None:
        spec = {key: value for key, value in COURSES["quiz"].items() if key != "slug"}
        quiz = ensure_page(course, QuizPage, COURSES["quiz"]["slug"], relations={"topics": [topic]}, **spec)[0]
    return quiz.specific


def ensure_demo_enrolments(courses: list[CoursePage], parent: User) -> None:
    """The demo parent: one course in progress (first lesson done), one assigned with a deadline."""
    if Enrolment.objects.filter(parent=parent).exists():
        return
    started, assigned = courses[0], courses[2]
    course_services.enrol(parent, started)
    first = LessonPage.objects.live().child_of(started).order_by("path").first()
    progress = course_services.open_lesson(parent, first)
    progress.first_opened_at = timezone.now() - datetime.timedelta(minutes=10)
    progress.save(update_fields=["first_opened_at"])
    course_services.mark_text_lesson_done(parent, first)
    course_services.assign_course(
        assigned,
        parents=[parent],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        reason="学校防欺凌工作安排的家长必修课（演示）",
        assigned_by=None,
    )


@transaction.atomic
def create_demo_courses(stdout: TextIO | None = None) -> CourseIndexPage:
    """Creates (or completes) the demo course library; running it again changes nothing."""
    topics, age_groups = ensure_taxonomy()
    catalogue = ensure_catalogue(home_page())
    teacher = User.objects.filter(email=COURSES["teacher_email"]).first()
    courses = []
    for spec in COURSES["courses"]:
        course, created = ensure_course(catalogue, spec, topics, age_groups, teacher)
        courses.append(course)
        write(stdout, f"{'Created' if created else 'Kept'} course {course.title}\n")
        if course.slug == VIDEO["course"] and ensure_demo_video(course):
            write(stdout, f"Added the demo video to {course.title}\n")
        new_questions = ensure_questions(course)
        ensure_quiz(course, topics[spec["quiz_topic"]])
        if new_questions:
            write(stdout, f"Added {new_questions} quiz questions to {course.title}\n")
    parent = User.objects.filter(email=COURSES["parent_email"]).first()
    if parent is not None:
        ensure_demo_enrolments(courses, parent)
    return catalogue
