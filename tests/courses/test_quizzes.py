"""Quizzes: drawing from the bank, server-side grading, time limits, resuming and submitting once."""

from __future__ import annotations

import json
import random
import re
import threading
from datetime import timedelta

from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

import pytest

from courses import quizzes, services
from courses.models import Question, QuizAnswer, QuizAttempt
from tests.factories.accounts import sign_in_fully
from tests.factories.courses import QuizPageFactory, TopicFactory, question, question_bank


@pytest.fixture
def bank(db):
    return question_bank(5)


@pytest.fixture
def quiz(course, bank):
    return QuizPageFactory(parent=course, question_count=3, pass_mark_percent=60, max_attempts=3)


@pytest.fixture
def enrolled(parent, course):
    services.enrol(parent, course)
    return parent


def correct_answers(attempt: QuizAttempt) -> dict[int, list[str]]:
    return {answer.position: sorted(answer.revision.as_object().correct_ids()) for answer in attempt.answers.all()}


def wrong_answers(attempt: QuizAttempt) -> dict[int, list[str]]:
    answers = {}
    for answer in attempt.answers.all():
        correct = answer.revision.as_object().correct_ids()
        answers[answer.position] = [next(option for option in answer.option_order if option not in correct)]
    return answers


def test_an_attempt_stores_the_drawn_questions_their_order_options_and_revisions(quiz, enrolled):
    attempt = quizzes.start_attempt(enrolled, quiz)
    rows = list(attempt.answers.order_by("position"))
    assert [row.position for row in rows] == [1, 2, 3]
    assert len({row.question_id for row in rows}) == 3
    for row in rows:
        assert row.revision_id == Question.objects.get(pk=row.question_id).live_revision_id
        assert sorted(row.option_order) == sorted(option["id"] for option in row.question.option_list())


def test_questions_and_options_are_shuffled_per_attempt(course, enrolled):
    question_bank(12)
    quiz = QuizPageFactory(parent=course, question_count=12, max_attempts=0)
    orders = set()
    option_orders: dict[int, set] = {}
    for seed in range(4):
        attempt = quizzes.start_attempt(enrolled, quiz, rng=random.Random(seed))
        rows = list(attempt.answers.order_by("position"))
        orders.add(tuple(row.question_id for row in rows))
        for row in rows:
            option_orders.setdefault(row.question_id, set()).add(tuple(row.option_order))
        quizzes.submit_attempt(enrolled, attempt.pk, {})
    assert len(orders) > 1
    assert any(len(seen) > 1 for seen in option_orders.values())


def test_unseen_questions_are_drawn_first_on_a_new_attempt(quiz, enrolled, bank):
    first = quizzes.start_attempt(enrolled, quiz, rng=random.Random(1))
    quizzes.submit_attempt(enrolled, first.pk, {})
    second = quizzes.start_attempt(enrolled, quiz, rng=random.Random(2))
    seen = set(first.answers.values_list("question_id", flat=True))
    drawn = list(second.answers.order_by("position").values_list("question_id", flat=True))
    unseen = {item.pk for item in bank} - seen
    assert set(drawn[:2]) == unseen  # the two unseen questions, then one seen
    assert drawn[2] in seen


def test_the_draw_filters_by_topic_and_difficulty_and_skips_drafts(course, enrolled):
    topic = TopicFactory()
    wanted = question("目标题", topic=topic, difficulty=Question.Difficulty.HARD)
    question("别的主题", topic=TopicFactory(), difficulty=Question.Difficulty.HARD)
    question("太简单", topic=topic, difficulty=Question.Difficulty.EASY)
    question("草稿", topic=topic, difficulty=Question.Difficulty.HARD, publish=False)
    quiz = QuizPageFactory(parent=course, question_count=5, difficulty=Question.Difficulty.HARD)
    quiz.topics.add(topic)
    quiz.save()
    attempt = quizzes.start_attempt(enrolled, quiz)
    assert list(attempt.answers.values_list("question_id", flat=True)) == [wanted.pk]


def test_all_correct_passes_and_wrong_answers_fail(quiz, enrolled):
    attempt = quizzes.start_attempt(enrolled, quiz)
    graded = quizzes.submit_attempt(enrolled, attempt.pk, wrong_answers(attempt))
    assert (graded.correct_count, graded.score_percent, graded.passed) == (0, 0, False)
    attempt = quizzes.start_attempt(enrolled, quiz)
    graded = quizzes.submit_attempt(enrolled, attempt.pk, correct_answers(attempt))
    assert (graded.correct_count, graded.score_percent, graded.passed) == (3, 100, True)


def test_multiple_choice_is_all_or_nothing(course, enrolled):
    multiple = question(
        "哪些是欺凌的信号？",
        kind=Question.Kind.MULTIPLE,
        options=(("不想上学", True), ("物品常丢失", True), ("成绩稳定", False)),
    )
    correct = multiple.correct_ids()
    wrong = next(option["id"] for option in multiple.option_list() if not option["correct"])
    assert quizzes.is_correct(multiple, sorted(correct))
    assert not quizzes.is_correct(multiple, sorted(correct)[:1])  # one missing
    assert not quizzes.is_correct(multiple, [*correct, wrong])  # one extra
    assert not quizzes.is_correct(multiple, [])


def test_a_double_submit_grades_once(quiz, enrolled):
    attempt = quizzes.start_attempt(enrolled, quiz)
    first = quizzes.submit_attempt(enrolled, attempt.pk, correct_answers(attempt))
    second = quizzes.submit_attempt(enrolled, attempt.pk, wrong_answers(attempt))
    assert second.submitted_at == first.submitted_at
    assert second.score_percent == 100
    assert QuizAttempt.objects.filter(parent=enrolled, quiz=quiz).count() == 1


def test_a_double_submit_over_http_grades_once(quiz, enrolled, parent_client):
    attempt = quizzes.start_attempt(enrolled, quiz)
    url = quiz.url + quiz.reverse_subpage("submit", args=[attempt.pk])
    data = {f"q{position}": ids for position, ids in correct_answers(attempt).items()}
    parent_client.post(url, data)
    parent_client.post(url, {f"q{position}": ids for position, ids in wrong_answers(attempt).items()})
    attempt.refresh_from_db()
    assert attempt.score_percent == 100


def test_a_late_submission_is_graded_as_of_the_deadline(course, enrolled, bank):
    quiz = QuizPageFactory(parent=course, question_count=3, time_limit_minutes=10)
    start = timezone.now() - timedelta(minutes=30)
    attempt = quizzes.start_attempt(enrolled, quiz, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    saved = correct_answers(attempt)
    quizzes.save_answers(enrolled, attempt.pk, {1: saved[1]}, now=start + timedelta(minutes=5))
    graded = quizzes.submit_attempt(enrolled, attempt.pk, saved)  # 30 minutes in: late
    assert graded.late
    assert graded.submitted_at == attempt.deadline
    assert graded.correct_count == 1  # only the answer saved before the deadline counts


def test_answers_cannot_be_saved_after_the_deadline(course, enrolled, bank):
    quiz = QuizPageFactory(parent=course, question_count=3, time_limit_minutes=1)
    start = timezone.now() - timedelta(minutes=5)
    attempt = quizzes.start_attempt(enrolled, quiz, now=start)
    with pytest.raises(quizzes.QuizError):
        quizzes.save_answers(enrolled, attempt.pk, correct_answers(attempt))


def test_an_expired_open_attempt_is_graded_when_the_quiz_is_opened(course, enrolled, bank, parent_client):
    quiz = QuizPageFactory(parent=course, question_count=3, time_limit_minutes=1)
    attempt = quizzes.start_attempt(enrolled, quiz, now=timezone.now() - timedelta(minutes=5))
    parent_client.get(quiz.url)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.late and not attempt.passed


def test_a_reload_resumes_the_attempt_with_saved_answers(quiz, enrolled, parent_client):
    parent_client.post(quiz.url + "start/")
    attempt = QuizAttempt.objects.get(parent=enrolled, quiz=quiz)
    first_answer = attempt.answers.get(position=1)
    choice = first_answer.option_order[-1]
    response = parent_client.post(quiz.url + quiz.reverse_subpage("save", args=[attempt.pk]), {"q1": choice})
    assert response.json() == {"saved": True}
    parent_client.post(quiz.url + "start/")  # a second click or tab changes nothing
    assert QuizAttempt.objects.filter(parent=enrolled, quiz=quiz).count() == 1
    html = parent_client.get(quiz.url).content.decode()
    assert re.search(rf'value="{choice}" checked', html)


def test_neither_the_quiz_page_nor_any_json_response_contains_the_answer_key(quiz, enrolled, parent_client):
    parent_client.post(quiz.url + "start/")
    attempt = QuizAttempt.objects.get(parent=enrolled, quiz=quiz)
    html = parent_client.get(quiz.url).content.decode()
    save = parent_client.post(quiz.url + quiz.reverse_subpage("save", args=[attempt.pk]), {"q1": "x"})
    payloads = [html, save.content.decode()]
    for answer in attempt.answers.select_related("question"):
        assert answer.question.text in html
        for payload in payloads:
            assert answer.question.explanation not in payload
    for payload in payloads:
        assert '"correct"' not in payload and "is-correct" not in payload and "quiz-tag" not in payload
    # Option ids are opaque: the correct option's id is not marked in any way in the form.
    assert "data-correct" not in html


def test_the_result_page_shows_score_pass_fail_and_explanations(quiz, enrolled, parent_client):
    attempt = quizzes.start_attempt(enrolled, quiz)
    parent_client.post(
        quiz.url + quiz.reverse_subpage("submit", args=[attempt.pk]),
        {f"q{position}": ids for position, ids in wrong_answers(attempt).items()},
    )
    html = parent_client.get(quiz.url + quiz.reverse_subpage("result", args=[attempt.pk])).content.decode()
    assert "quiz-score--failed" in html and "0%" in html
    for answer in attempt.answers.select_related("question"):
        assert answer.question.explanation in html


def test_the_result_of_an_open_attempt_redirects_to_the_quiz(quiz, enrolled, parent_client):
    attempt = quizzes.start_attempt(enrolled, quiz)
    response = parent_client.get(quiz.url + quiz.reverse_subpage("result", args=[attempt.pk]))
    assert response.status_code == 302
    with pytest.raises(quizzes.QuizError):
        quizzes.reviewed_questions(attempt)


def test_grading_uses_the_revision_the_parent_saw(quiz, enrolled):
    attempt = quizzes.start_attempt(enrolled, quiz)
    answers = correct_answers(attempt)
    edited = attempt.answers.get(position=1).question
    stream = json.loads(json.dumps(list(edited.options.raw_data)))
    for child in stream:
        child["value"]["correct"] = not child["value"]["correct"]
    edited.options = json.dumps(stream)
    edited.kind = Question.Kind.MULTIPLE
    edited.save()
    edited.save_revision().publish()
    graded = quizzes.submit_attempt(enrolled, attempt.pk, answers)
    assert graded.correct_count == 3


def test_maximum_attempts_are_enforced(course, enrolled, bank):
    quiz = QuizPageFactory(parent=course, question_count=2, max_attempts=2)
    for _index in range(2):
        attempt = quizzes.start_attempt(enrolled, quiz)
        quizzes.submit_attempt(enrolled, attempt.pk, wrong_answers(attempt))
    with pytest.raises(quizzes.QuizError, match=re.escape(_("You have used all your attempts for this quiz."))):
        quizzes.start_attempt(enrolled, quiz)


def test_a_parent_who_is_not_enrolled_cannot_start(quiz, other_parent):
    with pytest.raises(quizzes.QuizError):
        quizzes.start_attempt(other_parent, quiz)


def test_another_parents_attempt_is_not_found(quiz, enrolled, other_parent, client):
    attempt = quizzes.start_attempt(enrolled, quiz)
    services.enrol(other_parent, quizzes.course_of_quiz(quiz))
    sign_in_fully(client, other_parent)
    response = client.get(quiz.url + quiz.reverse_subpage("result", args=[attempt.pk]))
    assert response.status_code == 404
    response = client.post(quiz.url + quiz.reverse_subpage("submit", args=[attempt.pk]), {})
    assert response.status_code == 404


def test_each_drawn_question_is_recorded(quiz, enrolled):
    attempt = quizzes.start_attempt(enrolled, quiz)
    assert QuizAnswer.objects.filter(attempt=attempt).count() == attempt.question_total == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI sets DATABASE_URL)")
def test_racing_submits_and_starts_grade_once_and_open_one_attempt(transactional_db, django_db_serialized_rollback):
    from accounts.roles import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import catalogue, course_with_lessons

    catalogue()
    course = course_with_lessons(1)
    question_bank(3)
    quiz = QuizPageFactory(parent=course, question_count=3)
    parent = UserFactory(role=Role.PARENT)
    services.enrol(parent, course)

    def race(action, count=6):
        barrier = threading.Barrier(count)
        errors = []

        def run():
            try:
                barrier.wait(timeout=10)
                action()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []

    race(lambda: quizzes.start_attempt(parent, quiz))
    attempt = QuizAttempt.objects.get(parent=parent, quiz=quiz)
    answers = correct_answers(attempt)
    race(lambda: quizzes.submit_attempt(parent, attempt.pk, answers))
    attempt.refresh_from_db()
    assert attempt.score_percent == 100 and attempt.is_submitted
    assert QuizAttempt.objects.filter(parent=parent, quiz=quiz).count() == 1
