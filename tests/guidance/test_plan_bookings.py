"""A guardian's station bookings count for their plan: a guidance-type booking made while the plan
is open is linked to it, and the plan's session requirement counts only its linked bookings."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

import pytest

from guidance import selectors, services
from guidance.models import PlanBooking
from guidance.services import Guardian
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.workstations import booking, guidance_station, slot
from workstations import appointments
from workstations.models import Booking

pytestmark = pytest.mark.django_db

PHONE = "+8613800005555"
HOURS = datetime.timedelta(hours=1)


@pytest.fixture
def parent(db):
    return UserFactory(phone=PHONE, name="孙家长", email="")


@pytest.fixture
def plan(handler, case, worker, course, dates, parent):
    # Started yesterday: the bookings a few hours ago below fall inside it at any time of day
    # (after midnight they are yesterday's, and a plan starting today would not count them).
    return services.create_plan(
        by=handler,
        case=case,
        worker=worker,
        courses=[course],
        required_sessions=2,
        guardians=[Guardian(name="孙家长", phone=PHONE)],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        **dates,
    )


def test_a_guardian_booking_a_guidance_slot_books_it_for_the_plan(plan, parent):
    station = guidance_station()
    guidance = appointments.book(slot=slot(station), parent=parent)
    counselling = appointments.book(
        slot=slot(station, starts_in=datetime.timedelta(days=3), service_slug="counselling"), parent=parent
    )
    assert PlanBooking.objects.get(booking=guidance).plan == plan
    assert not PlanBooking.objects.filter(booking=counselling).exists()  # not a guidance session
    # Another parent's booking of the same kind counts for nobody's plan.
    stranger = appointments.book(slot=slot(station, starts_in=datetime.timedelta(days=4)), parent=UserFactory())
    assert not PlanBooking.objects.filter(booking=stranger).exists()


def test_a_booking_outside_the_plans_period_or_of_a_closed_plan_is_not_linked(plan, parent):
    station = guidance_station()
    late = slot(station, starts_in=datetime.timedelta(days=(plan.ends_on - timezone.localdate()).days + 2))
    assert not PlanBooking.objects.filter(booking=appointments.book(slot=late, parent=parent)).exists()
    plan.status = plan.Status.COMPLETED
    plan.save()
    closed = appointments.book(slot=slot(station), parent=parent)
    assert not PlanBooking.objects.filter(booking=closed).exists()


def test_the_plan_counts_only_its_linked_attended_bookings(plan, parent):
    station = guidance_station()
    counted = booking(slot(station, starts_in=-2 * HOURS), parent, status=Booking.Status.ATTENDED)
    booking(slot(station, starts_in=-5 * HOURS, service_slug="counselling"), parent, status=Booking.Status.ATTENDED)
    progress = services.progress_of(plan)
    assert [row.booking_id for row in progress.sessions] == [counted.pk]
    assert progress.sessions_attended == 1 and not progress.sessions_met
    [row] = selectors.overview_rows([plan])
    assert row["sessions"] == 1


def test_the_guardian_sees_which_bookings_count_for_their_plan(client, plan, parent):
    made = appointments.book(slot=slot(guidance_station()), parent=parent)
    sign_in_fully(client, parent)
    page = client.get(reverse("guidance:my_plans")).content.decode()
    assert timezone.localtime(made.slot.starts_at).strftime("%Y-%m-%d") in page


def test_the_migration_links_the_attended_bookings_made_since_each_plans_start(plan, parent):
    station = guidance_station()
    since = booking(slot(station, starts_in=-2 * HOURS), parent, status=Booking.Status.ATTENDED)
    before = booking(
        slot(station, starts_in=-datetime.timedelta(days=(timezone.localdate() - plan.starts_on).days + 3)),
        parent,
        status=Booking.Status.ATTENDED,
    )
    counselling = booking(slot(station, starts_in=-4 * HOURS, service_slug="counselling"), parent)
    PlanBooking.objects.all().delete()  # as before the links existed
    Booking.objects.filter(pk=counselling.pk).update(status=Booking.Status.ATTENDED)
    migration = importlib.import_module("guidance.migrations.0002_planbooking")
    migration.link_existing_bookings(apps, None)
    linked = set(PlanBooking.objects.filter(plan=plan).values_list("booking_id", flat=True))
    # Before the links, every attended booking since the start counted: they keep counting.
    assert linked == {since.pk, counselling.pk}
    assert before.pk not in linked
    migration.link_existing_bookings(apps, None)  # idempotent
    assert PlanBooking.objects.count() == 2
