"""Editors keep the search synonyms and promoted results in the Wagtail admin."""

from __future__ import annotations

from django.urls import reverse

from tests.factories.admin import DemoAdminTestCase


class SearchAdminTests(DemoAdminTestCase):
    def test_the_search_synonyms_are_listed_as_snippets(self):
        response = self.client.get(reverse("wagtailsnippets_search_searchsynonym:list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "霸凌")

    def test_search_promotions_are_in_the_admin(self):
        response = self.client.get(reverse("wagtailsearchpromotions:index"))
        self.assertEqual(response.status_code, 200)
