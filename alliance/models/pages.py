"""The alliance's home page with its listing routes, and its news pages."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import ContentStreamBlock
from search.fields import chinese_search_fields

from .events import AllianceEventPage, with_registration_counts
from .members import (
    NEWS_ON_INDEX,
    RESOURCES_ON_INDEX,
    UPCOMING_ON_INDEX,
    AllianceMember,
    MemberCategory,
    with_images,
    with_logos,
)
from .resources import TeachingResourcePage


class AllianceIndexPage(RoutablePageMixin, Page):
    """The alliance's home (普法教育联盟): who is in it, what is coming up, news and resources.

    One per site, below the home page. Its routes list everything of one kind
    (``events/``, ``news/``, ``resources/``); the page itself shows the newest few of each.
    """

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("about the alliance"))
    contact = models.CharField(
        _("contact for schools"),
        max_length=200,
        blank=True,
        help_text=_("How a school books a lecture, e.g. a phone number or an e-mail address."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("contact")]

    search_fields = chinese_search_fields("intro", "body")

    max_count = 1
    template = "alliance/alliance_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["alliance.AllianceNewsPage", "alliance.AllianceEventPage", "alliance.TeachingResourcePage"]

    class Meta:
        db_table = "schools_allianceindexpage"
        verbose_name = _("legal-education alliance")
        verbose_name_plural = _("legal-education alliances")

    # --- what the page lists --------------------------------------------------------------
    def events(self):
        return with_registration_counts(
            AllianceEventPage.objects.live().public().child_of(self).prefetch_related("organisers")
        )

    def upcoming_events(self, now: datetime.datetime | None = None):
        return self.events().filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past_events(self, now: datetime.datetime | None = None):
        return self.events().filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def news(self):
        return with_images(AllianceNewsPage.objects.live().public().child_of(self)).order_by("-date", "-pk")

    def teaching_resources(self):
        return (
            TeachingResourcePage.objects.live()
            .public()
            .child_of(self)
            .prefetch_related("documents__document")
            .order_by("-first_published_at", "-pk")
        )

    @staticmethod
    def member_groups() -> list[dict]:
        """Members grouped by category, in the categories' order; empty categories left out."""
        members = with_logos(AllianceMember.objects.all())
        by_category: dict[str, list[AllianceMember]] = {}
        for member in members:
            by_category.setdefault(member.category, []).append(member)
        return [
            {"category": value, "label": label, "members": by_category[value]}
            for value, label in MemberCategory.choices
            if value in by_category
        ]

    def overview_context(self) -> dict:
        """What the alliance page itself shows, in a fixed number of queries."""
        groups = self.member_groups()
        return {
            "member_groups": groups,
            "member_count": sum(len(group["members"]) for group in groups),
            "upcoming_events": list(self.upcoming_events()[:UPCOMING_ON_INDEX]),
            "latest_news": list(self.news()[:NEWS_ON_INDEX]),
            "teaching_resources": list(self.teaching_resources()[:RESOURCES_ON_INDEX]),
        }

    def _route_url(self, name: str) -> str:
        return (self.get_url() or "/") + self.reverse_subpage(name)

    @property
    def events_url(self) -> str:
        return self._route_url("all_events")

    @property
    def news_url(self) -> str:
        return self._route_url("all_news")

    @property
    def resources_url(self) -> str:
        return self._route_url("all_resources")

    # --- routes: the pages route, alliance.views handles ----------------------------------
    @path("")
    def index_route(self, request, *args, **kwargs):
        from alliance import views

        return views.alliance_index(self, request)

    @path("events/")
    def all_events(self, request):
        from alliance import views

        return views.all_events(self, request)

    @path("news/")
    def all_news(self, request):
        from alliance import views

        return views.all_news(self, request)

    @path("resources/")
    def all_resources(self, request):
        from alliance import views

        return views.all_resources(self, request)


class AllianceNewsPage(Page):
    """A news item of the alliance: a lecture held, a new member, a case of the month …"""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=400, help_text=_("Shown on cards and in search results."))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]

    search_fields = chinese_search_fields("summary", "body") + [index.FilterField("date")]

    template = "alliance/alliance_news_page.html"
    parent_page_types = ["alliance.AllianceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        db_table = "schools_alliancenewspage"
        verbose_name = _("alliance news item")
        verbose_name_plural = _("alliance news")
