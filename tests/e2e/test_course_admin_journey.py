"""A teacher writes a course with a lesson in the Wagtail admin and submits it; district staff
approve it; the course appears in the catalogue (Chromium, desktop and phone).

The rules these journeys walk through are in ``courses.review``: a teacher may add courses
under the catalogue but never publish, so the editor offers "submit to the course review" and
no "publish"; district staff (signed in with their authenticator code) approve or request
changes from the dashboard's "awaiting your review" panel, with a comment; either way the
teacher gets an e-mail (Celery runs eagerly in tests; mail goes to ``django.core.mail.outbox``).

Only the public pages go through ``check_page`` (axe-core): the Wagtail admin is Wagtail's.
Screenshots of the admin steps are saved as ``course-admin-*.png`` beside the others.
"""

from __future__ import annotations

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, SCREENSHOTS, check_page
from .test_case_journeys import new_page, sign_in_with_totp

COURSE_TITLE = "家校携手：孩子被孤立时怎么办"
COURSE_SUMMARY = "孩子说“没人跟我玩”时，家长如何倾听、判断是不是关系欺凌，并和老师一起想办法。"
LESSON_TITLE = "第一课：听孩子说说班里的事"
LESSON_TEXT = "先放下手机，看着孩子的眼睛，听他把话说完。"
REVIEW_WORKFLOW = re.compile("课程审核")
APPROVE_WITH_COMMENT = re.compile(r"^(带评论批准|Approve with comment)$")
REQUEST_CHANGES = re.compile(r"^(请求修改|Request changes)$")


@pytest.fixture
def course_review(transactional_db, django_db_serialized_rollback):
    """The demo users (one per role) and the demo catalogue, which runs the course review."""
    from demo.recipes.courses import create_demo_courses
    from demo.recipes.users import DEMO_PASSWORD, create_demo_users

    users = {user["role"]: user for user in create_demo_users()}
    catalogue = create_demo_courses()
    mail.outbox.clear()
    return {
        "catalogue": catalogue,
        "teacher": users["teacher"],
        "district": users["district_staff"],
        "password": DEMO_PASSWORD,
    }


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The admin scrolls inside its own panes: a viewport picture shows what a person sees.
    page.evaluate("document.querySelectorAll('main, main *').forEach((node) => { node.scrollLeft = 0; })")
    page.screenshot(path=str(SCREENSHOTS / f"course-admin-{name}.png"))


def sign_in(page, login: str, password: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("[name='login']").fill(login)
    page.locator("[name='password']").fill(password)
    page.locator("form:has([name='password'])").locator("button[type='submit']").first.click()
    page.wait_for_url(lambda url: next_url in url)
    page.wait_for_load_state("load")


def sign_out(page) -> None:
    page.context.clear_cookies()


def add_child_page(page, parent_title: str, page_type: re.Pattern | None = None) -> None:
    """From the parent's listing in the page explorer: "add child page", then the page type."""
    page.get_by_role("link", name=re.compile(r"添加子页面|Add child page")).first.click()
    if page_type is not None:
        page.get_by_role("link", name=page_type).first.click()
    page.wait_for_load_state("load")
    expect(page.locator("[name='title']")).to_be_visible()


def settle_autosave(page) -> None:
    """Wagtail 8 autosaves the editor (the first autosave creates the page): wait until it is
    done, or "submit" would race it and find the slug already taken."""
    page.wait_for_timeout(1000)  # the autosave interval is 500 ms after the last change
    expect(page.locator("#w-autosave-indicator").get_by_text(re.compile(r"^\s*(正在保存|Saving)"))).to_be_hidden()


def submit_for_review(page, screenshot: str) -> None:
    """Opens the editor's action menu and submits to the course review; no "publish" on offer."""
    settle_autosave(page)
    save_draft = page.get_by_role("button", name=re.compile(r"^(保存草稿|Save draft)$", re.IGNORECASE))
    actions = page.locator(".w-dropdown-button", has=save_draft)
    actions.get_by_role("button", name=re.compile(r"^(更多动作|More actions)$")).click()
    expect(page.get_by_role("button", name=REVIEW_WORKFLOW)).to_be_visible()
    shoot(page, screenshot)
    assert page.locator("button[name='action-publish']").count() == 0
    assert page.get_by_role("button", name=re.compile(r"^(发布|Publish)$")).count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name=REVIEW_WORKFLOW).click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"提交.*审核|submitted for moderation"))


def teacher_writes_a_course_with_a_lesson(page, data) -> None:
    from courses.models import CoursePage

    catalogue = data["catalogue"]
    sign_in(page, data["teacher"]["email"], data["password"], "/admin/")
    shoot(page, "1-teacher-dashboard")
    page.goto(f"/admin/pages/{catalogue.pk}/")
    add_child_page(page, catalogue.title)
    page.locator("[name='title']").fill(COURSE_TITLE)
    page.locator("[name='summary']").fill(COURSE_SUMMARY)
    page.locator("[name='learning_objectives']").fill("学会听孩子说\n分辨玩笑和关系欺凌\n和班主任一起商量办法")
    page.locator("[name='estimated_minutes']").fill("20")
    page.get_by_role("checkbox", name="防范校园欺凌").check()
    page.get_by_role("checkbox", name="亲子沟通").check()
    page.get_by_role("checkbox", name="小学（6–12 岁）").check()
    page.locator("[name='organisation']").fill("汇爱示例实验小学（演示）")
    shoot(page, "2-course-form")
    submit_for_review(page, "2b-course-actions")
    course = CoursePage.objects.get(title=COURSE_TITLE)
    assert not course.live and course.owner.email == data["teacher"]["email"]
    assert course.current_workflow_state is not None

    page.goto(f"/admin/pages/{course.pk}/")
    add_child_page(page, COURSE_TITLE, re.compile(r"^(课时|Lesson)$"))
    page.locator("[name='title']").fill(LESSON_TITLE)
    page.locator("[name='intro']").fill("孩子回家说“没人跟我玩”，先别急着下结论。")
    page.get_by_role("button", name=re.compile(r"^(新增|Add|插入内容块|Insert a block)$")).first.click()
    page.get_by_role("option", name=re.compile(r"富文本|Rich text")).first.click()
    editor = page.locator(".Draftail-Editor [contenteditable='true']").first
    editor.click()
    editor.type(LESSON_TEXT)
    shoot(page, "3-lesson-form")
    submit_for_review(page, "3b-lesson-actions")
    shoot(page, "4-submitted")


def district_staff_decide(page, data, action: re.Pattern, comment: str) -> None:
    district = data["district"]
    sign_in_with_totp(page, district["email"], data["password"], district["totp_secret"], "/admin/")
    expect(page.get_by_text(re.compile(r"等待你的审查|Awaiting your review"))).to_be_visible()
    shoot(page, "5-district-dashboard")
    for title in (COURSE_TITLE, LESSON_TITLE):
        row = page.locator("tr", has=page.get_by_role("link", name=title))
        row.get_by_role("button", name=re.compile(r"^(操作|动作|Actions)$")).click()
        row.get_by_role("button", name=action).click()
        dialog = page.get_by_role("dialog")
        expect(dialog.locator("textarea[name='comment']")).to_be_visible()
        dialog.locator("textarea[name='comment']").fill(comment)
        shoot(page, "6-district-comment")
        with page.expect_navigation():
            dialog.locator("button[type='submit'], input[type='submit']").first.click()
        page.wait_for_load_state("load")


# --- The journeys ----------------------------------------------------------------------------


def test_a_teacher_writes_a_course_district_staff_approve_and_parents_find_it(browser, live_server, course_review):
    from courses.models import CoursePage, LessonPage

    teacher_page = new_page(browser, live_server, DESKTOP)
    teacher_writes_a_course_with_a_lesson(teacher_page, course_review)
    catalogue_url = course_review["catalogue"].url
    sign_out(teacher_page)
    visitor = new_page(browser, live_server, DESKTOP)
    visitor.goto(catalogue_url)
    expect(visitor.get_by_role("link", name="防范校园欺凌：家长必须知道的事")).to_be_visible()
    expect(visitor.get_by_role("link", name=COURSE_TITLE)).to_have_count(0)  # not public before the review

    district_page = new_page(browser, live_server, DESKTOP)
    district_staff_decide(district_page, course_review, APPROVE_WITH_COMMENT, "内容实用，已通过审核。")
    course = CoursePage.objects.get(title=COURSE_TITLE)
    lesson = LessonPage.objects.get(title=LESSON_TITLE)
    assert course.live and lesson.live
    assert LESSON_TEXT in str(lesson.body)
    expect(district_page.get_by_text(re.compile(r"等待你的审查|Awaiting your review"))).to_have_count(0)
    shoot(district_page, "7-district-after")

    # The teacher is told, with the reviewer's comment.
    teacher_email = course_review["teacher"]["email"]
    messages = [message for message in mail.outbox if teacher_email in message.to]
    assert any(COURSE_TITLE in message.subject and "内容实用" in message.body for message in messages)
    assert any(LESSON_TITLE in message.subject for message in messages)

    # An anonymous parent finds the course in the catalogue, at desktop and phone size.
    visitor.goto(catalogue_url)  # the same address: a cached copy must not hide the new course
    card = visitor.get_by_role("link", name=COURSE_TITLE)
    expect(card).to_be_visible()
    check_page(visitor, "course-admin-catalogue")
    visitor.set_viewport_size(PHONE)
    expect(card).to_be_visible()
    card.click()
    visitor.wait_for_load_state("load")
    expect(visitor.get_by_role("heading", name=COURSE_TITLE)).to_be_visible()
    expect(visitor.get_by_text(LESSON_TITLE)).to_be_visible()
    check_page(visitor, "course-admin-course")


def test_district_staff_request_changes_and_the_course_stays_hidden(browser, live_server, course_review):
    from courses.models import CoursePage

    teacher_page = new_page(browser, live_server, DESKTOP)
    teacher_writes_a_course_with_a_lesson(teacher_page, course_review)
    sign_out(teacher_page)

    district_page = new_page(browser, live_server, DESKTOP)
    district_staff_decide(district_page, course_review, REQUEST_CHANGES, "请补充求助热线和学校联系人。")
    course = CoursePage.objects.get(title=COURSE_TITLE)
    assert not course.live

    teacher_email = course_review["teacher"]["email"]
    assert any(
        COURSE_TITLE in message.subject and "求助热线" in message.body
        for message in mail.outbox
        if teacher_email in message.to
    )
    visitor = new_page(browser, live_server, PHONE)
    visitor.goto(course_review["catalogue"].url)
    expect(visitor.get_by_role("link", name=COURSE_TITLE)).to_have_count(0)
