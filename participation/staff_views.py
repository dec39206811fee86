"""Views for staff of parent schools: head teachers, school officers and district staff (their
classes, codes, posters, assignments and reminders) and the scoped participation statistics
(``stats``) for them and for street workstation staff. Who sees what: ``participation/views.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.middleware import staff_area
from accounts.roles import is_district
from core import exports
from participation import rollups, selectors, services, street_event_selectors
from participation.forms import AssignForm, SchoolAssignForm
from participation.models import ParentSchool, SchoolClass

# --- Classes: head teachers, school officers, district staff ----------------------------------


def _managed_class(request, pk: int) -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.select_related("parent_school__school"), pk=pk)
    if not services.may_manage_class(request.user, school_class):
        raise Http404
    return school_class


def _may_see_classes(user) -> bool:
    from accounts.roles import Role, has_role, is_district, is_head_teacher

    return is_district(user) or is_head_teacher(user) or has_role(user, Role.SCHOOL_OFFICER)


@staff_area
@login_required
@never_cache
def class_list(request):
    if not _may_see_classes(request.user):
        raise PermissionDenied
    classes = services.classes_managed_by(request.user).order_by("parent_school__name", "grade", "name")
    schools = ParentSchool.objects.select_related("school").order_by("name")
    if not is_district(request.user):
        schools = schools.filter(school_id__in=services.officer_school_ids(request.user))
    return render(request, "participation/class_list.html", {"classes": classes, "assignable_schools": schools})


@staff_area
@login_required
@never_cache
def class_detail(request, pk: int):
    school_class = _managed_class(request, pk)
    overview = selectors.class_overview(school_class)
    reminded_today = school_class.reminders.filter(sent_on=timezone.localdate()).exists()
    return render(
        request,
        "participation/class_detail.html",
        {
            "school_class": school_class,
            "overview": overview,
            "code_live": services.code_is_live(school_class),
            "assign_form": AssignForm(),
            "reminded_today": reminded_today,
        },
    )


@staff_area
@login_required
@never_cache
def class_poster(request, pk: int):
    """A printable A4 poster: the class, its code, and a QR code of the join address."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.safestring import mark_safe

    import qrcode
    import qrcode.image.svg

    school_class = _managed_class(request, pk)
    url = settings.SITE_URL + reverse("participation:join_code", args=[school_class.code])
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    svg = image.to_string(encoding="unicode")
    label = _("QR code to join the class")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return render(
        request,
        "participation/class_poster.html",
        {"school_class": school_class, "qr_svg": mark_safe(svg), "join_url": url},  # noqa: S308 - made by qrcode
    )


@staff_area
@login_required
@require_POST
def class_rotate(request, pk: int):
    school_class = _managed_class(request, pk)
    services.rotate_code(school_class=school_class, by=request.user)
    messages.success(request, _("A new class code is issued; the old one no longer works."))
    return redirect("participation:class_detail", pk=pk)


@staff_area
@login_required
@require_POST
def class_remind(request, pk: int):
    school_class = _managed_class(request, pk)
    try:
        reminder = services.send_class_reminder(school_class=school_class, by=request.user)
    except services.ParticipationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A reminder is on its way to %(count)d parents.") % {"count": reminder.recipients})
    return redirect("participation:class_detail", pk=pk)


def _assign(request, form, **group) -> str:
    """Assigns the form's course and deadline to ``group`` (a class, or a parent school and a
    grade) and says so; "" when done, else the reason it was refused."""
    try:
        assigned = services.assign_to_group(
            course=form.cleaned_data["course"],
            deadline=form.cleaned_data["deadline"],
            assigned_by=request.user,
            **group,
        )
    except services.ParticipationError as error:
        return str(error.message)
    messages.success(
        request,
        _("“%(course)s” is assigned to %(group)s, due %(deadline)s.")
        % {
            "course": assigned.course.title,
            "group": services.group_label(assigned),
            "deadline": assigned.deadline.isoformat(),
        },
    )
    return ""


@staff_area
@login_required
@require_POST
def class_assign(request, pk: int):
    school_class = _managed_class(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        refusal = _assign(request, form, school_class=school_class)
        if refusal:
            messages.error(request, refusal)
    else:
        messages.error(request, _("Please choose a course and a deadline."))
    return redirect("participation:class_detail", pk=pk)


@staff_area
@login_required
@never_cache
def school_assign(request, pk: int):
    """A grade or the whole parent school: school officers of the school and district staff."""
    parent_school = get_object_or_404(ParentSchool.objects.select_related("school"), pk=pk)
    if not services.may_assign_to_school(request.user, parent_school):
        raise Http404
    if request.method == "POST":
        form = SchoolAssignForm(request.POST)
        if form.is_valid():
            refusal = _assign(request, form, parent_school=parent_school, grade=form.cleaned_data["grade"])
            if not refusal:
                return redirect("participation:class_list")
            form.add_error(None, refusal)
    else:
        form = SchoolAssignForm()
    return render(request, "participation/school_assign.html", {"form": form, "parent_school": parent_school})


# --- Statistics -------------------------------------------------------------------------------


def _tables(scope: selectors.Scope) -> dict[str, list[selectors.Row]]:
    tables = {}
    if scope.kind in ("district", "school", "street"):
        tables["school"] = selectors.by_school(scope)
    if scope.kind in ("district", "street"):
        tables["street"] = selectors.by_street(scope)
    if scope.kind in ("school", "classes"):
        tables["class"] = selectors.by_class(scope)
    tables["course"] = selectors.by_course(scope)
    return tables


ROW_HEIGHT = 44  # pixels per bar of a rate chart, as in the case dashboard (schools.dashboards)
TREND_HEIGHT = 140


def _rate_chart(rows: list[selectors.Row]) -> dict:
    """Positions of each row's label and completion-rate bar in the server-drawn SVG."""
    lines = [
        {"row": row, "text_y": index * ROW_HEIGHT + 16, "bar_y": index * ROW_HEIGHT + 22}
        for index, row in enumerate(rows)
    ]
    return {"lines": lines, "height": max(len(rows), 1) * ROW_HEIGHT}


TABLE_TITLES = {
    "school": lambda: _("Schools, by completion rate"),
    "street": lambda: _("Streets and towns, by completion rate"),
    "class": lambda: _("Classes"),
    "course": lambda: _("Courses"),
}


@staff_area
@login_required
@never_cache
def stats(request):
    scope = selectors.scope_of(request.user)
    if scope is None:
        raise PermissionDenied
    totals = selectors.totals(scope)
    if totals.refreshed_at is None:  # never counted (a new site): count now, once
        rollups.refresh()
        totals = selectors.totals(scope)
    # The figures change only when the rollup is counted again: the rendered body is kept per
    # scope, count and language (it names nobody and holds no form), so a dashboard read again
    # costs the queries above and no rendering.
    key = ":".join(
        [
            "participation-stats",
            scope.kind,
            ",".join(map(str, scope.school_ids + scope.class_ids + scope.street_ids)),
            totals.refreshed_at.isoformat() if totals.refreshed_at else "never",
            get_language(),
        ]
    )
    body = cache.get(key)
    if body is None:
        body = render_to_string("participation/stats_body.html", _stats_body(scope, totals), request=request)
        cache.set(key, body, STATS_BODY_SECONDS)
    # Street events change as staff mark attendance, so their counts are not in the kept body.
    events = None
    if scope.kind in ("district", "street"):
        events = street_event_selectors.event_figures(scope.street_codes if scope.kind == "street" else None)
    return render(
        request, "participation/stats.html", {"scope": scope, "totals": totals, "body": body, "events": events}
    )


STATS_BODY_SECONDS = 15 * 60


def _stats_body(scope: selectors.Scope, totals: selectors.Row) -> dict:
    tables = [(key, TABLE_TITLES[key](), rows, _rate_chart(rows)) for key, rows in _tables(scope).items()]
    trend = selectors.completions_by_month(scope)
    this_month, last_month = trend[-1].completed, trend[-2].completed
    largest = max((row.completed for row in trend), default=0)
    trend_bars = []
    for index, row in enumerate(trend):
        height = round(TREND_HEIGHT * row.completed / largest) if largest else 0
        trend_bars.append({"x": index * 100 + 10, "y": TREND_HEIGHT + 10 - height, "height": height})
    return {
        "totals": totals,
        "this_month": this_month,
        "last_month": last_month,
        "change": this_month - last_month,
        "tables": tables,
        "trend": trend,
        "trend_bars": trend_bars,
    }


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@staff_area
@login_required
@never_cache
def stats_export(request, file_format: str):
    """One table of the dashboard as CSV or XLSX: groups and counts, no person named."""
    scope = selectors.scope_of(request.user)
    if scope is None:
        raise PermissionDenied
    if file_format not in EXPORT_TYPES:
        raise Http404
    tables = _tables(scope)
    key = request.GET.get("table", "")
    if key not in tables:
        key = next(iter(tables))
    header = [
        _("Group"),
        _("Registered"),
        _("Joined a class"),
        _("Enrolled"),
        _("Completed"),
        _("Certified"),
        _("Completion rate (%)"),
    ]
    rows = [
        [row.label, row.registered, row.joined, row.enrolled, row.completed, row.certified, row.rate]
        for row in tables[key]
    ]
    if file_format == "csv":
        content = exports.table_to_csv(header, rows)
    else:
        content = exports.table_to_xlsx(header, rows, title=TABLE_TITLES[key]())
    response = HttpResponse(content, content_type=EXPORT_TYPES[file_format])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="huiai-participation-{key}-{stamp}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
