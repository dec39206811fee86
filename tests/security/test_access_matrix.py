"""The access matrix: every URL pattern of the project × every role × sign-in state × login path,
plus object-level cells (issue 10, "Tests that prove it").

Rows come from the URL resolver itself (Wagtail admin included): ``test_every_url_pattern_has_one_rule``
fails naming any pattern that no rule in ``access_rules.RULES`` covers, and any rule left with no
pattern. Each pattern is requested with real object ids from one dataset built for the module
(two schools with a case and an attachment each, a teacher's course with a lesson, quiz, attempt,
progress and certificate of parent A, pages, an image, documents, media, snippets, users…).

Columns are anonymous, parent, and each staff role signed in three ways (``access_rules.STATES``);
the sign-in states are sessions exactly as allauth leaves them (its authentication records under
``AUTHENTICATION_METHODS_SESSION_KEY``; ``test_the_simulated_states_are_what_allauth_records``
proves it against allauth's own login). Refused cells are requested with GET and POST (CSRF off,
so the refusal is the view's, not the token's) and must change no row anywhere in the database.

Every column runs as one test that collects all its wrong cells, so a failure lists each cell:
``<rule> <METHOD> <url> [<column>]: expected …, got …``.
"""

from __future__ import annotations

import re
import time
from contextlib import ExitStack

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

from accounts.roles import Role
from tests.factories.accounts import PASSWORD, UserFactory, add_totp

from . import access_rules as rules

# Tests of one xdist group run on one worker (pytest-xdist --dist loadgroup), which builds the
# module-wide ``world`` once for them. Every test here is in this group; half of the matrix
# columns add a second group name, which xdist joins into a group of its own
# ("security_access_matrix_security_access_matrix_b"), so two workers share the columns.
pytestmark = pytest.mark.xdist_group("security_access_matrix")

PLACEHOLDER_ID = 987654
_AUTH_USER_KEY = "account_authentication_methods_user"  # allauth.account.internal.flows.login
CELLS = {"count": 0}

# --- Rows: the URL resolver ------------------------------------------------------------------


def url_patterns():
    """(full route, URLPattern) for every pattern the project answers, in resolution order."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    return list(walk(get_resolver().url_patterns))


def rule_of(route: str) -> rules.Rule:
    found = [rule for rule in rules.RULES if rule.matches(route)]
    assert len(found) == 1, f"{route!r} is matched by {[r.name for r in found] or 'no rule'}"
    return found[0]


def test_every_url_pattern_has_one_rule():
    routes = [route for route, _pattern in url_patterns()]
    problems = []
    for route in routes:
        found = [rule.name for rule in rules.RULES if rule.matches(route)]
        if len(found) != 1:
            problems.append(f"{route!r}: matched by {found or 'no rule'} (add a row to tests/security/access_rules.py)")
    used = {rule.name for rule in rules.RULES if any(rule.matches(route) for route in routes)}
    problems += [
        f"rule {rule.name!r} matches no URL pattern (dead rule)" for rule in rules.RULES if rule.name not in used
    ]
    assert not problems, "\n".join(problems)
    assert len({rule.name for rule in rules.RULES}) == len(rules.RULES)
    assert all(set(rule.expected) == set(rules.COLUMNS) for rule in rules.RULES)


# --- The dataset, once per module --------------------------------------------------------------


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _with_totp(user, totp):
    if totp:
        add_totp(user)
    return user


def _build(tmp):
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.contrib.search_promotions.models import Query
    from wagtail.models import PageViewRestriction, Site, Task, Workflow

    import wagtail_factories

    from courses import certificates, quizzes
    from courses import services as course_services
    from courses.models import LessonPage
    from home.models import SiteContactSettings
    from schools.models import Attachment
    from tests.factories.alliance import AllianceMemberFactory, fill
    from tests.factories.alliance import event as alliance_event
    from tests.factories.courses import (
        AgeGroupFactory,
        QuizPageFactory,
        TopicFactory,
        course_with_lessons,
        question_bank,
    )
    from tests.factories.home import StandardPageFactory, home_page
    from tests.factories.media import DocumentFactory, MediaItemFactory, private_collection
    from tests.factories.schools import BullyingReportFactory, SchoolFactory, district_staff, officer_of, submitted_case

    w = {}
    school_a, school_b = SchoolFactory(name="矩阵学校A"), SchoolFactory(name="矩阵学校B")
    w["school_a"], w["school_b"] = school_a, school_b

    # Users per column: state no_2fa has no authenticator; the others own one (TOTP).
    def staff_pair(make):
        return {"no_2fa": make(False), "totp": make(True)}

    def with_role(role):
        def make(totp):
            user = UserFactory(role=role)
            if totp:
                add_totp(user)
            return user

        return make

    def superuser(totp):
        user = UserFactory(is_superuser=True, is_staff=True)
        if totp:
            add_totp(user)
        return user

    users = {
        "parent": UserFactory(role=Role.PARENT, name="矩阵家长A"),
        "teacher": staff_pair(with_role(Role.TEACHER)),
        "editor": staff_pair(with_role(Role.EDITOR)),
        "officer_a": staff_pair(lambda totp: officer_of(school_a, mfa=totp)),
        "officer_b": staff_pair(lambda totp: officer_of(school_b, mfa=totp)),
        "district": staff_pair(lambda totp: district_staff(mfa=totp)),
        "lead": staff_pair(lambda totp: district_staff(mfa=totp, lead=True)),
        "superuser": staff_pair(superuser),
    }
    w["users"] = users
    # Parent schools (issue 13): school A's class, its head teacher, parent A's child in it, a child director.
    from tests.factories.participation import ParentSchoolFactory, SchoolClassFactory, member_of, street_staff

    w["parent_school"] = ParentSchoolFactory(school=school_a, name="矩阵家长学校A")
    w["school_class"] = SchoolClassFactory(parent_school=w["parent_school"], name="矩阵1班")
    users[rules.HEAD_TEACHER] = w["school_class"].head_teacher
    users[rules.STREET_STAFF] = street_staff("xujiahui")
    w["workstation_membership"] = users[rules.STREET_STAFF].workstation_memberships.get()
    member_of(w["school_class"], users["parent"])
    # A street event of the child director's workstation, open to everyone, with parent A signed up.
    from tests.factories.participation import street_event
    from workstations.models import EventSignup, StreetEvent

    w["street_event"] = street_event("xujiahui", audience=StreetEvent.Audience.EVERYONE)
    w["street_signup"] = EventSignup.objects.create(event=w["street_event"], parent=users["parent"])
    # Guidance-station appointments (issue 14): station A, its guidance worker, a free slot,
    # parent A's booking of it, and parent A's attended session of yesterday.
    from tests.factories.workstations import booking as station_booking
    from tests.factories.workstations import guidance_station, guidance_worker
    from tests.factories.workstations import slot as station_slot
    from workstations.models import Booking

    w["station_a"] = guidance_station("矩阵指导站A")
    users["station"] = staff_pair(lambda totp: _with_totp(guidance_worker(w["station_a"]), totp))
    w["slot"] = station_slot(w["station_a"], capacity=3)
    w["booking"] = station_booking(w["slot"], users["parent"])
    past = station_slot(w["station_a"], starts_in=-timezone.timedelta(days=1))
    w["attended_booking"] = station_booking(past, users["parent"], status=Booking.Status.ATTENDED)
    w["child"] = users["parent"].children.get()
    w["parent_b"] = UserFactory(role=Role.PARENT, name="矩阵家长B")
    w["teacher_b"] = with_role(Role.TEACHER)(True)
    parent_a = users["parent"]
    teacher_a = users["teacher"]["totp"]

    # Cases: one per school, each with an attachment; a draft of school A.
    officer_a = users["officer_a"]["totp"]
    officer_b = users["officer_b"]["totp"]
    for key, school, officer in (("a", school_a, officer_a), ("b", school_b, officer_b)):
        case = submitted_case(officer, school=school, narrative=f"矩阵案件{key.upper()}：同学在走廊推搡。")
        attachment = Attachment(report=case, content_type="image/png", size=1)
        attachment.file.save("x.png", ContentFile(_png()), save=True)
        w[f"case_{key}"], w[f"attachment_{key}"] = case, attachment
    w["draft_a"] = BullyingReportFactory(school=school_a, created_by=officer_a, narrative="矩阵草稿A")

    # Courses: teacher A's course with a quiz; parent A enrolled, with progress, an attempt, a certificate.
    question_bank(3)
    course = course_with_lessons(1, owner=teacher_a, teacher=teacher_a)
    lesson = LessonPage.objects.child_of(course).first()
    quiz = QuizPageFactory(parent=course, question_count=3, owner=teacher_a)
    enrolment = course_services.enrol(parent_a, course)
    course_services.open_lesson(parent_a, lesson)
    course_services.mark_text_lesson_done(parent_a, lesson, now=timezone.now() + timezone.timedelta(hours=1))
    attempt = quizzes.start_attempt(parent_a, quiz)
    enrolment.completed_at = timezone.now()
    enrolment.save()
    certificate = certificates.issue_certificate(enrolment)
    # A family-education assignment by teacher A, with its reason (another parent: parent A's rows stay as built).
    parent_c = UserFactory(role=Role.PARENT, name="矩阵家长C")
    deadline = timezone.localdate() + timezone.timedelta(days=14)
    [w["assignment"]] = course_services.assign_course(
        course, parents=[parent_c], deadline=deadline, reason="矩阵指派原因", assigned_by=teacher_a
    )
    w.update(course=course, lesson=lesson, quiz=quiz, enrolment=enrolment, attempt=attempt, certificate=certificate)

    # Wagtail content: pages, a password-restricted page, image, documents (one private), media, snippets.
    home = home_page()
    page = StandardPageFactory(parent=home, title="矩阵页面")
    page.save_revision()
    locked = StandardPageFactory(parent=home, title="矩阵密码页面", intro="只有知道密码的人才能读到这段话")
    w["restriction"] = PageViewRestriction.objects.create(
        page=locked, restriction_type=PageViewRestriction.PASSWORD, password="matrix"
    )
    w.update(home=home, page=page, locked_page=locked)
    w["image"] = wagtail_factories.ImageFactory(title="矩阵图片")
    w["document"] = DocumentFactory(title="矩阵文件")
    w["private_document"] = DocumentFactory(title="矩阵私有文件", collection=private_collection())
    w["media"] = MediaItemFactory(title="矩阵视频")
    w["topic"] = TopicFactory(name="矩阵主题")
    w["age_group"] = AgeGroupFactory(name="矩阵年龄段")
    w["name_correction"] = certificates.request_name_correction(parent_a, certificate, "矩阵新名字", "矩阵")
    w["alliance_member"] = AllianceMemberFactory(name="矩阵联盟成员")
    w["event"] = alliance_event(title="矩阵活动")
    [w["registration"]] = fill(w["event"], 1)
    w["redirect"] = Redirect.objects.create(old_path="/matrix-old", redirect_link="/")
    w["query"] = Query.get("矩阵")
    w["workflow"] = Workflow.objects.order_by("pk").first()
    w["task"] = Task.objects.order_by("pk").first()
    w["site"] = Site.objects.get(is_default_site=True)
    SiteContactSettings.for_site(w["site"])  # made on first page render otherwise: not a cell's doing
    w["group"] = Group.objects.get(name=Role.TEACHER.group_name)
    _guidance(w, users, school_a, course)
    w["user"] = parent_a
    return w


def _guidance(w, users, school_a, course):
    """Issue 14: court A's order with its plan and an issued report, its liaison, and school A's
    case handled by officer A with family-education guidance decided (a plan may be made)."""
    from guidance import services as guidance_services
    from guidance.models import GuidancePlan
    from schools.models import BullyingReport, Measure, State
    from tests.factories.guidance import court, court_liaison, guidance_worker
    from tests.factories.schools import submitted_case

    court_a = court("矩阵法院A")
    users[rules.COURT_LIAISON] = court_liaison(court_a)
    district = users["district"]["totp"]
    today = timezone.localdate()
    plan = guidance_services.register_order(
        by=district,
        court=court_a,
        order_number="（2026）矩阵1号",
        issued_on=today - timezone.timedelta(days=60),
        required_content="矩阵指导内容",
        required_hours=2,
        starts_on=today - timezone.timedelta(days=50),
        ends_on=today + timezone.timedelta(days=10),
        guardians=[guidance_services.Guardian("矩阵监护人", "+8613700000001")],
        worker=guidance_worker(),
        courses=[course],
        required_sessions=0,
    )
    GuidancePlan.objects.filter(pk=plan.pk).update(ends_on=today - timezone.timedelta(days=1))
    plan.refresh_from_db()
    w["order_plan"] = plan
    w["guidance_report"] = guidance_services.issue_report(plan, by=district)
    officer_a = users["officer_a"]["totp"]
    case = submitted_case(officer_a, school=school_a)
    BullyingReport.objects.filter(pk=case.pk).update(
        state=State.HANDLING, measures=[Measure.FAMILY_EDUCATION], handler=officer_a
    )
    w["plan_case"] = case


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, _attachment_dir):
    """The dataset, built once in a transaction rolled back after the module's last test."""
    tmp = tmp_path_factory.mktemp("matrix")
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(
            override_settings(
                MEDIA_ROOT=str(tmp / "media"),
                SCHOOLS_ATTACHMENT_ROOT=_attachment_dir,  # the folder every security test uses
                CERTIFICATE_ROOT=tmp / "certificates",
                # The folder the security tests' autouse ``_report_root`` sets for every test: the
                # report storage follows the setting, so the world's reports must be where it points.
                GUIDANCE_REPORT_ROOT=tmp_path_factory.getbasetemp() / "guidance-reports",
                ACCOUNT_RATE_LIMITS=False,
            )
        )
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build(tmp)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Sign-in states, as allauth records them ------------------------------------------------


def signed_in(user, *, mfa: bool) -> Client:
    """A client whose session is what allauth leaves after a password (and, if ``mfa``, an
    authenticator-app) step: ``record_authentication`` appends one record per step and stores
    the user id next to them (allauth/account/internal/flows/login.py)."""
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if mfa:
        authenticator = user.authenticator_set.get(type="totp")
        records.append({"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTH_USER_KEY] = str(user.pk)
    session.save()
    return client


def client_for(world, column: str) -> Client:
    if column == rules.ANONYMOUS:
        return Client(raise_request_exception=False)
    if column in (rules.PARENT, rules.HEAD_TEACHER, rules.STREET_STAFF):
        return signed_in(world["users"][column], mfa=False)
    if column == rules.COURT_LIAISON:
        return signed_in(world["users"][column], mfa=True)
    role, state = column.split("/")
    if state == "no_2fa":
        return signed_in(world["users"][role]["no_2fa"], mfa=False)
    return signed_in(world["users"][role]["totp"], mfa=state == "full")


# --- Concrete URLs ---------------------------------------------------------------------------


def _model_of(callback):
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    if model is None:
        model = getattr(getattr(callback, "view_class", None), "model", None)
    if isinstance(model, str):
        model = apps.get_model(model)
    return model if isinstance(model, type) else None


def _instance_id(world, model, route):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    preferred = {
        get_user_model(): world["user"],
        Group: world["group"],
        get_image_model(): world["image"],
        get_document_model(): world["document"],
    }
    if model in preferred:
        return preferred[model].pk
    if issubclass(model, Page):
        return world["page"].pk
    for value in world.values():
        if isinstance(value, model):
            return value.pk
    obj = model._default_manager.order_by("pk").first()
    return obj.pk if obj is not None else PLACEHOLDER_ID


def value_for(world, name: str, route: str, callback):
    """A real id (or a placeholder where no object makes sense) for one URL parameter."""
    page = world["page"]
    by_name = {
        "page_id": page.pk,
        "page_pk": page.pk,
        "page_to_move_id": page.pk,
        "parent_page_id": world["home"].pk,
        "destination_id": world["home"].pk,
        "image_id": world["image"].pk,
        "document_id": world["document"].pk,
        "doc_id": world["document"].pk,
        "media_id": world["media"].pk,
        "collection_id": world["document"].collection_id,
        "revision_id": page.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "workflow_pk": world["workflow"].pk,
        "task_id": world["task"].pk,
        "redirect_id": world["redirect"].pk,
        "query_id": world["query"].pk,
        "quiz_id": world["quiz"].pk,
        "event_id": world["event"].pk,
        "attachment_pk": world["attachment_a"].pk,
        "restriction_id": PLACEHOLDER_ID,
        "page_view_restriction_id": world["restriction"].pk,
        "code": world["certificate"].code,
        "file_format": "csv",
        "filter_spec": "fill-10x10",
        "media_type": "video",
        "filename": "x.mp4",
        "document_filename": world["document"].filename,
        "key": "matrix-key",
        "uidb36": "1",
        "uidb64": "MQ",
        "token": "matrix-token",
        "action_name": "approve",
        "app_name": "home",
        "app_label": "taxonomy",
        "model_name": "topic",
        "content_type_app_name": "home",
        "content_type_model_name": "standardpage",
        "object_id": str(world["topic"].pk),
    }
    if route.startswith("schools/cases/"):
        if name == "action":
            return "add_note"
        if name == "pk":
            return world["draft_a"].pk if route.endswith("/edit/") else world["case_a"].pk
    if route.startswith("guidance/"):
        guidance_values = {
            "pk": world["order_plan"].pk,
            "guardian_pk": world["order_plan"].guardians.get().pk,
            "case_pk": world["plan_case"].pk,
            "code": world["guidance_report"].code,
        }
        if name in guidance_values:
            return guidance_values[name]
    if route.startswith(("participation/events/", "participation/street/")) and name == "pk":
        return world["street_signup" if "/signups/" in route else "street_event"].pk
    if route.startswith("participation/"):
        if name == "code":
            return world["school_class"].code
        if name == "pk":
            if route.startswith("participation/classes/"):
                return world["school_class"].pk
            if route.startswith("participation/schools/"):
                return world["parent_school"].pk
            return world["child"].pk
    if route.startswith("stations/") and name == "pk":
        if route.startswith("stations/staff/bookings/"):
            return world["attended_booking"].pk
        if route.startswith("stations/bookings/"):
            return world["booking"].pk
        if "slots/" in route:
            return world["slot"].pk
        return world["station_a"].pk
    if route.startswith("admin/settings/"):
        return {"app_name": "home", "model_name": "sitecontactsettings", "pk": world["site"].pk}[name]
    if route.startswith("admin/bulk/"):
        return {"app_label": "wagtailcore", "model_name": "page", "action": "delete"}[name]
    if route.startswith("admin/workflows/tasks/add/"):
        return {"app_label": "wagtailcore", "model_name": "groupapprovaltask"}[name]
    if name in ("pk", "workflow_state_id", "task_state_id", "session_id", "uploaded_file_id"):
        if name == "pk" and ("/pages/" in route or "^pages/" in route):
            return page.pk
        if name == "pk" and "/workflows/tasks/" in route:
            return world["task"].pk
        if name == "pk" and "/workflows/" in route:
            return world["workflow"].pk
        if name == "pk" and "^documents/" in route:
            return world["document"].pk
        if name == "pk" and "^images/" in route:
            return world["image"].pk
        model = _model_of(callback) if name == "pk" else None
        return _instance_id(world, model, route) if model is not None else PLACEHOLDER_ID
    if name in by_name:
        return by_name[name]
    raise AssertionError(f"no value for <{name}> in {route!r}: add one to value_for()")


_TOKEN = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def build_url(world, route: str, callback) -> str:
    if route == "admin/^.*/$":
        return "/admin/matrix-no-such-view/"
    if route == r"^((?:[\w\-]+/)*)$":
        return world["page"].url
    if route == r"documents/^(\d+)/(.*)$":
        return f"/documents/{world['document'].pk}/{world['document'].filename}"
    url = _TOKEN.sub(lambda m: str(value_for(world, m.group(1) or m.group(2), route, callback)), route)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + url


def test_every_route_builds_a_url_that_reaches_its_own_view(world, db):
    wrong = []
    for route, pattern in url_patterns():
        url = build_url(world, route, pattern.callback)
        CELLS["placeholder_rows"] = CELLS.get("placeholder_rows", 0) + (str(PLACEHOLDER_ID) in url)
        try:
            match = resolve(url.split("?")[0])
        except Exception as error:  # noqa: BLE001 - reported below
            wrong.append(f"{route}: {url} does not resolve ({error})")
            continue
        if match.func is not pattern.callback and rules.SHADOWED.get(route) != match.route:
            wrong.append(f"{route}: {url} reaches {match.route!r} instead")
    assert not wrong, "\n".join(wrong)


# --- Snapshot: refused requests change nothing -------------------------------------------------

_COUNT_SQL = {}

# On PostgreSQL, the rows this transaction has inserted, updated or deleted so far, per table:
# the counters only grow (a rolled-back savepoint keeps its attempts counted), so an unchanged
# snapshot proves that no statement wrote a row, UPDATEs included, which row counts cannot see.
# The counters are read for the tables' ids, listed once: the same numbers as the view
# pg_stat_xact_user_tables gives, without its scan of the catalogue (0.7 ms instead of 1.6 ms
# a snapshot, two snapshots a refused cell).
_PG_TABLES_SQL = (
    "SELECT array_agg(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname !~ '^pg_toast' AND c.relname <> 'django_session'"
)
_PG_WRITES_SQL = (
    "SELECT relid::regclass::text, writes FROM ("
    "SELECT relid, pg_stat_get_xact_tuples_inserted(relid) + pg_stat_get_xact_tuples_updated(relid)"
    " + pg_stat_get_xact_tuples_deleted(relid) AS writes FROM unnest(%s::oid[]) AS relid"
    ") AS counted WHERE writes > 0"
)


def snapshot() -> tuple:
    """What a write to any table but sessions would change, in one query: on PostgreSQL the
    transaction's write counters per table, elsewhere the row count of every table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if "oids" not in _COUNT_SQL:
                cursor.execute(_PG_TABLES_SQL)
                _COUNT_SQL["oids"] = cursor.fetchone()[0]
            cursor.execute(_PG_WRITES_SQL, [_COUNT_SQL["oids"]])
            return tuple(sorted(cursor.fetchall()))
        if "sql" not in _COUNT_SQL:
            tables = sorted(t for t in connection.introspection.table_names() if t != "django_session")
            quote = connection.ops.quote_name
            _COUNT_SQL["tables"] = tables
            _COUNT_SQL["sql"] = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
        cursor.execute(_COUNT_SQL["sql"])
        return tuple(cursor.fetchone())


def changed_tables(before, after) -> list[str]:
    if connection.vendor == "postgresql":
        return sorted(name for name, writes in set(after) - set(before))
    return [t for t, b, a in zip(_COUNT_SQL["tables"], before, after, strict=True) if b != a]


def test_the_snapshot_sees_every_kind_of_write_even_one_rolled_back(world, db):
    """A refused cell is judged by ``snapshot()``, taken before the request and after it, inside
    the savepoint each cell rolls back. It must see an INSERT, an UPDATE and a DELETE there (on
    SQLite, whose snapshot counts rows, the INSERT and the DELETE), must ignore session rows, and
    on PostgreSQL must still see a write that the view itself rolled back."""
    from django.contrib.sessions.backends.db import SessionStore

    from taxonomy.models import Topic

    doomed = Topic.objects.create(name="矩阵快照删", slug="matrix-snapshot-delete")
    writes = {
        "insert": lambda: Topic.objects.create(name="矩阵快照", slug="matrix-snapshot"),
        "update": lambda: Topic.objects.filter(pk=doomed.pk).update(name="矩阵快照改"),
        "delete": lambda: Topic.objects.filter(pk=doomed.pk).delete(),
    }
    postgres = connection.vendor == "postgresql"
    for kind, write in writes.items():
        before = snapshot()
        savepoint = transaction.savepoint()
        write()
        inside = snapshot()
        transaction.savepoint_rollback(savepoint)
        if postgres or kind != "update":
            assert inside != before, f"the snapshot missed an {kind}"
            assert Topic._meta.db_table in changed_tables(before, inside), kind
        if postgres:
            assert snapshot() != before, f"the snapshot forgot an {kind} rolled back"
    before = snapshot()
    SessionStore().create()
    assert snapshot() == before, "a session row counted as a change"


POST_DATA = {
    "title": "matrix",
    "slug": "matrix",
    "name": "matrix",
    "text": "matrix",
    "add_note-text": "matrix",
    "email": "matrix@example.invalid",
    "phone": "13900009999",
    "role": "officer",
    "password": PASSWORD,
    "action-publish": "action-publish",
}


def _session_key(client: Client) -> str | None:
    """The session the client presents. A response that only re-sends the same session (a new
    expiry after the staff-session check, say) keeps it: each cell's savepoint rollback restores
    the session row exactly as the column began, so the next cell starts from the same state."""
    morsel = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel is not None else None


def _forget_all_but_the_session(client: Client) -> None:
    """Drop what an earlier cell left in the browser besides the session (CSRF token, messages
    cookie, language), so each cell is requested as if by a fresh client in the same session."""
    for name in [name for name in client.cookies if name != settings.SESSION_COOKIE_NAME]:
        del client.cookies[name]


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- The matrix ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        pytest.param(column, marks=[pytest.mark.xdist_group("security_access_matrix_b")] if i % 2 else [])
        for i, column in enumerate(rules.COLUMNS)
    ],
)
def test_access_matrix(world, db, column):
    """One column: every pattern with GET (and POST where refused); each cell runs in a savepoint
    rolled back after it, so a cell that wrongly got through cannot change what the next one sees."""
    client = client_for(world, column)
    session_key = _session_key(client)
    secrets = [world["case_a"].case_number.encode(), "矩阵案件A".encode()]
    wrong = []
    for route, pattern in url_patterns():
        rule = rule_of(route)
        expected = rule.expect(column)
        refused = expected in rules.REFUSALS
        url = build_url(world, route, pattern.callback)
        for method in ["get", "post"] if rule.post and refused else ["get"]:
            cell = f"{rule.name} {method.upper()} {url} [{column}]"
            if rule.fresh_client:
                this = client_for(world, column)
            else:
                this = client
                _forget_all_but_the_session(client)
            savepoint = transaction.savepoint()
            baseline = snapshot() if refused else ()
            try:
                response = this.post(url, POST_DATA) if method == "post" else this.get(url)
                CELLS["count"] += 1
                problem = rules.check(expected, response)
                if problem:
                    wrong.append(f"{cell}: {problem}")
                if refused:
                    after = snapshot()
                    if after != baseline:
                        wrong.append(f"{cell}: refused but changed {changed_tables(baseline, after)}")
                    if response.status_code != 200 and any(s in _content(response) for s in secrets):
                        wrong.append(f"{cell}: refused but the response names school A's case")
            finally:
                transaction.savepoint_rollback(savepoint)
            if this is client and _session_key(client) != session_key:
                # The view ended or replaced the session: the next cell starts from the column's state again.
                client = client_for(world, column)
                session_key = _session_key(client)
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong)


# --- Login paths ------------------------------------------------------------------------------


def _totp_code():
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    from tests.factories.accounts import TOTP_SECRET

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(TOTP_SECRET, counters[len(counters) // 2]))


OTHER_LOGIN_PATHS = ("/admin/login/", "/_util/login/")
LOGIN_ROLES = ("officer_a", "district", "lead", "superuser", "teacher", "editor")


@pytest.mark.parametrize("path", OTHER_LOGIN_PATHS)
@pytest.mark.parametrize("role", LOGIN_ROLES)
def test_other_login_views_sign_nobody_in(world, db, path, role):
    """A correct password posted to Wagtail's login views leaves the visitor anonymous."""
    user = world["users"][role]["totp"]
    client = Client()
    for login in (user.email, user.phone):
        response = client.post(path, {"username": login, "password": PASSWORD, "login": login})
        CELLS["count"] += 1
        assert "_auth_user_id" not in client.session, f"{path} signed {role} in with the password alone"
        assert rules.check(rules.LOGIN, response) is None, rules.check(rules.LOGIN, response)
    assert rules.check(rules.LOGIN, client.get("/schools/cases/")) is None
    assert rules.check(rules.LOGIN, client.get("/admin/")) is None


@pytest.mark.parametrize("role", ("officer_a", "district", "superuser"))
def test_the_simulated_states_are_what_allauth_records(world, db, role):
    """allauth's own sign-in: after the password the user is not signed in yet; after the app
    code the session holds the records ``signed_in(mfa=True)`` writes, and the case area opens."""
    user = world["users"][role]["totp"]
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert rules.check(rules.LOGIN, client.get("/schools/cases/")) is None
    client.post("/accounts/2fa/authenticate/", {"code": _totp_code()})
    methods = [record["method"] for record in client.session[AUTHENTICATION_METHODS_SESSION_KEY]]
    assert methods == ["password", "mfa"]
    assert client.session[_AUTH_USER_KEY] == str(user.pk)
    simulated = signed_in(user, mfa=True).session[AUTHENTICATION_METHODS_SESSION_KEY]
    assert [sorted(record) for record in simulated] == [
        sorted(record) for record in client.session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    assert client.get("/schools/cases/").status_code == 200
    CELLS["count"] += 4


@pytest.mark.parametrize("role", ("officer_a", "district"))
def test_allauth_sign_in_without_a_second_factor_is_sent_to_set_one_up(world, db, role):
    user = world["users"][role]["no_2fa"]
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert rules.check(rules.MFA_SETUP, client.get("/schools/cases/")) is None
    admin = client.get("/admin/")
    # District staff are sent to set up the app; officers hold no admin role (refused either way).
    assert rules.check(rules.MFA_SETUP if role == "district" else rules.SHUT, admin) is None
    CELLS["count"] += 3


# --- Object-level cells -------------------------------------------------------------------------


def _full(world, role):
    return signed_in(world["users"][role]["totp"], mfa=True)


def test_officer_b_gets_nothing_of_school_a(world, db):
    from tests.schools.helpers import report_form_data

    client = _full(world, "officer_b")
    case, draft, attachment = world["case_a"], world["draft_a"], world["attachment_a"]
    secrets = [case.case_number, "矩阵案件A", "矩阵草稿A", world["school_a"].name]
    before = snapshot()
    refused = {
        f"/schools/cases/{case.pk}/": client.get,
        f"/schools/cases/{draft.pk}/": client.get,
        f"/schools/cases/{draft.pk}/edit/": client.get,
        f"/schools/cases/{case.pk}/attachments/{attachment.pk}/": client.get,
    }
    for url, method in refused.items():
        assert method(url).status_code == 404, url
    posts = {
        f"/schools/cases/{draft.pk}/edit/": report_form_data(world["school_a"], narrative="改写"),
        f"/schools/cases/{case.pk}/act/add_note/": {"add_note-text": "矩阵备注"},
        f"/schools/cases/{case.pk}/act/acknowledge/": {"acknowledge-reason": ""},
        f"/schools/cases/{case.pk}/act/close/": {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before
    for url in (
        "/schools/cases/",
        "/schools/cases/dashboard/",
        "/schools/cases/export.csv",
        "/schools/cases/export.xlsx",
        "/schools/cases/?q=" + case.case_number,
        "/search/?q=" + case.case_number,
    ):
        body = _content(client.get(url))
        if url.endswith(".xlsx"):
            import io

            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(body))
            body = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row).encode()
        leaked = [s for s in [*secrets[1:3], f"/schools/cases/{case.pk}/"] if s.encode() in body]
        if "?q=" not in url:  # a search box shows back what was typed: the number itself is no leak there
            leaked += [secrets[0]] if secrets[0].encode() in body else []
        assert not leaked, f"{url} shows officer B {leaked}"
    assert world["case_b"].case_number.encode() in _content(client.get("/schools/cases/export.csv"))
    CELLS["count"] += len(refused) + len(posts) + 7


@pytest.mark.parametrize("role", ("officer_a", "district"))
def test_attachment_id_on_the_wrong_case_is_404(world, db, role):
    client = _full(world, role)
    right = f"/schools/cases/{world['case_a'].pk}/attachments/{world['attachment_a'].pk}/"
    assert client.get(right).status_code == 200
    wrong_case = f"/schools/cases/{world['case_b'].pk}/attachments/{world['attachment_a'].pk}/"
    assert client.get(wrong_case).status_code == 404
    other = f"/schools/cases/{world['case_a'].pk}/attachments/{world['attachment_b'].pk}/"
    assert client.get(other).status_code == 404
    CELLS["count"] += 3


def test_parent_b_gets_nothing_of_parent_a(world, db):
    quiz, attempt, certificate, course = world["quiz"], world["attempt"], world["certificate"], world["course"]
    owner = signed_in(world["users"]["parent"], mfa=False)
    other = signed_in(world["parent_b"], mfa=False)
    attempt_url = quiz.url + quiz.reverse_subpage("result", args=[attempt.pk])
    save_url = quiz.url + quiz.reverse_subpage("save", args=[attempt.pk])
    submit_url = quiz.url + quiz.reverse_subpage("submit", args=[attempt.pk])
    download = f"/certificates/{certificate.code}/download/"
    correction = f"/certificates/{certificate.code}/name-correction/"
    assert owner.get(download).status_code == 200
    before = snapshot()
    assert other.get(download).status_code == 404
    assert other.post(correction, {"requested_name": "冒名", "reason": "x"}).status_code == 404
    assert other.get(attempt_url).status_code == 404
    assert other.post(save_url, {}).status_code == 404
    assert other.post(submit_url, {}).status_code == 404
    assert snapshot() == before, changed_tables(before, snapshot())
    mine = course.get_parent().specific
    my_courses = mine.url + mine.reverse_subpage("my_courses")
    body = _content(other.get(my_courses))
    assert course.title.encode() not in body, "parent B's 'my courses' lists parent A's enrolment"
    lesson = world["lesson"]
    progress = lesson.url + lesson.reverse_subpage("progress")
    response = other.get(progress)
    assert response.status_code in (302, 403, 404) or "矩阵家长A".encode() not in _content(response)
    CELLS["count"] += 9


def test_teacher_b_sees_none_of_teacher_a_course_records(world, db):
    """Teacher A's course: teacher B finds none of its enrolments, attempts or reports in the admin."""
    client = signed_in(world["teacher_b"], mfa=True)
    owner = _full(world, "teacher")
    quiz, course = world["quiz"], world["course"]
    parent_name = "矩阵家长A"
    # Each listing and what on it is teacher A's: parent A's row, or the course itself.
    # Teachers never see an assignment's reason (it may come from a bullying case), their own
    # course's included: teacher A sees the assigned parent, nobody but district staff the reason.
    reason = world["assignment"].reason
    assigned = "矩阵家长C"
    listing = {
        "/admin/course_enrolments/": parent_name,
        "/admin/course_quiz_attempts/": parent_name,
        "/admin/courses/report/": course.title,
        "/admin/course_assignments/": assigned,
    }
    for url, marker in listing.items():
        assert marker.encode() in _content(owner.get(url)), f"teacher A does not see {marker} at {url}"
    assert reason.encode() not in _content(owner.get("/admin/course_assignments/"))
    leaks = []
    extra = {
        f"/admin/courses/quizzes/{quiz.pk}/items/": quiz.title,
        f"/admin/course_enrolments/?course={course.pk}": parent_name,
        f"/admin/course_quiz_attempts/?quiz={quiz.pk}": parent_name,
        f"/admin/course_assignments/edit/{world['assignment'].pk}/": assigned,
        f"/admin/course_enrolments/?export=csv&course={course.pk}": parent_name,
        f"/admin/course_assignments/?export=csv&course={course.pk}": assigned,
    }
    for url, marker in {**listing, **extra}.items():
        response = client.get(url)
        if response.status_code == 200 and marker.encode() in _content(response):
            leaks.append(url)
    edit = client.get(f"/admin/pages/{course.pk}/edit/")
    if edit.status_code == 200:
        leaks.append(f"/admin/pages/{course.pk}/edit/")
    CELLS["count"] += 2 * len(listing) + len(extra) + 1
    assert not leaks, f"teacher B sees teacher A's course records at {leaks}"


def test_private_document_needs_sign_in(world, db):
    document = world["private_document"]
    url = f"/documents/{document.pk}/{document.filename}"
    assert rules.check(rules.LOGIN, Client().get(url)) is None
    assert signed_in(world["users"]["parent"], mfa=False).get(url).status_code == 200
    CELLS["count"] += 2


def test_password_protected_page_stays_closed(world, db):
    """A page behind a page-view password shows the password form, not the page, to everyone
    (Wagtail's front-end password check, /_util/authenticate_with_password/, is a matrix row)."""
    page = world["locked_page"]
    for column in (rules.ANONYMOUS, rules.PARENT, "district/full"):
        response = client_for(world, column).get(page.url)
        body = _content(response).decode()
        assert page.specific.intro not in body, f"{column} reads a password-protected page"
        assert f"/_util/authenticate_with_password/{world['restriction'].pk}/{page.pk}/" in body
    CELLS["count"] += 3


# --- Size ---------------------------------------------------------------------------------------


def test_zz_matrix_size(capsys):
    patterns = len(url_patterns())
    with capsys.disabled():
        print(
            f"\naccess matrix: {patterns} URL patterns, {len(rules.RULES)} rules, {len(rules.COLUMNS)} columns, "
            f"{CELLS['count']} cells requested in this run; "
            f"{CELLS.get('placeholder_rows', 0)} patterns had no object to point at (placeholder id {PLACEHOLDER_ID})"
        )
    assert patterns > 400
