"""Load on the production stack with locust (bench/locustfile.py), bounded, loopback only.

Starts `make prod` as tests/deploy does (a copy of the template database with the demo content,
a redis-server of its own, spare port), adds ``--parents`` parent accounts enrolled in the demo's
video courses, runs locust headless for ``--seconds`` with ``--users`` users, prints throughput and
p50/p95/p99 per request kind with the errors, then stops everything and drops the database.

    make bench-load                        # or: .venv/bin/python bench/load_run.py --users 30 --seconds 60

Needs DATABASE_URL (PostgreSQL) and redis-server; numbers depend on the machine's other load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

PASSWORD = "Fu-Zai-Ce-Shi-2026"  # noqa: S105 - throw-away accounts of a throw-away database

SEED = """
import json
from django.contrib.auth.hashers import make_password
from accounts import roles
from accounts.models import User
from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.services.enrolment import enrol
lessons = list(LessonPage.objects.filter(live=True, media_duration_seconds__gt=0))
courses = {lesson.get_parent().specific for lesson in lessons}
# Every parent seated: a full course would waitlist them, and a waitlisted parent's saves are refused.
CoursePage.objects.filter(pk__in=[course.pk for course in courses]).update(capacity=None)
courses = {CoursePage.objects.get(pk=course.pk) for course in courses}
hashed = make_password(PASSWORD)
users = User.objects.bulk_create([
    User(username=f"load-{i}", phone=f"+86139{i:08d}", phone_verified=True, password=hashed) for i in range(PARENTS)
])
open_courses = set()
for user in users:
    roles.add_role(user, roles.Role.PARENT)
    for course in courses:
        try:
            enrol(user, course)
            open_courses.add(course.pk)
        except Exception:
            pass
print(json.dumps({
    "catalogue": CourseIndexPage.objects.live().first().url,
    "courses": sorted({course.url for course in courses}),
    "lessons": sorted(lesson.url for lesson in lessons if lesson.get_parent().pk in open_courses),
    "parents": [f"139{i:08d}" for i in range(PARENTS)],
    "password": PASSWORD,
}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--parents", type=int, default=40)
    parser.add_argument("--web-concurrency", default="3")
    arguments = parser.parse_args()

    from tests.conftest import closed_port, own_redis
    from tests.deploy.stack import (
        manage,
        production_environment,
        production_stack,
        production_template,
        scratch_database,
    )

    var_dir = Path(tempfile.mkdtemp(prefix="huiai-load-"))
    with own_redis() as redis:
        port = closed_port()

        def environment_for(database_url: str, **settings: str) -> dict:
            return production_environment(
                database_url=database_url,
                redis_url=redis.url,
                var_dir=var_dir,
                port=port,
                WEB_CONCURRENCY=arguments.web_concurrency,
                CELERY_WORKER_CONCURRENCY="2",
                **settings,
            )

        template = production_template(environment_for)
        with scratch_database("load", template=template.database) as database_url:
            environment = environment_for(
                database_url, SCHOOLS_ENCRYPTION_KEYS=template.encryption_key, **template.copy_files(var_dir)
            )
            with production_stack(environment) as stack:
                code = SEED.replace("PASSWORD", repr(PASSWORD)).replace("PARENTS", str(arguments.parents))
                plan = json.loads(manage(environment, "shell", "-c", code).strip().splitlines()[-1])
                if not plan["lessons"]:
                    raise SystemExit("the demo content has no video lesson open to enrolment")
                (var_dir / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
                print(f"{len(plan['parents'])} parents, {len(plan['lessons'])} lessons, {len(plan['courses'])} courses")
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
                        f"http://127.0.0.1:{stack.port}",
                        "--csv",
                        str(var_dir / "locust"),
                    ],
                    env={**os.environ, "LOAD_PLAN": str(var_dir / "plan.json")},
                    check=False,
                    timeout=arguments.seconds + 120,
                )
                report(var_dir / "locust_stats.csv", var_dir / "locust_failures.csv")
    return 0


def report(stats: Path, failures: Path) -> None:
    print(f"\n{'kind':<16}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    with stats.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            print(
                f"{row['Name']:<16}{row['Request Count']:>9}{row['Failure Count']:>8}"
                f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            )
    if failures.exists():
        with failures.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                print(f"error: {row['Name']} {row['Error']} x{row['Occurrences']}")


if __name__ == "__main__":
    sys.exit(main())
