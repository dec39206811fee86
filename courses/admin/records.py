"""Enrolments, assignments and quiz attempts as records (``ModelViewSet``), scoped to the user.

Enrolments and attempts are read-only here (they change only through ``courses.services`` and
``courses.quizzes``); creating an assignment goes through ``courses.services`` so the parent is
enrolled by the same rules as everywhere else. A teacher sees their own courses only.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from courses import reports, services
from courses.models import Assignment, Enrolment, QuizAttempt


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


class ParentChoiceField(forms.ModelChoiceField):
    """A parent by name, or by masked phone when they gave no name; never an e-mail address."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.masked_phone or _("Parent no. %(number)d") % {"number": obj.pk}


class AssignmentForm(WagtailAdminModelForm):
    """What a user may choose when assigning: their own courses, and only the parents they need.

    Teachers do not write a reason: the reason belongs to the district's record of a family
    (often a bullying case), which teachers never read; their assignments carry a fixed one.
    """

    parent = ParentChoiceField(queryset=None, label=_("parent"))

    class Meta:
        model = Assignment
        fields = ["course", "parent", "deadline", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["course"].queryset = services.assignable_courses(user)
        self.fields["parent"].queryset = services.assignable_parents(user)
        if not services.sees_assignment_reasons(user):
            del self.fields["reason"]


class AssignmentCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        reason = data.get("reason") or str(TEACHER_ASSIGNMENT_REASON)
        [assignment] = services.assign_course(
            data["course"],
            parents=[data["parent"]],
            deadline=data["deadline"],
            reason=reason,
            assigned_by=self.request.user,
        )
        return assignment


TEACHER_ASSIGNMENT_REASON = _("Assigned by the course's teacher")


class AssignmentIndexView(generic.IndexView):
    """A teacher lists only the assignments to their own courses, without the reason."""

    def get_base_queryset(self):
        return services.visible_assignments(self.request.user)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not services.sees_assignment_reasons(request.user):
            self.list_display = [name for name in self.list_display if name != "reason"]
            self.search_fields = [name for name in self.search_fields if name != "reason"]


class AssignmentHistoryView(generic.HistoryView):
    def get_base_object_queryset(self):
        return services.visible_assignments(self.request.user)


class AssignmentViewSet(ModelViewSet):
    """Courses given to a parent with a deadline and a reason (家庭教育指导)."""

    model = Assignment
    icon = "date"
    menu_label = _("Assignments")
    add_to_admin_menu = True
    menu_order = 311
    add_view_class = AssignmentCreateView
    index_view_class = AssignmentIndexView
    history_view_class = AssignmentHistoryView
    list_display = ["parent", "course", "deadline", "reason", "assigned_by", "created_at"]
    list_filter = ["course", "deadline"]
    search_fields = ["parent__name", "reason"]

    def get_form_class(self, for_update=False):
        return AssignmentForm


class QuizAttemptIndexView(generic.IndexView):
    """A teacher sees the attempts at their own courses' quizzes only."""

    def get_base_queryset(self):
        quizzes = reports.visible_quizzes(self.request.user).values("pk")
        return QuizAttempt.objects.filter(quiz__in=quizzes).select_related("parent", "quiz")


class QuizAttemptViewSet(ModelViewSet):
    """Every graded attempt: who, which quiz, score, pass or fail; read-only, exported as CSV/XLSX."""

    model = QuizAttempt
    index_view_class = QuizAttemptIndexView
    icon = "list-ul"
    menu_label = _("Quiz attempts")
    add_to_admin_menu = True
    menu_order = 313
    list_display = ["parent", "quiz", "number", "score_percent", "passed", "late", "started_at", "submitted_at"]
    list_filter = ["quiz", "passed", "late"]
    list_export = [
        "parent",
        "quiz",
        "number",
        "correct_count",
        "question_total",
        "score_percent",
        "passed",
        "late",
        "started_at",
        "submitted_at",
    ]
    search_fields = ["parent__name", "parent__phone"]
    form_fields = ["passed"]
