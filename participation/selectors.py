"""Participation statistics: who registered, joined a class, enrolled, completed and was certified.

A **scope** is what one person may see (``scope_of``): district staff the whole district
(every school and street), a school officer their school(s), a head teacher their classes, a
child director or supervisor their workstation's street. Every figure is a count of distinct
parents; no parent or child is named here, so every table can be exported (``core.exports``).

Definitions (stated once, used by every table):

- *registered*: parent accounts in the scope — for a school, parents with a child at the school;
  for a class, parents who joined it; for a street, parents who live there (profile);
- *joined a class*: of those, parents with a child in a class of a parent school;
- *enrolled*: with an enrolment not left; *completed*: with at least one completed course;
  *certified*: with a valid certificate;
- *completion rate*: completed ÷ registered — the ranking of schools and streets.

The figures are counted in advance (``participation.rollups``, from the definitions and direct
counts of ``participation.counts``) and read here from ``ParticipationRollup``: each table is one
or two queries over a few hundred rows, so the number of queries and their time are fixed however
many parents, enrolments or lesson-progress rows there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, SomeUser, is_district, is_head_teacher, is_street_staff
from courses.models import Enrolment
from participation import rollups
from participation.models import Child, ParentProfile, ParticipationRollup, SchoolClass
from participation.services import classes_managed_by, officer_school_ids
from schools.models import School, StreetTown
from workstations.models import WorkstationMembership


@dataclass
class Row:
    """One line of a table: a group (school, class, street, course) and its counts."""

    label: str
    registered: int = 0
    joined: int = 0
    enrolled: int = 0
    completed: int = 0
    certified: int = 0
    refreshed_at: datetime.datetime | None = None  # when the figures were counted (totals only)

    @property
    def rate(self) -> float:
        """Completion rate in percent, one decimal."""
        return round(100 * self.completed / self.registered, 1) if self.registered else 0.0


@dataclass
class Scope:
    """What one person's dashboard covers."""

    kind: str  # "district" | "school" | "classes" | "street"
    title: str
    parents: QuerySet[Any]  # ids of the parents in the scope (a subquery, never evaluated here)
    school_ids: list[int] = field(default_factory=list)
    class_ids: list[int] = field(default_factory=list)
    street_codes: list[str] = field(default_factory=list)
    street_ids: list[int] = field(default_factory=list)

    def classes(self) -> QuerySet[SchoolClass] | None:
        """The classes this scope lists one by one (its schools' or the head teacher's); None
        for the district and a street, which list no classes."""
        classes = SchoolClass.objects.select_related("parent_school__school")
        if self.kind == "school":
            return classes.filter(parent_school__school_id__in=self.school_ids)
        if self.kind == "classes":
            return classes.filter(pk__in=self.class_ids)
        return None


def ranked(rows: list[Row]) -> list[Row]:
    """Rows best completion rate first, then most parents, then by name (the same on every engine)."""
    return sorted(rows, key=lambda row: (-row.rate, -row.registered, row.label))


def street_codes_of(user: SomeUser) -> list[str]:
    if not is_street_staff(user) or user is None or not user.is_authenticated:
        return []
    return sorted(set(WorkstationMembership.objects.filter(user=user).values_list("workstation__street", flat=True)))


def scope_of(user: SomeUser) -> Scope | None:
    """The widest scope ``user`` may see, or None when they may see none."""
    User = get_user_model()
    parents: QuerySet[Any]
    if is_district(user):
        parents = User.objects.filter(groups__name=Role.PARENT.group_name).values("pk")
        return Scope("district", _("The whole district"), parents)
    schools = officer_school_ids(user)
    if schools:
        parents = Child.objects.filter(school_id__in=schools).values("parent_id")
        names = ", ".join(School.objects.filter(pk__in=schools).values_list("name", flat=True))
        return Scope("school", names, parents, school_ids=schools)
    if is_head_teacher(user):
        classes = list(classes_managed_by(user).values_list("pk", flat=True))
        parents = Child.objects.filter(school_class_id__in=classes).values("parent_id")
        return Scope("classes", _("Your classes"), parents, class_ids=classes)
    codes = street_codes_of(user)
    if codes:
        parents = ParentProfile.objects.filter(street__code__in=codes).values("parent_id")
        streets = list(StreetTown.objects.filter(code__in=codes).values_list("pk", "name"))
        names = ", ".join(name for _pk, name in streets)
        return Scope("street", names, parents, street_codes=codes, street_ids=[pk for pk, _name in streets])
    return None


# --- Reading the rollup (``participation.rollups``): a few queries, whatever the data's size ---


def _group(scope: Scope) -> tuple[str, list[int]]:
    """The rollup rows that make up ``scope``: its kind of group and their keys."""
    if scope.kind == "district":
        return ParticipationRollup.Kind.DISTRICT, [0]
    if scope.kind == "school":
        return ParticipationRollup.Kind.SCHOOL, scope.school_ids
    if scope.kind == "classes":
        return ParticipationRollup.Kind.CLASS, scope.class_ids
    return ParticipationRollup.Kind.STREET, scope.street_ids


FIGURES = ("registered", "joined", "enrolled", "completed", "certified")


def _sums(*names: str) -> dict[str, Sum]:
    return {name: Sum(name) for name in names}


def _rollup_row(label: str, values: dict[str, Any]) -> Row:
    figures = [values.get(name) or 0 for name in FIGURES]
    return Row(
        label, registered=figures[0], joined=figures[1], enrolled=figures[2], completed=figures[3], certified=figures[4]
    )


def _figures(kind: str, keys: list[int] | QuerySet[Any]) -> QuerySet[ParticipationRollup]:
    return ParticipationRollup.objects.filter(kind=kind, key__in=keys, course__isnull=True, month__isnull=True)


def totals(scope: Scope) -> Row:
    """The scope's five figures (one query; a scope of several schools or classes adds theirs up,
    a family with children in two of them counting in each) and when they were counted (one
    more: ``counted_at``, zeros and that time for a scope with nobody in it yet)."""
    kind, keys = _group(scope)
    values = _figures(kind, keys).filter(sub=0).aggregate(**_sums(*FIGURES))
    row = _rollup_row(scope.title, values)
    row.refreshed_at = counted_at()
    return row


def counted_at() -> datetime.datetime | None:
    """When ``rollups.refresh`` last counted (its marker, the district's all-course row, which it
    writes even in a district without parents); None if it never has."""
    at: datetime.datetime | None = (
        ParticipationRollup.objects.filter(**rollups.MARKER).values_list("refreshed_at", flat=True).first()
    )
    return at


def _by_key(queryset: QuerySet[ParticipationRollup], key: str = "key") -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in queryset.values(key).annotate(**_sums(*FIGURES)).order_by()}


def by_school(scope: Scope) -> list[Row]:
    """Schools of the scope, each counting the parents with a child there; best rate first.
    For street staff: the schools their street's parents have children at."""
    schools = School.objects.only("name")
    if scope.kind == "street":
        grouped = _by_key(_figures(ParticipationRollup.Kind.STREET_SCHOOL, scope.street_ids), "sub")
        schools = schools.filter(pk__in=list(grouped))
    elif scope.kind in ("district", "school"):
        grouped = _by_key(_figures(ParticipationRollup.Kind.SCHOOL, scope.school_ids or schools.values("pk")))
        if scope.kind == "school":
            schools = schools.filter(pk__in=scope.school_ids)
    else:
        return []
    return ranked([_rollup_row(school.name, grouped.get(school.pk, {})) for school in schools])


def by_street(scope: Scope) -> list[Row]:
    """The 13 streets (or the staff's own), counting the parents who live there; best rate first."""
    streets = StreetTown.objects.all()
    if scope.kind == "street":
        streets = streets.filter(pk__in=scope.street_ids)
    grouped = _by_key(_figures(ParticipationRollup.Kind.STREET, streets.values("pk")))
    return ranked([_rollup_row(street.name, grouped.get(street.pk, {})) for street in streets])


def by_class(scope: Scope) -> list[Row]:
    """The classes of the scope's schools (or the head teacher's classes)."""
    classes = scope.classes()
    if classes is None:
        return []
    grouped = _by_key(_figures(ParticipationRollup.Kind.CLASS, classes.values("pk")))
    return [_rollup_row(str(school_class), grouped.get(school_class.pk, {})) for school_class in classes]


def by_course(scope: Scope) -> list[Row]:
    """Per course: parents of the scope enrolled and completed (one query)."""
    kind, keys = _group(scope)
    rows = (
        ParticipationRollup.objects.filter(kind=kind, key__in=keys, course__isnull=False, month__isnull=True)
        .values("course_id", "course__title")
        .annotate(**_sums("enrolled", "completed"))
        .order_by("course__title")
    )
    return [Row(row["course__title"], enrolled=row["enrolled"], completed=row["completed"]) for row in rows]


def completions_by_month(scope: Scope, *, months: int = 12, today: datetime.date | None = None) -> list[Row]:
    """Courses completed by the scope's parents in each of the last ``months`` months (oldest first)."""
    from participation.rollups import first_month

    start = first_month(today or timezone.localdate(), months)
    kind, keys = _group(scope)
    counted = {
        row["month"]: row["completions"]
        for row in ParticipationRollup.objects.filter(kind=kind, key__in=keys, month__gte=start)
        .values("month")
        .annotate(completions=Sum("completions"))
        .order_by()
    }
    starts = [start]
    for _n in range(months - 1):
        starts.append((starts[-1] + datetime.timedelta(days=32)).replace(day=1))
    return [Row(month.strftime("%Y-%m"), completed=counted.get(month, 0)) for month in starts]


# --- A head teacher's class ------------------------------------------------------------------


@dataclass
class MemberProgress:
    """One parent of a class: shown to the class's head teacher, its school's officers and the
    district — the parent's name (they follow the family up), never a child's."""

    name: str
    phone: str
    joined_at: datetime.datetime | None
    statuses: list[str]  # per course of ``ClassOverview.courses``: "finished", "started", "not_started", ""


@dataclass
class ClassOverview:
    courses: list[Any]  # the courses assigned to the class, its grade or its school
    deadlines: dict[int, datetime.date]
    members: list[MemberProgress]

    @property
    def finished_counts(self) -> list[int]:
        return [sum(member.statuses[i] == "finished" for member in self.members) for i in range(len(self.courses))]


def class_overview(school_class: SchoolClass) -> ClassOverview:
    """Who joined the class and, for each course assigned to it, who started and who finished:
    five queries however many parents, courses and lessons there are."""
    from courses.models import Assignment, LessonPage, LessonProgress
    from participation.models import GroupAssignment
    from participation.services import groups_covering

    groups = list(groups_covering(school_class).select_related("course").order_by("deadline", "pk"))
    courses, deadlines = [], {}
    for group in groups:
        if group.course_id not in deadlines:
            courses.append(group.course)
            deadlines[group.course_id] = group.deadline
    children = list(
        Child.objects.filter(school_class=school_class).select_related("parent").order_by("joined_at", "pk")
    )
    parent_ids = [child.parent_id for child in children]
    assigned = set(
        Assignment.objects.filter(
            pk__in=GroupAssignment.assignments.through.objects.filter(groupassignment__in=groups).values(
                "assignment_id"
            ),
            parent_id__in=parent_ids,
        ).values_list("parent_id", "course_id")
    )
    finished = set(
        Enrolment.objects.filter(
            parent_id__in=parent_ids, course_id__in=deadlines, completed_at__isnull=False
        ).values_list("parent_id", "course_id")
    )
    started: set[tuple[int, int]] = set()
    if courses:
        in_courses = Q()
        for course in courses:
            in_courses |= Q(path__startswith=course.path, depth=course.depth + 1)
        course_by_path = {course.path: course.pk for course in courses}
        lesson_course = {
            lesson_id: course_by_path[path[: -LessonPage.steplen]]
            for lesson_id, path in LessonPage.objects.filter(in_courses).values_list("pk", "path")
        }
        for parent_id, lesson_id in LessonProgress.objects.filter(
            parent_id__in=parent_ids, lesson_id__in=list(lesson_course)
        ).values_list("parent_id", "lesson_id"):
            started.add((parent_id, lesson_course[lesson_id]))
    members = []
    for child in children:
        parent = child.parent
        statuses = []
        for course in courses:
            key = (parent.pk, course.pk)
            if key in finished:
                statuses.append("finished")
            elif key in started:
                statuses.append("started")
            elif key in assigned:
                statuses.append("not_started")
            else:
                statuses.append("")
        members.append(
            MemberProgress(parent.name or parent.masked_phone, parent.masked_phone, child.joined_at, statuses)
        )
    return ClassOverview(courses, deadlines, members)
