"""The demo's parent schools: classes, parents in several streets with progress, the demo head
teacher's class and the demo child director's street all show something."""

from __future__ import annotations

import pytest

from accounts.models import User
from participation import selectors
from participation.models import GroupAssignment, ParentProfile, SchoolClass
from tests.factories.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo("--with-demo-users", "--skip-index")


def test_every_demo_school_has_classes_of_parents_in_several_streets(demo):
    assert SchoolClass.objects.values("parent_school").distinct().count() == 5
    assert SchoolClass.objects.count() == 10
    assert ParentProfile.objects.values("street").distinct().count() >= 4
    assert GroupAssignment.objects.filter(scope=GroupAssignment.Scope.GRADE, grade=7).exists()


def test_the_demo_head_teacher_and_child_director_see_figures(demo):
    head_teacher = User.objects.get(username="demo-head-teacher")
    scope = selectors.scope_of(head_teacher)
    totals = selectors.totals(scope)
    assert totals.registered == 6 and 0 < totals.completed < totals.registered
    director = User.objects.get(username="demo-child-director")
    assert selectors.totals(selectors.scope_of(director)).registered > 0
    district = selectors.scope_of(User.objects.get(username="demo-district"))
    assert all(row.registered for row in selectors.by_school(district))
    assert all(row.registered for row in selectors.by_street(district) if row.label in {"徐家汇街道", "龙华街道"})
    totals = selectors.totals(district)
    assert 0 < totals.certified < totals.completed < totals.enrolled
    assert selectors.completions_by_month(district)[-1].completed > 0


def test_loading_the_demo_twice_adds_nothing(demo):
    from io import StringIO

    from django.core.management import call_command

    before = (SchoolClass.objects.count(), User.objects.count(), GroupAssignment.objects.count())
    call_command("load_demo_content", "--with-demo-users", "--skip-index", stdout=StringIO())
    assert (SchoolClass.objects.count(), User.objects.count(), GroupAssignment.objects.count()) == before


def test_the_demo_has_two_upcoming_street_events_in_two_streets_and_one_held(demo):
    from django.utils import timezone

    from participation.street_event_selectors import event_figures
    from workstations.models import EventSignup, StreetEvent

    upcoming = StreetEvent.objects.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True)
    assert upcoming.count() == 2
    assert upcoming.values("workstation__street").distinct().count() == 2
    assert all(EventSignup.objects.live().filter(event=event).exists() for event in upcoming)
    figures = event_figures(["xujiahui"])
    assert figures.held == 1 and 0 < figures.attended < figures.signed_up
    before = (StreetEvent.objects.count(), EventSignup.objects.count())
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo_content", "--with-demo-users", "--skip-index", stdout=StringIO())
    assert (StreetEvent.objects.count(), EventSignup.objects.count()) == before
