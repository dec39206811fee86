"""The site shell in the Wagtail admin: the way back to each person's workbench (我的工作台), and
the dashboard's notice that the official holiday calendar needs an update."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from accounts import roles
from home.workbench import missing_calendar_notice


@hooks.register("register_admin_menu_item")
def register_workbench_menu_item():
    # First in the menu: teachers, district staff and editors start their day there.
    return MenuItem(_("My workbench"), reverse("workbench"), icon_name="home", order=1)


class MissingCalendarPanel(Component):
    """The admin dashboard's warning to district staff that an official calendar is missing."""

    name = "missing_calendar"
    order = 10  # above Wagtail's own panels

    def __init__(self, notice: str):
        self.notice = notice

    def render_html(self, parent_context=None):
        return format_html('<div class="help-block help-warning" role="status"><p>{}</p></div>', self.notice)


@hooks.register("construct_homepage_panels")
def add_missing_calendar_panel(request, panels):
    user = request.user
    if not (user.is_superuser or roles.Role.DISTRICT_STAFF in roles.roles_of(user)):
        return
    notice = missing_calendar_notice()
    if notice:
        panels.insert(0, MissingCalendarPanel(notice))
