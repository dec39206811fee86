"""Editors keep the stations and their services in the Wagtail admin."""

from __future__ import annotations

from django.urls import reverse

from home.models import HomePage
from tests.factories.admin import DemoAdminTestCase
from workstations.models import Workstation, WorkstationIndexPage


class WorkstationAdminTests(DemoAdminTestCase):
    def test_the_stations_are_listed_as_snippets(self):
        response = self.client.get(reverse("wagtailsnippets_workstations_workstation:list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "华泾镇未成年人保护工作站（示例）")

    def test_a_station_opens_in_the_editor(self):
        station = Workstation.objects.get(kind=Workstation.Kind.DISTRICT_CENTRE)
        response = self.client.get(reverse("wagtailsnippets_workstations_workstation:edit", args=[station.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "021-0000-1234")

    def test_the_directory_page_can_be_added_below_the_home_page_when_there_is_none(self):
        self.assertCanCreateAt(HomePage, WorkstationIndexPage)
