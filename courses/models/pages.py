"""Course library pages: the catalogue, courses and their lessons.

``CourseIndexPage`` (one per site, under the home page) lists courses and hosts the parent's
"my courses" page; ``CoursePage`` describes a course and takes enrolments; ``LessonPage``
children, in tree order, are the lessons. Enrolment and progress rules live in
``courses.services``; the routes below only call them.
"""

from __future__ import annotations

import copy

from django.db import models
from django.db.models import Count, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.query import PageQuerySet
from wagtail.search import index

from accounts.roles import Role, can_access_admin
from core.fields import optional_image
from core.index_pages import FilteredIndexPage
from core.listing import (
    OneQueryRestrictionsMixin,
    filter_by_taxonomy,
    is_subpage_route,
    page_taxonomy,
    public_only,
    read_taxonomy_filters,
    route_to_child,
)
from courses import page_views
from courses.blocks import LessonStreamBlock
from search.fields import chinese_search_fields
from taxonomy.models import AgeGroup, Topic, taxonomy_panel

COURSES_PER_PAGE = 12
CARD_IMAGE = "fill-640x360"
SORTS = {"newest": ("-first_published_at", "-pk"), "popular": ("-enrolled_count", "-first_published_at", "-pk")}
FORMATS = ("video", "text")


def media_lessons(**filters):
    """Live lessons with a video or audio player, e.g. to tell "video" courses from "text" ones."""
    return LessonPage.objects.filter(live=True, media_duration_seconds__gt=0, **filters)


class CourseIndexPage(RoutablePageMixin, FilteredIndexPage):
    """The course catalogue (课程资源库), with filters that work without JavaScript.

    The filter state lives in the query string (``?topic=…&age=…&format=video&sort=popular``),
    so a filtered list can be shared in WeChat and the back button works. ``mine/`` is the
    signed-in parent's "my courses" page.
    """

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]

    per_page = COURSES_PER_PAGE
    filter_keys = ("topic", "age", "format")
    listing_name = "courses"
    child_select_related = ("teacher", "cover_image")

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def extra_listing_context(self, request) -> dict:
        return {"my_courses_url": self.get_url(request) + self.reverse_subpage("my_courses")}

    def child_page_models(self) -> list:
        return [CoursePage]

    @staticmethod
    def read_filters(params) -> dict:
        sort = params.get("sort", "newest")
        format_ = params.get("format", "")
        return {
            **read_taxonomy_filters(params),
            "format": format_ if format_ in FORMATS else "",
            "sort": sort if sort in SORTS else "newest",
        }

    def content_only(self, filters: dict) -> bool:
        return filters["sort"] != "popular"  # most enrolled first: the order is not content

    def live_values(self, request, pages: list) -> list:
        """Copies of the listed courses with their numbers of enrolled parents (one query)."""
        from .records import Enrolment

        if all(hasattr(page, "enrolled_count") for page in pages):  # annotated: sorted by it
            return pages
        counts = dict(
            Enrolment.objects.filter(course__in=[page.pk for page in pages], status=Enrolment.Status.ACTIVE)
            .order_by()
            .values_list("course")
            .annotate(count=Count("pk"))
        )
        copies = [copy.copy(page) for page in pages]
        for page in copies:
            page.enrolled_count = counts.get(page.pk, 0)
        return copies

    def filtered_pages(self, filters: dict):
        """Live courses below this catalogue, filtered and sorted, in a fixed number of queries;
        with their numbers of enrolled parents when sorted by them (else ``live_values`` adds them)."""
        from .records import Enrolment

        # Subqueries, not joins: a GROUP BY over every enrolment would make the list (and its
        # count, which Django can then leave the annotations out of) scan all enrolments.
        # The parents of media lessons are found once (uncorrelated), not per course.
        media_parent_paths = (
            media_lessons()
            .annotate(parent_path=Substr("path", 1, (F("depth") - 1) * Page.steplen))
            .values("parent_path")
        )
        active = (
            Enrolment.objects.filter(course=OuterRef("pk"), status=Enrolment.Status.ACTIVE)
            .order_by()
            .values("course")
            .annotate(count=Count("pk"))
            .values("count")
        )
        courses = (
            public_only(CoursePage.objects.live().descendant_of(self))
            .annotate(
                has_media=ExpressionWrapper(Q(path__in=media_parent_paths), output_field=models.BooleanField()),
            )
            .select_related("teacher")
            .prefetch_related(
                Prefetch("cover_image", queryset=get_image_model().objects.prefetch_renditions(CARD_IMAGE)),
            )
        )
        if filters["sort"] == "popular":
            courses = courses.annotate(enrolled_count=Coalesce(Subquery(active, output_field=models.IntegerField()), 0))
        courses = filter_by_taxonomy(courses, filters)
        if filters["format"] == "video":
            courses = courses.filter(has_media=True)
        elif filters["format"] == "text":
            courses = courses.filter(has_media=False)
        return courses.order_by(*SORTS[filters["sort"]])

    @path("mine/", name="my_courses")
    def my_courses(self, request):
        return page_views.my_courses(self, request)

    @path("mine/reminders/", name="reminder_preference")
    def reminder_preference(self, request):
        return page_views.reminder_preference(self, request)


class CoursePageForm(WagtailAdminPageForm):
    """The teacher pick-list holds teachers only, shown by name: never every account with its contact."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("teacher")
        if field is None:
            return
        from accounts.models import User

        current = Q(pk=self.instance.teacher_id) if self.instance.teacher_id else Q(pk__in=[])
        field.queryset = (
            User.objects.filter(Q(is_active=True, groups__name=Role.TEACHER.group_name) | current)
            .distinct()
            .order_by("name", "pk")
        )
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()


class CoursePage(OneQueryRestrictionsMixin, RoutablePageMixin, Page):
    """A course written by a teacher: what parents learn, for which children, and how long it takes.

    Enrolment is open by default; ``enrolment_code`` makes it code-only (e.g. for a school's
    parents) and ``capacity`` limits the seats, with a first-come waitlist beyond it.
    """

    summary = models.TextField(_("summary"), max_length=500)
    cover_image = optional_image(_("cover image"))
    learning_objectives = models.TextField(_("learning objectives"), blank=True, help_text=_("One objective per line."))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=30)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="courses")
    age_groups = ParentalManyToManyField(
        AgeGroup, verbose_name=_("child age groups"), blank=True, related_name="courses"
    )
    teacher = models.ForeignKey(
        "accounts.User",
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taught_courses",
    )
    organisation = models.CharField(_("school or organisation"), max_length=120, blank=True)
    enrolment_code = models.CharField(
        _("enrolment code"),
        max_length=32,
        blank=True,
        help_text=_("Leave empty for open enrolment; when set, parents need this code to enrol."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for unlimited seats.")
    )

    base_form_class = CoursePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("learning_objectives"),
        FieldPanel("estimated_minutes"),
        taxonomy_panel(),
        MultiFieldPanel([FieldPanel("teacher"), FieldPanel("organisation")], heading=_("Teacher")),
        MultiFieldPanel([FieldPanel("enrolment_code"), FieldPanel("capacity")], heading=_("Enrolment")),
    ]

    search_fields = chinese_search_fields("summary", "learning_objectives") + [
        index.FilterField("estimated_minutes"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def search_keywords(self) -> list[str]:
        """Topics and age groups are indexed and ranked like the title (see the search app)."""
        return [str(item) for item in (*self.topics.all(), *self.age_groups.all())]

    @property
    def objectives(self) -> list[str]:
        return [line.strip() for line in self.learning_objectives.splitlines() if line.strip()]

    @property
    def requires_code(self) -> bool:
        return bool(self.enrolment_code)

    def route(self, request, path_components):
        """A lesson (or, failing that, a quiz) is read in one query (see ``route_to_child``)."""
        if self.live and path_components and not is_subpage_route(self, path_components):
            from .quizzes import QuizPage

            routed = route_to_child(self, request, path_components, [LessonPage, QuizPage])
            if routed is not None:
                return routed
        return super().route(request, path_components)

    def lessons(self) -> PageQuerySet:
        """Live lessons in the order the teacher arranged them in the page tree."""
        return LessonPage.objects.live().child_of(self).order_by("path")

    def quizzes(self) -> PageQuerySet:
        """Live quizzes; each must be passed for the course to complete."""
        from .quizzes import QuizPage

        return QuizPage.objects.live().child_of(self).order_by("path")

    def get_context(self, request, *args, **kwargs):
        from courses.page_context import course_progress

        context = super().get_context(request, *args, **kwargs)
        context.update(course_progress(request.user, self))
        context["page_topics"], context["page_age_groups"] = page_taxonomy(request, self)
        url = self.get_url(request)
        context.update(enrol_url=url + self.reverse_subpage("enrol"), leave_url=url + self.reverse_subpage("leave"))
        return context

    @path("enrol/", name="enrol")
    def enrol_view(self, request):
        return page_views.enrol(self, request)

    @path("leave/", name="leave")
    def leave_view(self, request):
        return page_views.leave(self, request)


class LessonPage(OneQueryRestrictionsMixin, RoutablePageMixin, Page):
    """One lesson of a course: text to read, or a video or audio recording to watch.

    A lesson with a media block completes when the server has seen 90 % of it watched; any
    other lesson completes when the parent marks it done after ``minimum_reading_seconds``
    (counted on the server from the first time they opened it). Only enrolled parents,
    teachers and district staff can read a lesson.
    """

    intro = models.TextField(_("introduction"), blank=True, max_length=400)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    minimum_reading_seconds = models.PositiveIntegerField(
        _("minimum reading time (seconds)"),
        default=60,
        help_text=_("A text lesson can be marked as done only after this time since it was first opened."),
    )
    media_duration_seconds = models.PositiveIntegerField(_("running time (seconds)"), default=0, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("minimum_reading_seconds"),
    ]

    # Only the title and introduction are indexed: the lesson body is for enrolled parents,
    # and search result snippets must not show it to everyone.
    search_fields = chinese_search_fields("intro")

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def is_media(self) -> bool:
        return self.media_duration_seconds > 0

    def media_block(self):
        for block in self.body:
            if block.block_type == "media":
                return block.value
        return None

    def player_running_time(self) -> int:
        """The player's running time in seconds: the block's own, or else the chosen media
        item's duration; 0 for a lesson without a player."""
        media = self.media_block()
        return media.duration if media else 0

    def save(self, *args, **kwargs):
        """Keeps the running time of the lesson's player in a column, for filters and progress."""
        self.media_duration_seconds = self.player_running_time()
        return super().save(*args, **kwargs)

    def can_read(self, user, enrolment=None) -> bool:
        if can_access_admin(user):
            return True
        return enrolment is not None and enrolment.is_active

    @path("")
    def index_route(self, request, *args, **kwargs):
        return page_views.lesson(self, request, *args, **kwargs)

    @path("complete/", name="complete")
    def complete_view(self, request):
        return page_views.complete_lesson(self, request)

    @path("progress/", name="progress")
    def progress_view(self, request):
        return page_views.lesson_progress(self, request)

    @path("offline-progress/", name="offline_progress")
    def offline_progress_view(self, request):
        return page_views.offline_progress(self, request)
