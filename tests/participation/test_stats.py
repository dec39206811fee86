"""Participation statistics: each scope sees its own, figures match a direct count, rankings,
exports without names, a constant number of queries."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from accounts.roles import Role
from courses.models import Certificate, Enrolment
from participation import rollups, selectors
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import course_with_lessons
from tests.factories.participation import SchoolClassFactory, member_of, street, street_staff
from tests.factories.schools import district_staff, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_world(catalogue):
    """Two schools; school A's class with 3 parents (2 enrolled, 1 completed and certified),
    school B's with 2 parents (1 completed); streets 徐家汇 and 龙华; one parent in no class."""
    course = course_with_lessons(1, title="防范校园欺凌")
    xujiahui, longhua = street("xujiahui", "徐家汇街道"), street("longhua", "龙华街道")
    class_a, class_b = SchoolClassFactory(), SchoolClassFactory()
    a = [member_of(class_a, street=xujiahui) for _n in range(3)]
    b = [member_of(class_b, street=longhua) for _n in range(2)]
    loner = UserFactory(role=Role.PARENT)
    now = timezone.now()
    Enrolment.objects.create(course=course, parent=a[0], completed_at=now)
    Enrolment.objects.create(course=course, parent=a[1])
    Enrolment.objects.create(course=course, parent=b[0], completed_at=now)
    certified = Enrolment.objects.get(parent=a[0])
    Certificate.objects.create(
        enrolment=certified,
        parent=a[0],
        course=course,
        code="TESTCODE2345",
        name="x",
        course_title="t",
        minutes=60,
        completed_on=timezone.localdate(),
    )
    rollups.refresh()
    return {"course": course, "class_a": class_a, "class_b": class_b, "a": a, "b": b, "loner": loner}


def test_district_totals_match_a_direct_count(district_world):
    scope = selectors.scope_of(district_staff())
    totals = selectors.totals(scope)
    from accounts.models import User

    parents = User.objects.filter(groups__name=Role.PARENT.group_name)
    assert totals.registered == parents.count() == 6
    assert totals.joined == 5
    assert totals.enrolled == Enrolment.objects.values("parent").distinct().count() == 3
    assert (totals.completed, totals.certified) == (2, 1)


def test_schools_and_streets_are_ranked_by_completion_rate(district_world):
    scope = selectors.scope_of(district_staff())
    schools = selectors.by_school(scope)
    school_b = district_world["class_b"].parent_school.school.name
    assert schools[0].label == school_b and schools[0].rate == 50.0
    streets = {row.label: row for row in selectors.by_street(scope)}
    assert (streets["徐家汇街道"].registered, streets["徐家汇街道"].completed) == (3, 1)
    assert streets["龙华街道"].rate == 50.0
    assert selectors.by_street(scope)[0].label == "龙华街道"


def test_a_school_officer_sees_only_their_school_and_its_classes(district_world):
    school_a = district_world["class_a"].parent_school.school
    scope = selectors.scope_of(officer_of(school_a))
    assert scope.kind == "school"
    assert selectors.totals(scope).registered == 3
    assert [row.label for row in selectors.by_school(scope)] == [school_a.name]
    assert [row.label for row in selectors.by_class(scope)] == [str(district_world["class_a"])]


def test_a_head_teacher_sees_only_their_classes(district_world):
    scope = selectors.scope_of(district_world["class_b"].head_teacher)
    assert scope.kind == "classes"
    assert (selectors.totals(scope).registered, selectors.totals(scope).completed) == (2, 1)


def test_a_child_director_sees_only_their_street(district_world):
    scope = selectors.scope_of(street_staff("longhua"))
    assert scope.kind == "street"
    assert selectors.totals(scope).registered == 2
    assert [row.label for row in selectors.by_street(scope)] == ["龙华街道"]


def test_a_parent_or_a_teacher_has_no_statistics(client, district_world):
    client.force_login(district_world["loner"])
    assert client.get("/participation/stats/").status_code == 403
    assert selectors.scope_of(UserFactory(role=Role.TEACHER)) is None


def test_the_district_export_names_schools_and_streets_but_no_parent(client, district_world):
    staff = district_staff()
    sign_in_fully(client, staff)
    for table in ("school", "street", "course"):
        response = client.get(f"/participation/stats/export.csv?table={table}")
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        for parent in [*district_world["a"], *district_world["b"]]:
            assert parent.name not in text and parent.masked_phone not in text
    rows = list(
        csv.reader(io.StringIO(client.get("/participation/stats/export.csv?table=street").content.decode("utf-8-sig")))
    )
    assert ["龙华街道", "2", "2", "1", "1", "0", "50.0"] in rows
    xlsx = client.get("/participation/stats/export.xlsx?table=school")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_dashboard_shows_the_ranking_with_a_table_twin(client, district_world):
    sign_in_fully(client, district_staff())
    response = client.get("/participation/stats/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in text and 'data-table="street"' in text and "龙华街道" in text


def test_the_dashboard_takes_a_constant_number_of_queries(client, district_world):
    sign_in_fully(client, district_staff())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/participation/stats/").status_code == 200
        return len(queries)

    count()
    few = count()
    course = district_world["course"]
    extra_class = SchoolClassFactory()
    for _n in range(5):
        parent = member_of(extra_class, street=street("huajing", "华泾镇"))
        Enrolment.objects.create(course=course, parent=parent, completed_at=timezone.now())
    course_with_lessons(1, title="第二门课")
    rollups.refresh()
    count()  # a new page empties the per-worker site cache: refilled once
    assert count() == few


def test_a_street_staff_member_opens_their_dashboard_without_names(client, district_world):
    client.force_login(street_staff("xujiahui"))
    response = client.get("/participation/stats/")
    text = response.content.decode()
    assert response.status_code == 200 and "徐家汇街道" in text
    assert all(parent.name not in text for parent in district_world["a"])
