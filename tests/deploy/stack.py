"""The production process set, started the way a district's IT team starts it, for tests.

``ProductionStack`` runs ``make prod`` (deploy/Procfile under honcho: gunicorn, a Celery worker
and beat) with the production settings, on a spare port, against a PostgreSQL database and a
redis-server of the test's own, and stops it with the TERM a service manager sends. ``manage``
runs a management command with the same environment, as an operator would on that machine.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import REPO_DIR, closed_port, skip_or_fail
from tests.database_template import fingerprint, kept_template, with_database

# The virtualenv and the compiled translations are already made (by `make test`): `make` must not
# rebuild them under the other test processes' feet.
MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "messages"]
START_DEADLINE = 240  # seconds for check, collectstatic, migrate on an empty database, and start
STOP_DEADLINE = 40


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        skip_or_fail("the production stack needs PostgreSQL: set DATABASE_URL=postgres://…")
    return url


@contextmanager
def scratch_database(label: str, template: str | None = None) -> Iterator[str]:
    """A PostgreSQL database on the server of DATABASE_URL (empty, or a copy of ``template``),
    dropped afterwards."""
    import psycopg

    base = postgres_url()
    name = f"{urlsplit(base).path.lstrip('/') or 'huiai'}_{label}_{os.getpid()}"
    admin = with_database(base, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield with_database(base, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Where made templates keep their files (the demo's images, video, encrypted attachments): outside
# the clone, so a CI run from a fresh clone finds them beside the template database it left.
TEMPLATE_FILES = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huiai" / "test-templates"
FILE_SETTINGS = ("MEDIA_ROOT", "SCHOOLS_ATTACHMENT_ROOT", "CERTIFICATE_ROOT")


@dataclass(frozen=True)
class Template:
    """A database to copy a stack's from, its stored files, and the encryption key of its cases."""

    database: str
    files: Path
    encryption_key: str

    def copy_files(self, var_dir: Path) -> dict[str, str]:
        """The template's files copied under ``var_dir``; the settings that name them."""
        settings = {}
        for setting in FILE_SETTINGS:
            if (self.files / setting).is_dir():  # the demo stores no attachment, for one
                shutil.copytree(self.files / setting, var_dir / setting, dirs_exist_ok=True)
            settings[setting] = str(var_dir / setting)
        return settings


def production_template(environment_for) -> Template:
    """A database migrated and given the demo content under the production settings, to copy.

    `make prod`'s first start on an empty database is mostly ``migrate`` and the demo loader
    (2 × ~2 minutes on a busy machine); copying a database takes a second. The template is kept on
    the server (and its files in TEMPLATE_FILES) under a name carrying its fingerprint
    (tests/database_template.py), made again when that changes (older ones dropped). `make prod`
    still runs ``migrate`` on the copy and finds nothing to apply, as on a restart; migrating from
    nothing is what the test databases' template goes through, and the loader has tests of its
    own (tests/home/test_demo_content.py).
    ``environment_for(database_url, **settings)`` gives the environment the commands run in.
    """
    base = postgres_url()
    prefix = f"{urlsplit(base).path.lstrip('/') or 'huiai'}_prodtpl_"
    name = prefix + fingerprint(path for path in (REPO_DIR / "demo").rglob("*") if path.is_file())
    files = TEMPLATE_FILES / name

    def build(url: str) -> None:
        for stale in TEMPLATE_FILES.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        key = new_encryption_key()
        environment = environment_for(
            url, SCHOOLS_ENCRYPTION_KEYS=key, **{setting: str(files / setting) for setting in FILE_SETTINGS}
        )
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_demo_content")
        files.mkdir(parents=True, exist_ok=True)
        (files / "key").write_text(key)

    kept_template(base, prefix, name, build, complete=(files / "key").exists)
    return Template(database=name, files=files, encryption_key=(files / "key").read_text())


def new_encryption_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def production_environment(*, database_url: str, redis_url: str, var_dir: Path, port: int, **extra: str) -> dict:
    """What deploy/huiai.env.example asks an operator to set, with throw-away secrets."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "HUIAI_TEST_", "PYTEST_", "SCHOOLS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="huiai.settings.production",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        TRUSTED_PROXY_COUNT="1",
        SMS_BACKEND="accounts.sms.HTTPGatewaySMSBackend",
        SMS_GATEWAY_URL=f"http://127.0.0.1:{closed_port()}/send",
        SMS_GATEWAY_TOKEN=secrets.token_urlsafe(16),
        SCHOOLS_ENCRYPTION_KEYS=new_encryption_key(),
        BACKUP_PASSPHRASE=secrets.token_urlsafe(24),
        GUIDANCE_SIGNING_KEY=secrets.token_hex(32),
        BACKUP_DIR=str(var_dir / "backups"),
        EMAIL_PORT=str(closed_port()),
        SITE_URL=f"http://localhost:{port}",
        HUIAI_BIND=f"127.0.0.1:{port}",
        HUIAI_VAR_DIR=str(var_dir),
        LOG_DIR=str(var_dir / "log"),
        WEB_CONCURRENCY="2",
        CELERY_WORKER_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
    )
    environment.update(extra)
    return environment


def manage(environment: dict, *arguments: str, timeout: float = 300) -> str:
    """``manage.py <arguments>`` under the production settings; its output, or a failure with it."""
    result = subprocess.run(
        [str(REPO_DIR / ".venv/bin/python"), "manage.py", *arguments],
        cwd=REPO_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


# A further machine whose database is already migrated: the processes of deploy/Procfile only.
HONCHO = [".venv/bin/honcho", "--no-colour", "--env", "/dev/null", "--procfile", "deploy/Procfile", "start"]


class ProductionStack:
    """``make prod`` (or ``command``) in its own session; ``stop()`` sends TERM as systemd would."""

    def __init__(self, environment: dict, command: list[str] | None = None):
        self.environment = environment
        self.command = command or [*MAKE, "prod"]
        self.port = int(environment["HUIAI_BIND"].rsplit(":", 1)[1])
        self.log_path = Path(environment["LOG_DIR"]) / "huiai.log"
        self.output_path = Path(environment["HUIAI_VAR_DIR"]) / "make-prod.out"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> None:
        output = open(self.output_path, "wb")  # noqa: SIM115 - closed when the process ends
        self.process = subprocess.Popen(
            self.command,
            cwd=REPO_DIR,
            env=self.environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        output.close()
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"make prod exited with {self.process.returncode}:\n{self.output()}")
            if self.get("/healthz")[0] == 200:
                return
            time.sleep(0.5)
        raise AssertionError(f"make prod did not answer /healthz within {START_DEADLINE}s:\n{self.output()}")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        """A GET as the TLS proxy forwards it (X-Forwarded-Proto: https)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"X-Forwarded-Proto": "https", **(headers or {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            return 0, b""

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")[-6000:] if self.output_path.exists() else ""

    def log(self) -> str:
        # honcho started on its own (not by `make prod`) writes to its output only.
        path = self.log_path if self.log_path.exists() else self.output_path
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # honcho stops its processes on TERM and says so for each one in the log.
        deadline = time.monotonic() + STOP_DEADLINE
        while time.monotonic() < deadline and not self.stopped():
            time.sleep(0.5)

    def stopped(self) -> bool:
        log = self.log()
        return all(f"{name}.1 stopped" in log for name in ("web", "worker", "beat"))


@contextmanager
def production_stack(environment: dict, command: list[str] | None = None) -> Iterator[ProductionStack]:
    stack = ProductionStack(environment, command)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
