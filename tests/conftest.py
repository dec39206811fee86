"""Shared test helpers: "skip or fail" for missing tools, real Redis, Celery broker switching.

Tests that need something outside Python (Chromium, a Redis server, ``node_modules/axe-core``)
are marked (``e2e``, ``redis``) or ask for a fixture below. When the tool is missing they skip
with the reason, except under ``HUIAI_REQUIRE_ALL=1`` (set by ``.ci/run``), where they FAIL with
the same reason, so CI can never pass by silently skipping the journeys or the worker test.

App-specific fixtures (users, pages, factories) belong in the apps' own test folders.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HUIAI_CHROMIUM", "/usr/bin/chromium")
AXE_JS = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"


def xdist_worker_number() -> int:
    """0 for a serial run, else pytest-xdist's worker number (PYTEST_XDIST_WORKER is "gw<n>")."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


# A dedicated database index, so tests never touch the data of a Redis in real use: 15 for a
# serial run, 15 - n for xdist worker n, so parallel workers never flush each other's keys.
# pytest-django gives each worker its own PostgreSQL test database the same way (test_huiai_gw<n>).
TEST_REDIS_DB = 15 - xdist_worker_number()
if TEST_REDIS_DB < 1:
    raise RuntimeError("at most 15 pytest-xdist workers: Redis database 0 is the one in real use")


def require_all() -> bool:
    """True when every optional tool is required (CI): missing ones fail instead of skipping."""
    return os.environ.get("HUIAI_REQUIRE_ALL", "") == "1"


def skip_or_fail(reason: str) -> None:
    """Skips the current test with ``reason``, or fails it under HUIAI_REQUIRE_ALL=1."""
    if require_all():
        pytest.fail(f"{reason} (HUIAI_REQUIRE_ALL=1 turns this skip into a failure)", pytrace=False)
    pytest.skip(reason)


# --- What is missing, and why -------------------------------------------------------------


def chromium_missing() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (make install)"
    return None


def axe_missing() -> str | None:
    if not AXE_JS.is_file():
        return f"axe-core is missing: {AXE_JS.relative_to(REPO_DIR)} not found (run `npm install` or `make test`)"
    return None


def redis_base_url() -> str:
    """The Redis server to test against: HUIAI_TEST_REDIS_URL, else REDIS_URL, else localhost."""
    return os.environ.get("HUIAI_TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_test_url(db: int = TEST_REDIS_DB) -> str:
    """``redis_base_url()`` on the dedicated test database index."""
    parts = urlsplit(redis_base_url())
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def redis_missing() -> str | None:
    url = redis_test_url()
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # noqa: BLE001 - any failure means "no usable Redis"
        return f"no Redis server answers at {url} ({type(error).__name__}: {error}); start redis-server"
    return None


def _bulk_serialized_rollback() -> None:
    """Serialized rollback (what each transactional test starts with: the rows the migrations
    made) stores its rows through ``tests.factories.bulk.load_rows``, many per INSERT, instead of
    Django's one save per object; the rows stored are the same."""
    from io import StringIO

    from django.core import serializers
    from django.db.backends.base.creation import BaseDatabaseCreation

    def deserialize_db_from_string(self, data):
        from tests.factories.bulk import load_rows

        alias = self.connection.alias
        load_rows(serializers.deserialize("json", StringIO(data), using=alias), using=alias)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string


def _flush_by_delete() -> None:
    """On PostgreSQL, the flush that ends each transactional test DELETEs every table's rows
    instead of one TRUNCATE of them all: TRUNCATE makes new files for ~150 tables and their
    indexes (0.3 s a flush here), DELETE of the few rows a test leaves takes 0.04 s. Every
    foreign key Django makes is deferrable, and checked when the flush's transaction commits, so
    the order does not matter; the database has no triggers of its own. A flush that resets
    sequences still truncates (``reset_sequences=True``)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {self.quote_name(table)}" for table in tables)]

    DatabaseOperations.sql_flush = sql_flush


def pytest_configure(config):
    """The process that starts the run (not an xdist worker) makes the folder where the demo
    snapshot is shared by all its workers (tests/factories/demo.py); workers inherit the variable."""
    _bulk_serialized_rollback()
    _flush_by_delete()
    if hasattr(config, "workerinput"):
        return
    from tests.factories import demo

    if not os.environ.get(demo.SHARED_DIR_VARIABLE):
        folder = demo.make_shared_dir()
        os.environ[demo.SHARED_DIR_VARIABLE] = str(folder)
        config._huiai_demo_snapshots = folder


def pytest_unconfigure(config):
    folder = getattr(config, "_huiai_demo_snapshots", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        from tests.factories import demo

        os.environ.pop(demo.SHARED_DIR_VARIABLE, None)


def sendable(value):
    """``value`` (a report serialised for pytest-xdist) with every string made encodable as UTF-8.

    A lone surrogate (text decoded with ``surrogateescape``, half of a split emoji) in a report
    makes execnet's UTF-8 encoding fail on the worker, outside any test: the worker stops with an
    INTERNALERROR, the controller's ``assert not crashitem`` ends the whole run, and the one report
    that says what happened never arrives. Such characters are written as ``\\udcxx`` instead.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {sendable(key): sendable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(sendable(item) for item in value)
    return value


@pytest.hookimpl(wrapper=True)
def pytest_report_to_serializable(config, report):
    """What a worker sends to the controller is always sendable (see ``sendable``)."""
    data = yield
    return sendable(data) if data is not None else data


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Marked tests skip (or fail under HUIAI_REQUIRE_ALL=1) when their tools are missing."""
    if item.get_closest_marker("e2e"):
        reason = chromium_missing() or axe_missing()
        if reason:
            skip_or_fail(reason)
    if item.get_closest_marker("redis"):
        reason = redis_missing()
        if reason:
            skip_or_fail(reason)


def _group_for_xdist(config, items) -> None:
    """Tests marked ``xdist_group`` go to one worker under ``--dist loadgroup`` (`make test`).

    pytest-xdist 3.8 groups them by appending ``@<group>`` to each item's ``_nodeid``, which
    pytest 9.2 no longer reads (the id now lives in ``_id``): every group was silently spread
    over all workers, so each worker built the group's module-wide data (and started the
    production stack) again. Where xdist's suffix did not take, it is set here the way pytest
    9.2 stores ids; tests/infra/test_xdist_groups.py fails if grouping is lost again.
    """
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers under --dist loadgroup
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        if names and item.nodeid.rfind("@") <= item.nodeid.rfind("]"):
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        if validate_django_db(marker)[0]:  # transaction=True
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own grouping (see _group_for_xdist)
def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the migrated data first (serialized rollback).

    A transactional test ends by emptying every table. Without serialized rollback the flush
    then recreates content types (post_migrate) with new ids and loses what data migrations
    made (Wagtail's root page, the role groups), so a later test that does restore the snapshot
    collides with those new rows. Applying it to all of them keeps each one independent.
    """
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and "django_db_serialized_rollback" not in names and _is_transactional(item):
            names.append("django_db_serialized_rollback")
    _group_for_xdist(config, items)


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL each test database (test_huiai, or test_huiai_gw<n> per xdist worker) is a copy
    of a template migrated once and kept on the server (tests/database_template.py): set-up takes
    seconds instead of running every migration in every worker. HUIAI_TEST_DB_MIGRATE=1 migrates
    each test database from nothing instead."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    url = os.environ.get("DATABASE_URL", "")
    if "postgresql" not in database["ENGINE"] or os.environ.get("HUIAI_TEST_DB_MIGRATE") == "1" or not url:
        return
    from tests.database_template import migrated_test_template

    database.setdefault("TEST", {})["TEMPLATE"] = migrated_test_template(url)


@pytest.fixture
def redis_url():
    """URL of the real Redis on the test database index, flushed before and after the test."""
    reason = redis_missing()
    if reason:
        skip_or_fail(reason)
    import redis

    url = redis_test_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def redis_cache_settings(url: str) -> dict:
    """A CACHES setting like production's (huiai/settings/base.py) for the Redis at ``url``."""
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "huiai",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2, "retry_seconds": 5},
        }
    }


def closed_port() -> int:
    """A loopback TCP port on which nothing listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def hung_server():
    """A loopback TCP server that accepts connections and never answers: a hung Redis.

    Yields its port. Accepted sockets are held open (never read, never written) until exit.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_forever():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)

    thread = threading.Thread(target=accept_forever, name="hung-redis", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        listener.close()


def _reset_celery_pools(app) -> None:
    """Drops the app's connection and producer pools, so the next publish uses the new broker.

    kombu keeps pools in a global registry keyed by connection: closing one and leaving it
    registered makes the next publish to that broker fail ("Acquire on closed pool").
    ``kombu.pools.reset()`` closes every pool and empties the registry.
    """
    from kombu import pools

    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def celery_broker(settings):
    """Points the Celery app (and Django settings) at another broker, eager off, then restores.

    Usage: ``celery_broker("redis://127.0.0.1:6379/15")``. Celery reads its configuration from
    Django settings once, so ``settings`` overrides alone do not reach it; this fixture updates
    ``app.conf`` and drops the connection pools built for the previous broker.
    """
    from huiai.celery import app

    keys = ("broker_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}

    def switch(url: str, *, eager: bool = False):
        from core import broker

        broker.reset()
        settings.CELERY_PUBLISH_RETRY_SECONDS = 0.2
        settings.CELERY_BROKER_URL = url
        settings.CELERY_TASK_ALWAYS_EAGER = eager
        _reset_celery_pools(app)
        app.conf.broker_url = url
        app.conf.task_always_eager = eager
        return app

    yield switch
    from core import broker

    broker.reset()
    _reset_celery_pools(app)
    for key, value in saved.items():
        app.conf[key] = value


@pytest.fixture(scope="session")
def chromium_executable():
    reason = chromium_missing()
    if reason:
        skip_or_fail(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def axe_script():
    reason = axe_missing()
    if reason:
        skip_or_fail(reason)
    return AXE_JS


def which(program: str) -> str | None:
    """``shutil.which`` that also looks in the virtualenv running the tests."""
    venv_bin = Path(sys.executable).parent
    candidate = venv_bin / program
    if candidate.is_file():
        return str(candidate)
    return shutil.which(program)


@pytest.fixture(autouse=True)
def _fresh_site_cache():
    """Each test starts with no site data remembered (core/site_cache.py) and an empty cache:
    what an earlier test kept would describe rows its rollback removed (site data, the search
    index's statistics), and rate-limit counts
    (anonymous reports, sign-in failures) would carry over from one test to the next."""
    from django.core.cache import cache

    from core import broker, page_cache, site_cache
    from search.ranking import forget_stats

    broker.reset()  # an outage an earlier test staged must not skip this test's publishing
    site_cache.clear()
    forget_stats()  # the search index's page count and field lengths, kept a minute per process
    with suppress(Exception):  # a test that replaced the cache with one that is down
        cache.clear()
        page_cache._cache().delete(page_cache.VERSION_KEY)
    yield
    site_cache.clear()


# --- A redis-server of the test's own ------------------------------------------------------


class OwnRedis:
    """A throw-away ``redis-server`` on ``port``: nothing saved, started and stopped by the test."""

    def __init__(self, binary: str, port: int):
        self.binary = binary
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
            finally:
                client.close()
        raise AssertionError(f"redis-server did not answer on port {self.port} within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def queued(self, queue: str = "celery") -> int:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            return client.llen(queue)
        finally:
            client.close()


@contextmanager
def own_redis():
    binary = which("redis-server")
    if binary is None:
        skip_or_fail("the redis-server binary is not installed (apt-get install redis-server)")
    server = OwnRedis(binary, closed_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
