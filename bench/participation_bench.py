"""Participation dashboards at the district's scale (issue 13, item 6), on PostgreSQL.

    make bench-participation        # or: .venv/bin/python bench/participation_bench.py [--runs 40] [--keep]

Builds, in a database of its own (``<your database>_bench``, dropped and made again unless
``--keep`` finds it filled), 100,000 parents (95 % with a street), 60 schools with a parent
school of 50 classes each (3,000 classes), about 120,000 children (85 % in a class),
300,000 enrolments (40 % completed over the last 12 months, 5 % left), 1,000,000
lesson-progress rows and a certificate for most completions. The rows are made by
``INSERT … SELECT generate_series`` inside PostgreSQL (the fastest bulk path: nothing crosses
the wire), then ``ANALYZE``d.

Then it counts the rollup the dashboards read (``participation.rollups.refresh``, as beat does),
timed, signs in one user per scope — district staff, a school officer, a head teacher of two
classes, a child director of a street — and times ``GET /participation/stats/`` through the
Django test client (middleware, selectors, template: the whole dashboard), ``--runs`` times after
one warm-up, and the district's street-ranking export. "first" is a dashboard's first reading
after a count of the rollup (selectors and rendering), "again" a later one (the rendered body is
kept until the next count). It prints p50 / p95 / max per dashboard and the queries each took.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from bench.district_data import counts, fill, seed_reference_data  # noqa: E402


def _bench_database_url() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/huiai")
    if not url.startswith("postgres"):
        sys.exit("This bench needs PostgreSQL: set DATABASE_URL to a postgres:// address.")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    return urlunsplit(parts._replace(path="/" + name)), urlunsplit(parts._replace(path="/postgres"))


def _prepare_database(bench_url: str, admin_url: str, keep: bool) -> None:
    """Makes the database afresh, or keeps it (``--keep``: what is missing is filled in)."""
    import psycopg

    name = urlsplit(bench_url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _scope_users() -> dict[str, object]:
    from accounts.models import User
    from accounts.roles import Role
    from participation.models import SchoolClass
    from schools.models import School, SchoolMembership
    from tests.factories.accounts import UserFactory
    from workstations.models import Workstation, WorkstationMembership

    def user(username: str, role: Role):
        phone = f"+86136000000{list(Role).index(role):02d}"
        return User.objects.filter(username=username).first() or UserFactory(
            username=username, role=role, phone=phone, email=f"{username}@example.invalid"
        )

    district = user("bench-district", Role.DISTRICT_STAFF)
    officer = user("bench-officer", Role.SCHOOL_OFFICER)
    school = School.objects.filter(name__startswith="基准学校").order_by("pk").first()
    SchoolMembership.objects.get_or_create(user=officer, school=school)
    head = user("bench-head-teacher", Role.HEAD_TEACHER)
    SchoolClass.objects.filter(pk__in=SchoolClass.objects.order_by("pk").values("pk")[:2]).update(head_teacher=head)
    director = user("bench-child-director", Role.CHILD_DIRECTOR)
    workstation = Workstation.objects.filter(kind="workstation").exclude(street="").order_by("pk").first()
    WorkstationMembership.objects.get_or_create(user=director, workstation=workstation)
    return {"district": district, "school": officer, "class": head, "street": director}


def _time(client, url: str, runs: int, *, first_reading: bool) -> tuple[list[float], int]:
    """Timings of ``runs`` requests; ``first_reading``: each the first after a count of the rollup
    (the kept rendering of the dashboard forgotten), else as read again until the next count."""
    from django.db import connection, reset_queries

    from participation import staff_views

    staff_views.STATS_BODY_SECONDS = 0 if first_reading else 15 * 60  # 0: the rendering is not kept
    response = client.get(url)  # warm-up (site cache, template loaders)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _n in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    connection.force_debug_cursor = True
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return timings, queries


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse a filled bench database")
    args = parser.parse_args()
    bench_url, admin_url = _bench_database_url()
    _prepare_database(bench_url, admin_url, args.keep)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiai.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from tests.factories.accounts import sign_in_fully

    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {urlsplit(bench_url).path.lstrip('/')}")
    from participation.models import ParentSchool

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not ParentSchool.objects.exists():
        seed_reference_data()
    print(f"  {time.perf_counter() - started:6.1f} s  migrate, demo courses, 60 schools")
    if not counts()["parents"]:
        fill()
    figures = counts()
    print("data: " + ", ".join(f"{value:,} {label}" for label, value in figures.items()))
    _refresh_rollups()
    users = _scope_users()
    print(f"\n{'dashboard':<34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}")
    pages = [(scope, "/participation/stats/") for scope in users]
    pages.append(("district", "/participation/stats/export.csv?table=street"))
    for first_reading in (True, False):
        for scope, url in pages:
            if "export" in url and not first_reading:
                continue
            client = Client()
            sign_in_fully(client, users[scope])
            timings, queries = _time(client, url, args.runs, first_reading=first_reading)
            label = (
                f"{scope} (street export)" if "export" in url else f"{scope}, {'first' if first_reading else 'again'}"
            )
            print(
                f"{label:<34}{statistics.median(timings):>9.1f}{_percentile(timings, 0.95):>9.1f}"
                f"{max(timings):>9.1f}{queries:>9}"
            )


def _refresh_rollups() -> None:
    """Counts the rollup the dashboards read (what beat does every few minutes), timed."""
    from participation.models import ParticipationRollup
    from participation.rollups import refresh

    started = time.perf_counter()
    rows = refresh()
    print(
        f"rollup refresh: {time.perf_counter() - started:.1f} s, {rows:,} rows ({ParticipationRollup._meta.db_table})"
    )


if __name__ == "__main__":
    main()
