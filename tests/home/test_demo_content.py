"""``manage.py load_demo_content``: the demo site, created once however often it runs."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command

from wagtail.models import Page, Revision, Site

import pytest

from home.models import HomePage, SiteContactSettings, StandardPage
from tests.factories.demo import load_demo

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    contact = SiteContactSettings.objects.get()
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live", "show_in_menus")),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
        "contact": (list(contact.hotlines.raw_data), contact.address, contact.email, contact.privacy_page_id),
        "home_revision": HomePage.objects.get().latest_revision_id,
    }


@pytest.fixture
def demo(home_page):
    """What ``load_demo_content --skip-index`` builds: by the loader once per process, then from
    its snapshot (tests/factories/demo.py). The tests of the loader itself call ``load()``."""
    load_demo("--skip-index")


def test_demo_content_is_idempotent(home_page):
    load_demo("--skip-index")  # what a first run leaves (the real loader once per process)
    first = snapshot()
    load("--skip-index")
    assert snapshot() == first


def test_demo_content_fills_the_home_page_with_chinese_sections(client, home_page, demo):
    home = HomePage.objects.get()
    assert [block.block_type for block in home.body] == [
        "hero",
        "feature_cards",
        "link_cards",
        "feature_cards",
        "hotline_callout",
        "paragraph",
    ]
    content = client.get("/").content.decode()
    for text in (
        "守护每一个孩子健康成长",
        "区未成年人保护中心",
        "街镇未保工作站",
        "家庭圈",
        "普法教育联盟",
        "个案会商",
    ):
        assert text in content
    assert 'href="/courses/"' in content


def test_demo_content_creates_the_standard_pages_and_menu(client, home_page, demo):
    titles = set(StandardPage.objects.live().values_list("title", flat=True))
    assert {"关于汇爱", "强制报告制度", "家庭教育指导", "隐私与个人信息保护说明"} <= titles
    menu = list(Page.objects.child_of(home_page).in_menu().values_list("title", flat=True))
    assert "关于汇爱" in menu
    assert "隐私与个人信息保护说明" not in menu
    for page in StandardPage.objects.live():
        assert client.get(page.url).status_code == 200


def test_demo_hotlines_are_the_public_ones_and_made_up_district_numbers(home_page, demo):
    numbers = [hotline.value["number"] for hotline in SiteContactSettings.objects.get().hotlines]
    assert numbers[:2] == ["12355", "110"]
    assert all(number in {"12355", "110"} or re.fullmatch(r"021-0000-\d{4}", number) for number in numbers)


def test_demo_content_replaces_a_welcome_root_page(home_page):
    root = Page.get_first_root_node()
    home_page.delete()
    welcome = root.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
    load("--skip-index")
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert not Page.objects.filter(title__startswith="Welcome").exists()


def test_demo_content_updates_the_search_index(home_page):
    output = load()
    assert "Demo content is in place." in output
    assert StandardPage.objects.live().search("强制报告").count() >= 1


def test_demo_users_option_prints_a_credentials_table(home_page, monkeypatch):
    fake_users = [
        {"role": "parent", "phone": "+8613800000001", "email": "parent@demo.huiai.invalid", "password": "pw-demo"},
        {"role": "district_staff", "email": "staff@demo.huiai.invalid", "password": "pw-demo", "totp_secret": "ABC"},
    ]
    load_demo("--skip-index")  # the table is printed on a rerun too; the rerun only checks what exists
    monkeypatch.setattr("demo.recipes.users.create_demo_users", lambda: fake_users)
    output = load("--skip-index", "--with-demo-users")
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("role"))
    assert header.split() == ["role", "phone", "email", "password", "totp_secret"]
    assert any("parent@demo.huiai.invalid" in line and "+8613800000001" in line for line in lines)
    assert any("staff@demo.huiai.invalid" in line and line.rstrip().endswith("ABC") for line in lines)
