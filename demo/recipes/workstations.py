"""Demo data for the workstation directory (``data/workstations.json``): the district centre,
the 13 street/town workstations and a few guidance stations.

Street names are public administrative facts; every address, phone number and opening time
is made up and says so (示例 addresses, 021-0000-xxxx numbers). Idempotent: stations are
looked up by name, and the directory page by its slug under the home page.
"""

from __future__ import annotations

from decimal import Decimal

from ..builder import ensure_page, load
from ..sources import StationService, Workstation, WorkstationIndexPage

WORKSTATIONS = load("workstations.json")


def demo_stations() -> list[dict]:
    return [
        {**station, "latitude": Decimal(station["latitude"]), "longitude": Decimal(station["longitude"])}
        for station in WORKSTATIONS["stations"]
    ]


def create_demo_workstations(home=None) -> list[Workstation]:
    """Create the demo services, stations and (under ``home``) the directory page; idempotent."""
    services = {}
    for order, spec in enumerate(WORKSTATIONS["services"]):
        services[spec["slug"]], _created = StationService.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "sort_order": order}
        )
    stations = []
    for data in demo_stations():
        service_slugs = data.pop("services")
        station, created = Workstation.objects.get_or_create(name=data.pop("name"), defaults=data)
        if created:
            station.services.set([services[slug] for slug in service_slugs])
        stations.append(station)
    if home is not None and not WorkstationIndexPage.objects.exists():
        spec = WORKSTATIONS["index"]
        ensure_page(
            home, WorkstationIndexPage, spec["slug"], title=spec["title"], intro=spec["intro"], show_in_menus=True
        )
    return stations
