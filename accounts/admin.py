"""Admin building blocks that depend on roles: one role check, one role menu item, one report view.

- ``is_superuser_or(user, *roles)``: the one admin role check (a superuser, or any of ``roles``).
- ``RoleMenuItem``: a menu item shown only to those roles.
- ``RoleReportView``: a read-only admin listing for those roles, its rows scoped to the user by
  ``rows(user)``; no Wagtail permission policy (the role is the permission).

They live beside ``accounts.roles`` rather than in ``core.admin`` so that ``core`` never imports
``accounts`` (dependencies point one way: domain apps → accounts/core). Nothing here is registered
with Django's admin.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic

from accounts.roles import Role, has_role


def is_superuser_or(user, *roles: Role) -> bool:
    """True for a superuser, or a user holding any of ``roles``."""
    return user.is_superuser or has_role(user, *roles)


class RoleMenuItem(MenuItem):
    """A menu item shown to superusers and the holders of ``roles`` only."""

    def __init__(self, *args, roles: tuple[Role, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles

    def is_shown(self, request):
        return is_superuser_or(request.user, *self.roles)


class RoleRequiredMixin:
    """Refuses (403) anyone who is neither a superuser nor holds one of ``required_roles``."""

    required_roles: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not is_superuser_or(request.user, *self.required_roles):
            raise PermissionDenied
        self.load_for_request(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_for_request(self, request, **kwargs) -> None:
        """After the role check, before the view runs: load what the URL names (a 404 comes second)."""


class RoleReportView(RoleRequiredMixin, generic.IndexView):
    """A read-only report for ``required_roles``; rows come from ``rows(user)``, scoped to the user."""

    paginate_by = 50
    is_searchable = False
    permission_policy = None

    def rows(self, user):
        raise NotImplementedError

    def get_base_queryset(self):
        return self.rows(self.request.user)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.page_title}]
