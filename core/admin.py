"""Admin building blocks shared by every app: one limited permission policy.

- ``ReadOnlyPermissionPolicy`` / ``NoAddPermissionPolicy``: records that change only through
  their services are viewed (or changed but never added) in the admin.

The role-based pieces (``is_superuser_or``, ``RoleMenuItem``, ``RoleReportView``) are in
``accounts.admin``: ``core`` imports no app of the project.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from wagtail.permission_policies import ModelPermissionPolicy


class LimitedPermissionPolicy(ModelPermissionPolicy):  # type: ignore[misc]  # Wagtail ships no types
    """A model permission policy that never grants the actions ``permits`` refuses."""

    def permits(self, action: str) -> bool:
        raise NotImplementedError

    def user_has_permission(self, user: AbstractBaseUser | AnonymousUser, action: str) -> bool:
        return self.permits(action) and bool(super().user_has_permission(user, action))

    def user_has_any_permission(self, user: AbstractBaseUser | AnonymousUser, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


class ReadOnlyPermissionPolicy(LimitedPermissionPolicy):
    """Records that change only through their services: the admin may only view them."""

    def permits(self, action: str) -> bool:
        return action == "view"


class NoAddPermissionPolicy(LimitedPermissionPolicy):
    """Records that are created only elsewhere (e.g. event registrations, on the event page)."""

    def permits(self, action: str) -> bool:
        return action != "add"
