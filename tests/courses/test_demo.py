"""The demo course library: six Chinese courses with lessons and one demo video, built idempotently."""

from __future__ import annotations

import io
import json
import os

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import pytest
from wagtailmedia import get_media_model

from courses.models import Assignment, CourseIndexPage, CoursePage, Enrolment, LessonPage
from demo.recipes.courses import DEMO_POSTER, DEMO_VIDEO, DEMO_VIDEO_SECONDS, DEMO_VIDEO_TITLE, create_demo_courses
from demo.recipes.users import create_demo_users
from taxonomy.models import AgeGroup, Topic
from tests.factories.demo import restored
from tests.factories.home import home_page
from tests.factories.media import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalogue():
    """The demo course library for the tests that only read it: built by the recipe once per
    process, then restored from its snapshot (tests/factories/demo.py). The tests of what the
    recipe does when run again, or over earlier content, run it themselves."""
    return restored("create_demo_courses", create_demo_courses)


# The tests of a second run start from ``demo_catalogue``: the state a first run leaves.


def test_demo_builds_the_catalogue_under_the_home_page_at_courses(demo_catalogue):
    catalogue = demo_catalogue
    assert catalogue.get_parent().specific == home_page()
    assert catalogue.url == "/courses/"
    assert catalogue.live


def test_demo_has_six_published_chinese_courses_with_two_or_three_lessons_each(demo_catalogue):
    titles = set(CoursePage.objects.live().values_list("title", flat=True))
    for word in ("亲子沟通", "情绪管理", "防范校园欺凌", "网络安全与防沉迷", "青春期教育", "家庭中的法治教育"):
        assert any(word in title for title in titles), word
    for course in CoursePage.objects.all():
        assert 2 <= course.lessons().count() <= 3
        assert course.topics.exists() and course.age_groups.exists()


def test_demo_lessons_have_real_content_and_one_plays_the_demo_video(demo_catalogue):
    for lesson in LessonPage.objects.all():
        assert len(str(lesson.body)) > 200
    [video_lesson] = LessonPage.objects.filter(media_duration_seconds__gt=0)
    assert video_lesson.get_parent().slug == "preventing-school-bullying"
    assert video_lesson.media_duration_seconds == DEMO_VIDEO_SECONDS


def test_the_demo_video_is_shipped_small_and_h264_in_mp4():
    data = DEMO_VIDEO.read_bytes()
    assert 10_000 < len(data) < 1_000_000
    assert data[4:8] == b"ftyp"  # MP4
    assert data.find(b"moov") < data.find(b"mdat")  # index first: playable while it downloads
    assert b"avc1" in data and b"mp4a" in data  # H.264 video, AAC audio
    assert DEMO_POSTER.stat().st_size < 200_000


def test_the_demo_lesson_plays_the_video_media_item_with_its_thumbnail_as_poster(client, demo_catalogue):
    lesson = LessonPage.objects.get(media_duration_seconds__gt=0)
    media = lesson.media_block()
    item = media["media"]
    assert item.title == DEMO_VIDEO_TITLE and item.type == "video"
    assert (item.width, item.height, item.duration) == (640, 360, DEMO_VIDEO_SECONDS)
    assert item.file.size == DEMO_VIDEO.stat().st_size and item.file_extension == "mp4"
    assert media["document"] is None and media["poster"] is None and media["duration_seconds"] is None
    assert media.src == f"/media-files/{item.pk}/{item.filename}"
    assert media.thumbnail_url == f"/media-files/{item.pk}/{item.thumbnail_filename}"
    assert media.duration == DEMO_VIDEO_SECONDS and media.player_kind == "video"
    response = client.get(media.src, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == DEMO_VIDEO.read_bytes()[:100]
    poster = client.get(media.thumbnail_url)
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"
    assert b"".join(poster.streaming_content) == DEMO_POSTER.read_bytes()


def test_the_demo_video_is_added_once_and_replaces_a_placeholder_player(demo_catalogue):
    lesson = LessonPage.objects.get(media_duration_seconds__gt=0)
    placeholder = {"kind": "video", "title": "待补充", "document": None, "url": "/media/placeholder.mp4"}
    body = [dict(block) for block in lesson.body.raw_data if block["type"] != "media"]
    lesson.body = json.dumps([{"type": "media", "value": {**placeholder, "duration_seconds": 5}}, *body])
    lesson.save_revision().publish()
    create_demo_courses()
    create_demo_courses()
    lesson.refresh_from_db()
    assert lesson.media_block()["media"].title == DEMO_VIDEO_TITLE
    assert lesson.media_duration_seconds == DEMO_VIDEO_SECONDS
    assert [block.block_type for block in lesson.body].count("media") == 1
    assert get_media_model().objects.count() == 1
    assert get_document_model().objects.count() == 0 and get_image_model().objects.count() == 0


def test_the_demo_moves_the_video_document_of_an_earlier_demo_to_the_media_item(demo_catalogue):
    lesson = LessonPage.objects.get(media_duration_seconds__gt=0)
    document = DocumentFactory(title=DEMO_VIDEO_TITLE, file__filename="recognising-the-signs.mp4")
    earlier = {"kind": "video", "title": "旧版", "document": document.pk, "url": "", "duration_seconds": 30}
    body = [dict(block) for block in lesson.body.raw_data if block["type"] != "media"]
    lesson.body = json.dumps([{"type": "media", "value": earlier}, *body])
    lesson.save_revision().publish()
    create_demo_courses()
    lesson.refresh_from_db()
    assert lesson.media_block()["media"].title == DEMO_VIDEO_TITLE
    assert lesson.media_block()["document"] is None


def test_the_demo_leaves_a_player_an_editor_chose_alone(demo_catalogue):
    lesson = LessonPage.objects.get(media_duration_seconds__gt=0)
    document = DocumentFactory(title="编辑上传的视频")
    chosen = {"kind": "video", "title": "编辑选择", "document": document.pk, "url": "", "duration_seconds": 42}
    body = [dict(block) for block in lesson.body.raw_data if block["type"] != "media"]
    lesson.body = json.dumps([{"type": "media", "value": chosen}, *body])
    lesson.save_revision().publish()
    create_demo_courses()
    lesson.refresh_from_db()
    assert lesson.media_block()["document"] == document
    assert lesson.media_duration_seconds == 42


def test_a_rebuilt_demo_reuses_the_stored_video_and_thumbnail_files(settings, demo_catalogue):
    first = get_media_model().objects.get()
    LessonPage.objects.all().delete()
    get_media_model().objects.all().delete()
    CoursePage.objects.all().delete()
    create_demo_courses()
    again = get_media_model().objects.get()
    assert (again.file.name, again.thumbnail.name) == (first.file.name, first.thumbnail.name)
    assert sorted(os.listdir(os.path.join(settings.MEDIA_ROOT, "media"))) == [first.filename]
    assert sorted(os.listdir(os.path.join(settings.MEDIA_ROOT, "media_thumbnails"))) == [first.thumbnail_filename]


def test_running_the_demo_twice_changes_nothing(demo_catalogue):
    counts = [model.objects.count() for model in (CourseIndexPage, CoursePage, LessonPage, Topic, AgeGroup)]
    out = io.StringIO()
    create_demo_courses(stdout=out)
    assert [model.objects.count() for model in (CourseIndexPage, CoursePage, LessonPage, Topic, AgeGroup)] == counts
    assert "Kept course" in out.getvalue() and "Created" not in out.getvalue()


def test_demo_gives_the_demo_parent_a_course_in_progress_and_an_assigned_one():
    create_demo_users()
    create_demo_courses()
    create_demo_courses()
    assert Enrolment.objects.filter(parent__email="parent@demo.huiai.invalid").count() == 2
    assert Assignment.objects.count() == 1


def test_demo_catalogue_course_and_lesson_pages_render(client):
    create_demo_users()
    catalogue = create_demo_courses()
    assert client.get(catalogue.url).status_code == 200
    course = CoursePage.objects.get(slug="preventing-school-bullying")
    assert "校园欺凌" in client.get(course.url).content.decode()


def test_demo_gives_every_course_a_quiz_with_at_least_ten_chinese_bank_questions(demo_catalogue):
    from courses.models import Question, QuizPage

    create_demo_courses()  # idempotent
    for course in CoursePage.objects.all():
        quizzes = QuizPage.objects.child_of(course).live()
        assert quizzes.count() == 1
        quiz = quizzes.get()
        topic_ids = list(quiz.topics.values_list("pk", flat=True))
        pool = Question.objects.filter(live=True, topic_id__in=topic_ids)
        assert pool.count() >= 10
        assert all(any("\u4e00" <= char <= "\u9fff" for char in question.text) for question in pool)
        assert all(any("\u4e00" <= char <= "\u9fff" for char in question.explanation) for question in pool)
        assert quiz.path > course.lessons().last().path  # after the lessons
    assert Question.objects.count() == 60
