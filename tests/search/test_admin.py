"""Editors keep the search synonyms and promoted results in the Wagtail admin."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase

from accounts.models import User
from tests.factories.accounts import sign_in_fully


class SearchAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", "--skip-index", stdout=StringIO())
        cls.admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")

    def setUp(self):
        sign_in_fully(self.client, self.admin)

    def test_the_search_synonyms_are_listed_as_snippets(self):
        response = self.client.get(reverse("wagtailsnippets_home_searchsynonym:list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "霸凌")

    def test_search_promotions_are_in_the_admin(self):
        response = self.client.get(reverse("wagtailsearchpromotions:index"))
        self.assertEqual(response.status_code, 200)
