from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site search that works for Chinese: analysis, ranking, synonyms, the search page."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import SearchSynonym, forget_synonyms

        post_save.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(forget_synonyms, sender=SearchSynonym, dispatch_uid="search-synonyms-deleted")
