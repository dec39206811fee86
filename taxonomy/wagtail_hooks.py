"""Topics and age groups as snippets, grouped under one menu so district staff find them together.

The menu keeps the label and place it had when the taxonomy lived in ``courses``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AgeGroup, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class AgeGroupViewSet(SnippetViewSet):
    model = AgeGroup
    icon = "group"
    menu_label = _("Age groups")
    list_display = ["name", "slug", "min_age", "max_age", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "min_age", "name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (TopicViewSet, AgeGroupViewSet)
    menu_icon = "tag"
    menu_label = _("Course taxonomy")
    menu_name = "course-taxonomy"


register_snippet(TaxonomyViewSetGroup)
