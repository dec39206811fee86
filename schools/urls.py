from django.urls import path

from . import audit_views, invitation_views, public_views, views

app_name = "schools"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/dashboard/", views.dashboard, name="dashboard"),
    path("cases/export.<slug:file_format>", views.export, name="export"),
    path("invite/", invitation_views.invite_officer, name="invite_officer"),
    path("invitations/accept/", invitation_views.accept_invitation, name="invitation_accept"),
    path("invitations/<int:pk>/revoke/", invitation_views.revoke_invitation, name="invitation_revoke"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path("cases/new/", views.report_form, name="report_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.report_form, name="report_edit"),
    path("cases/<int:pk>/act/<slug:action>/", views.case_action, name="case_action"),
    path("cases/<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.<slug:file_format>", audit_views.audit_export, name="audit_export"),
    # Anonymous reporters (no account; the receipt code is the key)
    path("report/", public_views.anonymous_report, name="anonymous_report"),
    path("report/receipt/", public_views.anonymous_receipt, name="anonymous_receipt"),
    path("report/status/", public_views.anonymous_status, name="anonymous_status"),
    path("report/status/case/", public_views.anonymous_case, name="anonymous_case"),
    path("report/status/leave/", public_views.anonymous_leave, name="anonymous_leave"),
]
