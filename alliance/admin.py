"""Admin for the alliance: member bodies as snippets, registrations as records, and exports.

Who may do what is a Django permission, granted to district staff and editors by a data
migration: ``alliance.*_alliancemember`` to edit members, ``alliance.view_eventregistration`` to
see and export registrations, ``alliance.change_eventregistration`` to cancel one. Nobody adds
registrations in the admin: they come only through the event page (and its seat rules).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from alliance.models import AllianceEventPage, AllianceMember, EventRegistration
from core.admin import NoAddPermissionPolicy

from . import exports

VIEW_REGISTRATIONS = "alliance.view_eventregistration"
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_see_registrations(user) -> bool:
    return user.is_active and user.has_perm(VIEW_REGISTRATIONS)


class AllianceMemberViewSet(SnippetViewSet):
    model = AllianceMember
    icon = "group"
    menu_label = _("Alliance members")
    menu_name = "alliance-members"
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["name", "category", "sort_order"]
    list_filter = ["category"]
    search_fields = ["name", "description"]
    ordering = ["category", "sort_order", "name"]


# Registrations are made on the event page only, where the seat rules run.
register_permission_policy(EventRegistration, NoAddPermissionPolicy(EventRegistration), exact_class=True)


class RegistrationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        event_id = self.request.GET.get("event")
        if event_id and event_id.isdigit():
            for file_format in EXPORT_FORMATS:
                buttons.append(
                    HeaderButton(
                        _("Download %(format)s") % {"format": file_format.upper()},
                        url=reverse("alliance_registrations_export", args=[int(event_id), file_format]),
                        icon_name="download",
                    )
                )
        return buttons


class EventRegistrationViewSet(ModelViewSet):
    """Who registered for which event; district staff and editors cancel a seat here."""

    model = EventRegistration
    index_view_class = RegistrationIndexView
    icon = "form"
    menu_label = _("Event registrations")
    add_to_admin_menu = True
    menu_order = 321
    list_display = [
        "name",
        "event",
        Column("masked_phone", label=_("Mobile phone")),
        "organisation",
        "created_at",
        "cancelled",
    ]
    list_filter = ["event", "cancelled"]
    search_fields = ["name", "phone", "organisation"]
    form_fields = ["cancelled"]
    inspect_view_enabled = True


def export_registrations(request, event_id: int, file_format: str):
    """An event's registrations as CSV or XLSX; only for people who may see registrations."""
    if not may_see_registrations(request.user):
        raise PermissionDenied
    if file_format not in EXPORT_FORMATS:
        raise Http404
    event = get_object_or_404(AllianceEventPage, pk=event_id)
    registrations = exports.registrations_for(event)
    content = exports.to_csv(registrations) if file_format == "csv" else exports.to_xlsx(registrations, event.title)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(event, file_format)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def admin_urls():
    return [
        path(
            "alliance/events/<int:event_id>/registrations.<slug:file_format>",
            export_registrations,
            name="alliance_registrations_export",
        )
    ]


def registration_buttons(page, user):
    """ "Registrations" and the two downloads, on an event's row and header in the page explorer."""
    page_class = page.specific_class or type(page)
    if not issubclass(page_class, AllianceEventPage) or not may_see_registrations(user):
        return
    yield Button(
        _("Registrations"),
        url=reverse("alliance_registrations:index") + f"?event={page.pk}",
        icon_name="form",
        priority=90,
    )
    for number, file_format in enumerate(EXPORT_FORMATS):
        yield Button(
            _("Download registrations (%(format)s)") % {"format": file_format.upper()},
            url=reverse("alliance_registrations_export", args=[page.pk, file_format]),
            icon_name="download",
            priority=91 + number,
        )
