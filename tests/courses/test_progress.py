"""Progress rules: reading time, watched intervals, resume point, sticky completion."""

from __future__ import annotations

import datetime
import json
import re

from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

import pytest

from courses import page_context, services
from courses.models import Enrolment, LessonProgress
from tests.factories.courses import LessonPageFactory, course_with_lessons, media_body

MINUTE = datetime.timedelta(minutes=1)


def too_early(text: str) -> str:
    """A pattern for ``text``, the translated "read a little longer" message, whatever the seconds left."""
    return re.escape(text).replace(re.escape("%(seconds)d"), r"\d+")


def read_longer() -> str:
    return _("Please take a little more time to read this lesson (about %(seconds)d more seconds).")


@pytest.fixture
def text_lesson(course):
    return course.lessons().first()


@pytest.fixture
def video_lesson(course):
    return LessonPageFactory(parent=course, body=media_body(duration=100))


@pytest.fixture
def enrolled(parent, course):
    return services.enrol(parent, course)


def opened(parent, lesson, ago: datetime.timedelta) -> LessonProgress:
    progress = services.open_lesson(parent, lesson)
    progress.first_opened_at = timezone.now() - ago
    progress.save()
    return progress


# --- Intervals --------------------------------------------------------------------------------


def test_merge_intervals_joins_overlaps_and_sorts():
    assert services.merge_intervals([(30, 40), (0, 10), (5, 20)]) == [[0, 20], [30, 40]]


def test_merge_intervals_joins_gaps_under_a_second():
    assert services.merge_intervals([(0, 10), (10.5, 20)]) == [[0, 20]]


def test_merge_intervals_clips_to_the_running_time_and_drops_empty_ones():
    assert services.merge_intervals([(-5, 10), (90, 150), (50, 50), (60, 55)], duration=100) == [[0, 10], [90, 100]]


def test_parse_intervals_refuses_anything_but_pairs_of_numbers():
    assert services.parse_intervals("[[0, 1.5]]") == [(0.0, 1.5)]
    for bad in ('{"a": 1}', "[[1]]", '[["x", 2]]', "[[NaN, 2]]", json.dumps([[0, 1]] * 501)):
        with pytest.raises(ValueError):
            services.parse_intervals(bad)


# --- Text lessons -----------------------------------------------------------------------------


def test_a_text_lesson_cannot_be_marked_done_before_the_minimum_reading_time(parent, text_lesson, enrolled):
    opened(parent, text_lesson, ago=datetime.timedelta(seconds=20))
    with pytest.raises(services.ProgressError, match=too_early(read_longer())):
        services.mark_text_lesson_done(parent, text_lesson)
    assert not LessonProgress.objects.get().is_completed


def test_a_text_lesson_completes_after_the_minimum_reading_time(parent, text_lesson, enrolled):
    opened(parent, text_lesson, ago=2 * MINUTE)
    assert services.mark_text_lesson_done(parent, text_lesson).is_completed


def test_reading_time_counts_from_the_first_open_not_the_latest(parent, text_lesson, enrolled):
    opened(parent, text_lesson, ago=2 * MINUTE)
    services.open_lesson(parent, text_lesson)
    assert services.mark_text_lesson_done(parent, text_lesson).is_completed


def test_a_lesson_never_opened_cannot_be_marked_done(parent, text_lesson, enrolled):
    with pytest.raises(services.ProgressError):
        services.mark_text_lesson_done(parent, text_lesson)


def test_only_enrolled_parents_record_progress(parent, text_lesson):
    opened(parent, text_lesson, ago=2 * MINUTE)
    with pytest.raises(services.ProgressError, match=re.escape(_("Enrol in the course to record your progress."))):
        services.mark_text_lesson_done(parent, text_lesson)


def test_a_video_lesson_cannot_be_marked_done_by_hand(parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=10 * MINUTE)
    with pytest.raises(services.ProgressError):
        services.mark_text_lesson_done(parent, video_lesson)


# --- Video and audio lessons ------------------------------------------------------------------


def test_watching_90_percent_in_pieces_completes_a_video_lesson(parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=5 * MINUTE)
    services.record_watched(parent, video_lesson, intervals=[(0, 50)], position=50)
    progress = services.record_watched(parent, video_lesson, intervals=[(45, 89)], position=89)
    assert progress.watched_seconds == 89 and not progress.is_completed
    progress = services.record_watched(parent, video_lesson, intervals=[(89, 90)], position=90)
    assert progress.is_completed


def test_watching_the_same_minute_twice_counts_once(parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=10 * MINUTE)
    for _repeat in range(5):
        progress = services.record_watched(parent, video_lesson, intervals=[(0, 60)], position=60)
    assert progress.watched_seconds == 60 and not progress.is_completed


def test_skipping_to_the_end_does_not_complete_a_video_lesson(parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=10 * MINUTE)
    progress = services.record_watched(parent, video_lesson, intervals=[(0, 5), (95, 100)], position=100)
    assert not progress.is_completed


def test_claims_beyond_the_wall_clock_since_opening_are_ignored(parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=datetime.timedelta(seconds=5))
    progress = services.record_watched(parent, video_lesson, intervals=[(0, 100)], position=100)
    assert progress.watched_seconds == 0 and not progress.is_completed
    assert progress.position_seconds == 100


def test_the_resume_point_is_saved_and_clipped_to_the_running_time(parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=MINUTE)
    assert services.record_watched(parent, video_lesson, intervals=[(0, 30)], position=42.47).position_seconds == 42.5
    assert services.record_watched(parent, video_lesson, intervals=[], position=999).position_seconds == 100


def test_completion_is_sticky(parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=10 * MINUTE)
    done = services.record_watched(parent, video_lesson, intervals=[(0, 100)], position=100).completed_at
    again = services.record_watched(parent, video_lesson, intervals=[], position=3)
    assert again.completed_at == done


# --- Course completion ----------------------------------------------------------------------------


def complete_all(parent, course):
    for lesson in course.lessons():
        opened(parent, lesson, ago=10 * MINUTE)
        if lesson.is_media:
            services.record_watched(parent, lesson, intervals=[(0, lesson.media_duration_seconds)], position=0)
        else:
            services.mark_text_lesson_done(parent, lesson)


def test_finishing_every_lesson_completes_the_course(parent, course, enrolled):
    complete_all(parent, course)
    assert Enrolment.objects.get(pk=enrolled.pk).completed_at is not None


def test_a_lesson_added_later_does_not_make_a_finished_parent_unfinished(parent, course, enrolled):
    complete_all(parent, course)
    LessonPageFactory(parent=course, title="新增的一课")
    context = page_context.course_progress(parent, course)
    assert context["summary"].percent == 100
    assert Enrolment.objects.get(pk=enrolled.pk).completed_at is not None


def test_a_lesson_added_later_is_one_more_lesson_for_parents_not_finished(parent, course, enrolled):
    first = course.lessons().first()
    opened(parent, first, ago=10 * MINUTE)
    services.mark_text_lesson_done(parent, first)
    LessonPageFactory(parent=course)
    summary = page_context.course_progress(parent, course)["summary"]
    assert (summary.done_count, summary.lesson_count, summary.percent) == (1, 3, 33)


def test_progress_survives_leaving_and_coming_back(parent, course, enrolled):
    first = course.lessons().first()
    opened(parent, first, ago=10 * MINUTE)
    services.mark_text_lesson_done(parent, first)
    services.leave(parent, course)
    services.enrol(parent, course)
    assert page_context.course_progress(parent, course)["summary"].done_count == 1


# --- Endpoints -----------------------------------------------------------------------------------


def test_opening_a_lesson_page_starts_the_reading_clock_once(parent_client, parent, text_lesson, enrolled):
    parent_client.get(text_lesson.url)
    first = LessonProgress.objects.get(parent=parent, lesson=text_lesson).first_opened_at
    parent_client.get(text_lesson.url)
    assert LessonProgress.objects.get(parent=parent, lesson=text_lesson).first_opened_at == first


def test_mark_done_too_early_explains_how_long_to_wait(parent_client, text_lesson, enrolled):
    parent_client.get(text_lesson.url)
    response = parent_client.post(text_lesson.url + "complete/", follow=True)
    assert re.search(too_early(escape(read_longer())), response.content.decode())
    assert not LessonProgress.objects.get().is_completed


def test_mark_done_goes_on_to_the_next_lesson(parent_client, parent, course, text_lesson, enrolled):
    opened(parent, text_lesson, ago=2 * MINUTE)
    response = parent_client.post(text_lesson.url + "complete/")
    assert response["Location"] == list(course.lessons())[1].url
    assert LessonProgress.objects.get().is_completed


def test_progress_endpoint_merges_intervals_and_answers_in_json(parent_client, parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=10 * MINUTE)
    response = parent_client.post(
        video_lesson.url + "progress/", {"intervals": "[[0, 40], [30, 95]]", "position": "95"}
    )
    assert response.json() == {"watched_seconds": 95.0, "watched_percent": 95, "position": 95.0, "completed": True}


def test_the_progress_answer_carries_the_share_the_page_shows_while_playing(
    parent_client, parent, video_lesson, enrolled
):
    opened(parent, video_lesson, ago=10 * MINUTE)
    response = parent_client.post(video_lesson.url + "progress/", {"intervals": "[[0, 30]]", "position": "30"})
    assert response.json()["watched_percent"] == 30 and response.json()["completed"] is False
    html = parent_client.get(video_lesson.url).content.decode()
    assert "data-watched-bar" in html and 'value="30"' in html
    assert 'data-watched-text="已观看：{percent}%' in html  # the script fills in the server's figure


def test_the_mark_done_button_is_disabled_while_the_reading_clock_runs(parent_client, parent, text_lesson, enrolled):
    html = parent_client.get(text_lesson.url).content.decode()
    assert re.search(r'data-reading-seconds="(5[0-9]|60)"', html)
    assert re.search(r'<button class="button button--primary" type="submit" disabled>', html)
    assert "reading-timer.js" in html


def test_the_mark_done_button_is_enabled_once_the_reading_time_is_over(parent_client, parent, text_lesson, enrolled):
    opened(parent, text_lesson, ago=2 * MINUTE)
    html = parent_client.get(text_lesson.url).content.decode()
    assert "data-reading-seconds" not in html
    assert '<button class="button button--primary" type="submit">' in html


def test_the_last_lesson_points_to_the_quiz(parent_client, parent, course, enrolled):
    from tests.factories.courses import QuizPageFactory, question_bank

    question_bank(2)
    quiz = QuizPageFactory(parent=course, question_count=2, title="结业测验")
    last = list(course.lessons())[-1]
    html = parent_client.get(last.url).content.decode()
    assert f'href="{quiz.url}"' in html and "结业测验" in html
    opened(parent, last, ago=2 * MINUTE)
    assert parent_client.post(last.url + "complete/")["Location"] == quiz.url


def test_progress_endpoint_refuses_malformed_intervals(parent_client, parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=MINUTE)
    response = parent_client.post(video_lesson.url + "progress/", {"intervals": "100%", "position": "1"})
    assert response.status_code == 400


def test_progress_endpoint_ignores_a_percentage_the_browser_claims(parent_client, parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=10 * MINUTE)
    response = parent_client.post(video_lesson.url + "progress/", {"percent": "100", "position": "100"})
    assert response.json()["completed"] is False


def test_progress_endpoint_needs_a_signed_in_enrolled_parent(parent_client, video_lesson):
    assert Client().post(video_lesson.url + "progress/", {"intervals": "[]"}).status_code == 403
    assert parent_client.post(video_lesson.url + "progress/", {"intervals": "[]"}).status_code == 400


def test_the_player_resumes_at_the_saved_point_on_any_device(parent_client, parent, video_lesson, enrolled):
    opened(parent, video_lesson, ago=MINUTE)
    services.record_watched(parent, video_lesson, intervals=[(0, 42)], position=42.5)
    assert 'data-resume="42.5"' in parent_client.get(video_lesson.url).content.decode()


def test_course_page_shows_the_parents_own_progress_bar(parent_client, parent, course, text_lesson, enrolled):
    opened(parent, text_lesson, ago=2 * MINUTE)
    services.mark_text_lesson_done(parent, text_lesson)
    html = parent_client.get(course.url).content.decode()
    assert '<progress class="course-progress__bar" max="100" value="50"' in html
    assert _("%(done)s of %(total)s lessons done (%(percent)s%%)") % {"done": 1, "total": 2, "percent": 50} in html


def test_a_finished_course_with_a_new_lesson_still_shows_completed(parent_client, parent, course, enrolled):
    complete_all(parent, course)
    LessonPageFactory(parent=course)
    html = parent_client.get(course.url).content.decode()
    assert 'value="100"' in html


def test_course_without_lessons_is_never_completed(parent, catalogue):
    empty = course_with_lessons(0)
    enrolment = services.enrol(parent, empty)
    assert services.update_course_completion(enrolment) is False
