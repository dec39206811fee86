"""Links shared in WeChat: share cards on courses and alliance events, and no control that only
a mouse can reach (a phone has no hover)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

import pytest
import wagtail_factories

from tests.factories.alliance import event
from tests.factories.courses import catalogue, course_with_lessons

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR) / "static" / "css"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def meta(html: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_a_shared_course_shows_its_title_summary_and_cover_in_the_card(client):
    catalogue()
    course = course_with_lessons(1, summary="帮助家长读懂青春期的孩子", cover_image=wagtail_factories.ImageFactory())
    html = client.get(course.url).content.decode()
    assert meta(html, "property", "og:title") == course.title
    assert meta(html, "property", "og:description") == "帮助家长读懂青春期的孩子"
    assert meta(html, "name", "description") == "帮助家长读懂青春期的孩子"
    for image in (meta(html, "property", "og:image"), meta(html, "itemprop", "image")):
        assert image and image.startswith("http://testserver/") and "/images/" in image
    # WeChat's own fallbacks (no JS-SDK): schema.org itemprop name and description.
    assert meta(html, "itemprop", "name") == course.title
    assert meta(html, "itemprop", "description") == "帮助家长读懂青春期的孩子"


def test_a_shared_alliance_event_shows_its_summary_and_the_app_icon(client):
    page = event(title="校园防欺凌讲座", summary="面向家长和老师的公益讲座")
    html = client.get(page.url).content.decode()
    assert meta(html, "property", "og:title") == "校园防欺凌讲座"
    assert meta(html, "property", "og:description") == "面向家长和老师的公益讲座"
    for image in (meta(html, "property", "og:image"), meta(html, "itemprop", "image")):
        assert image and image.startswith("http://testserver/static/img/app/icon-512")


def test_no_control_is_shown_only_on_hover():
    """A rule under :hover may restyle, never reveal: nothing becomes visible only under a mouse."""
    revealing = re.compile(r"\b(display|visibility|opacity|max-height|clip|clip-path)\s*:")
    offenders = []
    for path in CSS.glob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
            if ":hover" in selector and revealing.search(body):
                offenders.append(f"{path.name}: {selector.strip()}")
    assert not offenders, offenders
