from django.urls import path

from . import court_views, public_views, views

app_name = "guidance"

urlpatterns = [
    path("plans/", views.overview, name="overview"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/assessment/", views.plan_assessment, name="plan_assessment"),
    path("plans/<int:pk>/report/", views.plan_issue_report, name="plan_issue_report"),
    path("plans/<int:pk>/guardians/<int:guardian_pk>/resend/", views.plan_resend, name="plan_resend"),
    path("cases/<int:case_pk>/plan/", views.case_plan_new, name="case_plan_new"),
    path("orders/new/", views.order_new, name="order_new"),
    path("courts/", court_views.courts, name="courts"),
    path("courts/<int:pk>/liaisons/", court_views.liaison_new, name="court_liaison_new"),
    path("liaisons/<int:pk>/remove/", court_views.liaison_remove, name="court_liaison_remove"),
    path("reports/<str:code>/download/", views.report_download, name="report_download"),
    path("reports/<str:code>/signature/", views.report_signature, name="report_signature"),
    path("public-key.pem", public_views.public_key, name="public_key"),
    path("verify/", public_views.verify, name="report_verify_search"),
    path("verify/<str:code>/", public_views.verify, name="report_verify"),
    path("join/<str:token>/", public_views.join, name="join"),
    path("my/", public_views.my_plans, name="my_plans"),
]
