"""The demo stations: all 14 centres/workstations, guidance stations, visibly made-up contacts."""

from __future__ import annotations

import re

import pytest

from demo.recipes.workstations import create_demo_workstations
from tests.factories.demo import load_demo
from workstations.models import Street, Workstation, WorkstationIndexPage

pytestmark = pytest.mark.django_db


def test_the_district_centre_and_one_workstation_per_street_or_town_exist():
    create_demo_workstations()
    assert Workstation.objects.filter(kind=Workstation.Kind.DISTRICT_CENTRE).count() == 1
    workstations = Workstation.objects.filter(kind=Workstation.Kind.WORKSTATION)
    assert sorted(workstations.values_list("street", flat=True)) == sorted(Street.values)
    assert Workstation.objects.filter(kind=Workstation.Kind.GUIDANCE_STATION).count() >= 3


def test_demo_contact_details_look_like_demo_data():
    for station in create_demo_workstations():
        assert re.fullmatch(r"021-0000-\d{4}", station.phone), station.phone
        assert "示例" in station.address
        assert "示例" in station.name
        assert station.services.exists()


def test_creating_the_demo_stations_twice_changes_nothing(home_page):
    create_demo_workstations(home_page)
    before = list(Workstation.objects.order_by("pk").values())
    create_demo_workstations(home_page)
    assert list(Workstation.objects.order_by("pk").values()) == before
    assert WorkstationIndexPage.objects.count() == 1


def test_load_demo_content_creates_the_directory_page_and_stations(home_page):
    load_demo("--skip-index")  # the loader once per process, then its snapshot (tests/factories/demo.py)
    page = WorkstationIndexPage.objects.get()
    assert page.live and page.get_parent().specific == home_page
    assert Workstation.objects.count() >= 14
