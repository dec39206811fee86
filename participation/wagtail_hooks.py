"""Admin: district staff create parent schools and their classes, and name each class's head
teacher. Codes are issued, rotated and printed on the class pages (``participation.staff_views``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ParentSchool, SchoolClass


class ParentSchoolViewSet(ModelViewSet):
    model = ParentSchool
    url_prefix = "participation/parent-schools"
    url_namespace = "participation_parent_schools"
    icon = "home"
    menu_label = _("Parent schools")
    list_display = ["name", "school"]
    form_fields = ["school", "name"]
    search_fields = ["name"]


class SchoolClassViewSet(ModelViewSet):
    model = SchoolClass
    url_prefix = "participation/classes"
    url_namespace = "participation_classes"
    icon = "group"
    menu_label = _("Classes")
    list_display = ["__str__", "head_teacher", "code", "code_expires_at"]
    list_filter = ["parent_school", "grade"]
    form_fields = ["parent_school", "grade", "name", "head_teacher"]
    copy_view_enabled = False


class ParticipationViewSetGroup(ViewSetGroup):
    items = (ParentSchoolViewSet, SchoolClassViewSet)
    menu_icon = "group"
    menu_label = _("Parent schools")
    menu_name = "participation"


@hooks.register("register_admin_viewset")
def register_participation_viewsets():
    return ParticipationViewSetGroup()
