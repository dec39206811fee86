"""The alliance's vocabulary (choices, image sizes) and its member bodies (snippets)."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.images import get_image_model

LOGO_SPEC = "fill-120x120"
CARD_IMAGE = "fill-640x360"
COVER_IMAGE = "fill-960x540"
UPCOMING_ON_INDEX = 3
NEWS_ON_INDEX = 3
RESOURCES_ON_INDEX = 4
LISTING_PAGE_SIZE = 12


class MemberCategory(models.TextChoices):
    """The kinds of bodies in the alliance, in the order the alliance page lists them."""

    COURT = "court", _("Courts")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    PUBLIC_SECURITY = "public_security", _("Public security")
    EDUCATION = "education", _("Education authorities")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    YOUTH_LEAGUE = "youth_league", _("Youth league")
    SCHOOL = "school", _("Schools")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisations")


class EventKind(models.TextChoices):
    LECTURE = "lecture", _("Legal-education lecture")
    MOCK_TRIAL = "mock_trial", _("Mock trial")
    OPEN_DAY = "open_day", _("Open day")
    WORKSHOP = "workshop", _("Parent–child workshop")
    OTHER = "other", _("Other event")


class TeachingResourceKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("Lesson plan")
    SLIDES = "slides", _("Slides")
    VIDEO = "video", _("Video")
    WORKSHEET = "worksheet", _("Worksheet")


class GradeBand(models.TextChoices):
    PRIMARY_LOWER = "primary_lower", _("Primary, grades 1–3")
    PRIMARY_UPPER = "primary_upper", _("Primary, grades 4–6")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    ALL = "all", _("All grades")


class RegistrationState(models.TextChoices):
    """What the event page offers a visitor; decided by ``AllianceEventPage.registration_state``."""

    OPEN = "open", _("Registration open")
    FULL = "full", _("Fully booked")
    CLOSED = "closed", _("Registration closed")
    PAST = "past", _("Event over")


def with_logos(members):
    """Members with their logo and its rendition in one query each (however many members)."""
    return members.prefetch_related(Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(LOGO_SPEC)))


def with_images(pages, spec: str = CARD_IMAGE):
    return pages.prefetch_related(Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(spec)))


class AllianceMember(models.Model):
    """A body in the alliance: a court, the procuratorate, a school, a social organisation …

    A snippet edited by district staff and alliance editors; events name their organisers
    from these, and the alliance page lists them grouped by ``category``.
    """

    name = models.CharField(_("name of the body"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=30, choices=MemberCategory.choices)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square image works best; it is shown at 60×60 pixels."),
    )
    description = models.TextField(
        _("description"), max_length=600, blank=True, help_text=_("What this body does in the alliance.")
    )
    website = models.URLField(_("website"), blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first within a category.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("category"),
        FieldPanel("logo"),
        FieldPanel("description"),
        FieldPanel("website"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        db_table = "schools_alliancemember"
        ordering = ["sort_order", "name"]
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")

    def __str__(self) -> str:
        return self.name

    @property
    def monogram(self) -> str:
        return self.name[:1]
