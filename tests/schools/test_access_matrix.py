"""Access matrix: every case URL × every kind of visitor, each cell asserted.

Rows are the case URLs (GET and POST), dashboards, exports, the audit log and its export, and
the officer invitation (issue, revoke, the invitee's link);
columns are anonymous, parent, teacher, editor, officer of school A (with and without MFA),
officer of school B and district staff (a lead, with MFA). Record-level refusals are 404,
so a case id reveals nothing; role refusals are 403.
Each allowed view must leave an audit entry; each refused one must change nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from accounts.roles import Role
from schools import invitations, services
from schools.models import Attachment, AuditLog, BullyingReport, CaseEvent, OfficerInvitation, SchoolMembership
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.schools import BullyingReportFactory, district_staff, officer_of, submitted_case

from .helpers import png, report_form_data

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "parent", "teacher", "editor", "officer_a_no_mfa", "officer_a", "officer_b", "district"]
LOGIN = "login"
MFA = "mfa"
STATUS = "status"

# url name -> expected outcome per visitor (anonymous, parent, teacher, editor, officer A without MFA,
# officer A, officer B, district lead). Ints are status codes. District staff do not file reports,
# so the report form is closed to them (403); they never see schools' drafts.
MATRIX = {
    "list": [LOGIN, 403, 403, 403, MFA, 200, 200, 200],
    "new_get": [LOGIN, 403, 403, 403, MFA, 200, 200, 403],
    "new_post": [LOGIN, 403, 403, 403, MFA, 302, 400, 403],
    "detail": [LOGIN, 403, 403, 403, MFA, 200, 404, 200],
    "draft_get": [LOGIN, 403, 403, 403, MFA, 200, 404, 403],
    "draft_post": [LOGIN, 403, 403, 403, MFA, 302, 404, 403],
    "note_post": [LOGIN, 403, 403, 403, MFA, 302, 404, 302],
    "acknowledge_post": [LOGIN, 403, 403, 403, MFA, 403, 404, 302],
    "assign_post": [LOGIN, 403, 403, 403, MFA, 403, 404, 302],
    "attachment": [LOGIN, 403, 403, 403, MFA, 200, 404, 200],
    "audit_log": [LOGIN, 403, 403, 403, MFA, 403, 403, 200],
    "audit_export_csv": [LOGIN, 403, 403, 403, MFA, 403, 403, 200],
    "audit_export_xlsx": [LOGIN, 403, 403, 403, MFA, 403, 403, 200],
    # Dashboards and exports: officers see their own school's cases only, district staff all.
    "dashboard": [LOGIN, 403, 403, 403, MFA, 200, 200, 200],
    "export_csv": [LOGIN, 403, 403, 403, MFA, 200, 200, 200],
    "export_xlsx": [LOGIN, 403, 403, 403, MFA, 200, 200, 200],
    # Only district staff invite school officers.
    "invite_get": [LOGIN, 403, 403, 403, MFA, 403, 403, 200],
    "invite_post": [LOGIN, 403, 403, 403, MFA, 403, 403, 302],
    "invitation_revoke_post": [LOGIN, 403, 403, 403, MFA, 403, 403, 302],
    # The invitee's link is open to anyone holding it (it moves the token into the session);
    # the acceptance page without a token in the session is a 404 for everyone.
    "invitation_link": [302] * 8,
    "invitation_accept_without_token": [404] * 8,
    # An anonymous report the district has not acknowledged yet: the school does not see it.
    "anonymous_detail": [LOGIN, 403, 403, 403, MFA, 404, 404, 200],
    # Public pages for anonymous reporters: open to all; the case page needs the code first.
    "anonymous_form": [200] * 8,
    "anonymous_status": [200] * 8,
    "anonymous_case_without_code": [STATUS] * 8,
}
CELLS = [(url, visitor, MATRIX[url][index]) for url in MATRIX for index, visitor in enumerate(VISITORS)]


@pytest.fixture
def world(school_a, school_b):
    officer_a = officer_of(school_a)
    case = submitted_case(officer_a, school=school_a)
    attachment = Attachment(report=case, content_type="image/png", size=1)
    from django.core.files.base import ContentFile

    attachment.file.save("x", ContentFile(png()), save=True)
    draft = BullyingReportFactory(school=school_a, created_by=officer_a)
    anonymous = services.submit_anonymous(
        school=school_a, reporter_kind="student", narrative="有人在厕所里打我，已经好几次了。"
    ).report
    users = {
        "anonymous": None,
        "parent": UserFactory(role=Role.PARENT),
        "teacher": UserFactory(role=Role.TEACHER),
        "editor": UserFactory(role=Role.EDITOR),
        "officer_a_no_mfa": officer_of(school_a, mfa=False),
        "officer_a": officer_a,
        "officer_b": officer_of(school_b),
        "district": district_staff(lead=True),
    }
    invitation = invitations.invite_officer(
        by=users["district"], school=school_a, role="officer", email="invited@example.invalid"
    )
    return {
        "invitation": invitation,
        "anonymous": anonymous,
        "case": case,
        "draft": draft,
        "attachment": attachment,
        "users": users,
        "school_a": school_a,
    }


def _request(client, world, url_name):
    case, draft = world["case"], world["draft"]
    if url_name == "list":
        return client.get(reverse("schools:case_list"))
    if url_name == "new_get":
        return client.get(reverse("schools:report_new"))
    if url_name == "new_post":
        return client.post(reverse("schools:report_new"), report_form_data(world["school_a"]))
    if url_name == "detail":
        return client.get(reverse("schools:case_detail", args=[case.pk]))
    if url_name == "draft_get":
        return client.get(reverse("schools:report_edit", args=[draft.pk]))
    if url_name == "draft_post":
        data = report_form_data(world["school_a"], narrative="被改写的内容", students=[])
        return client.post(reverse("schools:report_edit", args=[draft.pk]), data)
    if url_name == "note_post":
        return client.post(reverse("schools:case_action", args=[case.pk, "add_note"]), {"add_note-text": "备注"})
    if url_name == "acknowledge_post":
        return client.post(reverse("schools:case_action", args=[case.pk, "acknowledge"]), {"acknowledge-reason": ""})
    if url_name == "assign_post":
        handler = world["users"]["district"]
        return client.post(
            reverse("schools:case_action", args=[case.pk, "assign_handler"]), {"assign_handler-handler": handler.pk}
        )
    if url_name == "attachment":
        return client.get(reverse("schools:attachment", args=[case.pk, world["attachment"].pk]))
    if url_name == "audit_log":
        return client.get(reverse("schools:audit_log"))
    if url_name == "audit_export_csv":
        return client.get(reverse("schools:audit_export", args=["csv"]))
    if url_name == "audit_export_xlsx":
        return client.get(reverse("schools:audit_export", args=["xlsx"]))
    if url_name == "invitation_revoke_post":
        return client.post(reverse("schools:invitation_revoke", args=[world["invitation"].invitations[0].pk]))
    if url_name == "invitation_link":
        return client.get(reverse("schools:invitation", args=[world["invitation"].tokens[0]]))
    if url_name == "invitation_accept_without_token":
        return client.post(reverse("schools:invitation_accept"))
    if url_name == "dashboard":
        return client.get(reverse("schools:dashboard"))
    if url_name == "export_csv":
        return client.get(reverse("schools:export", args=["csv"]))
    if url_name == "export_xlsx":
        return client.get(reverse("schools:export", args=["xlsx"]))
    if url_name == "invite_get":
        return client.get(reverse("schools:invite_officer"))
    if url_name == "invite_post":
        return client.post(
            reverse("schools:invite_officer"),
            {"school": world["school_a"].pk, "role": "officer", "name": "", "phone": "13900009999", "email": ""},
        )
    if url_name == "anonymous_detail":
        return client.get(reverse("schools:case_detail", args=[world["anonymous"].pk]))
    if url_name == "anonymous_form":
        return client.get(reverse("schools:anonymous_report"))
    if url_name == "anonymous_status":
        return client.get(reverse("schools:anonymous_status"))
    if url_name == "anonymous_case_without_code":
        return client.get(reverse("schools:anonymous_case"))
    raise AssertionError(url_name)


def _snapshot(world):
    case = BullyingReport.objects.get(pk=world["case"].pk)
    draft = BullyingReport.objects.get(pk=world["draft"].pk)
    return (
        case.state,
        case.handler_id,
        draft.narrative,
        BullyingReport.objects.count(),
        CaseEvent.objects.count(),
        SchoolMembership.objects.count(),
        get_user_model().objects.count(),
        OfficerInvitation.objects.filter(closed_at=None, accepted_at=None).count(),
    )


@pytest.mark.parametrize(("url_name", "visitor", "expected"), CELLS, ids=[f"{u}-{v}" for u, v, _ in CELLS])
def test_access_matrix(client, world, url_name, visitor, expected):
    user = world["users"][visitor]
    if visitor.endswith("_no_mfa"):
        client.force_login(user)  # no authenticator: sign_in_fully would give them one
    elif user is not None:
        sign_in_fully(client, user)
    before = _snapshot(world)
    audit_before = AuditLog.objects.count()

    response = _request(client, world, url_name)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == STATUS:
        assert response.status_code == 302
        assert response["Location"] == reverse("schools:anonymous_status")
    elif expected == MFA:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:mfa_required"))
    else:
        assert response.status_code == expected

    allowed = expected in (200, 302) and url_name != "anonymous_case_without_code"
    if not allowed:
        assert _snapshot(world) == before, "a refused request changed a case"
        assert AuditLog.objects.count() == audit_before
        assert world["case"].case_number.encode() not in getattr(response, "content", b"")
    elif url_name not in ("new_get", "invite_get", "anonymous_form", "anonymous_status", "invitation_link"):
        assert AuditLog.objects.filter(actor=user).count() > 0, "an allowed request left no audit entry"
    if url_name in ("list", "dashboard", "export_csv") and visitor == "officer_b":
        assert world["case"].case_number not in response.content.decode()
    if url_name in ("list", "export_csv") and visitor in ("officer_a", "district"):
        assert world["case"].case_number in response.content.decode()
    if url_name == "export_xlsx" and expected == 200:
        assert response.content.startswith(b"PK")  # a zip: the XLSX container
    if url_name == "invite_post" and expected == 302:
        # An invitation is sent; nothing is granted until it is accepted.
        assert OfficerInvitation.objects.filter(address="+8613900009999", school=world["school_a"]).exists()
        assert not SchoolMembership.objects.filter(user__phone="+8613900009999").exists()
    if url_name == "invitation_revoke_post" and expected == 302:
        assert OfficerInvitation.objects.get(pk=world["invitation"].invitations[0].pk).closed_at is not None
    if url_name.startswith("audit_export") and expected == 200:
        assert AuditLog.objects.filter(actor=user, action=AuditLog.Action.EXPORT_AUDIT).exists()
    if url_name == "attachment" and expected == 200:
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_matrix_covers_every_case_url():
    from schools.urls import urlpatterns

    covered = {
        "case_list",
        "report_new",
        "case_detail",
        "report_edit",
        "case_action",
        "attachment",
        "audit_log",
        "dashboard",
        "export",
        "invite_officer",
        "invitation",
        "invitation_accept",
        "invitation_revoke",
        "audit_export",
        "anonymous_report",
        "anonymous_receipt",
        "anonymous_status",
        "anonymous_case",
        "anonymous_leave",
    }
    assert {pattern.name for pattern in urlpatterns} == covered


def test_no_case_model_is_editable_in_the_wagtail_admin(client, world):
    """Cases and the audit log have no admin views: nothing to edit them with, for anyone."""
    from wagtail.snippets.models import get_snippet_models

    from schools import models as school_models

    registered = set(get_snippet_models())
    assert not registered & {school_models.AuditLog, school_models.BullyingReport, school_models.CaseEvent}
    sign_in_fully(client, world["users"]["district"])
    assert client.get("/admin/schools/auditlog/").status_code == 404
