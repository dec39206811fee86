"""Quiz submission (20-question quiz) and certificate generation throughput.

    make bench-quiz        # or: .venv/bin/python bench/quiz_bench.py [--runs 50]

In-process (no HTTP server): times starting, grading and submitting (through the Django test
client) a 20-question attempt, and building and issuing certificate PDFs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiai.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/huiai-quiz-bench.sqlite3")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    settings.CERTIFICATE_ROOT = Path(tempfile.mkdtemp())
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from courses import certificates, quizzes, services
    from courses.models import CoursePage, Question, QuizPage
    from courses.question_bank import option_stream
    from demo.recipes.courses import create_demo_courses
    from taxonomy.models import Topic

    create_demo_courses()
    course = CoursePage.objects.get(slug="online-safety")
    topic, _ = Topic.objects.get_or_create(slug="bench", defaults={"name": "基准测试"})
    while Question.objects.filter(topic=topic).count() < 40:
        q = Question(
            text=f"基准题 {time.time_ns()}",
            kind="multiple",
            options=option_stream([("甲", True), ("乙", True), ("丙", False), ("丁", False)]),
            explanation="解析",
            topic=topic,
        )
        q.save()
        q.save_revision().publish()
    quiz = QuizPage.objects.child_of(course).filter(slug="bench-quiz").first()
    if quiz is None:
        quiz = QuizPage(title="20 题测验", slug="bench-quiz", question_count=20, max_attempts=0)
        quiz.topics = [topic]
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
    group = Group.objects.get(name=Role.PARENT.group_name)
    submit_ms, http_ms, start_ms = [], [], []
    client = Client()
    for run in range(args.runs):
        parent = User.objects.create_user(
            username=f"bench-{time.time_ns()}", email=f"b{time.time_ns()}@x.invalid", name="基准家长"
        )
        parent.groups.add(group)
        services.enrol(parent, course)
        t = time.perf_counter()
        attempt = quizzes.start_attempt(parent, quiz)
        start_ms.append((time.perf_counter() - t) * 1000)
        answers = {row.position: sorted(row.revision.as_object().correct_ids()) for row in attempt.answers.all()}
        if run % 2:
            t = time.perf_counter()
            quizzes.submit_attempt(parent, attempt.pk, answers)
            submit_ms.append((time.perf_counter() - t) * 1000)
        else:
            client.force_login(parent)
            data = {f"q{p}": ids for p, ids in answers.items()}
            t = time.perf_counter()
            response = client.post(quiz.url + quiz.reverse_subpage("submit", args=[attempt.pk]), data)
            http_ms.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 302, response.status_code

    def show(name, values):
        values = sorted(values)
        print(
            f"{name}: n={len(values)} p50={statistics.median(values):.1f} ms "
            f"p95={values[int(len(values) * 0.95) - 1]:.1f} ms"
        )

    show("start 20-question attempt (service)", start_ms)
    show("grade 20-question attempt (service)", submit_ms)
    show("submit 20-question attempt (HTTP POST, in-process)", http_ms)
    # Certificates
    enrolments = []
    for _ in range(args.runs):
        parent = User.objects.create_user(
            username=f"cert-{time.time_ns()}", email=f"c{time.time_ns()}@x.invalid", name="王小明妈妈"
        )
        enrolment = services.enrol(parent, course)
        enrolment.completed_at = timezone.now()
        enrolment.save()
        enrolments.append(enrolment)
    certificates.register_font()
    t = time.perf_counter()
    for enrolment in enrolments:
        certificates.issue_certificate(enrolment)
    elapsed = time.perf_counter() - t
    print(
        f"certificates: {len(enrolments)} in {elapsed:.2f} s = {len(enrolments) / elapsed:.1f}/s "
        f"({1000 * elapsed / len(enrolments):.1f} ms each, PDF+QR+store)"
    )


if __name__ == "__main__":
    main()
