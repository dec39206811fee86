"""The shared taxonomy: topics and child age groups.

Courses and the resource library tag their content with the same two snippets, so that a
parent who filters by "3–6 岁" or "情绪管理" finds courses and library items alike; quizzes
draw their questions by topic. District staff edit them in the admin (Snippets); the slug is
what appears in catalogue URLs. The tables are still the ``courses_*`` ones from before this
app moved out of ``courses``.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


def in_chinese() -> bool:
    return (translation.get_language() or "zh-hans").lower().startswith("zh")


# English names of the district's topics, by slug, for the English interface. Names are
# content (editors write them in Chinese); a topic added later without an entry here shows
# its Chinese name in English mode too, which the content notice on every page explains.
TOPIC_NAMES_IN_ENGLISH = {
    "communication": "Parent–child communication",
    "emotions": "Managing emotions",
    "bullying": "Preventing school bullying",
    "online-safety": "Online safety and gaming habits",
    "puberty": "Puberty",
    "law": "Law and rights",
}


class Topic(index.Indexed, models.Model):
    """What a course or resource is about, e.g. 亲子沟通 or 防范校园欺凌."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "courses_topic"
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name to show: the editors' Chinese name, or its English name in English mode."""
        if in_chinese():
            return self.name
        return TOPIC_NAMES_IN_ENGLISH.get(self.slug, self.name)


class AgeGroup(index.Indexed, models.Model):
    """A child's age band, e.g. 学龄前（3–6 岁）; parents filter by their child's age first."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    min_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("min_age"),
        FieldPanel("max_age"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "courses_agegroup"
        ordering = ["sort_order", "min_age", "name"]
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name to show: the editors' Chinese name, or in English mode the ages it covers
        ("Ages 3–6"), which any age group with its ages filled in can say."""
        if in_chinese():
            return self.name
        if self.min_age is not None and self.max_age is not None:
            return str(_("Ages %(min)s–%(max)s") % {"min": self.min_age, "max": self.max_age})
        if self.min_age is not None:
            return str(_("Ages %(min)s and over") % {"min": self.min_age})
        if self.max_age is not None:
            return str(_("Up to age %(max)s") % {"max": self.max_age})
        return self.name


def taxonomy_panel() -> MultiFieldPanel:
    """The editor's panel for a page's ``topics`` and ``age_groups`` (courses and library resources)."""
    return MultiFieldPanel(
        [
            FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            FieldPanel("age_groups", widget=forms.CheckboxSelectMultiple),
        ],
        heading=_("Topics and age groups"),
    )
