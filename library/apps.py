from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """Resource library: articles, video, audio and documents for parents and teachers."""

    name = "library"
    verbose_name = _("Resource library")

    def ready(self):
        from library import signals

        signals.connect()
