from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    """The legal-education alliance: its pages, member bodies and event registrations."""

    name = "alliance"
    verbose_name = _("Legal-education alliance")
