"""The workstation directory: filters, the stations to show and their places on a plain map.

A fixed number of queries whatever the number of stations: one for the service choices, one
for the stations, one to prefetch their services and one for their child directors (儿童主任, the
contact a workstation's card names).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import StationService, Street, Workstation, WorkstationMembership

MAP_WIDTH = 600
MAP_HEIGHT = 640
MAP_MARGIN = 40


class DirectoryFilterForm(forms.Form):
    street = forms.ChoiceField(label=_("Street/town"), required=False)
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=StationService.objects.all(), to_field_name="slug", required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("All streets and towns")), *Street.choices]
        self.fields["service"].empty_label = _("All services")
        self.fields["kind"].choices = [("", _("All kinds")), *Workstation.Kind.choices]


@dataclass
class MapPoint:
    station: Workstation
    number: int
    x: float
    y: float


def map_points(stations: list[Workstation]) -> list[MapPoint]:
    """Place stations on the SVG canvas: equirectangular with the longitude scaled by the
    cosine of the latitude, one scale for both axes (so distances look right), centred."""
    if not stations:
        return []
    latitudes = [float(station.latitude) for station in stations]
    longitudes = [float(station.longitude) for station in stations]
    lat_max = max(latitudes)
    lng_min = min(longitudes)
    x_factor = math.cos(math.radians(sum(latitudes) / len(latitudes)))
    width = max((max(longitudes) - lng_min) * x_factor, 0.005)
    height = max(lat_max - min(latitudes), 0.005)
    scale = min((MAP_WIDTH - 2 * MAP_MARGIN) / width, (MAP_HEIGHT - 2 * MAP_MARGIN) / height)
    left = (MAP_WIDTH - width * scale) / 2
    top = (MAP_HEIGHT - height * scale) / 2
    points = []
    for number, station in enumerate(stations, start=1):
        x = left + (float(station.longitude) - lng_min) * x_factor * scale
        y = top + (lat_max - float(station.latitude)) * scale
        points.append(MapPoint(station=station, number=number, x=round(x, 1), y=round(y, 1)))
    return points


def filtered_stations(form: DirectoryFilterForm):
    directors = WorkstationMembership.objects.filter(role=WorkstationMembership.Role.CHILD_DIRECTOR).select_related(
        "user"
    )
    stations = Workstation.objects.prefetch_related(
        "services", Prefetch("memberships", queryset=directors.order_by("pk"), to_attr="child_directors")
    )
    if form.is_valid():
        if form.cleaned_data["street"]:
            stations = stations.filter(street=form.cleaned_data["street"])
        if form.cleaned_data["service"]:
            stations = stations.filter(services=form.cleaned_data["service"])
        if form.cleaned_data["kind"]:
            stations = stations.filter(kind=form.cleaned_data["kind"])
    kind_order = {kind: position for position, kind in enumerate(Workstation.Kind.values)}
    return sorted(stations, key=lambda station: (kind_order[station.kind], station.sort_order, station.name))


def directory_context(params) -> dict:
    form = DirectoryFilterForm(params or None)
    stations = filtered_stations(form)
    points = map_points(stations)
    markers = [
        {
            "id": point.station.anchor,
            "number": point.number,
            "name": point.station.name,
            "kind": point.station.kind,
            "address": point.station.address,
            "phone": point.station.phone,
            "lat": float(point.station.latitude),
            "lng": float(point.station.longitude),
        }
        for point in points
    ]
    return {
        "filter_form": form,
        "is_filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
        "stations": [point.station for point in points],
        "map_points": points,
        "map_markers": markers,
        "map_width": MAP_WIDTH,
        "map_height": MAP_HEIGHT,
        "map_config": {
            "tileUrl": settings.WORKSTATION_MAP_TILE_URL,
            "attribution": settings.WORKSTATION_MAP_TILE_ATTRIBUTION,
        },
    }
