"""The question bank as snippets, with its XLSX import and answer-key export."""

from __future__ import annotations

from django import forms
from django.contrib import messages as admin_messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.admin import is_superuser_or
from accounts.roles import Role
from core.exports import XLSX_CONTENT_TYPE
from core.uploads import check_zip_container
from courses import question_bank
from courses.models import Question


class QuestionIndexView(SnippetIndexView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(HeaderButton(_("Import from XLSX"), url=reverse("question_bank_import"), icon_name="upload"))
        if question_bank.may_export_answer_key(self.request.user):
            buttons.append(HeaderButton(_("Export as XLSX"), url=reverse("question_bank_export"), icon_name="download"))
        return buttons


class QuestionViewSet(SnippetViewSet):
    """The question bank: teachers and district staff write, draft and publish questions."""

    model = Question
    index_view_class = QuestionIndexView
    icon = "help"
    menu_label = _("Question bank")
    add_to_admin_menu = True
    menu_order = 312
    list_display = ["text", "kind", "topic", "difficulty", UpdatedAtColumn()]
    list_filter = ["kind", "topic", "difficulty", "live"]
    search_fields = ["text"]


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"), help_text=_("One question per row; see the export for the layout.")
    )
    as_drafts = forms.BooleanField(label=_("Import as drafts (publish later)"), required=False)

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        """A real .xlsx (a ZIP of the spreadsheet kind) that unpacks to a bounded size, before openpyxl reads it."""
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The spreadsheet is too large (at most %(limit)s MB).") % {"limit": self.MAX_BYTES // (1024 * 1024)}
            )
        upload.seek(0)
        check_zip_container(upload.read(), "xlsx")
        upload.seek(0)
        return upload


def _may_edit_bank(user) -> bool:
    return is_superuser_or(user, Role.TEACHER, Role.DISTRICT_STAFF, Role.EDITOR)


def question_import_view(request: HttpRequest) -> HttpResponse:
    if not _may_edit_bank(request.user) or not request.user.has_perm("courses.add_question"):
        raise PermissionDenied
    errors: list[str] = []
    form = QuestionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = question_bank.import_questions(
            form.cleaned_data["file"], as_drafts=form.cleaned_data["as_drafts"], user=request.user
        )
        if result.ok:
            admin_messages.success(request, _("%(count)d questions imported.") % {"count": len(result.created)})
            return redirect(reverse("wagtailsnippets_courses_question:list"))
        errors = result.errors
    return TemplateResponse(
        request,
        "courses/admin/question_import.html",
        {"form": form, "errors": errors, "columns": question_bank.COLUMNS},
    )


def question_export_view(request: HttpRequest) -> HttpResponse:
    """The answer key as XLSX: district staff the whole bank, a teacher their own quizzes' questions."""
    if not question_bank.may_export_answer_key(request.user):
        raise PermissionDenied
    data = question_bank.export_questions(question_bank.exportable_questions(request.user))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="question-bank.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
