from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Connects the sign-in time stamp (user_logged_in) even before the first request loads
        # the middleware: a sign-in outside a request (a test client's force_login) is stamped too.
        from . import middleware, saved_lessons, signals  # noqa: F401
