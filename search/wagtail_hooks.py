"""Admin for the search synonyms editors keep (applied at query time, see ``query``)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchSynonym


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["term", "synonyms"]
    search_fields = ["term", "synonyms"]
    add_to_admin_menu = True
    menu_order = 310


register_snippet(SearchSynonymViewSet)
