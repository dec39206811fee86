"""Security headers: Content-Security-Policy on every page, Permissions-Policy on every response.

The policy itself is checked here; that the pages keep working under it in a real browser is
checked in tests/e2e/test_csp.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

import pytest

from core.headers import tile_origin
from tests.factories.accounts import UserFactory
from tests.factories.home import home_page

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [REPO / "templates", *sorted(REPO.glob("*/templates"))]
STATIC_JS = REPO / "static" / "js"


def directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def policy_of(response) -> dict[str, list[str]]:
    assert "Content-Security-Policy" in response, f"no CSP on {response.request['PATH_INFO']}"
    return directives(response["Content-Security-Policy"])


# The policy every public page must send, written as the header a browser reads (not as the
# settings dict), so that a change to the settings cannot also change what this test expects.
SITE_POLICY = directives(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search/?q=x",
        "/accounts/login/",
        "/accounts/signup/",
        "/schools/report/",
        "/certificates/verify/",
        "/no-such-page/",
        "/healthz",
    ],
)
def test_every_site_response_carries_the_strict_policy(client, path):
    home_page()
    response = client.get(path)
    assert response.status_code < 500
    assert policy_of(response) == SITE_POLICY


def test_a_signed_in_parents_pages_carry_the_strict_policy(client):
    home_page()
    client.force_login(UserFactory())
    for path in ["/", "/account/", "/search/?q=x"]:
        response = client.get(path)
        assert policy_of(response) == SITE_POLICY, path


def test_the_page_cache_serves_the_policy_too(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    home_page()
    first = client.get("/")
    second = client.get("/")
    assert policy_of(first) == policy_of(second) == SITE_POLICY


def test_no_outside_origin_and_no_inline_script_on_the_site(client):
    home_page()
    policy = policy_of(client.get("/"))
    for name, sources in policy.items():
        for source in sources:
            assert source in {"'self'", "'none'", "data:"}, f"{name} allows {source}"


def test_the_map_tile_origin_is_allowed_only_when_a_tile_url_is_set(client, settings):
    home_page()
    assert policy_of(client.get("/"))["img-src"] == ["'self'", "data:"]

    settings.WORKSTATION_MAP_TILE_URL = "https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png"
    img_src = policy_of(client.get("/"))["img-src"]
    assert img_src == ["'self'", "data:", "https://*.tiles.example.org:8443"]
    # Only images: scripts, styles and fetches still come from this origin alone.
    assert policy_of(client.get("/"))["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/t/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("https://user:pw@tiles.example.org/{z}.png", "https://tiles.example.org"),
        ("", None),
        ("javascript:alert(1)", None),
        ("//tiles.example.org/{z}.png", None),
        ("https://{z}.example.org/x.png", None),
    ],
)
def test_tile_origin(template, origin):
    assert tile_origin(template) == origin


def test_the_admin_gets_its_own_policy_with_the_minimum_relaxation(client):
    home_page()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/login/")  # answered for anyone, signed in or not
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    for name in ["default-src", "object-src", "base-uri", "form-action", "frame-ancestors"]:
        assert policy[name] == SITE_POLICY[name], name
    for sources in policy.values():
        for source in sources:
            assert not source.startswith(("http:", "https:", "*")), source


def test_admin_avatars_never_come_from_gravatar():
    from wagtail.users.utils import get_gravatar_url

    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert get_gravatar_url("someone@example.org") is None


PERMISSIONS_OFF = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "display-capture"]


@pytest.mark.parametrize("path", ["/", "/healthz", "/accounts/login/", "/admin/login/", "/static/css/site.css"])
def test_permissions_policy_on_every_response(client, path):
    home_page()
    response = client.get(path)
    header = response["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in PERMISSIONS_OFF:
        assert features[feature] == "()", feature
    assert features["fullscreen"] == "(self)"


# --- No inline script or style left in our templates ---------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def our_templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(directory.rglob("*.html"))


@pytest.mark.parametrize(
    "pattern", [INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL, STYLE_ATTRIBUTE, STYLE_ELEMENT], ids=lambda p: p.pattern
)
def test_no_template_holds_inline_script_or_style(pattern):
    templates = list(our_templates())
    assert len(templates) > 30
    offenders = [
        f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in templates
        for text in [path.read_text()]
        for match in pattern.finditer(text)
    ]
    assert not offenders, f"inline script/style ({pattern.pattern}) in: {offenders}"


def test_no_script_writes_inline_handlers_or_eval():
    for path in sorted(STATIC_JS.rglob("*.js")):
        text = path.read_text()
        for forbidden in ["eval(", "new Function(", 'setAttribute("on', "setAttribute('on"]:
            assert forbidden not in text, f"{path.relative_to(REPO)} uses {forbidden}"
