"""Sign-up asks for consent to the privacy notice; the code page speaks of a 验证码 on a number pad."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.consent import privacy_consents
from accounts.models import User

from .conftest import code_in
from .test_rate_limits import base_rate_limits  # noqa: F401 - the production limits fixture

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-family-password"


def sign_up(client, **fields):
    data = {"phone": "13800000000", "password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"} | fields
    return client.post(reverse("account_signup"), data)


def test_sign_up_without_ticking_the_privacy_consent_is_refused(client, sms_outbox):
    response = sign_up(client, privacy_consent="")
    assert response.status_code == 200
    assert "请阅读隐私政策并勾选同意" in response.content.decode()
    assert 'aria-describedby="id_privacy_consent_error"' in response.content.decode()
    assert not User.objects.exists() and not sms_outbox


def test_the_consent_is_recorded_with_its_time(client):
    before = timezone.now()
    assert sign_up(client).status_code == 302
    user = User.objects.get(phone="+8613800000000")
    consents = list(privacy_consents(user))
    assert len(consents) == 1
    assert before <= consents[0].timestamp <= timezone.now()
    assert consents[0].data == {"via": "signup"}


def test_the_sign_up_page_links_the_consent_to_the_privacy_notice(client):
    from wagtail.models import Page, Site

    from home.models import SiteContactSettings
    from tests.factories.home import StandardPageFactory

    site = Site.objects.get(is_default_site=True)
    notice = StandardPageFactory(parent=Page.objects.get(pk=site.root_page_id), title="隐私政策", slug="privacy")
    contact = SiteContactSettings.for_site(site)
    contact.privacy_page = notice
    contact.save()
    html = client.get(reverse("account_signup")).content.decode()
    assert 'type="checkbox" name="privacy_consent"' in html and "required" in html
    assert f'href="{notice.url}"' in html


def test_the_sms_uses_a_chinese_comma(client, sms_outbox):
    sign_up(client)
    assert re.search(r"\d{6}，\d+ 分钟内有效", sms_outbox[0].body), sms_outbox[0].body
    assert "," not in sms_outbox[0].body


def test_the_code_page_says_verification_code_and_opens_the_number_pad(client):
    sign_up(client)
    html = client.get(reverse("account_verify_phone")).content.decode()
    assert "验证码" in html and "代码" not in html.replace("验证码", "")
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", html).group(0)
    assert 'inputmode="numeric"' in field and 'autocomplete="one-time-code"' in field


def test_the_code_page_offers_a_resend_with_a_countdown(client):
    sign_up(client)
    html = client.get(reverse("account_verify_phone")).content.decode()
    assert 'name="action" value="resend"' in html
    assert 'data-resend-wait="60"' in html and "resend-countdown.js" in html


def test_a_wrong_code_is_called_a_wrong_verification_code(client):
    sign_up(client)
    html = client.post(reverse("account_verify_phone"), {"code": "000000x"}).content.decode()
    assert "验证码不正确" in html and "错误代码" not in html


def test_resending_keeps_the_rate_limit(client, sms_outbox, base_rate_limits):  # noqa: F811
    assert "1/30s/key" in base_rate_limits["verify_phone"]
    sign_up(client)
    assert len(sms_outbox) == 1
    client.post(reverse("account_verify_phone"), {"action": "resend"})
    response = client.post(reverse("account_verify_phone"), {"action": "resend"}, follow=True)
    assert len(sms_outbox) == 1  # within 30 s of the first code: refused
    assert response.status_code == 200
    assert client.post(reverse("account_verify_phone"), {"code": code_in(sms_outbox[0].body)}).status_code == 302


ACCOUNT_PAGES = ["account_email", "account_change_phone", "account_change_password"]


def main_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("url_name", ACCOUNT_PAGES)
def test_account_pages_say_e_mail_in_chinese_only(client, url_name):
    from accounts.roles import Role
    from tests.factories.accounts import UserFactory, sign_in_fully

    sign_in_fully(client, UserFactory(role=Role.PARENT, email="parent@example.cn"))
    text = main_text(client.get(reverse(url_name)).content.decode())
    assert not re.search(r"e-?mail", text, re.IGNORECASE), text
    assert "电子邮件" not in text  # the site says 电子邮箱


def test_a_phone_only_parent_is_not_nagged_to_add_an_e_mail_address(client):
    from accounts.roles import Role
    from tests.factories.accounts import UserFactory, sign_in_fully

    sign_in_fully(client, UserFactory(role=Role.PARENT, email=""))
    text = main_text(client.get(reverse("account_email")).content.decode())
    assert "警告" not in text and "真的应该" not in text
    assert "电子邮箱是选填的" in text
