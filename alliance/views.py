"""The event page's two routes: the page with its registration form, and the confirmation.

A successful registration redirects (POST → redirect → GET) to ``registered/``, which reads the
registration from the session: reloading it never registers twice, and nobody can see
another person's registration by guessing a number.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from alliance.models import EventRegistration, RegistrationState
from core import ratelimit

from . import services
from .forms import RegistrationForm

SESSION_KEY = "alliance_registrations"
RATE_LIMIT_SCOPE = "alliance-register"


def registrations_per_hour() -> int:
    return getattr(settings, "ALLIANCE_REGISTRATIONS_PER_HOUR", 20)


def _own_registration(event, request) -> EventRegistration | None:
    """The visitor's active registration for ``event``: from this session, or their account."""
    ids = request.session.get(SESSION_KEY, [])
    registrations = EventRegistration.objects.filter(event=event, cancelled=False)
    found = registrations.filter(pk__in=ids).first() if ids else None
    if found is None and request.user.is_authenticated:
        found = registrations.filter(user=request.user).first()
    return found


def _remember(request, registration: EventRegistration) -> None:
    ids = [pk for pk in request.session.get(SESSION_KEY, []) if pk != registration.pk][-19:]
    request.session[SESSION_KEY] = [*ids, registration.pk]


def _render(event, request, **context):
    event.registered_seats = event.registrations.filter(cancelled=False).count()
    state = event.registration_state()
    context.setdefault("own_registration", _own_registration(event, request))
    context.update(
        registration_state=state,
        registration_open=state == RegistrationState.OPEN,
        seats_left=event.seats_left(),
        organisers=list(event.organisers.all()),
        alliance=event.get_parent(),
    )
    response = event.render(request, context_overrides=context)
    # Seats change by the minute: the page is never served from a cache.
    add_never_cache_headers(response)
    return response


def event_page(event, request):
    form = None
    rate_limited = False
    if request.method == "POST":
        form = RegistrationForm(request.POST, event=event)
        if ratelimit.hit(request, RATE_LIMIT_SCOPE, registrations_per_hour()):
            rate_limited = True
        elif form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.register(
                    event,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    organisation=data["organisation"],
                    user=request.user,
                )
            except services.RegistrationError as error:
                form.add_error("phone" if error.code == "duplicate" else None, error.message)
            else:
                _remember(request, registration)
                return redirect(event.url + event.reverse_subpage("registered"))
    if form is None:
        form = RegistrationForm(initial=RegistrationForm.initial_for(request.user), event=event)
    response = _render(event, request, form=form, rate_limited=rate_limited)
    if rate_limited:
        response.status_code = 429
    return response


def registration_confirmed(event, request):
    registration = _own_registration(event, request)
    if registration is None:
        return redirect(event.url)
    return _render(
        event,
        request,
        registration=registration,
        own_registration=registration,
        confirmation_title=_("You are registered"),
    )
