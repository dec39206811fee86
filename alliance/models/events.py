"""Alliance events people register for, and the registrations (records, not content).

Registrations change only through ``alliance.services``, which enforces the capacity under a
row lock.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import ContentStreamBlock
from search.fields import chinese_search_fields

from .members import AllianceMember, EventKind, RegistrationState


def with_registration_counts(events):
    """Events annotated with ``registered_seats`` (active registrations), counted in the same query."""
    return events.annotate(registered_seats=Count("registrations", filter=Q(registrations__cancelled=False)))


class AllianceEventPage(RoutablePageMixin, Page):
    """An event of the alliance (普法讲座, 模拟法庭, 开放日 …) that people register for online.

    Registration is open until the deadline (or the start) while seats are left; the seat
    count is enforced in ``alliance.services.register`` under a lock on this row.
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

    template = "alliance/alliance_event_page.html"
    parent_page_types = ["alliance.AllianceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        db_table = "schools_allianceeventpage"
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
        from alliance.views import event_page

        return event_page(self, request)

    @path("registered/")
    def registered(self, request):
        from alliance.views import registration_confirmed

        return registration_confirmed(self, request)


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
        db_table = "schools_eventregistration"
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
