from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("security/required/", views.mfa_required, name="mfa_required"),
    path("elder-mode/", views.set_elder_mode, name="elder_mode"),
]
