"""Fixtures for the workstation directory tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories.home import home_page as get_home_page
from workstations.models import StationService, Street, Workstation, WorkstationIndexPage


@pytest.fixture
def home_page(db):
    return get_home_page()


@pytest.fixture
def directory(home_page) -> WorkstationIndexPage:
    page = WorkstationIndexPage(title="未保工作站地图", slug="workstations", intro="示例")
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def make_stations(db):
    def make(count: int, start: int = 0) -> list[Workstation]:
        services = [
            StationService.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in [("family-education", "家庭教育指导"), ("counselling", "心理咨询")]
        ]
        streets = Street.values
        stations = []
        for number in range(start, start + count):
            station = Workstation.objects.create(
                name=f"测试站点{number}（示例）",
                kind=Workstation.Kind.WORKSTATION if number % 3 else Workstation.Kind.GUIDANCE_STATION,
                street=streets[number % len(streets)],
                address=f"徐汇区示例路 {number} 号（示例地址）",
                phone=f"021-0000-{number:04d}",
                opening_hours="周一至周五 9:00–17:00（示例）",
                latitude=Decimal("31.15") + Decimal(number) / 1000,
                longitude=Decimal("121.43") + Decimal(number) / 1000,
            )
            station.services.set(services[: 1 + number % 2])
            stations.append(station)
        return stations

    return make
