"""The bodies of the alliance pages' routes (the pages route with ``@path``, this module handles).

The alliance page: its overview and the listings of every event, news item and teaching
resource (``events/``, ``news/``, ``resources/``).

The event page's two routes: the page with its registration form, and the confirmation. A
successful registration redirects (POST → redirect → GET) to ``registered/``, which reads the
registration from the session: reloading it never registers twice, and nobody can see
another person's registration by guessing a number.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from alliance.models import EventRegistration, GradeBand, RegistrationState, TeachingResourceKind
from alliance.models.members import LISTING_PAGE_SIZE
from core import ratelimit
from core.listing import paginate

from . import services
from .forms import RegistrationForm

SESSION_KEY = "alliance_registrations"
RATE_LIMIT_SCOPE = "alliance-register"


# --- The alliance page and its listings --------------------------------------------------------


def alliance_index(page, request):
    return page.render(request, context_overrides=page.overview_context())


def _listing(page, request, items, *, heading, kind: str, extra: dict | None = None):
    paging = paginate(request, items, LISTING_PAGE_SIZE)
    context = {
        "items": paging["page_obj"],
        "listing_heading": heading,
        "listing_kind": kind,
        "filter_query": paging["filter_query"],
        **(extra or {}),
    }
    return page.render(request, template="alliance/alliance_listing.html", context_overrides=context)


def all_events(page, request):
    past = request.GET.get("when") == "past"
    events = page.past_events() if past else page.upcoming_events()
    heading = _("Past events") if past else _("Upcoming events")
    return _listing(page, request, events, heading=heading, kind="events", extra={"showing_past": past})


def all_news(page, request):
    return _listing(page, request, page.news(), heading=_("Alliance news"), kind="news")


def all_resources(page, request):
    resources = page.teaching_resources()
    kind = request.GET.get("kind", "")
    grade = request.GET.get("grade", "")
    if kind in TeachingResourceKind.values:
        resources = resources.filter(kind=kind)
    if grade in GradeBand.values:
        resources = resources.filter(Q(grade_band=grade) | Q(grade_band=GradeBand.ALL))
    return _listing(
        page,
        request,
        resources,
        heading=_("Teaching resources for schools"),
        kind="resources",
        extra={
            "resource_kinds": TeachingResourceKind.choices,
            "grade_bands": GradeBand.choices,
            "filters": {"kind": kind, "grade": grade},
        },
    )


# --- The event page ----------------------------------------------------------------------------


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
