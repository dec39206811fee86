"""Demo content: the 13 streets/towns, made-up schools and a case in every state, idempotently."""

from __future__ import annotations

import pytest

from schools.demo import create_demo_schools_and_cases
from schools.models import BullyingReport, School, State, StreetTown

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
    from accounts.demo import create_demo_users

    create_demo_users()
    create_demo_schools_and_cases()

    officer_cases = BullyingReport.objects.filter(created_by__username="demo-officer")
    assert officer_cases.count() == len(State.values)
