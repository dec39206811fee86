"""Locust scenario on the production stack (bench/load_run.py starts it; loopback only).

Two kinds of user, as on a weekday evening: visitors browsing the public pages (home, the course
catalogue, a course, a search) and signed-in parents going through a lesson (the lesson page,
progress saves every few seconds as the player sends them, their workbench). What they visit
comes from ``LOAD_PLAN`` (JSON written by load_run.py): the URLs and the parents' accounts.
Every request is sent as the TLS proxy forwards it (``X-Forwarded-Proto: https``).
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PROXY = {"X-Forwarded-Proto": "https"}


def proxied() -> dict[str, str]:
    """What nginx adds: the scheme, and a client address of its own per user (rate limits are per client)."""
    address = ".".join(str(random.randrange(1, 255)) for _ in range(3))  # noqa: S311 - not security
    return {**PROXY, "X-Forwarded-For": f"10.{address}"}


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = ["欺凌", "家庭教育", "沟通", "青春期", "手机"]


class Visitor(HttpUser):
    weight = 3
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


class Parent(HttpUser):
    weight = 2
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.client.headers.update(proxied())
        account = PLAN["parents"][random.randrange(len(PLAN["parents"]))]  # noqa: S311
        self.lesson = random.choice(PLAN["lessons"])  # noqa: S311
        self.position = 0.0
        self.cookies: dict[str, str] = {}
        form = self.remember(self.client.get("/accounts/login/", name="sign-in form"))
        token = TOKEN.search(form.text)
        self.client.headers["Referer"] = self.client.base_url.replace("http://", "https://") + "/accounts/login/"
        self.remember(
            self.client.post(
                "/accounts/login/",
                data={
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                    "login": account,
                    "password": PLAN["password"],
                },
                name="sign in",
                allow_redirects=False,
            )
        )

    def remember(self, response):
        """Keeps the cookies by hand: they are Secure (production), and this client speaks plain
        HTTP to gunicorn as nginx does, so the cookie jar would never send them."""
        self.cookies.update(response.cookies.get_dict())
        self.client.headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return response

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    @task(1)
    def lesson_page(self) -> None:
        self.client.get(self.lesson, name="lesson")

    @task(5)
    def save_progress(self) -> None:
        start = self.position
        self.position += 10.0
        with self.client.post(
            self.lesson + "progress/",
            data={"intervals": json.dumps([[start, self.position]]), "position": str(self.position)},
            headers={"X-CSRFToken": self.csrf()},
            name="progress save",
            catch_response=True,
        ) as response:
            if response.status_code != 200:  # the refusal's reason, not only its status, in the report
                response.failure(f"{response.status_code} {response.text[:120]}")

    @task(1)
    def workbench(self) -> None:
        self.client.get("/workbench/", name="workbench")
