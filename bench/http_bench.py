"""HTTP benchmark: Huiai's pages against a bare Django view, served the same way in the same run.

The site runs under gunicorn (2 sync workers, DEBUG off) on PostgreSQL with the demo content
plus at least 200 courses and 20,000 enrolments. ``wrk`` (Debian package) loads each page for
``--seconds`` with 16 connections, alternating with the bare view (A B A B), and the table
reports requests per second, p50/p99 latency, the ratio to the bare view and the page's SQL
query count. Everything stays on 127.0.0.1 and every run is bounded in time.

Two passes: "uncached" (the anonymous page cache off: every request routes, queries and
renders the page) and "cached" (anonymous pages from the page cache, core/page_cache.py;
signed-in pages are never cached, so they are measured in the first pass only). Both run as
production does, with the site data every page reads (site, settings, menu, sections, view
restrictions, taxonomy) kept per worker until content changes (core/site_cache.py), checked
against the content version in the cache on every request. The cache is Redis when one
answers at ``--redis-url`` (database 3 by default, flushed before each pass), else in-process
memory.

    make bench                       # or: .venv/bin/python bench/http_bench.py --seconds 20
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
PORT = 8199
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/huiai_bench"


def log(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed(courses: int, enrolments: int) -> dict:
    """Demo content plus generated courses, lessons, parents and enrolments; returns the URLs."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User
    from accounts.roles import Role, add_role
    from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage
    from library.models import LibraryIndexPage, ResourcePage

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo_content", "--with-demo-users", "--skip-index", verbosity=0, stdout=quiet)
    index = CourseIndexPage.objects.get()
    existing = CoursePage.objects.count()
    template = CoursePage.objects.live().first()
    lesson_template = LessonPage.objects.child_of(template).live().first()
    for number in range(existing, courses):
        course = CoursePage(
            title=f"压测课程 {number:03d}",
            slug=f"bench-course-{number:03d}",
            summary=template.summary,
            learning_objectives=template.learning_objectives,
            estimated_minutes=30,
        )
        index.add_child(instance=course)
        course.topics.set(template.topics.all())
        course.age_groups.set(template.age_groups.all())
        course.save_revision().publish()
        for lesson_number in range(3):
            lesson = LessonPage(
                title=f"第 {lesson_number + 1} 课",
                slug=f"lesson-{lesson_number + 1}",
                intro=lesson_template.intro,
                body=lesson_template.body.raw_data,
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
    parents_needed = enrolments // 10
    existing_parents = User.objects.filter(username__startswith="bench-parent-").count()
    User.objects.bulk_create(
        [
            User(username=f"bench-parent-{number:05d}", phone=f"+86139{number:08d}", phone_verified=True)
            for number in range(existing_parents, parents_needed)
        ]
    )
    parents = list(User.objects.filter(username__startswith="bench-parent-").values_list("pk", flat=True))
    course_ids = list(CoursePage.objects.live().values_list("pk", flat=True))
    if Enrolment.objects.count() < enrolments:
        Enrolment.objects.bulk_create(
            [
                Enrolment(parent_id=parent, course_id=course_ids[(position * 7 + offset) % len(course_ids)])
                for position, parent in enumerate(parents)
                for offset in range(10)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
    parent = User.objects.get(email="parent@demo.huiai.invalid")
    add_role(parent, Role.PARENT)
    for course_id in course_ids[:10]:
        Enrolment.objects.get_or_create(parent=parent, course_id=course_id)
    client = Client()
    client.force_login(parent)
    course = CoursePage.objects.live().order_by("pk").first()
    lesson = LessonPage.objects.child_of(course).live().first()
    pages = {
        "home": ("/", False),
        "catalogue": (index.url, False),
        "course": (course.url, False),
        "library": (LibraryIndexPage.objects.live().get().url, False),
        "resource": (ResourcePage.objects.live().order_by("pk").first().url, False),
        "lesson (signed in)": (lesson.url, True),
        "my courses (signed in)": (index.url + "mine/", True),
    }
    queries, cached_queries = {}, {}
    for name, (url, signed_in) in pages.items():
        browser = client if signed_in else Client()
        with override_settings(PAGE_CACHE_SECONDS=0):
            browser.get(url)  # warm caches the way a running server has them
            with CaptureQueriesContext(connection) as captured:
                response = browser.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name} ({url}) answered {response.status_code}; fix that before benchmarking")
        queries[name] = len(captured.captured_queries)
        if not signed_in:
            with override_settings(PAGE_CACHE_SECONDS=300):
                browser.get(url)
                with CaptureQueriesContext(connection) as captured:
                    response = browser.get(url)
            if response.get("X-Cache") != "hit":
                raise SystemExit(f"{name} ({url}) was not served from the page cache")
            cached_queries[name] = len(captured.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the planner, as autovacuum would give
    return {
        "pages": pages,
        "queries": queries,
        "cached_queries": cached_queries,
        "cookie": f"{client.cookies['sessionid'].key}={client.cookies['sessionid'].value}",
        "counts": {
            "courses": CoursePage.objects.live().count(),
            "lessons": LessonPage.objects.live().count(),
            "enrolments": Enrolment.objects.count(),
        },
    }


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "",
    }


def run_wrk(url: str, seconds: int, cookie: str | None) -> dict:
    command = ["wrk", "-t", "2", "-c", "16", "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(result.stdout)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20, help="wrk duration per run (default 20)")
    parser.add_argument("--courses", type=int, default=200)
    parser.add_argument("--enrolments", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--keep-database", action="store_true", help="reuse the database of an earlier run")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
        help="Redis for the cache (a database of its own: it is flushed); in-process memory when none answers",
    )
    parser.add_argument("--passes", default="uncached,cached", help="which passes to run (default: uncached,cached)")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=arguments.database_url,
        PYTHONPATH=str(REPO_DIR),
    )
    sys.path.insert(0, str(REPO_DIR))
    if not arguments.keep_database:
        recreate_database(arguments.database_url)
    started = time.monotonic()
    data = seed(arguments.courses, arguments.enrolments)
    log(f"Seeded in {time.monotonic() - started:.0f} s: {data['counts']}")

    redis_url = arguments.redis_url if redis_answers(arguments.redis_url) else ""
    log(f"cache: {'Redis ' + redis_url if redis_url else 'in-process memory (no Redis answered)'}")
    results = {}
    for pass_name, cache_seconds in (("uncached", 0), ("cached", 300)):
        if pass_name not in arguments.passes.split(","):
            continue
        signed_in_pages = pass_name == "uncached"  # signed-in pages are never cached
        pages = {name: page for name, page in data["pages"].items() if signed_in_pages or not page[1]}
        if redis_url:
            flush_redis(redis_url)
        results[pass_name] = serve_and_load(pages, data["cookie"], arguments.seconds, cache_seconds, redis_url)

    log("")
    log(f"gunicorn 2 sync workers, PostgreSQL, wrk 16 connections, {arguments.seconds} s per run, A B A B")
    loads = [result["load"] for result in results.values()]
    log(f"data: {data['counts']}; load average (1, 5, 15 min) before each pass: {loads}, after: {os.getloadavg()}")
    log("| page | pass | req/s | p50 ms | p99 ms | bare req/s | ratio | queries | non-2xx |")
    log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in data["pages"]:
        for pass_name in ("uncached", "cached"):
            row = results.get(pass_name, {"rows": {}})["rows"].get(name)
            if row is None:
                continue
            page, bare_rps, errors = row
            ratio = page["rps"] / bare_rps * 100 if bare_rps else 0
            queries = data["queries" if pass_name == "uncached" else "cached_queries"][name]
            log(
                f"| {name} | {pass_name} | {page['rps']:.0f} | {page['p50']:.1f} | {page['p99']:.1f} "
                f"| {bare_rps:.0f} | {ratio:.1f} % | {queries} | {errors} |"
            )


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - no Redis: the in-process cache is used instead
        return False


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).flushdb()


def serve_and_load(pages: dict, cookie: str, seconds: int, cache_seconds: int, redis_url: str) -> dict:
    """Starts gunicorn with the page cache on or off, loads each page A B A B, stops gunicorn."""
    env = os.environ.copy()
    env["PAGE_CACHE_SECONDS"] = str(cache_seconds)
    if redis_url:
        env["REDIS_URL"] = redis_url
    load = tuple(round(value, 2) for value in os.getloadavg())
    gunicorn = subprocess.Popen(
        [
            str(REPO_DIR / ".venv/bin/gunicorn"),
            "huiai.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=REPO_DIR,
        env=env,
    )
    rows = {}
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + "/bench/bare")
        for name, (url, signed_in) in pages.items():
            page_cookie = cookie if signed_in else None
            for _warm in range(2):  # each worker renders once (and, cached, stores) before the runs
                urllib.request.urlopen(base + url, timeout=30).close()  # noqa: S310 - loopback only
            bare_runs, page_runs = [], []
            for _round in range(2):  # A B A B
                bare_runs.append(run_wrk(base + "/bench/bare", seconds, page_cookie))
                page_runs.append(run_wrk(base + url, seconds, page_cookie))
            page = {key: sum(run[key] for run in page_runs) / 2 for key in ("rps", "p50", "p99")}
            bare_rps = sum(run["rps"] for run in bare_runs) / 2
            errors = sum(run["errors"] for run in page_runs)
            rows[name] = (page, bare_rps, errors)
            label = "cached" if cache_seconds else "uncached"
            log(f"  {name} ({label}): {page['rps']:.0f} req/s vs bare {bare_rps:.0f} req/s")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    return {"rows": rows, "load": load}


if __name__ == "__main__":
    main()
