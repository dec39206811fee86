"""Street events' rules (participation.street_events): who runs them, who may sign up, capacity,
attendance and the messages (each exactly once)."""

from __future__ import annotations

import datetime

from django.utils import timezone

import pytest

from accounts.roles import Role
from participation import street_events
from participation.street_events import EventDetails, StreetEventError
from schools.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.participation import resident, street_event, street_staff
from workstations.models import EventSignup, StreetEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_delivery(monkeypatch):
    monkeypatch.setattr("schools.notifications.kick_delivery", lambda: None)


def _details(**overrides) -> EventDetails:
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    values = {
        "title": "家庭教育讲座",
        "description": "如何和孩子谈欺凌",
        "place": "街道社区中心 201 室",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "capacity": 2,
        "audience": StreetEvent.Audience.STREET,
        "signup_deadline": None,
    }
    values.update(overrides)
    return EventDetails(**values)


def _messages(parent, kind):
    return Notification.objects.filter(recipient=parent, dedupe_key__startswith=f"street-event:{kind}:")


def test_a_child_director_creates_an_event_for_their_own_street_only():
    director = street_staff("xujiahui")
    own = director.workstation_memberships.get().workstation
    event = street_events.create_event(workstation=own, details=_details(), by=director)
    assert event.signup_deadline == event.starts_at  # no deadline given: until it starts
    other = street_event("tianlin").workstation
    with pytest.raises(StreetEventError):
        street_events.create_event(workstation=other, details=_details(), by=director)
    assert not StreetEvent.objects.filter(workstation=other).exclude(pk__in=[]).filter(title="家庭教育讲座").exists()


def test_a_supervisor_runs_events_too_but_a_parent_or_guidance_worker_does_not():
    supervisor = street_staff("xujiahui", role=Role.CHILD_SUPERVISOR)
    workstation = supervisor.workstation_memberships.get().workstation
    street_events.create_event(workstation=workstation, details=_details(), by=supervisor)
    for outsider in (UserFactory(role=Role.PARENT), UserFactory(role=Role.GUIDANCE_WORKER)):
        with pytest.raises(StreetEventError):
            street_events.create_event(workstation=workstation, details=_details(), by=outsider)


@pytest.mark.parametrize(
    "overrides",
    [
        {"starts_at": timezone.now() - datetime.timedelta(hours=1)},
        {"capacity": 0},
        {"capacity": street_events.MAX_CAPACITY + 1},
        {"title": "  "},
        {"signup_deadline": timezone.now() + datetime.timedelta(days=5)},
        {"audience": "martians"},
    ],
)
def test_impossible_events_are_refused(overrides):
    director = street_staff("xujiahui")
    workstation = director.workstation_memberships.get().workstation
    details = _details(**overrides)
    if "starts_at" in overrides:
        details = _details(
            starts_at=overrides["starts_at"], ends_at=overrides["starts_at"] + datetime.timedelta(hours=1)
        )
    with pytest.raises(StreetEventError):
        street_events.create_event(workstation=workstation, details=details, by=director)
    assert not StreetEvent.objects.exists()


def test_staff_of_another_street_can_neither_edit_cancel_nor_mark_its_events():
    event = street_event("xujiahui")
    parent = resident("xujiahui")
    signup = street_events.sign_up(event=event, parent=parent)
    intruder = street_staff("tianlin")
    with pytest.raises(StreetEventError):
        street_events.update_event(event=event, details=_details(title="改掉"), by=intruder)
    with pytest.raises(StreetEventError):
        street_events.cancel_event(event=event, by=intruder)
    with pytest.raises(StreetEventError):
        street_events.mark_attendance(signup=signup, attended=True, by=intruder)
    event.refresh_from_db()
    assert (event.title, event.cancelled_at) == ("亲子沟通沙龙", None)
    assert street_events.workstations_run_by(intruder).filter(pk=event.workstation_id).count() == 0


def test_a_street_only_event_takes_its_residents_and_an_open_one_takes_anyone():
    street_only = street_event("xujiahui")
    with pytest.raises(StreetEventError, match="live in its street"):
        street_events.sign_up(event=street_only, parent=resident("tianlin"))
    with pytest.raises(StreetEventError, match="live in its street"):
        street_events.sign_up(event=street_only, parent=UserFactory(role=Role.PARENT))  # said nothing
    assert street_events.sign_up(event=street_only, parent=resident("xujiahui")).status == EventSignup.Status.SIGNED_UP
    open_event = street_event("xujiahui", audience=StreetEvent.Audience.EVERYONE)
    street_events.sign_up(event=open_event, parent=resident("tianlin"))


def test_capacity_duplicates_deadline_and_cancelled_events_are_refused():
    event = street_event(capacity=1)
    first, second = resident(), resident()
    street_events.sign_up(event=event, parent=first)
    with pytest.raises(StreetEventError, match="already signed up"):
        street_events.sign_up(event=event, parent=first)
    with pytest.raises(StreetEventError, match="full"):
        street_events.sign_up(event=event, parent=second)
    closed = street_event(signup_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(StreetEventError, match="closed"):
        street_events.sign_up(event=closed, parent=second)
    called_off = street_event(cancelled_at=timezone.now())
    with pytest.raises(StreetEventError, match="cancelled"):
        street_events.sign_up(event=called_off, parent=second)


def test_a_cancelled_sign_up_frees_the_place_and_the_parent_may_sign_up_again():
    event = street_event(capacity=1)
    parent, other = resident(), resident()
    signup = street_events.sign_up(event=event, parent=parent)
    with pytest.raises(StreetEventError):
        street_events.cancel_signup(signup=signup, by=other)
    street_events.cancel_signup(signup=signup, by=parent)
    assert _messages(parent, "cancelled").count() == 1
    street_events.sign_up(event=event, parent=other)
    assert EventSignup.objects.live().filter(event=event).get().parent == other


def test_the_confirmation_is_queued_once_in_the_sites_language():
    parent = resident(email="")
    street_events.sign_up(event=street_event(), parent=parent)
    [message] = _messages(parent, "signed_up")
    assert message.channel == Notification.Channel.SMS
    assert "亲子沟通沙龙" in message.body and "社区活动室" in message.body
    assert "报名" in message.subject


def test_the_day_before_reminder_goes_once_however_often_beat_runs():
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    starts_in = tomorrow.replace(hour=15, minute=0) - timezone.localtime()
    event = street_event(starts_in=starts_in)
    later = street_event(starts_in=datetime.timedelta(days=5))
    parent = resident()
    street_events.sign_up(event=event, parent=parent)
    street_events.sign_up(event=later, parent=parent)
    from participation.tasks import send_street_event_reminders

    assert send_street_event_reminders() == 1  # what beat runs every hour
    assert send_street_event_reminders() == 0
    assert street_events.send_reminders() == 0
    assert _messages(parent, "reminder").count() == 1


def test_moving_an_event_tells_the_families_and_reminds_them_again_for_the_new_day():
    director = street_staff("xujiahui")
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    event = street_event(starts_in=tomorrow.replace(hour=15, minute=0) - timezone.localtime())
    parent = resident()
    street_events.sign_up(event=event, parent=parent)
    street_events.send_reminders()
    moved = (event.starts_at + datetime.timedelta(days=1)).replace(second=0)
    street_events.update_event(
        event=event,
        details=_details(starts_at=moved, ends_at=moved + datetime.timedelta(hours=1), place="新地点"),
        by=director,
    )
    assert _messages(parent, "changed").count() == 1
    assert "新地点" in _messages(parent, "changed").get().body
    assert street_events.send_reminders(today=timezone.localdate(moved) - datetime.timedelta(days=1)) == 1
    assert _messages(parent, "reminder").count() == 2


def test_capacity_cannot_drop_below_the_families_signed_up():
    director = street_staff("xujiahui")
    event = street_event(capacity=3)
    for _ in range(2):
        street_events.sign_up(event=event, parent=resident())
    with pytest.raises(StreetEventError, match="2 families"):
        street_events.update_event(event=event, details=_details(capacity=1), by=director)


def test_cancelling_an_event_cancels_its_sign_ups_and_tells_each_family_once():
    director = street_staff("xujiahui")
    event = street_event()
    parents = [resident(), resident()]
    for parent in parents:
        street_events.sign_up(event=event, parent=parent)
    assert street_events.cancel_event(event=event, by=director) == 2
    assert street_events.cancel_event(event=event, by=director) == 0
    assert not EventSignup.objects.live().filter(event=event).exists()
    for parent in parents:
        assert _messages(parent, "called_off").count() == 1


def test_attendance_is_marked_by_the_streets_staff_once_the_event_has_started():
    director = street_staff("xujiahui")
    event = street_event()
    signup = street_events.sign_up(event=event, parent=resident())
    with pytest.raises(StreetEventError, match="once the event has started"):
        street_events.mark_attendance(signup=signup, attended=True, by=director)
    started = timezone.now() - datetime.timedelta(hours=1)
    StreetEvent.objects.filter(pk=event.pk).update(starts_at=started, signup_deadline=started)
    signup.refresh_from_db()
    assert street_events.mark_attendance(signup=signup, attended=True, by=director).status == "attended"
    assert street_events.mark_attendance(signup=signup, attended=False, by=director).status == "no_show"
    with pytest.raises(StreetEventError):
        street_events.cancel_signup(signup=signup, by=signup.parent)
