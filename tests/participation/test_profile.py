"""A parent's profile: the real name on certificates, the street and children only with consent."""

from __future__ import annotations

from django.utils import timezone

import pytest

from courses.models import Certificate, Enrolment
from participation import services
from participation.models import Child, ParentProfile
from tests.factories.participation import street
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


def test_a_street_is_not_kept_without_consent(parent):
    with pytest.raises(services.ParticipationError, match="consent"):
        services.save_profile(parent=parent, name="张三", street=street(), consent=False)
    assert not ParentProfile.objects.filter(parent=parent, street__isnull=False).exists()


def test_consent_is_stamped_once_and_the_street_saved(parent):
    profile = services.save_profile(parent=parent, name="张三", street=street(), consent=True)
    first = profile.consented_at
    assert first is not None and profile.street.code == "xujiahui"
    again = services.save_profile(parent=parent, name="张三", street=None, consent=True)
    assert again.consented_at == first and again.street is None
    parent.refresh_from_db()
    assert parent.name == "张三"


def test_a_child_needs_the_guardians_consent_first(parent):
    school = SchoolFactory()
    with pytest.raises(services.ParticipationError, match="consent"):
        services.add_child(parent=parent, school=school, grade=7)
    services.save_profile(parent=parent, name="", street=None, consent=True)
    child = services.add_child(parent=parent, school=school, grade=7)
    assert (child.school, child.grade) == (school, 7)


def test_removing_a_child_deletes_it_and_only_the_parents_own(parent, django_user_model):
    services.save_profile(parent=parent, name="", street=None, consent=True)
    child = services.add_child(parent=parent, school=None, grade=3)
    other = django_user_model.objects.create(username="other-parent")
    with pytest.raises(services.ParticipationError):
        services.remove_child(parent=other, child_id=child.pk)
    services.remove_child(parent=parent, child_id=child.pk)
    assert not Child.objects.filter(pk=child.pk).exists()


def test_child_has_no_field_that_could_hold_a_name():
    fields = {field.name for field in Child._meta.get_fields()}
    assert not fields & {"name", "full_name", "birthday", "id_number", "birth_date"}


def test_the_certificate_waits_for_the_real_name_and_carries_it(parent, course, django_capture_on_commit_callbacks):
    from courses.tasks import build_certificate

    parent.name = ""
    parent.save(update_fields=["name"])
    enrolment = Enrolment.objects.create(course=course, parent=parent, completed_at=timezone.now())
    assert build_certificate.apply(args=[enrolment.pk]).get() is None
    assert not Certificate.objects.filter(parent=parent).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_profile(parent=parent, name="李四", street=None, consent=False)
    certificate = Certificate.objects.get(parent=parent)
    assert certificate.name == "李四"


def test_profile_page_shows_the_notice_and_saves(client, parent):
    client.force_login(parent)
    page = client.get("/participation/profile/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "PIPL" in text
    response = client.post(
        "/participation/profile/", {"name": "王五", "street": street().pk, "consent": "on"}, follow=True
    )
    assert response.status_code == 200
    assert ParentProfile.objects.get(parent=parent).street.code == "xujiahui"


def test_my_courses_asks_for_the_real_name_when_a_certificate_waits_for_it(client, parent, course):
    parent.name = ""
    parent.save(update_fields=["name"])
    Enrolment.objects.create(course=course, parent=parent, completed_at=timezone.now())
    client.force_login(parent)
    catalogue = course.get_parent().specific
    text = client.get(catalogue.url + catalogue.reverse_subpage("my_courses")).content.decode()
    assert 'href="/participation/profile/"' in text
