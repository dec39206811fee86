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

    def test_searches_that_found_nothing_are_listed_with_one_click_synonym_and_promotion(self):
        from search import retention
        from search.models import UnansweredSearch

        for _ in range(retention.REVEAL_AFTER):
            self.client.get("/search/", {"q": "抢红包"})
        self.client.get("/search/", {"q": "张小红"})  # once: not readable, not listed
        self.assertEqual(UnansweredSearch.objects.count(), 2)
        response = self.client.get(reverse("search_unanswered"))
        self.assertContains(response, "抢红包")
        self.assertNotContains(response, "张小红")
        add = reverse("wagtailsnippets_search_searchsynonym:add")
        self.assertContains(response, f"{add}?synonyms=%E6%8A%A2%E7%BA%A2%E5%8C%85")
        form = self.client.get(add, {"synonyms": "抢红包"})
        self.assertContains(form, "抢红包")

    def test_searches_whose_results_nobody_clicked_are_listed_with_one_click_synonym_and_promotion(self):
        from search import retention

        for _ in range(retention.REVEAL_AFTER):
            self.client.get("/search/", {"q": "欺凌"})
        response = self.client.get(reverse("search_unanswered"))
        self.assertContains(response, 'id="unclicked"')
        self.assertContains(response, "<td>欺凌</td>", html=False)
        add = reverse("wagtailsnippets_search_searchsynonym:add")
        self.assertContains(response, f"{add}?synonyms=%E6%AC%BA%E5%87%8C")
        promotion = reverse("wagtailsearchpromotions:add")
        self.assertContains(response, f"{promotion}?query_string=%E6%AC%BA%E5%87%8C")
