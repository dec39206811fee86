"""`make prod` on one machine: the site, a worker and beat, started as deploy/README.md says.

One PostgreSQL database and one redis-server of the test's own, the production settings with
throw-away secrets, gunicorn on a spare port. A browser walks through gunicorn as visitors
arrive through the TLS proxy (X-Forwarded-Proto: https): the home page with its collected static
files, sign-in, a signed-in page. The worker runs a task published from outside, beat sends its
schedule, and every process writes to the one log file.
"""

from __future__ import annotations

import re
import secrets
import uuid

import pytest

from tests.e2e.conftest import CHINESE, DESKTOP, TIMEOUT_MS, check_page, shared_browser

from .conftest import GROUP, METRICS_TOKEN
from .stack import manage

# One stack for every deploy test: they stay on one xdist worker (make test runs --dist loadgroup).
pytestmark = [pytest.mark.e2e, pytest.mark.deploy, GROUP]

PASSWORD = "Qiu-Shui-2026-prod"
HASHED_STATIC = re.compile(r"/static/.+\.[0-9a-f]{12}\.(css|js)$")


@pytest.fixture
def stack(production):
    """The session's production stack (tests/deploy/conftest.py)."""
    return production


@pytest.fixture
def browser_page(stack):
    context = shared_browser().new_context(
        base_url=stack.url,
        viewport=DESKTOP,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        # What the TLS proxy adds to every request (deploy/nginx-proxy.conf).
        extra_http_headers={"X-Forwarded-Proto": "https"},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def test_visitor_signs_in_through_gunicorn(stack, browser_page):
    page = browser_page
    number = "139" + "".join(secrets.choice("0123456789") for _ in range(8))
    manage(
        stack.environment,
        "shell",
        "-c",
        "from accounts import roles; from accounts.models import User; "
        f"user = User.objects.create_user(username='prod-{number}', phone='+86{number}', "
        f"phone_verified=True, password='{PASSWORD}'); roles.add_role(user, roles.Role.PARENT)",
    )
    static_statuses: dict[str, int] = {}
    page.on(
        "response",
        lambda response: (
            static_statuses.__setitem__(response.url, response.status) if "/static/" in response.url else None
        ),
    )

    response = page.goto("/")
    assert response is not None and response.status == 200
    assert re.match(CHINESE, page.locator("html").get_attribute("lang") or "")
    hashed = [url for url in static_statuses if HASHED_STATIC.search(url)]
    assert hashed, f"no collected (hashed) stylesheet or script on the home page: {static_statuses}"
    assert all(status == 200 for status in static_statuses.values()), static_statuses
    check_page(page, "production-home")

    page.goto("/accounts/login/")
    login_field = page.locator("[name='login']")
    if not login_field.count():
        login_field = page.locator("[name='phone']")
    login_field.first.fill(number)
    page.locator("[name='password']").fill(PASSWORD)
    page.locator("form:has([name='password'])").locator("button[type='submit'], input[type='submit']").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")
    assert page.locator("form[action*='logout']").count(), f"not signed in after the password; at {page.url}"
    check_page(page, "production-signed-in")
    # The session cookie is marked Secure, as production sends it behind HTTPS.
    session = [cookie for cookie in page.context.cookies() if cookie["name"] == "sessionid"]
    assert session and session[0]["secure"] and session[0]["httpOnly"]


def test_worker_runs_a_task_published_on_the_production_broker(stack):
    token = uuid.uuid4().hex
    output = manage(
        stack.environment,
        "shell",
        "-c",
        "import time; from django.core.cache import cache; "
        "from home.tasks import heartbeat_key, record_heartbeat; "
        f"record_heartbeat.delay('{token}'); deadline = time.monotonic() + 30\n"
        f"while cache.get(heartbeat_key('{token}')) is None and time.monotonic() < deadline: time.sleep(0.2)\n"
        f"print('ran' if cache.get(heartbeat_key('{token}')) else 'not run')",
    )
    assert output.strip().endswith("ran"), f"the worker did not run the task:\n{stack.log()[-4000:]}"


def test_every_process_logs_to_one_file(stack):
    log = stack.log()
    assert "web.1" in log and "Listening at: http://127.0.0.1:" in log
    assert "worker.1" in log and "ready." in log
    assert "beat.1" in log and "beat: Starting..." in log
    assert "GET /healthz" in log  # gunicorn's access log is there too


def test_metrics_add_up_every_gunicorn_worker(stack):
    for _ in range(6):
        assert stack.get("/healthz/live")[0] == 200
    assert stack.get("/metrics")[0] == 404

    status, body = stack.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert status == 200
    counts = re.findall(
        r'huiai_http_request_duration_seconds_count\{method="GET",status="2xx",view="health_live"\} ([0-9.]+)',
        body.decode(),
    )
    assert counts and float(counts[0]) >= 6, body.decode()[:3000]
    assert "huiai_outbox_oldest_unsent_age_seconds" in body.decode()
    assert "huiai_celery_queue_length" in body.decode()
