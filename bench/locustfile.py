"""Locust scenario on the production stack (bench/load_run.py starts it; loopback only).

A weekday evening in the district: visitors browsing the public pages; parents going through a
lesson (they open the lesson page first, as the player only exists there, then the player sends
their progress every few seconds of watching) and taking a quiz; the school officers of 50
schools filing bullying reports at the same time; district staff on their dashboards.

Everyone signed in uses the session they already hold (``LOAD_PLAN``, written by load_run.py):
parents signed in once through the sign-in form before the run (timed apart, as "sign in"),
staff and officers hold sessions that passed their second factor. Each simulated user takes one
account of its kind and keeps it. Every request goes as the TLS proxy forwards it
(``X-Forwarded-Proto: https``, a client address of its own per user).

What the server accepted is written to ``LOAD_RECEIPTS`` (one JSON line per accepted report or
progress save), which ``bench/load_check.py`` then looks for in the database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
import uuid

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PROXY = {"X-Forwarded-Proto": "https"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION = re.compile(r'name="(q\d+)" value="([^"]+)"')
SUBMIT = re.compile(r'action="([^"]*/attempt/\d+/submit/)"')
CASE = re.compile(r"/schools/cases/(\d+)/")
SEARCHES = ["欺凌", "家庭教育", "沟通", "青春期", "手机"]

_receipts = open(os.environ["LOAD_RECEIPTS"], "a", encoding="utf-8")  # noqa: SIM115 - for the run
_receipts_lock = threading.Lock()
_accounts = {kind: itertools.cycle(PLAN[kind]) for kind in ("parents", "officers", "staff")}


def receipt(**fields) -> None:
    """Something the server said it accepted, for load_check.py to find in the database."""
    with _receipts_lock:
        _receipts.write(json.dumps({**fields, "at": time.time()}) + "\n")
        _receipts.flush()


def proxied() -> dict[str, str]:
    """What nginx adds: the scheme, and a client address of its own per user (rate limits are per client)."""
    address = ".".join(str(random.randrange(1, 255)) for _ in range(3))  # noqa: S311 - not security
    return {**PROXY, "X-Forwarded-For": f"10.{address}"}


class Visitor(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers.update(proxied())

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def catalogue(self) -> None:
        self.client.get(PLAN["catalogue"], name="catalogue")

    @task(3)
    def course(self) -> None:
        self.client.get(random.choice(PLAN["courses"]), name="course")  # noqa: S311 - not security

    @task(1)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(SEARCHES)}, name="search")  # noqa: S311


class SignedIn(HttpUser):
    """A user holding a session: the cookies are kept by hand, as they are Secure (production) and
    this client speaks plain HTTP to gunicorn as nginx does, so the cookie jar would never send them."""

    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.client.headers.update(proxied())
        self.account = next(_accounts[self.kind])
        self.cookies: dict[str, str] = dict(self.account["cookies"])
        self.client.headers["Cookie"] = self.cookie_header()
        self.client.headers["Referer"] = self.client.base_url.replace("http://", "https://") + "/"

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def remember(self, response):
        self.cookies.update(response.cookies.get_dict())
        self.client.headers["Cookie"] = self.cookie_header()
        return response

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def expect(self, response, *statuses: int) -> bool:
        """Marks the request failed (with the reason the page gave) unless its status is expected."""
        if response.status_code in statuses:
            response.success()
            return True
        response.failure(f"{response.status_code} {response.text[:120]!r}")
        return False


class Parent(SignedIn):
    weight = 5
    wait_time = between(2, 5)
    kind = "parents"

    def on_start(self) -> None:
        super().on_start()
        self.lesson = self.account["lesson"]
        self.position = 0.0
        self.last_save = time.monotonic()
        self.open_lesson()

    def open_lesson(self) -> None:
        """The lesson page, where the player is: opening it is what starts the parent's record."""
        self.remember(self.client.get(self.lesson, name="lesson"))
        self.last_save = time.monotonic()

    @task(1)
    def lesson_page(self) -> None:
        self.open_lesson()

    @task(6)
    def save_progress(self) -> None:
        """What lesson-progress.js sends: the stretch watched since the last save, and the position."""
        now = time.monotonic()
        start = self.position
        self.position += round(now - self.last_save, 1)
        self.last_save = now
        with self.client.post(
            self.lesson + "progress/",
            data={"intervals": json.dumps([[start, self.position]]), "position": str(self.position)},
            headers={"X-CSRFToken": self.csrf()},
            name="progress save",
            catch_response=True,
        ) as response:
            if self.expect(response, 200):
                receipt(
                    kind="progress",
                    parent=self.account["id"],
                    lesson=self.account["lesson_id"],
                    position=response.json()["position"],
                )

    @task(1)
    def workbench(self) -> None:
        self.client.get("/workbench/", name="workbench")

    @task(1)
    def quiz(self) -> None:
        """Opens the course's quiz, starts an attempt, answers every question and submits it."""
        quiz = self.account.get("quiz")
        if not quiz:
            return
        self.remember(self.client.get(quiz, name="quiz page"))
        with self.client.post(
            quiz + "start/",
            data={"csrfmiddlewaretoken": self.csrf()},
            name="quiz start",
            allow_redirects=False,  # requests drops the Cookie header when it follows a redirect
            catch_response=True,
        ) as response:
            if not self.expect(response, 302):
                return
        page = self.remember(self.client.get(quiz, name="quiz page")).text
        submit = SUBMIT.search(page)
        if submit is None:  # passed already, or no attempt left: the page says so
            return
        answers: dict[str, str] = {}
        for name, value in QUESTION.findall(page):
            answers.setdefault(name, value)
        with self.client.post(
            submit.group(1),
            data={"csrfmiddlewaretoken": self.csrf(), **answers},
            name="quiz submit",
            catch_response=True,
        ) as response:
            self.expect(response, 200)


class SchoolOfficer(SignedIn):
    """One officer per school (``fixed_count`` of them): opens the report form, files a report."""

    fixed_count = int(os.environ.get("LOAD_SCHOOLS", "50"))
    wait_time = between(5, 15)
    kind = "officers"

    @task(4)
    def file_report(self) -> None:
        form = self.remember(self.client.get("/schools/cases/new/", name="report form"))
        token = TOKEN.search(form.text)
        draft_token = str(uuid.uuid4())
        with self.client.post(
            "/schools/cases/new/",
            data={
                **report_form(self.account["school"]),
                "draft_token": draft_token,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="report submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if self.expect(response, 302) and (case := CASE.search(response.headers.get("Location", ""))):
                receipt(kind="report", case=int(case.group(1)), draft_token=draft_token, school=self.account["school"])
            elif response.status_code == 302:
                response.failure(f"302 to {response.headers.get('Location')}")

    @task(1)
    def case_list(self) -> None:
        self.client.get("/schools/cases/", name="case list (school)")


def report_form(school: int) -> dict:
    """A complete report (the fields tests/schools/helpers.report_form_data posts)."""
    day = time.strftime("%Y-%m-%d", time.localtime(time.time() - 86400))
    return {
        "school": str(school),
        "incident_date": day,
        "incident_time": "10:30",
        "place": "playground",
        "bullying_types": ["verbal", "physical"],
        "narrative": "两名同学在操场上推搡并辱骂小华。",
        "frequency": "once",
        "injury": "none",
        "severity": "general",
        "guardians_notified": "True",
        "guardians_notified_at": f"{day}T16:00",
        "police_informed": "False",
        "immediate_measures": "班主任当场制止并分开学生。",
        "action": "submit",
        "students-TOTAL_FORMS": "1",
        "students-INITIAL_FORMS": "0",
        "students-MIN_NUM_FORMS": "0",
        "students-MAX_NUM_FORMS": "30",
        "students-0-role": "target",
        "students-0-grade": "五年级",
        "students-0-class_name": "3班",
    }


class Staff(SignedIn):
    """District staff: the case dashboard, the case list, the participation dashboard."""

    fixed_count = int(os.environ.get("LOAD_STAFF", "5"))
    wait_time = between(3, 8)
    kind = "staff"

    @task(2)
    def case_dashboard(self) -> None:
        self.client.get("/schools/cases/dashboard/", name="case dashboard")

    @task(2)
    def case_list(self) -> None:
        self.client.get("/schools/cases/", name="case list (district)")

    @task(2)
    def participation(self) -> None:
        self.client.get("/participation/stats/", name="participation dashboard")

    @task(1)
    def workbench(self) -> None:
        self.client.get("/workbench/", name="workbench (staff)")
