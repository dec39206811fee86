"""Participation figures counted directly from the records: the definitions of every figure (see
``participation.selectors``), what ``participation.rollups`` stores in advance, and the reference
the rollup tests compare with. Too slow for a dashboard at the district's scale (seconds for
100,000 parents: ``bench/participation_bench.py``); dashboards read the rollup.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from courses.models import Certificate, Enrolment
from participation.models import Child, ParentProfile
from participation.selectors import Row, Scope, ranked
from schools.models import School, StreetTown


def _flags(parent_ref: str) -> dict[str, Exists]:
    return {
        "f_joined": Exists(Child.objects.filter(parent_id=OuterRef(parent_ref), school_class__isnull=False)),
        "f_enrolled": Exists(
            Enrolment.objects.filter(parent_id=OuterRef(parent_ref)).exclude(status=Enrolment.Status.LEFT)
        ),
        "f_completed": Exists(Enrolment.objects.filter(parent_id=OuterRef(parent_ref), completed_at__isnull=False)),
        "f_certified": Exists(Certificate.objects.filter(parent_id=OuterRef(parent_ref), revoked_at__isnull=True)),
    }


def _counts(parent_ref: str) -> dict[str, Count]:
    return {
        "registered": Count(parent_ref, distinct=True),
        "joined": Count(parent_ref, distinct=True, filter=Q(f_joined=True)),
        "enrolled": Count(parent_ref, distinct=True, filter=Q(f_enrolled=True)),
        "completed": Count(parent_ref, distinct=True, filter=Q(f_completed=True)),
        "certified": Count(parent_ref, distinct=True, filter=Q(f_certified=True)),
    }


def _row(label: str, values: dict[str, Any]) -> Row:
    registered, joined, enrolled, completed, certified = (
        int(values.get(key) or 0) for key in ("registered", "joined", "enrolled", "completed", "certified")
    )
    return Row(label, registered, joined, enrolled, completed, certified)


def totals(scope: Scope) -> Row:
    """One query: the scope's five figures."""
    values = get_user_model().objects.filter(pk__in=scope.parents).annotate(**_flags("pk")).aggregate(**_counts("pk"))
    return _row(scope.title, values)


def _grouped(queryset: QuerySet[Any], group: str) -> dict[Any, dict[str, Any]]:
    rows = queryset.annotate(**_flags("parent_id")).values(group).annotate(**_counts("parent_id")).order_by()
    return {row[group]: row for row in rows}


def by_school(scope: Scope) -> list[Row]:
    """Schools of the scope, each counting the parents with a child there; best rate first."""
    children = Child.objects.filter(parent_id__in=scope.parents, school__isnull=False)
    schools = School.objects.all()
    if scope.kind == "school":
        schools = schools.filter(pk__in=scope.school_ids)
    grouped = _grouped(children, "school_id")
    if scope.kind == "street":
        schools = schools.filter(pk__in=list(grouped))
    rows = [_row(school.name, grouped.get(school.pk, {})) for school in schools.only("name")]
    return ranked(rows)


def by_street(scope: Scope) -> list[Row]:
    """The 13 streets (or the staff's own), counting the parents who live there; best rate first."""
    profiles = ParentProfile.objects.filter(parent_id__in=scope.parents, street__isnull=False)
    grouped = _grouped(profiles, "street_id")
    streets = StreetTown.objects.all()
    if scope.kind == "street":
        streets = streets.filter(code__in=scope.street_codes)
    rows = [_row(street.name, grouped.get(street.pk, {})) for street in streets]
    return ranked(rows)


def by_class(scope: Scope) -> list[Row]:
    """The classes of the scope's schools (or the head teacher's classes)."""
    classes = scope.classes()
    if classes is None:
        return []
    grouped = _grouped(Child.objects.filter(school_class__in=classes), "school_class_id")
    return [_row(str(school_class), grouped.get(school_class.pk, {})) for school_class in classes]


def by_course(scope: Scope) -> list[Row]:
    """Per course: parents of the scope enrolled and completed (one grouped query)."""
    rows = (
        Enrolment.objects.filter(parent_id__in=scope.parents)
        .exclude(status=Enrolment.Status.LEFT)
        .values("course_id", "course__title")
        .annotate(
            enrolled=Count("parent_id", distinct=True),
            completed=Count("parent_id", distinct=True, filter=Q(completed_at__isnull=False)),
        )
        .order_by("course__title")
    )
    return [Row(row["course__title"], enrolled=row["enrolled"], completed=row["completed"]) for row in rows]


def completions_by_month(scope: Scope, *, months: int = 12, today: datetime.date | None = None) -> list[Row]:
    """Courses completed by the scope's parents in each of the last ``months`` months (oldest first)."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    starts = [first]
    for _n in range(months - 1):
        starts.append((starts[-1] - datetime.timedelta(days=1)).replace(day=1))
    starts.reverse()
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time()))
    counted = {
        timezone.localtime(row["month"]).date(): row["count"]
        for row in Enrolment.objects.filter(parent_id__in=scope.parents, completed_at__gte=since)
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    }
    return [Row(start.strftime("%Y-%m"), completed=counted.get(start, 0)) for start in starts]
