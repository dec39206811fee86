"""A frightened child reports on a phone: the guided flow, quick exit, and a reply read with the code.

(a) A student on a 375 px phone files an anonymous report one question per screen: Next on an
empty required question shows the error summary linked to the field; Back keeps the answers; a
reload brings the draft back from the browser (the server has nothing yet); the last screen says
who will read the report; the receipt shows the code in groups of three and what happens next.
(b) In another run the child starts a report and uses quick exit: the browser is on the neutral
page, Back does not return to the form, and the form and its draft are empty when opened again.
(c) District staff accept the report with a summary for the school and reply; later, on another
visit, the child opens the report with the code alone, sees that the school was involved and
reads and answers the reply.

Every page is checked at phone and desktop size with axe-core: no finding of any impact.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, VIEWPORTS, all_axe_findings, check_page, format_violations
from .test_case_journeys import _people, new_page, run_action, sign_in_with_totp

NEUTRAL = "https://neutral.invalid/weather"
DRAFT_KEY = "huiai-anonymous-report-draft"


def check_all(page, name: str) -> None:
    """``check_page``, and axe-core with no finding of any impact (minor and moderate too)."""
    check_page(page, name)
    problems = []
    for viewport in ("phone", "desktop"):
        page.set_viewport_size(VIEWPORTS[viewport])
        found = all_axe_findings(page)
        if found:
            problems.append(f"{name} at {viewport}: {format_violations(found)}")
    assert not problems, "\n".join(problems)


def neutral_page(page) -> None:
    """The quick exit's neutral page, answered by the browser (no request leaves the machine)."""
    page.context.route(
        re.compile(r"^https://neutral\.invalid/.*"),
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body="<title>天气</title><p>今天晴</p>"
        ),
    )


def visible_step(page) -> str:
    return page.locator("[data-step]:visible").get_attribute("data-step")


def next_screen(page) -> None:
    page.locator("[data-flow-next]").click()


def draft(page) -> dict | None:
    return page.evaluate(f"JSON.parse(sessionStorage.getItem('{DRAFT_KEY}') || 'null')")


def test_a_child_files_a_report_one_question_at_a_time(browser, live_server, demo_site, settings):
    from schools.models import BullyingReport

    settings.SCHOOLS_QUICK_EXIT_URL = NEUTRAL
    school, *_ = _people()
    before = BullyingReport.objects.count()
    child = new_page(browser, live_server, PHONE)
    child.goto("/")
    expect(child.locator("a[href='/schools/report/']").first).to_be_visible()
    child.goto("/schools/report/")
    expect(child.locator(".flow-progress")).to_have_text(re.compile(r"1.*10"))
    assert visible_step(child) == "school"
    expect(child.locator(".quick-exit")).to_be_visible()
    check_all(child, "anonymous-flow-first-question")

    # Next on the empty required question: the GOV.UK error summary, linked to the field.
    next_screen(child)
    summary = child.locator("#step-school .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check_all(child, "anonymous-flow-error")
    summary.locator("a").click()
    expect(child.locator("#id_school")).to_be_focused()

    child.locator("#id_school").select_option(str(school.pk))
    next_screen(child)
    assert visible_step(child) == "what"
    expect(child.locator("#step-school .error-summary")).to_have_count(0)
    child.locator("#id_narrative").fill("有人欺负我")
    next_screen(child)
    child.locator("input[name='bullying_types'][value='verbal']").check()
    next_screen(child)
    assert visible_step(child) == "hurt"
    # Back without losing the answers.
    child.locator("[data-flow-back]").click()
    child.locator("[data-flow-back]").click()
    assert visible_step(child) == "what"
    expect(child.locator("#id_narrative")).to_have_value("有人欺负我")
    next_screen(child)
    expect(child.locator("input[name='bullying_types'][value='verbal']")).to_be_checked()

    # The draft lives in this browser tab only: a reload brings it back; the server has nothing.
    assert draft(child)["values"]["narrative"] == ["有人欺负我"]
    child.reload()
    assert visible_step(child) == "kind"
    expect(child.locator("input[name='bullying_types'][value='verbal']")).to_be_checked()
    assert BullyingReport.objects.count() == before
    while visible_step(child) != "send":
        next_screen(child)
    expect(child.locator("#who-reads-heading")).to_be_visible()
    expect(child.locator("[data-flow-next]")).to_be_hidden()
    check_all(child, "anonymous-flow-who-reads")

    with child.expect_navigation():
        child.locator("#step-send button[type='submit']").click()
    child.wait_for_url(re.compile(r"/schools/report/receipt/"))
    code = child.locator("#receipt-code").get_attribute("data-code")
    assert re.fullmatch(r"[A-Z2-9]{3}(-[A-Z2-9]{3}){6}", code)
    expect(child.locator("#receipt-code")).to_have_text(code)
    expect(child.locator("#next-heading")).to_be_visible()
    assert draft(child) is None  # sent: the draft is forgotten
    check_all(child, "anonymous-flow-receipt")
    report = BullyingReport.objects.latest("pk")
    assert report.narrative == "有人欺负我" and report.bullying_types == ["verbal"]
    assert not child.js_errors
    child.context.close()


def test_quick_exit_leaves_for_a_neutral_page_and_forgets_the_form(browser, live_server, demo_site, settings):
    settings.SCHOOLS_QUICK_EXIT_URL = NEUTRAL
    school, *_ = _people()
    child = new_page(browser, live_server, PHONE)
    neutral_page(child)
    child.goto("/")
    child.goto("/schools/report/")
    child.locator("#id_school").select_option(str(school.pk))
    next_screen(child)
    child.locator("#id_narrative").fill("他们在群里骂我")
    assert draft(child) is not None

    child.locator(".quick-exit").click()
    child.wait_for_url(NEUTRAL)
    expect(child.locator("p")).to_have_text("今天晴")
    # The report page was replaced in the history: Back goes to the page before it.
    child.go_back()
    child.wait_for_load_state("load")
    assert "/schools/report/" not in child.url
    child.goto("/schools/report/")
    assert draft(child) is None
    assert visible_step(child) == "school"
    expect(child.locator("#id_school")).to_have_value("")
    expect(child.locator("#id_narrative")).to_have_value("")
    assert not child.js_errors
    child.context.close()


def test_a_child_reads_a_reply_with_the_code_and_learns_the_school_is_involved(browser, live_server, demo_site):
    from schools.models import BullyingReport, CaseMessage

    school, _officer, district, password, secret = _people()
    child = new_page(browser, live_server, PHONE)
    child.goto("/schools/report/")
    child.locator("#id_school").select_option(str(school.pk))
    next_screen(child)
    child.locator("#id_narrative").fill(
        "（测试）有同学在厕所里推我、抢我的零花钱，已经好几次了。可以不让班主任知道是我报告的吗？"
    )
    while visible_step(child) != "send":
        next_screen(child)
    with child.expect_navigation():
        child.locator("#step-send button[type='submit']").click()
    code = child.locator("#receipt-code").get_attribute("data-code")
    child.context.close()
    report = BullyingReport.objects.filter(source=BullyingReport.Source.ANONYMOUS).latest("pk")

    # The district accepts it with a summary for the school, and writes to the reporter.
    district_page = new_page(browser, live_server, DESKTOP)
    sign_in_with_totp(district_page, district.email, password, secret, f"/schools/cases/{report.pk}/")

    def accept(form):
        form.locator("[name='acknowledge-school_summary']").fill(
            "（测试）有学生反映在厕所被推搡、索要零花钱，请加强课间巡查。"
        )
        form.locator("input[name='acknowledge-shared_parts'][value='place']").check()

    run_action(district_page, "acknowledge", accept)
    reply = "（测试）谢谢你告诉我们。班主任不会知道是你报告的。放学时你一般从哪个门离开？"
    run_action(
        district_page, "reply_to_reporter", lambda form: form.locator("[name='reply_to_reporter-body']").fill(reply)
    )
    check_all(district_page, "anonymous-case-district")

    # Later, on another visit, the child opens the report with the code alone.
    later = new_page(browser, live_server, PHONE)
    later.goto("/schools/report/status/")
    check_all(later, "anonymous-status")
    later.locator("[name='code']").fill(code.lower().replace("-", " "))
    with later.expect_navigation():
        later.locator("form:has([name='code'])").locator("button[type='submit']").click()
    later.wait_for_url(re.compile(r"/schools/report/status/case/"))
    expect(later.locator(".message--notice")).to_contain_text("学校")
    expect(later.locator(".message--handler")).to_contain_text("班主任不会知道")
    check_all(later, "anonymous-case")
    later.locator("[name='body']").fill("（测试）我一般从北门走。")
    with later.expect_navigation():
        later.locator("form:has([name='body'])").locator("button[type='submit']").click()
    expect(later.locator(".message--reporter")).to_contain_text("北门")
    assert CaseMessage.objects.filter(report=report, author_kind="reporter").count() == 1
    check_all(later, "anonymous-case-answered")
    # The address names neither the code nor the case (the path and query, not the server's port).
    address = later.url.removeprefix(live_server.url)
    assert code not in address and str(report.pk) not in re.findall(r"\d+", address)
    for page in (district_page, later):
        assert not page.js_errors
        page.context.close()
