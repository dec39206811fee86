from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkstationsConfig(AppConfig):
    """The "1+13+n" directory: stations, the services they offer and the directory page."""

    name = "workstations"
    verbose_name = _("Workstations")
