"""Inputs that used to answer 500 (issue 10, item 10): odd certificate codes, year 0001, NUL bytes.

Run these on PostgreSQL too (DATABASE_URL=postgres://…): NUL bytes only fail there.
"""

from __future__ import annotations

import pytest

from schools.models import BullyingReport
from tests.factories.courses import course_with_lessons
from tests.factories.home import home_page
from tests.factories.schools import SchoolFactory, officer_of

pytestmark = pytest.mark.django_db


# --- Certificate codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["/", "//", "   ", "---", "- -", "\t", "a/b", "\x00", "ABC\x00DEF", "%", "?", "#", "..", "\u202e", "x" * 5000],
)
def test_odd_typed_certificate_codes_answer_without_error(client, code):
    response = client.get("/certificates/verify/", {"code": code})
    assert response.status_code in {200, 302, 404}, response.status_code
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code in {200, 404}


@pytest.mark.parametrize("code", ["   ", "---", "- -"])
def test_a_code_of_only_spaces_or_dashes_shows_the_empty_form(client, code):
    response = client.get("/certificates/verify/", {"code": code})
    assert response.status_code == 200
    assert response.context["searched"] is False


@pytest.mark.parametrize("code", ["/", "a/b", "A\x00/", "x" * 5000, "ÄÖÜ"])
def test_a_malformed_code_is_simply_not_found(client, code):
    response = client.get("/certificates/verify/", {"code": code})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["%00", "A%00B", "%E2%80%AE", "x" * 300])
def test_odd_certificate_codes_in_the_path_answer_without_error(client, path):
    from tests.factories.accounts import UserFactory

    assert client.get(f"/certificates/verify/{path}/").status_code in {200, 302, 404}
    client.force_login(UserFactory())
    assert client.get(f"/certificates/{path}/download/").status_code == 404
    assert client.post(f"/certificates/{path}/name-correction/", {"requested_name": "x"}).status_code == 404


# --- NUL bytes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%00",
        "/search/?q=a%00b&type=%00&page=%00",
        "/search/suggest/?q=%00",
        "/search/suggest/?q=ab%00c",
        "/certificates/verify/?code=%00",
        "/?q=%00&%00=%00",
        "/accounts/login/?next=%00",
        "/schools/report/?x=%00",
    ],
)
def test_nul_bytes_in_query_parameters_answer_without_error(client, path):
    home_page()
    response = client.get(path)
    assert response.status_code < 500


def test_nul_bytes_in_the_search_query_are_dropped_not_stored(client):
    from wagtail.contrib.search_promotions.models import Query

    home_page()
    response = client.get("/search/", {"q": "家\x00庭"})
    assert response.status_code == 200
    assert all("\x00" not in stored for stored in Query.objects.values_list("query_string", flat=True))


@pytest.mark.parametrize("path", ["/%00/", "/a%00b/", "/%00"])
def test_nul_bytes_in_page_paths_answer_not_found(client, path):
    home_page()
    assert client.get(path).status_code == 404


def test_nul_bytes_in_an_enrolment_code_answer_without_error(client):
    from tests.factories.accounts import UserFactory

    home_page()
    course = course_with_lessons(1, enrolment_code="CODE1234")
    client.force_login(UserFactory())
    response = client.post(course.url + course.reverse_subpage("enrol"), {"code": "CODE\x001234"})
    assert response.status_code == 302


# --- Year 0001 and other far-away dates --------------------------------------------------------


@pytest.fixture
def officer_and_school(sign_in, client):
    school = SchoolFactory()
    officer = officer_of(school)
    sign_in(client, officer)
    return officer, school


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("police_informed_at", "0001-01-01T00:00"),
        ("police_informed_at", "0001-01-01T07:59"),
        ("guardians_notified_at", "0001-01-01 00:00"),
        ("guardians_notified_at", "1000-06-01T12:00"),
        ("incident_date", "0001-01-01"),
        ("police_informed_at", "9999-12-31T23:59"),
        ("incident_date", "9999-12-31"),
    ],
)
def test_far_away_dates_in_the_officer_report_form_are_refused_not_500(client, officer_and_school, field, value):
    _officer, school = officer_and_school
    data = {
        "school": school.pk,
        "narrative": "一段足够长的描述文字，用于测试。",
        "police_informed": "True",
        "guardians_notified": "True",
        field: value,
        "students-TOTAL_FORMS": "0",
        "students-INITIAL_FORMS": "0",
    }
    response = client.post("/schools/cases/new/", data)
    assert response.status_code == 400, response.status_code
    assert field in response.context["form"].errors
    assert not BullyingReport.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_far_away_dates_in_the_anonymous_report_form_are_refused(client, value):
    school = SchoolFactory()
    response = client.post(
        "/schools/report/",
        {"school": school.pk, "narrative": "一段足够长的描述文字，用于测试。", "incident_date": value},
    )
    assert response.status_code < 500
    assert not BullyingReport.objects.exists()


def test_the_wagtail_admin_date_fields_refuse_year_0001_too():
    from django.core.exceptions import ValidationError

    from wagtail.admin.panels import get_edit_handler

    from alliance.models import AllianceEventPage

    field = get_edit_handler(AllianceEventPage).get_form_class().base_fields["starts_at"]
    with pytest.raises(ValidationError, match="1900"):
        field.clean("0001-01-01 00:00")
    assert field.clean("2026-05-01 09:00").year == 2026


def test_nul_bytes_in_a_name_correction_are_dropped_not_a_500(client):
    from courses.models import NameCorrection
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import EnrolmentFactory, issued_certificate

    home_page()
    parent = UserFactory()
    course = course_with_lessons(1)
    issued_certificate(EnrolmentFactory(parent=parent, course=course))
    client.force_login(parent)
    response = client.post(
        "/certificates/ABCDEFGHJKLM/name-correction/", {"requested_name": "王\x00小明", "reason": "错\x00字"}
    )
    assert response.status_code == 302
    correction = NameCorrection.objects.get()
    assert (correction.requested_name, correction.reason) == ("王小明", "错字")
