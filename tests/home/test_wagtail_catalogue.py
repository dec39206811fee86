"""The Wagtail admin's server-side strings speak zh-hans: every string of the catalogues of the
Wagtail apps the project installs has a Chinese text (ours in locale/, Wagtail's strings completed in
wagtail_locale/, or Wagtail's own zh_Hans), and an editor's admin pages show no known English state."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import wagtail

import wagtailmedia
from babel.messages.pofile import read_po

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.alliance import AllianceIndexPageFactory, AllianceNewsPageFactory

WAGTAIL = Path(wagtail.__file__).parent
# The Wagtail apps in INSTALLED_APPS that carry a server catalogue, and wagtailmedia.
APPS = [
    WAGTAIL / app
    for app in (
        "admin",
        "contrib/forms",
        "contrib/redirects",
        "contrib/search_promotions",
        "contrib/settings",
        "documents",
        "embeds",
        "images",
        "search",
        "sites",
        "snippets",
        "users",
        ".",
    )
] + [Path(wagtailmedia.__file__).parent]
# English a zh-hans editor used to meet in the admin.
ENGLISH = ["Autosave is paused", "Write something", "Moderators approval", "Content metrics", "Saved", "Media files"]


def _catalogue(path: Path):
    with open(path, "rb") as po:
        return read_po(po)


def _translated(catalogue, message_id) -> bool:
    message = catalogue.get(message_id) if catalogue is not None else None
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def test_every_wagtail_admin_string_has_a_chinese_text():
    ours = [_catalogue(Path(path) / "zh_Hans" / "LC_MESSAGES" / "django.po") for path in settings.LOCALE_PATHS]
    missing = []
    for app in APPS:
        locale = app / "locale"
        wagtails = locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
        catalogues = [*ours, _catalogue(wagtails) if wagtails.exists() else None]
        for message in _catalogue(locale / "en" / "LC_MESSAGES" / "django.po"):
            if message.id and not any(_translated(catalogue, message.id) for catalogue in catalogues):
                missing.append(f"{app.relative_to(app.parent.parent)}: {message.id!r}")
    assert missing == [], f"{len(missing)} Wagtail strings without a zh-hans text:\n" + "\n".join(missing)


def test_the_completed_strings_are_in_effect_and_ours_still_win():
    with translation.override("zh-hans"):
        assert gettext("Autosave is paused") == "自动保存已暂停"
        assert gettext("Content metrics") == "内容指标"
        assert gettext("View live") == "查看线上页面"  # locale/ first: our wording over Wagtail's
    with translation.override("en"):
        assert gettext("Autosave is paused") == "Autosave is paused"


def test_an_editors_admin_pages_in_chinese_show_none_of_the_known_english_strings(client, home_page):
    editor = UserFactory(role=Role.EDITOR)
    news = AllianceNewsPageFactory(parent=AllianceIndexPageFactory(parent=home_page))
    sign_in_fully(client, editor)
    pages = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[news.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[news.pk]),
        reverse("wagtailadmin_pages:add", args=["home", "standardpage", home_page.pk]),
    ]
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        html = response.content.decode()
        for english in ENGLISH:
            # the sidebar's menu is JSON in the page, with its strings escaped
            assert english not in html and json.dumps(english)[1:-1] not in html, (url, english)
    # the same page in English mode is in English: the test can see the strings when they are there
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("wagtailadmin_pages:edit", args=[news.pk])).content.decode()
    assert "Autosave is paused" in html
