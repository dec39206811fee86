"""我的工作台 (the workbench): each signed-in person's home, one section per role they hold.

What each role finds, and the rules behind it:

* **Parent**: the courses to continue (next lesson or quiz), the courses assigned to them with
  their deadlines (overdue first) and their certificates. Read through
  ``courses.page_context.my_courses_overview``, the same read as 「我的课程」.
* **Teacher**: the courses they own or teach with their review status (published, draft,
  in review: the course or any of its lessons and quizzes waiting in a workflow), active
  enrolments, the assignments to their courses (overdue counted), links to results.
* **School officer**: their school's cases counted by state, the cases waiting on a deadline
  (earliest first), their school's drafts, and the invitations still open for their school.
* **District staff**: the queue of new (submitted) and overdue cases, links to the dashboards
  and the case list, officer invitations still open, and pages waiting for their review.
* **Editor**: the pages waiting for their review and their own pages in review.
* **Guidance worker** (station staff): their station's day of appointments and publishing
  slots; district staff also get each station's appointment counts.

Case data is minors' data: the case sections are filled only when this session passed its
second factor (``accounts.middleware.session_passed_second_factor``), the same door the case
area keeps; otherwise the section says how to open it. Every read of a case section is written
to the audit log like the dashboard's. Every read here takes a fixed number of queries however
many courses, cases or pages there are (``tests/home/test_workbench.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, DateTimeField, Exists, F, IntegerField, OuterRef, Q, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page, TaskState, WorkflowState

from accounts import roles
from accounts.middleware import owns_second_factor, session_passed_second_factor
from core import workdays
from courses import selectors as course_selectors
from courses.models import CourseIndexPage, CoursePage, Enrolment
from schools import selectors as case_selectors
from schools.models import AuditLog, BullyingReport, OfficerInvitation, State

# How many rows a list on the workbench shows before "see all".
LIST_LIMIT = 8


@dataclass
class CourseStatus:
    course: CoursePage
    in_review: bool
    active_enrolments: int

    @property
    def status(self) -> str:
        if self.in_review:
            return "in_review"
        if not self.course.live:
            return "draft"
        if self.course.has_unpublished_changes:
            return "changed"
        return "live"


@dataclass
class CaseSection:
    """What an officer or district staff member sees of cases (empty when the door is shut)."""

    unlocked: bool
    owns_second_factor: bool = False
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (state, label, count)
    waiting: Sequence[BullyingReport] = field(default_factory=list)
    overdue_count: int = 0
    new_count: int = 0
    drafts: list[BullyingReport] = field(default_factory=list)


def parent_section(user) -> dict[str, Any]:
    from courses.page_context import my_courses_overview

    catalogue = CourseIndexPage.objects.live().first()
    overview = my_courses_overview(user, catalogue)
    assigned = [item for item in overview["in_progress"] if item.assignment is not None]
    continuing = [item for item in overview["in_progress"] if item.assignment is None]
    certificates = [item for item in overview["finished"] if item.certificate is not None]
    my_courses_url = catalogue.url + catalogue.reverse_subpage("my_courses") if catalogue else None
    return {
        "assigned": assigned,
        "continuing": continuing,
        "certificates": certificates,
        "waitlisted": overview["waitlisted"],
        "catalogue": catalogue,
        "my_courses_url": my_courses_url,
    }


def _pages_in_review(page_ids: list[int]) -> set[int]:
    """Of ``page_ids``, the pages with a workflow in progress (one query)."""
    if not page_ids:
        return set()
    page_type = ContentType.objects.get_for_model(Page)  # cached by Django after the first read
    object_ids = WorkflowState.objects.active().filter(
        base_content_type=page_type, object_id__in=[str(pk) for pk in page_ids]
    )
    return {int(object_id) for object_id in object_ids.values_list("object_id", flat=True)}


def teacher_section(user) -> dict[str, Any]:
    courses = list(
        CoursePage.objects.filter(Q(owner=user) | Q(teacher=user))
        .annotate(
            active_enrolments=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ACTIVE), distinct=True)
        )
        .order_by("-latest_revision_created_at", "title")
    )
    # A course is in review when it or any page below it (lessons, quizzes) waits in a workflow.
    below = Q()
    for course in courses:
        below |= Q(path__startswith=course.path)
    tree = list(Page.objects.filter(below).values_list("pk", "path")) if courses else []
    reviewing = _pages_in_review([pk for pk, _path in tree])
    paths_in_review = [path for pk, path in tree if pk in reviewing]
    statuses = [
        CourseStatus(
            course=course,
            in_review=any(path.startswith(course.path) for path in paths_in_review),
            active_enrolments=course.active_enrolments,
        )
        for course in courses
    ]
    assignments = course_selectors.visible_assignments(user)
    today = timezone.localdate()
    assignment_counts = assignments.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=today) & (Q(enrolment=None) | Q(enrolment__completed_at=None))),
    )
    return {"courses": statuses, "assignments": assignment_counts}


def _unlocked(request) -> bool:
    return session_passed_second_factor(request)


def case_section(request) -> CaseSection:
    user = request.user
    if not _unlocked(request):
        return CaseSection(unlocked=False, owns_second_factor=owns_second_factor(user))
    cases = case_selectors.cases_visible_to(user)
    now = timezone.now()
    submitted = cases.exclude(state=State.DRAFT)
    by_state = dict(submitted.order_by().values_list("state").annotate(count=Count("pk")))
    overdue = Q(state=State.SUBMITTED, acknowledge_due_at__lt=now) | Q(
        state=State.INVESTIGATING, determination_due_at__lt=now
    )
    waiting_step = Q(state=State.SUBMITTED) | Q(state=State.INVESTIGATING, determination_due_at__isnull=False)
    waiting = list(submitted.filter(waiting_step).annotate(due=_due_at_expression()).order_by("due", "pk")[:LIST_LIMIT])
    section = CaseSection(
        unlocked=True,
        counts=[(value, str(label), by_state.get(value, 0)) for value, label in State.choices if value != State.DRAFT],
        waiting=waiting,
        overdue_count=submitted.filter(overdue).count(),
        new_count=by_state.get(State.SUBMITTED, 0),
    )
    if case_selectors.can_file_reports(user):
        section.drafts = list(cases.filter(state=State.DRAFT).order_by("-updated_at")[:LIST_LIMIT])
    from schools import audit

    audit.record(user, AuditLog.Action.VIEW_DASHBOARD, cases=sum(by_state.values()), view="workbench")
    return section


def _due_at_expression() -> Case:
    """The deadline of the step a case waits for, in SQL (``BullyingReport.current_due_at``)."""
    return Case(
        When(state=State.SUBMITTED, then=F("acknowledge_due_at")),
        When(state=State.INVESTIGATING, then=F("determination_due_at")),
        output_field=DateTimeField(),
    )


def open_invitations(user) -> list[OfficerInvitation]:
    """Invitations not yet accepted: every school's for district staff, their own school's for officers."""
    invitations = OfficerInvitation.objects.select_related("school").filter(
        accepted_at=None, closed_at=None, expires_at__gt=timezone.now()
    )
    if not case_selectors.is_district(user):
        invitations = invitations.filter(school_id__in=case_selectors.school_ids_of(user))
    return list(invitations.order_by("expires_at")[:LIST_LIMIT])


@dataclass
class Review:
    title: str
    page_id: int
    workflow: str
    task: str
    requested_by: str
    started_at: Any


def reviews_awaiting(user) -> list[Review]:
    """Pages whose current workflow task this user may approve (Wagtail's own rule), newest first."""
    states = (
        TaskState.objects.reviewable_by(user)
        .select_related("workflow_state__workflow", "workflow_state__requested_by", "task", "revision")
        .order_by("-started_at")[: LIST_LIMIT * 4]
    )
    states = [state for state in states if state.workflow_state.base_content_type_id == _page_type_id()]
    titles = dict(
        Page.objects.filter(pk__in=[int(state.workflow_state.object_id) for state in states]).values_list("pk", "title")
    )
    reviews = []
    for state in states:
        page_id = int(state.workflow_state.object_id)
        if page_id not in titles:
            continue
        requester = state.workflow_state.requested_by
        reviews.append(
            Review(
                # the title being reviewed (the submitted revision's), not the live one
                title=state.revision.object_str if state.revision else titles[page_id],
                page_id=page_id,
                workflow=state.workflow_state.workflow.name,
                task=state.task.name,
                requested_by=(requester.get_full_name() or requester.get_username()) if requester else "",
                started_at=state.started_at,
            )
        )
    return reviews[:LIST_LIMIT]


def my_pages_in_review(user) -> list[Page]:
    """Pages the user submitted or owns that wait in a workflow (Wagtail's dashboard rule)."""
    owned = Q(base_content_type_id=_page_type_id()) & Exists(
        Page.objects.filter(owner=user, id=Cast(OuterRef("object_id"), output_field=IntegerField()))
    )
    ids = WorkflowState.objects.active().filter(owned | Q(requested_by=user)).values_list("object_id", flat=True)
    page_ids = [int(pk) for pk in ids[: LIST_LIMIT * 4]]
    return list(Page.objects.filter(pk__in=page_ids).only("pk", "title").order_by("title")[:LIST_LIMIT])


def _page_type_id() -> int:
    return ContentType.objects.get_for_model(Page).pk


def missing_calendar_notice() -> str | None:
    """What district staff are told while the official holiday calendar they need is missing."""
    year = workdays.missing_calendar_year(timezone.localdate())
    if year is None:
        return None
    return _(
        "The official holiday calendar of %(year)s is not installed yet: case deadlines in %(year)s count "
        "Monday to Friday and ignore public holidays and make-up working days. Ask the system administrator "
        "to update the chinesecalendar package."
    ) % {"year": year}


def build(request) -> dict[str, Any]:
    """The workbench's context: a section per role the user holds."""
    user = request.user
    held = roles.roles_of(user)
    is_district = user.is_superuser or roles.Role.DISTRICT_STAFF in held
    is_officer = roles.Role.SCHOOL_OFFICER in held
    context: dict[str, Any] = {
        "is_parent": roles.Role.PARENT in held or not held,
        "is_teacher": roles.Role.TEACHER in held,
        "is_officer": is_officer,
        "is_district": is_district,
        "is_editor": roles.Role.EDITOR in held,
        "is_lead": case_selectors.can_read_audit_log(user),
        "can_access_admin": roles.can_access_admin(user),
        "today": date.today(),
        # Parent schools (participation): who may open the class pages and whose scope has figures.
        "sees_classes": is_district or is_officer or roles.is_head_teacher(user),
    }
    context["runs_street_events"] = roles.is_street_staff(user)
    context["sees_participation"] = context["sees_classes"] or context["runs_street_events"]
    # Guidance-station staff: their station's appointments (workstations.appointments).
    context["runs_station"] = roles.is_station_staff(user)
    # Guidance plans (issue 14): the overview for district staff, guidance workers and court liaisons.
    context["follows_guidance"] = is_district or context["runs_station"] or roles.is_court_liaison(user)
    if context["is_parent"]:
        context["parent"] = parent_section(user)
    if context["is_teacher"]:
        context["teacher"] = teacher_section(user)
    if is_district:
        # Staff who run the case clocks are told when the official holiday calendar needs an update.
        context["calendar_notice"] = missing_calendar_notice()
    if is_officer or is_district:
        cases = case_section(request)
        context["cases"] = cases
        if cases.unlocked:
            context["invitations"] = open_invitations(user)
    if is_district or context["is_editor"] or context["is_teacher"]:
        context["my_pages_in_review"] = my_pages_in_review(user)
    if is_district or context["is_editor"]:
        context["reviews"] = reviews_awaiting(user)
    return context
