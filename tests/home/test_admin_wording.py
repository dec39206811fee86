"""Our zh-hans wording of Wagtail's misleading admin labels is the one shown (home/admin_wording.py)."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.roles import Role
from home.admin_wording import ADMIN_WORDING
from tests.factories.accounts import UserFactory, sign_in_fully

EXPECTED = {
    "Live": "已上线",
    "View live": "查看线上页面",
    "Reports": "报表",
    "Submit to %(workflow_name)s": "提交%(workflow_name)s",
}


def test_each_override_wins_over_wagtails_catalogue():
    assert set(ADMIN_WORDING) == set(EXPECTED)
    with translation.override("zh-hans"):
        for message, wording in EXPECTED.items():
            assert gettext(message) == wording
        assert gettext("Pages") == "页面"  # Wagtail's own, no longer shadowed by 「分页」


def test_the_admin_menu_says_pages_and_reports_as_meant(client, db):
    sign_in_fully(client, UserFactory(role=Role.DISTRICT_STAFF))
    html = client.get(reverse("wagtailadmin_home")).content.decode()

    def shown(text: str) -> bool:  # the sidebar's menu is JSON in the page, non-ASCII escaped
        return text in html or json.dumps(text)[1:-1] in html

    assert not shown("分页")
    assert shown("报表") and shown("我的工作台")
