"""Issue 14's journey, in Chromium with axe: district staff create a guidance plan from a case; the
guardian opens the text message's link on a phone, signs up with that number and sees only their
plan; district staff issue a court order's completion report; the court's liaison downloads it
and checks its signature with the published key."""

from __future__ import annotations

import datetime
import re
import uuid
from pathlib import Path

from django.utils import timezone

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, check_page, code_from_sms, submit_form_with
from .test_case_journeys import new_page, sign_in_with_totp

PASSWORD = "correct-horse-battery-staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
GUARDIAN = "13912345678"


def staff(role, username: str):
    from accounts.models import User
    from accounts.roles import add_role
    from tests.factories.accounts import add_totp

    user = User.objects.create_user(
        username=username, phone=f"+8613{uuid.uuid4().int % 10**9:09d}", phone_verified=True, password=PASSWORD
    )
    user.name = username
    user.save()
    add_role(user, role)
    add_totp(user, SECRET)
    return user


def test_plan_from_a_case_guardian_link_report_and_liaison(browser, live_server, demo_site, sms_outbox):
    from accounts.roles import Role
    from demo.recipes.schools import DEMO_NAMESPACE
    from guidance.models import Court, CourtLiaison, GuidancePlan
    from schools.models import BullyingReport, Notification

    staff(Role.DISTRICT_STAFF, "e2e-district")
    case = BullyingReport.objects.get(draft_token=uuid.uuid5(DEMO_NAMESPACE, "case-5"))

    # 1. District staff create a plan from the case page.
    page = new_page(browser, live_server, DESKTOP)
    sign_in_with_totp(page, "e2e-district", PASSWORD, SECRET, f"/schools/cases/{case.pk}/")
    page.get_by_role("link", name="为监护人制定指导计划").click()
    page.wait_for_load_state("load")
    check_page(page, "guidance-plan-form")
    today = timezone.localdate()
    page.locator("[name='guardians']").fill(f"吴家长，{GUARDIAN}")
    page.locator("[name='courses']").first.check()
    page.locator("[name='course_deadline']").fill((today + datetime.timedelta(days=20)).isoformat())
    page.locator("[name='required_sessions']").fill("2")
    page.locator("[name='worker']").select_option(index=1)
    page.locator("[name='review_on']").fill((today + datetime.timedelta(days=10)).isoformat())
    page.locator("[name='ends_on']").fill((today + datetime.timedelta(days=40)).isoformat())
    with page.expect_navigation():
        submit_form_with(page, "guardians")
    expect(page.locator(".message--success")).to_be_visible()
    check_page(page, "guidance-plan-detail")
    plan = GuidancePlan.objects.filter(case=case).latest("pk")
    page.goto(f"/schools/cases/{case.pk}/")
    expect(page.locator("#timeline")).to_contain_text(plan.reference)

    # 2. The guardian opens the link on a phone, signs up with that number, sees the plan only.
    body = Notification.objects.filter(address=f"+86{GUARDIAN}", channel="sms").latest("pk").body
    link = re.search(r"https?://\S+/guidance/join/[^/\s]+/", body).group(0)
    phone = new_page(browser, live_server, PHONE)
    phone.goto(link[link.index("/guidance/") :])
    check_page(phone, "guidance-join", viewports=("phone",))
    phone.get_by_role("link", name="注册账号").click()
    phone.locator("[name='phone']").fill(GUARDIAN)
    phone.locator("[name='password1']").fill(PASSWORD)
    field = phone.locator("[name='password2']")
    if field.count():
        field.fill(PASSWORD)
    phone.check("[name='privacy_consent']")
    submit_form_with(phone, "password1")
    expect(phone.locator("[name='code']")).to_be_visible()
    messages = [message for message in sms_outbox if message.to == f"+86{GUARDIAN}"]
    phone.locator("[name='code']").fill(code_from_sms(messages[-1].body))
    submit_form_with(phone, "code")
    phone.wait_for_url(lambda url: "/guidance/join/" in url)
    with phone.expect_navigation():
        phone.get_by_role("button", name="查看我的指导计划").click()
    expect(phone.get_by_role("heading", name=f"指导计划 {plan.reference}")).to_be_visible()
    content = phone.content()
    assert case.case_number not in content and "宿舍" not in content
    check_page(phone, "guidance-my-plans", viewports=("phone",))
    phone.context.close()

    # 3. District staff issue the court order's report at the end of its period.
    order_plan = GuidancePlan.objects.get(order__isnull=False)
    GuidancePlan.objects.filter(pk=order_plan.pk).update(ends_on=today - datetime.timedelta(days=1))
    page.goto(f"/guidance/plans/{order_plan.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="出具完成情况报告").click()
    expect(page.locator(".message--success")).to_be_visible()
    check_page(page, "guidance-plan-reported")
    report = order_plan.reports.get()
    page.context.close()

    # 4. The court's liaison downloads the PDF and its signature and checks them offline.
    liaison = staff(Role.COURT_LIAISON, "e2e-liaison")
    CourtLiaison.objects.create(user=liaison, court=Court.objects.get(orders=order_plan.order))
    page = new_page(browser, live_server, DESKTOP)
    sign_in_with_totp(page, "e2e-liaison", PASSWORD, SECRET, "/guidance/plans/")
    check_page(page, "guidance-overview-liaison")
    page.get_by_role("link", name="期限届满，要求未全部完成").click()  # the reported plan is no longer open
    page.wait_for_load_state("load")
    page.get_by_role("link", name=order_plan.reference).click()
    page.wait_for_load_state("load")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="下载 PDF").click()
    with page.expect_download() as sig_download:
        page.get_by_role("link", name="签名文件").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    signature = Path(sig_download.value.path()).read_bytes()
    key_pem = page.request.get("/guidance/public-key.pem").body()
    load_pem_public_key(key_pem).verify(signature, pdf)  # raises InvalidSignature when altered
    page.goto(f"/guidance/verify/{report.code}/")
    expect(page.locator("#verdict")).to_have_text("报告真实有效")
    assert report.sha256 in page.content() and "演示监护人丙" not in page.content()
    check_page(page, "guidance-verify")
    page.context.close()
