"""Journeys for bullying cases, in Chromium at phone and desktop size.

(a) A school officer with an authenticator app signs in through the real login and TOTP forms,
files a report with a photo, saves a draft midway, submits and gets a case number; district
staff (also signed in with TOTP) acknowledge it, assign a handler and record a consultation;
the officer records the determination and the measures; the case closes.
(b) The anonymous student's journey (guided form, quick exit, a reply read with the code) is in
``test_anonymous_report_journey.py``.

Every form and case page goes through ``check_page``: axe-core (no serious or critical
violation), no sideways scrolling, no JavaScript error, screenshots at both sizes.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import io
import re
import struct
import time

from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, TIMEOUT_MS, check_page

CASE_NUMBER = re.compile(r"XH-\d{4}-\d{4}")
DEMO_SCHOOL = "汇爱示例实验小学"


# --- Helpers ---------------------------------------------------------------------------------


def totp_code(secret: str, at: float | None = None) -> str:
    """The current six-digit TOTP code (RFC 6238, SHA-1, 30 s), as an authenticator app shows it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


_USED_CODES: dict[str, set[str]] = {}


def fresh_totp_code(login: str, secret: str) -> str:
    """A code the server will accept and this login has not used: the test settings accept the
    previous, current and next 30 s window (MFA_TOTP_TOLERANCE = 1), and allauth refuses a code
    twice, so take the next window's code first, then the current one, then the previous one
    unless it is about to expire. Only a fourth sign-in within one window would wait."""
    now = time.time()
    counter = int(now // 30)
    candidates = [counter + 1, counter] + ([counter - 1] if 30 - now % 30 > 6 else [])
    used = _USED_CODES.setdefault(login, set())
    for candidate in candidates:
        code = totp_code(secret, candidate * 30)
        if code not in used:
            used.add(code)
            return code
    time.sleep(30 - now % 30 + 0.5)
    return fresh_totp_code(login, secret)


def new_page(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


def sign_in_with_totp(page, login: str, password: str, secret: str, next_url: str) -> None:
    """The real sign-in: login and password, then the code of the authenticator app."""
    page.goto(f"/accounts/login/?next={next_url}")
    login_field = page.locator("[name='login']")
    if not login_field.count():
        login_field = page.locator("[name='phone']")
    login_field.first.fill(login)
    page.locator("[name='password']").fill(password)
    page.locator("form:has([name='password'])").locator("button[type='submit']").first.click()
    code_field = page.locator("[name='code']")
    expect(code_field).to_be_visible()
    code_field.fill(fresh_totp_code(login, secret))
    page.locator("form:has([name='code'])").locator("button[type='submit']").first.click()
    page.wait_for_url(lambda url: next_url in url)
    page.wait_for_load_state("load")


def photo_file(tmp_path) -> str:
    from PIL import Image

    path = tmp_path / "playground.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 200)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def check(page, name: str, value: str) -> None:
    page.locator(f"input[name='{name}'][value='{value}']").check()


def run_action(page, action: str, fill=None) -> None:
    """Opens the "next step" panel of ``action`` on a case page, fills it and submits it."""
    form = page.locator(f"form[action$='/act/{action}/']")
    details = page.locator(f"details.case-action:has(form[action$='/act/{action}/'])")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    if fill is not None:
        fill(form)
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    page.wait_for_load_state("load")
    expect(page.locator(".message--success")).to_be_visible()


def case_state(pk: int) -> str:
    from schools.models import BullyingReport

    return BullyingReport.objects.get(pk=pk).state


# --- Fixtures ----------------------------------------------------------------------------------


def _people():
    from accounts.roles import Role
    from schools.models import School, SchoolMembership
    from tests.factories.accounts import PASSWORD, TOTP_SECRET, UserFactory, add_totp
    from tests.factories.schools import district_staff

    school = School.objects.get(name=DEMO_SCHOOL)
    officer = UserFactory(role=Role.SCHOOL_OFFICER, name="王老师")
    SchoolMembership.objects.create(user=officer, school=school)
    add_totp(officer)
    district = district_staff(lead=True)
    district.name = "区未保中心李老师"
    district.save()
    return school, officer, district, PASSWORD, TOTP_SECRET


# --- (a) A school's report, from the form to the closed case -------------------------------------


def test_an_officer_files_a_report_and_the_case_runs_to_closed(browser, live_server, demo_site, tmp_path):
    from schools.models import Attachment, BullyingReport, SchoolMembership, State

    school, officer, district, password, secret = _people()
    officer_page = new_page(browser, live_server, PHONE)
    sign_in_with_totp(officer_page, officer.email, password, secret, "/schools/cases/")
    check_page(officer_page, "case-list-officer")

    # The form, at phone size: the first facts, then "save draft" midway.
    officer_page.set_viewport_size(PHONE)
    officer_page.goto("/schools/cases/new/")
    check_page(officer_page, "case-report-form")
    officer_page.set_viewport_size(PHONE)
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    officer_page.locator("[name='incident_date']").fill(yesterday)
    officer_page.locator("[name='incident_time']").fill("10:30")
    check(officer_page, "place", "playground")
    check(officer_page, "bullying_types", "verbal")
    check(officer_page, "bullying_types", "physical")
    officer_page.locator("[name='narrative']").fill("（测试）课间两名同学在操场推搡并辱骂小华。")
    officer_page.locator("[name='students-0-role']").select_option("target")
    officer_page.locator("[name='students-0-grade']").fill("五年级")
    officer_page.locator("[name='students-0-class_name']").fill("3班")
    with officer_page.expect_navigation():
        officer_page.locator("button[name='action'][value='save']").click()
    officer_page.wait_for_url(re.compile(r"/schools/cases/\d+/edit/"))
    draft = BullyingReport.objects.get(created_by=officer)
    assert draft.state == State.DRAFT and draft.case_number is None
    missing = officer_page.locator(".case-missing")
    expect(missing).to_be_visible()  # what is still missing is shown before submitting
    check_page(officer_page, "case-draft")

    # The rest of the form, a photo, and submit.
    officer_page.set_viewport_size(PHONE)
    check(officer_page, "frequency", "once")
    check(officer_page, "injury", "none")
    check(officer_page, "severity", "general")
    check(officer_page, "guardians_notified", "True")
    officer_page.locator("[name='guardians_notified_at']").fill(f"{yesterday}T16:00")
    check(officer_page, "police_informed", "False")
    officer_page.locator("[name='immediate_measures']").fill("（测试）班主任当场制止并分开学生，通知家长。")
    officer_page.locator("input[name='attachment']").set_input_files(photo_file(tmp_path))
    with officer_page.expect_navigation():
        officer_page.locator("button[name='action'][value='submit']").click()
    officer_page.wait_for_url(re.compile(rf"/schools/cases/{draft.pk}/$"))
    success = officer_page.locator(".message--success")
    expect(success).to_contain_text(CASE_NUMBER)
    report = BullyingReport.objects.get(pk=draft.pk)
    assert report.state == State.SUBMITTED and CASE_NUMBER.fullmatch(report.case_number)
    assert report.case_number in success.inner_text()
    assert Attachment.objects.filter(report=report, content_type="image/jpeg").count() == 1
    check_page(officer_page, "case-submitted")

    # District staff: acknowledge, assign, record a consultation (desktop).
    district_page = new_page(browser, live_server, DESKTOP)
    sign_in_with_totp(district_page, district.email, password, secret, f"/schools/cases/{report.pk}/")
    check_page(district_page, "case-district")
    run_action(district_page, "acknowledge", lambda form: form.locator("textarea").fill("（测试）已收到，请学校调查。"))
    assert case_state(report.pk) == State.ACKNOWLEDGED
    run_action(
        district_page,
        "assign_handler",
        lambda form: form.locator("select[name='assign_handler-handler']").select_option(str(district.pk)),
    )

    def consultation(form):
        form.locator("[name='add_consultation-held_on']").fill(datetime.date.today().isoformat())
        form.locator("[name='add_consultation-participating_bodies']").fill("区教育局、派出所、区未保中心")
        form.locator("[name='add_consultation-conclusions']").fill("（测试）安排心理辅导，学校两周内完成调查。")

    run_action(district_page, "add_consultation", consultation)
    expect(district_page.locator(".timeline")).to_contain_text("区教育局、派出所、区未保中心")
    assert BullyingReport.objects.get(pk=report.pk).handler_id == district.pk
    check_page(district_page, "case-after-consultation")

    # The officer: investigation, the committee's determination, measures, closing (phone).
    officer_page.goto(f"/schools/cases/{report.pk}/")
    officer_page.set_viewport_size(PHONE)
    run_action(officer_page, "start_investigation")
    assert case_state(report.pk) == State.INVESTIGATING

    def determination(form):
        check(officer_page, "determine-determination", "bullying")
        for role in ("principal", "class_teacher", "psychologist"):
            check(officer_page, "determine-committee_roles", role)
        form.locator("[name='determine-reason']").fill("（测试）学生欺凌治理委员会会议认定。")

    run_action(officer_page, "determine", determination)
    assert case_state(report.pk) == State.DETERMINED
    check_page(officer_page, "case-determined")

    def measures(form):
        for measure in ("education", "counselling", "family_education"):
            check(officer_page, "start_handling-measures", measure)

    run_action(officer_page, "start_handling", measures)
    assert case_state(report.pk) == State.HANDLING
    run_action(officer_page, "close", lambda form: form.locator("textarea").fill("（测试）措施已落实，回访无异常。"))
    closed = BullyingReport.objects.get(pk=report.pk)
    assert closed.state == State.CLOSED and closed.measures == ["education", "counselling", "family_education"]
    assert closed.determination == "bullying"
    check_page(officer_page, "case-closed")

    # The dashboard shows the district the closed case; the officer sees their school only.
    district_page.goto("/schools/cases/dashboard/")
    expect(district_page.locator(".chart-table").first).to_be_visible()
    check_page(district_page, "case-dashboard")

    # District staff invite another officer for the school, by mobile number.
    district_page.goto("/schools/invite/")
    check_page(district_page, "invite-officer")
    district_page.locator("select[name='school']").select_option(str(school.pk))
    district_page.locator("[name='name']").fill("赵老师")
    district_page.locator("[name='phone']").fill("13900001111")
    with district_page.expect_navigation():
        district_page.locator("form:has([name='phone'])").locator("button[type='submit']").click()
    expect(district_page.locator(".message--success")).to_be_visible()
    # Nothing is granted yet: the invitation waits for the person to open the texted link.
    assert not SchoolMembership.objects.filter(user__phone="+8613900001111").exists()
    expect(district_page.locator(".case-card", has_text="139****1111")).to_be_visible()
    check_page(district_page, "invite-officer-pending")
    from schools.models import Notification

    texted = Notification.objects.get(address="+8613900001111").body
    link = re.search(r"/schools/invitations/[A-Za-z0-9_\-]+/", texted).group(0)
    invitee = new_page(browser, live_server, PHONE)
    invitee.goto(link)
    invitee.wait_for_url(re.compile(r"/schools/invitations/accept/"))
    expect(invitee.locator("a[href^='/accounts/login/']").first).to_be_visible()
    check_page(invitee, "invitation-accept")
    invitee.context.close()
    officer_page.goto("/schools/cases/dashboard/")
    check_page(officer_page, "case-dashboard-officer")
    assert not officer_page.js_errors and not district_page.js_errors
    officer_page.context.close()
    district_page.context.close()
