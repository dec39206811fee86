from django.urls import path

from participation import staff_views, views

app_name = "participation"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/children/add/", views.child_add, name="child_add"),
    path("profile/children/<int:pk>/remove/", views.child_remove, name="child_remove"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_code, name="join_code"),
    path("classes/", staff_views.class_list, name="class_list"),
    path("classes/<int:pk>/", staff_views.class_detail, name="class_detail"),
    path("classes/<int:pk>/poster/", staff_views.class_poster, name="class_poster"),
    path("classes/<int:pk>/rotate/", staff_views.class_rotate, name="class_rotate"),
    path("classes/<int:pk>/remind/", staff_views.class_remind, name="class_remind"),
    path("classes/<int:pk>/assign/", staff_views.class_assign, name="class_assign"),
    path("schools/<int:pk>/assign/", staff_views.school_assign, name="school_assign"),
    path("stats/", staff_views.stats, name="stats"),
    path("stats/export.<slug:file_format>", staff_views.stats_export, name="stats_export"),
]
