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

PARENTS = 100_000
SCHOOLS = 60
CLASSES_PER_SCHOOL = 50
ENROLMENTS = 300_000
PROGRESS = 1_000_000
EXTRA_LESSONS_PER_COURSE = 4  # the demo's 6 courses have 14 lessons; 1,000,000 rows need more


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


def _seed_reference_data() -> dict:
    """Streets, demo courses (with extra lessons), workstations, 60 schools and their parent schools."""
    from courses.models import CoursePage
    from demo.builder import load
    from demo.recipes.courses import create_demo_courses
    from demo.recipes.workstations import create_demo_workstations
    from participation.models import ParentSchool
    from schools.models import School, StreetTown
    from tests.factories.courses import LessonPageFactory

    spec = load("schools.json")
    streets = [
        StreetTown.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "sort_order": n})[0]
        for n, row in enumerate(spec["street_towns"])
    ]
    create_demo_courses()
    for course in CoursePage.objects.live():
        for _n in range(EXTRA_LESSONS_PER_COURSE):
            LessonPageFactory(parent=course, slug=f"bench-lesson-{_n}")
    create_demo_workstations()
    schools = School.objects.bulk_create(
        School(
            name=f"基准学校{n:02d}",
            street_town=streets[n % len(streets)],
            level="junior" if n % 3 else "primary",
        )
        for n in range(SCHOOLS)
    )
    ParentSchool.objects.bulk_create(ParentSchool(school=school, name=f"{school.name}家长学校") for school in schools)
    return {"streets": len(streets)}


FILL_SQL = [
    # Classes: 50 per parent school, grades 1–9, codes unique.
    """
    INSERT INTO participation_schoolclass (parent_school_id, grade, name, code, code_expires_at)
    SELECT ps.id, 1 + (n %% 9), (n / 9 + 1) || '班', 'B' || lpad((ps.id * 100 + n)::text, 8, '0'),
           now() + interval '30 days'
    FROM participation_parentschool ps CROSS JOIN generate_series(0, %(classes_per_school)s - 1) AS n
    """,
    # Parents, in the Parents group, signed up over the last year.
    """
    INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                               is_active, date_joined, name, phone, phone_verified, elder_mode)
    SELECT '!', false, 'bench-p-' || n, '', '', '', false, true,
           now() - (n %% 365) * interval '1 day', '基准家长' || n, '+86137' || lpad(n::text, 8, '0'), true, false
    FROM generate_series(1, %(parents)s) AS n
    """,
    """
    INSERT INTO accounts_user_groups (user_id, group_id)
    SELECT u.id, g.id FROM accounts_user u, auth_group g WHERE u.username LIKE 'bench-p-%%' AND g.name = 'Parents'
    """,
    # Profiles: 95 % name a street.
    """
    INSERT INTO participation_parentprofile (parent_id, street_id, consented_at, updated_at)
    SELECT u.id,
           CASE WHEN u.id %% 20 = 0 THEN NULL ELSE (SELECT id FROM schools_streettown ORDER BY id
                OFFSET (u.id * 7) %% (SELECT count(*) FROM schools_streettown) LIMIT 1) END,
           now(), now()
    FROM accounts_user u WHERE u.username LIKE 'bench-p-%%'
    """,
    # Children: one per parent, a second for one parent in five; 85 % joined a class.
    """
    CREATE TEMP TABLE bench_class AS
    SELECT row_number() OVER (ORDER BY c.id) - 1 AS ordinal, c.id, c.grade, ps.school_id
    FROM participation_schoolclass c JOIN participation_parentschool ps ON ps.id = c.parent_school_id
    """,
    """
    INSERT INTO participation_child (parent_id, school_id, grade, school_class_id, joined_at)
    SELECT u.id, bc.school_id, bc.grade,
           CASE WHEN (u.id * 13 + k) %% 100 < 85 THEN bc.id END,
           CASE WHEN (u.id * 13 + k) %% 100 < 85 THEN now() - (u.id %% 300) * interval '1 day' END
    FROM accounts_user u
    CROSS JOIN generate_series(0, 1) AS k
    JOIN bench_class bc ON bc.ordinal = (u.id * 31 + k * 977) %% (SELECT count(*) FROM bench_class)
    WHERE u.username LIKE 'bench-p-%%' AND (k = 0 OR u.id %% 5 = 0)
    """,
    # Enrolments: 1–5 courses per parent (3 on average: 300,000), 40 % completed, 5 % left.
    """
    CREATE TEMP TABLE bench_course AS
    SELECT row_number() OVER (ORDER BY p.path) - 1 AS ordinal, p.id
    FROM courses_coursepage c JOIN wagtailcore_page p ON p.id = c.page_ptr_id
    """,
    """
    INSERT INTO courses_enrolment (course_id, parent_id, status, source, requested_at, enrolled_at, completed_at)
    SELECT bc.id, u.id,
           CASE WHEN (u.id + k) %% 20 = 0 THEN 'left' ELSE 'active' END, 'open',
           now() - ((u.id + k * 37) %% 360 + 5) * interval '1 day',
           now() - ((u.id + k * 37) %% 360 + 5) * interval '1 day',
           CASE WHEN (u.id * 3 + k) %% 5 < 2 THEN now() - ((u.id + k * 37) %% 360) * interval '1 day' END
    FROM accounts_user u
    CROSS JOIN generate_series(0, 4) AS k
    JOIN bench_course bc ON bc.ordinal = (u.id + k) %% (SELECT count(*) FROM bench_course)
    WHERE u.username LIKE 'bench-p-%%' AND k < 1 + (u.id * 7919) %% 5
    """,
    # Lesson progress: every lesson of a completed course, the first 1–4 of the others.
    """
    CREATE TEMP TABLE bench_lesson AS
    SELECT l.page_ptr_id AS id, c.page_ptr_id AS course_id,
           row_number() OVER (PARTITION BY c.page_ptr_id ORDER BY lp.path) - 1 AS ordinal
    FROM courses_lessonpage l JOIN wagtailcore_page lp ON lp.id = l.page_ptr_id
    JOIN wagtailcore_page cp ON lp.path LIKE cp.path || '%%' AND lp.depth = cp.depth + 1
    JOIN courses_coursepage c ON c.page_ptr_id = cp.id
    """,
    """
    INSERT INTO courses_lessonprogress (parent_id, lesson_id, first_opened_at, position_seconds, watched_intervals,
                                        watched_seconds, completed_at, updated_at)
    SELECT e.parent_id, bl.id, e.enrolled_at, 0, '[]', 300, coalesce(e.completed_at, e.enrolled_at), now()
    FROM courses_enrolment e JOIN bench_lesson bl ON bl.course_id = e.course_id
    WHERE e.completed_at IS NOT NULL OR bl.ordinal < 1 + e.id %% 4
    LIMIT %(progress)s
    """,
    # Certificates for 70 % of completions.
    """
    INSERT INTO courses_certificate (enrolment_id, parent_id, course_id, code, version, name, course_title, minutes,
                                     issuer, completed_on, issued_at, pdf)
    SELECT e.id, e.parent_id, e.course_id, 'BENCH' || e.id, 1, '基准家长', '课程', 60, '', e.completed_at::date,
           e.completed_at, ''
    FROM courses_enrolment e WHERE e.completed_at IS NOT NULL AND e.id %% 10 < 7
    """,
    "ANALYZE",
]


def _fill() -> dict[str, int]:
    from django.db import connection, transaction

    params = {"classes_per_school": CLASSES_PER_SCHOOL, "parents": PARENTS, "progress": PROGRESS}
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in FILL_SQL[:-1]:
            started = time.perf_counter()
            cursor.execute(statement, params)
            print(f"  {time.perf_counter() - started:6.1f} s  {' '.join(statement.split())[:70]}…", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return _counts()


def _counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "parents": "SELECT count(*) FROM accounts_user WHERE username LIKE 'bench-p-%%'",
        "schools": "SELECT count(*) FROM participation_parentschool",
        "classes": "SELECT count(*) FROM participation_schoolclass",
        "children": "SELECT count(*) FROM participation_child",
        "enrolments": "SELECT count(*) FROM courses_enrolment",
        "lesson progress": "SELECT count(*) FROM courses_lessonprogress",
        "certificates": "SELECT count(*) FROM courses_certificate",
    }
    with connection.cursor() as cursor:
        counts = {}
        for label, sql in tables.items():
            cursor.execute(sql)
            counts[label] = cursor.fetchone()[0]
    return counts


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
        _seed_reference_data()
    print(f"  {time.perf_counter() - started:6.1f} s  migrate, demo courses, 60 schools")
    if not _counts()["parents"]:
        _fill()
    counts = _counts()
    print("data: " + ", ".join(f"{value:,} {label}" for label, value in counts.items()))
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
