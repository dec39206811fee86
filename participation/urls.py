from django.urls import path

from participation import event_staff_views, event_views, staff_views, views

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
    # Street events: parents (the list and open events are public) and their street's staff.
    path("events/", event_views.events, name="events"),
    path("events/mine/", event_views.my_events, name="my_events"),
    path("events/<int:pk>/", event_views.event, name="event"),
    path("events/<int:pk>/sign-up/", event_views.sign_up, name="event_sign_up"),
    path("events/<int:pk>/cancel/", event_views.cancel, name="event_cancel"),
    path("street/events/", event_staff_views.event_list, name="street_events"),
    path("street/events/new/", event_staff_views.event_new, name="street_event_new"),
    path("street/events/<int:pk>/", event_staff_views.event_detail, name="street_event"),
    path("street/events/<int:pk>/edit/", event_staff_views.event_edit, name="street_event_edit"),
    path("street/events/<int:pk>/cancel/", event_staff_views.event_cancel, name="street_event_cancel"),
    path("street/signups/<int:pk>/attendance/", event_staff_views.attendance, name="street_attendance"),
    path("stats/", staff_views.stats, name="stats"),
    path("stats/export.<slug:file_format>", staff_views.stats_export, name="stats_export"),
]
