"""Admin: district staff manage streets/towns, schools and school staff memberships.

Cases, the audit log and the outbox have no admin views on purpose: cases change only
through ``schools.services`` (the case pages), and the audit log is append-only.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import School, SchoolMembership, StreetTown


class StreetTownViewSet(ModelViewSet):
    model = StreetTown
    url_prefix = "schools/street-towns"
    url_namespace = "schools_street_towns"
    icon = "site"
    menu_label = _("Streets/towns")
    list_display = ["name", "code", "sort_order"]
    form_fields = ["name", "code", "sort_order"]
    search_fields = ["name"]


class SchoolViewSet(ModelViewSet):
    model = School
    url_prefix = "schools/schools"
    url_namespace = "schools_schools"
    icon = "home"
    menu_label = _("Schools")
    list_display = ["name", "street_town", "level"]
    list_filter = ["street_town", "level"]
    form_fields = ["name", "street_town", "level", "address"]
    search_fields = ["name", "address"]


class SchoolMembershipViewSet(ModelViewSet):
    model = SchoolMembership
    url_prefix = "schools/staff"
    url_namespace = "schools_staff"
    icon = "group"
    menu_label = _("School staff")
    list_display = ["user", "school", "role"]
    list_filter = ["school", "role"]
    form_fields = ["user", "school", "role"]


class SchoolsViewSetGroup(ViewSetGroup):
    items = (SchoolViewSet, SchoolMembershipViewSet, StreetTownViewSet)
    menu_icon = "home"
    menu_label = _("Schools")
    menu_name = "schools"


@hooks.register("register_admin_viewset")
def register_schools_viewsets():
    return SchoolsViewSetGroup()


# --- The legal-education alliance (schools.alliance.admin) ---------------------------------
from wagtail.snippets.models import register_snippet  # noqa: E402

from .alliance import admin as alliance_admin  # noqa: E402

register_snippet(alliance_admin.AllianceMemberViewSet)


@hooks.register("register_admin_viewset")
def register_alliance_registrations():
    return alliance_admin.EventRegistrationViewSet("alliance_registrations")


@hooks.register("register_admin_urls")
def register_alliance_export_urls():
    return alliance_admin.admin_urls()


@hooks.register("register_page_listing_more_buttons")
def alliance_event_listing_buttons(page, user, next_url=None):
    yield from alliance_admin.registration_buttons(page, user)


@hooks.register("register_page_header_buttons")
def alliance_event_header_buttons(page, user, view_name, next_url=None):
    yield from alliance_admin.registration_buttons(page, user)
