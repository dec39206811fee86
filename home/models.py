"""The site's own pages and site-wide settings.

The home page is the root of the site; everything else (courses, library, alliance,
reporting) hangs below it. Contact details and hotlines are a site setting so that the
footer, callouts and error pages all show the same numbers, edited in one place.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import AbstractGroupApprovalTask, Page

from core.listing import OneQueryRestrictionsMixin
from search.fields import chinese_search_fields

from .blocks import BaseStreamBlock, HomeStreamBlock


class HomePage(OneQueryRestrictionsMixin, Page):
    """The site root: a welcome, the "1+13+n" system and signposts to every part of the platform.

    One per site (``max_count = 1``); ``manage.py load_demo_content`` fills it with the
    district's content. Its live children marked "show in menus" form the main navigation.
    """

    body = StreamField(HomeStreamBlock(), blank=True, verbose_name=_("sections"))

    content_panels = Page.content_panels + [FieldPanel("body")]

    search_fields = chinese_search_fields("body")

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    # Each part of the platform hangs its index page here (library, alliance and reporting to come).
    subpage_types = [
        "home.StandardPage",
        "courses.CourseIndexPage",
        "library.LibraryIndexPage",
        "workstations.WorkstationIndexPage",
        "alliance.AllianceIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """The site's sections (the catalogue, the library, ...) are found without a query.

        Every page below a section is routed through it; the section pages are read once, as
        their own page types, and kept with the site's other data until content changes
        (``core.site_cache``). Unknown slugs go through Wagtail's own routing (and its 404).
        """
        from core import site_cache

        if path_components and site_cache.seconds() > 0:
            sections = site_cache.remember(request, ("sections", self.pk), self._sections)
            section = sections.get(path_components[0])
            if section is not None:
                return section.route(request, path_components[1:])
        return super().route(request, path_components)

    def _sections(self) -> dict:
        sections = {}
        for child in self.get_children().specific():
            child._cached_parent_obj = self  # the breadcrumbs and the menu follow it
            sections[child.slug] = child
        return sections


class StandardPage(OneQueryRestrictionsMixin, Page):
    """A plain content page: about us, the mandatory-reporting rules, privacy notice and the like."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = chinese_search_fields("intro", "body")

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class HotlineBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=60)
    number = blocks.CharBlock(label=_("Number"), max_length=30)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=160)

    class Meta:
        icon = "mobile-alt"
        label = _("Hotline")


@register_setting(icon="mail")
class SiteContactSettings(BaseSiteSetting):
    """Hotlines and contact details shown in the footer, in callouts and on error pages.

    A setting rather than a page field, so every page (and every other app's template) reads
    the same numbers through ``settings.home.SiteContactSettings``.
    """

    hotlines = StreamField(
        [("hotline", HotlineBlock())],
        blank=True,
        verbose_name=_("hotlines"),
        help_text=_("Shown in the footer in this order; the first is the most important."),
    )
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=120, blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    certificate_issuer = models.CharField(
        _("issuing organisation"),
        max_length=120,
        blank=True,
        help_text=_("Printed on certificates of completion, beside the seal, e.g. the district's education bureau."),
    )
    certificate_seal = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An image of the issuing organisation's seal (a PNG with a transparent background prints best)."),
    )

    panels = [
        FieldPanel("hotlines"),
        MultiFieldPanel(
            [FieldPanel("organisation"), FieldPanel("address"), FieldPanel("email"), FieldPanel("office_hours")],
            heading=_("Contact"),
        ),
        FieldPanel("privacy_page"),
        MultiFieldPanel(
            [FieldPanel("certificate_issuer"), FieldPanel("certificate_seal")],
            heading=_("Certificates of completion"),
        ),
    ]

    select_related = ["privacy_page"]

    class Meta:
        verbose_name = _("contact and hotlines")

    @classmethod
    def for_request(cls, request):
        """Every page's header and footer read this: reused between requests (core.site_cache)."""
        from core import site_cache

        if site_cache.seconds() > 0:
            return site_cache.site_setting(cls, request)
        return super().for_request(request)


class PeerReviewTask(AbstractGroupApprovalTask):
    """A group's approval, given by someone other than the person who submitted the page.

    The site's content review (``home.moderation``) lets editors and district staff review each
    other's pages: an editor is a reviewer too, so without this rule an editor could approve
    their own news item and the review would be a formality. The submitter still sees the task,
    but gets no approve or reject action and the page is not listed as awaiting their review.
    """

    class Meta:
        verbose_name = _("peer review task")
        verbose_name_plural = _("peer review tasks")

    @staticmethod
    def _submitted_by(obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return super().get_task_states_user_can_moderate(user, **kwargs).exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve, but never a page they submitted themselves")
