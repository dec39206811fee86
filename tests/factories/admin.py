"""A test case for the Wagtail admin over the demo content, signed in as a superuser."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from wagtail.test.utils import WagtailPageTestCase

from accounts.models import User
from tests.factories.accounts import sign_in_fully


class DemoAdminTestCase(WagtailPageTestCase):
    """The demo content loaded once for the class (no search index), a superuser signed in for each test."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", "--skip-index", stdout=StringIO())
        cls.admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")

    def setUp(self):
        sign_in_fully(self.client, self.admin)
