from django.urls import path

from participation import views

app_name = "participation"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/children/add/", views.child_add, name="child_add"),
    path("profile/children/<int:pk>/remove/", views.child_remove, name="child_remove"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_code, name="join_code"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/poster/", views.class_poster, name="class_poster"),
    path("classes/<int:pk>/rotate/", views.class_rotate, name="class_rotate"),
    path("classes/<int:pk>/remind/", views.class_remind, name="class_remind"),
    path("classes/<int:pk>/assign/", views.class_assign, name="class_assign"),
    path("schools/<int:pk>/assign/", views.school_assign, name="school_assign"),
    path("stats/", views.stats, name="stats"),
    path("stats/export.<slug:file_format>", views.stats_export, name="stats_export"),
]
