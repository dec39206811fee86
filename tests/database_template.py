"""Migrated PostgreSQL databases kept on the server between test runs, to copy instead of migrating.

Running every migration from nothing takes half a minute or more on this project (Wagtail's,
allauth's and the apps' own, with their data migrations); ``CREATE DATABASE … TEMPLATE`` copies
the result in about a second. A template is kept on the server under a name that carries
``fingerprint()``: when a migration file, the settings, or the version of any installed
distribution that ships migrations changes, the name changes, the template is made again from
nothing (so migrating from nothing is still what the first run after any such change does), and
older templates of the same prefix are dropped. A CI run from a fresh clone finds the templates
the previous run on the same server left, like the files pytest's ``--reuse-db`` would keep.

Two users: every test database (tests/conftest.py, ``django_db_modify_db_settings``), and the
production stack's database with the demo content (tests/deploy/stack.py).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_DIR = Path(__file__).resolve().parent.parent


def _migration_files() -> list[Path]:
    """The apps' migration files: every app is a folder at the top of the project (the tests'
    own ``tests/migrations/`` holds tests, not migrations)."""
    return [path for path in REPO_DIR.glob("*/migrations/*.py") if path.parts[-3] != "tests"]


def fingerprint(extra_files: Iterable[Path] = ()) -> str:
    """Changes whenever a migrated database could: the migration files, the settings modules,
    ``extra_files``, and the version of every installed distribution that ships migrations
    (Wagtail, allauth…; installing an unrelated tool does not make the template again)."""
    from importlib import metadata

    digest = hashlib.sha256()
    files = [*_migration_files(), *(REPO_DIR / "huiai" / "settings").glob("*.py"), *extra_files]
    for path in sorted(set(files)):
        digest.update(path.relative_to(REPO_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    with_migrations = (
        f"{d.metadata['Name']}=={d.version}"
        for d in metadata.distributions()
        if any("/migrations/" in str(path) for path in d.files or ())
    )
    for distribution in sorted(with_migrations):
        digest.update(distribution.encode() + b"\0")
    return digest.hexdigest()[:12]


def with_database(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def kept_template(
    server_url: str,
    prefix: str,
    name: str,
    build: Callable[[str], None],
    complete: Callable[[], bool] = lambda: True,
) -> bool:
    """Makes sure the database ``name`` exists on the server of ``server_url``; returns True if
    this call made it.

    When it is missing (or ``complete()`` says what is kept beside it is not), every database
    whose name starts with ``prefix`` (older templates) is dropped, and ``build(url)`` fills a
    new, empty database that is then renamed to ``name``, so a build that fails half-way leaves
    no template behind. One process at a time does this (a
    PostgreSQL advisory lock on ``prefix``): the others wait, then find the template made.
    """
    import psycopg

    admin = with_database(server_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", [prefix])
        try:
            pattern = prefix.replace("_", r"\_") + "%"
            existing = {
                row[0] for row in connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [pattern])
            }
            if name in existing and complete():
                return False
            for stale in existing:  # this server's and this prefix's only
                connection.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
            building = name + "_building"
            connection.execute(f'CREATE DATABASE "{building}"')
            build(with_database(server_url, building))
            connection.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            return True
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", [prefix])


def migrated_test_template(server_url: str) -> str:
    """The name of a database migrated under the test settings, as pytest-django's set-up would
    leave a new test database (``migrate --run-syncdb``), made now if the server has none."""
    prefix = f"test_{urlsplit(server_url).path.lstrip('/') or 'huiai'}_tpl_"
    name = prefix + fingerprint()

    def build(url: str) -> None:
        environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "huiai.settings.test"}
        for variable in ("PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"):
            environment.pop(variable, None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--run-syncdb", "--verbosity", "0"],
            cwd=REPO_DIR,
            env=environment,
            check=True,
            timeout=900,
        )

    kept_template(server_url, prefix, name, build)
    return name
