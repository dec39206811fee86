"""The participation rollup: every figure a dashboard reads equals a direct count of the records,
for every kind of scope; a completed course is counted again at once; a dashboard takes the same
number of queries whatever the district's size."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

import pytest

from accounts.roles import Role
from courses.models import Certificate, Enrolment
from participation import counts, rollups, selectors
from participation.models import Child, ParticipationRollup
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.courses import course_with_lessons
from tests.factories.participation import SchoolClassFactory, member_of, street, street_staff
from tests.factories.schools import district_staff, officer_of

pytestmark = pytest.mark.django_db

COMMON = ("totals", "by_course", "completions_by_month")
CODES = itertools.count(1)
TABLES = {  # what each kind of dashboard shows (participation.staff_views._tables)
    "district": (*COMMON, "by_school", "by_street", "by_class"),
    "school": (*COMMON, "by_school", "by_class"),
    "classes": (*COMMON, "by_class"),
    "street": (*COMMON, "by_school", "by_street", "by_class"),
}


def _figures(rows):
    rows = rows if isinstance(rows, list) else [rows]
    return [(r.label, r.registered, r.joined, r.enrolled, r.completed, r.certified) for r in rows]


def _certify(enrolment, code):
    return Certificate.objects.create(
        enrolment=enrolment,
        parent=enrolment.parent,
        course=enrolment.course,
        code=code,
        name="x",
        course_title="t",
        minutes=60,
        completed_on=timezone.localdate(),
    )


def _district(catalogue, size: int):
    """Two schools with two classes each, three streets, ``size`` parents per class; what tends to
    be counted twice or not at all: a parent with children in two schools, a course left, a revoked
    certificate, completions in earlier months and in none of the twelve, a parent without a street."""
    first, second = course_with_lessons(1, title="防范校园欺凌"), course_with_lessons(1, title="亲子沟通")
    streets = [street("xujiahui", "徐家汇街道"), street("longhua", "龙华街道"), street("huajing", "华泾镇")]
    class_a = SchoolClassFactory()
    classes = [class_a, SchoolClassFactory(parent_school=class_a.parent_school), SchoolClassFactory()]
    classes.append(SchoolClassFactory(parent_school=classes[2].parent_school))
    now = timezone.now()
    number = 0
    for school_class in classes:
        for _n in range(size):
            number += 1
            home = streets[number % 3] if number % 7 else None
            parent = member_of(school_class, street=home)
            if number % 2:
                enrolment = Enrolment.objects.create(
                    course=first, parent=parent, completed_at=now - datetime.timedelta(days=35 * (number % 14))
                )
                if number % 3 == 0:
                    certificate = _certify(enrolment, f"C{next(CODES):010d}")
                    if number % 9 == 0:
                        certificate.revoked_at = now
                        certificate.save()
            if number % 5 == 0:
                Enrolment.objects.create(course=second, parent=parent, status=Enrolment.Status.LEFT, completed_at=now)
            elif number % 4 == 0:
                Enrolment.objects.create(course=second, parent=parent)
    # A parent of class A who also has a child (no class yet) at the other school.
    twice = Child.objects.filter(school_class=class_a).first().parent
    Child.objects.create(parent=twice, school=classes[2].parent_school.school, grade=3)
    UserFactory(role=Role.PARENT)  # registered, nothing else
    return classes


@pytest.fixture
def world(catalogue):
    classes = _district(catalogue, 3)
    rollups.refresh()
    return classes


def _scopes(classes):
    school = classes[0].parent_school.school
    return [
        selectors.scope_of(district_staff()),
        selectors.scope_of(officer_of(school)),
        selectors.scope_of(classes[2].head_teacher),
        selectors.scope_of(street_staff("longhua")),
        selectors.scope_of(street_staff("xujiahui")),
    ]


def test_every_rollup_figure_equals_a_direct_count(world):
    for scope in _scopes(world):
        for table in TABLES[scope.kind]:
            direct = getattr(counts, table)(scope)
            assert _figures(getattr(selectors, table)(scope)) == _figures(direct), (scope.kind, table)
    district = selectors.scope_of(district_staff())
    assert selectors.totals(district).registered == 4 * 3 + 1
    assert any(row.completed for row in selectors.completions_by_month(district)[:-1])


def test_a_completed_course_is_counted_again_at_once(world, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    district = selectors.scope_of(district_staff())
    before = selectors.totals(district).completed
    enrolment = Enrolment.objects.filter(completed_at__isnull=True).exclude(status=Enrolment.Status.LEFT).first()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
    assert selectors.totals(district).completed == before + 1
    assert selectors.completions_by_month(district)[-1].completed == counts.completions_by_month(district)[-1].completed


def test_an_issued_certificate_is_counted_again_at_once(world, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    district = selectors.scope_of(district_staff())
    before = selectors.totals(district).certified
    enrolment = Enrolment.objects.filter(completed_at__isnull=False).exclude(parent__certificates__isnull=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        _certify(enrolment, "CNEW000001")
    assert selectors.totals(district).certified == before + 1 == counts.totals(district).certified


def test_the_beat_refreshes_the_rollup():
    from django.conf import settings

    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("refresh_participation_rollup")
    )
    assert entry["schedule"] <= 10 * 60


def test_a_dashboard_takes_as_many_queries_for_a_larger_district(client, catalogue, django_assert_max_num_queries):
    from django.core.cache import cache

    classes = _district(catalogue, 2)
    rollups.refresh()
    users = {
        "district": district_staff(),
        "school": officer_of(classes[0].parent_school.school),
        "classes": classes[0].head_teacher,
        "street": street_staff("longhua"),
    }

    def queries_of(user) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        sign_in_fully(client, user)
        client.get("/participation/stats/")  # the site cache filled once
        cache.clear()  # the rendered body too: count every query of a first reading
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/participation/stats/").status_code == 200
        return len(captured)

    small = {kind: queries_of(user) for kind, user in users.items()}
    assert max(small.values()) <= 30
    _district(catalogue, 12)  # four more classes and schools, four times the parents
    for _n in range(3):
        SchoolClassFactory(parent_school=classes[0].parent_school)
    rollups.refresh()
    for kind, user in users.items():
        sign_in_fully(client, user)
        client.get("/participation/stats/")
        cache.clear()
        with django_assert_max_num_queries(small[kind]):
            assert client.get("/participation/stats/").status_code == 200
    assert ParticipationRollup.objects.filter(kind="school").count() >= 4


def test_a_dashboard_read_again_shows_the_same_figures_without_counting_again(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in_fully(client, district_staff())
    first = client.get("/participation/stats/").content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/participation/stats/").content.decode()

    def body(html: str) -> str:
        return html[html.index('<dl class="dashboard-figures">') : html.rindex("</section>")]

    assert body(again) == body(first) and "<svg" in body(again) and 'data-table="street"' in body(again)
    assert not any("participation_participationrollup" in q["sql"] and "GROUP BY" in q["sql"] for q in captured)
    rollups.refresh()  # counted again: the dashboard says so
    later = client.get("/participation/stats/").content.decode()
    assert later.count('data-table="street"') == 1


def test_a_scope_with_nobody_in_it_shows_its_dashboard_without_counting_again(client, monkeypatch):
    """A school whose pupils' parents have not signed up has no rollup row: its dashboard shows
    zeros (and when the district was counted), and does not recount the whole district per view."""
    from tests.factories.schools import SchoolFactory, officer_of

    member_of(SchoolClassFactory())  # a parent in another school: the district has figures
    rollups.refresh()
    assert selectors.counted_at() is not None
    recounts: list[dict] = []
    monkeypatch.setattr(rollups, "refresh", lambda **kwargs: recounts.append(kwargs))
    sign_in_fully(client, officer_of(SchoolFactory()))

    response = client.get("/participation/stats/")

    assert response.status_code == 200
    assert recounts == []


def test_every_count_leaves_its_counted_at_marker_even_in_a_district_without_parents():
    assert selectors.counted_at() is None  # never counted
    rollups.refresh()
    first = selectors.counted_at()
    [marker] = ParticipationRollup.objects.filter(**rollups.MARKER)
    assert (first, marker.registered) == (marker.refreshed_at, 0)
    member_of(SchoolClassFactory())
    later = timezone.now() + datetime.timedelta(minutes=5)
    rollups.refresh(now=later)
    [marker] = ParticipationRollup.objects.filter(**rollups.MARKER)  # the district's own row, not a second one
    assert (selectors.counted_at(), marker.registered) == (later, 1)
