"""Resource library pages: the library index and its resources.

``LibraryIndexPage`` (one per site, under the home page) lists resources with filters that
work without JavaScript; ``ResourcePage`` is one article, video, audio recording or document,
tagged with the topics and child age groups the course library uses (``taxonomy.Topic`` and
``taxonomy.AgeGroup``), so a parent who filters by 初中 finds courses and resources alike.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from core import site_cache
from core.fields import optional_image
from core.index_pages import FilteredIndexPage
from core.listing import (
    OneQueryRestrictionsMixin,
    attach_taxonomy,
    filter_by_taxonomy,
    page_taxonomy,
    public_only,
    read_taxonomy_filters,
)
from courses.models import CoursePage
from search.fields import chinese_search_fields
from taxonomy.models import AgeGroup, Topic, taxonomy_panel

from .blocks import ResourceStreamBlock

RESOURCES_PER_PAGE = 12
RELATED_LIMIT = 3
CARD_IMAGE = "fill-640x360"
COVER_IMAGE = "fill-960x540"
NEWEST_FIRST = ("-published_date", "-first_published_at", "-pk")


class ResourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document")


def with_card_images(pages, spec: str = CARD_IMAGE):
    """Cover images and their renditions in one query each, for a list of cards."""
    return pages.prefetch_related(Prefetch("cover_image", queryset=get_image_model().objects.prefetch_renditions(spec)))


class LibraryIndexPage(FilteredIndexPage):
    """The resource library (资源库), filtered by topic, child's age and kind.

    The filter state lives in the query string (``?topic=…&age=…&kind=video``), as in the
    course catalogue, so a filtered list can be shared in WeChat and the back button works.
    Editors' resources below it go through the library review workflow (``library.review``).
    """

    search_fields = chinese_search_fields("intro")

    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.ResourcePage"]

    per_page = RESOURCES_PER_PAGE
    filter_keys = ("topic", "age", "kind")
    listing_name = "resources"
    child_select_related = ("document", "cover_image")

    class Meta:
        verbose_name = _("resource library")
        verbose_name_plural = _("resource libraries")

    def extra_listing_context(self, request) -> dict:
        return {"kinds": ResourceKind.choices}

    def child_page_models(self) -> list:
        return [ResourcePage]

    @staticmethod
    def read_filters(params) -> dict[str, str]:
        """The filters from the query string; unknown kinds are ignored rather than errors."""
        kind = params.get("kind", "")
        return {
            **read_taxonomy_filters(params),
            "kind": kind if kind in ResourceKind.values else "",
        }

    def filtered_pages(self, filters: dict[str, str]):
        """Live resources below this index, filtered, newest first, in a fixed number of queries."""
        resources = with_card_images(public_only(ResourcePage.objects.live().descendant_of(self)))
        resources = filter_by_taxonomy(resources, filters)
        if filters.get("kind"):
            resources = resources.filter(kind=filters["kind"])
        return resources.order_by(*NEWEST_FIRST)


class ResourcePage(OneQueryRestrictionsMixin, Page):
    """One resource for parents and teachers: an article, a video, an audio recording or a document.

    The kind is what the editor says it is, for the filter and the label; a video or audio
    resource carries its player in the body, a document resource must have a file to download.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices, default=ResourceKind.ARTICLE)
    summary = models.TextField(_("summary"), max_length=500, help_text=_("Shown on cards and in search results."))
    cover_image = optional_image(_("cover image"))
    body = StreamField(ResourceStreamBlock(), blank=True, verbose_name=_("body"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document to download"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required for a document resource; offered as the main download."),
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="resources")
    age_groups = ParentalManyToManyField(
        AgeGroup, verbose_name=_("child age groups"), blank=True, related_name="resources"
    )
    source = models.CharField(
        _("source or organisation"),
        max_length=120,
        blank=True,
        help_text=_("Who wrote or published it, e.g. the district centre or a school."),
    )
    published_date = models.DateField(
        _("published date"), default=timezone.localdate, help_text=_("The list shows the newest first.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("document"),
        taxonomy_panel(),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("published_date")], heading=_("Source")),
    ]

    search_fields = chinese_search_fields("summary", "body") + [
        index.FilterField("kind"),
        index.FilterField("published_date"),
    ]

    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def clean(self):
        super().clean()
        if self.kind == ResourceKind.DOCUMENT and not self.document_id:
            raise ValidationError({"document": _("Choose the document to download for a document resource.")})

    def save(self, *args, **kwargs):
        """Indexes the page again once its topics and age groups are stored.

        The search index is updated on ``post_save``, which fires before modelcluster stores
        the page's many-to-many values, so without this a page would be indexed with the
        topics it had before (none, for a new page) and not be found by its topic names.
        """
        result = super().save(*args, **kwargs)
        index.insert_or_update_object(self)
        return result

    def search_keywords(self) -> list[str]:
        """Topic and age-group names, indexed and ranked with the title (see the search app)."""
        return [topic.name for topic in self.topics.all()] + [age.name for age in self.age_groups.all()]

    def related_resources(self, topics: list[Topic] | None = None, limit: int = RELATED_LIMIT) -> list[ResourcePage]:
        """Other live resources sharing a topic: most shared topics first, then newest."""
        topic_ids = [topic.pk for topic in (self.topics.all() if topics is None else topics)]
        if not topic_ids:
            return []
        resources = (
            public_only(ResourcePage.objects.live())
            .filter(topics__in=topic_ids)
            .exclude(pk=self.pk)
            .annotate(shared_topics=Count("topics", filter=Q(topics__in=topic_ids), distinct=True))
            .order_by("-shared_topics", *NEWEST_FIRST)
        )
        return list(resources.select_related("cover_image")[:limit])

    def related_courses(self, topics: list[Topic] | None = None, limit: int = RELATED_LIMIT) -> list[CoursePage]:
        """Live courses sharing a topic with this resource: most shared topics first, then newest."""
        topic_ids = [topic.pk for topic in (self.topics.all() if topics is None else topics)]
        if not topic_ids:
            return []
        courses = (
            public_only(CoursePage.objects.live())
            .filter(topics__in=topic_ids)
            .annotate(shared_topics=Count("topics", filter=Q(topics__in=topic_ids), distinct=True))
            .order_by("-shared_topics", "-first_published_at", "-pk")
        )
        return list(courses.select_related("cover_image")[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Shared by every visitor (public pages only) and changed only by content: kept in the
        # worker until the content version changes (core.site_cache).
        context.update(
            site_cache.remember(request, ("resource-related", self.pk), lambda: self.related_context(request))
        )
        if self.cover_image_id:
            prefetch_related_objects([self.cover_image], "renditions")  # every {% image %} of it, one query
        return context

    def related_context(self, request):
        """The page's tags and its related resources and courses, tagged, with their cards'
        renditions (one query for them all)."""
        topics, age_groups = page_taxonomy(request, self)
        related_resources = attach_taxonomy(request, self.related_resources(topics))  # their cards' tags
        related_courses = self.related_courses(topics)
        images = [page.cover_image for page in [*related_resources, *related_courses] if page.cover_image_id]
        prefetch_related_objects(images, "renditions")
        return {
            "topics": topics,
            "age_groups": age_groups,
            "related_resources": related_resources,
            "related_courses": related_courses,
        }
