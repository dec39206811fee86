"""The alliance in the admin: members as snippets, registrations listed, exported and protected."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from alliance.models import AllianceMember, EventRegistration
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.alliance import EventRegistrationFactory, event
from tests.factories.schools import district_staff

pytestmark = pytest.mark.django_db


def export_url(page, file_format: str) -> str:
    return reverse("alliance_registrations_export", args=[page.pk, file_format])


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def registrations():
    page = event(title="模拟法庭：网络欺凌案")
    EventRegistrationFactory(event=page, name="王女士", phone="+8613800138000", organisation="汇爱示例初级中学")
    EventRegistrationFactory(event=page, name='=HYPERLINK("http://x")', phone="+8613800138001", organisation="@SUM(1)")
    EventRegistrationFactory(event=page, name="李先生", phone="+8613800138002", cancelled=True)
    EventRegistrationFactory(event=event(), name="别的活动", phone="+8613800138003")
    return page


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_district_staff_export_an_events_registrations(client, registrations, file_format):
    sign_in_fully(client, district_staff())
    response = client.get(export_url(registrations, file_format))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-')
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    assert rows[0] == ["序号", "姓名", "手机号码", "电子邮箱", "学校或单位", "报名时间", "状态"]
    names = [row[1] for row in rows[1:]]
    assert names[0] == "王女士" and "别的活动" not in names
    assert rows[1][2] == "13800138000" and rows[1][4] == "汇爱示例初级中学"
    assert rows[-1][1] == "李先生" and rows[-1][-1] == "已取消"
    assert rows[2][1].startswith("'=") and rows[2][4].startswith("'@")


def test_editors_may_export_too(client, registrations):
    sign_in_fully(client, UserFactory(role=Role.EDITOR))
    assert client.get(export_url(registrations, "csv")).status_code == 200


@pytest.mark.parametrize("role", [None, Role.PARENT, Role.TEACHER])
def test_nobody_else_exports_registrations(client, registrations, role):
    if role is not None:
        sign_in_fully(client, UserFactory(role=role))
    response = client.get(export_url(registrations, "csv"))
    assert response.status_code in {302, 403}
    assert "王女士" not in response.content.decode(errors="ignore")


def test_an_unknown_format_is_not_found(client, registrations):
    sign_in_fully(client, district_staff())
    assert client.get(export_url(registrations, "pdf")).status_code == 404


def test_district_staff_list_registrations_but_cannot_add_one(client, registrations):
    sign_in_fully(client, district_staff())
    response = client.get(reverse("alliance_registrations:index") + f"?event={registrations.pk}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "王女士" in content and "138****8000" in content
    assert export_url(registrations, "xlsx") in content
    assert client.get(reverse("alliance_registrations:add")).status_code in {302, 403}


def test_district_staff_cancel_a_registration_in_the_admin(client, registrations):
    registration = EventRegistration.objects.get(name="王女士")
    sign_in_fully(client, district_staff())
    response = client.post(reverse("alliance_registrations:edit", args=[registration.pk]), {"cancelled": "on"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.cancelled and registration.cancelled_at is not None


def test_the_page_explorer_offers_the_downloads_on_an_event(client, registrations):
    sign_in_fully(client, district_staff())
    response = client.get(reverse("wagtailadmin_explore", args=[registrations.get_parent().pk]))
    assert export_url(registrations, "csv") in response.content.decode()


def test_district_staff_add_an_alliance_member(client):
    sign_in_fully(client, district_staff())
    url = reverse("wagtailsnippets_alliance_alliancemember:add")
    response = client.post(
        url,
        {
            "name": "徐汇区司法局",
            "category": "civil_affairs",
            "description": "普法宣传。",
            "website": "",
            "sort_order": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AllianceMember.objects.get().name == "徐汇区司法局"


def test_teachers_cannot_edit_alliance_members(client):
    sign_in_fully(client, UserFactory(role=Role.TEACHER))
    response = client.get(reverse("wagtailsnippets_alliance_alliancemember:add"))
    assert response.status_code in {302, 403}
