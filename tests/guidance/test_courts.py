"""District staff manage the courts and their liaisons' accounts (each scoped to one court)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest

from accounts.roles import Role, has_role
from guidance import services
from guidance.models import Court, CourtLiaison
from guidance.services import GuidanceError
from tests.factories.accounts import UserFactory, sign_in_fully

pytestmark = pytest.mark.django_db

PHONE = "+8613800007777"


def test_district_staff_add_a_court_and_a_liaison_account_scoped_to_it(client, district):
    sign_in_fully(client, district)
    response = client.post(reverse("guidance:courts"), {"name": "上海市徐汇区人民法院"})
    assert response.status_code == 302
    court = Court.objects.get(name="上海市徐汇区人民法院")
    response = client.post(
        reverse("guidance:court_liaison_new", args=[court.pk]), {"name": "钱联络员", "phone": "13800007777"}
    )
    assert response.status_code == 302
    liaison = CourtLiaison.objects.get(court=court)
    assert liaison.user.phone == PHONE and liaison.user.name == "钱联络员"
    assert has_role(liaison.user, Role.COURT_LIAISON)
    page = client.get(reverse("guidance:courts")).content.decode()
    assert "上海市徐汇区人民法院" in page and "钱联络员" in page


def test_an_existing_account_with_that_phone_becomes_the_liaison_and_a_second_court_is_refused(district, the_court):
    user = UserFactory(phone=PHONE, phone_verified=True)
    link = services.add_liaison(by=district, court=the_court, name="钱联络员", phone=PHONE)
    assert link.user == user and has_role(user, Role.COURT_LIAISON)
    other = services.add_court(by=district, name="上海市第一中级人民法院")
    with pytest.raises(GuidanceError):
        services.add_liaison(by=district, court=other, name="钱联络员", phone=PHONE)
    assert get_user_model().objects.filter(phone=PHONE).count() == 1


def test_removing_a_liaison_ends_their_access(client, district, the_court, liaison):
    sign_in_fully(client, district)
    link = CourtLiaison.objects.get(user=liaison)
    assert client.post(reverse("guidance:court_liaison_remove", args=[link.pk])).status_code == 302
    liaison.refresh_from_db()
    assert not CourtLiaison.objects.filter(user=liaison).exists()
    assert not has_role(get_user_model().objects.get(pk=liaison.pk), Role.COURT_LIAISON)


def test_a_duplicate_court_is_refused(district, the_court):
    with pytest.raises(GuidanceError):
        services.add_court(by=district, name=f" {the_court.name} ")


def test_only_district_staff_manage_courts(client, worker, liaison, the_court):
    for user in (worker, liaison):
        with pytest.raises(PermissionDenied):
            services.add_court(by=user, name="某法院")
        with pytest.raises(PermissionDenied):
            services.add_liaison(by=user, court=the_court, name="某人", phone="+8613800008888")
        client.logout()
        sign_in_fully(client, user)
        assert client.get(reverse("guidance:courts")).status_code == 403
        assert client.post(reverse("guidance:courts"), {"name": "某法院"}).status_code == 403
    assert not Court.objects.filter(name="某法院").exists()
