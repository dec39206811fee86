"""What the load run needs beside locust: recording sinks for the notifications, and the faults.

``Sinks`` is the SMS gateway (tests/deploy's recording one) and a mail server (aiosmtpd) the
stack delivers to; every message they accept is appended to ``sent.jsonl`` (for e-mail with its
Message-ID, which names the outbox row), so bench/load_check.py can count deliveries per row.

``Faults`` does, during the load: your redis-server (REDIS_URL's port, never another) shut down
and started again empty, as a crash would leave it; a Celery pool process killed with SIGKILL
in the middle of whatever it runs; and the database outage a restart of PostgreSQL would be,
without restarting the server other people share: every connection to your database ended
(``pg_terminate_backend``), three times. Each is written to ``faults.log`` with its time.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import closed_port
from tests.deploy.conftest import SMSGateway, descendants

# Seconds into the run: (what, when); the run lasts --seconds (the last ones are scaled to it).
SCHEDULE = [
    ("database connections ended", 0.20),
    ("redis restarted", 0.35),
    ("database connections ended", 0.50),
    ("worker process killed", 0.60),
    ("database connections ended", 0.80),
]


class Sinks:
    """The SMS gateway and the mail server, running while the stack runs."""

    def __init__(self, path: Path):
        self.path = path
        self.gateway = SMSGateway()
        self.sms_url = self.gateway.url
        self.smtp_port = closed_port()
        self.lock = threading.Lock()
        self.controller = None

    def write(self, record: dict) -> None:
        with self.lock, self.path.open("a", encoding="utf-8") as sent:
            sent.write(json.dumps(record, ensure_ascii=False) + "\n")

    def __enter__(self) -> Sinks:
        from aiosmtpd.controller import Controller

        sinks = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                for address in envelope.rcpt_tos:
                    sinks.write(
                        {
                            "channel": "email",
                            "to": address,
                            "message_id": str(message["Message-ID"]),
                            "subject": str(message["Subject"]),
                        }
                    )
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.smtp_port)
        self.controller.start()
        self.thread = threading.Thread(target=self.gateway.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
        self.gateway.server.shutdown()
        self.gateway.server.server_close()
        for message in self.gateway.accepted:
            self.write({"channel": "sms", "to": message["to"], "body": message["body"]})


class Faults(threading.Thread):
    def __init__(self, stack, database_url: str, redis_url: str, log: Path):
        super().__init__(name="faults", daemon=True)
        self.stack = stack
        self.database_url = database_url
        self.redis_port = urlsplit(redis_url).port or 6379
        if self.redis_port == 6379:
            raise SystemExit("The fault run restarts Redis: give it a redis-server of your own (REDIS_URL), not 6379.")
        self.log = log
        self.seconds = 0

    def start(self, seconds: int) -> None:  # type: ignore[override]
        self.seconds = seconds
        super().start()

    def run(self) -> None:
        started = time.monotonic()
        actions = {
            "database connections ended": self.end_connections,
            "redis restarted": self.restart_redis,
            "worker process killed": self.kill_worker,
        }
        for what, fraction in SCHEDULE:
            time.sleep(max(0.0, started + fraction * self.seconds - time.monotonic()))
            try:
                detail = actions[what]()
            except Exception as error:  # noqa: BLE001 - written down, the run goes on
                detail = f"FAILED: {error}"
            line = f"{time.monotonic() - started:6.1f} s  {what}: {detail}"
            print(line, flush=True)
            with self.log.open("a", encoding="utf-8") as log:
                log.write(line + "\n")

    def end_connections(self) -> str:
        import psycopg

        name = urlsplit(self.database_url).path.lstrip("/")
        admin = self.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            ended = connection.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
        return f"{ended} connections to {name}"

    def restart_redis(self) -> str:
        """Shuts your redis-server down without saving and starts it again on the same port, empty
        (the same options the session's one has: no snapshot, no append-only file)."""
        port = str(self.redis_port)
        subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True, timeout=10, check=False)
        time.sleep(3)  # down for a few seconds, as a crash and a restart by the service manager
        subprocess.run(
            [
                "redis-server",
                "--port",
                port,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            cwd=tempfile.gettempdir(),
            check=True,
            timeout=10,
        )
        for _attempt in range(50):
            if (
                subprocess.run(["redis-cli", "-p", port, "ping"], capture_output=True, text=True).stdout.strip()
                == "PONG"
            ):
                return f"port {port} down 3 s, back empty"
            time.sleep(0.1)
        return f"port {port} did not answer after the restart"

    def kill_worker(self) -> str:
        """SIGKILL to one Celery pool process (its parent starts another, as in production)."""
        workers = []
        for pid in descendants(self.stack.process.pid):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                parent_command = Path(f"/proc/{parent}/cmdline").read_bytes().decode(errors="replace")
            except (OSError, ValueError):
                continue
            if (
                "celery" in command
                and " worker" in command
                and "celery" in parent_command
                and "worker" in parent_command
                and "respawn" not in parent_command  # the loop around the main process
            ):
                workers.append(pid)
        if not workers:
            return "no pool process found"
        os.kill(workers[0], signal.SIGKILL)
        return f"pid {workers[0]} (of {len(workers)} pool processes)"


def outbox_drained(database_url: str, *, since: float, timeout: float, quiet: float = 30) -> bool:
    """Waits until every outbox row written since ``since`` (a Unix time) is sent, and nothing new
    was written for ``quiet`` seconds: requests still queued at gunicorn when locust stopped are
    answered (to nobody) after it, and their reports announced then."""
    import psycopg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(database_url, autocommit=True) as connection:
                unsent, quiet_now = connection.execute(
                    "SELECT count(*) FILTER (WHERE sent_at IS NULL), "
                    "coalesce(max(created_at) < now() - make_interval(secs => %s), true) "
                    "FROM schools_notification WHERE created_at >= to_timestamp(%s)",
                    [quiet, since],
                ).fetchone()
                if unsent == 0 and quiet_now:
                    return True
        except psycopg.OperationalError:
            pass
        time.sleep(2)
    return False
