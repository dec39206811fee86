"""Browser journeys for parent schools, at phone size, with axe-core (``check_page``).

A parent scans a class poster's QR code (opens its address), taps 「同意并加入班级」 and is in the
class; a head teacher assigns a course to their class and sees who finished it; district staff
open the ranking of streets and export it.
"""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone, translation

import pytest

from accounts.roles import Role
from courses.models import CoursePage, Enrolment
from demo.recipes.courses import create_demo_courses
from participation.models import Child
from tests.e2e.conftest import PHONE, check_page
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.participation import SchoolClassFactory, member_of

pytestmark = pytest.mark.e2e


def _sign_in(page, live_server, user) -> None:
    client = Client()
    sign_in_fully(client, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def parent_school(transactional_db, django_db_serialized_rollback):
    create_demo_courses()
    return SchoolClassFactory(name="2班")


def test_a_parent_scans_the_class_code_and_joins_in_two_taps(parent_school, page, live_server):
    parent = UserFactory(role=Role.PARENT, name="王妈妈")
    _sign_in(page, live_server, parent)
    page.set_viewport_size(PHONE)
    page.goto(f"/participation/join/{parent_school.code}/")  # what the poster's QR code opens
    check_page(page, "participation-join-code")

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="同意并加入班级").click()
    page.wait_for_url(lambda url: "/participation/profile/" in url)
    assert page.locator(".message--success").count() == 1
    check_page(page, "participation-profile")
    assert Child.objects.filter(parent=parent, school_class=parent_school).exists()


def test_a_parent_types_a_wrong_code_then_the_right_one(parent_school, page, live_server):
    _sign_in(page, live_server, UserFactory(role=Role.PARENT))
    page.set_viewport_size(PHONE)
    page.goto("/participation/join/")
    page.get_by_label("班级码").fill("WRONG234")
    page.get_by_role("button", name="同意并加入班级").click()
    assert page.locator(".form-error").count() == 1
    check_page(page, "participation-join-wrong-code")
    page.set_viewport_size(PHONE)
    page.get_by_label("班级码").fill(parent_school.code)
    page.get_by_role("button", name="同意并加入班级").click()
    page.wait_for_url(lambda url: "/participation/profile/" in url)


def test_a_head_teacher_assigns_a_course_and_sees_who_finished(parent_school, page, live_server):
    finished, behind = member_of(parent_school), member_of(parent_school)
    course = CoursePage.objects.live().order_by("path").first()
    _sign_in(page, live_server, parent_school.head_teacher)
    page.set_viewport_size(PHONE)
    page.goto("/participation/classes/")
    check_page(page, "participation-classes")
    page.set_viewport_size(PHONE)
    with translation.override("zh-hans"):  # the page's language, whatever an earlier test left active
        class_name = str(parent_school)
    page.get_by_role("link", name=class_name).click()
    check_page(page, "participation-class")

    page.set_viewport_size(PHONE)
    page.select_option("#id_course", str(course.pk))
    page.fill("#id_deadline", (timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="指派", exact=True).click()
    assert page.locator(".message--success").count() == 1
    Enrolment.objects.filter(parent=finished, course=course).update(completed_at=timezone.now())
    page.reload()
    table = page.locator("table.audit-table")
    assert table.locator("tr", has_text=finished.name).locator(".status--finished").count() == 1
    assert table.locator("tr", has_text=behind.name).locator(".status--not_started").count() == 1
    check_page(page, "participation-class-finished")


def test_district_staff_open_the_street_ranking_and_export_it(parent_school, page, live_server):
    from tests.factories.participation import street
    from tests.factories.schools import district_staff

    course = CoursePage.objects.live().order_by("path").first()
    longhua, xujiahui = street("longhua", "龙华街道"), street("xujiahui", "徐家汇街道")
    parents = [member_of(parent_school, street=longhua if n < 2 else xujiahui) for n in range(5)]
    Enrolment.objects.create(course=course, parent=parents[0], completed_at=timezone.now())
    _sign_in(page, live_server, district_staff())
    page.set_viewport_size(PHONE)
    page.goto("/participation/stats/")
    ranking = page.locator("section", has=page.locator("#table-street-title"))
    rows = ranking.locator("table[data-table='street'] tbody tr")
    assert rows.first.locator("th").inner_text() == "龙华街道"  # 1 of 2 completed: ranked first
    assert "50.0%" in rows.first.inner_text()
    check_page(page, "participation-stats-district")

    page.set_viewport_size(PHONE)
    with page.expect_download() as download:
        ranking.locator("a[href*='export.csv']").click()
    with open(download.value.path(), encoding="utf-8-sig") as export:
        text = export.read()
    assert "龙华街道" in text and "徐家汇街道" in text
    assert all(parent.name not in text and parent.masked_phone not in text for parent in parents)
