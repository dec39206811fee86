"""Admin registration: the shared taxonomy as snippets, enrolments and assignments as records.

Topics and age groups are snippets, grouped under one menu so district staff find them
together; the resource library reuses the same two models. Enrolments and assignments are
records (``ModelViewSet``); creating an assignment goes through ``courses.services`` so the
parent is enrolled by the same rules as everywhere else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.roles import Role, has_role
from courses import reports, review, services
from courses.models import AgeGroup, Assignment, CoursePage, Enrolment, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class AgeGroupViewSet(SnippetViewSet):
    model = AgeGroup
    icon = "group"
    menu_label = _("Age groups")
    list_display = ["name", "slug", "min_age", "max_age", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "min_age", "name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (TopicViewSet, AgeGroupViewSet)
    menu_icon = "tag"
    menu_label = _("Course taxonomy")
    menu_name = "course-taxonomy"


register_snippet(TaxonomyViewSetGroup)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Enrolments change only through ``courses.services`` (waitlist promotion depends on it)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Enrolment, ReadOnlyPermissionPolicy(Enrolment), exact_class=True)


class EnrolmentIndexView(generic.IndexView):
    """Per-parent rows with progress and deadline; a teacher sees their own courses only."""

    def get_base_queryset(self):
        return reports.enrolment_rows(self.request.user)


class EnrolmentViewSet(ModelViewSet):
    """Who is enrolled where, with progress, read-only; exported as CSV or XLSX."""

    model = Enrolment
    index_view_class = EnrolmentIndexView
    icon = "group"
    menu_label = _("Enrolments")
    add_to_admin_menu = True
    menu_order = 310
    list_display = [
        "parent",
        "course",
        "status",
        "source",
        Column("progress_percent", label=_("Progress (%)")),
        Column("deadline", label=_("Deadline")),
        Column("is_overdue", label=_("Overdue")),
    ]
    list_filter = ["status", "source", "course"]
    list_export = [
        "parent_name",
        "parent_phone",
        "course.title",
        "status",
        "source",
        "requested_at",
        "enrolled_at",
        "done_count",
        "lesson_count",
        "progress_percent",
        "completed_at",
        "deadline",
        "is_overdue",
    ]
    export_headings = {
        "parent_name": _("Parent"),
        "parent_phone": _("Mobile phone"),
        "course.title": _("Course"),
        "done_count": _("Lessons done"),
        "lesson_count": _("Lessons"),
        "progress_percent": _("Progress (%)"),
        "deadline": _("Deadline"),
        "is_overdue": _("Overdue"),
    }
    export_filename = "enrolments"
    search_fields = ["parent__name", "parent__phone"]
    form_fields = ["status"]


COURSE_REPORT_COUNTS = ["enrolled", "waitlisted", "started", "completed", "overdue"]
COURSE_REPORT_HEADINGS = {
    "title": _("Course"),
    "enrolled": _("Enrolled"),
    "waitlisted": _("On the waitlist"),
    "started": _("Started"),
    "completed": _("Completed"),
    "overdue": _("Overdue"),
}


def course_enrolments_url(course) -> str:
    return reverse("course_enrolments:index") + f"?course={course.pk}"


class CourseReportView(generic.IndexView):
    """Per course: enrolled, waitlisted, started, completed and overdue parents."""

    model = CoursePage
    page_title = _("Course report")
    header_icon = "table"
    index_url_name = "course_report"
    list_export = ["title", *COURSE_REPORT_COUNTS]
    export_headings = COURSE_REPORT_HEADINGS
    export_filename = "course-report"
    list_display = [
        TitleColumn("title", label=_("Course"), get_url=lambda course: course_enrolments_url(course)),
        *[Column(name, label=COURSE_REPORT_HEADINGS[name]) for name in COURSE_REPORT_COUNTS],
    ]
    paginate_by = 50
    is_searchable = False
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or has_role(request.user, Role.TEACHER, Role.DISTRICT_STAFF)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return reports.course_rows(self.request.user)

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": self.page_title}]


@hooks.register("register_admin_urls")
def register_course_report_url():
    return [path("courses/report/", CourseReportView.as_view(), name="course_report")]


class CourseReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or has_role(request.user, Role.TEACHER, Role.DISTRICT_STAFF)


@hooks.register("register_admin_menu_item")
def register_course_report_menu_item():
    return CourseReportMenuItem(_("Course report"), reverse("course_report"), icon_name="table", order=309)


class AssignmentCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        [assignment] = services.assign_course(
            data["course"], [data["parent"]], data["deadline"], data["reason"], assigned_by=self.request.user
        )
        return assignment


class AssignmentViewSet(ModelViewSet):
    """Courses given to a parent with a deadline and a reason (家庭教育指导)."""

    model = Assignment
    icon = "date"
    menu_label = _("Assignments")
    add_to_admin_menu = True
    menu_order = 311
    add_view_class = AssignmentCreateView
    list_display = ["parent", "course", "deadline", "reason", "assigned_by", "created_at"]
    list_filter = ["course", "deadline"]
    search_fields = ["parent__name", "reason"]
    form_fields = ["course", "parent", "deadline", "reason"]


@hooks.register("before_create_page")
def only_own_courses_get_new_lessons(request, parent_page, page_class):
    """A teacher adds lessons only to courses they own (see ``courses.review``)."""
    if not review.may_add_below(request.user, parent_page):
        raise PermissionDenied(_("You can only add lessons to your own courses."))


@hooks.register("register_admin_viewset")
def register_records():
    return [EnrolmentViewSet("course_enrolments"), AssignmentViewSet("course_assignments")]
