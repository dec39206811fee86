"""Parents' side of street events: upcoming events (their street's first), one event's page,
signing up and cancelling, «我的活动». Thin: ``street_event_selectors`` lists, ``street_events``
decides.

The list and an event open to everyone are public, so a family can look before signing in; a
street-only event's page is for that street's residents (and anyone signed up to it): to others
it is 404, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation import street_event_selectors as selectors
from participation import street_events
from workstations.models import EventSignup


@never_cache
def events(request):
    upcoming = list(selectors.upcoming_for(request.user))
    code = street_events.street_code_of(request.user)
    return render(
        request,
        "participation/events/list.html",
        {
            "own": [event for event in upcoming if code and event.workstation.street == code],
            "others": [event for event in upcoming if not (code and event.workstation.street == code)],
            "has_street": bool(code),
        },
    )


@never_cache
def event(request, pk: int):
    event = get_object_or_404(selectors.with_counts(selectors.visible_to(request.user)), pk=pk)
    signup = selectors.live_signup(event, request.user)
    now = timezone.now()
    is_open = event.cancelled_at is None and event.signup_deadline > now and event.starts_at > now
    return render(
        request,
        "participation/events/detail.html",
        {
            "event": event,
            "signup": signup,
            "may_cancel": signup is not None and street_events.may_cancel(signup, now),
            "is_open": is_open,
            "in_audience": street_events.may_sign_up(request.user, event),
            "free": max(event.capacity - event.taken, 0),  # type: ignore[attr-defined]  # annotated by the selector
        },
    )


@login_required
@require_POST
def sign_up(request, pk: int):
    event = get_object_or_404(selectors.visible_to(request.user), pk=pk)
    try:
        street_events.sign_up(event=event, parent=request.user)
    except street_events.StreetEventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are signed up. A confirmation is on its way."))
    return redirect("participation:event", pk=event.pk)


@login_required
@never_cache
def cancel(request, pk: int):
    """Asks «are you sure?» on GET; gives the place back on POST."""
    event = get_object_or_404(selectors.visible_to(request.user), pk=pk)
    signup = selectors.live_signup(event, request.user)
    if signup is None or not street_events.may_cancel(signup):
        if request.method == "POST" or signup is not None:
            messages.error(request, _("A sign-up can only be cancelled before the event starts."))
        return redirect("participation:event", pk=event.pk)
    if request.method == "POST":
        try:
            street_events.cancel_signup(signup=signup, by=request.user)
        except street_events.StreetEventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your sign-up is cancelled."))
        return redirect("participation:event", pk=event.pk)
    return render(request, "participation/events/cancel.html", {"event": event})


@login_required
@never_cache
def my_events(request):
    now = timezone.now()
    signups = list(selectors.signups_of(request.user))
    upcoming = [s for s in signups if s.status == EventSignup.Status.SIGNED_UP and s.event.ends_at > now]
    upcoming.reverse()  # soonest first
    past = [s for s in signups if s not in upcoming]
    return render(request, "participation/events/mine.html", {"upcoming": upcoming, "past": past})
