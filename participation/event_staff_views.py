"""Street workstation staff's side of street events (``staff_area``): their events, creating,
editing and cancelling one, who signed up (names, phones masked) and attendance.

Only the child directors and supervisors of the event's own workstation
(``street_events.workstations_run_by``) reach an event here: to anyone else, district staff
included, another street's event is 404 and the list is 403. The district sees events as counts
on the participation dashboard.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.middleware import staff_area
from participation import street_event_selectors as selectors
from participation import street_events
from participation.forms import StreetEventForm
from workstations.models import EventSignup, StreetEvent, Workstation


def _workstations(request):
    workstations = street_events.workstations_run_by(request.user)
    if not workstations.exists():
        raise PermissionDenied
    return workstations


def _own_event(request, pk: int) -> StreetEvent:
    return get_object_or_404(
        selectors.with_counts(StreetEvent.objects.filter(workstation__in=_workstations(request))).select_related(
            "workstation"
        ),
        pk=pk,
    )


@staff_area
@login_required
@never_cache
def event_list(request):
    workstations = _workstations(request)
    events = list(selectors.events_of(workstations))
    return render(
        request,
        "participation/events/staff_list.html",
        {"workstations": workstations, "events": events, "now": timezone.now()},
    )


@staff_area
@login_required
@never_cache
def event_new(request):
    workstations = _workstations(request)
    form = StreetEventForm(request.POST or None, workstations=workstations)
    if request.method == "POST" and form.is_valid():
        try:
            event = street_events.create_event(
                workstation=form.cleaned_data["workstation"], details=form.details(), by=request.user
            )
        except street_events.StreetEventError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event is published. Families can sign up now."))
            return redirect("participation:street_event", pk=event.pk)
    return render(request, "participation/events/staff_form.html", {"form": form, "event": None})


@staff_area
@login_required
@never_cache
def event_edit(request, pk: int):
    event = _own_event(request, pk)
    workstations = Workstation.objects.filter(pk=event.workstation_id)
    if request.method == "POST":
        form = StreetEventForm(request.POST, workstations=workstations)
        if form.is_valid():
            try:
                street_events.update_event(event=event, details=form.details(), by=request.user)
            except street_events.StreetEventError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The event is saved; families signed up are told of any change."))
                return redirect("participation:street_event", pk=event.pk)
    else:
        form = StreetEventForm(initial=StreetEventForm.initial_for(event), workstations=workstations)
    return render(request, "participation/events/staff_form.html", {"form": form, "event": event})


@staff_area
@login_required
@never_cache
def event_detail(request, pk: int):
    """One event: its facts, who signed up (name, masked phone) and attendance buttons."""
    event = _own_event(request, pk)
    now = timezone.now()
    return render(
        request,
        "participation/events/staff_detail.html",
        {
            "event": event,
            "signups": list(selectors.attendees(event)),
            "started": event.starts_at <= now,
            "may_change": event.cancelled_at is None and event.starts_at > now,
        },
    )


@staff_area
@login_required
@require_POST
def event_cancel(request, pk: int):
    event = _own_event(request, pk)
    try:
        count = street_events.cancel_event(event=event, by=request.user)
    except street_events.StreetEventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The event is cancelled; %(count)d families are told.") % {"count": count})
    return redirect("participation:street_event", pk=event.pk)


@staff_area
@login_required
@require_POST
def attendance(request, pk: int):
    signup = get_object_or_404(
        EventSignup.objects.select_related("event").filter(event__workstation__in=_workstations(request)), pk=pk
    )
    attended = request.POST.get("attended") == "1"
    try:
        street_events.mark_attendance(signup=signup, attended=attended, by=request.user)
    except street_events.StreetEventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as attended.") if attended else _("Marked as not come."))
    return redirect("participation:street_event", pk=signup.event_id)
