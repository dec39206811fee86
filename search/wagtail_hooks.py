"""Admin for the search synonyms editors keep (applied at query time, see ``query``)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from . import admin_views
from .models import SearchSynonym


class SearchSynonymCreateView(CreateView):
    """Opens with the words a report link passes (``?synonyms=…``), for one-click adding."""

    def get_initial_form_instance(self):
        words = self.request.GET.get("synonyms", "").strip()[:200]
        return SearchSynonym(synonyms=words) if words else None


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["term", "synonyms"]
    search_fields = ["term", "synonyms"]
    add_to_admin_menu = True
    menu_order = 310
    add_view_class = SearchSynonymCreateView


register_snippet(SearchSynonymViewSet)


@hooks.register("register_admin_urls")
def register_unanswered_report_url():
    return [path("search/unanswered/", admin_views.unanswered, name="search_unanswered")]


@hooks.register("register_reports_menu_item")
def register_unanswered_report_menu_item():
    return MenuItem(_("Searches that found nothing"), reverse("search_unanswered"), icon_name="search", order=720)
