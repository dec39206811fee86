"""The Wagtail admin's JavaScript speaks zh-hans: every string of Wagtail's djangojs catalogue has a
Chinese text (Wagtail's own zh_Hans catalogue, completed and corrected by ours in
locale/zh_Hans/LC_MESSAGES/djangojs.po), and /admin/jsi18n/ serves them to the admin's pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import wagtail.admin

from babel.messages.pofile import read_po

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully

WAGTAIL_LOCALE = Path(wagtail.admin.__file__).parent / "locale"
OURS = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "djangojs.po"


def _catalogue(path: Path):
    with open(path, "rb") as po:
        return read_po(po)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def test_every_wagtail_admin_javascript_string_has_a_chinese_text():
    source = _catalogue(WAGTAIL_LOCALE / "en" / "LC_MESSAGES" / "djangojs.po")
    wagtails, ours = _catalogue(WAGTAIL_LOCALE / "zh_Hans" / "LC_MESSAGES" / "djangojs.po"), _catalogue(OURS)

    missing = [
        message.id
        for message in source
        if message.id
        and not any(message.id in catalogue and _translated(catalogue[message.id]) for catalogue in (ours, wagtails))
    ]

    assert len([message for message in source if message.id]) > 50
    assert missing == []


def test_our_javascript_translations_keep_wagtails_placeholders():
    for message in _catalogue(OURS):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
        assert all(set(re.findall(r"%\(\w+\)s", text)) == wanted for text in strings), message.id


def test_the_admin_loads_the_chinese_javascript_catalogue_with_ours_in_it(client, db):
    sign_in_fully(client, UserFactory(role=Role.TEACHER))

    admin_page = client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    text = response.content.decode()

    assert reverse("wagtailadmin_javascript_catalog") in admin_page
    assert response.status_code == 200

    def served(chinese: str) -> bool:  # the catalogue is JSON in the script, maybe escaped
        return chinese in text or json.dumps(chinese)[1:-1] in text

    assert served("输入内容，或输入“/”插入内容块")  # ours: Wagtail's catalogue lacks it
    assert served("修改已自动保存。")
    assert served("你确定吗？")  # Wagtail's own
    assert f'"Actions": {json.dumps("操作")}' in text  # ours wins over Wagtail's 「动作」
