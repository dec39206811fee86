"""Admin for the home app's snippets: search synonyms."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .search.models import SearchSynonym


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["term", "synonyms"]
    search_fields = ["term", "synonyms"]
    add_to_admin_menu = True
    menu_order = 310


register_snippet(SearchSynonymViewSet)
