"""Editors keep the stations and their services in the Wagtail admin."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase

from accounts.models import User
from home.models import HomePage, Workstation, WorkstationIndexPage
from tests.factories.accounts import sign_in_fully


class WorkstationAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", "--skip-index", stdout=StringIO())
        cls.admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")

    def setUp(self):
        sign_in_fully(self.client, self.admin)

    def test_the_stations_are_listed_as_snippets(self):
        response = self.client.get(reverse("wagtailsnippets_home_workstation:list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "华泾镇未成年人保护工作站（示例）")

    def test_a_station_opens_in_the_editor(self):
        station = Workstation.objects.get(kind=Workstation.Kind.DISTRICT_CENTRE)
        response = self.client.get(reverse("wagtailsnippets_home_workstation:edit", args=[station.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "021-0000-1234")

    def test_the_directory_page_can_be_added_below_the_home_page_when_there_is_none(self):
        self.assertCanCreateAt(HomePage, WorkstationIndexPage)
