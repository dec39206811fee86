"""Class codes: joining in two taps, expiry, rotation, wrong codes rate-limited."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest

from accounts.roles import Role
from courses.models import Assignment
from participation import services
from participation.models import Child, GroupAssignment, SchoolClass
from tests.factories.accounts import UserFactory
from tests.factories.participation import SchoolClassFactory

pytestmark = pytest.mark.django_db


def test_a_new_class_gets_a_readable_code_that_expires(school_class, settings):
    assert len(school_class.code) == services.CODE_LENGTH
    assert set(school_class.code) <= set(services.CODE_ALPHABET)
    days = (school_class.code_expires_at - timezone.now()).days
    assert settings.PARTICIPATION_CLASS_CODE_DAYS - 1 <= days <= settings.PARTICIPATION_CLASS_CODE_DAYS


def test_joining_with_the_code_links_the_child_to_school_grade_and_class(parent, school_class):
    child = services.join_class(parent=parent, code=school_class.code.lower(), consent=True)
    assert child.school_class == school_class
    assert child.school == school_class.parent_school.school and child.grade == school_class.grade
    assert services.join_class(parent=parent, code=school_class.code, consent=True).pk == child.pk
    assert Child.objects.filter(parent=parent).count() == 1


def test_joining_fills_in_a_child_already_on_the_profile(parent, school_class):
    services.save_profile(parent=parent, name="", street=None, consent=True)
    child = services.add_child(parent=parent, school=school_class.parent_school.school, grade=school_class.grade)
    joined = services.join_class(parent=parent, code=school_class.code, consent=False)
    assert joined.pk == child.pk and Child.objects.filter(parent=parent).count() == 1


def test_joining_without_consent_is_refused(parent, school_class):
    with pytest.raises(services.ParticipationError, match="consent"):
        services.join_class(parent=parent, code=school_class.code, consent=False)
    assert not Child.objects.filter(parent=parent).exists()


def test_a_wrong_code_says_so(parent, school_class):
    with pytest.raises(services.ParticipationError, match="not correct"):
        services.join_class(parent=parent, code="ZZZZZZZZ", consent=True)


def test_an_expired_code_says_it_expired(parent, school_class):
    SchoolClass.objects.filter(pk=school_class.pk).update(
        code_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(services.ParticipationError, match="expired"):
        services.join_class(parent=parent, code=school_class.code, consent=True)


def test_after_too_many_wrong_codes_even_the_right_one_waits(parent, school_class, settings):
    settings.PARTICIPATION_CODE_FAILURES_PER_HOUR = 3
    for _n in range(3):
        with pytest.raises(services.ParticipationError, match="not correct"):
            services.join_class(parent=parent, code="WRONG234", consent=True)
    with pytest.raises(services.ParticipationError, match="Too many"):
        services.join_class(parent=parent, code=school_class.code, consent=True)
    # Another parent is not held back by this one's mistakes.
    other = UserFactory(role=Role.PARENT)
    assert services.join_class(parent=other, code=school_class.code, consent=True).school_class == school_class


def test_rotating_retires_the_old_code_at_once(parent, school_class, head_teacher):
    old = school_class.code
    rotated = services.rotate_code(school_class=school_class, by=head_teacher)
    assert rotated.code != old
    with pytest.raises(services.ParticipationError, match="not correct"):
        services.join_class(parent=parent, code=old, consent=True)
    assert services.join_class(parent=parent, code=rotated.code, consent=True).school_class == school_class


def test_only_the_classs_head_teacher_or_school_rotates(school_class):
    other_teacher = SchoolClassFactory().head_teacher
    with pytest.raises(PermissionDenied):
        services.rotate_code(school_class=school_class, by=other_teacher)
    from tests.factories.schools import officer_of

    officer = officer_of(school_class.parent_school.school)
    assert services.rotate_code(school_class=school_class, by=officer).code


def test_a_parent_who_joins_later_gets_the_classs_live_assignments(parent, school_class, head_teacher, course):
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    group = services.assign_to_group(
        course=course, deadline=deadline, assigned_by=head_teacher, school_class=school_class
    )
    expired = GroupAssignment.objects.create(
        course=course,
        scope=GroupAssignment.Scope.SCHOOL,
        parent_school=school_class.parent_school,
        deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.join_class(parent=parent, code=school_class.code, consent=True)
    [assignment] = Assignment.objects.filter(parent=parent)
    assert assignment.deadline == deadline and assignment.course == course.specific
    assert group.assignments.filter(pk=assignment.pk).exists() and not expired.assignments.exists()


def test_join_page_from_the_qr_code_names_the_class_and_joins_with_one_button(client, parent, school_class):
    client.force_login(parent)
    page = client.get(f"/participation/join/{school_class.code}/")
    assert page.status_code == 200
    assert school_class.label in page.content.decode()
    response = client.post("/participation/join/", {"code": school_class.code}, follow=True)
    assert response.status_code == 200
    assert Child.objects.filter(parent=parent, school_class=school_class).exists()


def test_join_page_with_an_unknown_code_is_a_clear_404(client, parent):
    client.force_login(parent)
    response = client.get("/participation/join/NOPE2345/")
    assert response.status_code == 404
    assert "not correct or has expired" in response.content.decode() or "不正确" in response.content.decode()


def test_typing_a_wrong_code_shows_the_message_on_the_field(client, parent, school_class):
    client.force_login(parent)
    response = client.post("/participation/join/", {"code": "WRONG234"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Child.objects.filter(parent=parent).exists()
