"""Alliance pages: the tree editors can build, what the alliance page shows, search and query counts."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from alliance.models import (
    AllianceEventPage,
    AllianceIndexPage,
    AllianceMember,
    AllianceNewsPage,
    EventRegistration,
    MemberCategory,
    RegistrationState,
    TeachingResourcePage,
)
from demo.recipes.alliance import create_demo_alliance
from home.models import HomePage, StandardPage
from search.fields import SegmentedSearchField
from search.query import search_pages
from tests.factories.alliance import (
    AllianceMemberFactory,
    AllianceNewsPageFactory,
    alliance_index,
    event,
    fill,
)
from tests.factories.home import home_page as get_home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_page(db):
    return get_home_page()


MAX_INDEX_QUERIES = 24  # 20 measured (anonymous visitor, demo alliance)
MAX_EVENT_QUERIES = 16  # 12 measured
ALLIANCE_PAGES = [AllianceIndexPage, AllianceNewsPage, AllianceEventPage, TeachingResourcePage]


class TestPageTree(WagtailPageTestCase):
    def test_the_alliance_page_hangs_below_the_home_page_only(self):
        self.assertAllowedParentPageTypes(AllianceIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, AllianceIndexPage)
        self.assertCanNotCreateAt(StandardPage, AllianceIndexPage)

    def test_news_events_and_resources_hang_below_the_alliance_page(self):
        self.assertAllowedSubpageTypes(AllianceIndexPage, {AllianceNewsPage, AllianceEventPage, TeachingResourcePage})
        for page_type in (AllianceNewsPage, AllianceEventPage, TeachingResourcePage):
            self.assertAllowedParentPageTypes(page_type, {AllianceIndexPage})
            self.assertAllowedSubpageTypes(page_type, set())


def test_there_is_one_alliance_page_per_site():
    assert AllianceIndexPage.max_count == 1


@pytest.mark.parametrize("model", ALLIANCE_PAGES, ids=lambda model: model.__name__)
def test_alliance_pages_are_searchable_in_chinese(model):
    fields = model.get_search_fields()
    assert any(isinstance(field, SegmentedSearchField) and field.field_name == "title" for field in fields)


def test_an_event_must_end_after_it_starts():
    page = event()
    page.ends_at = page.starts_at
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "ends_at" in error.value.message_dict


def test_the_registration_deadline_may_not_be_after_the_end():
    page = event()
    page.registration_deadline = page.ends_at + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "registration_deadline" in error.value.message_dict


def test_the_registration_state_follows_seats_deadline_and_time():
    page = event(capacity=2)
    now = timezone.now()
    assert page.registration_state(now) == RegistrationState.OPEN
    fill(page, 2)
    assert page.registration_state(now) == RegistrationState.FULL
    assert page.registration_state(page.starts_at) == RegistrationState.CLOSED
    assert page.registration_state(page.ends_at) == RegistrationState.PAST


def test_cancelled_registrations_do_not_count():
    page = event(capacity=2)
    first, _second = fill(page, 2)
    first.cancelled = True
    first.save()
    assert page.seats_left() == 1


def test_members_are_grouped_in_the_categories_order():
    AllianceMemberFactory(name="某中学", category=MemberCategory.SCHOOL)
    AllianceMemberFactory(name="区法院", category=MemberCategory.COURT)
    AllianceMemberFactory(name="区检察院", category=MemberCategory.PROCURATORATE)
    groups = AllianceIndexPage.member_groups()
    assert [group["category"] for group in groups] == ["court", "procuratorate", "school"]


def test_the_alliance_page_shows_members_upcoming_events_news_and_resources(client):
    index = alliance_index()
    AllianceMemberFactory(name="徐汇区人民法院", category=MemberCategory.COURT)
    upcoming = event(title="模拟法庭开放日", capacity=10)
    fill(upcoming, 4)
    now = timezone.now()
    event(
        title="去年的讲座",
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=30, hours=-2),
    )
    AllianceNewsPageFactory(parent=index, title="联盟走进学校")
    content = client.get(index.url).content.decode()
    assert "徐汇区人民法院" in content and "法院" in content
    assert "模拟法庭开放日" in content and "剩余 6 个名额" in content
    assert "去年的讲座" not in content
    assert "联盟走进学校" in content
    past = client.get(index.url + "events/?when=past").content.decode()
    assert "去年的讲座" in past and "模拟法庭开放日" not in past


def _render_queries(client, url: str) -> int:
    client.get(url)  # warm up: image renditions are created on the first render
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_alliance_page_takes_as_many_queries_for_30_members_as_for_3(client):
    create_demo_alliance(get_home_page())
    index = AllianceIndexPage.objects.get()
    AllianceMember.objects.exclude(pk__in=AllianceMember.objects.order_by("pk")[:3].values("pk")).delete()
    few = _render_queries(client, index.url)
    logo = AllianceMember.objects.first().logo
    for number in range(27):
        AllianceMemberFactory(category=list(MemberCategory.values)[number % 8], logo=logo)
    for page in AllianceEventPage.objects.all():
        fill(page, 5)
    many = _render_queries(client, index.url)
    assert many == few <= MAX_INDEX_QUERIES


def test_the_event_page_takes_as_many_queries_for_30_registrations_as_for_3(client):
    page = event(capacity=100)
    page.organisers = [AllianceMemberFactory() for _ in range(3)]
    page.save()
    fill(page, 3)
    few = _render_queries(client, page.url)
    fill(page, 27)
    assert _render_queries(client, page.url) == few <= MAX_EVENT_QUERIES


def test_search_finds_an_event_by_a_chinese_word(home_page):
    create_demo_alliance(home_page)
    call_command("update_index", verbosity=0, stdout=StringIO())
    titles = [page.title for page in search_pages("模拟法庭").results]
    assert "走进模拟法庭：一起网络欺凌案的审理" in titles
    assert any(isinstance(page, TeachingResourcePage) for page in search_pages("教案").results)


def test_the_demo_alliance_is_complete_and_created_once(home_page):
    create_demo_alliance(home_page)
    first = (
        list(Page.objects.order_by("path").values_list("path", "title")),
        AllianceMember.objects.count(),
        EventRegistration.objects.count(),
    )
    create_demo_alliance(home_page)
    assert (
        list(Page.objects.order_by("path").values_list("path", "title")),
        AllianceMember.objects.count(),
        EventRegistration.objects.count(),
    ) == first
    assert set(AllianceMember.objects.values_list("category", flat=True)) == set(MemberCategory.values)
    assert AllianceMember.objects.filter(logo__isnull=False).count() == AllianceMember.objects.count()
    events = list(AllianceEventPage.objects.live())
    assert len(events) == 3 and all(page.starts_at > timezone.now() for page in events)
    assert sorted(page.seats_left() for page in events)[0] == 1
    assert AllianceNewsPage.objects.live().count() == 3
    resources = TeachingResourcePage.objects.live()
    assert resources.count() == 4 and all(page.documents.count() == 1 for page in resources)


def test_load_demo_content_replaces_the_old_placeholder_and_stays_idempotent(client, home_page):
    placeholder = StandardPage(title="徐汇普法教育联盟", slug="alliance", intro="占位页面")
    home_page.add_child(instance=placeholder)
    call_command("load_demo_content", "--skip-index", stdout=StringIO())
    assert not StandardPage.objects.filter(slug="alliance").exists()
    alliance = AllianceIndexPage.objects.get()
    assert alliance.url == "/alliance/"
    pages = list(Page.objects.order_by("path").values_list("path", "title"))
    registrations = EventRegistration.objects.count()
    call_command("load_demo_content", "--skip-index", stdout=StringIO())
    assert list(Page.objects.order_by("path").values_list("path", "title")) == pages
    assert EventRegistration.objects.count() == registrations
    content = client.get("/alliance/").content.decode()
    assert "徐汇区人民法院" in content and "名额已满" not in content
