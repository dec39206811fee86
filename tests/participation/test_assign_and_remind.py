"""Assigning a course to a class, a grade or a school; a head teacher's class page and reminders."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest

from courses.models import Assignment, Enrolment, LessonPage, LessonProgress
from participation import services
from participation.models import ClassReminder
from schools.models import Notification
from tests.factories.participation import SchoolClassFactory, member_of
from tests.factories.schools import officer_of

pytestmark = pytest.mark.django_db


def _deadline(days: int = 14) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_a_class_assignment_enrols_every_member_with_the_deadline(school_class, head_teacher, course):
    members = [member_of(school_class) for _n in range(3)]
    outsider = member_of(SchoolClassFactory())
    services.assign_to_group(course=course, deadline=_deadline(), assigned_by=head_teacher, school_class=school_class)
    assigned = Assignment.objects.filter(course=course)
    assert {a.parent_id for a in assigned} == {m.pk for m in members}
    assert all(a.deadline == _deadline() and a.enrolment.source == Enrolment.Source.ASSIGNED for a in assigned)
    assert not Assignment.objects.filter(parent=outsider).exists()


def test_a_grade_assignment_reaches_every_class_of_the_grade_and_no_other(school_class, course):
    school = school_class.parent_school
    same_grade = SchoolClassFactory(parent_school=school, grade=school_class.grade)
    other_grade = SchoolClassFactory(parent_school=school, grade=8)
    a, b, c = member_of(school_class), member_of(same_grade), member_of(other_grade)
    officer = officer_of(school.school)
    group = services.assign_to_group(
        course=course, deadline=_deadline(), assigned_by=officer, parent_school=school, grade=school_class.grade
    )
    assert set(Assignment.objects.filter(course=course).values_list("parent_id", flat=True)) == {a.pk, b.pk}
    assert "7" in services.group_label(group) and c.pk not in group.assignments.values_list("parent_id", flat=True)


def test_a_head_teacher_may_not_assign_to_another_class_or_a_whole_school(school_class, head_teacher, course):
    other = SchoolClassFactory()
    with pytest.raises(PermissionDenied):
        services.assign_to_group(course=course, deadline=_deadline(), assigned_by=head_teacher, school_class=other)
    with pytest.raises(PermissionDenied):
        services.assign_to_group(
            course=course, deadline=_deadline(), assigned_by=head_teacher, parent_school=school_class.parent_school
        )


def test_a_deadline_in_the_past_is_refused(school_class, head_teacher, course):
    with pytest.raises(services.ParticipationError, match="future"):
        services.assign_to_group(
            course=course, deadline=timezone.localdate(), assigned_by=head_teacher, school_class=school_class
        )


def test_the_parent_sees_the_assigned_course_and_its_deadline_on_my_courses(client, school_class, head_teacher, course):
    parent = member_of(school_class)
    services.assign_to_group(course=course, deadline=_deadline(9), assigned_by=head_teacher, school_class=school_class)
    client.force_login(parent)
    catalogue = course.get_parent().specific
    page = client.get(catalogue.url + catalogue.reverse_subpage("my_courses"))
    text = page.content.decode()
    assert course.title in text and _deadline(9).isoformat() in text


def test_the_class_page_shows_who_joined_started_and_finished(client, school_class, head_teacher, course):
    finished, started, idle = (member_of(school_class) for _n in range(3))
    services.assign_to_group(course=course, deadline=_deadline(), assigned_by=head_teacher, school_class=school_class)
    Enrolment.objects.filter(parent=finished, course=course).update(completed_at=timezone.now())
    lesson = LessonPage.objects.child_of(course).first()
    LessonProgress.objects.create(parent=started, lesson=lesson)
    client.force_login(head_teacher)
    response = client.get(f"/participation/classes/{school_class.pk}/")
    assert response.status_code == 200
    overview = response.context["overview"]
    statuses = {m.name: m.statuses[0] for m in overview.members}
    assert statuses == {finished.name: "finished", started.name: "started", idle.name: "not_started"}
    assert overview.finished_counts == [1]
    assert finished.name in response.content.decode()


def test_the_class_page_is_not_found_for_another_head_teacher(client, school_class):
    client.force_login(SchoolClassFactory().head_teacher)
    assert client.get(f"/participation/classes/{school_class.pk}/").status_code == 404


def test_the_class_page_takes_a_constant_number_of_queries(client, school_class, head_teacher, course):
    services.assign_to_group(course=course, deadline=_deadline(), assigned_by=head_teacher, school_class=school_class)
    client.force_login(head_teacher)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/participation/classes/{school_class.pk}/").status_code == 200
        return len(queries)

    for _n in range(2):
        member_of(school_class)
    count()  # the first request also fills the per-worker site and settings caches
    few = count()
    for _n in range(6):
        member_of(school_class)
    assert count() == few


def test_a_reminder_reaches_only_parents_who_have_not_finished_once_a_day(school_class, head_teacher, course):
    done, behind = member_of(school_class), member_of(school_class)
    services.assign_to_group(course=course, deadline=_deadline(), assigned_by=head_teacher, school_class=school_class)
    Enrolment.objects.filter(parent=done, course=course).update(completed_at=timezone.now())
    reminder = services.send_class_reminder(school_class=school_class, by=head_teacher)
    assert reminder.recipients == 1
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {behind.pk}
    with pytest.raises(services.ParticipationError, match="already"):
        services.send_class_reminder(school_class=school_class, by=head_teacher)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.send_class_reminder(school_class=school_class, by=head_teacher, today=tomorrow)
    assert ClassReminder.objects.filter(school_class=school_class).count() == 2


def test_a_parent_without_email_is_reminded_by_text_message(school_class, head_teacher, course):
    parent = member_of(school_class)
    parent.email = ""
    parent.save(update_fields=["email"])
    services.assign_to_group(course=course, deadline=_deadline(), assigned_by=head_teacher, school_class=school_class)
    services.send_class_reminder(school_class=school_class, by=head_teacher)
    [message] = Notification.objects.filter(recipient=parent)
    assert message.channel == Notification.Channel.SMS and message.address == parent.phone


def test_nobody_to_remind_is_said_and_sends_nothing(school_class, head_teacher):
    member_of(school_class)
    with pytest.raises(services.ParticipationError, match="nobody"):
        services.send_class_reminder(school_class=school_class, by=head_teacher)
    assert not Notification.objects.exists() and not ClassReminder.objects.exists()


def test_the_head_teacher_assigns_from_the_class_page(client, school_class, head_teacher, course):
    parent = member_of(school_class)
    client.force_login(head_teacher)
    response = client.post(
        f"/participation/classes/{school_class.pk}/assign/",
        {"course": course.pk, "deadline": _deadline().isoformat()},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(parent=parent, course=course).exists()


def test_the_poster_carries_the_qr_code_and_the_code(client, school_class, head_teacher):
    client.force_login(head_teacher)
    response = client.get(f"/participation/classes/{school_class.pk}/poster/")
    text = response.content.decode()
    assert response.status_code == 200 and "<svg" in text and school_class.code in text


def test_the_class_list_offers_an_officer_their_school_for_grade_assignments(client, school_class):
    other = SchoolClassFactory()
    officer = officer_of(school_class.parent_school.school)
    from tests.factories.accounts import sign_in_fully

    sign_in_fully(client, officer)
    response = client.get("/participation/classes/")
    assert response.status_code == 200
    assert list(response.context["classes"]) == [school_class]
    assert list(response.context["assignable_schools"]) == [school_class.parent_school]
    assert other.parent_school not in response.context["assignable_schools"]
