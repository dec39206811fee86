from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site search that works for Chinese: analysis, ranking, synonyms, the search page."""

    name = "search"
    verbose_name = _("Search")
