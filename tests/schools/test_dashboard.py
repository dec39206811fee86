"""Dashboards: what district staff and officers see, the SVG charts and tables, medians, query counts."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from schools import dashboards, services
from schools.models import AuditLog, BullyingReport, State
from tests.factories.accounts import sign_in_fully
from tests.factories.schools import BullyingReportFactory, submitted_case

pytestmark = pytest.mark.django_db


def _cases(officer, school, count: int) -> list[BullyingReport]:
    return [submitted_case(officer, school=school) for _ in range(count)]


def _chart(board, slug):
    return {bar.label: bar.count for bar in next(chart for chart in board.charts if chart.slug == slug).bars}


def test_district_staff_see_every_school_and_an_officer_only_their_own(
    officer_a, officer_b, school_a, school_b, district
):
    _cases(officer_a, school_a, 2)
    _cases(officer_b, school_b, 3)
    BullyingReportFactory(school=school_a)  # a draft: never counted

    assert dashboards.build(district).total == 5
    assert _chart(dashboards.build(district), "school") == {school_a.name: 2, school_b.name: 3}
    board_a = dashboards.build(officer_a)
    assert board_a.total == 2
    assert _chart(board_a, "school") == {school_a.name: 2}
    assert board_a.charts[0].bars[0].count == 2  # the first state bar: submitted


def test_counts_by_kind_severity_street_and_month(officer_a, school_a, district):
    submitted_case(officer_a, school=school_a, bullying_types=["verbal", "cyber"], severity="serious")
    submitted_case(officer_a, school=school_a, bullying_types=["cyber"], severity="general")

    with translation.override("en"):
        board = dashboards.build(district)

    kinds = _chart(board, "kind")
    assert kinds["Cyber"] == 2 and kinds["Verbal"] == 1 and kinds["Physical"] == 0
    assert _chart(board, "severity") == {"General": 1, "Serious": 1, "Severe": 0}
    assert _chart(board, "street") == {school_a.street_town.name: 2}
    assert _chart(board, "month") == {timezone.localtime().strftime("%Y-%m"): 2}


def test_medians_to_acknowledge_and_to_determine(officer_a, school_a, district):
    first, second, third = _cases(officer_a, school_a, 3)
    now = timezone.now()
    BullyingReport.objects.filter(pk=first.pk).update(
        submitted_at=now - datetime.timedelta(hours=10), acknowledged_at=now - datetime.timedelta(hours=8)
    )
    BullyingReport.objects.filter(pk=second.pk).update(
        submitted_at=now - datetime.timedelta(hours=10), acknowledged_at=now - datetime.timedelta(hours=4)
    )
    BullyingReport.objects.filter(pk=third.pk).update(
        state=State.DETERMINED,
        submitted_at=now - datetime.timedelta(days=9),
        acknowledged_at=now - datetime.timedelta(days=8),
        investigation_started_at=now - datetime.timedelta(days=7),
        determined_at=now - datetime.timedelta(days=4),
    )

    board = dashboards.build(district)

    assert board.median_hours_to_acknowledge == 6.0  # median of 2 h, 6 h and 24 h
    assert board.median_hours_to_determine == 72.0
    with translation.override("en"):
        assert dashboards.format_hours(72.0) == "3.0 days"
        assert dashboards.format_hours(6.0) == "6.0 hours"
        assert dashboards.format_hours(0.25) == "15 minutes"


def test_overdue_cases_are_listed_and_stand_out(client, officer_a, school_a, district):
    late, on_time = _cases(officer_a, school_a, 2)
    BullyingReport.objects.filter(pk=late.pk).update(acknowledge_due_at=timezone.now() - datetime.timedelta(hours=1))

    sign_in_fully(client, district)
    response = client.get(reverse("schools:dashboard"))

    assert [case.pk for case in response.context["board"].overdue] == [late.pk]
    html = response.content.decode()
    assert "overdue-row" in html and late.case_number in html


def test_many_overdue_cases_come_a_page_at_a_time_the_longest_overdue_first(client, officer_a, school_a, district):
    cases = _cases(officer_a, school_a, dashboards.OVERDUE_PER_PAGE + 5)
    for hours, case in enumerate(cases, start=1):  # the first case is the one overdue longest
        BullyingReport.objects.filter(pk=case.pk).update(
            acknowledge_due_at=timezone.now() - datetime.timedelta(hours=len(cases) + 1 - hours)
        )
    sign_in_fully(client, district)

    first = client.get(reverse("schools:dashboard"))
    html = first.content.decode()
    rows = re.findall(r'<tr class="overdue-row">', html)
    assert len(rows) == dashboards.OVERDUE_PER_PAGE
    assert first.context["board"].overdue_count == len(cases)
    assert f"<dd>{len(cases)}</dd>" in html  # the figure counts them all, not the page
    assert cases[0].case_number in html and cases[-1].case_number not in html
    assert 'rel="next" href="?page=2"' in html

    second = client.get(reverse("schools:dashboard"), {"page": "2"})
    assert [case.pk for case in second.context["board"].overdue] == [case.pk for case in cases[-5:]]
    assert client.get(reverse("schools:dashboard"), {"page": "abc"}).status_code == 200


def test_the_page_draws_svg_charts_with_tables_and_no_outside_script(client, officer_a, school_a, district):
    _cases(officer_a, school_a, 2)
    sign_in_fully(client, district)

    response = client.get(reverse("schools:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart__svg"') == 6
    assert html.count('<table class="chart-table"') == 6
    assert '<th scope="row">' + school_a.name + "</th>" in html
    # Nothing is loaded from another host (a random token on the page may well contain "cdn");
    # Wagtail's user bar names its own stylesheet as //testserver/static/….
    outside = r"<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)=[\"']?(https?:)?//(?!testserver[/:])"
    assert not re.search(outside, html)
    assert AuditLog.objects.filter(actor=district, action=AuditLog.Action.VIEW_DASHBOARD).count() == 1


def test_an_officer_of_another_school_sees_none_of_school_a_on_the_dashboard(client, officer_a, officer_b, school_a):
    case = submitted_case(officer_a, school=school_a)
    sign_in_fully(client, officer_b)

    response = client.get(reverse("schools:dashboard"))

    assert response.status_code == 200
    assert case.case_number not in response.content.decode()
    assert school_a.name not in response.content.decode()


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow_to(total: int, officer, school, other_officer, other_school, district):
    """Cases in several states, schools and months, some overdue."""
    existing = BullyingReport.objects.exclude(state=State.DRAFT).count()
    for index in range(existing, total):
        owner, where = (officer, school) if index % 2 else (other_officer, other_school)
        case = submitted_case(owner, school=where, bullying_types=["verbal", "cyber"][: 1 + index % 2])
        if index % 3 == 0:
            case = services.acknowledge(case, by=district)
            services.assign_handler(case, by=district, handler=district)
        if index % 5 == 0:
            BullyingReport.objects.filter(pk=case.pk).update(
                submitted_at=timezone.now() - datetime.timedelta(days=40 + index),
                acknowledge_due_at=timezone.now() - datetime.timedelta(days=1),
            )


def test_the_dashboard_query_count_does_not_grow_with_the_cases(
    client, officer_a, officer_b, school_a, school_b, district
):
    sign_in_fully(client, district)
    url = reverse("schools:dashboard")
    # From 10 cases on, one is overdue for each viewer: the overdue table is drawn (an empty one
    # costs a query less) and the comparison is between the same page at two sizes.
    _grow_to(10, officer_a, school_a, officer_b, school_b, district)
    _query_count(client, url)  # warm up (session, content types)
    at_ten = _query_count(client, url)

    _grow_to(50, officer_a, school_a, officer_b, school_b, district)
    at_fifty = _query_count(client, url)

    assert BullyingReport.objects.count() == 50
    assert services.overdue_cases().count() > 1
    assert at_ten == at_fifty, f"{at_ten} queries at 10 cases, {at_fifty} at 50"


def test_the_officer_dashboard_query_count_does_not_grow_with_the_cases(
    client, officer_a, officer_b, school_a, school_b, district
):
    sign_in_fully(client, officer_a)
    url = reverse("schools:dashboard")
    _grow_to(10, officer_a, school_a, officer_b, school_b, district)
    _query_count(client, url)
    at_ten = _query_count(client, url)

    _grow_to(50, officer_a, school_a, officer_b, school_b, district)
    at_fifty = _query_count(client, url)

    assert at_ten == at_fifty, f"{at_ten} queries at 10 cases, {at_fifty} at 50"
