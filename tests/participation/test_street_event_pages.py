"""Street-event pages: parents see their street's events first and sign up in a tap; a street's
staff create, edit and cancel their own events, see who signed up (names, phones masked) and
mark attendance; another street's staff, district staff and parents never reach those pages."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.roles import Role
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.participation import resident, street_event, street_staff
from tests.factories.schools import district_staff
from workstations.models import EventSignup, StreetEvent

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def no_delivery(monkeypatch):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)


def client_of(user) -> Client:
    client = Client()
    sign_in_fully(client, user)
    return client


def test_a_parent_sees_their_streets_events_first_and_no_other_streets_street_only_ones(
    django_assert_max_num_queries,
):
    parent = resident("tianlin")
    open_elsewhere = street_event("xujiahui", title="全区开放日", audience=StreetEvent.Audience.EVERYONE, starts_in=DAY)
    own = street_event("tianlin", title="田林亲子沙龙", starts_in=DAY * 5)
    closed_elsewhere = street_event("xujiahui", title="徐家汇居民专场")
    street_event("tianlin", title="已取消的活动", cancelled_at=timezone.now())
    client = client_of(parent)
    page = client.get(reverse("participation:events")).content.decode()
    assert "田林亲子沙龙" in page and "全区开放日" in page
    assert page.index("田林亲子沙龙") < page.index("全区开放日")  # own street first, though later
    assert "徐家汇居民专场" not in page and "已取消的活动" not in page
    assert client.get(reverse("participation:event", args=[closed_elsewhere.pk])).status_code == 404
    assert client.get(reverse("participation:event", args=[open_elsewhere.pk])).status_code == 200
    assert own.pk
    for number in range(5):
        street_event("tianlin", title=f"更多活动{number}", starts_in=DAY * (6 + number))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("participation:events"))
    street_event("tianlin", title="再多一场", starts_in=DAY * 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("participation:events"))


def test_anonymous_visitors_see_open_events_and_are_asked_to_sign_in_to_sign_up(client):
    open_event = street_event(title="全区开放日", audience=StreetEvent.Audience.EVERYONE)
    street_event(title="居民专场")
    page = client.get(reverse("participation:events")).content.decode()
    assert "全区开放日" in page and "居民专场" not in page
    detail = client.get(reverse("participation:event", args=[open_event.pk])).content.decode()
    assert reverse("account_login") in detail
    response = client.post(reverse("participation:event_sign_up", args=[open_event.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not EventSignup.objects.exists()


def test_a_resident_signs_up_then_cancels_on_the_event_page():
    parent = resident("xujiahui")
    event = street_event("xujiahui", capacity=5)
    client = client_of(parent)
    response = client.post(reverse("participation:event_sign_up", args=[event.pk]), follow=True)
    assert 'data-testid="event-status"' in response.content.decode()
    assert EventSignup.objects.live().filter(event=event, parent=parent).count() == 1
    assert event.title in client.get(reverse("participation:my_events")).content.decode()
    assert client.get(reverse("participation:event_cancel", args=[event.pk])).status_code == 200
    client.post(reverse("participation:event_cancel", args=[event.pk]))
    assert not EventSignup.objects.live().filter(event=event).exists()


def test_staff_create_an_event_from_the_form_and_see_it_listed():
    director = street_staff("xujiahui")
    client = client_of(director)
    day = timezone.localdate() + DAY * 7
    response = client.post(
        reverse("participation:street_event_new"),
        {
            "workstation": director.workstation_memberships.get().workstation_id,
            "title": "家长课堂：识别欺凌",
            "description": "面向七年级家长",
            "place": "徐家汇街道社区中心",
            "date": day.isoformat(),
            "starts": "14:00",
            "ends": "16:00",
            "capacity": "40",
            "audience": "street",
            "deadline_date": "",
            "deadline_time": "",
        },
    )
    event = StreetEvent.objects.get(title="家长课堂：识别欺凌")
    assert response.status_code == 302 and response["Location"] == reverse(
        "participation:street_event", args=[event.pk]
    )
    assert (timezone.localtime(event.starts_at).hour, event.capacity) == (14, 40)
    assert "家长课堂：识别欺凌" in client.get(reverse("participation:street_events")).content.decode()


def test_an_impossible_event_shows_the_error_and_creates_nothing():
    director = street_staff("xujiahui")
    client = client_of(director)
    response = client.post(
        reverse("participation:street_event_new"),
        {"title": "x", "place": "y", "date": "2020-01-01", "starts": "10:00", "ends": "09:00", "capacity": "5"},
    )
    assert response.status_code == 200 and not StreetEvent.objects.exists()


def test_staff_see_names_and_masked_phones_of_their_events_sign_ups_and_mark_attendance():
    director = street_staff("xujiahui")
    event = street_event("xujiahui")
    parent = resident("xujiahui", name="李家长", phone="+8613911112222")
    signup = EventSignup.objects.create(event=event, parent=parent)
    StreetEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=30), signup_deadline=timezone.now() - DAY
    )
    client = client_of(director)
    page = client.get(reverse("participation:street_event", args=[event.pk])).content.decode()
    assert "李家长" in page and "139****2222" in page and "13911112222" not in page
    client.post(reverse("participation:street_attendance", args=[signup.pk]), {"attended": "1"})
    signup.refresh_from_db()
    assert signup.status == EventSignup.Status.ATTENDED


def test_another_streets_staff_district_staff_and_parents_never_reach_an_events_staff_pages():
    event = street_event("xujiahui")
    signup = EventSignup.objects.create(event=event, parent=resident("xujiahui", name="李家长"))
    pages = [
        reverse("participation:street_event", args=[event.pk]),
        reverse("participation:street_event_edit", args=[event.pk]),
    ]
    posts = [
        (reverse("participation:street_event_cancel", args=[event.pk]), {}),
        (reverse("participation:street_attendance", args=[signup.pk]), {"attended": "1"}),
        (reverse("participation:street_event_edit", args=[event.pk]), {"title": "改掉", "capacity": "1"}),
    ]
    other_street = client_of(street_staff("tianlin"))
    for url in pages:
        assert other_street.get(url).status_code == 404
    for url, data in posts:
        assert other_street.post(url, data).status_code == 404
    assert "李家长" not in other_street.get(reverse("participation:street_events")).content.decode()
    for outsider in (district_staff(mfa=True), UserFactory(role=Role.PARENT)):
        client = client_of(outsider)
        assert client.get(reverse("participation:street_events")).status_code == 403
        for url in pages:
            assert client.get(url).status_code in (403, 404)
    event.refresh_from_db()
    signup.refresh_from_db()
    assert (event.title, event.cancelled_at, signup.status) == ("亲子沟通沙龙", None, EventSignup.Status.SIGNED_UP)


def test_staff_edit_and_cancel_their_event():
    director = street_staff("xujiahui")
    event = street_event("xujiahui")
    client = client_of(director)
    form = client.get(reverse("participation:street_event_edit", args=[event.pk])).context["form"]
    data = {name: (value.isoformat() if hasattr(value, "isoformat") else value) for name, value in form.initial.items()}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data["starts"], data["ends"] = data["starts"][:5], data["ends"][:5]
    data["title"] = "改名后的沙龙"
    client.post(reverse("participation:street_event_edit", args=[event.pk]), data)
    event.refresh_from_db()
    assert event.title == "改名后的沙龙"
    client.post(reverse("participation:street_event_cancel", args=[event.pk]))
    event.refresh_from_db()
    assert event.cancelled_at is not None


def test_the_street_dashboard_counts_its_events_held_and_who_came_and_no_other_streets():
    from participation.street_event_selectors import event_figures

    held = street_event("xujiahui")
    for status in (EventSignup.Status.ATTENDED, EventSignup.Status.ATTENDED, EventSignup.Status.NO_SHOW):
        EventSignup.objects.create(event=held, parent=resident("xujiahui"), status=status)
    EventSignup.objects.create(event=held, parent=resident("xujiahui"), status=EventSignup.Status.CANCELLED)
    StreetEvent.objects.filter(pk=held.pk).update(
        starts_at=timezone.now() - DAY,
        ends_at=timezone.now() - DAY + datetime.timedelta(hours=2),
        signup_deadline=timezone.now() - DAY * 2,
    )
    EventSignup.objects.create(event=street_event("xujiahui"), parent=resident("xujiahui"))  # not held yet
    street_event("xujiahui", starts_in=-DAY, cancelled_at=timezone.now() - DAY * 2)  # called off
    elsewhere = street_event("tianlin", starts_in=-DAY)
    EventSignup.objects.create(event=elsewhere, parent=resident("tianlin"), status=EventSignup.Status.ATTENDED)
    figures = event_figures(["xujiahui"])
    assert (figures.held, figures.signed_up, figures.attended, figures.attendance_rate) == (1, 3, 2, 66.7)
    assert (event_figures(None).held, event_figures(None).attended) == (2, 3)
    page = client_of(street_staff("xujiahui")).get(reverse("participation:stats")).content.decode()
    assert 'data-testid="street-event-figures"' in page and "66.7%" in page
