"""Case statistics for the dashboards: counts by state, kind, severity, school, street/town and month.

Everything is computed from the cases a person may see (``services.cases_visible_to``, drafts
left out), in a fixed number of queries however many cases there are: grouped counts in the
database, and the few columns the medians and kinds of bullying need read in one query each.
No student detail or narrative is read here.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, QuerySet, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import BullyingReport, BullyingType, Severity, SharedPart, State

ROW_HEIGHT = 44  # pixels per bar in the SVG charts
OVERDUE_PER_PAGE = 25  # rows of the overdue table on one page (a district may have hundreds)


@dataclass
class Bar:
    label: str
    count: int
    percent: float = 0.0  # of the chart's largest bar, for drawing


@dataclass
class Chart:
    """One bar chart and its table: ``slug`` names the SVG and table ids."""

    slug: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    label_heading: str = ""  # heading of the table's first column
    note: str = ""  # shown under the chart instead of a total when bars overlap

    def __post_init__(self):
        largest = max((bar.count for bar in self.bars), default=0)
        for bar in self.bars:
            bar.percent = round(100 * bar.count / largest, 1) if largest else 0.0

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def height(self) -> int:
        """Height of the SVG drawing in pixels: a label line and a bar per row."""
        return max(len(self.bars), 1) * ROW_HEIGHT

    def rows(self):
        """Bars with their vertical positions in the SVG drawing (label above, bar below)."""
        for index, bar in enumerate(self.bars):
            top = index * ROW_HEIGHT
            yield {"bar": bar, "text_y": top + 16, "bar_y": top + 22}


@dataclass
class Dashboard:
    total: int
    charts: list[Chart]
    overdue: Page  # one page of the overdue steps, the longest overdue first
    median_hours_to_acknowledge: float | None
    median_hours_to_determine: float | None
    acknowledged_count: int
    determined_count: int

    @property
    def overdue_count(self) -> int:
        """Every overdue step, not only this page's."""
        return self.overdue.paginator.count


def dashboard_cases(user) -> QuerySet[BullyingReport]:
    """The submitted cases ``user`` may see (never drafts)."""
    return services.cases_visible_to(user).exclude(state=State.DRAFT)


def _grouped(cases: QuerySet, key: str) -> dict:
    return {row[key]: row["n"] for row in cases.order_by().values(key).annotate(n=Count("pk"))}


def _median_hours(pairs) -> float | None:
    durations = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end and end >= start]
    if not durations:
        return None
    return round(statistics.median(durations), 1)


def _month_label(month: datetime.datetime | datetime.date) -> str:
    return f"{month:%Y-%m}"


def overdue_steps(cases: QuerySet[BullyingReport]) -> QuerySet[BullyingReport]:
    """The overdue steps among ``cases``, the one that was due earliest first."""
    due = Case(When(state=State.SUBMITTED, then=F("acknowledge_due_at")), default=F("determination_due_at"))
    return services.overdue_cases().filter(pk__in=cases.values("pk")).order_by(due.asc(), "pk")


def build(user, *, overdue_page: str | int | None = None) -> Dashboard:
    """The dashboard of ``user``: district staff see every case, an officer their own school's.

    ``overdue_page`` picks the page of the overdue table (an invalid value gives the nearest page).
    """
    cases = dashboard_cases(user)

    by_state = _grouped(cases, "state")
    by_severity = _grouped(cases, "severity")
    by_school = _grouped(cases, "school__name")
    by_street = _grouped(cases, "school__street_town__name")
    by_month = {
        row["month"]: row["n"]
        for row in cases.order_by()
        .annotate(month=TruncMonth("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(n=Count("pk"))
        if row["month"] is not None
    }
    # Kinds of bullying are a list per case (several may apply): count them from one query. A
    # school counts an anonymous report's kinds only when the district shared them with it.
    by_kind: dict[str, int] = {}
    district = services.is_district(user)
    rows = cases.order_by().values_list("bullying_types", "source", "shared_with_school")
    for kinds, source, shared in rows:
        if not district and source == BullyingReport.Source.ANONYMOUS and SharedPart.BULLYING_TYPES not in shared:
            continue
        for kind in set(kinds or []):
            by_kind[kind] = by_kind.get(kind, 0) + 1

    workflow_states = [state for state in State if state != State.DRAFT]
    charts = [
        Chart(
            "state",
            _("Cases by state"),
            [Bar(str(s.label), by_state.get(s.value, 0)) for s in workflow_states],
            label_heading=_("State"),
        ),
        Chart(
            "kind",
            _("Cases by kind of bullying"),
            [Bar(str(kind.label).split(" (")[0], by_kind.get(kind.value, 0)) for kind in BullyingType],
            label_heading=_("Kind of bullying"),
            note=_("A case may involve several kinds, so these numbers add up to more than the cases."),
        ),
        Chart(
            "severity",
            _("Cases by severity"),
            [Bar(str(s.label), by_severity.get(s.value, 0)) for s in Severity]
            + ([Bar(_("Not given"), by_severity[""])] if by_severity.get("") else []),
            label_heading=_("Severity"),
        ),
        Chart(
            "school",
            _("Cases by school"),
            [Bar(name, count) for name, count in sorted(by_school.items(), key=lambda item: (-item[1], item[0]))],
            label_heading=_("School"),
        ),
        Chart(
            "street",
            _("Cases by street/town"),
            [Bar(name, count) for name, count in sorted(by_street.items(), key=lambda item: (-item[1], item[0]))],
            label_heading=_("Street/town"),
        ),
        Chart(
            "month",
            _("Cases by month of submission"),
            [Bar(_month_label(month), count) for month, count in sorted(by_month.items())],
            label_heading=_("Month"),
        ),
    ]

    acknowledged = list(
        cases.filter(acknowledged_at__isnull=False).order_by().values_list("submitted_at", "acknowledged_at")
    )
    determined = list(
        cases.filter(determined_at__isnull=False).order_by().values_list("investigation_started_at", "determined_at")
    )
    overdue = Paginator(overdue_steps(cases), OVERDUE_PER_PAGE).get_page(overdue_page)

    return Dashboard(
        total=sum(by_state.values()),
        charts=charts,
        overdue=overdue,
        median_hours_to_acknowledge=_median_hours(acknowledged),
        median_hours_to_determine=_median_hours(determined),
        acknowledged_count=len(acknowledged),
        determined_count=len(determined),
    )


def format_hours(hours: float | None) -> str:
    """A median duration in words: hours below two days, days above."""
    if hours is None:
        return _("No cases yet")
    if hours < 1:
        return _("%(minutes)s minutes") % {"minutes": round(hours * 60)}
    if hours < 48:
        return _("%(hours)s hours") % {"hours": f"{hours:.1f}"}
    return _("%(days)s days") % {"days": f"{hours / 24:.1f}"}
