"""Load on the production stack at the seed's scale with locust (bench/locustfile.py), bounded, loopback only.

    make bench-load           # or: .venv/bin/python bench/load_run.py [--users 120 --seconds 120]
    make bench-load-faults    # the same with Redis restarted, a worker killed and the database's
                              # connections cut during the load, then bench/load_check.py

The database is the one DATABASE_URL names (your own: it is dropped and made again when it does
not hold the district yet) and Redis the one REDIS_URL names (your own redis-server: the fault
run restarts it). A first run copies the production template (migrated, demo content; see
tests/deploy/stack.py) and builds the district inside PostgreSQL with bench/district_data.py
(100,000 parents, 60 schools, 300,000 enrolments, 1,000,000 lesson-progress rows, 5,000 cases);
its stored files and encryption key stay in var/load/ for the next runs.

Then it starts `make prod` (gunicorn, worker, beat) on a spare port, with a recording SMS gateway
and mail server of its own; signs in ``--parents`` parents once through the sign-in form
(``--web-concurrency`` at a time, timed and reported apart: password hashing is meant to be slow);
gives the 50 school officers and the district staff sessions that passed their second factor;
runs locust headless for ``--seconds`` and prints throughput, p50/p95/p99 per request kind and
the errors, with the machine's load average before and after (the machine is shared: say so).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from bench.load_faults import Faults, Sinks, outbox_drained  # noqa: E402

STATE_DIR = REPO_DIR / "var" / "load"
PASSWORD = "Fu-Zai-Ce-Shi-2026"  # noqa: S105 - throw-away accounts of a throw-away database

BUILD = "from bench.district_data import *; seed_reference_data(); print(fill()); print(fill_cases())"

# Accounts for the run (idempotent): parents with an active enrolment in a video course get a
# password; one school officer per bench school and district staff get sessions that passed the
# second factor, made as tests/factories.sign_in_fully makes them.
PLAN = """
import json
from django.contrib.auth.hashers import make_password
from django.test import Client
from accounts.models import User
from accounts.roles import Role
from bench.district_data import SCHOOL_NAME
from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage
from schools.models import School, SchoolMembership
from tests.factories.accounts import UserFactory, sign_in_fully
CoursePage.objects.update(capacity=None)
lessons = {}
for lesson in LessonPage.objects.live().filter(media_duration_seconds__gt=0):
    lessons.setdefault(lesson.get_parent().pk, lesson)
enrolments = (Enrolment.objects.filter(status="active", course_id__in=lessons, parent__username__startswith="bench-p-")
              .order_by("parent_id").select_related("parent"))
parents = {}
for enrolment in enrolments.iterator():
    if len(parents) == __PARENTS__:
        break
    parents.setdefault(enrolment.parent_id, enrolment)
User.objects.filter(pk__in=parents).update(password=make_password(__PASSWORD__))
def session(user):
    client = Client()
    sign_in_fully(client, user)
    return {name: morsel.value for name, morsel in client.cookies.items()}
def account(username, role, number):
    user = User.objects.filter(username=username).first() or UserFactory(
        username=username, role=role, phone=f"+86135{number:08d}", email=f"{username}@example.invalid")
    return user
officers = []
for n, school in enumerate(School.objects.filter(name__startswith=SCHOOL_NAME).order_by("pk")[:__SCHOOLS__]):
    user = account(f"bench-officer-{n}", Role.SCHOOL_OFFICER, n)
    SchoolMembership.objects.get_or_create(user=user, school=school)
    officers.append({"id": user.pk, "school": school.pk, "cookies": session(user)})
staff = []
for n in range(__STAFF__):
    user = account(f"bench-district-{n}", Role.DISTRICT_STAFF, 1000 + n)
    staff.append({"id": user.pk, "cookies": session(user)})
def course_plan(enrolment):
    lesson = lessons[enrolment.course_id]
    quiz = enrolment.course.specific.quizzes().first()
    return {"id": enrolment.parent_id, "login": enrolment.parent.phone.removeprefix("+86"),
            "lesson": lesson.url, "lesson_id": lesson.pk, "quiz": quiz.url if quiz else None}
print(json.dumps({
    "catalogue": CourseIndexPage.objects.live().first().url,
    "courses": sorted(course.url for course in CoursePage.objects.live()),
    "parents": [course_plan(enrolment) for enrolment in parents.values()],
    "officers": officers,
    "staff": staff,
}))
"""

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=120, help="locust users in all (schools and staff included)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--parents", type=int, default=80, help="parents signed in before the run")
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--staff", type=int, default=5)
    parser.add_argument(
        "--web-concurrency", type=int, default=min(os.cpu_count() * 2 + 1, 12), help="gunicorn workers (as make prod)"
    )
    parser.add_argument("--faults", action="store_true", help="Redis restarted, a worker killed, connections cut")
    arguments = parser.parse_args()
    if arguments.seconds > 180:
        raise SystemExit("Keep a run bounded: --seconds 180 at most.")

    from tests.conftest import closed_port
    from tests.deploy import stack as stack_module
    from tests.deploy.stack import manage, production_environment, production_stack

    stack_module.START_DEADLINE = 600  # a shared machine under load starts the stack slowly

    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis://"):
        raise SystemExit("Set DATABASE_URL (your PostgreSQL database) and REDIS_URL (your redis-server).")
    run_dir = STATE_DIR / time.strftime("run-%Y%m%d-%H%M%S")
    run_dir.mkdir(parents=True)
    port = closed_port()
    sinks = Sinks(run_dir / "sent.jsonl")

    def environment_for(url: str, **settings: str) -> dict:
        return production_environment(
            database_url=url,
            redis_url=redis_url,
            var_dir=run_dir,
            port=port,
            WEB_CONCURRENCY=str(arguments.web_concurrency),
            CELERY_WORKER_CONCURRENCY="2",
            SMS_GATEWAY_URL=sinks.sms_url,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sinks.smtp_port),
            **settings,
        )

    files = prepare_database(database_url, environment_for)
    environment = environment_for(database_url, **files)
    code = (
        PLAN.replace("__PASSWORD__", repr(PASSWORD))
        .replace("__PARENTS__", str(arguments.parents))
        .replace("__SCHOOLS__", str(arguments.schools))
        .replace("__STAFF__", str(arguments.staff))
    )
    with sinks, production_stack(environment) as stack:
        plan = json.loads(manage(environment, "shell", "-c", code).strip().splitlines()[-1])
        plan["parents"] = sign_in(stack.port, plan["parents"], workers=arguments.web_concurrency)
        (run_dir / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
        print(
            f"{len(plan['parents'])} parents signed in, {len(plan['officers'])} school officers, "
            f"{len(plan['staff'])} district staff; load average before: {load_average()}",
            flush=True,
        )
        since = time.time()
        (run_dir / "started").write_text(str(since))
        faults = Faults(stack, database_url, redis_url, run_dir / "faults.log") if arguments.faults else None
        if faults:
            faults.start(arguments.seconds)
        locust(arguments, stack.port, run_dir, len(plan["officers"]), len(plan["staff"]))
        after = load_average()
        if faults:
            faults.join()
        print(f"load average after: {after}")
        report(run_dir / "locust_stats.csv", run_dir / "locust_failures.csv")
        print("\nwaiting for the outbox to drain…", flush=True)
        drained = outbox_drained(database_url, since=since, timeout=150)
        print(f"outbox {'drained' if drained else 'NOT drained after 150 s'}")
    from bench.load_check import check

    problems = check(database_url, run_dir, since=since)
    print(f"\nrun files: {run_dir}")
    return 1 if problems else 0


def prepare_database(database_url: str, environment_for) -> dict[str, str]:
    """The district in the database (built once), and the settings naming its stored files."""
    import psycopg

    from tests.deploy.stack import FILE_SETTINGS, _with_database, manage, production_template

    def filled() -> bool:
        with psycopg.connect(database_url, autocommit=True) as connection:
            has_users = connection.execute("SELECT to_regclass('schools_bullyingreport') IS NOT NULL").fetchone()[0]
            if not has_users:
                return False
            parents = connection.execute("SELECT count(*) FROM accounts_user WHERE username LIKE 'bench-p-%'")
            return parents.fetchone()[0] > 0 and (STATE_DIR / "key").exists()

    files = {setting: str(STATE_DIR / setting) for setting in FILE_SETTINGS}
    if filled():
        return {**files, "SCHOOLS_ENCRYPTION_KEYS": (STATE_DIR / "key").read_text()}
    template = production_template(environment_for)
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(_with_database(database_url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    template.copy_files(STATE_DIR)
    settings = {**files, "SCHOOLS_ENCRYPTION_KEYS": template.encryption_key}
    started = time.perf_counter()
    print(manage(environment_for(database_url, **settings), "shell", "-c", BUILD, timeout=1800))
    print(f"district built in {time.perf_counter() - started:.0f} s")
    (STATE_DIR / "key").write_text(template.encryption_key)
    return settings


def sign_in(port: int, parents: list[dict], *, workers: int) -> list[dict]:
    """Each parent signs in once through the form, ``workers`` at a time; timed apart."""
    base = f"http://127.0.0.1:{port}"

    def one(parent: dict) -> tuple[dict, float, str]:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.9.{parent['id'] % 250}.{parent['id'] % 199}"}
        started = time.perf_counter()
        try:
            status, cookies, body = http(base + "/accounts/login/", headers=headers)
            token = TOKEN.search(body)
            form = {"csrfmiddlewaretoken": token.group(1) if token else "", "login": parent["login"]}
            status, signed, body = http(
                base + "/accounts/login/",
                data={**form, "password": PASSWORD},
                headers={**headers, "Cookie": cookie_header(cookies), "Referer": f"https://127.0.0.1:{port}/"},
            )
        except OSError as error:
            return parent, time.perf_counter() - started, str(error)
        cookies.update(signed)
        error = "" if status == 302 and "sessionid" in "".join(cookies) else f"{status} {body[:120]!r}"
        return {**parent, "cookies": cookies}, time.perf_counter() - started, error

    timings, errors, signed_in = [], [], []
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for parent, seconds, error in pool.map(one, parents):
            timings.append(seconds * 1000)
            if error:
                errors.append(error)
            else:
                signed_in.append(parent)
    ordered = sorted(timings)
    percentile = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    print(
        f"sign in (before the run, {workers} at a time): {len(timings)} requests, {len(errors)} errors, "
        f"p50 {percentile(0.5):.0f} ms, p95 {percentile(0.95):.0f} ms, p99 {percentile(0.99):.0f} ms",
        flush=True,
    )
    for error in sorted(set(errors)):
        print(f"  sign-in error: {error}")
    return signed_in


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(url: str, *, data: dict | None = None, headers: dict) -> tuple[int, dict[str, str], str]:
    """One request without following redirects; the status, the cookies set, the body."""
    from urllib.error import HTTPError
    from urllib.parse import urlencode

    body = urlencode(data).encode() if data else None
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - loopback, http only
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=60)  # noqa: S310 - loopback, http only
    except HTTPError as error:
        response = error
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or ():
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, cookies, response.read().decode(errors="replace")


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def locust(arguments, port: int, run_dir: Path, schools: int, staff: int) -> None:
    subprocess.run(
        [
            str(REPO_DIR / ".venv/bin/locust"),
            "-f",
            str(REPO_DIR / "bench/locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(arguments.users),
            "--spawn-rate",
            str(arguments.spawn_rate),
            "--run-time",
            f"{arguments.seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(run_dir / "locust"),
        ],
        env={
            **os.environ,
            "LOAD_PLAN": str(run_dir / "plan.json"),
            "LOAD_RECEIPTS": str(run_dir / "receipts.jsonl"),
            "LOAD_SCHOOLS": str(schools),
            "LOAD_STAFF": str(staff),
        },
        check=False,
        timeout=arguments.seconds + 120,
        stdout=(run_dir / "locust.out").open("w"),
        stderr=subprocess.STDOUT,
    )


def report(stats: Path, failures: Path) -> None:
    print(f"\n{'kind':<26}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    with stats.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            print(
                f"{row['Name']:<26}{row['Request Count']:>9}{row['Failure Count']:>8}"
                f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            )
    if failures.exists():
        with failures.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                print(f"error: {row['Name']} {row['Error'][:160]} x{row['Occurrences']}")


if __name__ == "__main__":
    threading.current_thread().name = "load_run"
    sys.exit(main())
