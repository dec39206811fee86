"""A test case for the Wagtail admin over the demo content, signed in as a superuser."""

from __future__ import annotations

from wagtail.test.utils import WagtailPageTestCase

from accounts.models import User
from tests.factories.accounts import sign_in_fully
from tests.factories.demo import load_demo


class DemoAdminTestCase(WagtailPageTestCase):
    """The demo content loaded once for the class (no search index), a superuser signed in for each test.

    The first class of a process builds the demo; later classes restore its snapshot (tests/factories/demo.py).
    """

    @classmethod
    def setUpTestData(cls):
        load_demo("--skip-index")
        cls.admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")

    def setUp(self):
        sign_in_fully(self.client, self.admin)
