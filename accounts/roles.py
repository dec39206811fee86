"""Roles: the one module that answers "what is this person allowed to be?".

A role is a Django group, created by a data migration (``accounts/migrations``). Views,
templates, middleware and Wagtail hooks ask this module; none of them test group names
themselves, so a role's meaning can change in one place.

Two-step verification (enforced by ``accounts.middleware.MFARequiredMiddleware``):

- School officers, district staff and superusers (``requires_mfa``) see minors' case data;
  guidance workers (station staff) are held to the same rule for their station's bookings and
  session records.
  Every request they make to a ``sensitive_area`` view or to the Wagtail admin must come from
  a session whose allauth authentication records include a passed second factor (method
  "mfa"). Owning an authenticator is not enough: a session made any other way is sent to
  re-enter the code.
- Teachers and editors work in the Wagtail admin but never see case data (reports are
  ``sensitive_area`` views they are refused, and admin listings are scoped by role). Two-step
  verification is offered to them, not required: requiring it would add a phone app to the
  job of every teacher who edits a lesson, for data that is public once published. But if a
  teacher or editor has switched it on, their admin sessions must have passed it too, so the
  protection they chose cannot be skipped by a session that did not ask for it.
- Parents never reach those areas; their sign-in is left as allauth makes it.

Everyone who works in the admin or sees case data (``has_staff_session``) also has a
session that ends after an idle period and after a maximum age
(``STAFF_SESSION_IDLE_SECONDS``, ``STAFF_SESSION_MAX_AGE_SECONDS``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser, Group
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User

# Whoever a request or a caller names: a signed-in user, the anonymous visitor, or nobody.
SomeUser: TypeAlias = "User | AnonymousUser | None"


class Role(StrEnum):
    PARENT = "parent"
    TEACHER = "teacher"
    SCHOOL_OFFICER = "school_officer"
    DISTRICT_STAFF = "district_staff"
    EDITOR = "editor"
    DISTRICT_LEAD = "district_lead"
    HEAD_TEACHER = "head_teacher"
    CHILD_DIRECTOR = "child_director"
    CHILD_SUPERVISOR = "child_supervisor"
    GUIDANCE_WORKER = "guidance_worker"
    COURT_LIAISON = "court_liaison"

    @property
    def group_name(self) -> str:
        return GROUP_NAMES[self]

    @property
    def label(self) -> str:
        return str(LABELS[self])


# Group names are stable identifiers stored in the database. "Editors" is the group
# Wagtail itself creates, so editors keep Wagtail's default page permissions.
GROUP_NAMES: dict[Role, str] = {
    Role.PARENT: "Parents",
    Role.TEACHER: "Teachers",
    Role.SCHOOL_OFFICER: "School officers",
    Role.DISTRICT_STAFF: "District staff",
    Role.EDITOR: "Editors",
    Role.DISTRICT_LEAD: "District leads",
    Role.HEAD_TEACHER: "Head teachers",
    Role.CHILD_DIRECTOR: "Child directors",
    Role.CHILD_SUPERVISOR: "Child supervisors",
    Role.GUIDANCE_WORKER: "Guidance workers",
    Role.COURT_LIAISON: "Court liaisons",
}
LABELS = {
    Role.PARENT: _("Parent"),
    Role.TEACHER: _("Teacher"),
    Role.SCHOOL_OFFICER: _("School officer"),
    Role.DISTRICT_STAFF: _("District staff"),
    Role.EDITOR: _("Editor"),
    Role.DISTRICT_LEAD: _("District lead"),
    Role.HEAD_TEACHER: _("Head teacher"),
    Role.CHILD_DIRECTOR: _("Child director"),
    Role.CHILD_SUPERVISOR: _("Child supervisor"),
    Role.GUIDANCE_WORKER: _("Guidance worker"),
    Role.COURT_LIAISON: _("Court liaison"),
}
ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}

# Roles that work in the Wagtail admin (the data migration grants them access_admin).
ADMIN_ROLES = frozenset({Role.TEACHER, Role.DISTRICT_STAFF, Role.EDITOR})
# Roles that see minors' data in bullying reports: they must use multi-factor authentication.
SENSITIVE_DATA_ROLES = frozenset({Role.SCHOOL_OFFICER, Role.DISTRICT_STAFF, Role.DISTRICT_LEAD})
# Street workstation staff (儿童主任 / 儿童督导员), scoped to their workstation's street.
STREET_STAFF_ROLES = frozenset({Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})
# Guidance-station staff (指导站工作人员), scoped to their station's slots and bookings. They see
# parents' names and phones and write session records that may concern a case family, so they
# must use a second factor like those who see case data (but they see no case).
STATION_STAFF_ROLES = frozenset({Role.GUIDANCE_WORKER})
# A court's liaison (法院联络员) reads their court's orders' plans and completion reports, read-only,
# behind a second factor; never a case (``sensitive_area`` refuses them).
COURT_ROLES = frozenset({Role.COURT_LIAISON})
# Everyone who must pass a second factor in every session that reaches a staff or sensitive area.
MFA_ROLES = SENSITIVE_DATA_ROLES | STATION_STAFF_ROLES | COURT_ROLES


def roles_of(user: SomeUser) -> frozenset[Role]:
    """The roles of a user, read once per request object and cached on it."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = user.__dict__.get("_huiai_roles")
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(ROLE_BY_GROUP[name] for name in names if name in ROLE_BY_GROUP)
        user.__dict__["_huiai_roles"] = cached
    return cached


def has_role(user: SomeUser, *roles: Role) -> bool:
    """True when the user holds any of ``roles``."""
    return bool(roles_of(user) & set(roles))


def can_access_admin(user: SomeUser) -> bool:
    """Teachers, district staff and editors work in the Wagtail admin; parents never do."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or has_role(user, *ADMIN_ROLES)


def requires_mfa(user: SomeUser) -> bool:
    """Whether the user must have multi-factor authentication to see bullying reports."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, *MFA_ROLES)


def sees_case_data(user: SomeUser) -> bool:
    """Who may enter the case area (``sensitive_area`` views) at all: not station staff nor court
    liaisons, who pass a second factor too but see no case."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, *SENSITIVE_DATA_ROLES)


def has_staff_session(user: SomeUser) -> bool:
    """Whether the user's sessions expire early: everyone who works in the admin or sees case data."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, *ADMIN_ROLES, *MFA_ROLES)


def is_district(user: SomeUser) -> bool:
    """District staff (and superusers) see the participation of every school and street."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or has_role(user, Role.DISTRICT_STAFF)


def is_head_teacher(user: SomeUser) -> bool:
    """A head teacher (班主任) runs classes of a parent school; which ones is the class's record."""
    return has_role(user, Role.HEAD_TEACHER)


def is_street_staff(user: SomeUser) -> bool:
    """A child director or child supervisor; which street is their workstation membership."""
    return has_role(user, *STREET_STAFF_ROLES)


def is_station_staff(user: SomeUser) -> bool:
    """A guidance worker (指导站工作人员); which station is their workstation membership."""
    return has_role(user, *STATION_STAFF_ROLES)


def is_court_liaison(user: SomeUser) -> bool:
    """A court liaison; which court is their ``guidance.CourtLiaison`` record."""
    return has_role(user, *COURT_ROLES)


def add_role(user: User, role: Role) -> None:
    group, _created = Group.objects.get_or_create(name=role.group_name)
    user.groups.add(group)
    user.__dict__.pop("_huiai_roles", None)


def remove_role(user: User, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role.group_name))
    user.__dict__.pop("_huiai_roles", None)
