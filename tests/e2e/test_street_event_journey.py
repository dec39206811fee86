"""Street events in a real browser (issue 13), all at phone size (375 px) with axe-core on every
page and no finding of any impact: a child director (儿童主任) creates an event for their street,
a parent of the street signs up, and once the event has begun the director marks who came."""

from __future__ import annotations

import datetime

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from tests.factories.participation import resident, street_staff
from workstations.models import EventSignup, StreetEvent

from .conftest import PHONE, check_page
from .test_workbench_journeys import no_axe_findings, sign_in

pytestmark = pytest.mark.e2e


def checked(page, name: str) -> None:
    check_page(page, name, viewports=("phone",))
    page.set_viewport_size(PHONE)
    no_axe_findings(page)


def test_a_child_director_creates_an_event_a_parent_signs_up_and_attendance_is_marked(page, live_server, demo_site):
    director = street_staff("xujiahui")
    director.name = "街道儿童主任小林"
    director.save(update_fields=["name"])
    parent = resident("xujiahui", name="报名家长", email="")
    day = timezone.localdate() + datetime.timedelta(days=6)

    # The director, on a phone, from the workbench.
    sign_in(page, live_server, director)
    page.set_viewport_size(PHONE)
    page.goto("/workbench/")
    page.get_by_role("link", name="本街道活动").click()
    checked(page, "street-events-staff")
    page.get_by_role("link", name="新建活动").click()
    checked(page, "street-event-new")
    page.get_by_label("标题").fill("家长沙龙：和孩子聊聊校园欺凌")
    page.get_by_label("活动内容").fill("面向本街道中小学生家长，分享识别与应对欺凌的方法。")
    page.get_by_label("地点").fill("徐家汇街道社区文化活动中心 3 楼")
    page.locator("#id_date").fill(day.isoformat())
    page.get_by_label("开始时间").fill("14:00")
    page.get_by_label("结束时间").fill("16:00")
    page.get_by_label("名额").fill("20")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("活动已发布，家庭现在可以报名。")).to_be_visible()
    checked(page, "street-event-staff")
    event = StreetEvent.objects.get(title="家长沙龙：和孩子聊聊校园欺凌")
    assert event.workstation.street == "xujiahui" and event.capacity == 20

    # A parent of the street finds it first among the events and signs up.
    sign_in(page, live_server, parent)
    page.goto("/participation/events/")
    expect(page.get_by_role("heading", name="您所在的街道（镇）")).to_be_visible()
    checked(page, "street-events")
    page.get_by_role("link", name="家长沙龙：和孩子聊聊校园欺凌", exact=True).click()
    checked(page, "street-event")
    page.get_by_role("button", name="报名参加").click()
    expect(page.get_by_text("报名成功，确认消息即将发送给您。")).to_be_visible()
    expect(page.get_by_test_id("event-status")).to_have_text("您已报名")
    checked(page, "street-event-signed-up")
    signup = EventSignup.objects.get(event=event, parent=parent)

    # The day comes (the event is moved to have begun half an hour ago): the director marks who came.
    begun = timezone.now() - datetime.timedelta(minutes=30)
    StreetEvent.objects.filter(pk=event.pk).update(
        starts_at=begun, ends_at=begun + datetime.timedelta(hours=2), signup_deadline=begun
    )
    sign_in(page, live_server, director)
    page.goto(f"/participation/street/events/{event.pk}/")
    row = page.get_by_test_id(f"signup-{signup.pk}")
    expect(row).to_contain_text("报名家长")
    expect(row).to_contain_text(parent.masked_phone)
    row.get_by_role("button", name="已到场").click()
    expect(page.get_by_text("已标记为到场。")).to_be_visible()
    checked(page, "street-event-attendance")
    signup.refresh_from_db()
    assert signup.status == EventSignup.Status.ATTENDED
