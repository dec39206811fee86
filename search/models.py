"""Search vocabulary that editors maintain: what parents type, mapped to the site's words."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

_SEPARATORS = re.compile(r"[\s,，、;；/]+")


class SearchSynonym(index.Indexed, models.Model):
    """One word the content uses, and the words parents type for it (霸凌, 网瘾, 玩手机 …).

    Applied at query time, one way: a query containing any synonym also searches for the term,
    so editors can add words (pinyin too, such as ``baling``) without re-indexing anything.
    """

    term = models.CharField(_("term used on the site"), max_length=40, unique=True, help_text=_("For example: 欺凌"))
    synonyms = models.TextField(
        _("words people search with"),
        help_text=_("Separate them with commas, spaces or new lines. For example: 霸凌, 欺负, baling"),
    )

    panels = [FieldPanel("term"), FieldPanel("synonyms")]

    search_fields = [index.SearchField("term"), index.SearchField("synonyms"), index.AutocompleteField("term")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        db_table = "home_searchsynonym"  # the table it had in the home app (see migrations/0001)

    def __str__(self) -> str:
        return self.term

    def variants(self) -> list[str]:
        from .analysis import normalise

        return [normalise(word) for word in _SEPARATORS.split(self.synonyms) if word.strip()]
