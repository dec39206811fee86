"""Teaching resources for schools: a page with its files attached in order."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.blocks import ContentStreamBlock
from search.fields import chinese_search_fields

from .members import AllianceMember, GradeBand, TeachingResourceKind


class TeachingResourcePage(Page):
    """Material for teaching the law at school: a lesson plan, slides, a video or a worksheet.

    Files are Wagtail documents attached in order (``documents``), so a lesson plan can come
    with its slides and a worksheet; the body carries the teacher's notes.
    """

    kind = models.CharField(
        _("kind"), max_length=20, choices=TeachingResourceKind.choices, default=TeachingResourceKind.LESSON_PLAN
    )
    grade_band = models.CharField(_("grades"), max_length=20, choices=GradeBand.choices, default=GradeBand.ALL)
    summary = models.TextField(_("summary"), max_length=400, help_text=_("Shown on cards and in search results."))
    provided_by = models.ForeignKey(
        AllianceMember,
        verbose_name=_("provided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teaching_resources",
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("notes for teachers"))

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("grade_band")]),
        FieldPanel("summary"),
        FieldPanel("provided_by"),
        InlinePanel("documents", label=_("Files"), heading=_("Files to download")),
        FieldPanel("body"),
    ]

    search_fields = chinese_search_fields("summary", "body") + [
        index.FilterField("kind"),
        index.FilterField("grade_band"),
    ]

    template = "alliance/teaching_resource_page.html"
    parent_page_types = ["alliance.AllianceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        db_table = "schools_teachingresourcepage"
        verbose_name = _("teaching resource")
        verbose_name_plural = _("teaching resources")

    def search_keywords(self) -> list[str]:
        return [str(self.get_kind_display()), str(self.get_grade_band_display())]


class TeachingResourceDocument(Orderable):
    page = ParentalKey(TeachingResourcePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Shown instead of the file's title, e.g. 课件（PPT）.")
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        db_table = "schools_teachingresourcedocument"
        verbose_name = _("file")
        verbose_name_plural = _("files")

    @property
    def title(self) -> str:
        return self.label or self.document.title
