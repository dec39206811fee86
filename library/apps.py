from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """Resource library (articles, video, audio, documents). Content arrives with its issue."""

    name = "library"
    verbose_name = _("Resource library")
