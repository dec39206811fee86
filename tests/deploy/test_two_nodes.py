"""Two machines against one PostgreSQL and one Redis (deploy/README.md, "Several machines").

Node A is the session's `make prod` (tests/deploy/conftest.py); node B is a second process set
of deploy/Procfile (gunicorn on another port, a second Celery worker and a second beat) on the
same database and Redis, as a second machine runs it after the first one migrated. Between them:
a session made on A is used on B; a page published elsewhere is not served stale by B's page
cache; one beat sends the schedule while the others wait for its lock; two workers racing over
the notification outbox send each message once; a worker process killed mid-task loses nothing.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import uuid
from http.cookies import SimpleCookie

import pytest

from tests.conftest import REPO_DIR, closed_port

from .conftest import GROUP, METRICS_TOKEN, descendants, sender_pid
from .stack import HONCHO, manage, production_stack

pytestmark = [pytest.mark.deploy, GROUP]

PASSWORD = "Liang-Ge-Jie-Dian-2026"


@pytest.fixture(scope="module")
def node_b(production, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("node-b")
    port = closed_port()
    environment = {
        **production.environment,
        "HUIAI_BIND": f"127.0.0.1:{port}",
        "HUIAI_VAR_DIR": str(var_dir),
        "LOG_DIR": str(var_dir / "log"),
        "CELERY_WORKER_NAME": "worker-b@%h",
        "SITE_URL": f"http://localhost:{port}",
        "DJANGO_SETTINGS_MODULE": "huiai.settings.production",
        "PATH": f"{REPO_DIR / '.venv/bin'}:{os.environ.get('PATH', '')}",
    }
    with production_stack(environment, HONCHO) as running:
        yield running


def request(node, method: str, path: str, cookies: dict | None = None, data: dict | None = None):
    """An HTTP request as the TLS proxy forwards it, with cookies sent by hand (they are Secure)."""
    import requests

    origin = f"https://127.0.0.1:{node.port}"
    headers = {"X-Forwarded-Proto": "https", "Referer": origin + path}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return requests.request(
        method, f"http://127.0.0.1:{node.port}{path}", headers=headers, data=data, allow_redirects=False, timeout=20
    )


def cookies_of(response) -> dict:
    jar = SimpleCookie()
    for header in response.raw.headers.getlist("Set-Cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def shell(node, code: str) -> str:
    return manage(node.environment, "shell", "-c", code).strip()


def test_a_session_made_on_one_node_is_used_on_the_other(production, node_b):
    number = "137" + str(uuid.uuid4().int)[:8]
    shell(
        production,
        "from accounts import roles; from accounts.models import User; "
        f"user = User.objects.create_user(username='node-{number}', phone='+86{number}', "
        f"phone_verified=True, password='{PASSWORD}'); roles.add_role(user, roles.Role.PARENT)",
    )
    form = request(production, "GET", "/accounts/login/")
    cookies = cookies_of(form)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    field = "login" if 'name="login"' in form.text else "phone"

    signed_in = request(
        production,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        data={"csrfmiddlewaretoken": token, field: number, "password": PASSWORD},
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    cookies.update(cookies_of(signed_in))

    on_b = request(node_b, "GET", "/workbench/", cookies=cookies)
    assert on_b.status_code == 200, on_b.headers.get("Location")
    anonymous_on_b = request(node_b, "GET", "/workbench/")
    assert anonymous_on_b.status_code == 302

    # Signing out on B ends the session on A too.
    form_b = request(node_b, "GET", "/accounts/logout/", cookies=cookies)
    token_b = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_b.text).group(1)
    request(node_b, "POST", "/accounts/logout/", cookies=cookies, data={"csrfmiddlewaretoken": token_b})
    assert request(production, "GET", "/workbench/", cookies=cookies).status_code == 302


def test_a_page_published_elsewhere_is_not_served_stale_by_the_other_nodes_page_cache(production, node_b):
    first = request(node_b, "GET", "/")
    again = request(node_b, "GET", "/")
    assert first.status_code == again.status_code == 200
    assert again.headers.get("X-Cache") == "hit", dict(again.headers)
    title = f"汇爱 {uuid.uuid4().hex[:8]}"

    # An editor publishes on node A (the publish signals run in that process, as in the admin).
    shell(
        production,
        "from home.models import HomePage; page = HomePage.objects.live().first(); "
        f"page.seo_title = page.title = '{title}'; page.save_revision().publish()",
    )

    after = request(node_b, "GET", "/")
    assert after.status_code == 200 and title in after.text
    assert after.headers.get("X-Cache") == "miss"
    assert title in request(production, "GET", "/").text


def test_one_beat_sends_the_schedule_while_the_others_wait_for_its_lock(production, node_b):
    mistaken = subprocess.Popen(
        [str(REPO_DIR / ".venv/bin/celery"), "--app", "huiai", "beat", "--loglevel=INFO"],
        cwd=REPO_DIR,
        env=node_b.environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # Beat's heartbeat (every second here) names the process that sent it.
        seen = json.loads(
            shell(
                production,
                "import json, time; from django.core.cache import cache; from home.tasks import BEAT_HEARTBEAT_KEY\n"
                "seen = {}; end = time.monotonic() + 8\n"
                "while time.monotonic() < end:\n"
                "    value = cache.get(BEAT_HEARTBEAT_KEY)\n"
                "    if value: seen[str(value['at'])] = value['origin']\n"
                "    time.sleep(0.1)\n"
                "print(json.dumps(seen))",
            ).splitlines()[-1]
        )
    finally:
        os.killpg(mistaken.pid, signal.SIGTERM)
        mistaken_output = mistaken.communicate(timeout=30)[0]

    assert len(seen) >= 4, seen  # about one a second
    assert len(set(seen.values())) == 1, f"more than one beat sent the schedule: {seen}"
    assert "beat: Acquired lock" in production.log()
    for standby in (node_b.log(), mistaken_output):
        assert "beat v5" in standby  # it runs, waiting for the lock (redbeat logs the wait at DEBUG)
        assert "Acquired lock" not in standby and "Sending due task" not in standby


def test_two_workers_racing_over_the_outbox_send_each_notification_once(production, node_b, sms_gateway):
    word = f"RACE-{uuid.uuid4().hex[:8]}"
    count = 24
    shell(
        production,
        "from schools.models import Notification; "
        "Notification.objects.bulk_create([Notification(channel='sms', address='+8613900000%03d' % i, "
        f"body='{word}-%d' % i) for i in range({count})])",
    )
    # A slow provider, and the first message answered only once the other worker sends one too:
    # the two delivery runs are at work side by side, the first one holding its row meanwhile.
    sms_gateway.delay = 0.05
    sms_gateway.rendezvous = word
    try:
        shell(
            production,
            "from schools.tasks import deliver_pending_notifications as task; task.delay(); task.delay()",
        )
        assert sms_gateway.wait_for(lambda: len(sms_gateway.bodies(word)) >= count, timeout=90)
        # Nothing is counted before every delivery run has ended: no task waiting or running.
        assert eventually(lambda: tasks_in_broker(production) == 0, timeout=60)
    finally:
        sms_gateway.delay = 0.0
        sms_gateway.rendezvous = ""

    bodies = sms_gateway.bodies(word)
    assert len(bodies) == len(set(bodies)) == count
    senders = sms_gateway.senders(word)
    assert senders & descendants(production.process.pid), "node A's worker sent nothing: no race"
    assert senders & descendants(node_b.process.pid), "node B's worker sent nothing: no race"
    unsent = shell(
        production,
        f"from schools.models import Notification; print(Notification.objects.filter(body__startswith='{word}', "
        "sent_at__isnull=True).count())",
    )
    assert unsent.splitlines()[-1] == "0"


def tasks_in_broker(node) -> float:
    """Tasks waiting plus tasks taken and not yet finished, from /metrics."""
    status, body = node.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200
    found = re.findall(r"^huiai_celery_(?:queue_length\{[^}]*\}|unacked) ([0-9.e+]+)$", body.decode(), re.MULTILINE)
    return sum(float(number) for number in found)


def eventually(condition, timeout: float) -> bool:
    """Polls ``condition`` (something another process brings about) until it holds or time is up."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_a_worker_process_killed_mid_task_loses_nothing(production, node_b, sms_gateway):
    word = f"HOLD-{uuid.uuid4().hex[:8]}"
    sms_gateway.hold.add(word)
    shell(production, f"from accounts.tasks import send_sms_task; send_sms_task.delay('+8613911112222', '{word}')")
    assert sms_gateway.wait_for(lambda: sms_gateway.held, timeout=60), "no worker took the task"
    pid = sender_pid(sms_gateway.held[-1])
    assert pid in descendants(production.process.pid) | descendants(node_b.process.pid)

    os.kill(pid, signal.SIGKILL)  # the process running the task dies before the gateway answered
    sms_gateway.release()

    assert sms_gateway.wait_for(lambda: sms_gateway.bodies(word), timeout=60), "the task was lost with its worker"
    assert len(sms_gateway.bodies(word)) == 1
    assert "WorkerLostError" in production.log() + node_b.log()
