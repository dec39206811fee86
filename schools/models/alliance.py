"""The legal-education alliance (普法教育联盟): its pages, member bodies and event registrations.

The tree editors can build is fixed by the page types: one ``AllianceIndexPage`` below the home
page, with news, events and teaching resources directly below it. Member bodies (court,
procuratorate, police, schools …) are snippets, so one logo and description serve every page
that names them. Registrations for events are records, not content: they change only through
``schools.alliance.services``, which enforces the capacity under a row lock.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.blocks import ContentStreamBlock
from core.listing import paginate
from home.search.fields import chinese_search_fields

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
        ordering = ["sort_order", "name"]
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")

    def __str__(self) -> str:
        return self.name

    @property
    def monogram(self) -> str:
        return self.name[:1]


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
    template = "schools/alliance/alliance_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["schools.AllianceNewsPage", "schools.AllianceEventPage", "schools.TeachingResourcePage"]

    class Meta:
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

    # --- listing routes -------------------------------------------------------------------
    def _listing(self, request, items, *, heading, kind: str, extra: dict | None = None):
        paging = paginate(request, items, LISTING_PAGE_SIZE)
        context = {
            "items": paging["page_obj"],
            "listing_heading": heading,
            "listing_kind": kind,
            "filter_query": paging["filter_query"],
            **(extra or {}),
        }
        return self.render(request, template="schools/alliance/alliance_listing.html", context_overrides=context)

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request, context_overrides=self.overview_context())

    @path("events/")
    def all_events(self, request):
        past = request.GET.get("when") == "past"
        events = self.past_events() if past else self.upcoming_events()
        heading = _("Past events") if past else _("Upcoming events")
        return self._listing(request, events, heading=heading, kind="events", extra={"showing_past": past})

    @path("news/")
    def all_news(self, request):
        return self._listing(request, self.news(), heading=_("Alliance news"), kind="news")

    @path("resources/")
    def all_resources(self, request):
        resources = self.teaching_resources()
        kind = request.GET.get("kind", "")
        grade = request.GET.get("grade", "")
        if kind in TeachingResourceKind.values:
            resources = resources.filter(kind=kind)
        if grade in GradeBand.values:
            resources = resources.filter(Q(grade_band=grade) | Q(grade_band=GradeBand.ALL))
        return self._listing(
            request,
            resources,
            heading=_("Teaching resources for schools"),
            kind="resources",
            extra={
                "resource_kinds": TeachingResourceKind.choices,
                "grade_bands": GradeBand.choices,
                "filters": {"kind": kind, "grade": grade},
            },
        )


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

    template = "schools/alliance/alliance_news_page.html"
    parent_page_types = ["schools.AllianceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("alliance news item")
        verbose_name_plural = _("alliance news")


def with_registration_counts(events):
    """Events annotated with ``registered_seats`` (active registrations), counted in the same query."""
    return events.annotate(registered_seats=Count("registrations", filter=Q(registrations__cancelled=False)))


class AllianceEventPage(RoutablePageMixin, Page):
    """An event of the alliance (普法讲座, 模拟法庭, 开放日 …) that people register for online.

    Registration is open until the deadline (or the start) while seats are left; the seat
    count is enforced in ``schools.alliance.services.register`` under a lock on this row.
    """

    kind = models.CharField(_("kind of event"), max_length=20, choices=EventKind.choices, default=EventKind.LECTURE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, help_text=_("Venue and address, e.g. the school hall."))
    audience = models.CharField(
        _("for whom"), max_length=200, help_text=_("Who the event is for, e.g. parents of junior secondary pupils.")
    )
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the start."),
    )
    organisers = ParentalManyToManyField(
        AllianceMember, verbose_name=_("organised by"), blank=True, related_name="events"
    )
    summary = models.TextField(_("summary"), max_length=400, help_text=_("Shown on cards and in search results."))
    description = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("description"))

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("place"),
                FieldPanel("audience"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")], heading=_("Registration")),
        FieldPanel("organisers", widget=forms.CheckboxSelectMultiple),
        FieldPanel("description"),
    ]

    search_fields = chinese_search_fields("summary", "description", "place", "audience") + [
        index.FilterField("starts_at"),
        index.FilterField("kind"),
    ]

    template = "schools/alliance/alliance_event_page.html"
    parent_page_types = ["schools.AllianceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("alliance event")
        verbose_name_plural = _("alliance events")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.registration_deadline and self.ends_at and self.registration_deadline > self.ends_at:
            errors["registration_deadline"] = _("The registration deadline must be before the event ends.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Indexes the page again once its organisers are stored (see ``library.ResourcePage.save``)."""
        result = super().save(*args, **kwargs)
        index.insert_or_update_object(self)
        return result

    def search_keywords(self) -> list[str]:
        return [str(self.get_kind_display()), *(member.name for member in self.organisers.all())]

    def when_label(self) -> str:
        """ "2026-05-20 星期三 14:00–16:00" in the visitor's language, in local time."""
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        if starts.date() == ends.date():
            return f"{dateformat.format(starts, 'Y-m-d l H:i')}–{ends:%H:%M}"
        return f"{dateformat.format(starts, 'Y-m-d l H:i')} – {dateformat.format(ends, 'Y-m-d l H:i')}"

    # --- seats and state ------------------------------------------------------------------
    @property
    def closes_at(self) -> datetime.datetime:
        return self.registration_deadline or self.starts_at

    def registered_count(self) -> int:
        """Active registrations; the listing annotation (``registered_seats``) when present."""
        annotated = getattr(self, "registered_seats", None)
        if annotated is not None:
            return annotated
        return self.registrations.filter(cancelled=False).count()

    def seats_left(self) -> int:
        return max(self.capacity - self.registered_count(), 0)

    def registration_state(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if now >= self.ends_at:
            return RegistrationState.PAST
        if now >= self.closes_at:
            return RegistrationState.CLOSED
        if self.seats_left() <= 0:
            return RegistrationState.FULL
        return RegistrationState.OPEN

    # --- routes ---------------------------------------------------------------------------
    @path("")
    def event(self, request):
        from schools.alliance.views import event_page

        return event_page(self, request)

    @path("registered/")
    def registered(self, request):
        from schools.alliance.views import registration_confirmed

        return registration_confirmed(self, request)


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

    template = "schools/alliance/teaching_resource_page.html"
    parent_page_types = ["schools.AllianceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
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
        verbose_name = _("file")
        verbose_name_plural = _("files")

    @property
    def title(self) -> str:
        return self.label or self.document.title


class EventRegistration(models.Model):
    """One seat at an alliance event, booked online by a parent, teacher or pupil's guardian.

    A mobile number holds at most one active seat per event (a partial unique index). A
    cancelled registration frees its seat and is kept for the organisers' records.
    """

    # Seats left show on the alliance pages: a booking drops the anonymous page cache.
    shown_on_cached_pages = True

    event = models.ForeignKey(
        AllianceEventPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.CharField(_("school or organisation"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alliance_registrations",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=Q(cancelled=False),
                name="alliance_one_active_registration_per_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event_id}"

    def save(self, *args, **kwargs):
        if self.cancelled and self.cancelled_at is None:
            self.cancelled_at = timezone.now()
        elif not self.cancelled:
            self.cancelled_at = None
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        digits = self.phone.removeprefix("+86")
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else digits
