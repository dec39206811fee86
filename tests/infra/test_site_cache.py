"""Site-wide data kept between requests (core/site_cache.py): reused while content is unchanged,
read again as soon as it changes, never shared in a way one request could spoil for another."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from core import page_cache, site_cache
from home.models import SiteContactSettings
from tests.factories.courses import TopicFactory, catalogue
from tests.factories.home import StandardPageFactory, home_page, set_hotlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    site = Site.objects.get(is_default_site=True)
    SiteContactSettings.for_site(site)  # made on first use otherwise, which is itself a change
    return site


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries]


def reads(queries, table: str) -> int:
    return sum(f'FROM "{table}"' in sql for sql in queries)


def test_site_settings_and_menu_are_read_once_and_then_reused(client, site):
    StandardPageFactory(parent=home_page(), title="关于我们", show_in_menus=True)
    _html, first = get(client, "/")
    html, second = get(client, "/")
    assert reads(first, "wagtailcore_site") >= 1 and reads(first, "home_sitecontactsettings") == 1
    assert reads(second, "wagtailcore_site") == 0 and reads(second, "home_sitecontactsettings") == 0
    assert len(second) < len(first)
    assert "关于我们" in html


def test_a_published_menu_page_shows_on_the_next_request(client, site):
    get(client, "/")
    StandardPageFactory(parent=home_page(), title="家长学堂", show_in_menus=True)
    html, _queries = get(client, "/")
    assert 'class="main-nav__link"' in html and "家长学堂" in html


def test_a_renamed_menu_page_is_renamed_on_the_next_request(client, site):
    page = StandardPageFactory(parent=home_page(), title="旧名称", show_in_menus=True)
    assert "旧名称" in get(client, "/")[0]
    page.title = "新名称"
    page.save_revision().publish()
    html, _queries = get(client, "/")
    assert "新名称" in html and "旧名称" not in html


def test_changed_hotlines_show_on_the_next_request(client, site):
    set_hotlines(site, [{"name": "区未保中心", "number": "021-0000-1234", "description": "演示号码"}])
    assert "021-0000-1234" in get(client, "/")[0]
    set_hotlines(site, [{"name": "区未保中心", "number": "021-0000-9999", "description": "演示号码"}])
    html, _queries = get(client, "/")
    assert "021-0000-9999" in html and "021-0000-1234" not in html


def test_a_new_topic_appears_in_the_catalogue_filter(client, site):
    index = catalogue()
    TopicFactory(name="亲子沟通", slug="talking")
    assert "亲子沟通" in get(client, index.url)[0]
    TopicFactory(name="情绪管理", slug="feelings")
    assert "情绪管理" in get(client, index.url)[0]


def test_the_current_menu_item_is_worked_out_per_request(client, site):
    page = StandardPageFactory(parent=home_page(), title="关于我们", slug="about", show_in_menus=True)
    home_html, _queries = get(client, "/")
    about_html, _queries = get(client, page.url)
    assert 'href="/about/" aria-current="page"' not in home_html.replace("\n", " ")
    assert 'aria-current="page"' in about_html


def test_each_request_gets_its_own_copy_of_the_settings(rf, site):
    first_request, second_request = rf.get("/"), rf.get("/")
    first = SiteContactSettings.for_request(first_request)
    first.organisation = "只在这个请求里改过"
    second = SiteContactSettings.for_request(second_request)
    assert second is not first and second.organisation != "只在这个请求里改过"
    assert SiteContactSettings.for_request(first_request) is first  # one per request, as in Wagtail


def test_without_the_shared_cache_every_request_reads_the_database(client, site, monkeypatch):
    def unavailable():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(page_cache, "current_version", unavailable)
    get(client, "/")
    _html, queries = get(client, "/")
    assert reads(queries, "wagtailcore_site") == 1 and reads(queries, "home_sitecontactsettings") == 1


def test_turned_off_nothing_is_kept(client, site, settings):
    settings.SITE_CACHE_SECONDS = 0
    get(client, "/")
    _html, queries = get(client, "/")
    assert reads(queries, "wagtailcore_site") == 1


def test_entries_expire_even_without_a_change(client, site, monkeypatch):
    get(client, "/")
    clock = [site_cache.time.monotonic() + 301]
    monkeypatch.setattr(site_cache.time, "monotonic", lambda: clock[0])
    _html, queries = get(client, "/")
    assert reads(queries, "wagtailcore_site") == 1


def test_a_change_bumps_the_version_again_when_its_transaction_commits(site):
    before = page_cache.current_version()
    for _ in range(3):
        StandardPageFactory(parent=home_page())
    during = page_cache.current_version()
    assert during != before
    # Once more on commit (a request may have read the new token and the old rows), and only
    # once per transaction, however many rows changed in it.
    pending = [entry[1] for entry in connection.run_on_commit if entry[1] is page_cache._replace_version]
    assert len(pending) == 1
    pending[0]()
    assert page_cache.current_version() != during


def test_settings_made_empty_on_first_use_change_nothing(db):
    SiteContactSettings.objects.all().delete()
    before = page_cache.current_version()
    SiteContactSettings.for_site(Site.objects.get(is_default_site=True))
    assert page_cache.current_version() == before


# --- Routing, privacy and card tags from the same per-worker data -------------------------------


def test_a_new_section_is_reachable_and_an_unpublished_one_is_gone(client, site):
    get(client, "/")
    section = StandardPageFactory(parent=home_page(), title="新栏目", slug="new-section")
    html, _queries = get(client, "/new-section/")
    assert "新栏目" in html
    section.unpublish()
    assert client.get("/new-section/").status_code == 404


def test_pages_below_a_section_are_routed_without_reading_the_section(client, site):
    from tests.factories.courses import course_with_lessons

    course = course_with_lessons(1, title="倾听孩子")
    get(client, course.url)
    html, queries = get(client, course.url)
    assert "倾听孩子" in html
    assert not any('"courses_courseindexpage"' in sql for sql in queries)


def test_a_page_made_private_asks_for_sign_in_on_the_next_request(client, site):
    from wagtail.models import PageViewRestriction

    from tests.factories.courses import course_with_lessons

    course = course_with_lessons(1, title="倾听孩子")
    index = catalogue()
    assert "倾听孩子" in get(client, index.url)[0]
    get(client, course.url)
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(course.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "倾听孩子" not in get(client, index.url)[0]  # nor listed in the catalogue


def test_a_private_section_hides_what_is_below_it(client, site):
    from wagtail.models import PageViewRestriction

    from tests.factories.courses import course_with_lessons

    course = course_with_lessons(1)
    get(client, course.url)
    PageViewRestriction.objects.create(page=catalogue(), restriction_type=PageViewRestriction.LOGIN)
    assert client.get(course.url).status_code == 302


def test_cards_carry_their_tags_in_the_taxonomy_order(rf, site):
    from core.listing import attach_taxonomy
    from courses.models import CoursePage
    from tests.factories.courses import AgeGroupFactory, course_with_lessons, tag

    later, earlier = TopicFactory(name="后", sort_order=2), TopicFactory(name="先", sort_order=1)
    teens = AgeGroupFactory(name="青春期")
    tagged = tag(course_with_lessons(0), topics=[later, earlier], age_groups=[teens])
    plain = course_with_lessons(0)
    pages = attach_taxonomy(rf.get("/"), CoursePage.objects.filter(pk__in=[tagged.pk, plain.pk]).order_by("pk"))
    assert [topic.name for topic in pages[0].card_topics] == ["先", "后"]
    assert [age.name for age in pages[0].card_age_groups] == ["青春期"]
    assert pages[1].card_topics == [] and pages[1].card_age_groups == []


def test_a_preview_shows_the_tags_being_edited(rf, site):
    from core.listing import page_taxonomy
    from tests.factories.courses import course_with_lessons

    course = course_with_lessons(0)
    course.topics = [TopicFactory(name="未保存的主题")]  # in the editor, not saved yet
    request = rf.get("/")
    request.is_preview = True
    topics, _ages = page_taxonomy(request, course)
    assert [topic.name for topic in topics] == ["未保存的主题"]


def test_a_worker_holds_a_bounded_number_of_entries(rf, site):
    request = rf.get("/")
    for number in range(site_cache.MAX_ENTRIES * 2):
        site_cache.remember(request, ("made-up host", number), lambda: "x")
    assert len(site_cache._store["values"]) <= site_cache.MAX_ENTRIES


def test_views_that_show_no_site_data_do_not_read_the_content_version(client, site, monkeypatch):
    reads = []
    original = page_cache.current_version
    monkeypatch.setattr(page_cache, "current_version", lambda: reads.append(1) or original())
    assert client.get("/healthz").status_code == 200
    assert reads == []
    client.get("/")
    assert reads == [1]  # once per request that does


def test_the_catalogues_card_tags_are_read_once_and_a_retagged_course_shows_its_new_tag(client, site):
    from tests.factories.courses import course_with_lessons, tag

    index = catalogue()
    course = tag(course_with_lessons(0), topics=[TopicFactory(name="亲子沟通")])
    get(client, index.url)
    html, queries = get(client, index.url)
    assert '<li class="course-tag">亲子沟通</li>' in html
    assert reads(queries, "courses_coursepage_topics") == 0  # the cards' tags are the worker's
    course.topics = [TopicFactory(name="情绪管理")]
    course.save_revision().publish()
    html, queries = get(client, index.url)
    assert '<li class="course-tag">情绪管理</li>' in html and '<li class="course-tag">亲子沟通</li>' not in html
    assert reads(queries, "courses_coursepage_topics") == 1


def test_the_catalogues_cards_are_rendered_once_then_reused_until_content_or_their_counts_change(
    client, site, monkeypatch
):
    from core.templatetags import fragment_tags
    from courses.models import Enrolment
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import course_with_lessons

    index = catalogue()
    course, other = course_with_lessons(0, title="亲子沟通入门"), course_with_lessons(0, title="情绪管理")
    fresh: list[int] = []
    original = fragment_tags.render_fresh
    monkeypatch.setattr(fragment_tags, "render_fresh", lambda node, context: fresh.append(1) or original(node, context))

    get(client, index.url)
    assert len(fresh) == 2
    html, _queries = get(client, index.url)
    assert len(fresh) == 2  # both cards from the worker
    assert "亲子沟通入门" in html and "情绪管理" in html and "0 位家长已报名" in html

    Enrolment.objects.create(parent=UserFactory(), course=course)  # a count changes, not content
    html, _queries = get(client, index.url)
    assert len(fresh) == 3 and "1 位家长已报名" in html  # that card only

    other.title = "情绪管理进阶"
    other.save_revision().publish()
    html, _queries = get(client, index.url)
    assert len(fresh) == 5 and "情绪管理进阶" in html  # content changed: every card again


def test_cards_are_kept_per_language(client, site):
    from tests.factories.courses import course_with_lessons

    index = catalogue()
    course_with_lessons(0)
    assert "0 位家长已报名" in get(client, index.url)[0]
    client.cookies["huiai_language"] = "en"
    html, _queries = get(client, index.url)
    assert "0 parents enrolled" in html and "位家长已报名" not in html


COUNTING = 'SELECT COUNT(*) AS "__count"'


def test_the_number_of_courses_is_counted_once_per_filter_and_again_when_a_course_is_published(client, site):
    from tests.factories.courses import course_with_lessons

    index = catalogue()
    course_with_lessons(0)
    get(client, index.url)
    html, queries = get(client, index.url)
    assert "共 1 门课程" in html and not any(sql.startswith(COUNTING) for sql in queries)
    html, queries = get(client, index.url + "?sort=popular")  # another filter: counted for itself
    assert "共 1 门课程" in html and sum(sql.startswith(COUNTING) for sql in queries) == 1
    course_with_lessons(0)
    html, _queries = get(client, index.url)
    assert "共 2 门课程" in html


def test_a_page_of_the_catalogue_is_kept_and_only_its_counts_are_read_again(client, site):
    from tests.factories.courses import course_with_lessons

    index = catalogue()
    course_with_lessons(0, title="亲子沟通入门")
    get(client, index.url)
    html, queries = get(client, index.url)
    assert "亲子沟通入门" in html
    assert reads(queries, "courses_coursepage") == 0 and reads(queries, "courses_enrolment") == 1
    get(client, index.url + "?sort=popular")
    html, queries = get(client, index.url + "?sort=popular")  # ordered by a count: read each time
    assert reads(queries, "courses_coursepage") == 1
    course_with_lessons(0, title="情绪管理")
    html, _queries = get(client, index.url)
    assert "情绪管理" in html


def test_a_courses_lessons_are_read_once_and_a_new_lesson_shows_on_the_next_view(client, site):
    from tests.factories.courses import LessonPageFactory, course_with_lessons

    course = course_with_lessons(1)
    get(client, course.url)
    html, queries = get(client, course.url)
    assert reads(queries, "courses_lessonpage") == 0
    LessonPageFactory(parent=course, title="第二课：倾听")
    html, queries = get(client, course.url)
    assert "第二课：倾听" in html and reads(queries, "courses_lessonpage") == 1


def test_filters_naming_no_topic_keep_nothing_in_the_worker(client, site):
    from tests.factories.courses import course_with_lessons

    index = catalogue()
    course_with_lessons(0)
    get(client, index.url)
    held = len(site_cache._store["values"])
    for number in range(5):
        html, _queries = get(client, f"{index.url}?topic=made-up-{number}&age=nobody-{number}")
        assert "没有符合" in html or "共 0 门课程" in html
    assert len(site_cache._store["values"]) == held
