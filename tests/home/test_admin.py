"""Editors work on the site's pages and contact settings in the Wagtail admin."""

from __future__ import annotations

import json

from django.urls import reverse

from home.models import HomePage
from tests.factories.admin import DemoAdminTestCase


class AdminTests(DemoAdminTestCase):
    def test_home_page_with_demo_sections_opens_in_the_editor(self):
        home = HomePage.objects.get()
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
        self.assertEqual(response.status_code, 200)
        # The StreamField editor receives its blocks as JSON, with non-ASCII text escaped.
        self.assertContains(response, json.dumps("守护每一个孩子健康成长")[1:-1])

    def test_standard_page_can_be_added_below_the_home_page(self):
        response = self.client.get(
            reverse("wagtailadmin_pages:add", args=["home", "standardpage", HomePage.objects.get().pk])
        )
        self.assertEqual(response.status_code, 200)

    def test_contact_settings_form_shows_the_hotlines(self):
        url = reverse("wagtailsettings:edit", args=["home", "sitecontactsettings"])
        response = self.client.get(url, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "12355")
