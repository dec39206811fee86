"""Page rules: where library pages may be created, how many, validation, and that they render."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from accounts.models import User
from courses.models import CourseIndexPage
from home.models import HomePage, StandardPage
from library.models import LibraryIndexPage, ResourceKind, ResourcePage
from tests.factories.accounts import FullSignInClient, sign_in_fully
from tests.factories.courses import AgeGroupFactory, TopicFactory
from tests.factories.home import StandardPageFactory, home_page
from tests.factories.library import LibraryIndexPageFactory, ResourcePageFactory


class LibraryIndexPageTests(WagtailPageTestCase):
    def test_library_index_can_be_created_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, LibraryIndexPage)

    def test_library_index_parent_is_only_the_home_page(self):
        self.assertAllowedParentPageTypes(LibraryIndexPage, {HomePage})

    def test_library_index_can_not_be_created_under_a_standard_page(self):
        self.assertCanNotCreateAt(StandardPage, LibraryIndexPage)

    def test_only_one_library_index_can_exist_per_site(self):
        self.assertTrue(LibraryIndexPage.can_create_at(home_page()))
        LibraryIndexPageFactory(parent=home_page())
        self.assertFalse(LibraryIndexPage.can_create_at(home_page()))

    def test_library_index_only_holds_resources(self):
        self.assertAllowedSubpageTypes(LibraryIndexPage, {ResourcePage})

    def test_empty_library_index_is_routable_and_renderable(self):
        index = LibraryIndexPageFactory(parent=home_page())
        self.assertPageIsRoutable(index)
        self.assertPageIsRenderable(index)


class ResourcePageTests(WagtailPageTestCase):
    client_class = FullSignInClient  # assertPageIsPreviewable signs a superuser in itself

    @classmethod
    def setUpTestData(cls):
        cls.index = LibraryIndexPageFactory(parent=home_page())
        cls.topic = TopicFactory(name="防范校园欺凌", slug="bullying")
        cls.age_group = AgeGroupFactory(name="初中（12–15 岁）", slug="junior")
        cls.resource = ResourcePageFactory(
            parent=cls.index,
            title="如何识别孩子遭受校园欺凌的信号",
            slug="signs",
            topics=[cls.topic],
            age_groups=[cls.age_group],
        )

    def test_resource_can_be_created_under_the_library_index(self):
        self.assertCanCreateAt(LibraryIndexPage, ResourcePage)

    def test_resource_parent_is_only_the_library_index(self):
        self.assertAllowedParentPageTypes(ResourcePage, {LibraryIndexPage})

    def test_resource_can_not_be_created_elsewhere(self):
        for parent in (HomePage, StandardPage, CourseIndexPage):
            self.assertCanNotCreateAt(parent, ResourcePage)

    def test_resource_has_no_subpages(self):
        self.assertAllowedSubpageTypes(ResourcePage, set())

    def test_resource_is_routable_and_renders_its_chinese_content(self):
        self.assertPageIsRoutable(self.resource)
        self.assertPageIsRenderable(self.resource)
        content = self.client.get(self.resource.url).content.decode()
        self.assertIn("如何识别孩子遭受校园欺凌的信号", content)
        self.assertIn("正文内容", content)
        self.assertIn("防范校园欺凌", content)
        self.assertIn("初中（12–15 岁）", content)

    def test_resource_and_index_are_previewable_in_the_admin(self):
        data = nested_form_data(
            {
                "title": "预览中的资源",
                "slug": "signs",
                "kind": "article",
                "summary": "预览摘要",
                "body": streamfield([("paragraph", rich_text("<p>预览正文</p>"))]),
                "source": "",
                "published_date": "2026-11-01",
            }
        )
        data["topics"] = [str(self.topic.pk)]
        self.assertPageIsPreviewable(self.resource, post_data=data)
        self.assertPageIsPreviewable(self.index)

    def test_search_keywords_are_the_topic_and_age_group_names(self):
        self.assertEqual(self.resource.search_keywords(), ["防范校园欺凌", "初中（12–15 岁）"])

    def test_a_document_resource_must_have_a_document(self):
        resource = ResourcePage(title="清单", slug="checklist", kind=ResourceKind.DOCUMENT, summary="清单")
        with self.assertRaises(ValidationError) as raised:
            resource.full_clean()
        self.assertIn("document", raised.exception.message_dict)

    def test_an_article_needs_no_document(self):
        resource = ResourcePage(
            title="文章", slug="article", kind=ResourceKind.ARTICLE, summary="文章", path="0", depth=3
        )
        resource.full_clean(exclude=["path", "depth"])

    def test_an_administrator_creates_a_tagged_resource_in_the_admin(self):
        admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")
        sign_in_fully(self.client, admin)
        data = nested_form_data(
            {
                "title": "孩子沉迷手机怎么办",
                "slug": "phone",
                "kind": "article",
                "summary": "一起定规则。",
                "body": streamfield([]),
                "source": "区未保中心",
                "published_date": "2026-11-01",
            }
        )
        data["topics"] = [str(self.topic.pk)]
        data["age_groups"] = [str(self.age_group.pk)]
        self.assertCanCreate(self.index, ResourcePage, data)
        resource = ResourcePage.objects.get(slug="phone")
        self.assertEqual(list(resource.topics.all()), [self.topic])
        self.assertEqual(list(resource.age_groups.all()), [self.age_group])


@pytest.mark.django_db
def test_the_home_page_lists_the_library_index_among_its_subpage_types():
    assert LibraryIndexPage in HomePage.allowed_subpage_models()


@pytest.mark.django_db
def test_a_resource_under_a_standard_page_is_refused():
    page = StandardPageFactory(parent=home_page())
    assert not ResourcePage.can_create_at(page)
