"""The site shell in the Wagtail admin: the way back to each person's workbench (我的工作台)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_menu_item")
def register_workbench_menu_item():
    # First in the menu: teachers, district staff and editors start their day there.
    return MenuItem(_("My workbench"), reverse("workbench"), icon_name="home", order=1)
