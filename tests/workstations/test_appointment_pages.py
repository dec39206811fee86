"""The appointment pages: a parent books and cancels in a few taps; station staff see their own
station's day only, mark attendance and write the session record; district staff see counts."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.roles import Role
from schools.models import AuditLog
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.workstations import booking, guidance_station, guidance_worker, slot
from workstations.models import Booking, SessionRecord

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def client_of(user) -> Client:
    client = Client()
    sign_in_fully(client, user)
    return client


@pytest.fixture
def station():
    return guidance_station()


@pytest.fixture
def parent():
    return UserFactory(role=Role.PARENT, name="王家长", phone="+8613911112222")


# --- Parents ---------------------------------------------------------------------------------


def test_a_station_page_lists_free_times_only_with_a_constant_number_of_queries(
    station, client, django_assert_max_num_queries
):
    free = slot(station, capacity=2)
    full = slot(station, starts_in=DAY * 3, capacity=1)
    booking(full)
    withdrawn = slot(station, starts_in=DAY * 4, cancelled_at=timezone.now())
    elsewhere = slot(guidance_station("别的指导站"), starts_in=DAY * 5)
    url = reverse("workstations:station", args=[station.pk])
    response = client.get(url)
    links = {reverse("workstations:book", args=[s.pk]) for s in (free, full, withdrawn, elsewhere)}
    shown = {link for link in links if link in response.content.decode()}
    assert shown == {reverse("workstations:book", args=[free.pk])}
    for number in range(6):
        booking(slot(station, starts_in=DAY * 2 + datetime.timedelta(hours=number + 1), capacity=3))
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("slot-button__time") == 7


def test_a_parent_books_and_sees_the_confirmation_then_cancels(station, parent):
    free = slot(station)
    client = client_of(parent)
    assert client.get(reverse("workstations:book", args=[free.pk])).status_code == 200
    response = client.post(reverse("workstations:book", args=[free.pk]), follow=True)
    made = Booking.objects.get(parent=parent)
    assert response.redirect_chain[-1][0] == reverse("workstations:booking", args=[made.pk])
    assert station.name in response.content.decode()
    listing = client.get(reverse("workstations:my_bookings")).content.decode()
    assert reverse("workstations:booking", args=[made.pk]) in listing
    client.post(reverse("workstations:cancel", args=[made.pk]))
    made.refresh_from_db()
    assert made.status == Booking.Status.CANCELLED


def test_booking_a_full_slot_says_so_and_books_nothing(station, parent):
    full = slot(station, capacity=1)
    booking(full)
    response = client_of(parent).post(reverse("workstations:book", args=[full.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workstations:station", args=[station.pk])
    assert not Booking.objects.filter(parent=parent).exists()


def test_another_parents_booking_is_not_found(station, parent):
    theirs = booking(slot(station))
    client = client_of(parent)
    for name in ("booking", "cancel"):
        assert client.get(reverse(f"workstations:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("workstations:cancel", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.BOOKED
    assert (
        reverse("workstations:booking", args=[theirs.pk])
        not in client.get(reverse("workstations:my_bookings")).content.decode()
    )


def test_the_pages_speak_chinese_by_default(station, parent):
    free = slot(station)
    page = client_of(parent).get(reverse("workstations:book", args=[free.pk])).content.decode()
    assert "确认预约" in page
    assert "预约" in Client().get(reverse("workstations:stations")).content.decode()


def test_the_directory_card_of_a_guidance_station_offers_booking(directory, make_stations):
    stations = make_stations(3)  # the first is a guidance station, the others street workstations
    page = Client().get(directory.url).content.decode()
    assert reverse("workstations:station", args=[stations[0].pk]) in page
    assert reverse("workstations:station", args=[stations[1].pk]) not in page


# --- Station staff ---------------------------------------------------------------------------


def test_station_staff_see_their_own_day_with_names_and_never_another_stations(station, parent):
    worker = guidance_worker(station)
    other = guidance_station("别的指导站")
    today = timezone.localdate()
    mine = booking(slot(station, starts_in=datetime.timedelta(minutes=30)), parent)
    theirs = booking(slot(other, starts_in=datetime.timedelta(minutes=30)), UserFactory(name="李家长"))
    client = client_of(worker)
    page = client.get(reverse("workstations:staff_day"), {"date": today.isoformat()}).content.decode()
    assert "王家长" in page and "李家长" not in page
    # Asking for the other station shows one's own instead.
    page = client.get(reverse("workstations:staff_day"), {"station": other.pk, "date": today.isoformat()})
    assert "李家长" not in page.content.decode()
    for name in ("attendance", "record"):
        assert client.post(reverse(f"workstations:{name}", args=[theirs.pk]), {"attended": "1"}).status_code == 404
    assert mine.pk != theirs.pk


def test_station_pages_need_the_second_factor_and_refuse_everyone_else(station):
    worker = guidance_worker(station)
    bare = Client()
    bare.force_login(worker)
    response = bare.get(reverse("workstations:staff_day"))
    assert response.status_code == 302 and "/account/security/required/" in response["Location"]
    for user in (UserFactory(role=Role.PARENT), UserFactory(role=Role.CHILD_DIRECTOR)):
        assert client_of(user).get(reverse("workstations:staff_day")).status_code == 403


def test_staff_mark_attendance_and_write_the_session_record(station, parent):
    worker = guidance_worker(station)
    made = booking(slot(station, starts_in=-DAY / 24), parent)
    client = client_of(worker)
    client.post(reverse("workstations:attendance", args=[made.pk]), {"attended": "1"})
    made.refresh_from_db()
    assert made.status == Booking.Status.ATTENDED
    url = reverse("workstations:record", args=[made.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"notes": "讨论了作息安排。"})
    assert SessionRecord.objects.get(booking=made).notes == "讨论了作息安排。"
    assert "讨论了作息安排。" in client.get(url).content.decode()
    actions = AuditLog.objects.filter(actor=worker).values_list("action", flat=True)
    assert sorted(actions) == ["view_session_record", "write_session_record"]  # the first GET had none to read


def test_staff_publish_a_weekly_pattern_from_the_form(station):
    worker = guidance_worker(station)
    day = timezone.localdate() + DAY
    response = client_of(worker).post(
        reverse("workstations:slot_new"),
        {
            "station": station.pk,
            "service": station.services.first().pk,
            "date": day.isoformat(),
            "time": "14:00",
            "minutes": 60,
            "capacity": 2,
            "weeks": 3,
        },
    )
    assert response.status_code == 302
    assert station.slots.count() == 3


def test_district_staff_see_counts_only(station, parent):
    from tests.factories.schools import district_staff

    booking(slot(station), parent)
    page = client_of(district_staff(mfa=True)).get(reverse("workstations:utilisation")).content.decode()
    assert station.name in page and "王家长" not in page and "13911112222" not in page
    assert client_of(guidance_worker(station)).get(reverse("workstations:utilisation")).status_code == 403


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-02-30", "nonsense"])
def test_a_day_or_period_outside_the_calendar_falls_back_to_today(station, value):
    """Year 0001 or 9999 parses, but the day before or after it does not exist: the page falls
    back to today instead of answering 500 (found by the fuzzer)."""
    from tests.factories.schools import district_staff

    today = timezone.localdate()
    page = client_of(guidance_worker(station)).get(reverse("workstations:staff_day"), {"date": value})
    assert page.status_code == 200 and today.isoformat() in page.content.decode()
    counts = client_of(district_staff(mfa=True)).get(
        reverse("workstations:utilisation"), {"since": value, "until": value}
    )
    assert counts.status_code == 200
