"""我的工作台: every signed-in role lands on a home of its own that gathers its work."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

import pytest

from accounts.roles import Role
from courses import services as course_services
from courses.models import Assignment, Enrolment
from schools.models import BullyingReport, State
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import catalogue as make_catalogue
from tests.factories.courses import course_with_lessons, issued_certificate
from tests.factories.home import StandardPageFactory
from tests.factories.schools import (
    BullyingReportFactory,
    SchoolFactory,
    district_staff,
    officer_of,
    submitted_case,
)

WORKBENCH = "/workbench/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def catalogue(db):
    return make_catalogue()


def signed_in(client, user):
    sign_in_fully(client, user)
    return client


def html_of(client) -> str:
    response = client.get(WORKBENCH)
    assert response.status_code == 200
    return response.content.decode()


def count_queries(client) -> int:
    client.get(WORKBENCH)  # warm the per-worker site cache, as a second visit would
    with CaptureQueriesContext(connection) as queries:
        assert client.get(WORKBENCH).status_code == 200
    return len(queries)


# --- Who gets in ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_asked_to_sign_in(client, db):
    response = client.get(WORKBENCH)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_workbench_is_linked_from_the_header_of_every_page_for_a_signed_in_user(client, catalogue):
    signed_in(client, UserFactory(role=Role.PARENT))
    html = client.get(catalogue.url).content.decode()
    assert f'href="{WORKBENCH}"' in html
    assert f'href="{reverse("account_change_password")}"' in html


def test_the_header_offers_sign_in_instead_of_a_workbench_to_a_visitor(client, catalogue):
    html = client.get(catalogue.url).content.decode()
    assert f'href="{WORKBENCH}"' not in html
    assert 'role="search"' in html and 'name="q"' in html


def test_the_admin_menu_leads_back_to_the_workbench(client, db):
    signed_in(client, UserFactory(role=Role.TEACHER))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert WORKBENCH in response.content.decode()


# --- Parents -------------------------------------------------------------------------------


def finish(parent, course):
    for lesson in course.lessons():
        progress = course_services.open_lesson(parent, lesson)
        progress.first_opened_at = timezone.now() - datetime.timedelta(hours=1)
        progress.save()
        course_services.mark_text_lesson_done(parent, lesson)


def test_a_parent_sees_assigned_deadlines_courses_to_continue_and_certificates(client, catalogue):
    parent = UserFactory(role=Role.PARENT)
    chosen = course_with_lessons(2, title="自选的情绪课")
    assigned = course_with_lessons(1, title="指派的沟通课")
    finished = course_with_lessons(1, title="已学完的课")
    course_services.enrol(parent, chosen)
    enrolment = course_services.enrol(parent, assigned)
    Assignment.objects.create(
        parent=parent,
        course=assigned,
        deadline=timezone.localdate() - datetime.timedelta(days=1),
        enrolment=enrolment if isinstance(enrolment, Enrolment) else None,
    )
    done = course_services.enrol(parent, finished)
    finish(parent, finished)
    done.refresh_from_db()
    certificate = issued_certificate(done, code="WBENCH234567")
    html = html_of(signed_in(client, parent))
    assert "自选的情绪课" in html and chosen.lessons()[0].url in html
    assert "指派的沟通课" in html and (timezone.localdate() - datetime.timedelta(days=1)).isoformat() in html
    assert "workbench-item--overdue" in html
    assert reverse("certificate_download", args=[certificate.code]) in html


def test_a_parents_workbench_costs_the_same_queries_with_more_courses(client, catalogue):
    parent = UserFactory(role=Role.PARENT)
    signed_in(client, parent)
    course_services.enrol(parent, course_with_lessons(2))
    few = count_queries(client)
    for _ in range(4):
        course_services.enrol(parent, course_with_lessons(3))
    assert count_queries(client) == few


# --- Teachers ------------------------------------------------------------------------------


def test_a_teacher_sees_their_courses_with_review_status_and_not_others(client, catalogue):
    teacher = UserFactory(role=Role.TEACHER)
    mine = course_with_lessons(2, title="我写的课", teacher=teacher, owner=teacher)
    course_with_lessons(1, title="别人写的课", teacher=UserFactory(role=Role.TEACHER))
    lesson = mine.lessons()[0]
    lesson.save_revision(user=teacher)
    catalogue.get_workflow().start(lesson, teacher)
    html = html_of(signed_in(client, teacher))
    assert "我写的课" in html and "别人写的课" not in html
    assert "workbench-badge--in_review" in html
    assert reverse("course_report") in html and reverse("quiz_report") in html


def test_a_teachers_workbench_costs_the_same_queries_with_more_courses(client, catalogue):
    teacher = UserFactory(role=Role.TEACHER)
    signed_in(client, teacher)

    def course_in_review():
        course = course_with_lessons(2, teacher=teacher, owner=teacher)
        course.save_revision(user=teacher)
        catalogue.get_workflow().start(course, teacher)

    course_in_review()
    few = count_queries(client)
    for _ in range(4):
        course_in_review()
    assert count_queries(client) == few


# --- School officers and district staff ------------------------------------------------------


def test_an_officer_sees_only_their_schools_cases_by_state_and_their_drafts(client, db):
    school, other = SchoolFactory(), SchoolFactory()
    officer = officer_of(school)
    mine = submitted_case(officer, school=school)
    due = timezone.now() + datetime.timedelta(days=3)
    BullyingReport.objects.filter(pk=mine.pk).update(state=State.INVESTIGATING, determination_due_at=due)
    theirs = submitted_case(officer_of(other), school=other)
    BullyingReport.objects.filter(pk=theirs.pk).update(state=State.INVESTIGATING, determination_due_at=due)
    draft = BullyingReportFactory(school=school, created_by=officer)
    html = html_of(signed_in(client, officer))
    assert mine.case_number in html and theirs.case_number not in html
    assert reverse("schools:report_edit", args=[draft.pk]) in html
    assert f"{reverse('schools:case_list')}?state=investigating" in html


def test_case_numbers_stay_hidden_until_the_session_passed_its_second_factor(client, db):
    school = SchoolFactory()
    officer = officer_of(school)
    case = submitted_case(officer, school=school)
    BullyingReport.objects.filter(pk=case.pk).update(
        state=State.INVESTIGATING, determination_due_at=timezone.now() + datetime.timedelta(days=3)
    )
    client.force_login(officer)  # a session made without the authenticator-app step
    html = html_of(client)
    assert case.case_number not in html
    assert reverse("schools:case_list") in html


def test_district_staff_see_new_and_overdue_cases_first_by_deadline(client, db):
    staff = district_staff()
    late = submitted_case()
    fresh = submitted_case()
    BullyingReport.objects.filter(pk=late.pk).update(acknowledge_due_at=timezone.now() - datetime.timedelta(hours=2))
    response = signed_in(client, staff).get(WORKBENCH)
    cases = response.context["cases"]
    assert cases.new_count == 2 and cases.overdue_count == 1
    assert [report.pk for report in cases.waiting] == [late.pk, fresh.pk]
    html = response.content.decode()
    assert reverse("schools:dashboard") in html and reverse("schools:invite_officer") in html


def test_a_district_workbench_costs_the_same_queries_with_more_cases(client, db):
    staff = district_staff()
    signed_in(client, staff)
    submitted_case()
    few = count_queries(client)
    for _ in range(4):
        submitted_case()
    assert count_queries(client) == few


def test_an_officers_workbench_costs_the_same_queries_with_more_cases(client, db):
    school = SchoolFactory()
    officer = officer_of(school)
    signed_in(client, officer)
    submitted_case(officer, school=school)
    few = count_queries(client)
    for _ in range(4):
        submitted_case(officer, school=school)
        BullyingReportFactory(school=school, created_by=officer)
    assert count_queries(client) == few


# --- Editors and reviewers ------------------------------------------------------------------


@pytest.fixture
def editors_review(home_page):
    from django.contrib.auth.models import Group

    task = GroupApprovalTask.objects.create(name="编辑审核")
    task.groups.add(Group.objects.get(name=Role.EDITOR.group_name))
    workflow = Workflow.objects.create(name="编辑审核流程")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=home_page, workflow=workflow)
    return workflow


def test_an_editor_sees_the_pages_awaiting_their_review(client, home_page, editors_review):
    author = UserFactory(role=Role.EDITOR)
    page = StandardPageFactory(parent=home_page, title="待审的新闻稿", live=False)
    page.save_revision(user=author)
    editors_review.start(page, author)
    html = html_of(signed_in(client, UserFactory(role=Role.EDITOR)))
    assert "待审的新闻稿" in html
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    # and the author sees it among their own pages in review
    assert "待审的新闻稿" in html_of(signed_in(client, author))


def test_an_editors_workbench_costs_the_same_queries_with_more_pages_in_review(client, home_page, editors_review):
    editor = UserFactory(role=Role.EDITOR)
    signed_in(client, editor)
    author = UserFactory(role=Role.EDITOR)

    def page_in_review(number):
        page = StandardPageFactory(parent=home_page, title=f"稿件{number}", live=False)
        page.save_revision(user=author)
        editors_review.start(page, author)

    page_in_review(0)
    few = count_queries(client)
    for number in range(1, 5):
        page_in_review(number)
    assert count_queries(client) == few


# --- The official holiday calendar ---------------------------------------------------------------


@pytest.fixture
def calendar_ends_2026(monkeypatch):
    """The installed holiday calendar knows up to 2026; the date is faked around the year's end."""
    monkeypatch.setattr("core.workdays.known_years", lambda: (2004, 2026))

    def today_is(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return today_is


CALENDAR_NOTICE = "2027 年的法定节假日安排尚未安装"


def test_district_staff_are_told_from_december_that_next_years_calendar_is_missing(client, db, calendar_ends_2026):
    staff = district_staff()
    signed_in(client, staff)
    calendar_ends_2026(datetime.date(2026, 11, 30))
    assert CALENDAR_NOTICE not in html_of(client)
    assert CALENDAR_NOTICE not in client.get(reverse("wagtailadmin_home")).content.decode()

    calendar_ends_2026(datetime.date(2026, 12, 1))
    assert CALENDAR_NOTICE in html_of(client)
    assert CALENDAR_NOTICE in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_calendar_notice_is_for_district_staff_only(client, db, calendar_ends_2026):
    calendar_ends_2026(datetime.date(2026, 12, 1))
    school = SchoolFactory()
    for user in (officer_of(school), UserFactory(role=Role.TEACHER), UserFactory(role=Role.PARENT)):
        client.logout()
        signed_in(client, user)
        assert CALENDAR_NOTICE not in html_of(client)
    client.logout()
    signed_in(client, UserFactory(role=Role.TEACHER))
    assert CALENDAR_NOTICE not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_my_appointments_is_in_the_header_for_a_signed_in_parent_only(client, catalogue):
    """「我的预约」 is one tap from any page for parents; other roles and visitors do not get it."""
    my_bookings = f'href="{reverse("workstations:my_bookings")}"'
    html = client.get(catalogue.url).content.decode()
    assert my_bookings not in html
    signed_in(client, UserFactory(role=Role.TEACHER))
    assert my_bookings not in client.get(catalogue.url).content.decode()
    client.logout()
    signed_in(client, UserFactory(role=Role.PARENT))
    html = client.get(catalogue.url).content.decode()
    assert my_bookings in html and "我的预约" in html
