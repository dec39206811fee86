"""Redis restarted under `make prod`: the site stays up and beat comes back (found by bench-load-faults).

Beat keeps its lock and schedule in Redis (celery-redbeat) and exits when Redis goes away;
honcho then stopped web and worker too, so a few seconds without Redis took the whole site down
until someone started it again. The Procfile now starts beat again; web and worker ride the
outage out on their own (the cache degrades, the worker reconnects).
"""

from __future__ import annotations

import atexit
import re
import subprocess
import time
from urllib.parse import urlsplit

import pytest

from .conftest import GROUP, METRICS_TOKEN

pytestmark = [pytest.mark.deploy, GROUP]


def heartbeat_age(production) -> float | None:
    status, body = production.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    found = re.search(rb"^huiai_beat_heartbeat_age_seconds (\S+)$", body, re.MULTILINE) if status == 200 else None
    return float(found.group(1)) if found else None


def test_a_redis_restart_keeps_the_site_up_and_beat_comes_back(production):
    port = str(urlsplit(production.environment["REDIS_URL"]).port)
    subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True, timeout=10, check=False)
    time.sleep(8)  # beat ticks every second here (BEAT_HEARTBEAT_SECONDS=1): it meets the outage
    server = subprocess.Popen(
        ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(server.terminate)  # the session's later tests use this one
    deadline = time.monotonic() + 90
    age = None
    while time.monotonic() < deadline:
        age = heartbeat_age(production)
        if age is not None and age < 5:
            break
        time.sleep(1)
    assert production.process.poll() is None, f"make prod stopped:\n{production.log()[-3000:]}"
    assert production.get("/healthz/live")[0] == 200
    assert "web.1 stopped" not in production.log()
    assert age is not None and age < 5, "no beat heartbeat after Redis came back"
