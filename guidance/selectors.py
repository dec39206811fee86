"""Who sees which guidance plan, order and report (read-only questions; rules in ``services``).

- District staff (and superusers) see every plan, order and report, and register orders.
- A guidance worker sees the plans they are named on.
- A court liaison sees the plans of their own court's orders, read-only; never a case's plan.
- A guardian sees only their own plan (``plans_of_guardian``), never the case behind it.
- Whoever may see a case sees its plans' progress on the case page (``schools.selectors``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from accounts.roles import Role, SomeUser, has_role
from accounts.roles import is_district as _is_district
from schools.models import BullyingReport, Measure, State
from schools.selectors import can_view

from .models import CompletionReport, Court, CourtOrder, GuidancePlan, PlanGuardian

if TYPE_CHECKING:
    from accounts.models import User

PLAN_STATES = (State.DETERMINED, State.HANDLING, State.CLOSED)


def _signed_in(user: SomeUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_district(user: SomeUser) -> bool:
    return _signed_in(user) and _is_district(user)


def is_worker(user: SomeUser) -> bool:
    return _signed_in(user) and has_role(user, Role.GUIDANCE_WORKER)


def is_liaison(user: SomeUser) -> bool:
    return _signed_in(user) and has_role(user, Role.COURT_LIAISON)


def follows_plans(user: SomeUser) -> bool:
    """Whether the user has an overview of plans at all (district staff, workers, liaisons)."""
    return is_district(user) or is_worker(user) or is_liaison(user)


def plans_visible_to(user: SomeUser) -> QuerySet[GuidancePlan]:
    plans = GuidancePlan.objects.select_related("order", "order__court", "worker")
    if not _signed_in(user):
        return plans.none()
    if is_district(user):
        return plans.all()
    user_id: int = (user.pk if user is not None else None) or 0
    if is_worker(user):
        return plans.filter(worker_id=user_id)
    if is_liaison(user):
        return plans.filter(order__court__liaisons__user_id=user_id, case__isnull=True)
    return plans.none()


def orders_visible_to(user: SomeUser) -> QuerySet[CourtOrder]:
    return CourtOrder.objects.filter(plan__in=plans_visible_to(user)).select_related("court")


def may_manage(user: SomeUser, plan: GuidancePlan) -> bool:
    """District staff and the plan's worker write the assessment and close the plan."""
    if not _signed_in(user):
        return False
    assert user is not None
    return is_district(user) or (is_worker(user) and plan.worker_id == user.pk)


def may_issue_report(user: SomeUser) -> bool:
    """Reports are signed by the district: only district staff issue or correct them."""
    return is_district(user)


def may_register_orders(user: SomeUser) -> bool:
    return is_district(user)


def may_manage_courts(user: SomeUser) -> bool:
    """District staff list the courts and give or take their liaisons' access."""
    return is_district(user)


def courts_with_liaisons() -> QuerySet[Court]:
    return Court.objects.prefetch_related("liaisons__user").order_by("name")


def may_create_plan(user: SomeUser, report: BullyingReport) -> bool:
    """The case's handler or district staff, once the case decided on family-education guidance."""
    if not _signed_in(user) or Measure.FAMILY_EDUCATION not in (report.measures or []):
        return False
    assert user is not None
    if report.state not in PLAN_STATES or not can_view(user, report):
        return False
    return is_district(user) or report.handler_id == user.pk


def may_download_report(user: SomeUser, report: CompletionReport) -> bool:
    return plans_visible_to(user).filter(pk=report.plan_id).exists()


def plans_of_guardian(user: User) -> QuerySet[GuidancePlan]:
    return GuidancePlan.objects.filter(guardians__user=user).distinct().prefetch_related("courses")


def guardianship(user: User, plan: GuidancePlan) -> PlanGuardian | None:
    return plan.guardians.filter(user=user).first()


def plans_of_case(report: BullyingReport) -> QuerySet[GuidancePlan]:
    return GuidancePlan.objects.filter(case=report).select_related("worker")


def possible_workers() -> QuerySet[User]:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.GUIDANCE_WORKER.group_name)
        .distinct()
        .order_by("name", "pk")
    )


def overview_rows(plans: list[GuidancePlan]) -> list[dict[str, Any]]:
    """Each plan with its counts (courses finished of required, its linked sessions attended),
    in four queries whatever the number of plans."""
    from courses.models import Enrolment
    from workstations.models import Booking

    guardians = list(PlanGuardian.objects.filter(plan__in=plans).values("plan_id", "user_id"))
    through = GuidancePlan.courses.through
    required: dict[int, set[int]] = {}
    for row in through.objects.filter(guidanceplan__in=plans).values("guidanceplan_id", "coursepage_id"):
        required.setdefault(row["guidanceplan_id"], set()).add(row["coursepage_id"])
    users = {row["user_id"] for row in guardians if row["user_id"]}
    finished = set(
        Enrolment.objects.filter(parent_id__in=users, completed_at__isnull=False).values_list("parent_id", "course_id")
    )
    attended: dict[int, int] = {}
    for plan_id in Booking.objects.filter(plan_link__plan__in=plans, status=Booking.Status.ATTENDED).values_list(
        "plan_link__plan_id", flat=True
    ):
        attended[plan_id] = attended.get(plan_id, 0) + 1
    rows = []
    for plan in plans:
        members = [row for row in guardians if row["plan_id"] == plan.pk]
        courses = required.get(plan.pk, set())
        done = sum(1 for row in members for course in courses if (row["user_id"], course) in finished)
        sessions = attended.get(plan.pk, 0)
        rows.append(
            {
                "plan": plan,
                "courses_done": done,
                "courses_required": len(courses) * len(members),
                "sessions": sessions,
                "guardians": len(members),
                "joined": sum(1 for row in members if row["user_id"]),
            }
        )
    return rows
