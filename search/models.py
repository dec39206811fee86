"""Search vocabulary that editors maintain: what parents type, mapped to the site's words."""

from __future__ import annotations

import re

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

_SEPARATORS = re.compile(r"[\s,，、;；/]+")
# The editors' synonyms as the query reads them (``query.synonym_rules``), kept in the shared
# cache until a synonym is saved or deleted (``apps.SearchConfig.ready``).
SYNONYMS_CACHE_KEY = "search:synonym-rules"


class SearchSynonym(index.Indexed, models.Model):
    """One word the content uses, and the words parents type for it (霸凌, 网瘾, 玩手机 …).

    Applied at query time: a query containing any synonym also searches for the term, and with
    ``mutual`` a query containing the term also searches for the synonyms (an equivalence group).
    Editors add words (pinyin too, such as ``baling``) without re-indexing anything. The site's
    own dictionary of such words is ``search/vocabulary.txt``.
    """

    term = models.CharField(_("term used on the site"), max_length=40, unique=True, help_text=_("For example: 欺凌"))
    synonyms = models.TextField(
        _("words people search with"),
        help_text=_("Separate them with commas, spaces or new lines. For example: 霸凌, 欺负, baling"),
    )

    mutual = models.BooleanField(
        _("equivalent both ways"),
        default=False,
        help_text=_("Also search for these words when someone types the term (an equivalence group)."),
    )

    panels = [FieldPanel("term"), FieldPanel("synonyms"), FieldPanel("mutual")]

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


def forget_synonyms(**_kwargs) -> None:
    from django.core.cache import cache

    cache.delete(SYNONYMS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SYNONYMS_CACHE_KEY))


class SearchDocument(models.Model):
    """A page as the ranking sees it: its normalised text by field, and each field's length in words.

    Written by the search backend whenever Wagtail indexes a page (``search.postings``); read by
    ``search.ranking``. The same rows on SQLite and PostgreSQL give the same ranking.
    """

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+")
    title = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    title_length = models.PositiveIntegerField(default=0)
    keywords_length = models.PositiveIntegerField(default=0)
    summary_length = models.PositiveIntegerField(default=0)
    body_length = models.PositiveIntegerField(default=0)
    # Digest of the text by field and of the analysis (``search.postings.text_digest``): a page
    # saved without a change to its text keeps its rows.
    digest = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.title


class SearchPosting(models.Model):
    """How often one word occurs in each field of one page (an inverted index row).

    ``impact`` is the word's static weight in the page (its fields' weighted frequencies): the
    ranking reads a very common word's rows in that order and stops at a bound. The rows are
    written with their document, never alone (``search.postings``).
    """

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="postings")
    term = models.CharField(max_length=64)
    title = models.PositiveSmallIntegerField(default=0)
    keywords = models.PositiveSmallIntegerField(default=0)
    summary = models.PositiveSmallIntegerField(default=0)
    body = models.PositiveSmallIntegerField(default=0)
    impact = models.PositiveIntegerField(default=0)
    # The page's field lengths (``SearchDocument``), repeated here so that ranking reads one
    # table: a join with the documents made PostgreSQL scan every document for a common word.
    title_length = models.PositiveIntegerField(default=0)
    keywords_length = models.PositiveIntegerField(default=0)
    summary_length = models.PositiveIntegerField(default=0)
    body_length = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search posting")
        verbose_name_plural = _("search postings")
        indexes = [models.Index(fields=["term", "-impact", "document"], name="search_posting_term_impact")]
        constraints = [models.UniqueConstraint(fields=["document", "term"], name="search_posting_once")]

    def __str__(self) -> str:
        return self.term


class SearchWord(models.Model):
    """A word of the index with its toneless pinyin: pinyin queries and homophone typos map to it."""

    word = models.CharField(max_length=64, unique=True)
    pinyin = models.CharField(max_length=200, db_index=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word


class UnansweredSearch(models.Model):
    """How many searches for one text found nothing on one day: no user, address or session.

    The text is kept as a keyed digest (HMAC with the site's secret) until enough searches in
    the retention period share it (``search.retention.REVEAL_AFTER``): a child's name typed once
    is never stored readable. Rows older than ``SEARCH_QUERY_RETENTION_DAYS`` are deleted.
    """

    digest = models.CharField(max_length=64)
    text = models.CharField(max_length=60, blank=True)
    date = models.DateField()
    searches = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        constraints = [models.UniqueConstraint(fields=["digest", "date"], name="search_unanswered_once_a_day")]

    def __str__(self) -> str:
        return self.text or self.digest[:8]


class AnsweredSearch(models.Model):
    """How many searches for one text found something on one day, and how many of them led to a
    click on a result: no user, address, session, nor which result was clicked.

    The same privacy rules as ``UnansweredSearch``: the text is a keyed digest until
    ``search.retention.REVEAL_AFTER`` searches in the retention period share it, and rows expire.
    """

    digest = models.CharField(max_length=64)
    text = models.CharField(max_length=60, blank=True)
    date = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search that found something")
        verbose_name_plural = _("searches that found something")
        constraints = [models.UniqueConstraint(fields=["digest", "date"], name="search_answered_once_a_day")]

    def __str__(self) -> str:
        return self.text or self.digest[:8]
