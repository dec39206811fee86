"""/healthz: 200 when database, cache and broker answer; 503, quickly, when one does not.

Anonymous callers learn only up or down; the checks are shown to a superuser, district staff
or a caller sending the configured HEALTHZ_TOKEN (the tests below use the token).
"""

from __future__ import annotations

import time

import pytest

from accounts.roles import Role, add_role
from tests.conftest import closed_port, hung_server, redis_cache_settings
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "monitoring-token-for-tests"


@pytest.fixture(autouse=True)
def _healthz_token(settings):
    settings.HEALTHZ_TOKEN = TOKEN


def get_health(client, token=TOKEN):
    started = time.monotonic()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get("/healthz", headers=headers)
    return response, time.monotonic() - started


def test_anonymous_caller_learns_only_up(client):
    response, _ = get_health(client, token=None)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_caller_learns_only_down(client, settings):
    settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{closed_port()}/0")

    response, _ = get_health(client, token=None)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.parametrize("token", ["wrong-token", "", TOKEN + "x", TOKEN[:-1]])
def test_wrong_token_gets_no_details(client, token):
    response = client.get("/healthz", headers={"Authorization": f"Bearer {token}"})
    assert response.json() == {"status": "ok"}


def test_token_in_the_query_string_gets_no_details(client):
    assert client.get(f"/healthz?token={TOKEN}").json() == {"status": "ok"}


def test_no_token_configured_means_no_bearer_gets_details(client, settings):
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", headers={"Authorization": "Bearer "}).json() == {"status": "ok"}


@pytest.mark.parametrize("role", [None, Role.PARENT, Role.TEACHER, Role.EDITOR, Role.SCHOOL_OFFICER])
def test_signed_in_non_operators_get_no_details(client, role):
    user = UserFactory()
    if role:
        add_role(user, role)
    client.force_login(user)
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize("kind", ["superuser", "district"])
def test_operators_get_details(client, kind):
    user = UserFactory(is_superuser=kind == "superuser", is_staff=kind == "superuser")
    if kind == "district":
        add_role(user, Role.DISTRICT_STAFF)
    client.force_login(user)
    body = client.get("/healthz").json()
    assert set(body["checks"]) == {"database", "cache", "broker"}


def test_healthy_returns_200_with_every_check_ok(client):
    response, _ = get_health(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    for name, check in body["checks"].items():
        assert check["ok"] is True, name
    # Tests run Celery eagerly; the check says so instead of pretending to reach a broker.
    assert body["checks"]["broker"]["detail"] == "eager"


def test_health_is_never_cached(client):
    response, _ = get_health(client)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_broker_down_returns_503_quickly(client, celery_broker):
    celery_broker(f"redis://127.0.0.1:{closed_port()}/0", eager=False)

    response, elapsed = get_health(client)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["error"]  # the exception type, never a message or URL
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert elapsed < 3, f"/healthz took {elapsed:.1f}s with the broker refusing connections"


def test_broker_hung_returns_503_within_bound(client, celery_broker):
    """A broker that accepts and never answers is bounded by the broker socket timeouts."""
    with hung_server() as port:
        celery_broker(f"redis://127.0.0.1:{port}/0", eager=False)
        response, elapsed = get_health(client)

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert elapsed < 10, f"/healthz took {elapsed:.1f}s with a hung broker"


def test_cache_down_returns_503(client, settings):
    settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{closed_port()}/0")

    response, elapsed = get_health(client)

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert elapsed < 5


def test_cache_returning_wrong_value_returns_503(client, monkeypatch):
    from home import views

    monkeypatch.setattr(views.cache, "get", lambda *args, **kwargs: None)

    response, _ = get_health(client)

    assert response.status_code == 503
    cache_check = response.json()["checks"]["cache"]
    assert cache_check["ok"] is False
    assert cache_check["error"] == "RuntimeError"


def test_error_details_do_not_leak_connection_strings(client, celery_broker):
    celery_broker(f"redis://:secret-password@127.0.0.1:{closed_port()}/0", eager=False)

    response, _ = get_health(client)

    assert response.status_code == 503
    assert b"secret-password" not in response.content
    assert b"127.0.0.1" not in response.content


@pytest.mark.redis
def test_healthy_against_real_redis_cache_and_broker(client, settings, redis_url, celery_broker):
    settings.CACHES = redis_cache_settings(redis_url)
    celery_broker(redis_url, eager=False)

    response, elapsed = get_health(client)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert all(check["ok"] for check in body["checks"].values())
    assert "detail" not in body["checks"]["broker"]  # a real broker was reached, not "eager"
    assert elapsed < 3
