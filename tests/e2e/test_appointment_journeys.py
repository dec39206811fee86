"""Guidance-station appointments in a real browser (issue 14): a parent on a phone (375 px) books a
counselling slot from the station directory and cancels it; station staff at desktop size mark
attendance and write the session record from their workbench. axe-core on every page, with no
finding of any impact."""

from __future__ import annotations

import datetime

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.workstations import booking as make_booking
from tests.factories.workstations import guidance_worker
from tests.factories.workstations import slot as make_slot
from workstations.models import Booking, SessionRecord, Workstation

from .conftest import DESKTOP, PHONE, check_page
from .test_workbench_journeys import no_axe_findings, sign_in

pytestmark = pytest.mark.e2e
STATION = "徐家汇街道家庭教育指导服务站（示例）"


def checked(page, name: str) -> None:
    size = page.viewport_size
    check_page(page, name)
    page.set_viewport_size(size)
    no_axe_findings(page)


def test_a_parent_books_a_counselling_slot_on_a_phone_and_cancels_it(page, live_server, demo_site):
    from workstations.models import WorkstationIndexPage

    parent = UserFactory(role=Role.PARENT, name="手机家长", email="")
    sign_in(page, live_server, parent)
    page.set_viewport_size(PHONE)
    page.goto(WorkstationIndexPage.objects.get().url)
    page.get_by_role("link", name=f"预约{STATION}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STATION)
    page.get_by_role("link", name="心理咨询", exact=True).click()
    checked(page, "appointment-station")
    page.locator(".slot-button").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("确认预约")
    checked(page, "appointment-confirm")
    page.get_by_role("button", name="预约这个时间").click()
    expect(page.get_by_text("预约成功，确认通知已发送。")).to_be_visible()
    expect(page.get_by_test_id("booking-status")).to_have_text("已预约")
    checked(page, "appointment-booked")
    booked = Booking.objects.get(parent=parent)
    assert booked.slot.service.slug == "counselling" and booked.slot.station.name == STATION

    page.goto("/stations/bookings/")
    checked(page, "appointment-mine")
    page.locator(".appointment-card__title a").first.click()
    page.get_by_role("link", name="取消预约").click()
    checked(page, "appointment-cancel")
    page.get_by_role("button", name="确定取消").click()
    expect(page.get_by_text("您的预约已取消。")).to_be_visible()
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CANCELLED


def test_station_staff_mark_attendance_and_write_the_record_at_desktop_size(page, live_server, demo_site):
    station = Workstation.objects.get(name=STATION)
    worker = guidance_worker(station, name="指导站小周")
    parent = UserFactory(role=Role.PARENT, name="到场家长")
    started = make_slot(station, starts_in=-datetime.timedelta(minutes=30), capacity=2)
    came = make_booking(started, parent)

    sign_in(page, live_server, worker)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/stations/staff/?station={station.pk}&date={timezone.localtime(started.starts_at).date().isoformat()}")
    row = page.get_by_test_id(f"booking-{came.pk}")
    expect(row).to_contain_text("到场家长")
    checked(page, "station-day")
    row.get_by_role("button", name="已到场").click()
    expect(page.get_by_text("已标记为到场。")).to_be_visible()
    page.get_by_test_id(f"booking-{came.pk}").get_by_role("link", name="填写指导记录").click()
    checked(page, "session-record")
    page.get_by_label("指导记录内容").fill("讨论了孩子的作息和手机使用，约定下周再谈。")
    page.get_by_role("button", name="保存记录").click()
    expect(page.get_by_text("指导记录已保存。")).to_be_visible()
    came.refresh_from_db()
    assert came.status == Booking.Status.ATTENDED
    assert SessionRecord.objects.get(booking=came).notes.startswith("讨论了孩子的作息")


def test_station_staff_reach_their_day_from_the_workbench(page, live_server, demo_site):
    worker = guidance_worker(Workstation.objects.get(name=STATION))
    sign_in(page, live_server, worker)
    page.goto("/workbench/")
    page.get_by_role("link", name="今日预约").click()
    page.wait_for_url("**/stations/staff/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(STATION)
