"""PostgreSQL unreachable: every page answers 503 with a page that says so, never a bare 500.

A person sending a report while the database is down must learn that it was not received (a
report that was accepted is never lost; one that could not be accepted must not look as if it
was). The page is rendered without the database, carries ``Retry-After`` and is never cached;
other server errors keep the 500 page (core/error_pages.py).
"""

from __future__ import annotations

import socket
from contextlib import contextmanager
from unittest import mock

from django.db import IntegrityError, OperationalError, connection
from django.test import Client
from django.urls import reverse

import pytest

from tests.factories.accounts import sign_in_fully
from tests.factories.home import home_page
from tests.factories.schools import SchoolFactory, officer_of
from tests.schools.helpers import report_form_data


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable():
    """The next connection goes to a port nobody listens on (PostgreSQL only)."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = str(a_closed_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "暂时无法使用" in html and "没有收到" in html  # what was being sent was not received
    assert "110" in html and "12355" in html  # who to call meanwhile


@pytest.mark.django_db(transaction=True)
def test_with_postgresql_down_pages_and_a_report_get_the_unavailable_page(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the outage is made by pointing PostgreSQL at a closed port")
    settings.PAGE_CACHE_SECONDS = 0
    home_page()
    school = SchoolFactory()
    officer = officer_of(school)
    client = Client(raise_request_exception=False)
    sign_in_fully(client, officer)
    anonymous = Client(raise_request_exception=False)

    with database_unreachable():
        for response in (
            anonymous.get("/"),
            anonymous.get(reverse("account_login")),
            client.get(reverse("schools:case_list")),
            client.post(reverse("schools:report_new"), report_form_data(school)),
        ):
            assert_unavailable_page(response)

    assert client.get(reverse("schools:case_list")).status_code == 200  # back as soon as it is


def session_load_raises(error):
    """Reading the session (SessionMiddleware, SESSION_ENGINE "db") raises ``error``."""
    return mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=error)


def sign_in_page_when_the_session_read_raises(client, error):
    """The sign-in page, requested with a session cookie whose read (in SessionMiddleware) raises."""
    client.raise_request_exception = False
    client.cookies["sessionid"] = "a-session-the-database-cannot-read"
    with session_load_raises(error):
        return client.get(reverse("account_login"))


@pytest.mark.django_db
def test_a_database_error_raised_in_a_middleware_gets_the_unavailable_page(client):
    response = sign_in_page_when_the_session_read_raises(
        client, OperationalError("server closed the connection unexpectedly")
    )
    assert_unavailable_page(response)


@pytest.mark.django_db
def test_other_server_errors_keep_the_500_page(client):
    response = sign_in_page_when_the_session_read_raises(client, IntegrityError("a bug"))
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_unavailable_page_renders_standalone_without_queries(db, django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(0):
        html = render_to_string("503.html")
    assert '<html lang="zh-Hans">' in html and "/static/css/site.css" in html
    assert "网站暂时无法使用" in html
