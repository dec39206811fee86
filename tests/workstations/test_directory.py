"""The workstation directory page: filters, list, plain map, Leaflet served from the project."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from wagtail.test.utils import WagtailPageTestCase

import pytest

from accounts.roles import Role
from demo.recipes.workstations import create_demo_workstations
from home.models import HomePage, StandardPage
from workstations.models import WorkstationIndexPage

pytestmark = pytest.mark.django_db


def station_names(response) -> list[str]:
    return [station.name for station in response.context["stations"]]


def test_the_directory_lists_every_station_with_its_contact_details(client, directory):
    create_demo_workstations()
    response = client.get(directory.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["stations"]) == 18
    assert "徐汇区未成年人保护中心（示例）" in content
    assert 'href="tel:02100001234"' in content


def test_the_district_centre_is_listed_first(client, directory):
    create_demo_workstations()
    assert station_names(client.get(directory.url))[0] == "徐汇区未成年人保护中心（示例）"


def test_filtering_by_street_shows_only_that_streets_stations(client, directory):
    create_demo_workstations()
    response = client.get(directory.url, {"street": "huajing"})
    assert station_names(response) == ["华泾镇未成年人保护工作站（示例）", "华泾镇家庭教育指导服务站（示例）"]


def test_filtering_by_service_shows_only_stations_offering_it(client, directory):
    create_demo_workstations()
    names = station_names(client.get(directory.url, {"service": "legal-aid"}))
    assert names == ["徐汇区未成年人保护中心（示例）"]


def test_filtering_by_kind_and_street_combine(client, directory):
    create_demo_workstations()
    response = client.get(directory.url, {"street": "xujiahui", "kind": "guidance_station"})
    assert station_names(response) == ["徐家汇街道家庭教育指导服务站（示例）"]


def test_an_unknown_filter_value_shows_every_station_instead_of_an_error(client, directory):
    create_demo_workstations()
    response = client.get(directory.url, {"street": "nowhere"})
    assert response.status_code == 200
    assert len(response.context["stations"]) == 18


def test_the_filters_are_a_labelled_get_form_that_works_without_javascript(client, directory):
    content = client.get(directory.url).content.decode()
    assert re.search(r'<form class="station-filters" method="get"', content)
    for field in ("street", "service", "kind"):
        assert f'<label for="id_{field}">' in content


def test_no_station_matches_says_so(client, directory):
    create_demo_workstations()
    response = client.get(directory.url, {"street": "huajing", "service": "legal-aid"})
    assert response.context["stations"] == []
    assert _("No station matches these filters.") in response.content.decode()


def test_the_plain_map_has_one_numbered_marker_per_station_linking_to_the_list(client, directory):
    create_demo_workstations()
    content = client.get(directory.url).content.decode()
    svg = content[
        content.index('<svg class="station-map__plain"') : content.index("</svg>", content.index("station-map__plain"))
    ]
    assert svg.count("<circle") == 18
    for station in client.get(directory.url).context["stations"]:
        assert f'href="#{station.anchor}"' in svg
        assert f'id="{station.anchor}"' in content


def test_map_tiles_are_off_by_default(client, directory):
    create_demo_workstations()
    content = client.get(directory.url).content.decode()
    config = json.loads(re.search(r'id="station-map-config"[^>]*>(.*?)</script>', content).group(1))
    assert config["tileUrl"] == ""
    assert "tile.openstreetmap" not in content


def test_a_tile_url_setting_is_passed_to_the_map(client, directory, settings):
    settings.WORKSTATION_MAP_TILE_URL = "https://tiles.example.invalid/{z}/{x}/{y}.png"
    create_demo_workstations()
    content = client.get(directory.url).content.decode()
    config = json.loads(re.search(r'id="station-map-config"[^>]*>(.*?)</script>', content).group(1))
    assert config["tileUrl"] == "https://tiles.example.invalid/{z}/{x}/{y}.png"


def test_the_map_library_is_served_from_the_project_with_its_licence(client, directory):
    content = client.get(directory.url).content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in content
    assert not re.search(r'<script[^>]+src="https?://', content)
    licence = Path(finders.find("vendor/leaflet/LICENSE")).read_text()
    assert "Volodymyr Agafonkin" in licence
    assert finders.find("vendor/leaflet/leaflet.css") and finders.find("js/workstations.js")


@pytest.mark.parametrize("params", [{}, {"street": "tianpinglu"}, {"service": "family-education"}])
def test_directory_query_count_is_the_same_for_5_and_50_stations(client, directory, make_stations, params):
    make_stations(5)
    client.get(directory.url, params)  # warm the site and settings caches
    with CaptureQueriesContext(connection) as five:
        assert client.get(directory.url, params).status_code == 200
    make_stations(45, start=5)
    client.get(directory.url, params)  # a content change: the site's menu and settings are read again once
    with CaptureQueriesContext(connection) as fifty:
        client.get(directory.url, params)
    assert len(fifty) == len(five)


class TestWorkstationIndexPage(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()

    def test_it_can_be_created_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(WorkstationIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(WorkstationIndexPage, set())
        self.assertCanCreateAt(HomePage, WorkstationIndexPage)
        self.assertCanNotCreateAt(StandardPage, WorkstationIndexPage)

    def test_there_is_only_one_directory(self):
        assert WorkstationIndexPage.max_count == 1

    def test_it_renders(self):
        page = WorkstationIndexPage(title="未保工作站地图", slug="workstations")
        self.home.add_child(instance=page)
        self.assertPageIsRenderable(page)
        self.assertPageIsRenderable(page, query_data={"street": "tianlin"})


def test_the_settings_default_keeps_tiles_off():
    assert settings.WORKSTATION_MAP_TILE_URL == ""


def test_a_workstations_card_names_its_child_director_as_the_contact(client, directory):
    from tests.factories.participation import street_staff

    director = street_staff("xujiahui")
    director.name = "演示儿童主任甲"
    director.save(update_fields=["name"])
    supervisor = street_staff("xujiahui", role=Role.CHILD_SUPERVISOR)
    text = client.get(directory.url).content.decode()
    assert "演示儿童主任甲" in text and supervisor.name not in text
