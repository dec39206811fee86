"""Property-based fuzzing (hypothesis) of every form and every view that reads query parameters.

``TARGETS`` declares, for each URL of the resolver (and each Wagtail page type) that takes input,
which query parameters or form fields it reads and which roles can reach it. Every other URL
pattern is listed in ``NO_INPUT`` with the reason; ``test_every_url_is_declared`` fails when a
pattern (or page type) is in neither, so a new view cannot escape the fuzzing. The Wagtail
admin (``/admin/``) has its own small set of targets (listing searches, filters and ordering).

For each target and each role that can reach it, hypothesis sends values made to break things:
NUL bytes, lone surrogates (as invalid UTF-8), RTL marks, huge strings, SQL and HTML payloads,
dates in year 0001 or 9999, huge and negative numbers, several values for one scalar. A
response must be below 500, and an HTML response must not contain a sent HTML payload unescaped.

Every target and role first gets four fixed examples (NUL everywhere; "/" and year 0001; only
dashes; an HTML payload), then ``HUIAI_FUZZ_EXAMPLES`` generated ones (default 6); set
``HUIAI_FUZZ_EXAMPLES=200`` for a long run. The number of requests made is printed at the end.
Run it on PostgreSQL: ``DATABASE_URL=postgres://…/huiai_x pytest tests/security/test_fuzz.py``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories.accounts import sign_in_fully

# One worker runs the whole module (pytest-xdist --dist loadgroup): the module-wide ``world`` is
# then built once, not once per worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("security_fuzz_world")]

EXAMPLES = int(os.environ.get("HUIAI_FUZZ_EXAMPLES", "6"))
REQUESTS = {"count": 0, "5xx": []}

ANONYMOUS, PARENT, TEACHER, OFFICER, DISTRICT, EDITOR, STREET, STATION = (
    "anonymous",
    "parent",
    "teacher",
    "officer",
    "district",
    "editor",
    "street",  # a child director of the street workstation whose event is in the world
    "station",  # a guidance worker of the world's guidance station, named on its plan
)
EVERYONE = (ANONYMOUS, PARENT, TEACHER, OFFICER)
SIGNED_IN = (PARENT, TEACHER, OFFICER)
STAFF = (OFFICER, DISTRICT)

# --- Values -------------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)//<script>alert(1)</script>",
]
XSS_MARKERS = ("<script>alert(1)", "<img src=x onerror", "<svg onload")
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\u202e\u200fabc\u202d",
    "\ufeff",
    "' OR '1'='1",
    "1; DROP TABLE accounts_user;--",
    '" OR ""="',
    "{{ 7*7 }}{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "%00",
    "%",
    "NaN",
    "inf",
    "-1",
    "0",
    "1e309",
    "9" * 40,
    "-" * 3,
    "/",
    "0001-01-01",
    "0001-01-01T00:00",
    "0001-01-01 00:00:00",
    "9999-12-31T23:59",
    "9999-12-31",
    "2026-02-30",
    "true",
    "[]",
    '{"a": 1}',
    *XSS,
]
any_char = st.characters(exclude_categories=())  # surrogates included
text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(any_char, max_size=40),
    st.builds(
        lambda char, size: char * size, st.sampled_from(["A", "界", "<", "\x00", "\u202e"]), st.integers(1, 30000)
    ),
)


def _date_string(moment: datetime.datetime, style: int) -> str:
    date = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    return [date, f"{date}T{moment.hour:02d}:{moment.minute:02d}", f"{date} {moment.hour:02d}:{moment.minute:02d}:00"][
        style
    ]


date_values = st.one_of(
    st.builds(
        _date_string,
        st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31, 23, 59)),
        st.integers(0, 2),
    ),
    text_values,
)
int_values = st.one_of(
    st.integers(-(2**80), 2**80).map(str), st.sampled_from(["1", "2", "0", "-0", "1.5", "0x10"]), text_values
)
KINDS = {"text": text_values, "date": date_values, "int": int_values}


def value_strategy(kind: str):
    """One value, or (for any scalar) a list of values sent under the same name."""
    single = KINDS[kind]
    return st.one_of(single, st.lists(single, min_size=2, max_size=3))


# --- Targets --------------------------------------------------------------------------------


@dataclass
class Target:
    key: str  # a URL name, a Wagtail page type ("page:<model>"), or "admin:<what>"
    url: Callable[[dict], str]
    roles: tuple[str, ...]
    method: str = "GET"
    params: dict[str, str] = field(default_factory=dict)
    fixed: Callable[[dict], dict] | None = None  # fields sent as they are (management forms)

    @property
    def id(self) -> str:
        return f"{self.key}:{self.method}"


def _form_params(form_class, **overrides) -> dict[str, str]:
    from django import forms

    params = {}
    for name, form_field in form_class.base_fields.items():
        if isinstance(form_field, forms.FileField):
            continue
        if isinstance(form_field, (forms.DateField, forms.DateTimeField, forms.TimeField)):
            params[name] = "date"
        elif isinstance(form_field, (forms.IntegerField, forms.ModelChoiceField, forms.FloatField)):
            params[name] = "int"
        else:
            params[name] = "text"
    params.update(overrides)
    return params


def _report_form_params() -> dict[str, str]:
    from schools.forms import InvolvedStudentForm, ReportForm

    params = _form_params(ReportForm, action="text")
    params.update({f"students-0-{name}": kind for name, kind in _form_params(InvolvedStudentForm).items()})
    return params


def _students_management(world) -> dict:
    return {"students-TOTAL_FORMS": "1", "students-INITIAL_FORMS": "0"}


CASE_ACTION_FIELDS = dict.fromkeys(
    [
        "reason",
        "determination",
        "committee_roles",
        "measures",
        "participating_bodies",
        "conclusions",
        "follow_up_actions",
        "text",
        "body",
    ],
    "text",
) | {"handler": "int", "held_on": "date"}


def _case_action_url(action: str) -> Callable[[dict], str]:
    return lambda world: f"/schools/cases/{world['case'].pk}/act/{action}/"


def targets() -> list[Target]:
    from allauth.account import forms as account_forms

    from alliance.forms import RegistrationForm
    from guidance.forms import AssessmentForm, CasePlanForm, CorrectionForm, CourtForm, LiaisonForm, OrderForm
    from participation.forms import AssignForm, ChildForm, JoinForm, ProfileForm, SchoolAssignForm, StreetEventForm
    from schools.anonymous_forms import AnonymousReportForm, ReceiptLookupForm
    from schools.forms import AcknowledgeAnonymousForm, InviteOfficerForm, MessageForm
    from workstations.forms import SessionRecordForm, SlotForm

    page = lambda name: lambda world: world[name]  # noqa: E731
    sub = lambda name, route: lambda world: world[name] + route  # noqa: E731
    return [
        # Site-wide views
        Target("search", lambda w: "/search/", EVERYONE, params={"q": "text", "type": "text", "page": "int"}),
        Target("search_suggest", lambda w: "/search/suggest/", EVERYONE, params={"q": "text"}),
        Target("search_click", lambda w: "/search/click/", EVERYONE, "POST", {"search": "text"}),
        Target("certificate_verify_search", lambda w: "/certificates/verify/", EVERYONE, params={"code": "text"}),
        Target(
            "certificate_verify", lambda w: "/certificates/verify/ABCDEFGHJKLM/", (ANONYMOUS,), params={"x": "text"}
        ),
        Target(
            "certificate_name_correction",
            lambda w: "/certificates/ABCDEFGHJKLM/name-correction/",
            (PARENT,),
            "POST",
            {"requested_name": "text", "reason": "text"},
        ),
        Target("health", lambda w: "/healthz", (ANONYMOUS,), params={"token": "text"}),
        Target("health_ready", lambda w: "/healthz/ready", (ANONYMOUS,), params={"token": "text"}),
        Target("set_language", lambda w: "/i18n/setlang/", EVERYONE, "POST", {"language": "text", "next": "text"}),
        Target("mfa_required", lambda w: "/account/security/required/", (OFFICER,), params={"next": "text"}),
        Target(
            "elder_mode", lambda w: "/account/elder-mode/", EVERYONE, "POST", {"elder_mode": "text", "next": "text"}
        ),
        # Sign-in and account forms (allauth)
        Target("account_login", lambda w: "/accounts/login/", (ANONYMOUS,), params={"next": "text"}),
        Target(
            "account_login",
            lambda w: "/accounts/login/",
            (ANONYMOUS,),
            "POST",
            _form_params(account_forms.LoginForm, login="text", password="text", remember="text", next="text"),
        ),
        Target(
            "account_signup",
            lambda w: "/accounts/signup/",
            (ANONYMOUS,),
            "POST",
            {"phone": "text", "email": "text", "password1": "text", "password2": "text", "privacy_consent": "text"},
        ),
        Target(
            "account_request_login_code",
            lambda w: "/accounts/login/code/",
            (ANONYMOUS,),
            "POST",
            {"phone": "text", "email": "text"},
        ),
        Target(
            "account_reset_password", lambda w: "/accounts/password/reset/", (ANONYMOUS,), "POST", {"email": "text"}
        ),
        Target(
            "account_change_password",
            lambda w: "/accounts/password/change/",
            (PARENT,),
            "POST",
            {"oldpassword": "text", "password1": "text", "password2": "text"},
        ),
        Target(
            "account_email", lambda w: "/accounts/email/", (PARENT,), "POST", {"email": "text", "action_add": "text"}
        ),
        Target("account_change_phone", lambda w: "/accounts/phone/change/", (PARENT,), "POST", {"phone": "text"}),
        Target(
            "account_reauthenticate", lambda w: "/accounts/reauthenticate/", (PARENT,), "POST", {"password": "text"}
        ),
        Target("mfa_activate_totp", lambda w: "/accounts/2fa/totp/activate/", (PARENT,), "POST", {"code": "text"}),
        # Schools: cases (staff) and the anonymous channel
        Target("case_list", lambda w: "/schools/cases/", STAFF, params={"state": "text", "page": "int"}),
        Target("dashboard", lambda w: "/schools/cases/dashboard/", STAFF, params={"page": "int"}),
        Target("export", lambda w: "/schools/cases/export.csv", STAFF, params={"state": "text"}),
        Target(
            "audit_log",
            lambda w: "/schools/audit/",
            (DISTRICT,),
            params={
                "case": "text",
                "person": "text",
                "action": "text",
                "since": "date",
                "until": "date",
                "page": "int",
            },
        ),
        Target(
            "audit_export",
            lambda w: "/schools/audit/export.csv",
            (DISTRICT,),
            params={"case": "text", "person": "text", "action": "text", "since": "date", "until": "date"},
        ),
        Target("invite_officer", lambda w: "/schools/invite/", (DISTRICT,), "POST", _form_params(InviteOfficerForm)),
        Target(
            "report_new",
            lambda w: "/schools/cases/new/",
            (OFFICER,),
            "POST",
            _report_form_params(),
            _students_management,
        ),
        Target(
            "report_edit",
            lambda w: f"/schools/cases/{w['draft'].pk}/edit/",
            (OFFICER,),
            "POST",
            _report_form_params(),
            _students_management,
        ),
        *[
            Target(
                "case_action",
                _case_action_url(action),
                STAFF,
                "POST",
                CASE_ACTION_FIELDS,
            )
            for action in ["add_note", "add_consultation", "determine", "start_handling", "reply_to_reporter"]
        ],
        Target(
            "case_action",
            lambda world: f"/schools/cases/{world['anonymous_case'].pk}/act/acknowledge/",
            (DISTRICT,),
            "POST",
            {f"acknowledge-{name}": kind for name, kind in _form_params(AcknowledgeAnonymousForm).items()},
        ),
        Target(
            "anonymous_report",
            lambda w: "/schools/report/",
            (ANONYMOUS, PARENT),
            "POST",
            _form_params(AnonymousReportForm),
        ),
        Target(
            "anonymous_status",
            lambda w: "/schools/report/status/",
            (ANONYMOUS,),
            "POST",
            _form_params(ReceiptLookupForm),
        ),
        Target(
            "anonymous_case", lambda w: "/schools/report/status/case/", (ANONYMOUS,), "POST", _form_params(MessageForm)
        ),
        # Parent schools (participation)
        Target("profile", lambda w: "/participation/profile/", (PARENT,), "POST", _form_params(ProfileForm)),
        Target(
            "child_add", lambda w: "/participation/profile/children/add/", (PARENT,), "POST", _form_params(ChildForm)
        ),
        Target("join", lambda w: "/participation/join/", (PARENT,), "POST", _form_params(JoinForm)),
        Target(
            "class_assign",
            lambda w: f"/participation/classes/{w['school_class'].pk}/assign/",
            (DISTRICT,),
            "POST",
            _form_params(AssignForm),
        ),
        Target(
            "school_assign",
            lambda w: f"/participation/schools/{w['school_class'].parent_school_id}/assign/",
            (DISTRICT,),
            "POST",
            _form_params(SchoolAssignForm),
        ),
        Target("stats_export", lambda w: "/participation/stats/export.csv", STAFF, params={"table": "text"}),
        # Street events: the staff's form, new and edited, and attendance.
        Target(
            "street_event_new",
            lambda w: "/participation/street/events/new/",
            (STREET,),
            "POST",
            _form_params(StreetEventForm, audience="text"),
        ),
        Target(
            "street_event_edit",
            lambda w: f"/participation/street/events/{w['street_event'].pk}/edit/",
            (STREET,),
            "POST",
            _form_params(StreetEventForm, audience="text"),
        ),
        Target(
            "street_attendance",
            lambda w: f"/participation/street/signups/{w['street_signup'].pk}/attendance/",
            (STREET,),
            "POST",
            {"attended": "text"},
        ),
        # Guidance plans and court orders (guidance)
        Target("report_verify_search", lambda w: "/guidance/verify/", EVERYONE, params={"code": "text"}),
        # The uploaded-PDF check; a form value where the file should be is refused by the form.
        Target("report_verify_search", lambda w: "/guidance/verify/", EVERYONE, "POST", {"document": "text"}),
        Target("overview", lambda w: "/guidance/plans/", (DISTRICT,), params={"status": "text"}),
        Target("station", lambda w: f"/stations/{w['station'].pk}/", EVERYONE, params={"service": "text"}),
        Target(
            "utilisation", lambda w: "/stations/utilisation/", (DISTRICT,), params={"since": "date", "until": "date"}
        ),
        Target("order_new", lambda w: "/guidance/orders/new/", (DISTRICT,), "POST", _form_params(OrderForm)),
        Target(
            "case_plan_new",
            lambda w: f"/guidance/cases/{w['case'].pk}/plan/",
            (DISTRICT,),
            "POST",
            _form_params(CasePlanForm),
        ),
        Target(
            "plan_assessment",
            lambda w: f"/guidance/plans/{w['plan'].pk}/assessment/",
            (DISTRICT, STATION),
            "POST",
            _form_params(AssessmentForm),
        ),
        # The plan's requirements are met: each request issues (in its rolled-back savepoint) a
        # signed report whose PDF carries the fuzzed assessment and correction reason.
        Target(
            "plan_issue_report",
            lambda w: f"/guidance/plans/{w['plan'].pk}/report/",
            (DISTRICT,),
            "POST",
            _form_params(CorrectionForm),
        ),
        Target("courts", lambda w: "/guidance/courts/", (DISTRICT,), "POST", _form_params(CourtForm)),
        Target(
            "court_liaison_new",
            lambda w: f"/guidance/courts/{w['plan'].order.court_id}/liaisons/",
            (DISTRICT,),
            "POST",
            _form_params(LiaisonForm),
        ),
        # Guidance-station staff: the day's list, publishing slots, attendance, session records
        Target("staff_day", lambda w: "/stations/staff/", (STATION,), params={"station": "int", "date": "date"}),
        Target("slot_new", lambda w: "/stations/staff/slots/new/", (STATION,), "POST", _form_params(SlotForm)),
        Target(
            "attendance",
            lambda w: f"/stations/staff/bookings/{w['booked'].pk}/attendance/",
            (STATION,),
            "POST",
            {"attended": "text"},
        ),
        Target(
            "record",
            lambda w: f"/stations/staff/bookings/{w['attended'].pk}/record/",
            (STATION,),
            "POST",
            _form_params(SessionRecordForm),
        ),
        # Wagtail pages that read query parameters or take a form
        Target("page:homepage", page("home_url"), EVERYONE, params={"q": "text", "page": "int"}),
        Target(
            "page:courseindexpage",
            page("catalogue_url"),
            EVERYONE,
            params={"topic": "text", "age": "text", "format": "text", "sort": "text", "page": "int"},
        ),
        Target("page:courseindexpage:mine", sub("catalogue_url", "mine/"), (PARENT,), params={"page": "int"}),
        Target(
            "page:courseindexpage:reminders",
            sub("catalogue_url", "mine/reminders/"),
            (PARENT,),
            "POST",
            {"optional_reminders": "text"},
        ),
        Target("page:coursepage:enrol", sub("course_url", "enrol/"), (PARENT,), "POST", {"code": "text"}),
        Target(
            "page:lessonpage:progress",
            sub("lesson_url", "progress/"),
            (PARENT,),
            "POST",
            {"intervals": "text", "position": "int"},
        ),
        Target(
            "page:quizpage:save",
            lambda w: w["attempt_url"] + "save/",
            (PARENT,),
            "POST",
            {"q1": "text", "q2": "text", "q3": "text"},
        ),
        Target(
            "page:quizpage:submit",
            lambda w: w["attempt_url"] + "submit/",
            (PARENT,),
            "POST",
            {"q1": "text", "q2": "text"},
        ),
        Target(
            "page:libraryindexpage",
            page("library_url"),
            EVERYONE,
            params={"kind": "text", "topic": "text", "age": "text", "page": "int"},
        ),
        Target(
            "page:workstationindexpage",
            page("directory_url"),
            EVERYONE,
            params={"street": "text", "service": "text", "kind": "text"},
        ),
        Target(
            "page:allianceindexpage:events",
            sub("alliance_url", "events/"),
            EVERYONE,
            params={"when": "text", "page": "int"},
        ),
        Target(
            "page:allianceindexpage:resources",
            sub("alliance_url", "resources/"),
            EVERYONE,
            params={"kind": "text", "grade": "text", "page": "int"},
        ),
        Target(
            "page:allianceeventpage", page("event_url"), (ANONYMOUS, PARENT), "POST", _form_params(RegistrationForm)
        ),
        # Wagtail admin: searches, filters and ordering of listings
        Target(
            "admin:pages_search",
            lambda w: "/admin/pages/search/",
            (EDITOR,),
            params={"q": "text", "p": "int", "ordering": "text"},
        ),
        Target(
            "admin:explore",
            lambda w: f"/admin/pages/{w['home'].pk}/",
            (EDITOR,),
            params={"ordering": "text", "p": "int", "q": "text", "locale": "text"},
        ),
        Target(
            "admin:site_history",
            lambda w: "/admin/reports/site-history/",
            (EDITOR,),
            params={
                "timestamp_from": "date",
                "timestamp_to": "date",
                "action": "text",
                "user": "int",
                "object_type": "text",
            },
        ),
        Target(
            "admin:images",
            lambda w: "/admin/images/",
            (EDITOR,),
            params={"q": "text", "collection_id": "int", "ordering": "text", "p": "int", "tag": "text"},
        ),
        Target(
            "admin:documents",
            lambda w: "/admin/documents/",
            (EDITOR,),
            params={"q": "text", "collection_id": "int", "p": "int"},
        ),
        Target(
            "admin:users", lambda w: "/admin/users/", (EDITOR,), params={"q": "text", "p": "int", "ordering": "text"}
        ),
    ]


TARGETS = targets()

# URL patterns that read no query parameter and take no form of ours, with the reason.
NO_INPUT = {
    "web_app_manifest": "the same JSON for everyone; reads no parameter",
    "service_worker": "the same script for everyone; reads no parameter",
    "offline": "a fixed page; reads no parameter",
    "saved_lessons": "a fixed page (the phone fills in the list); reads no parameter",
    "health_live": "answers ok without reading the request (liveness: no database, cache or broker)",
    "metrics": "404 without the monitoring token (a header); reads no parameter",
    "workbench": "reads no parameter; each section comes from the signed-in user's roles",
    "set_language": "fuzzed as a POST target",
    "_util/login/": "redirects to allauth's sign-in whatever it is sent (tests/security/test_sign_in_paths.py)",
    "invitation": "token in the path, looked up by its hash (tests/schools/test_invite.py)",
    "invitation_accept": "POST without fields; the token is in the session",
    "invitation_revoke": "POST without fields; invitation id in the path",
    "wagtaildocs_serve": "document id and file name only; fuzzed paths in test_bad_input",
    "wagtaildocs_authenticate_with_password": "Wagtail's password form (one CharField)",
    "^documents/(?P<document_id>\\d+)/(?P<document_filename>.*)$": "document id and file name only",
    "serve_media": "media id and file name only",
    "account_logout": "POST without fields",
    "account_inactive": "static page",
    "account_reauthenticate": "fuzzed",
    "account_request_reauthentication_code": "allauth form without free fields",
    "account_confirm_reauthentication_code": "one code field (allauth CharField)",
    "account_email_verification_sent": "static page",
    "account_set_password": "same form as change_password",
    "account_confirm_login_code": "one code field (allauth CharField)",
    "account_confirm_email": "key in the path, looked up by allauth's signer",
    "account_verify_phone": "one code field (allauth CharField)",
    "account_reset_password_from_key_done": "static page",
    "account_reset_password_from_key": "key in the path, checked by allauth's token generator",
    "account_reset_password_done": "static page",
    "mfa_index": "static page",
    "mfa_authenticate": "one code field (allauth CharField)",
    "mfa_reauthenticate": "one code field (allauth CharField)",
    "mfa_deactivate_totp": "POST without free fields",
    "mfa_view_recovery_codes": "static page",
    "mfa_generate_recovery_codes": "POST without free fields",
    "mfa_download_recovery_codes": "file download",
    "socialaccount_login_cancelled": "static page",
    "socialaccount_login_error": "static page",
    "socialaccount_signup": "only after a WeChat sign-in (not configured in tests)",
    "socialaccount_connections": "WeChat not configured in tests",
    "accounts/social/login/cancelled/": "redirect",
    "accounts/social/login/error/": "redirect",
    "accounts/social/signup/": "redirect",
    "accounts/social/connections/": "redirect",
    "weixin_login": "WeChat not configured in tests",
    "weixin_callback": "WeChat not configured in tests",
    "case_detail": "no parameters (actions are posted to case_action)",
    "attachment": "ids in the path only",
    "anonymous_receipt": "shows the receipt kept in the session",
    "anonymous_leave": "POST with one flag (quick_exit), only compared with '1'",
    "certificate_download": "code in the path; fuzzed in test_bad_input",
    "wagtailcore_authenticate_with_password": "Wagtail's password form (one CharField)",
    "wagtailcore_login": "redirected to allauth by the auth work",
    "wagtail_serve": "Wagtail pages: declared per page type below",
    "child_remove": "POST without fields; the child's id in the path",
    "join_code": "code in the path, looked up only when made of the code alphabet",
    "class_list": "no parameters",
    "class_detail": "no parameters (actions are posted to their own URLs)",
    "class_poster": "no parameters",
    "class_rotate": "POST without fields",
    "class_remind": "POST without fields",
    "stats": "no parameters",
    # Street events (participation): parents' pages read no parameter; sign-up and cancel post no field.
    "events": "no parameters",
    "my_events": "no parameters",
    "event": "no parameters",
    "event_sign_up": "POST without fields (the event is in the URL)",
    "event_cancel": "POST without fields",
    "street_events": "no parameters",
    "street_event": "no parameters (actions are posted to their own URLs)",
    "street_event_cancel": "POST without fields",
    # Guidance-station appointments (workstations): the station staff's forms are fuzzed above.
    "stations": "no parameters",
    "book": "POST without fields (the slot is in the URL)",
    "booking": "no parameters",
    "my_bookings": "no parameters",
    "cancel": "POST without fields",
    "slot_cancel": "POST without fields",
    # Guidance plans (guidance): the forms are fuzzed above.
    "plan_detail": "no parameters",
    "court_liaison_remove": "POST without fields; the liaison's id in the path",
    "plan_resend": "POST without fields",
    "my_plans": "no parameters",
    "report_download": "the code is in the URL; no parameters",
    "report_signature": "the code is in the URL; no parameters",
    "report_verify": "the code is in the URL; no parameters",
    "public_key": "no parameters",
}
# Page types whose pages read no query parameter and take no form.
PAGES_WITHOUT_INPUT = {
    "standardpage": "rich text only",
    "coursepage": "enrol/leave: enrol is fuzzed, leave has no fields",
    "lessonpage": "progress is fuzzed; complete has no fields",
    "quizpage": "start has no fields; save and submit are fuzzed",
    "resourcepage": "content only",
    "alliancenewspage": "content only",
    "teachingresourcepage": "content only",
    "allianceindexpage": "its routes are fuzzed (events/, resources/)",
    "allianceeventpage": "fuzzed (registration form)",
}


def _resolver_keys() -> set[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                full = prefix + str(pattern.pattern)
                if not full.startswith("admin/"):
                    yield pattern.name or full

    return set(walk(get_resolver().url_patterns))


def test_every_url_is_declared():
    """A URL pattern outside the admin is either fuzzed or listed with the reason it takes no input."""
    declared = {target.key for target in TARGETS} | set(NO_INPUT)
    missing = sorted(_resolver_keys() - declared)
    assert not missing, f"URL patterns neither fuzzed nor declared input-free: {missing}"
    stale = sorted(key for key in NO_INPUT if key not in _resolver_keys())
    assert not stale, f"NO_INPUT names patterns that no longer exist: {stale}"


def test_every_page_type_is_declared():
    from wagtail.models import get_page_models

    fuzzed = {target.key.split(":")[1] for target in TARGETS if target.key.startswith("page:")}
    names = {model._meta.model_name for model in get_page_models() if model._meta.app_label != "wagtailcore"}
    missing = sorted(names - fuzzed - set(PAGES_WITHOUT_INPUT))
    assert not missing, f"page types neither fuzzed nor declared input-free: {missing}"


# --- The world the requests run in ------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Pages, a school, a case and a user per role, built once for the module.

    Built inside a transaction that is rolled back when the module ends (as Django's
    ``setUpTestData`` does); each test's own changes are rolled back after it (``db``).
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> dict:
    from django.core.cache import cache

    from accounts.roles import Role
    from courses import quizzes
    from guidance import services as guidance_services
    from schools import services as case_services
    from tests.factories.accounts import UserFactory
    from tests.factories.alliance import alliance_index, event
    from tests.factories.courses import (
        EnrolmentFactory,
        QuizPageFactory,
        catalogue,
        course_with_lessons,
        issued_certificate,
        question_bank,
    )
    from tests.factories.guidance import court
    from tests.factories.home import home_page
    from tests.factories.library import library_index
    from tests.factories.participation import SchoolClassFactory, resident, street_event, street_staff
    from tests.factories.schools import BullyingReportFactory, SchoolFactory, district_staff, officer_of, submitted_case
    from tests.factories.workstations import booking, guidance_station, guidance_worker, slot
    from workstations.models import Booking, WorkstationIndexPage

    cache.clear()
    home = home_page()
    course = course_with_lessons(1, media_lessons=1)
    lesson = course.get_children().last().specific
    quiz = QuizPageFactory(parent=course)
    question_bank(3)
    directory = WorkstationIndexPage(title="工作站", slug="workstations", intro="示例")
    home.add_child(instance=directory)
    station = guidance_station()
    slot(station)
    station_staff = guidance_worker(station)
    # A session that has started: one booking to mark, one attended with a record to write.
    started = slot(station, starts_in=-datetime.timedelta(hours=2), capacity=3)
    booked = booking(started)
    attended = booking(started, status=Booking.Status.ATTENDED)
    alliance = alliance_index()
    alliance_event = event()
    school = SchoolFactory()
    officer = officer_of(school)
    parent = UserFactory(role=Role.PARENT)
    enrolment = EnrolmentFactory(parent=parent, course=course)
    issued_certificate(enrolment)
    attempt = quizzes.start_attempt(parent, quiz)
    users = {
        PARENT: parent,
        TEACHER: UserFactory(role=Role.TEACHER),
        OFFICER: officer,
        DISTRICT: district_staff(lead=True),
        EDITOR: UserFactory(role=Role.EDITOR),
        STREET: street_staff("xujiahui"),
        STATION: station_staff,
    }
    from workstations.models import EventSignup

    event_of_street = street_event("xujiahui")
    from django.utils import timezone

    today = timezone.localdate()
    # A court order whose plan asks nothing more: its report can be issued (and corrected).
    plan = guidance_services.register_order(
        by=users[DISTRICT],
        court=court(),
        order_number="(2026)沪0104民初0001号",
        issued_on=today - datetime.timedelta(days=10),
        required_content="接受家庭教育指导",
        required_hours=1,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=30),
        guardians=[guidance_services.Guardian(name="模糊测试家长", phone="+8613800009999")],
        worker=station_staff,
        courses=[],
        required_sessions=0,
    )
    return {
        "street_event": event_of_street,
        "street_signup": EventSignup.objects.create(event=event_of_street, parent=resident("xujiahui")),
        "home": home,
        "home_url": home.url,
        "catalogue_url": catalogue().url,
        "course_url": course.url,
        "lesson_url": lesson.url,
        "attempt_url": quiz.url + quiz.reverse_subpage("result", kwargs={"attempt_id": attempt.pk}),
        "library_url": library_index().url,
        "directory_url": directory.url,
        "alliance_url": alliance.url,
        "event_url": alliance_event.url,
        "school_class": SchoolClassFactory(parent_school__school=school),
        "case": submitted_case(officer, school=school),
        "station": station,
        "booked": booked,
        "attended": attended,
        "plan": plan,
        # A new anonymous report: district staff accept it with a summary for the school.
        "anonymous_case": case_services.submit_anonymous(
            school=school, reporter_kind="", narrative="有人欺负我"
        ).report,
        "draft": BullyingReportFactory(school=school, created_by=officer),
        "users": users,
    }


def client_for(role: str, world) -> Client:
    # A view's exception comes back as the 500 a visitor would see, so that it is counted.
    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        sign_in_fully(client, world["users"][role])
    return client


def encode(pairs: list[tuple[str, str]]) -> str:
    """Form/query encoding that keeps what browsers and attackers can send: lone surrogates
    become the invalid UTF-8 bytes they would be, NUL stays a %00."""

    def part(text: str) -> str:
        return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{part(key)}={part(value)}" for key, value in pairs)


def flatten(values: dict) -> list[tuple[str, str]]:
    pairs = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return pairs


def send(client: Client, target: Target, url: str, pairs: list[tuple[str, str]]):
    """One request, in a savepoint rolled back after it: examples do not see each other's rows,
    and a database error in one (a real 500, reported) does not break the next."""
    from django.db import transaction

    REQUESTS["count"] += 1
    body = encode(pairs)
    with transaction.atomic():
        if target.method == "GET":
            response = client.get(f"{url}?{body}" if body else url)
        else:
            response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    return response


def unescaped_payloads(response, pairs) -> list[str]:
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode("utf-8", "replace")
    sent = [value for _name, value in pairs if any(marker in value for marker in XSS_MARKERS)]
    return [marker for value in sent for marker in XSS_MARKERS if marker in value and marker in html]


# A known 500 with an owner elsewhere, (url name, method) -> reason: xfailed (not strict). Empty.
KNOWN_ELSEWHERE: dict[tuple[str, str], str] = {}


CASES = [(target, role) for target in TARGETS for role in target.roles]


@pytest.mark.parametrize(("target", "role"), CASES, ids=[f"{t.id}:{role}" for t, role in CASES])
def test_fuzz(target: Target, role: str, db, world, request):
    reason = KNOWN_ELSEWHERE.get((target.key, target.method))
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=False))
    client = client_for(role, world)
    url = target.url(world)
    strategy = st.fixed_dictionaries({}, optional={name: value_strategy(kind) for name, kind in target.params.items()})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=os.environ.get("HUIAI_FUZZ_RANDOM") != "1",
        suppress_health_check=list(HealthCheck),
    )
    @given(values=strategy)
    @example(values=dict.fromkeys(target.params, "\x00"))
    @example(values={name: "/" if kind == "text" else "0001-01-01T00:00" for name, kind in target.params.items()})
    @example(values={name: "---" if kind == "text" else "0001-01-01" for name, kind in target.params.items()})
    @example(values=dict.fromkeys(target.params, XSS[1]))
    def check(values):
        pairs = flatten(values)
        if target.fixed:
            pairs += list(target.fixed(world).items())
        response = send(client, target, url, pairs)
        if response.status_code >= 500:
            REQUESTS["5xx"].append(f"{target.method} {url} as {role}: {response.status_code} {pairs!r:.300}")
        assert response.status_code < 500, f"{target.method} {url} as {role} -> {response.status_code}"
        leaked = unescaped_payloads(response, pairs)
        assert not leaked, f"{target.method} {url} as {role} reflects {leaked} unescaped"

    check()


def test_the_fuzz_reaches_the_views(db, world):
    """The targets' URLs exist: a typo would fuzz a 404 page and prove nothing."""
    checked = 0
    for target in TARGETS:
        if (target.key, target.method) in KNOWN_ELSEWHERE:
            checked += 1
            continue
        role = target.roles[-1]
        response = send(client_for(role, world), target, target.url(world), [])
        assert response.status_code != 404 or target.key == "certificate_verify", f"{target.id} as {role}: 404"
        checked += 1
    assert checked == len(TARGETS)


def pytest_report_fuzz(terminalreporter) -> None:  # called from conftest's terminal summary
    terminalreporter.write_line(f"fuzz: {REQUESTS['count']} requests, {len(REQUESTS['5xx'])} answered 5xx")
    for line in REQUESTS["5xx"][:50]:
        terminalreporter.write_line(f"  5xx: {line}")
