"""Plans from a case: who may create one, what guardians get, the one-time link, the timeline."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

import pytest

from courses.models import Assignment
from guidance import services
from guidance.models import GuardianInvitation, PlanEvent
from guidance.services import Guardian, InvitationError
from schools.models import CaseEvent, Measure, Notification
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.guidance import determined_case

pytestmark = pytest.mark.django_db

PHONE = "+8613800001111"


def make_plan(by, case, worker, course, dates, guardians=None):
    return services.create_plan(
        by=by,
        case=case,
        worker=worker,
        courses=[course],
        required_sessions=2,
        guardians=guardians or [Guardian(name="张家长", phone=PHONE)],
        **dates,
    )


def sms_token() -> str:
    body = Notification.objects.filter(channel="sms", address=PHONE).latest("pk").body
    return re.search(r"/guidance/join/([^/]+)/", body).group(1)


def test_the_handler_creates_a_plan_and_a_guardian_without_an_account_gets_a_link(handler, case, worker, course, dates):
    plan = make_plan(handler, case, worker, course, dates)
    assert plan.guardians.get().user is None
    body = Notification.objects.get(channel="sms", address=PHONE).body
    assert "/guidance/join/" in body
    assert case.case_number not in body and "小明" not in body
    invitation = GuardianInvitation.objects.get()
    assert invitation.token_hash != sms_token()  # only the hash is kept
    kinds = set(CaseEvent.objects.filter(report=case, kind=CaseEvent.Kind.GUIDANCE).values_list("reason", flat=True))
    assert any(plan.reference in reason for reason in kinds)


def test_only_the_handler_or_district_staff_create_a_plan_and_only_for_family_education(
    handler, district, worker, course, dates, school
):
    from tests.factories.schools import officer_of

    case = determined_case(handler=handler, officer=handler, school=school)
    other_officer = officer_of(school)
    with pytest.raises(PermissionDenied):
        make_plan(other_officer, case, worker, course, dates)
    with pytest.raises(PermissionDenied):
        make_plan(worker, case, worker, course, dates)
    assert make_plan(district, case, worker, course, dates).pk
    without = determined_case(handler=handler, officer=handler, school=school, measures=[Measure.COUNSELLING])
    with pytest.raises(PermissionDenied):
        make_plan(handler, without, worker, course, dates, guardians=[Guardian("李家长", "+8613800002222")])


def test_a_guardian_with_an_account_is_linked_and_assigned_the_courses(handler, case, worker, course, dates):
    parent = UserFactory(phone=PHONE)
    plan = make_plan(handler, case, worker, course, dates)
    assert plan.guardians.get().user == parent
    assignment = Assignment.objects.get(parent=parent, course=course)
    assert assignment.deadline == dates["course_deadline"]
    assert plan.reference in assignment.reason and case.case_number not in assignment.reason
    assert not GuardianInvitation.objects.exists()


def test_the_link_is_claimed_only_by_the_verified_phone_once(client, handler, case, worker, course, dates):
    make_plan(handler, case, worker, course, dates)
    token = sms_token()
    url = reverse("guidance:join", args=[token])
    assert client.get(url).status_code == 200
    stranger = UserFactory(phone="+8613900009999")
    with pytest.raises(InvitationError):
        services.claim_invitation(token, stranger)
    unverified = UserFactory(phone=PHONE, phone_verified=False)
    with pytest.raises(InvitationError):
        services.claim_invitation(token, unverified)
    unverified.phone_verified = True
    unverified.save()
    client.force_login(unverified)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("guidance:my_plans")
    assert Assignment.objects.filter(parent=unverified, course=course).exists()
    # Single use: the same link again is refused, to anyone.
    assert client.get(url).status_code == 410
    with pytest.raises(InvitationError):
        services.claim_invitation(token, unverified)


def test_an_expired_link_is_refused(client, handler, case, worker, course, dates):
    make_plan(handler, case, worker, course, dates)
    token = sms_token()
    later = timezone.now() + datetime.timedelta(days=15)
    with pytest.raises(InvitationError):
        services.open_invitation(token, now=later)
    GuardianInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("guidance:join", args=[token])).status_code == 410
    assert client.get(reverse("guidance:join", args=["not-a-token"])).status_code == 410


def test_the_guardian_sees_their_plan_and_nothing_of_the_case(client, handler, case, worker, course, dates):
    parent = UserFactory(phone=PHONE)
    plan = make_plan(handler, case, worker, course, dates)
    client.force_login(parent)
    page = client.get(reverse("guidance:my_plans")).content.decode()
    assert plan.reference in page and course.title in page
    assert case.case_number not in page and "小明" not in page and "嘲笑" not in page
    assert client.get(reverse("guidance:plan_detail", args=[plan.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("schools:case_detail", args=[case.pk])).status_code in (302, 403, 404)


def test_case_page_shows_plans_to_those_who_see_the_case(client, handler, case, worker, course, dates):
    plan = make_plan(handler, case, worker, course, dates)
    sign_in_fully(client, handler)
    page = client.get(reverse("schools:case_detail", args=[case.pk])).content.decode()
    assert reverse("guidance:plan_detail", args=[plan.pk]) in page
    assert plan.reference in page  # the timeline entry


def test_plan_detail_visibility(client, handler, district, case, worker, course, dates, liaison):
    from tests.factories.guidance import guidance_worker

    plan = make_plan(handler, case, worker, course, dates)
    url = reverse("guidance:plan_detail", args=[plan.pk])
    for user, status in ((district, 200), (worker, 200), (guidance_worker(), 404), (liaison, 404)):
        client.logout()
        sign_in_fully(client, user)
        assert client.get(url).status_code == status, user


def test_progress_events_are_recorded_once_on_plan_and_case(handler, case, worker, course, dates):
    from courses.models import Enrolment
    from tests.factories.guidance import booking

    parent = UserFactory(phone=PHONE)
    # Started yesterday, so that the sessions of a few hours ago count at any time of day.
    since_yesterday = {**dates, "starts_on": timezone.localdate() - datetime.timedelta(days=1)}
    plan = make_plan(handler, case, worker, course, since_yesterday)
    Enrolment.objects.filter(parent=parent, course=course).update(completed_at=timezone.now())
    booking(parent)
    booking(parent, status="no_show", when=timezone.now() - datetime.timedelta(hours=5))
    first = services.sync(plan)
    assert {event.kind for event in first} == {
        PlanEvent.Kind.COURSE_FINISHED,
        PlanEvent.Kind.SESSION_ATTENDED,
        PlanEvent.Kind.SESSION_MISSED,
    }
    assert services.sync(plan) == []
    guidance_events = CaseEvent.objects.filter(report=case, kind=CaseEvent.Kind.GUIDANCE).count()
    services.sync(plan)
    assert CaseEvent.objects.filter(report=case, kind=CaseEvent.Kind.GUIDANCE).count() == guidance_events
    progress = services.progress_of(plan)
    assert progress.sessions_attended == 1 and progress.sessions_missed == 1 and progress.courses_done == 1


def test_handler_creates_a_plan_through_the_form(client, handler, case, worker, course, dates):
    sign_in_fully(client, handler)
    url = reverse("guidance:case_plan_new", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "guardians": "张家长，13800001111\n李家长 13800002222",
            "courses": [course.pk],
            "course_deadline": dates["course_deadline"].isoformat(),
            "required_sessions": 2,
            "worker": worker.pk,
            "review_on": dates["review_on"].isoformat(),
            "ends_on": dates["ends_on"].isoformat(),
        },
    )
    assert response.status_code == 302
    assert Notification.objects.filter(channel="sms").count() == 2
