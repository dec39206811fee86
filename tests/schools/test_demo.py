"""Demo content: the 13 streets/towns, made-up schools and a case in every state, idempotently."""

from __future__ import annotations

import pytest

from demo.recipes.schools import create_demo_schools_and_cases
from schools.models import BullyingReport, School, State, StreetTown
from tests.factories.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_content_has_the_thirteen_streets_and_a_case_in_every_state():
    result = create_demo_schools_and_cases()

    assert StreetTown.objects.count() == 13
    assert "华泾镇" in set(StreetTown.objects.values_list("name", flat=True))
    assert result["schools"] == School.objects.count() >= 3
    assert set(BullyingReport.objects.values_list("state", flat=True)) == set(State.values)


def test_demo_content_is_idempotent():
    create_demo_schools_and_cases()
    counts = (StreetTown.objects.count(), School.objects.count(), BullyingReport.objects.count())

    result = create_demo_schools_and_cases()

    assert result["cases_created"] == 0
    assert (StreetTown.objects.count(), School.objects.count(), BullyingReport.objects.count()) == counts


def test_demo_addresses_look_like_demo_data():
    create_demo_schools_and_cases()

    assert all("示例" in school.address for school in School.objects.all())
    assert all("示例" in report.narrative for report in BullyingReport.objects.all())


def test_the_demo_officer_from_accounts_gets_the_first_school():
    from demo.recipes.users import create_demo_users

    create_demo_users()
    create_demo_schools_and_cases()

    officer_cases = BullyingReport.objects.filter(created_by__username="demo-officer")
    assert officer_cases.count() == len(State.values)


def test_load_demo_content_brings_the_schools_demo_and_runs_twice_without_duplicates():
    from io import StringIO

    from django.core.management import call_command

    load_demo("--skip-index")  # what a first run leaves (the real loader once per process)
    counts = (StreetTown.objects.count(), School.objects.count(), BullyingReport.objects.count())

    output = StringIO()
    call_command("load_demo_content", "--skip-index", stdout=output)

    assert counts[0] == 13 and counts[2] == len(State.values)
    assert (StreetTown.objects.count(), School.objects.count(), BullyingReport.objects.count()) == counts
    assert "0 new demo cases" in output.getvalue()


def test_demo_cases_are_spread_over_time_so_the_dashboard_has_something_to_show():
    from schools import dashboards
    from tests.factories.schools import district_staff

    create_demo_schools_and_cases()

    board = dashboards.build(district_staff())

    months = next(chart for chart in board.charts if chart.slug == "month")
    assert len(months.bars) >= 2
    assert board.overdue, "the demo shows an overdue step"
    assert board.median_hours_to_acknowledge and board.median_hours_to_acknowledge > 1
    assert board.median_hours_to_determine and board.median_hours_to_determine > 24
