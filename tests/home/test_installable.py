"""The installable web app: manifest, icons, service worker, offline page, and the private marker.

The service worker's own rule (what it may keep) is tested in Chromium by
tests/e2e/test_installable.py; here, what the server sends it.
"""

from __future__ import annotations

import io
import json
import re

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

import pytest
from PIL import Image

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_manifest_names_the_app_in_chinese_with_icons_scope_and_theme(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "汇爱"
    assert manifest["name"].startswith("汇爱")
    assert manifest["lang"] == "zh-Hans"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d5a5f"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    assert manifest["id"] == "/"
    # Lighthouse's installability checks: a name, a start URL inside the scope, a standalone display.
    assert manifest["start_url"].startswith(manifest["scope"])


def test_every_manifest_icon_is_a_png_of_the_size_it_claims(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_the_app_script(client, home_page):
    content = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in content
    assert "js/app-shell" in content


def test_the_service_worker_is_served_from_the_root_uncached_as_javascript(client):
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assert "function mayKeep" in body
    assert '"/admin/"' in body and '"/schools/"' in body
    assert "{{" not in body and "{%" not in body


def test_the_service_worker_version_changes_with_the_files_it_precaches(client, settings):
    first = client.get("/service-worker.js").content
    settings.STATIC_URL = "/assets/"
    second = client.get("/service-worker.js").content
    assert first != second
    assert b"/assets/css/site.css" in second


def test_the_offline_page_is_in_the_sites_look_and_holds_no_personal_data(client, home_page):
    response = client.get(reverse("offline"))
    assert response.status_code == 200
    assert not response.cookies
    content = response.content.decode()
    assert 'class="site-header"' in content and 'class="site-footer"' in content
    assert "offline-page" in content


def test_a_signed_in_response_is_marked_private_and_an_anonymous_page_is_not(client, home_page):
    assert "private" not in client.get("/").get("Cache-Control", "")
    client.force_login(UserFactory())
    assert "private" in client.get("/")["Cache-Control"]
    assert "private" in client.get(reverse("offline"))["Cache-Control"]


def test_a_response_that_sets_a_cookie_is_marked_private(client):
    response = client.post(reverse("accounts:elder_mode"), {"elder_mode": "on"})
    assert response.cookies
    assert "private" in response["Cache-Control"]


def test_every_page_offers_an_opaque_apple_touch_icon(client, home_page):
    content = client.get("/").content.decode()
    match = re.search(r'<link rel="apple-touch-icon" href="/static/([^"]+)">', content)
    assert match
    with Image.open(finders.find(match.group(1))) as image:
        assert image.size == (180, 180)
        # iOS fills transparency with black: every pixel must be opaque.
        assert image.convert("RGBA").getextrema()[3] == (255, 255)


def test_the_service_worker_precaches_the_saved_lessons_list_and_answers_for_the_whole_site(client):
    response = client.get("/service-worker.js")
    assert response["Service-Worker-Allowed"] == "/"
    assert '"/offline/saved/"' in response.content.decode()


def test_make_app_icons_draws_the_five_icons(tmp_path):
    call_command("make_app_icons", output=str(tmp_path), stdout=io.StringIO())
    sizes = {}
    for path in sorted(tmp_path.iterdir()):
        with Image.open(path) as image:
            sizes[path.name] = image.size
            # A real drawing, not a blank square: the logo's teal, coral and sun colours are there.
            colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}
            assert {(29, 90, 95), (240, 138, 108)} <= colours
    assert sizes == {
        "icon-192.png": (192, 192),
        "icon-512.png": (512, 512),
        "icon-maskable-192.png": (192, 192),
        "icon-maskable-512.png": (512, 512),
        "apple-touch-icon.png": (180, 180),
    }
