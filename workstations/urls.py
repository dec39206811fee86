from django.urls import path

from . import booking_views, station_views

app_name = "workstations"

urlpatterns = [
    # Parents (a station's free slots are public; booking and the list are the parent's own).
    path("", booking_views.station_list, name="stations"),
    path("<int:pk>/", booking_views.station, name="station"),
    path("slots/<int:pk>/book/", booking_views.book, name="book"),
    path("bookings/", booking_views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/", booking_views.booking, name="booking"),
    path("bookings/<int:pk>/cancel/", booking_views.cancel, name="cancel"),
    # Station staff (guidance workers of the station) and district staff.
    path("staff/", station_views.day, name="staff_day"),
    path("staff/slots/new/", station_views.slot_new, name="slot_new"),
    path("staff/slots/<int:pk>/cancel/", station_views.slot_cancel, name="slot_cancel"),
    path("staff/bookings/<int:pk>/attendance/", station_views.attendance, name="attendance"),
    path("staff/bookings/<int:pk>/record/", station_views.record, name="record"),
    path("utilisation/", station_views.utilisation, name="utilisation"),
]
