"""The "1+13+n" places families can go: the district centre, street/town workstations and
family-education guidance stations.

One ``Workstation`` model with a ``kind`` rather than three models or pages: all three carry
the same facts (address, phone, hours, services, coordinates), are listed, filtered and mapped
together, and none has page-like content of its own. They are snippets edited in the admin;
the public sees them through the one ``WorkstationIndexPage`` (directory and map).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from search.fields import chinese_search_fields


class Street(models.TextChoices):
    """Xuhui's 12 subdistricts and 1 town (public administrative facts)."""

    TIANPINGLU = "tianpinglu", "天平路街道"
    HUNANLU = "hunanlu", "湖南路街道"
    XIETULU = "xietulu", "斜土路街道"
    FENGLINLU = "fenglinlu", "枫林路街道"
    CHANGQIAO = "changqiao", "长桥街道"
    TIANLIN = "tianlin", "田林街道"
    HONGMEILU = "hongmeilu", "虹梅路街道"
    KANGJIANXINCUN = "kangjianxincun", "康健新村街道"
    XUJIAHUI = "xujiahui", "徐家汇街道"
    LINGYUNLU = "lingyunlu", "凌云路街道"
    LONGHUA = "longhua", "龙华街道"
    CAOHEJING = "caohejing", "漕河泾街道"
    HUAJING = "huajing", "华泾镇"


class StationService(models.Model):
    """A service a station offers (家庭教育指导, 心理咨询 …): the directory's second filter."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("station service")
        verbose_name_plural = _("station services")
        db_table = "home_stationservice"  # the table it had in the home app (see migrations/0001)

    def __str__(self) -> str:
        return self.name


class Workstation(index.Indexed, models.Model):
    """The district centre, a street/town workstation or a guidance station."""

    class Kind(models.TextChoices):
        DISTRICT_CENTRE = "district_centre", _("District centre")
        WORKSTATION = "workstation", _("Street/town workstation")
        GUIDANCE_STATION = "guidance_station", _("Family-education guidance station")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSTATION)
    name = models.CharField(_("name"), max_length=80, unique=True)
    street = models.CharField(_("street/town"), max_length=20, choices=Street.choices)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    services = models.ManyToManyField(StationService, verbose_name=_("services"), blank=True, related_name="stations")
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul"])
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("street")]),
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("opening_hours")]),
        FieldPanel("services"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Location"),
            help_text=_("Decimal degrees, as shown by any map app (Xuhui is about 31.18, 121.44)."),
        ),
        FieldPanel("sort_order"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("address"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("street"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")
        db_table = "home_workstation"

    def __str__(self) -> str:
        return self.name

    @property
    def anchor(self) -> str:
        return f"station-{self.pk}"


class WorkstationIndexPage(Page):
    """The directory and map of all stations, filterable by street/town and service."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    search_fields = chinese_search_fields("intro")

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("workstation directory")
        verbose_name_plural = _("workstation directories")
        db_table = "home_workstationindexpage"

    def get_context(self, request, *args, **kwargs):
        from ..directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request.GET))
        return context


class WorkstationMembership(models.Model):
    """A member of a station's staff: at a street workstation a child director (儿童主任) or a
    child supervisor (儿童督导员); at a family-education guidance station a guidance worker
    (指导站工作人员), who publishes the station's appointment slots and sees its bookings only.

    The membership is what scopes them: they see the participation of parents who live in
    their workstation's street (``Workstation.street``), as aggregates only, and the child
    director is shown as the contact on the workstation's directory card. The role itself (the
    group that says someone is street staff at all) lives in ``accounts.roles``.
    """

    class Role(models.TextChoices):
        CHILD_DIRECTOR = "child_director", _("Child director")
        CHILD_SUPERVISOR = "child_supervisor", _("Child supervisor")
        GUIDANCE_WORKER = "guidance_worker", _("Guidance worker")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="workstation_memberships", verbose_name=_("user")
    )
    workstation = models.ForeignKey(
        Workstation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("workstation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CHILD_DIRECTOR)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("workstation"), FieldPanel("role")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "workstation"], name="workstations_membership_unique")]
        verbose_name = _("workstation membership")
        verbose_name_plural = _("workstation memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.workstation} ({self.get_role_display()})"
