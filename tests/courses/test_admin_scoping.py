"""Who sees what in the course admin: assignments, the account pick-lists and the answer key.

Assignments made from a case are minors' case data: a teacher lists only the assignments to
their own courses and never reads a reason; nobody gets a pick-list of every account.
"""

from __future__ import annotations

import datetime
import io
import re

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from accounts.models import User
from accounts.roles import Role
from courses import services
from courses.models import Assignment
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import QuizPageFactory, TopicFactory, course_with_lessons, question
from tests.factories.schools import district_staff

REASON_A = "欺凌个案A-家庭教育指导"
REASON_B = "欺凌个案B-法院家庭教育令"
DEADLINE = timezone.localdate() + datetime.timedelta(days=14)


@pytest.fixture
def world(catalogue):
    teacher_a = UserFactory(role=Role.TEACHER, name="甲老师")
    teacher_b = UserFactory(role=Role.TEACHER, name="乙老师")
    course_a = course_with_lessons(1, title="甲的课", teacher=teacher_a)
    course_b = course_with_lessons(1, title="乙的课", teacher=teacher_b)
    parent_a = UserFactory(role=Role.PARENT, name="家长甲")
    parent_b = UserFactory(role=Role.PARENT, name="家长乙")
    stranger = UserFactory(role=Role.PARENT, name="无关家长")
    district = district_staff()
    [assignment_a] = services.assign_course(
        course_a, parents=[parent_a], deadline=DEADLINE, reason=REASON_A, assigned_by=district
    )
    [assignment_b] = services.assign_course(
        course_b, parents=[parent_b], deadline=DEADLINE, reason=REASON_B, assigned_by=district
    )
    return {
        "teacher_a": teacher_a,
        "teacher_b": teacher_b,
        "course_a": course_a,
        "course_b": course_b,
        "parent_a": parent_a,
        "parent_b": parent_b,
        "stranger": stranger,
        "district": district,
        "assignment_a": assignment_a,
        "assignment_b": assignment_b,
    }


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def option_labels(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return [label.strip() for value, label in re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', select[1])]


# --- Assignment listing ----------------------------------------------------------------------


def test_a_teacher_lists_only_assignments_to_their_own_courses_and_never_the_reason(client, world):
    sign_in_fully(client, world["teacher_a"])
    html = page(client, reverse("course_assignments:index"))
    assert "家长甲" in html
    assert "家长乙" not in html
    assert REASON_A not in html and REASON_B not in html


def test_a_teacher_cannot_find_assignments_by_searching_the_reason(client, world):
    sign_in_fully(client, world["teacher_a"])
    html = page(client, reverse("course_assignments:index"), q="欺凌个案A")
    assert "家长甲" not in html


def test_a_teacher_cannot_open_another_teachers_assignment_history(client, world):
    sign_in_fully(client, world["teacher_a"])
    other = client.get(reverse("course_assignments:history", args=[world["assignment_b"].pk]))
    assert other.status_code == 404
    assert "家长乙" not in other.content.decode()


def test_district_staff_list_every_assignment_with_its_reason(client, world):
    sign_in_fully(client, world["district"])
    html = page(client, reverse("course_assignments:index"))
    assert "家长甲" in html and "家长乙" in html
    assert REASON_A in html and REASON_B in html
    assert "家长乙" in page(client, reverse("course_assignments:index"), q="欺凌个案B")


@pytest.mark.parametrize("role", [Role.PARENT, Role.EDITOR, Role.SCHOOL_OFFICER])
def test_other_roles_see_no_assignment(client, world, role):
    sign_in_fully(client, UserFactory(role=role))
    response = client.get(reverse("course_assignments:index"))
    assert response.status_code in (302, 403)
    assert REASON_A not in response.content.decode()


# --- The assignment form's pick-lists ---------------------------------------------------------


def test_a_teacher_chooses_only_their_own_courses_and_their_own_parents(client, world):
    sign_in_fully(client, world["teacher_a"])
    html = page(client, reverse("course_assignments:add"))
    assert option_labels(html, "course") == ["甲的课"]
    assert option_labels(html, "parent") == ["家长甲"]
    assert 'name="reason"' not in html
    for user in User.objects.all():
        assert user.email not in html
        assert (user.phone or "-") not in html


def test_a_teacher_cannot_post_another_teachers_course_or_a_stranger(client, world):
    sign_in_fully(client, world["teacher_a"])
    url = reverse("course_assignments:add")
    for course, parent in ((world["course_b"], world["parent_a"]), (world["course_a"], world["stranger"])):
        data = {"course": course.pk, "parent": parent.pk, "deadline": DEADLINE.isoformat(), "reason": "试探"}
        response = client.post(url, data)
        assert response.status_code == 200  # the form again, with an error
    assert Assignment.objects.count() == 2


def test_a_teachers_assignment_gets_a_fixed_reason_not_a_typed_one(client, world):
    sign_in_fully(client, world["teacher_a"])
    response = client.post(
        reverse("course_assignments:add"),
        {
            "course": world["course_a"].pk,
            "parent": world["parent_a"].pk,
            "deadline": DEADLINE.isoformat(),
            "reason": "老师不该写个案原因",
        },
    )
    assert response.status_code == 302
    latest = Assignment.objects.latest("pk")
    assert latest.assigned_by == world["teacher_a"]
    assert latest.reason == "由课程任课老师布置"


def test_district_staff_choose_among_parents_by_name_without_contact_details(client, world):
    sign_in_fully(client, world["district"])
    UserFactory(role=Role.PARENT, name="")  # a parent without a name: shown by masked phone
    html = page(client, reverse("course_assignments:add"))
    labels = option_labels(html, "parent")
    assert {"家长甲", "家长乙", "无关家长"} <= set(labels)
    assert "甲老师" not in labels and "乙老师" not in labels and str(world["district"]) not in labels
    assert any("****" in label for label in labels)
    for user in User.objects.all():
        assert user.email not in html
        assert (user.phone or "-") not in html
    assert 'name="reason"' in html


def test_the_course_editor_chooses_the_teacher_among_teachers_only(client, world):
    admin = User.objects.create_superuser(username="root", email="root@example.invalid", password="x-123456789")
    sign_in_fully(client, admin)
    html = page(client, reverse("wagtailadmin_pages:edit", args=[world["course_a"].pk]))
    labels = option_labels(html, "teacher")
    assert sorted(labels) == ["乙老师", "甲老师"]
    for user in User.objects.exclude(pk=admin.pk):
        assert user.email not in html


# --- The answer key (question bank export) ----------------------------------------------------


@pytest.fixture
def bank(world):
    mine, theirs = TopicFactory(name="沟通"), TopicFactory(name="法律")
    question("甲课程的题目", topic=mine)
    question("乙课程的题目", topic=theirs)
    for course, topic in ((world["course_a"], mine), (world["course_b"], theirs)):
        quiz = QuizPageFactory(parent=course)
        quiz.topics.set([topic])
        quiz.save()  # a ParentalManyToManyField is written on save
    return world


def exported_questions(response) -> set[str]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_a_teacher_exports_only_the_questions_their_own_quizzes_draw(client, bank):
    sign_in_fully(client, bank["teacher_a"])
    assert exported_questions(client.get(reverse("question_bank_export"))) == {"甲课程的题目"}


def test_district_staff_export_the_whole_answer_key(client, bank):
    sign_in_fully(client, bank["district"])
    assert exported_questions(client.get(reverse("question_bank_export"))) == {"甲课程的题目", "乙课程的题目"}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.PARENT, Role.SCHOOL_OFFICER])
def test_editors_and_others_cannot_export_the_answer_key(client, bank, role):
    user = UserFactory(role=role)
    user.user_permissions.add(Permission.objects.get(codename="view_question"))  # even with the permission
    sign_in_fully(client, user)
    response = client.get(reverse("question_bank_export"))
    assert response.status_code in (302, 403)
    assert b"\xe7\x94\xb2\xe8\xaf\xbe" not in response.content  # no question text
    if role == Role.EDITOR:
        listing = client.get(reverse("wagtailsnippets_courses_question:list"))
        assert reverse("question_bank_export") not in listing.content.decode()


# --- Enrolments and quiz attempts: teacher A never reads teacher B's parents ------------------


@pytest.mark.parametrize("extra_role", [None, Role.EDITOR])
def test_a_teacher_lists_and_exports_only_their_own_courses_records(client, world, extra_role):
    from accounts.roles import add_role
    from courses import quizzes

    question("测验题")
    for course, parent in ((world["course_a"], world["parent_a"]), (world["course_b"], world["parent_b"])):
        quiz = QuizPageFactory(parent=course, question_count=1)
        attempt = quizzes.start_attempt(parent, quiz)
        quizzes.submit_attempt(parent, attempt.pk, {row.position: [] for row in attempt.answers.all()})
    quiz_b = quiz
    teacher = world["teacher_a"]
    if extra_role:
        add_role(teacher, extra_role)  # an editor who also teaches is still a teacher here
    sign_in_fully(client, teacher)
    for name in ("course_enrolments:index", "course_quiz_attempts:index"):
        html = page(client, reverse(name))
        assert "家长乙" not in html, name
        for file_format in ("csv", "xlsx"):
            response = client.get(reverse(name), {"export": file_format})
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if file_format == "xlsx":
                sheet = load_workbook(io.BytesIO(body)).active
                body = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row).encode()
            assert "家长甲".encode() in body and "家长乙".encode() not in body, (name, file_format)
    assert client.get(reverse("quiz_item_analysis", args=[quiz_b.pk])).status_code == 404
