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
