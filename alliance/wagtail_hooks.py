"""Admin of the legal-education alliance: member snippets, registrations, their exports and buttons."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import admin as alliance_admin

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
