"""Admin views for schools: district staff manage them; every other visitor is kept out."""

from __future__ import annotations

from django.urls import reverse

import pytest

from accounts.roles import Role
from schools.models import School, SchoolMembership
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.schools import StreetTownFactory, district_staff, officer_of

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "parent", "teacher", "editor", "officer_a_no_mfa", "officer_a", "officer_b", "district"]
LOGIN, ADMIN_HOME = "login", "admin-home"
ADMIN_URLS = [
    "schools_schools:index",
    "schools_schools:add",
    "schools_staff:index",
    "schools_street_towns:index",
]
EXPECTED = [LOGIN, LOGIN, ADMIN_HOME, ADMIN_HOME, LOGIN, LOGIN, LOGIN, 200]
CELLS = [(url, visitor, EXPECTED[index]) for url in ADMIN_URLS for index, visitor in enumerate(VISITORS)]


@pytest.fixture
def visitors(school_a, school_b):
    return {
        "anonymous": None,
        "parent": UserFactory(role=Role.PARENT),
        "teacher": UserFactory(role=Role.TEACHER),
        "editor": UserFactory(role=Role.EDITOR),
        "officer_a_no_mfa": officer_of(school_a, mfa=False),
        "officer_a": officer_of(school_a),
        "officer_b": officer_of(school_b),
        "district": district_staff(),
    }


@pytest.mark.parametrize(("url_name", "visitor", "expected"), CELLS, ids=[f"{u}-{v}" for u, v, _ in CELLS])
def test_admin_access_matrix(client, visitors, url_name, visitor, expected):
    if visitors[visitor] is not None:
        sign_in_fully(client, visitors[visitor])

    response = client.get(reverse(url_name))

    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    elif expected == ADMIN_HOME:
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == expected


def test_district_staff_add_a_school(client):
    street = StreetTownFactory()
    sign_in_fully(client, district_staff())

    response = client.post(
        reverse("schools_schools:add"),
        {"name": "新建示例小学", "street_town": street.pk, "level": "primary", "address": "示例路 9 号"},
    )

    assert response.status_code == 302
    assert School.objects.filter(name="新建示例小学", street_town=street).exists()


@pytest.mark.parametrize("visitor", ["parent", "teacher", "officer_a"])
def test_only_district_staff_reach_the_school_staff_add_page(client, visitors, visitor):
    sign_in_fully(client, visitors[visitor])

    response = client.get(reverse("schools_staff:add"))

    assert response.status_code == 302 and response["Location"] != reverse("schools:invite_officer")


def test_adding_school_staff_in_the_admin_opens_the_invitation_page(client, school_a):
    """No membership is made by hand: the admin's "Add" leads to the invitation (see test_role_grants)."""
    sign_in_fully(client, district_staff())
    officer = UserFactory(role=Role.SCHOOL_OFFICER)

    response = client.post(reverse("schools_staff:add"), {"user": officer.pk, "school": school_a.pk, "role": "officer"})

    assert response.status_code == 302 and response["Location"] == reverse("schools:invite_officer")
    assert not SchoolMembership.objects.filter(user=officer).exists()


def test_schools_cannot_be_deleted_through_the_admin(client, school_a, officer_a):
    from tests.factories.schools import submitted_case

    submitted_case(officer_a, school=school_a)
    sign_in_fully(client, district_staff())

    response = client.post(reverse("schools_schools:delete", args=[school_a.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert School.objects.filter(pk=school_a.pk).exists()
