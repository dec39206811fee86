"""What a plan's guardians have done: courses (finished, overdue, quiz results) and sessions.

``progress_of`` reads (a fixed number of queries whatever the plan's size); ``sync`` records each
new fact once as a plan event, copied to the case timeline. ``sync`` runs when a course completes
or a booking is marked (``guidance.signals``, after the commit) and in the hourly beat task, so a
fact missed by one is recorded by the other, and never twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from courses.models import CoursePage, Enrolment, QuizAttempt
from courses.models.quizzes import QuizPage
from workstations.models import Booking

from ..models import GuidancePlan, PlanEvent, PlanGuardian
from . import events


@dataclass
class QuizResult:
    title: str
    best_percent: int | None
    passed: bool


@dataclass
class CourseRow:
    guardian: PlanGuardian
    course_id: int
    title: str
    deadline: datetime.date
    finished_at: datetime.datetime | None
    url: str = ""
    quizzes: list[QuizResult] = field(default_factory=list)

    def overdue(self, today: datetime.date) -> bool:
        return self.finished_at is None and self.deadline < today


@dataclass
class SessionRow:
    booking_id: int
    guardian: PlanGuardian
    starts_at: datetime.datetime
    station: str
    service: str
    status: str


@dataclass
class Progress:
    plan: GuidancePlan
    courses: list[CourseRow]
    sessions: list[SessionRow]
    today: datetime.date

    @property
    def courses_done(self) -> int:
        return sum(1 for row in self.courses if row.finished_at is not None)

    @property
    def sessions_attended(self) -> int:
        return sum(1 for row in self.sessions if row.status == Booking.Status.ATTENDED)

    @property
    def sessions_missed(self) -> int:
        return sum(1 for row in self.sessions if row.status == Booking.Status.NO_SHOW)

    @property
    def courses_met(self) -> bool:
        return bool(self.courses) and all(row.finished_at is not None for row in self.courses)

    @property
    def sessions_met(self) -> bool:
        return self.sessions_attended >= self.plan.required_sessions

    @property
    def met(self) -> bool:
        """Every guardian finished every required course, and the family attended enough sessions."""
        return (self.courses_met or not self.plan.courses.exists()) and self.sessions_met

    @property
    def overdue(self) -> list[CourseRow]:
        return [row for row in self.courses if row.overdue(self.today)]


def progress_of(plan: GuidancePlan, *, today: datetime.date | None = None) -> Progress:
    today = today or timezone.localdate()
    guardians = list(plan.guardians.select_related("user"))
    courses = list(plan.courses.order_by("title"))
    linked = {guardian.user_id: guardian for guardian in guardians if guardian.user_id}
    finished = {
        (row["parent_id"], row["course_id"]): row["done"]
        for row in Enrolment.objects.filter(parent_id__in=linked, course__in=courses)
        .values("parent_id", "course_id")
        .annotate(done=Max("completed_at"))
    }
    quizzes = list(QuizPage.objects.live().filter(path__regex=_children_of(courses)).order_by("path"))
    best = {
        (row["parent_id"], row["quiz_id"]): row
        for row in QuizAttempt.objects.filter(parent_id__in=linked, quiz__in=quizzes, submitted_at__isnull=False)
        .values("parent_id", "quiz_id")
        .annotate(best=Max("score_percent"), passes=Count("pk", filter=Q(passed=True)))
    }
    rows = []
    for guardian in guardians:
        for course in courses:
            row = CourseRow(
                guardian=guardian,
                course_id=course.pk,
                title=course.title,
                deadline=plan.course_deadline,
                finished_at=finished.get((guardian.user_id, course.pk)) if guardian.user_id else None,
                url=course.url or "",
            )
            for quiz in quizzes:
                if quiz.path.startswith(course.path):
                    result = best.get((guardian.user_id, quiz.pk))
                    row.quizzes.append(
                        QuizResult(quiz.title, result["best"] if result else None, bool(result and result["passes"]))
                    )
            rows.append(row)
    bookings = (
        Booking.objects.filter(plan_link__plan=plan, parent_id__in=linked)
        .filter(Q(status=Booking.Status.ATTENDED) | Q(status=Booking.Status.NO_SHOW))
        .select_related("slot__station", "slot__service")
        .order_by("slot__starts_at")
    )
    sessions = [
        SessionRow(
            booking_id=booking.pk,
            guardian=linked[booking.parent_id],
            starts_at=booking.slot.starts_at,
            station=str(booking.slot.station),
            service=str(booking.slot.service),
            status=booking.status,
        )
        for booking in bookings
    ]
    return Progress(plan=plan, courses=rows, sessions=sessions, today=today)


def _children_of(courses: list[CoursePage]) -> str:
    """A regex of the page paths one level below the courses (their quizzes)."""
    if not courses:
        return r"^$"
    return "^(" + "|".join(course.path for course in courses) + r")[0-9A-Z]{4}$"


def sync(plan: GuidancePlan, *, now: datetime.datetime | None = None) -> list[PlanEvent]:
    """Records each new fact of the plan's progress once; returns the events recorded now."""
    now = now or timezone.now()
    progress = progress_of(plan, today=timezone.localdate(now))
    recorded = []
    for row in progress.courses:
        if row.finished_at is not None:
            detail = f"{row.title} · {timezone.localdate(row.finished_at):%Y-%m-%d}"
            key = f"course_finished:{row.guardian.pk}:{row.course_id}"
            recorded.append(events.record(plan, PlanEvent.Kind.COURSE_FINISHED, key=key, detail=detail, now=now))
        elif row.overdue(progress.today):
            key = f"course_overdue:{row.guardian.pk}:{row.course_id}:{row.deadline}"
            detail = f"{row.title} · {row.deadline:%Y-%m-%d}"
            recorded.append(events.record(plan, PlanEvent.Kind.COURSE_OVERDUE, key=key, detail=detail, now=now))
    for session in progress.sessions:
        kind = (
            PlanEvent.Kind.SESSION_ATTENDED
            if session.status == Booking.Status.ATTENDED
            else PlanEvent.Kind.SESSION_MISSED
        )
        detail = f"{timezone.localtime(session.starts_at):%Y-%m-%d} · {session.station}"
        recorded.append(events.record(plan, kind, key=f"{kind}:{session.booking_id}", detail=detail, now=now))
    return [event for event in recorded if event is not None]
