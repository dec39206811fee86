"""Registering for an alliance event: the form's messages, the seat rules and the confirmation."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone

import pytest

from accounts.roles import Role
from alliance import services
from alliance.forms import RegistrationForm
from alliance.models import EventRegistration
from schools.models import Notification
from schools.tasks import deliver_pending_notifications
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.alliance import event, fill

pytestmark = pytest.mark.django_db

VALID = {"name": "王女士", "phone": "138 0013 8000", "email": "", "organisation": "汇爱示例初级中学", "consent": "on"}


def post(client, page, **changes):
    return client.post(page.url, {**VALID, **changes})


def errors_text(response) -> str:
    return response.content.decode()


# --- the form ----------------------------------------------------------------------------


def test_a_phone_typed_with_spaces_or_full_width_digits_is_stored_in_e164():
    page = event()
    form = RegistrationForm({**VALID, "phone": "１３８-０００１-３８００"}, event=page)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+8613800013800"


def test_a_bad_phone_number_gets_a_message_a_parent_understands(client):
    page = event()
    response = post(client, page, phone="12345")
    assert response.status_code == 200
    assert "这不是手机号码" in errors_text(response) or "手机号码" in errors_text(response)
    form = response.context["form"]
    assert form.has_error("phone", "invalid_phone")
    assert not EventRegistration.objects.exists()


def test_missing_name_and_consent_are_explained_in_chinese(client):
    page = event()
    response = post(client, page, name="  ", consent="")
    content = errors_text(response)
    assert "请填写您的姓名。" in content
    assert "请勾选同意" in content
    assert 'aria-invalid="true"' in content


def test_the_same_number_cannot_register_twice_for_one_event(client):
    page = event()
    post(client, page)
    client.cookies.clear()  # someone else, typing the same number another way
    response = post(client, page, phone="+86 13800138000", name="王先生")
    assert "这个手机号码已经报名了本次活动。" in errors_text(response)
    assert EventRegistration.objects.filter(event=page).count() == 1


def test_the_same_number_may_register_for_two_events(client):
    first, second = event(), event()
    post(client, first)
    post(client, second)
    assert EventRegistration.objects.filter(phone="+8613800138000").count() == 2


def test_a_cancelled_registration_frees_the_number_and_the_seat():
    page = event(capacity=1)
    registration = services.register(page, name="王女士", phone="+8613800138000")
    services.cancel(registration)
    again = services.register(page, name="王女士", phone="+8613800138000")
    assert again.pk != registration.pk
    registration.refresh_from_db()
    assert registration.cancelled and registration.cancelled_at is not None


# --- seats and state ---------------------------------------------------------------------


def test_a_successful_registration_redirects_to_the_confirmation(client):
    page = event(capacity=10)
    fill(page, 3)
    response = post(client, page)
    assert response.status_code == 302
    assert response["Location"] == page.url + "registered/"
    confirmation = client.get(response["Location"])
    content = confirmation.content.decode()
    assert "报名成功" in content
    assert "王女士" in content
    assert "138****8000" in content
    assert "剩余 6 个名额" in content
    assert "no-cache" in confirmation["Cache-Control"]


def test_the_confirmation_is_not_shown_to_another_visitor(client):
    page = event()
    post(client, page)
    client.cookies.clear()
    response = client.get(page.url + "registered/")
    assert response.status_code == 302 and response["Location"] == page.url


def test_a_full_event_shows_fully_booked_and_no_form(client):
    page = event(capacity=2)
    fill(page, 2)
    response = client.get(page.url)
    content = response.content.decode()
    assert "名额已满" in content
    assert 'name="phone"' not in content


def test_a_full_event_refuses_a_registration_posted_anyway(client):
    page = event(capacity=2)
    fill(page, 2)
    response = post(client, page)
    assert response.status_code == 200
    assert "抱歉，本次活动名额已满" in errors_text(response)
    assert EventRegistration.objects.filter(event=page).count() == 2


def test_the_last_seat_goes_to_the_first_and_the_next_person_is_refused():
    page = event(capacity=1)
    services.register(page, name="甲", phone="+8613800000001")
    with pytest.raises(services.RegistrationError) as refused:
        services.register(page, name="乙", phone="+8613800000002")
    assert refused.value.code == "full"
    assert page.registrations.filter(cancelled=False).count() == 1


def test_registration_closes_at_the_deadline(client):
    now = timezone.now()
    page = event(registration_deadline=now - datetime.timedelta(minutes=1))
    assert "报名已截止" in client.get(page.url).content.decode()
    response = post(client, page)
    assert "本次活动的报名已经截止。" in errors_text(response)
    assert not EventRegistration.objects.exists()


def test_a_past_event_takes_no_registration(client):
    now = timezone.now()
    page = event(starts_at=now - datetime.timedelta(days=2), ends_at=now - datetime.timedelta(days=2, hours=-2))
    content = client.get(page.url).content.decode()
    assert "活动已结束" in content and 'name="phone"' not in content
    with pytest.raises(services.RegistrationError) as refused:
        services.register(page, name="甲", phone="+8613800000001")
    assert refused.value.code == "past"


def test_a_signed_in_parent_finds_the_form_filled_and_the_registration_linked(client):
    parent = UserFactory(role=Role.PARENT, name="李妈妈", phone="+8613900001111")
    sign_in_fully(client, parent)
    page = event()
    form = client.get(page.url).context["form"]
    assert form.initial["name"] == "李妈妈" and form.initial["phone"] == "13900001111"
    post(client, page, name="李妈妈", phone="13900001111")
    assert EventRegistration.objects.get().user == parent
    assert "李妈妈 已用 139****1111 报名本次活动。" in client.get(page.url).content.decode()


def test_registrations_are_rate_limited_per_client(client, settings):
    settings.ALLIANCE_REGISTRATIONS_PER_HOUR = 2
    page = event()
    for number in range(2):
        post(client, page, phone=f"1380000000{number}")
    response = post(client, page, phone="13800000009")
    assert response.status_code == 429
    assert EventRegistration.objects.count() == 2


def test_registration_limits_count_the_client_behind_the_proxy_not_the_proxy(settings):
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLIANCE_REGISTRATIONS_PER_HOUR = 1
    page = event()

    def visitor(xff):
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=xff)

    post(visitor("203.0.113.1"), page, phone="13800000001")
    assert post(visitor("203.0.113.1"), page, phone="13800000002").status_code == 429
    assert post(visitor("198.51.100.5, 203.0.113.1"), page, phone="13800000003").status_code == 429  # spoofed
    assert post(visitor("203.0.113.2"), page, phone="13800000004").status_code != 429  # another parent
    assert EventRegistration.objects.count() == 2


# --- confirmation ------------------------------------------------------------------------


def test_the_confirmation_is_queued_once_per_channel_and_sent_after_the_commit(
    client, django_capture_on_commit_callbacks, sms_outbox
):
    page = event(title="校园欺凌的法律边界")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, page, email="parent@example.invalid")
    assert response.status_code == 302
    assert len(callbacks) == 1
    rows = Notification.objects.order_by("channel")
    assert [row.channel for row in rows] == ["email", "sms"]
    assert all(row.sent_at is not None for row in rows)
    assert len(sms_outbox) == 1 and sms_outbox[0].to == "+8613800138000"
    assert "校园欺凌的法律边界" in sms_outbox[0].body
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "报名成功：校园欺凌的法律边界"


def test_queueing_the_confirmation_again_adds_nothing(django_capture_on_commit_callbacks, sms_outbox):
    page = event()
    with django_capture_on_commit_callbacks(execute=False):
        registration = services.register(page, name="王女士", phone="+8613800138000")
        services.queue_confirmation(registration)
    assert Notification.objects.count() == 1
    assert deliver_pending_notifications() == 1
    assert deliver_pending_notifications() == 0
    assert len(sms_outbox) == 1


def test_a_confirmation_survives_a_broker_outage(monkeypatch, django_capture_on_commit_callbacks, sms_outbox):
    """The broker is down at registration: the row waits in the outbox for the beat's next run."""
    from kombu.exceptions import OperationalError

    def broker_down():
        raise OperationalError("connection refused")

    monkeypatch.setattr("schools.tasks.deliver_pending_notifications.delay", broker_down)
    page = event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(page, name="王女士", phone="+8613800138000")
    assert EventRegistration.objects.filter(pk=registration.pk).exists()
    assert Notification.objects.filter(sent_at__isnull=True).count() == 1
    assert sms_outbox == []
    assert deliver_pending_notifications() == 1  # what the beat schedule runs every minute
    assert len(sms_outbox) == 1


def test_a_refused_registration_queues_nothing():
    page = event(capacity=1)
    fill(page, 1)
    with pytest.raises(services.RegistrationError):
        services.register(page, name="甲", phone="+8613800000001")
    assert not Notification.objects.exists()


def test_the_outbox_is_retried_by_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "schools.tasks.deliver_pending_notifications" in tasks
