"""Quiz results for teachers: attempts, pass rate, score distribution, item analysis, export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from courses import quizzes, reports, services
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import QuizPageFactory, course_with_lessons, question_bank


def take(parent, quiz, right_positions: set[int]):
    attempt = quizzes.start_attempt(parent, quiz)
    answers = {}
    for row in attempt.answers.all():
        correct = row.revision.as_object().correct_ids()
        wrong = [next(option for option in row.option_order if option not in correct)]
        answers[row.position] = sorted(correct) if row.position in right_positions else wrong
    return quizzes.submit_attempt(parent, attempt.pk, answers)


@pytest.fixture
def results(catalogue):
    teacher = UserFactory(role=Role.TEACHER)
    course = course_with_lessons(1, teacher=teacher)
    question_bank(2)
    quiz = QuizPageFactory(parent=course, question_count=2, pass_mark_percent=100)
    first, second = UserFactory(role=Role.PARENT), UserFactory(role=Role.PARENT)
    for parent in (first, second):
        services.enrol(parent, course)
    take(first, quiz, {1, 2})  # 100 %, passed
    take(second, quiz, set())  # 0 %
    take(second, quiz, {1})  # 50 %
    return {"teacher": teacher, "quiz": quiz}


def test_quiz_rows_count_attempts_passes_and_the_score_distribution(results):
    row = reports.quiz_rows(results["teacher"]).get(pk=results["quiz"].pk)
    assert (row.attempt_count, row.parent_count, row.passed_count) == (3, 2, 1)
    assert row.pass_rate_percent == 33
    assert row.average_score_percent == 50
    assert (row.band_0_19, row.band_40_59, row.band_80_100) == (1, 1, 1)


def test_item_analysis_gives_each_questions_correct_rate(results):
    rows = list(reports.item_rows(results["quiz"]))
    assert sum(row.answered for row in rows) == 6
    assert sum(row.correct for row in rows) == 3
    assert all(row.correct_rate_percent is not None for row in rows)


def test_a_teacher_sees_only_quizzes_of_their_own_courses(results):
    other = UserFactory(role=Role.TEACHER)
    assert not reports.quiz_rows(other).exists()
    assert reports.quiz_rows(UserFactory(role=Role.DISTRICT_STAFF)).filter(pk=results["quiz"].pk).exists()


def test_the_admin_reports_render_and_export_as_csv_and_xlsx(results, client):
    sign_in_fully(client, results["teacher"])
    assert results["quiz"].title in client.get("/admin/courses/quizzes/results/").content.decode()
    csv = client.get("/admin/courses/quizzes/results/?export=csv")
    assert csv.status_code == 200 and "33" in b"".join(csv.streaming_content).decode()
    items = client.get(f"/admin/courses/quizzes/{results['quiz'].pk}/items/?export=xlsx")
    assert items.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(items.streaming_content))).active
    assert sheet.max_row == 3  # heading + two questions


def test_another_teacher_cannot_open_the_item_analysis(results, client):
    sign_in_fully(client, UserFactory(role=Role.TEACHER))
    assert client.get(f"/admin/courses/quizzes/{results['quiz'].pk}/items/").status_code == 404


def test_the_attempts_list_shows_a_teacher_only_their_own_quizzes(results, client):
    sign_in_fully(client, results["teacher"])
    response = client.get("/admin/course_quiz_attempts/")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3
    sign_in_fully(client, UserFactory(role=Role.TEACHER))
    assert len(client.get("/admin/course_quiz_attempts/").context["object_list"]) == 0


def test_teachers_can_add_a_quiz_and_a_question_in_the_admin(results, client):
    sign_in_fully(client, results["teacher"])
    assert client.get("/admin/snippets/courses/question/add/").status_code == 200
    assert client.get(f"/admin/courses/quizzes/{results['quiz'].pk}/items/").status_code == 200
