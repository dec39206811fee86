from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = _("Family guidance plans and court orders")

    def ready(self) -> None:
        from . import case_panel, signals  # noqa: F401 - registers the case panel, connects receivers
