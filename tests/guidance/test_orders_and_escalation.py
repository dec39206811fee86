"""Court orders and liaisons' scope; the beat task's alerts, once per step."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

import pytest

from guidance import selectors, services
from guidance.models import CourtOrder, GuidancePlan, PlanEvent
from guidance.services import Guardian, GuidanceError
from schools.models import Notification
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.guidance import booking, court, court_liaison

pytestmark = pytest.mark.django_db


def register(by, the_court, worker, course, *, number="(2026)沪0104民初1号", phone="+8613800004444", **extra):
    today = timezone.localdate()
    fields = {
        "issued_on": today - datetime.timedelta(days=3),
        "required_content": "家庭教育课程及指导",
        "required_hours": 6,
        "starts_on": today - datetime.timedelta(days=1),
        "ends_on": today + datetime.timedelta(days=90),
    } | extra
    return services.register_order(
        by=by,
        court=the_court,
        order_number=number,
        guardians=[Guardian(name="钱家长", phone=phone)],
        worker=worker,
        courses=[course],
        **fields,
    )


def test_district_staff_register_an_order_which_creates_its_plan(district, the_court, worker, course):
    plan = register(district, the_court, worker, course)
    assert plan.order.court == the_court and plan.case is None
    assert plan.course_deadline == plan.order.ends_on == plan.ends_on
    # 6 hours, the course's 30 minutes counted, 1.5 hours a session: 4 sessions.
    assert plan.required_sessions == 4
    with pytest.raises(GuidanceError):
        register(district, the_court, worker, course)  # the same number twice
    for user in (worker, UserFactory()):
        with pytest.raises(PermissionDenied):
            register(user, the_court, worker, course, number="(2026)沪0104民初2号")


def test_the_order_form(client, district, the_court, worker, course):
    sign_in_fully(client, district)
    today = timezone.localdate()
    response = client.post(
        reverse("guidance:order_new"),
        {
            "court": the_court.pk,
            "order_number": "(2026)沪0104民初9号",
            "issued_on": today.isoformat(),
            "guardians": "孙家长, 13800005555",
            "required_content": "学习课程",
            "required_hours": 3,
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=60)).isoformat(),
            "courses": [course.pk],
            "worker": worker.pk,
        },
    )
    assert response.status_code == 302
    assert CourtOrder.objects.get().order_number == "(2026)沪0104民初9号"


def test_a_liaison_sees_only_their_courts_orders_and_no_case_plan(
    client, district, the_court, liaison, worker, course, handler, case, dates
):
    own = register(district, the_court, worker, course)
    other = register(
        district, court("上海市第一中级人民法院"), worker, course, number="(2026)沪01民初5号", phone="+8613800006666"
    )
    case_plan = services.create_plan(
        by=handler, case=case, worker=worker, courses=[course], required_sessions=1,
        guardians=[Guardian("周家长", "+8613800007777")], **dates,
    )  # fmt: skip
    assert set(selectors.plans_visible_to(liaison)) == {own}
    sign_in_fully(client, liaison)
    page = client.get(reverse("guidance:overview")).content.decode()
    assert own.order.order_number in page and other.order.order_number not in page
    assert client.get(reverse("guidance:plan_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("guidance:plan_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("guidance:plan_detail", args=[case_plan.pk])).status_code == 404
    # Read-only: no assessment, no report, no order, no case.
    assert client.post(reverse("guidance:plan_assessment", args=[own.pk]), {"assessment": "x"}).status_code == 403
    client.post(reverse("guidance:plan_issue_report", args=[own.pk]))
    assert not own.reports.exists()
    assert client.get(reverse("guidance:order_new")).status_code == 403
    assert client.get(reverse("schools:case_list")).status_code == 403
    assert client.get(reverse("guidance:case_plan_new", args=[case.pk])).status_code == 403


def test_a_liaison_must_pass_a_second_factor(client, district, the_court, worker, course):
    liaison = court_liaison(the_court, mfa=False)
    client.force_login(liaison)
    response = client.get(reverse("guidance:overview"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_the_overview_counts_and_query_count_stays_flat(
    client, district, the_court, worker, course, django_assert_max_num_queries
):
    parent = UserFactory(phone="+8613800004444")
    plan = register(district, the_court, worker, course)
    booking(parent)
    sign_in_fully(client, district)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("guidance:overview"))
    for index in range(5):
        register(
            district,
            the_court,
            worker,
            course,
            number=f"(2026)沪0104民初{100 + index}号",
            phone=f"+86138000090{index:02d}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("guidance:overview")).content.decode()
    assert plan.order.order_number in page and "1 / 4" in page


def test_escalation_alerts_the_worker_once_per_overdue_course_and_missed_session(district, the_court, worker, course):
    parent = UserFactory(phone="+8613800004444")
    plan = register(district, the_court, worker, course)
    GuidancePlan.objects.filter(pk=plan.pk).update(course_deadline=timezone.localdate() - datetime.timedelta(days=1))
    booking(parent, status="no_show")
    assert services.escalate_plans() == 2
    worker_mail = Notification.objects.filter(recipient=worker)
    assert worker_mail.count() == 2  # e-mail: one per step
    assert services.escalate_plans() == 0 and worker_mail.count() == 2
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.COURSE_OVERDUE).count() == 1


def test_a_plan_near_its_end_with_requirements_unmet_alerts_worker_and_district_once(
    district, the_court, worker, course
):
    register(district, the_court, worker, course, ends_on=timezone.localdate() + datetime.timedelta(days=5))
    services.escalate_plans()
    end_near = PlanEvent.objects.filter(kind=PlanEvent.Kind.END_NEAR)
    assert end_near.count() == 1
    assert Notification.objects.filter(recipient=worker, subject__contains="到期").exists()
    assert Notification.objects.filter(recipient=district, subject__contains="到期").exists()
    before = Notification.objects.count()
    services.escalate_plans()
    assert end_near.count() == 1 and Notification.objects.count() == before


def test_a_plan_far_from_its_end_or_met_is_not_escalated(district, the_court, worker, course):
    register(district, the_court, worker, course)
    services.escalate_plans()
    assert not PlanEvent.objects.filter(kind=PlanEvent.Kind.END_NEAR).exists()
    assert not Notification.objects.filter(recipient=district).exists()
