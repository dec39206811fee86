"""One production stack for every test that needs it (tests/deploy/stack.py).

``production`` starts `make prod` once per test process (session scope), with a recording SMS
gateway in front of it; the modules that use it are marked ``xdist_group("production_stack")``
so that `make test` (``--dist loadgroup``) runs them all on one worker and the stack starts once.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import closed_port, own_redis

from .stack import (
    ProductionStack,
    production_environment,
    production_stack,
    production_template,
    scratch_database,
)

GROUP = pytest.mark.xdist_group("production_stack")
METRICS_TOKEN = "stack-metrics-token"


def sender_pid(client_port: int) -> int | None:
    """The process on this machine whose connection comes from ``client_port`` (needs ``ss``)."""
    owner = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{client_port} )"], capture_output=True, text=True
    ).stdout
    found = re.search(r"pid=(\d+)", owner)
    return int(found.group(1)) if found else None


def descendants(pid: int) -> set[int]:
    """Every process started (directly or not) by ``pid``."""
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.add(child)
            todo.append(child)
    return found


class SMSGateway:
    """The SMS gateway of accounts.sms.HTTPGatewaySMSBackend, recording what it accepted.

    A message is *accepted* when the gateway answered 200 to it, after ``delay`` seconds (a slow
    provider). Bodies containing a word in ``hold`` get no answer until ``release()``; ``held``
    lists their client ports, so a test can find the process waiting on one.
    """

    def __init__(self) -> None:
        self.accepted: list[dict] = []
        self.held: list[int] = []
        self.hold: set[str] = set()
        self.delay = 0.0
        # Messages containing this word: the first sender's first message gets its answer only once
        # a message from a second sender arrives (or after 30 s), so two senders are seen at work
        # side by side, the first one holding whatever it holds while it waits.
        self.rendezvous = ""
        self.rendezvous_senders: set[int | None] = set()
        self.met = threading.Event()
        self.condition = threading.Condition()
        self.waiting: list[threading.Event] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if any(word in message["body"] for word in gateway.hold):
                    released = threading.Event()
                    with gateway.condition:
                        gateway.waiting.append(released)
                        gateway.held.append(self.client_address[1])
                        gateway.condition.notify_all()
                    released.wait(30)
                    self.close_connection = True
                    return  # no answer: the sender never learns whether it was received
                if gateway.delay:
                    time.sleep(gateway.delay)
                message["sender"] = sender_pid(self.client_address[1])
                if gateway.rendezvous and gateway.rendezvous in message["body"]:
                    gateway.meet(message["sender"])
                with gateway.condition:
                    gateway.accepted.append(message)
                    gateway.condition.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def bodies(self, word: str) -> list[str]:
        with self.condition:
            return [message["body"] for message in self.accepted if word in message["body"]]

    def senders(self, word: str) -> set[int | None]:
        with self.condition:
            return {message["sender"] for message in self.accepted if word in message["body"]}

    def wait_for(self, predicate, timeout: float = 60) -> bool:
        with self.condition:
            return self.condition.wait_for(predicate, timeout)

    def meet(self, sender: int | None) -> None:
        with self.condition:
            first = not self.rendezvous_senders
            self.rendezvous_senders.add(sender)
            if len(self.rendezvous_senders) > 1:
                self.met.set()
        if first:
            self.met.wait(30)

    def release(self) -> None:
        with self.condition:
            self.hold.clear()
            for event in self.waiting:
                event.set()


@pytest.fixture(scope="session")
def sms_gateway() -> Iterator[SMSGateway]:
    gateway = SMSGateway()
    thread = threading.Thread(target=gateway.server.serve_forever, daemon=True)
    thread.start()
    yield gateway
    gateway.release()
    gateway.server.shutdown()
    gateway.server.server_close()


@pytest.fixture(scope="session")
def production(tmp_path_factory, sms_gateway) -> Iterator[ProductionStack]:
    """`make prod` on a copy of a database with the demo content (``production_template``) and a
    redis-server of its own."""
    var_dir = tmp_path_factory.mktemp("prod-var")
    with own_redis() as redis:
        port = closed_port()

        def environment_for(database_url: str, **settings: str) -> dict:
            # The browser speaks plain HTTP to gunicorn while the proxy's header says https, so
            # its Origin (http://…) is not the one Django expects (https://…): name it, as an
            # operator would for a second site address.
            return production_environment(
                database_url=database_url,
                redis_url=redis.url,
                var_dir=var_dir,
                port=port,
                CSRF_TRUSTED_ORIGINS=f"http://localhost:{port}",
                SMS_GATEWAY_URL=sms_gateway.url,
                CELERY_WORKER_NAME="worker-a@%h",
                BEAT_HEARTBEAT_SECONDS="1",
                METRICS_TOKEN=METRICS_TOKEN,
                **settings,
            )

        template = production_template(environment_for)
        with scratch_database("prodstack", template=template.database) as database_url:
            environment = environment_for(
                database_url, SCHOOLS_ENCRYPTION_KEYS=template.encryption_key, **template.copy_files(var_dir)
            )
            with production_stack(environment) as running:
                yield running
            assert running.stopped(), f"honcho did not stop every process on TERM:\n{running.log()[-4000:]}"
