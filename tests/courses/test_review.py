"""Teachers publish through review: own courses only, no direct publishing, staff approve."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from accounts.roles import Role
from courses.models import CoursePage, LessonPage
from courses.review import WORKFLOW_NAME
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import CoursePageFactory, LessonPageFactory


@pytest.fixture
def teacher(db):
    return UserFactory(role=Role.TEACHER, name="王老师")


@pytest.fixture
def other_teacher(db):
    return UserFactory(role=Role.TEACHER, name="李老师")


@pytest.fixture
def district_staff(db):
    return UserFactory(role=Role.DISTRICT_STAFF, name="区未保中心")


def course_form(**overrides) -> dict:
    data = nested_form_data(
        {
            "title": "读懂青春期",
            "slug": "understanding-teens",
            "summary": "理解青春期孩子。",
            "learning_objectives": "",
            "estimated_minutes": 30,
            "teacher": "",
            "organisation": "",
            "enrolment_code": "",
            "capacity": "",
            **overrides,
        }
    )
    return data


def add_course_url(catalogue) -> str:
    return reverse("wagtailadmin_pages:add", args=["courses", "coursepage", catalogue.pk])


def submitted_course(client, teacher, catalogue) -> CoursePage:
    sign_in_fully(client, teacher)
    response = client.post(add_course_url(catalogue), {**course_form(), "action-submit": "1"})
    assert response.status_code == 302, response.content[:500]
    return CoursePage.objects.get(slug="understanding-teens")


def test_a_new_catalogue_runs_the_course_review_workflow(catalogue):
    assert catalogue.get_workflow().name == gettext(WORKFLOW_NAME)


def test_a_teacher_may_add_courses_but_not_publish_them(catalogue, teacher):
    permissions = catalogue.permissions_for_user(teacher)
    assert permissions.can_add_subpage()
    assert not permissions.can_publish_subpage()


def test_a_teacher_creates_a_course_and_submits_it_for_review(client, catalogue, teacher):
    course = submitted_course(client, teacher, catalogue)
    assert not course.live
    assert course.owner == teacher
    assert course.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_teacher_cannot_publish_directly(client, catalogue, teacher):
    sign_in_fully(client, teacher)
    client.post(add_course_url(catalogue), {**course_form(), "action-publish": "1"})
    course = CoursePage.objects.get(slug="understanding-teens")
    assert not course.live


def test_a_teacher_edits_their_own_course_but_not_another_teachers(client, catalogue, teacher, other_teacher):
    own = CoursePageFactory(parent=catalogue, owner=teacher)
    others = CoursePageFactory(parent=catalogue, owner=other_teacher)
    sign_in_fully(client, teacher)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[others.pk])).status_code in (302, 403)


def test_a_teacher_adds_lessons_only_to_their_own_course(client, catalogue, teacher, other_teacher):
    own = CoursePageFactory(parent=catalogue, owner=teacher)
    others = CoursePageFactory(parent=catalogue, owner=other_teacher)
    sign_in_fully(client, teacher)
    own_url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", own.pk])
    others_url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", others.pk])
    assert client.get(own_url).status_code == 200
    assert client.get(others_url).status_code in (302, 403)
    lesson = nested_form_data(
        {
            "title": "别人的课",
            "slug": "intruder",
            "intro": "",
            "minimum_reading_seconds": 60,
            "body": streamfield([("paragraph", rich_text("<p>x</p>"))]),
        }
    )
    client.post(others_url, {**lesson, "action-submit": "1"})
    assert not LessonPage.objects.filter(slug="intruder").exists()


def test_a_teacher_cannot_edit_another_teachers_lesson(client, catalogue, teacher, other_teacher):
    others = CoursePageFactory(parent=catalogue, owner=other_teacher)
    lesson = LessonPageFactory(parent=others, owner=other_teacher)
    sign_in_fully(client, teacher)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).status_code in (302, 403)


def workflow_action(client, course, action: str, comment: str = ""):
    task_state = course.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[course.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def test_district_staff_approve_and_the_teacher_is_emailed(client, catalogue, teacher, district_staff):
    course = submitted_course(client, teacher, catalogue)
    mail.outbox.clear()
    sign_in_fully(client, district_staff)
    workflow_action(client, course, "approve", "内容很好")
    course.refresh_from_db()
    assert course.live
    [message] = [email for email in mail.outbox if teacher.email in email.to]
    assert course.title in message.subject
    assert "内容很好" in message.body
    assert f"/admin/pages/{course.pk}/edit/" in message.body


def test_district_staff_reject_with_a_comment_and_the_teacher_is_emailed(client, catalogue, teacher, district_staff):
    course = submitted_course(client, teacher, catalogue)
    mail.outbox.clear()
    sign_in_fully(client, district_staff)
    workflow_action(client, course, "reject", "请补充求助热线")
    course.refresh_from_db()
    assert not course.live
    [message] = [email for email in mail.outbox if teacher.email in email.to]
    assert "请补充求助热线" in message.body
    assert course.current_workflow_state is None or course.current_workflow_state.status != "approved"


def test_a_teacher_cannot_approve_their_own_course(client, catalogue, teacher):
    course = submitted_course(client, teacher, catalogue)
    workflow_action(client, course, "approve")
    course.refresh_from_db()
    assert not course.live


def test_other_pages_keep_wagtails_own_approval_email(db, teacher, district_staff):
    from tests.factories.home import StandardPageFactory, home_page

    page = StandardPageFactory(parent=home_page(), live=False, owner=teacher)
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name != WORKFLOW_NAME
    page.save_revision(user=teacher)
    workflow_state = workflow.start(page, teacher)
    mail.outbox.clear()
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, district_staff, "approve")
    assert [message.to for message in mail.outbox] == [[teacher.email]]
    assert "读懂青春期" not in mail.outbox[0].body


def test_a_teacher_uploads_and_chooses_lesson_video_in_the_admin(client, catalogue, teacher):
    from tests.factories.media import MediaItemFactory

    mine = MediaItemFactory(title="我的课程视频", uploaded_by_user=teacher)
    sign_in_fully(client, teacher)
    assert client.get(reverse("wagtailmedia:add", args=["video"])).status_code == 200
    chooser = client.get(reverse("wagtailmedia:chooser"))
    assert chooser.status_code == 200 and "我的课程视频" in chooser.json()["html"]
    assert client.get(reverse("wagtailmedia:edit", args=[mine.pk])).status_code == 200


def test_a_parent_cannot_reach_the_media_library(client, catalogue):
    sign_in_fully(client, UserFactory(role=Role.PARENT))
    response = client.get(reverse("wagtailmedia:chooser"))
    assert response.status_code in (302, 403)


# --- A course, its lessons and its quiz reviewed as one unit ------------------------------------


def test_a_course_with_its_lessons_and_quiz_is_approved_at_once_and_each_keeps_its_history(
    client, catalogue, teacher, district_staff
):
    from django.core import mail

    from wagtail.models import PageLogEntry

    from tests.factories.courses import QuizPageFactory

    course = CoursePageFactory(parent=catalogue, owner=teacher, teacher=teacher, live=False)
    lessons = [LessonPageFactory(parent=course, owner=teacher, live=False) for _ in range(3)]
    quiz = QuizPageFactory(parent=course, owner=teacher, live=False)
    for page in [*lessons, quiz]:
        page.save_revision(user=teacher)  # drafts: saved, not submitted
    course.save_revision(user=teacher)
    catalogue.get_workflow().start(course, teacher)  # one submission
    mail.outbox.clear()
    state = course.current_workflow_state
    sign_in_fully(client, district_staff)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", state.current_task_state.pk]),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    for page in [course, *lessons, quiz]:
        page.refresh_from_db()
        assert page.live and not page.has_unpublished_changes, page.title
        assert PageLogEntry.objects.filter(page=page, action="wagtail.publish", user=district_staff).exists()
    assert len(mail.outbox) <= 1  # one decision, at most one e-mail to the teacher


def test_a_lesson_in_its_own_review_is_not_published_with_the_course(client, catalogue, teacher, district_staff):
    course = CoursePageFactory(parent=catalogue, owner=teacher, teacher=teacher, live=False)
    own_review = LessonPageFactory(parent=course, owner=teacher, live=False)
    own_review.save_revision(user=teacher)
    catalogue.get_workflow().start(own_review, teacher)
    course.save_revision(user=teacher)
    catalogue.get_workflow().start(course, teacher)
    state = course.current_workflow_state
    sign_in_fully(client, district_staff)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", state.current_task_state.pk]),
        {"comment": ""},
    )
    course.refresh_from_db()
    own_review.refresh_from_db()
    assert course.live and not own_review.live
    assert own_review.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


# --- The review workflows' names (courses 0010, library 0004) -------------------------------------


def test_the_course_review_is_named_in_chinese_and_the_teachers_button_reads_so(client, catalogue, teacher):
    assert catalogue.get_workflow().name == "课程审核"
    assert [task.name for task in catalogue.get_workflow().tasks.all()] == ["区未保中心审核"]
    sign_in_fully(client, teacher)
    html = client.get(add_course_url(catalogue)).content.decode()
    assert "提交课程审核" in html and "Course review" not in html


def test_the_review_names_are_stored_in_english_and_shown_in_the_readers_language(client, catalogue, teacher):
    from wagtail.models import Task, Workflow

    workflow = catalogue.get_workflow()
    assert Workflow.objects.filter(pk=workflow.pk).values_list("name", flat=True).get() == "Course review"
    workflow.save()  # saved in Chinese mode: still stored under its English name
    assert Workflow.objects.filter(name="Course review").exists() and not Workflow.objects.filter(name="课程审核")
    assert Task.objects.filter(name="District review").exists()
    sign_in_fully(client, teacher)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(add_course_url(catalogue)).content.decode()
    assert "Submit to Course review" in html and "课程审核" not in html
    with translation.override("en"):
        assert Workflow.objects.get(pk=workflow.pk).name == "Course review"
    with translation.override("zh-hans"):
        assert Workflow.objects.get(pk=workflow.pk).name == "课程审核"


@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        ("courses.migrations.0010_review_workflow_named_in_chinese", "课程审核 Course review", "课程审核"),
        ("library.migrations.0004_review_workflow_named_in_chinese", "资源库审核 Library review", "资源库审核"),
    ],
)
def test_an_existing_review_workflow_named_in_both_languages_is_renamed(db, module, old, new):
    import importlib

    from django.apps import apps

    from wagtail.models import Workflow

    migration = importlib.import_module(module)
    Workflow.objects.filter(name=new).delete()
    workflow = Workflow.objects.create(name=old)

    migration.forwards(apps, None)
    assert Workflow.objects.get(pk=workflow.pk).name == new
    migration.backwards(apps, None)
    assert Workflow.objects.get(pk=workflow.pk).name == old
