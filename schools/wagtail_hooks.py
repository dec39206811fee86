"""Admin: district staff manage streets/towns, schools and school staff memberships.

Cases, the audit log and the outbox have no admin views on purpose: cases change only
through ``schools.services`` (the case pages), and the audit log is append-only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.views import generic
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


class MembershipCreateView(generic.CreateView):
    """No membership is made by hand: "Add" opens the invitation page (``schools.invitations``).

    A membership made here would hand a school's cases to an account whose address nobody
    checked; the invitation proves the address and writes the audit log.
    """

    def get(self, request, *args, **kwargs):  # after the viewset's permission check
        return redirect("schools:invite_officer")

    post = get


class MembershipEditView(generic.EditView):
    """Only the role at the school changes here (officer ↔ principal), through the service."""

    def save_instance(self):
        from . import invitations

        return invitations.change_membership_role(
            self.object, by=self.request.user, role=self.form.cleaned_data["role"]
        )


class MembershipDeleteView(generic.DeleteView):
    def delete_action(self):
        from . import invitations

        invitations.remove_membership(self.object, by=self.request.user)


class SchoolMembershipViewSet(ModelViewSet):
    """School staff: listed here, changed or ended through ``schools.invitations`` (audited)."""

    model = SchoolMembership
    url_prefix = "schools/staff"
    url_namespace = "schools_staff"
    icon = "group"
    menu_label = _("School staff")
    list_display = ["user", "school", "role"]
    list_filter = ["school", "role"]
    form_fields = ["role"]
    copy_view_enabled = False
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView


class SchoolsViewSetGroup(ViewSetGroup):
    items = (SchoolViewSet, SchoolMembershipViewSet, StreetTownViewSet)
    menu_icon = "home"
    menu_label = _("Schools")
    menu_name = "schools"


@hooks.register("register_admin_viewset")
def register_schools_viewsets():
    return SchoolsViewSetGroup()


# --- Who may grant staff roles in the Wagtail admin ----------------------------------------------
# Roles are groups; the user create/edit forms and the "assign role" bulk action change them.
# Only superusers may grant or take away a staff role (whoever else is ever given the
# change-user permission can still edit names and addresses). Every change is written to the
# audit log by ``schools.role_audit``, whichever path made it.


def _staff_group_ids() -> set[int]:
    from django.contrib.auth.models import Group

    from .role_audit import UNAUDITED_GROUPS

    return set(Group.objects.exclude(name__in=UNAUDITED_GROUPS).values_list("pk", flat=True))


def _posted_ids(values) -> set[int]:
    return {int(value) for value in values if str(value).isdigit()}


def _refuse_staff_role_change(request, user=None):
    if request.method != "POST" or request.user.is_superuser:
        return None
    staff = _staff_group_ids()
    before = set(user.groups.values_list("pk", flat=True)) & staff if user is not None else set()
    after = _posted_ids(request.POST.getlist("groups")) & staff
    if before != after or "is_superuser" in request.POST:
        raise PermissionDenied(_("Only a superuser may grant or take away a staff role."))
    return None


@hooks.register("before_create_user")
def restrict_roles_on_create(request):
    return _refuse_staff_role_change(request)


@hooks.register("before_edit_user")
def restrict_roles_on_edit(request, user):
    return _refuse_staff_role_change(request, user)


@hooks.register("before_bulk_action")
def restrict_bulk_role_assignment(request, action_type, objects, action_class_instance):
    if (
        action_type == "assign_role"
        and request.method == "POST"
        and not request.user.is_superuser
        and _posted_ids([request.POST.get("role", "")]) & _staff_group_ids()
    ):
        raise PermissionDenied(_("Only a superuser may grant or take away a staff role."))
    return None
