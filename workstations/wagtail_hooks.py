"""Admin for the workstation directory: the stations and their services, in one menu group."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import StationService, Workstation, WorkstationMembership


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


class WorkstationMembershipViewSet(SnippetViewSet):
    """Street workstation staff (儿童主任 / 儿童督导员): who works for which workstation. The
    role itself (the group) is granted by a superuser like every staff role."""

    model = WorkstationMembership
    icon = "group"
    menu_label = _("Workstation staff")
    list_display = ["user", "workstation", "role"]
    list_filter = ["workstation", "role"]


class WorkstationViewSetGroup(SnippetViewSetGroup):
    items = (WorkstationViewSet, StationServiceViewSet, WorkstationMembershipViewSet)
    menu_icon = "site"
    menu_label = _("Workstations")
    menu_name = "workstations"
    menu_order = 300


register_snippet(WorkstationViewSetGroup)
