"""Read-only questions about cases: who may see and act on which case."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypeGuard

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.roles import Role, has_role

from .models import (
    BullyingReport,
    CaseEvent,
    SchoolMembership,
    SharedPart,
    State,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    # Whoever acts on or asks about a case: a signed-in user or a visitor who is not signed in.
    Actor: TypeAlias = User | AnonymousUser

# --- Who may see and act on which case -----------------------------------------------------


def is_signed_in(user: Actor | None) -> TypeGuard[User]:
    """A signed-in user, not a visitor, the anonymous reporter or the system (None)."""
    return bool(getattr(user, "is_authenticated", False))


def is_district(user: Actor) -> bool:
    return is_signed_in(user) and (user.is_superuser or has_role(user, Role.DISTRICT_STAFF))


def school_ids_of(user: Actor) -> list[int]:
    if not is_signed_in(user) or not has_role(user, Role.SCHOOL_OFFICER):
        return []
    return list(SchoolMembership.objects.filter(user=user).values_list("school_id", flat=True))


def school_officers(school_id: int) -> QuerySet[User]:
    """Active officers (and principals) of a school who hold the school officer role."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            school_memberships__school=school_id,
            groups__name=Role.SCHOOL_OFFICER.group_name,
        )
        .distinct()
    )


def is_school_actor(user: Actor, report: BullyingReport) -> bool:
    return report.school_id in school_ids_of(user)


def cases_visible_to(user: Actor) -> QuerySet[BullyingReport]:
    """District staff see every submitted case; officers their own schools' cases and drafts."""
    cases = BullyingReport.objects.select_related("school", "school__street_town", "handler")
    if is_district(user):
        return cases.exclude(state=State.DRAFT)
    school_ids = school_ids_of(user)
    if school_ids:
        # The district triages anonymous reports first: a reporter may fear their own school.
        unacknowledged_anonymous = Q(source=BullyingReport.Source.ANONYMOUS, state=State.SUBMITTED)
        return cases.filter(school_id__in=school_ids).exclude(unacknowledged_anonymous)
    return cases.none()


# --- What a viewer sees of a case --------------------------------------------------------------

ALL_PARTS: frozenset[str] = frozenset(SharedPart.values)


def sees_whole_report(user: Actor, report: BullyingReport) -> bool:
    """Whether ``user`` reads the report itself: always for the school's own reports; for an
    anonymous report, only district staff (the reporter's words, who they are, their contact
    and the thread with them never leave the district)."""
    return report.source != BullyingReport.Source.ANONYMOUS or is_district(user)


def parts_shown(user: Actor, report: BullyingReport) -> frozenset[str]:
    """The ``SharedPart`` facts ``user`` sees on the case page and in exports: all of them, or for
    a school reading an anonymous report only those the district chose to share."""
    return parts_shown_to(report, district=is_district(user))


def parts_shown_to(report: BullyingReport, *, district: bool) -> frozenset[str]:
    """``parts_shown`` when the caller already knows whether the viewer is district staff."""
    if district or report.source != BullyingReport.Source.ANONYMOUS:
        return ALL_PARTS
    return frozenset(report.shared_with_school) & ALL_PARTS


# Timeline entries of an anonymous case a school sees whoever wrote them: the steps themselves
# (without the district's reasons), who handles the case, and the escalation of an overdue step.
SCHOOL_SEES_OF_THE_DISTRICT = (CaseEvent.Kind.TRANSITION, CaseEvent.Kind.ASSIGNMENT, CaseEvent.Kind.ESCALATION)


def timeline(user: Actor, report: BullyingReport) -> list[CaseEvent]:
    """The case's timeline as ``user`` may read it.

    Whoever reads the whole report reads the whole timeline. A school reading an anonymous report
    reads its own officers' entries in full; of everything else (district staff, the reporter,
    the system) only the steps taken, without their reasons, the assignment of a handler and
    escalations: the district's notes, consultations and reasons stay with the district, which
    tells the school what it needs in its summary (``BullyingReport.school_summary``).
    """
    events = report.events.select_related("actor", "consultation")
    if sees_whole_report(user, report):
        return list(events)
    school = Role.SCHOOL_OFFICER.value
    shown = list(events.filter(Q(actor_role=school) | Q(kind__in=SCHOOL_SEES_OF_THE_DISTRICT)))
    for event in shown:
        if event.actor_role != school and event.kind == CaseEvent.Kind.TRANSITION:
            event.reason = ""  # a copy for the page only: the row keeps it
    return shown


def can_file_reports(user: Actor) -> bool:
    return bool(school_ids_of(user))


def can_view(user: Actor, report: BullyingReport) -> bool:
    return cases_visible_to(user).filter(pk=report.pk).exists()


def can_read_audit_log(user: Actor) -> bool:
    """Superusers and district leads (the "District leads" group holds ``schools.view_auditlog``)."""
    if not is_signed_in(user) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("schools.view_auditlog")
