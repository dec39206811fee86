"""Page types: where they may be created, how many, and that they render."""

from __future__ import annotations

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts.models import User
from home.models import HomePage, StandardPage
from tests.factories.accounts import sign_in_fully
from tests.factories.home import StandardPageFactory, home_page


class HomePageTests(WagtailPageTestCase):
    def test_migration_makes_home_page_the_default_site_root(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIs(site.root_page.specific_class, HomePage)

    def test_migration_removes_wagtails_welcome_page(self):
        self.assertFalse(Page.objects.filter(depth=2).exclude(pk=home_page().pk).exists())

    def test_home_page_can_be_created_under_root(self):
        self.assertCanCreateAt(Page, HomePage)

    def test_home_page_can_not_be_created_under_a_standard_page(self):
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_only_one_home_page_can_exist(self):
        root = Page.get_first_root_node()
        self.assertFalse(HomePage.can_create_at(root))
        home_page().delete()
        self.assertTrue(HomePage.can_create_at(Page.get_first_root_node()))

    def test_standard_page_can_be_created_under_home_page(self):
        self.assertCanCreateAt(HomePage, StandardPage)

    def test_empty_home_page_renders(self):
        self.assertPageIsRenderable(home_page())


class StandardPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = StandardPageFactory(parent=home_page(), title="关于汇爱", slug="about")

    def test_standard_page_parents_are_home_and_standard_pages(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})

    def test_standard_page_is_routable_and_renderable(self):
        self.assertPageIsRoutable(self.page)
        self.assertPageIsRenderable(self.page)

    def test_editor_can_create_standard_page_in_admin(self):
        admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")
        sign_in_fully(self.client, admin)
        data = nested_form_data(
            {"title": "强制报告制度", "slug": "mandatory-reporting", "intro": "简介", "body": streamfield([])}
        )
        self.assertCanCreate(home_page(), StandardPage, data)
        self.assertTrue(StandardPage.objects.filter(slug="mandatory-reporting", live=True).exists())

    def test_nested_standard_page_shows_breadcrumbs_to_home(self):
        child = StandardPageFactory(parent=self.page, title="工作体系", slug="system")
        response = self.client.get(child.url)
        self.assertContains(response, '<nav class="breadcrumbs"')
        self.assertContains(response, f'<a href="{self.page.url}">关于汇爱</a>', html=True)
        self.assertContains(response, '<span aria-current="page">工作体系</span>', html=True)
