from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    """Schools, the legal-education alliance, bullying reports and cases."""

    name = "schools"
    verbose_name = _("Schools")

    def ready(self):
        from . import role_audit

        role_audit.connect()
