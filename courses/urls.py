from django.urls import path

from courses import views

urlpatterns = [
    path("verify/", views.verify, name="certificate_verify_search"),
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
    path("<str:code>/download/", views.download, name="certificate_download"),
    path("<str:code>/name-correction/", views.request_correction, name="certificate_name_correction"),
]
