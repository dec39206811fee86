"""The access matrix's rules: every URL pattern of the project, grouped, with the outcome each
column must get.

``tests/security/test_access_matrix.py`` walks the URL resolver and asks this module for the rule
of each pattern; a pattern that no rule (or two rules) matches fails the test with its route, and
so does a rule that matches no pattern. Add a URL → add (or extend) a rule here.

Columns: anonymous, parent, then every staff role in three sign-in states:

- ``no_2fa``: signed in with a password; the account has no second factor at all;
- ``password_only``: signed in with a password; the account owns an authenticator app but this
  session's allauth authentication records hold no ``mfa`` entry (what a session opened through
  a login view that skips the second step looks like);
- ``full``: password and ``mfa`` both recorded (allauth's normal sign-in with the app code).

Outcomes are checked on the response (see ``check``): the sensitive case area and the whole
Wagtail admin need ``full`` for every role that sees minors' data (school officers, district
staff, the lead, superusers); teachers and editors work in the admin without a second factor
(``MFA_ADMIN_ROLES`` is the one switch if that decision changes); parents never enter either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ANONYMOUS = "anonymous"
PARENT = "parent"
# Roles that need no second factor and own none, signed in once like parents (issue 13): the head
# teacher of school A's class, and the child director of a street workstation.
HEAD_TEACHER = "head_teacher"
STREET_STAFF = "street_staff"
# A court liaison (issue 14): read-only, their court's orders only, always with a passed second factor.
COURT_LIAISON = "court_liaison"
# "station" is a guidance worker (指导站工作人员) of guidance station A (issue 14): no admin role, but
# a second factor like those who see case data, since station pages name parents.
STAFF_ROLES = ("teacher", "editor", "officer_a", "officer_b", "district", "lead", "superuser", "station")
STATES = ("no_2fa", "password_only", "full")
COLUMNS = (
    ANONYMOUS,
    PARENT,
    HEAD_TEACHER,
    STREET_STAFF,
    COURT_LIAISON,
    *(f"{role}/{state}" for role in STAFF_ROLES for state in STATES),
)
# Roles that must pass the second factor before the Wagtail admin (and the case area) let them in.
MFA_ADMIN_ROLES = ("officer_a", "officer_b", "district", "lead", "superuser")

# --- Outcomes ------------------------------------------------------------------------------
OPEN = "open"  # anything but a server error: public pages, self-service pages
LOGIN = "login"  # 302 to allauth's sign-in page
MFA_SETUP = "mfa_setup"  # 302 to the page that asks for (or sets up) a second factor
SIGNIN = "signin"  # 302 to sign-in, re-authentication or the second-factor step
DENIED = "denied"  # 403
SHUT = "shut"  # refused in any way (403, 404 or sent to sign in / set up 2FA), never let in
ANY = "any"  # whatever the view answers, even its deliberate 500 (Wagtail's error test page)
SIGNED_IN = "signed_in"  # recognised as signed in: not sent to the sign-in page
IN = "in"  # let through every door: no server error, not sent to sign in or set up a second factor

# Patterns an earlier pattern answers first, on purpose: route → the route that answers.
SHADOWED = {
    r"documents/^(\d+)/(.*)$": r"^documents/(?P<document_id>\d+)/(?P<document_filename>.*)$",
    # Wagtail's own login views, answered first by the redirect to allauth (huiai/urls.py).
    "admin/login/": "admin/login/",
    "_util/login/": "_util/login/",
}

LOGIN_PAGE = "/accounts/login/"
ADMIN_LOGIN_HOP = "/admin/login/"
MFA_SETUP_PAGES = ("/account/security/required/", "/accounts/2fa/totp/activate/", "/accounts/2fa/")
SIGNIN_PAGES = (
    LOGIN_PAGE,
    ADMIN_LOGIN_HOP,
    "/accounts/reauthenticate/",
    "/accounts/2fa/authenticate/",
    "/accounts/2fa/reauthenticate/",
)
REFUSALS = (LOGIN, MFA_SETUP, SIGNIN, DENIED, SHUT)  # POSTs to these cells must change nothing


def _redirect_path(response) -> str | None:
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return urlsplit(response["Location"]).path


def _to(response, pages) -> bool:
    path = _redirect_path(response)
    return path is not None and any(path == page or path.startswith(page) for page in pages)


def _gated(response) -> bool:
    return _to(response, SIGNIN_PAGES) or _to(response, MFA_SETUP_PAGES)


def check(outcome, response) -> str | None:
    """None when ``response`` is ``outcome``, else what was wrong."""
    status = response.status_code
    where = f" → {response['Location']}" if _redirect_path(response) is not None else ""
    got = f"got {status}{where}"
    if outcome == ANY:
        return None
    if status >= 500:
        return f"server error: {got}"
    if isinstance(outcome, int):
        ok = status == outcome
    elif outcome == OPEN:
        ok = True
    elif outcome == LOGIN:
        # A hop through Wagtail's /admin/login/ counts: its own row requires it to send on to allauth.
        ok = _to(response, (LOGIN_PAGE, ADMIN_LOGIN_HOP))
    elif outcome == SIGNED_IN:
        ok = not _to(response, (LOGIN_PAGE, ADMIN_LOGIN_HOP))
    elif outcome == MFA_SETUP:
        ok = _to(response, MFA_SETUP_PAGES) and not _to(response, SIGNIN_PAGES[1:])
    elif outcome == SIGNIN:
        ok = _to(response, SIGNIN_PAGES)
    elif outcome == DENIED:
        ok = status == 403
    elif outcome == SHUT:
        ok = status in (403, 404) or _gated(response)
    elif outcome == IN:
        ok = not _gated(response)
    else:  # pragma: no cover - a typo in a rule
        raise AssertionError(f"unknown outcome {outcome!r}")
    return None if ok else f"expected {outcome}, {got}"


# --- Building expectations ---------------------------------------------------------------


def mfa(outcome):
    """A staff role behind the second factor: set it up, then finish signing in, then ``outcome``."""
    return (MFA_SETUP, SIGNIN, outcome)


def columns(
    *, anonymous, parent, head_teacher=None, street_staff=None, court_liaison=None, **staff
) -> dict[str, object]:
    """Expected outcome per column; a staff value is one outcome for all states or a 3-tuple.

    Head teachers and street staff hold no admin role and see no case, so outside their own
    pages (the ``participation`` rules) they get what a parent gets unless a rule says otherwise;
    so does a court liaison (signed in with their second factor) outside the guidance pages.
    """
    expected = {
        ANONYMOUS: anonymous,
        PARENT: parent,
        HEAD_TEACHER: parent if head_teacher is None else head_teacher,
        STREET_STAFF: parent if street_staff is None else street_staff,
        COURT_LIAISON: parent if court_liaison is None else court_liaison,
    }
    assert set(staff) == set(STAFF_ROLES), f"every staff role needs a value, got {sorted(staff)}"
    for role, value in staff.items():
        per_state = value if isinstance(value, tuple) else (value,) * len(STATES)
        for state, outcome in zip(STATES, per_state, strict=True):
            expected[f"{role}/{state}"] = outcome
    return expected


def everyone(outcome) -> dict[str, object]:
    return dict.fromkeys(COLUMNS, outcome)


def _admin(outcome=IN):
    staff = {}
    for role in STAFF_ROLES:
        if role in ("officer_a", "officer_b", "station"):
            # School officers and station staff hold no admin role: Wagtail refuses them in every state.
            staff[role] = SHUT
        elif role in MFA_ADMIN_ROLES:
            staff[role] = mfa(outcome)
        else:
            # Teachers and editors: a second factor is optional, but once they own one the
            # session must have passed it (accounts/roles.py).
            staff[role] = (outcome, SIGNIN, outcome)
    return columns(anonymous=LOGIN, parent=SHUT, **staff)


def _case_area(officer_a, officer_b, district, lead, superuser=IN):
    """Case views: sign-in for anonymous, 403 for parents/teachers/editors and station staff
    (who use a second factor too, but see no case), MFA for the rest."""
    return columns(
        station=DENIED,
        anonymous=LOGIN,
        parent=DENIED,
        teacher=DENIED,
        editor=DENIED,
        officer_a=mfa(officer_a),
        officer_b=mfa(officer_b),
        district=mfa(district),
        lead=mfa(lead),
        superuser=mfa(superuser),
    )


def _participation(
    *, parent, teacher, officer_a, officer_b, district, head_teacher, street_staff, station=None, court_liaison=None
):
    """A page of parent schools marked ``staff_area``: anonymous visitors sign in; roles that
    require a second factor set it up and pass it; teachers and editors who own one pass it;
    then the view's own answer (``district`` also for the lead and superusers; station staff get
    the parent's answer unless given)."""
    return columns(
        station=mfa(parent if station is None else station),
        anonymous=LOGIN,
        parent=parent,
        head_teacher=head_teacher,
        street_staff=street_staff,
        court_liaison=court_liaison,
        teacher=(teacher, SIGNIN, teacher),
        editor=(teacher, SIGNIN, teacher),
        officer_a=mfa(officer_a),
        officer_b=mfa(officer_b),
        district=mfa(district),
        lead=mfa(district),
        superuser=mfa(district),
    )


def _station_area(*, station, district=DENIED, others=DENIED):
    """A station staff page (``staff_area``): gates as for participation pages, then the view:
    the guidance worker of station A gets ``station``, district staff, the lead and superusers
    ``district``, everyone else ``others``."""
    return columns(
        anonymous=LOGIN,
        parent=others,
        head_teacher=others,
        street_staff=others,
        teacher=(others, SIGNIN, others),
        editor=(others, SIGNIN, others),
        officer_a=mfa(others),
        officer_b=mfa(others),
        district=mfa(district),
        lead=mfa(district),
        superuser=mfa(district),
        station=mfa(station),
    )


def _self_service():
    """A signed-in person's own account pages (allauth): sign in first, then open to each."""
    staff = dict.fromkeys(STAFF_ROLES, (SIGNED_IN, OPEN, SIGNED_IN))
    return columns(anonymous=LOGIN, parent=SIGNED_IN, **staff)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: str  # a regex matched (fullmatch) against the full route of a URL pattern
    expected: dict = field(repr=False)
    # POST to refused cells too (state-changing views); refused POSTs must change nothing.
    post: bool = True
    # The view ends the session (logout): each request gets a throwaway signed-in client.
    fresh_client: bool = False
    why: str = ""

    def matches(self, route: str) -> bool:
        return re.fullmatch(self.pattern, route) is not None

    def expect(self, column: str):
        return self.expected[column]


RULES: tuple[Rule, ...] = (
    # --- Login paths: allauth's is the only one --------------------------------------------
    Rule(
        "other_login_views",
        r"admin/login/|_util/login/",
        # A staff session short of its second factor is sent to finish it first (the admin's
        # door); a full one is sent on to allauth like everyone else.
        columns(anonymous=LOGIN, parent=LOGIN, **dict.fromkeys(STAFF_ROLES, (SHUT, SHUT, LOGIN))),
        why="Wagtail's admin login and its front-end login sign in with the password alone: "
        "both must redirect to allauth's sign-in (a correct-password POST is tested separately).",
    ),
    Rule(
        "admin_password_reset",
        r"admin/password_reset/.*",
        everyone(SHUT),
        why="Wagtail's own password reset is a second way in (and builds links from the Host): "
        "allauth's /accounts/password/reset/ is the only one.",
    ),
    Rule("allauth_login", r"accounts/login/", everyone(OPEN), post=False),
    Rule(
        "logout",
        r"accounts/logout/|admin/logout/",
        everyone(OPEN),
        post=False,
        fresh_client=True,
    ),
    # --- The Wagtail admin: the whole of it behind the second factor -----------------------
    Rule(
        "admin_assets",
        r"admin/jsi18n/|admin/sprite/",
        everyone(OPEN),
        post=False,
        why="The admin's JavaScript translations and icon sprite: static, the same for everyone.",
    ),
    Rule(
        "admin_error_test_pages",
        r"admin/test404/|admin/failwhale/",
        _admin(ANY),
        post=False,
        why="Wagtail's own 404 and 500 test pages: behind the admin's door like the rest of it.",
    ),
    Rule("admin", r"admin/(?!login/|logout/|test404/|failwhale/|password_reset/|jsi18n/|sprite/).*", _admin()),
    # --- The case area (accounts.middleware.sensitive_area) --------------------------------
    Rule("case_list", r"schools/cases/|schools/cases/dashboard/", _case_area(200, 200, 200, 200)),
    Rule("case_export", r"schools/cases/export\.<slug:file_format>", _case_area(200, 200, 200, 200)),
    Rule("case_new", r"schools/cases/new/", _case_area(200, 200, 403, 403)),
    Rule("case_detail", r"schools/cases/<int:pk>/", _case_area(200, 404, 200, 200)),
    Rule("case_draft", r"schools/cases/<int:pk>/edit/", _case_area(200, 404, 403, 403)),
    Rule(
        "case_action",
        r"schools/cases/<int:pk>/act/<slug:action>/",
        _case_area(405, 405, 405, 405, superuser=405),
        why="Actions are POST only: GET is 405 before any case is read; officer B's POSTs are object-level cells.",
    ),
    Rule("case_attachment", r"schools/cases/<int:pk>/attachments/<int:attachment_pk>/", _case_area(200, 404, 200, 200)),
    Rule("case_audit_log", r"schools/audit/", _case_area(403, 403, 403, 200)),
    Rule("case_audit_export", r"schools/audit/export\.<slug:file_format>", _case_area(403, 403, 403, 200)),
    Rule("invite_officer", r"schools/invite/", _case_area(403, 403, 200, 200)),
    Rule(
        "invitation_revoke",
        r"schools/invitations/<int:pk>/revoke/",
        _case_area(405, 405, 405, 405, superuser=405),
        why="Withdrawing is POST only (district staff); officer and parent POSTs are refused cells.",
    ),
    # --- Invitees: the emailed or texted token is the key; nothing is granted without it ----
    Rule(
        "invitation_link",
        r"schools/invitations/<str:token>/",
        everyone(OPEN),
        post=False,
        why="An unknown token is 404; a good one moves into the session (tests/schools/test_invite.py).",
    ),
    Rule(
        "invitation_accept",
        r"schools/invitations/accept/",
        everyone(OPEN),
        post=False,
        why="Without a token in the session there is nothing to accept (tests/schools/test_invite.py).",
    ),
    # --- Anonymous reporters: open to all (the receipt code is the key) --------------------
    Rule("anonymous_reports", r"schools/report/.*", everyone(OPEN), post=False),
    # --- allauth --------------------------------------------------------------------------
    Rule(
        "account_self_service",
        r"accounts/(email|password/change|password/set|phone/change|2fa|2fa/totp/activate|"
        r"2fa/totp/deactivate|2fa/recovery-codes|2fa/recovery-codes/generate|"
        r"2fa/recovery-codes/download|3rdparty|reauthenticate|reauthenticate/code|"
        r"reauthenticate/code/confirm)/",
        _self_service(),
    ),
    Rule(
        "account_sign_in_flows",
        r"accounts/(inactive|signup|confirm-email|password/reset|password/reset/done|password/reset/key/done|"
        r"login/code|login/code/confirm|phone/verify|2fa/authenticate|2fa/reauthenticate|"
        r"3rdparty/login/cancelled|3rdparty/login/error|3rdparty/signup|social/login/cancelled|"
        r"social/login/error|social/signup|social/connections|weixin/login|weixin/login/callback)/"
        r"|accounts/\^confirm-email/.*|accounts/\^password/reset/key/.*",
        everyone(OPEN),
        post=False,
        why="Steps of signing in, signing up and resetting a password: for visitors by design.",
    ),
    Rule("mfa_required_page", r"account/security/required/", everyone(OPEN), post=False),
    Rule(
        "elder_mode_switch",
        r"account/elder-mode/",
        everyone(OPEN),
        post=False,
        why="长辈模式 is a display choice for everyone, signed in or not (tests/accounts/test_elder_mode.py).",
    ),
    Rule(
        "installable_app",
        r"manifest\.webmanifest|service-worker\.js|offline/|offline/saved/",
        everyone(OPEN),
        post=False,
        why="The web app manifest, service worker, offline page and the empty list of saved lessons (filled "
        "in on the phone): the same for everyone, no data.",
    ),
    Rule(
        "workbench",
        r"workbench/",
        columns(anonymous=LOGIN, parent=200, **dict.fromkeys(STAFF_ROLES, 200)),
        post=False,
        why="Every signed-in person's home; its case sections stay empty until the session passed "
        "its second factor (tests/home/test_workbench.py).",
    ),
    Rule(
        "metrics",
        r"metrics",
        everyone(SHUT),
        post=False,
        why="Prometheus metrics: 404 to everyone without the monitoring token (tests/home/test_metrics.py).",
    ),
    # --- Public site ----------------------------------------------------------------------
    Rule(
        "public",
        r"healthz|healthz/live|healthz/ready|i18n/setlang/|search/|search/suggest/|certificates/verify/|certificates/verify/<str:code>/"
        r"|_util/authenticate_with_password/.*|\^\(\(\?:\[\\w\\-\]\+/\)\*\)\$",
        everyone(OPEN),
        post=False,
        why="Public pages (page privacy is checked in the object-level cells).",
    ),
    Rule(
        "search_click",
        r"search/click/",
        everyone(405),
        post=False,
        why="POST only (navigator.sendBeacon from the results page): counts a search with a click, no "
        "person; its POSTs, limits and privacy are tested in tests/search/test_clicks.py.",
    ),
    Rule(
        "served_files",
        r"\^documents/.*|documents/.*|media-files/.*",
        everyone(OPEN),
        post=False,
        why="Documents and lesson media; the private-collection cells are object-level.",
    ),
    Rule(
        "certificate_download",
        r"certificates/<str:code>/download/",
        columns(
            anonymous=LOGIN,
            parent=200,
            head_teacher=404,
            street_staff=404,
            court_liaison=404,
            teacher=404,
            editor=404,
            officer_a=404,
            officer_b=404,
            district=200,
            lead=200,
            superuser=200,
            station=404,
        ),
        why="Parent A's certificate: parent A and district staff (who re-issue it) only; "
        "parent B is an object-level cell.",
    ),
    # --- Parent schools (participation) ----------------------------------------------------
    Rule(
        "participation_self_service",
        r"participation/profile/|participation/join/",
        _self_service(),
        why="A signed-in person's own profile, children and classes (anyone may be a parent too).",
    ),
    Rule(
        "participation_join_code",
        r"participation/join/<str:code>/",
        columns(anonymous=LOGIN, parent=200, **dict.fromkeys(STAFF_ROLES, 200)),
        post=False,
        why="The page a class poster's QR code opens: the code is the key; joining is a POST to join/.",
    ),
    Rule(
        "participation_children",
        r"participation/profile/children/add/|participation/profile/children/<int:pk>/remove/",
        columns(anonymous=LOGIN, parent=405, **dict.fromkeys(STAFF_ROLES, 405)),
        why="POST only, and only ever the signed-in parent's own children.",
    ),
    Rule(
        "participation_classes",
        r"participation/classes/",
        _participation(
            parent=DENIED,
            teacher=DENIED,
            officer_a=200,
            officer_b=200,
            district=200,
            head_teacher=200,
            street_staff=DENIED,
        ),
    ),
    Rule(
        "participation_class_pages",
        r"participation/classes/<int:pk>/|participation/classes/<int:pk>/poster/",
        _participation(
            parent=404, teacher=404, officer_a=200, officer_b=404, district=200, head_teacher=200, street_staff=404
        ),
        why="School A's class: its head teacher, school A's officers and the district; nobody else learns it exists.",
    ),
    Rule(
        "participation_class_actions",
        r"participation/classes/<int:pk>/(rotate|remind|assign)/",
        _participation(
            parent=405, teacher=405, officer_a=405, officer_b=405, district=405, head_teacher=405, street_staff=405
        ),
        why="POST only; other classes' POSTs are tested in tests/participation.",
    ),
    Rule(
        "participation_school_assign",
        r"participation/schools/<int:pk>/assign/",
        _participation(
            parent=404, teacher=404, officer_a=200, officer_b=404, district=200, head_teacher=404, street_staff=404
        ),
        why="A grade or the whole of school A: its officers and the district only.",
    ),
    Rule(
        "participation_stats",
        r"participation/stats/|participation/stats/export\.<slug:file_format>",
        _participation(
            parent=DENIED,
            teacher=DENIED,
            officer_a=200,
            officer_b=200,
            district=200,
            head_teacher=200,
            street_staff=200,
        ),
        why="Each scope sees its own counts (tests/participation/test_stats.py); no one else any.",
    ),
    # --- Street events (participation, issue 13) ------------------------------------------
    Rule(
        "street_events_public",
        r"participation/events/|participation/events/<int:pk>/",
        everyone(OPEN),
        post=False,
        why="Upcoming events and an event open to everyone: public, no family named "
        "(a street-only event is 404 outside its street: tests/participation/test_street_event_pages.py).",
    ),
    Rule(
        "street_events_mine",
        r"participation/events/mine/",
        columns(anonymous=LOGIN, parent=200, **dict.fromkeys(STAFF_ROLES, 200)),
        post=False,
        why="«我的活动»: each signed-in person's own sign-ups only.",
    ),
    Rule(
        "street_event_sign_up",
        r"participation/events/<int:pk>/sign-up/",
        columns(anonymous=LOGIN, parent=405, **dict.fromkeys(STAFF_ROLES, 405)),
        why="POST only; who may sign up is tested in tests/participation/test_street_events.py.",
    ),
    Rule(
        "street_event_cancel_sign_up",
        r"participation/events/<int:pk>/cancel/",
        columns(
            anonymous=LOGIN,
            parent=200,
            head_teacher=302,
            street_staff=302,
            court_liaison=302,
            **dict.fromkeys(STAFF_ROLES, 302),
        ),
        why="Parent A's sign-up: the confirm page for parent A; anyone else, holding no place, is sent back "
        "to the event's page.",
    ),
    Rule(
        "street_events_staff",
        r"participation/street/events/|participation/street/events/new/",
        _participation(
            parent=DENIED,
            teacher=DENIED,
            officer_a=DENIED,
            officer_b=DENIED,
            district=DENIED,
            head_teacher=DENIED,
            street_staff=200,
        ),
        why="The street workstation's own staff only; the district sees events as counts on the dashboard.",
    ),
    Rule(
        "street_event_staff_pages",
        r"participation/street/events/<int:pk>/|participation/street/events/<int:pk>/edit/",
        _participation(
            parent=DENIED,
            teacher=DENIED,
            officer_a=DENIED,
            officer_b=DENIED,
            district=DENIED,
            head_teacher=DENIED,
            street_staff=200,
        ),
        why="The event of the street staff's workstation, with names; another street's staff get 404 "
        "(tests/participation/test_street_event_pages.py).",
    ),
    Rule(
        "street_event_staff_actions",
        r"participation/street/events/<int:pk>/cancel/|participation/street/signups/<int:pk>/attendance/",
        _participation(
            parent=405, teacher=405, officer_a=405, officer_b=405, district=405, head_teacher=405, street_staff=405
        ),
        why="POST only (405 before any row is read); other people's POSTs are refused in tests/participation.",
    ),
    # --- Guidance-station appointments (workstations, issue 14) ------------------------------
    Rule(
        "stations_public",
        r"stations/|stations/<int:pk>/",
        everyone(OPEN),
        post=False,
        why="The guidance stations and station A's free times: public, no family's data.",
    ),
    Rule(
        "stations_book",
        r"stations/slots/<int:pk>/book/",
        columns(anonymous=LOGIN, parent=200, **dict.fromkeys(STAFF_ROLES, 200)),
        post=False,
        why="The confirm page of a free slot of station A: anyone signed in may book for their family "
        "(booking itself is tested in tests/workstations).",
    ),
    Rule(
        "stations_my_bookings",
        r"stations/bookings/",
        columns(anonymous=LOGIN, parent=200, **dict.fromkeys(STAFF_ROLES, 200)),
        post=False,
        why="«我的预约»: each signed-in person's own bookings only.",
    ),
    Rule(
        "stations_booking",
        r"stations/bookings/<int:pk>/|stations/bookings/<int:pk>/cancel/",
        columns(
            anonymous=LOGIN,
            parent=200,
            head_teacher=404,
            street_staff=404,
            court_liaison=404,
            **dict.fromkeys(STAFF_ROLES, 404),
        ),
        why="Parent A's booking and its cancel page: parent A only; station staff see it on their day list.",
    ),
    Rule("stations_staff_pages", r"stations/staff/|stations/staff/slots/new/", _station_area(station=200)),
    Rule(
        "stations_staff_actions",
        r"stations/staff/slots/<int:pk>/cancel/|stations/staff/bookings/<int:pk>/attendance/",
        _station_area(station=405, district=405, others=405),
        why="POST only (405 before any row is read); other people's POSTs are refused in tests/workstations.",
    ),
    Rule(
        "stations_session_record",
        r"stations/staff/bookings/<int:pk>/record/",
        _station_area(station=200),
        why="Parent A's attended session at station A: its staff only (reading it is audited).",
    ),
    Rule("stations_utilisation", r"stations/utilisation/", _station_area(station=DENIED, district=200)),
    Rule(
        "certificate_name_correction",
        r"certificates/<str:code>/name-correction/",
        columns(anonymous=LOGIN, parent=405, **dict.fromkeys(STAFF_ROLES, 405)),
        why="POST only; parent B's POST is an object-level cell.",
    ),
    # --- Guidance plans, court orders and completion reports (issue 14) ---------------------
    Rule(
        "guidance_overview",
        r"guidance/plans/",
        _participation(
            parent=DENIED,
            teacher=DENIED,
            officer_a=DENIED,
            officer_b=DENIED,
            district=200,
            head_teacher=DENIED,
            street_staff=DENIED,
            station=200,
            court_liaison=200,
        ),
        why="District staff see every plan, workers (station staff) theirs, a liaison their court's orders' plans.",
    ),
    Rule(
        "guidance_plan",
        r"guidance/plans/<int:pk>/",
        _participation(
            parent=404,
            teacher=404,
            officer_a=404,
            officer_b=404,
            district=200,
            head_teacher=404,
            street_staff=404,
            court_liaison=200,
        ),
        why="The court order's plan: the district and the court's liaison (tests/guidance for workers).",
    ),
    Rule(
        "guidance_plan_actions",
        r"guidance/plans/<int:pk>/(assessment|report)/|guidance/plans/<int:pk>/guardians/<int:guardian_pk>/resend/",
        _participation(
            parent=405,
            teacher=405,
            officer_a=405,
            officer_b=405,
            district=405,
            head_teacher=405,
            street_staff=405,
            court_liaison=405,
        ),
        why="POST only; who may take them is tested in tests/guidance (a liaison never).",
    ),
    Rule(
        "guidance_case_plan",
        r"guidance/cases/<int:case_pk>/plan/",
        _case_area(200, 404, 200, 200),
        why="A plan from school A's case: its handler (officer A) and the district; officer B never sees the case.",
    ),
    Rule(
        "guidance_order_new",
        r"guidance/orders/new/",
        _participation(
            parent=DENIED,
            teacher=DENIED,
            officer_a=DENIED,
            officer_b=DENIED,
            district=200,
            head_teacher=DENIED,
            street_staff=DENIED,
            court_liaison=DENIED,
        ),
        why="Only district staff register court orders.",
    ),
    Rule(
        "guidance_courts",
        r"guidance/courts/",
        _participation(
            parent=DENIED,
            teacher=DENIED,
            officer_a=DENIED,
            officer_b=DENIED,
            district=200,
            head_teacher=DENIED,
            street_staff=DENIED,
            station=DENIED,
            court_liaison=DENIED,
        ),
        why="Only district staff list courts and give or take their liaisons' access.",
    ),
    Rule(
        "guidance_court_liaisons",
        r"guidance/courts/<int:pk>/liaisons/|guidance/liaisons/<int:pk>/remove/",
        _participation(
            parent=405,
            teacher=405,
            officer_a=405,
            officer_b=405,
            district=405,
            head_teacher=405,
            street_staff=405,
            station=405,
            court_liaison=405,
        ),
        why="POST only; only district staff may (tests/guidance/test_courts.py), a refused POST changes nothing.",
    ),
    Rule(
        "guidance_report_files",
        r"guidance/reports/<str:code>/(download|signature)/",
        _participation(
            parent=404,
            teacher=404,
            officer_a=404,
            officer_b=404,
            district=200,
            head_teacher=404,
            street_staff=404,
            court_liaison=200,
        ),
        why="The sealed report and its signature: those who may see the plan.",
    ),
    Rule(
        "guidance_public",
        r"guidance/public-key\.pem|guidance/verify/|guidance/verify/<str:code>/|guidance/join/<str:token>/",
        everyone(OPEN),
        post=False,
        why="The public key and verification page (no names); a guardian's link (the token is the key).",
    ),
    Rule(
        "guidance_my_plans",
        r"guidance/my/",
        _self_service(),
        why="A signed-in person's own plans (none for most).",
    ),
)
