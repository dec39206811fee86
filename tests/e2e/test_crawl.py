"""Every page each role can reach from its home and the header passes axe-core with all its rules.

For each role (anonymous, and every ``accounts.roles.Role`` as its demo user from
``load_demo_content --with-demo-users``) the crawl starts at the home page and, for signed-in
roles, at 「我的工作台」, and follows same-site links breadth first (``MAX_DEPTH`` clicks from the
start, ``MAX_PAGES`` pages). Pages that differ only in an id (``/schools/cases/12/`` and ``/13/``)
count once. On every page axe-core runs every rule it enables by default, which includes the
best-practice ones (heading-order, landmark-*, region, page-has-heading-one): no finding of any
impact is allowed, and no page scrolls sideways at either width. Pages of signed-in staff must log
no console error and throw no JavaScript error.

The Wagtail admin (``/admin/``) is Wagtail's own interface: its landing page is visited for console
errors, but not crawled nor checked by axe (its markup is Wagtail's, not the project's templates).
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from accounts.roles import Role

from .conftest import DESKTOP, PHONE, all_axe_findings, demo_user, format_violations, horizontal_overflow
from .test_case_journeys import new_page
from .test_workbench_journeys import sign_in

MAX_DEPTH = 2
MAX_PAGES = 30
# Links the crawl never follows: they act (sign out, leave, download) rather than show a page.
SKIPPED = re.compile(
    r"^/(admin/|django-admin/|accounts/logout|media/|documents/|static/|metrics|__)"
    r"|\.(pdf|png|jpe?g|svg|webp|mp4|mp3|ics|csv|xlsx|zip)$"
    r"|/(download|export|print)/?$"
)
ID = re.compile(r"/\d+(?=/)|/[0-9a-f]{8}-[0-9a-f-]{27,}(?=/)|/[A-Z0-9]{3,}(?:-[A-Z0-9]{3,})+(?=/)")


def shape(path: str) -> str:
    """The page's path with its ids and query values left out, so one of many alike pages is visited."""
    path, _mark, query = path.partition("?")
    keys = sorted({pair.partition("=")[0] for pair in query.split("&") if pair})
    return ID.sub("/{id}", path) + ("?" + "&".join(keys) if keys else "")


def links_on(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], nav a[href], main a[href]", "links => links.map(link => link.href)"
    )
    paths = []
    for href in hrefs:
        href, _fragment = urldefrag(href)
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIPPED.search(parts.path):
            paths.append(path)
    return paths


def console_errors(page) -> list[str]:
    return page.console_errors + page.js_errors


@pytest.mark.parametrize("role", [None, *Role], ids=lambda role: role.value if role else "anonymous")
def test_every_page_a_role_reaches_has_no_axe_finding_and_staff_pages_log_no_error(
    browser, live_server, demo_site_with_users, role
):
    user = demo_user(role) if role is not None else None
    page = new_page(browser, live_server, DESKTOP)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    starts = ["/"]
    if user is not None:
        sign_in(page, live_server, user)
        starts.append("/workbench/")
    queue = deque((start, 0) for start in starts)
    seen: set[str] = set()
    problems: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        path, depth = queue.popleft()
        if shape(path) in seen:
            continue
        seen.add(shape(path))
        response = page.goto(path)
        visited += 1
        if response is None or response.status >= 400 or not page.url.startswith(live_server.url):
            continue
        landed = urlsplit(page.url).path
        if SKIPPED.search(landed):
            continue
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            found = all_axe_findings(page)
            if found:
                problems.append(f"{path} at {size['width']} px:\n{format_violations(found)}")
            overflow = horizontal_overflow(page)
            if overflow > 0:
                problems.append(f"{path} at {size['width']} px scrolls sideways by {overflow} px")
        page.set_viewport_size(DESKTOP)
        if depth < MAX_DEPTH:
            queue.extend((link, depth + 1) for link in links_on(page, live_server.url))
    if user is not None and user.has_perm("wagtailadmin.access_admin"):
        page.goto("/admin/")
        page.wait_for_load_state("networkidle")
        visited += 1
    if role is not None and console_errors(page):
        problems.append(f"console errors: {console_errors(page)}")
    page.context.close()
    assert visited > 1, f"the crawl reached only {visited} page"
    assert not problems, f"{len(problems)} page(s) with findings:\n\n" + "\n\n".join(problems)
