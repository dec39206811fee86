"""The audit log, read-only, for district leads (and superusers): filter, page, export.

Reading and exporting are themselves written to the audit log. The views are
``sensitive_area`` (two-step verification); ``services.can_read_audit_log`` decides who.
Each page costs the same few queries however many entries match (``actor_label`` and
``actor_role`` are stored on the entry; the case comes by ``select_related``).
"""

from __future__ import annotations

import datetime
import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.middleware import sensitive_area

from . import audit, exports, services
from .models import AuditLog

PAGE_SIZE = 50
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2999, 12, 31)


class AuditFilterForm(forms.Form):
    case = forms.CharField(label=gettext_lazy("Case number"), max_length=40, required=False)
    person = forms.CharField(
        label=gettext_lazy("Person"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Part of the account name or of the person's name."),
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("All actions")), *AuditLog.Action.choices],
    )
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=gettext_lazy("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_case(self):
        return self.cleaned_data["case"].strip().replace("\x00", "")

    def clean_person(self):
        return self.cleaned_data["person"].strip().replace("\x00", "")

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not (EARLIEST <= day <= LATEST):
            # Year 1 or 9999 would overflow when turned into an aware date-time.
            raise forms.ValidationError(_("Choose a date between 2000 and 2999."))
        return day

    def clean_since(self):
        return self._clean_day("since")

    def clean_until(self):
        return self._clean_day("until")

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_entries(form: AuditFilterForm):
    """The entries matching a valid filter form (none when it is not valid: its errors are shown)."""
    entries = AuditLog.objects.select_related("report")
    if not form.is_valid():
        return entries.none(), {}
    data = form.cleaned_data
    if data["case"]:
        entries = entries.filter(report__case_number__iexact=data["case"])
    if data["person"]:
        entries = entries.filter(Q(actor_label__icontains=data["person"]) | Q(actor__name__icontains=data["person"]))
    if data["action"]:
        entries = entries.filter(action=data["action"])
    if data["since"]:
        entries = entries.filter(created_at__gte=_day_start(data["since"]))
    if data["until"]:
        entries = entries.filter(created_at__lt=_day_start(data["until"] + datetime.timedelta(days=1)))
    used = {key: str(value) for key, value in data.items() if value}
    return entries, used


def _allowed(request) -> None:
    if not services.can_read_audit_log(request.user):
        raise PermissionDenied


@sensitive_area
@never_cache
@require_safe
def audit_log(request):
    _allowed(request)
    form = AuditFilterForm(request.GET or None)
    entries, used = filtered_entries(form) if request.GET else (AuditLog.objects.select_related("report"), {})
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(request.user, AuditLog.Action.VIEW_AUDIT, filters=used, page=page.number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schools/audit_log.html",
        {
            "form": form if request.GET else AuditFilterForm(),
            "page_obj": page,
            "entries": page.object_list,
            "query": query.urlencode(),
        },
    )


def headers() -> list[str]:
    return [_("When"), _("Who"), _("Role"), _("What"), _("Case"), _("Details")]


def row(entry: AuditLog) -> list:
    return [
        timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor_label,
        entry.actor_role_display,
        entry.get_action_display(),
        entry.report.case_number if entry.report is not None and entry.report.case_number else "",
        json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
    ]


EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@sensitive_area
@never_cache
@require_safe
def audit_export(request, file_format: str):
    """The filtered audit log as CSV or XLSX (through ``schools.exports``' writers); audited."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    _allowed(request)
    form = AuditFilterForm(request.GET or None)
    entries, used = filtered_entries(form) if request.GET else (AuditLog.objects.select_related("report"), {})
    # The export's own entry is written first, so the file shows that it was exported.
    audit.record(request.user, AuditLog.Action.EXPORT_AUDIT, format=file_format, filters=used, entries=entries.count())
    rows = (row(entry) for entry in entries.iterator(chunk_size=500))
    if file_format == "csv":
        content = exports.table_to_csv(headers(), rows)
    else:
        content = exports.table_to_xlsx(headers(), rows, _("Audit log"))
    response = HttpResponse(content, content_type=EXPORT_FORMATS[file_format])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="huiai-audit-{stamp}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
