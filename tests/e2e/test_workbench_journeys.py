"""Each role lands on its workbench (我的工作台) from the header and reaches its work from there,
at desktop (1280 px) and phone (375 px) size; an editor's news item is approved by another
reviewer and published.

Every page goes through ``check_page`` and, stricter than it, axe-core with no finding of any
impact (``no_axe_findings``).
"""

from __future__ import annotations

from django.test import Client

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully

from .conftest import (
    DESKTOP,
    PHONE,
    all_axe_findings,
    check_page,
    demo_user,
    format_violations,
    horizontal_overflow,
)


def no_axe_findings(page) -> None:
    """axe-core with no violation of any impact (minor and moderate too)."""
    results = all_axe_findings(page)
    assert not results, f"axe findings at {page.url}:\n{format_violations(results)}"


def sign_in(page, live_server, user) -> None:
    client = Client()
    sign_in_fully(client, user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def check_everywhere(page, name: str) -> None:
    check_page(page, name)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        no_axe_findings(page)
    page.set_viewport_size(DESKTOP)


def open_workbench_from_the_header(page, name: str) -> None:
    """Desktop: the account bar's 「我的工作台」; phone: the tab bar's 「我的」. Both land on it."""
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    page.get_by_role("navigation", name="账号").get_by_role("link", name="我的工作台").click()
    page.wait_for_url("**/workbench/")
    assert page.url.endswith("/workbench/")
    page.set_viewport_size(PHONE)
    page.goto("/")
    # the account bar keeps to one row on a phone (the tab bar's 「我的」 is the way to the workbench)
    assert page.locator(".account-nav__list").bounding_box()["height"] < 50
    page.get_by_role("navigation", name="快捷导航").get_by_role("link", name="我的").click()
    page.wait_for_url("**/workbench/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作台")
    page.set_viewport_size(DESKTOP)
    check_everywhere(page, name)


@pytest.mark.parametrize(
    ("role", "work_link", "lands_on"),
    [
        (Role.PARENT, "浏览课程资源库", "/courses/"),
        (Role.TEACHER, "课程报表", "/admin/courses/report/"),
        (Role.SCHOOL_OFFICER, "全部案件", "/schools/cases/"),
        (Role.DISTRICT_STAFF, "全部案件", "/schools/cases/"),
        (Role.EDITOR, "管理", "/admin/"),
    ],
)
def test_each_role_lands_on_its_workbench_and_reaches_its_work(page, live_server, demo_site, role, work_link, lands_on):
    user = UserFactory(role=role, name="演示用户")
    if role == Role.SCHOOL_OFFICER:
        from schools.models import School, SchoolMembership

        SchoolMembership.objects.create(user=user, school=School.objects.first(), role=SchoolMembership.Role.OFFICER)
    sign_in(page, live_server, user)
    open_workbench_from_the_header(page, f"workbench-{role.value}")
    page.locator("main").get_by_role("link", name=work_link, exact=True).first.click()
    page.wait_for_load_state("load")
    assert lands_on in page.url, page.url


@pytest.mark.parametrize(
    ("role", "work_link", "lands_on"),
    [
        (Role.DISTRICT_LEAD, "全部案件", "/schools/cases/"),
        (Role.HEAD_TEACHER, "家长学校班级", "/participation/classes/"),
        (Role.CHILD_DIRECTOR, "参与情况统计", "/participation/stats/"),
        (Role.CHILD_SUPERVISOR, "参与情况统计", "/participation/stats/"),
        (Role.GUIDANCE_WORKER, "今日预约", "/stations/staff/"),
        (Role.COURT_LIAISON, "指导计划", "/guidance/plans/"),
    ],
)
def test_every_other_role_lands_on_its_workbench_and_reaches_its_work(
    page, live_server, demo_site_with_users, role, work_link, lands_on
):
    """The roles above as their demo users, who come with their school, station or court."""
    sign_in(page, live_server, demo_user(role))
    open_workbench_from_the_header(page, f"workbench-{role.value}")
    page.locator("main").get_by_role("link", name=work_link, exact=True).first.click()
    page.wait_for_load_state("load")
    assert lands_on in page.url, page.url
    check_everywhere(page, f"work-{role.value}")


def click_in_action_menu(page, selector: str) -> None:
    """Clicks an item of the admin's footer action menu, opening its dropdown first if needed."""
    item = page.locator(selector).first
    if not item.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle'], footer .w-dropdown__toggle").first.click()
    item.click()


def test_an_editors_news_item_is_approved_by_another_reviewer_and_published(page, live_server, demo_site):
    from alliance.models import AllianceNewsPage

    news = AllianceNewsPage.objects.live().first()
    author = UserFactory(role=Role.EDITOR, name="写稿编辑")
    reviewer = UserFactory(role=Role.EDITOR, name="审稿编辑")
    new_title = f"{news.title}（更新）"

    sign_in(page, live_server, author)
    page.goto(f"/admin/pages/{news.pk}/edit/")
    page.locator("#id_title").fill(new_title)
    click_in_action_menu(page, "button[name='action-submit']")
    page.wait_for_load_state("load")
    news.refresh_from_db()
    assert news.title != new_title and news.current_workflow_state is not None  # waiting, not live

    sign_in(page, live_server, reviewer)
    page.goto("/")
    page.get_by_role("navigation", name="账号").get_by_role("link", name="我的工作台").click()
    page.wait_for_url("**/workbench/")
    reviews = page.get_by_role("region", name="待我审核的页面")
    expect(reviews.get_by_role("link", name=new_title)).to_be_visible()
    check_everywhere(page, "workbench-editor-review")
    reviews.get_by_role("link", name=new_title).click()
    page.wait_for_url(f"**/admin/pages/{news.pk}/edit/")
    click_in_action_menu(page, "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])")
    page.wait_for_load_state("load")
    news.refresh_from_db()
    assert news.live and news.title == new_title
    page.goto(news.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)


def test_the_header_has_search_the_phone_tab_bar_and_a_menu_that_escape_closes(page, live_server, demo_site):
    page.goto("/")
    # 1280 px: the main navigation stays on one row.
    tops = page.eval_on_selector_all(".main-nav--wide .main-nav__link", "links => links.map(l => l.offsetTop)")
    assert tops and len(set(tops)) == 1, tops
    # ... and the brand beside it is not squeezed into a column of single characters
    brand = page.locator(".brand__name").bounding_box()
    assert brand["width"] > brand["height"], brand
    # ... and stays inside the header's container, at 1280 px and wider
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        nav, main = page.locator(".main-nav--wide").bounding_box(), page.locator(".site-header__main").bounding_box()
        assert nav["x"] + nav["width"] <= main["x"] + main["width"], (width, nav, main)
    # A tablet or a small laptop gets the menu button, not a row that pushes the page sideways.
    for width in (800, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        expect(page.locator("details.main-nav--phone summary")).to_be_visible()
        assert horizontal_overflow(page) == 0, width
    page.set_viewport_size(DESKTOP)
    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill("家庭教育")
    search.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.set_viewport_size(PHONE)
    page.goto("/")
    for box in page.eval_on_selector_all(
        ".tab-bar__link", "links => links.map(l => [l.getBoundingClientRect().width, l.getBoundingClientRect().height])"
    ):
        assert box[0] >= 44 and box[1] >= 44, box
    menu = page.locator("details.main-nav--phone")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # the focus ring of a form field: the deep coral, not the pale amber
    page.set_viewport_size(DESKTOP)
    page.goto("/accounts/login/")
    page.locator("input[name='login']").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    colour = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert colour == "rgb(176, 64, 42)", colour


def test_a_teacher_submits_a_course_as_one_unit_and_the_reviewer_approves_it_at_once(page, live_server, demo_site):
    from courses.models import CourseIndexPage
    from tests.factories.courses import CoursePageFactory, LessonPageFactory, QuizPageFactory
    from tests.factories.schools import district_staff

    teacher = UserFactory(role=Role.TEACHER, name="王老师")
    catalogue = CourseIndexPage.objects.get()
    course = CoursePageFactory(parent=catalogue, owner=teacher, teacher=teacher, live=False, title="新课：倾听孩子")
    unit = [LessonPageFactory(parent=course, owner=teacher, live=False) for _ in range(3)]
    unit.append(QuizPageFactory(parent=course, owner=teacher, live=False, question_count=1))
    for item in unit:
        item.save_revision(user=teacher)  # saved as drafts, never submitted one by one

    sign_in(page, live_server, teacher)
    page.goto(f"/admin/pages/{course.pk}/edit/")
    click_in_action_menu(page, "button[name='action-submit']")
    page.wait_for_load_state("load")
    page.goto("/workbench/")
    expect(page.locator(".workbench-badge--in_review")).to_be_visible()
    check_everywhere(page, "workbench-teacher-in-review")

    staff = district_staff()
    sign_in(page, live_server, staff)
    page.goto("/workbench/")
    reviews = page.get_by_role("region", name="待我审核的页面")
    reviews.get_by_role("link", name="新课：倾听孩子").click()
    page.wait_for_url(f"**/admin/pages/{course.pk}/edit/")
    click_in_action_menu(page, "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])")
    page.wait_for_load_state("load")
    for item in [course, *unit]:
        item.refresh_from_db()
        assert item.live and not item.has_unpublished_changes, item.title


def test_district_staff_are_told_on_their_workbench_that_next_years_holiday_calendar_is_missing(
    page, live_server, demo_site, monkeypatch
):
    import datetime

    # The installed calendar ends with 2026 and it is December 2026 (the live server runs in this process).
    monkeypatch.setattr("core.workdays.known_years", lambda: (2004, 2026))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 12, 1))
    sign_in(page, live_server, UserFactory(role=Role.DISTRICT_STAFF, name="演示用户"))

    page.goto("/workbench/")
    notice = page.get_by_role("status").filter(has_text="2027 年的法定节假日安排尚未安装")
    expect(notice).to_be_visible()
    check_everywhere(page, "workbench-calendar-notice")
