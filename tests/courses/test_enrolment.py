"""Enrolment rules: open, by code, capacity and waitlist, leaving, and assignments."""

from __future__ import annotations

import datetime
import re
import threading

from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

import pytest

from accounts.roles import Role
from courses import services
from courses.models import Assignment, Enrolment
from tests.factories.accounts import UserFactory
from tests.factories.courses import course_with_lessons

ACTIVE, WAITLISTED, LEFT = Enrolment.Status.ACTIVE, Enrolment.Status.WAITLISTED, Enrolment.Status.LEFT


def parents(count: int) -> list:
    return [UserFactory(role=Role.PARENT) for _index in range(count)]


def statuses(course, people) -> list[str]:
    by_parent = {enrolment.parent_id: enrolment.status for enrolment in Enrolment.objects.filter(course=course)}
    return [by_parent.get(person.pk) for person in people]


def test_open_enrolment_gives_a_seat_at_once(parent, course):
    enrolment = services.enrol(parent, course)
    assert enrolment.status == ACTIVE
    assert enrolment.source == Enrolment.Source.OPEN
    assert enrolment.enrolled_at is not None


def test_enrolling_twice_keeps_one_enrolment(parent, course):
    first = services.enrol(parent, course)
    second = services.enrol(parent, course)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(course=course, parent=parent).count() == 1


def test_an_unpublished_course_refuses_enrolment(parent, catalogue):
    draft = course_with_lessons(1, live=False)
    with pytest.raises(services.EnrolmentError):
        services.enrol(parent, draft)


def test_a_course_with_a_code_refuses_a_wrong_code(parent, catalogue):
    course = course_with_lessons(1, enrolment_code="XH2026")
    wrong_code = _("The enrolment code is not correct. Please check it and try again.")
    with pytest.raises(services.EnrolmentError, match=re.escape(wrong_code)):
        services.enrol(parent, course, code="WRONG")
    assert not Enrolment.objects.exists()


def test_a_course_with_a_code_accepts_it_ignoring_case_and_spaces(parent, catalogue):
    course = course_with_lessons(1, enrolment_code="XH2026")
    assert services.enrol(parent, course, code=" xh2026 ").status == ACTIVE
    assert Enrolment.objects.get().source == Enrolment.Source.OPEN


def test_parents_beyond_capacity_join_the_waitlist(catalogue):
    course = course_with_lessons(1, capacity=2)
    people = parents(4)
    for person in people:
        services.enrol(person, course)
    assert statuses(course, people) == [ACTIVE, ACTIVE, WAITLISTED, WAITLISTED]


def test_leaving_gives_the_seat_to_the_earliest_on_the_waitlist(catalogue):
    course = course_with_lessons(1, capacity=1)
    first, second, third = parents(3)
    for person in (first, second, third):
        services.enrol(person, course)
    services.leave(first, course)
    assert statuses(course, [first, second, third]) == [LEFT, ACTIVE, WAITLISTED]
    assert Enrolment.objects.get(parent=second).enrolled_at is not None


def test_leaving_the_waitlist_frees_no_seat_and_keeps_the_order(catalogue):
    course = course_with_lessons(1, capacity=1)
    first, second, third = parents(3)
    for person in (first, second, third):
        services.enrol(person, course)
    services.leave(second, course)
    assert statuses(course, [first, second, third]) == [ACTIVE, LEFT, WAITLISTED]
    services.leave(first, course)
    assert statuses(course, [first, second, third]) == [LEFT, LEFT, ACTIVE]


def test_a_new_parent_cannot_jump_the_waitlist_when_capacity_grows(catalogue):
    course = course_with_lessons(1, capacity=1)
    first, waiting, newcomer = parents(3)
    services.enrol(first, course)
    services.enrol(waiting, course)
    course.capacity = 2
    course.save()
    services.enrol(newcomer, course)
    assert statuses(course, [first, waiting, newcomer]) == [ACTIVE, ACTIVE, WAITLISTED]


def test_coming_back_after_leaving_reuses_the_enrolment_and_queues_again(catalogue):
    course = course_with_lessons(1, capacity=1)
    leaver, other = parents(2)
    services.enrol(leaver, course)
    services.leave(leaver, course)
    services.enrol(other, course)
    again = services.enrol(leaver, course)
    assert again.status == WAITLISTED
    assert again.left_at is None
    assert Enrolment.objects.filter(parent=leaver).count() == 1


def test_leaving_a_course_one_is_not_in_is_refused(parent, course):
    with pytest.raises(services.EnrolmentError):
        services.leave(parent, course)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI sets DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_parents_racing_for_the_last_seat_cannot_both_get_it():
    from tests.factories.courses import catalogue

    catalogue()
    course = course_with_lessons(1, capacity=1)
    racers = parents(6)
    barrier = threading.Barrier(len(racers))
    errors = []

    def race(person):
        try:
            barrier.wait(timeout=10)
            services.enrol(person, course)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(person,)) for person in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(statuses(course, racers)).count(ACTIVE) == 1
    assert sorted(statuses(course, racers)).count(WAITLISTED) == 5


# --- Assignments ---------------------------------------------------------------------------


def test_assignment_is_a_record_with_deadline_reason_and_who_assigned(parent, course):
    staff = UserFactory(role=Role.DISTRICT_STAFF)
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    reason = "个案会商后的家庭教育指导"
    [assignment] = services.assign_course(course, parents=[parent], deadline=deadline, reason=reason, assigned_by=staff)
    assert (assignment.deadline, assignment.reason, assignment.assigned_by) == (deadline, reason, staff)
    assert assignment.enrolment.status == ACTIVE
    assert assignment.enrolment.source == Enrolment.Source.ASSIGNED


def test_assigning_to_many_parents_enrols_each_of_them(course):
    people = parents(3)
    services.assign_course(course, parents=people, deadline=timezone.localdate(), reason="学校统一安排")
    assert statuses(course, people) == [ACTIVE, ACTIVE, ACTIVE]
    assert Assignment.objects.count() == 3


def test_an_assigned_parent_gets_a_seat_even_when_the_course_is_full(catalogue):
    course = course_with_lessons(1, capacity=1, enrolment_code="SECRET")
    taken, assigned = parents(2)
    services.enrol(taken, course, code="SECRET")
    services.assign_course(course, parents=[assigned], deadline=timezone.localdate(), reason="法院责令接受家庭教育指导")
    assert statuses(course, [taken, assigned]) == [ACTIVE, ACTIVE]


def test_assigning_moves_a_waitlisted_parent_into_the_course(catalogue):
    course = course_with_lessons(1, capacity=1)
    taken, waiting = parents(2)
    services.enrol(taken, course)
    services.enrol(waiting, course)
    services.assign_course(course, parents=[waiting], deadline=timezone.localdate(), reason="个案安排")
    assert statuses(course, [taken, waiting]) == [ACTIVE, ACTIVE]


def test_an_assigned_course_cannot_be_left(parent, course):
    services.assign_course(course, parents=[parent], deadline=timezone.localdate(), reason="个案安排")
    assigned = _("This course was assigned to you and cannot be left. Please contact the person who assigned it.")
    with pytest.raises(services.EnrolmentError, match=re.escape(assigned)):
        services.leave(parent, course)


def test_a_teacher_may_assign_only_their_own_courses(parent, catalogue):
    teacher = UserFactory(role=Role.TEACHER)
    own = course_with_lessons(1, teacher=teacher)
    other = course_with_lessons(1)
    services.assign_course(own, parents=[parent], deadline=timezone.localdate(), reason="班级家长课")
    with pytest.raises(PermissionDenied):
        services.assign_course(
            other, parents=[parent], deadline=timezone.localdate(), reason="班级家长课", assigned_by=teacher
        )


def test_a_parent_may_not_assign_courses(parent, other_parent, course):
    with pytest.raises(PermissionDenied):
        services.assign_course(
            course, parents=[other_parent], deadline=timezone.localdate(), reason="?", assigned_by=parent
        )


def test_assignment_is_overdue_after_its_deadline_until_the_course_is_completed(parent, course):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    [assignment] = services.assign_course(course, parents=[parent], deadline=yesterday, reason="个案安排")
    assert assignment.is_overdue()
    assignment.enrolment.completed_at = timezone.now()
    assert not assignment.is_overdue()


# --- Views -----------------------------------------------------------------------------------


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_enrol_button_enrols_and_says_so(parent_client, parent, course):
    response = parent_client.post(course.url + "enrol/")
    assert response.status_code == 302 and response["Location"] == course.url
    assert Enrolment.objects.get(parent=parent).status == ACTIVE
    assert messages_of(response) == [_("You are enrolled. Start with the first lesson below.")]


def test_enrol_on_a_full_course_says_the_parent_is_waitlisted(parent_client, parent, catalogue):
    course = course_with_lessons(1, capacity=1)
    services.enrol(UserFactory(role=Role.PARENT), course)
    response = parent_client.post(course.url + "enrol/")
    assert messages_of(response)[0] == _("The course is full. You are on the waitlist and will get the next free seat.")
    follow = parent_client.get(course.url)
    position = _("You are on the waitlist (number %(position)s). You will get the next free seat.") % {"position": 1}
    assert position in follow.content.decode()


def test_enrol_with_a_wrong_code_shows_an_error(parent_client, catalogue):
    course = course_with_lessons(1, enrolment_code="XH")
    response = parent_client.post(course.url + "enrol/", {"code": "NO"})
    assert messages_of(response)[0] == _("The enrolment code is not correct. Please check it and try again.")


def test_enrol_and_leave_only_accept_post(parent_client, course):
    assert parent_client.get(course.url + "enrol/").status_code == 405
    assert parent_client.get(course.url + "leave/").status_code == 405


def test_an_anonymous_visitor_is_sent_to_sign_in_before_enrolling(client, course):
    response = client.post(course.url + "enrol/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_leaving_asks_for_confirmation_first(parent_client, parent, course):
    services.enrol(parent, course)
    html = parent_client.get(course.url).content.decode()
    assert '<details class="course-leave">' in html and 'name="confirm" value="yes"' in html
    response = parent_client.post(course.url + "leave/")
    assert Enrolment.objects.get(parent=parent).status != LEFT
    assert messages_of(response)[0] == _("Confirm that you want to leave the course.")


def test_leave_button_leaves_and_promises_to_keep_progress(parent_client, parent, course):
    services.enrol(parent, course)
    response = parent_client.post(course.url + "leave/", {"confirm": "yes"})
    assert Enrolment.objects.get(parent=parent).status == LEFT
    assert messages_of(response)[0] == _("You have left the course. Your progress is kept if you come back.")


def test_course_page_shows_the_enrol_form_with_a_code_field_when_needed(parent_client, catalogue):
    course = course_with_lessons(1, enrolment_code="XH")
    html = parent_client.get(course.url).content.decode()
    assert '<label for="enrolment-code">' in html and 'name="code"' in html
