"""Admin for the workstation directory: the stations and their services, in one menu group."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import StationService, Workstation


class WorkstationViewSet(SnippetViewSet):
    model = Workstation
    icon = "site"
    menu_label = _("Stations")
    list_display = ["name", "kind", "street", "phone"]
    list_filter = ["kind", "street", "services"]
    search_fields = ["name", "address"]


class StationServiceViewSet(SnippetViewSet):
    model = StationService
    icon = "tag"
    menu_label = _("Station services")
    list_display = ["name", "slug", "sort_order"]


class WorkstationViewSetGroup(SnippetViewSetGroup):
    items = (WorkstationViewSet, StationServiceViewSet)
    menu_icon = "site"
    menu_label = _("Workstations")
    menu_name = "workstations"
    menu_order = 300


register_snippet(WorkstationViewSetGroup)
