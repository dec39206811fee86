"""The case workflow (schools.services): states, who may act, deadlines, outbox, escalation."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

import pytest

from schools import services
from schools.models import AuditLog, CaseEvent, Escalation, Notification, State
from schools.services import IncompleteReport, WorkflowError
from schools.tasks import deliver_pending_notifications
from tests.factories.schools import BullyingReportFactory, officer_of, submitted_case

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _case(officer):
    return submitted_case(officer, school=officer.school_memberships.get().school)


def _through(report, officer, district, until: str):
    steps = ["acknowledge", "start_investigation", "determine", "start_handling", "close"]
    for step in steps[: steps.index(until) + 1]:
        if step == "acknowledge":
            report = services.acknowledge(report, by=district)
        elif step == "start_investigation":
            report = services.start_investigation(report, by=officer)
        elif step == "determine":
            report = services.determine(
                report,
                by=officer,
                determination="bullying",
                committee_roles=["principal", "teacher"],
                reason="委员会认定",
            )
        elif step == "start_handling":
            report = services.start_handling(report, by=officer, measures=["education", "family_education"])
        elif step == "close":
            report = services.close(report, by=officer, reason="措施已落实")
    return report


# --- Submitting --------------------------------------------------------------------------------


def test_submit_gives_a_case_number_of_the_form_xh_year_number(officer_a, school_a):
    report = BullyingReportFactory(school=school_a)

    result = services.submit(report, by=officer_a)

    year = timezone.localtime().year
    assert result.created is True
    assert result.report.case_number == f"XH-{year}-0001"
    assert result.report.state == State.SUBMITTED


def test_case_numbers_count_up_within_a_year(officer_a, school_a):
    first = submitted_case(officer_a, school=school_a)
    second = submitted_case(officer_a, school=school_a)

    assert int(second.case_number[-4:]) == int(first.case_number[-4:]) + 1


def test_submitting_twice_keeps_one_case_and_one_number(officer_a, school_a):
    report = BullyingReportFactory(school=school_a)

    first = services.submit(report, by=officer_a)
    second = services.submit(report, by=officer_a)

    assert second.created is False
    assert second.report.case_number == first.report.case_number
    assert CaseEvent.objects.filter(report=report, to_state=State.SUBMITTED).count() == 1


def test_an_incomplete_report_is_refused_with_the_list_of_what_is_missing(officer_a, school_a):
    report = BullyingReportFactory(school=school_a, narrative="", place="", students=False)

    with pytest.raises(IncompleteReport) as refused:
        services.submit(report, by=officer_a)

    missing = " | ".join(str(item) for item in refused.value.missing)
    assert _("What happened") in missing and _("Where it happened") in missing
    assert _("At least one student involved") in missing
    report.refresh_from_db()
    assert report.state == State.DRAFT and report.case_number is None


def test_a_mandatory_report_requires_recording_whether_the_police_were_informed(officer_a, school_a):
    report = BullyingReportFactory(school=school_a, injury="medical", police_informed=None)

    with pytest.raises(IncompleteReport) as refused:
        services.submit(report, by=officer_a)

    police = _("Whether the police were informed (required for a mandatory report)")
    assert police in [str(item) for item in refused.value.missing]


def test_police_informed_requires_when(officer_a, school_a):
    report = BullyingReportFactory(school=school_a, police_informed=True, police_informed_at=None)

    with pytest.raises(IncompleteReport) as refused:
        services.submit(report, by=officer_a)

    assert _("When the police were informed") in [str(item) for item in refused.value.missing]


def test_guardians_notified_requires_when(officer_a, school_a):
    report = BullyingReportFactory(school=school_a, guardians_notified=True, guardians_notified_at=None)

    with pytest.raises(IncompleteReport) as refused:
        services.submit(report, by=officer_a)

    assert _("When the guardians were notified") in [str(item) for item in refused.value.missing]


def test_an_officer_of_another_school_cannot_submit(officer_b, school_a):
    report = BullyingReportFactory(school=school_a)

    with pytest.raises(PermissionDenied):
        services.submit(report, by=officer_b)


def test_every_new_case_is_sent_to_district_staff_by_e_mail(
    officer_a, school_a, district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submitted_case(officer_a, school=school_a)

    assert Notification.objects.filter(report=case, recipient=district, channel="email").count() == 1
    assert [message.to for message in mail.outbox] == [[district.email]]
    assert case.case_number in mail.outbox[0].subject
    assert "小明" not in mail.outbox[0].body


def test_a_mandatory_report_reaches_district_staff_at_once_by_text_too(
    officer_a, school_a, district, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submitted_case(
            officer_a, school=school_a, severity="severe", police_informed=True, police_informed_at=timezone.now()
        )

    assert case.is_mandatory_report
    assert mail.outbox[0].subject == _("MANDATORY REPORT %(number)s from %(school)s") % {
        "number": case.case_number,
        "school": school_a.name,
    }
    assert [message.to for message in sms_outbox] == [district.phone]


def test_every_step_records_an_event_and_an_audit_entry(officer_a, school_a, district):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "close")

    transitions = list(case.events.filter(kind="transition").values_list("to_state", "actor_role"))
    assert transitions == [
        ("submitted", "school_officer"),
        ("acknowledged", "district_staff"),
        ("investigating", "school_officer"),
        ("determined", "school_officer"),
        ("handling", "school_officer"),
        ("closed", "school_officer"),
    ]
    assert AuditLog.objects.filter(report=case, action="transition").count() == 6
    assert case.determination == "bullying" and case.committee_roles == ["principal", "teacher"]
    assert case.measures == ["education", "family_education"]
    assert case.events.get(to_state="closed").reason == "措施已落实"


@pytest.mark.parametrize(
    ("state_after", "step"),
    [
        ("submit", "start_investigation"),
        ("submit", "determine"),
        ("submit", "close"),
        ("acknowledge", "acknowledge"),
        ("acknowledge", "start_handling"),
        ("start_investigation", "close"),
        ("determine", "determine"),
        ("close", "start_handling"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message_and_change_nothing(
    officer_a, school_a, district, state_after, step
):
    case = submitted_case(officer_a, school=school_a)
    if state_after != "submit":
        case = _through(case, officer_a, district, state_after)
    before = case.state
    kwargs = {
        "acknowledge": {"by": district},
        "start_investigation": {"by": officer_a},
        "determine": {"by": officer_a, "determination": "bullying", "committee_roles": ["principal"], "reason": "x"},
        "start_handling": {"by": officer_a, "measures": ["education"]},
        "close": {"by": officer_a, "reason": "x"},
    }[step]

    done = {
        "acknowledge": _("acknowledged"),
        "start_investigation": _("investigated"),
        "determine": _("determined"),
        "start_handling": _("handled"),
        "close": _("closed"),
    }[step]
    expected = _("This case is “%(state)s”, so it cannot be %(step)s now.") % {
        "state": case.get_state_display(),
        "step": done,
    }

    with pytest.raises(WorkflowError) as refused:
        services.TRANSITIONS[step](case, **kwargs)

    assert str(refused.value.message) == expected
    case.refresh_from_db()
    assert case.state == before


def test_investigation_determination_and_measures_are_the_schools_steps(officer_a, school_a, district):
    case = services.acknowledge(submitted_case(officer_a, school=school_a), by=district)

    with pytest.raises(PermissionDenied):
        services.start_investigation(case, by=district)
    case = services.start_investigation(case, by=officer_a)
    with pytest.raises(PermissionDenied):
        services.determine(case, by=district, determination="bullying", committee_roles=["principal"], reason="x")


def test_acknowledging_tells_the_schools_officers_to_start(officer_a, officer_b, school_a, district):
    case = submitted_case(officer_a, school=school_a)

    services.acknowledge(case, by=district)

    subject = _("Case %(number)s: please start the investigation") % {"number": case.case_number}
    told = set(Notification.objects.filter(subject=subject).values_list("recipient_id", flat=True))
    assert told == {officer_a.pk}


def test_only_district_staff_acknowledge(officer_a, school_a):
    case = submitted_case(officer_a, school=school_a)

    with pytest.raises(PermissionDenied):
        services.acknowledge(case, by=officer_a)


def test_an_officer_of_another_school_cannot_act_on_the_case(officer_a, officer_b, school_a, district):
    case = services.acknowledge(submitted_case(officer_a, school=school_a), by=district)

    with pytest.raises(PermissionDenied):
        services.start_investigation(case, by=officer_b)


def test_determination_needs_a_reason_and_committee_roles(officer_a, school_a, district):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "start_investigation")

    with pytest.raises(WorkflowError):
        services.determine(case, by=officer_a, determination="bullying", committee_roles=["principal"], reason=" ")
    with pytest.raises(WorkflowError):
        services.determine(case, by=officer_a, determination="bullying", committee_roles=[], reason="x")
    with pytest.raises(WorkflowError):
        services.determine(case, by=officer_a, determination="bullying", committee_roles=["king"], reason="x")
    with pytest.raises(WorkflowError):
        services.determine(case, by=officer_a, determination="maybe", committee_roles=["principal"], reason="x")


def test_handling_needs_a_known_measure(officer_a, school_a, district):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "determine")

    with pytest.raises(WorkflowError):
        services.start_handling(case, by=officer_a, measures=[])
    with pytest.raises(WorkflowError):
        services.start_handling(case, by=officer_a, measures=["detention-forever"])


def test_a_case_found_not_to_be_bullying_can_close_without_measures(officer_a, school_a, district):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "start_investigation")
    case = services.determine(
        case, by=officer_a, determination="play_fighting", committee_roles=["principal"], reason="嬉闹"
    )

    assert services.close(case, by=officer_a, reason="认定为嬉闹").state == State.CLOSED


def test_a_review_request_reopens_a_closed_case_for_investigation(officer_a, school_a, district):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "close")

    case = services.request_review(case, by=officer_a, reason="家长申请复查")
    assert case.state == State.REVIEW_REQUESTED
    case = services.start_investigation(case, by=officer_a)
    assert case.state == State.INVESTIGATING


def test_a_review_cannot_be_requested_after_the_period(officer_a, school_a, district, settings):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "close")
    type(case).objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))

    too_late = _("A review can only be asked for within %(days)s days of closing.") % {"days": 30}
    with pytest.raises(WorkflowError, match=re.escape(too_late)):
        services.request_review(case, by=officer_a, reason="太晚了")


# --- Deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        (datetime.datetime(2026, 3, 2, 10, 0), datetime.datetime(2026, 3, 3, 10, 0)),  # Monday -> Tuesday
        (datetime.datetime(2026, 3, 6, 15, 0), datetime.datetime(2026, 3, 9, 15, 0)),  # Friday -> Monday
        (datetime.datetime(2026, 3, 7, 10, 0), datetime.datetime(2026, 3, 9, 10, 0)),  # Saturday -> Monday
        (datetime.datetime(2026, 3, 8, 22, 0), datetime.datetime(2026, 3, 9, 22, 0)),  # Sunday -> Monday
        # China's official calendar: holidays are skipped, make-up working days (调休) count.
        (datetime.datetime(2025, 9, 30, 16, 0), datetime.datetime(2025, 10, 9, 16, 0)),  # over National Day
        (datetime.datetime(2025, 10, 10, 9, 0), datetime.datetime(2025, 10, 11, 9, 0)),  # Friday -> 调休 Saturday
        (datetime.datetime(2026, 2, 14, 11, 0), datetime.datetime(2026, 2, 24, 11, 0)),  # over Spring Festival
        (datetime.datetime(2025, 12, 31, 18, 0), datetime.datetime(2026, 1, 4, 18, 0)),  # over New Year's Day
    ],
)
def test_acknowledgement_is_due_one_working_day_later_by_the_official_calendar(submitted, due):
    assert services.acknowledge_due(submitted.replace(tzinfo=SHANGHAI)) == due.replace(tzinfo=SHANGHAI)


def test_the_acknowledgement_deadline_follows_the_setting(settings):
    settings.SCHOOLS_ACKNOWLEDGE_WORKING_DAYS = 3
    friday = datetime.datetime(2026, 3, 6, 9, 0, tzinfo=SHANGHAI)

    assert services.acknowledge_due(friday) == datetime.datetime(2026, 3, 11, 9, 0, tzinfo=SHANGHAI)


def test_determination_is_due_ten_days_after_the_investigation_starts(officer_a, school_a, district):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "start_investigation")

    assert case.determination_due_at == services.determination_due(case.investigation_started_at)
    assert datetime.timedelta(days=10) <= case.determination_due_at - case.investigation_started_at
    assert case.acknowledge_due_at is not None


@pytest.mark.parametrize(
    ("started", "due"),
    [
        (datetime.datetime(2026, 3, 2, 10, 0), datetime.datetime(2026, 3, 12, 10, 0)),  # ends on a Thursday
        (datetime.datetime(2026, 3, 4, 10, 0), datetime.datetime(2026, 3, 16, 10, 0)),  # Saturday -> Monday
        (datetime.datetime(2025, 9, 22, 10, 0), datetime.datetime(2025, 10, 9, 10, 0)),  # Oct 2 -> after the holiday
        (datetime.datetime(2026, 2, 4, 10, 0), datetime.datetime(2026, 2, 14, 10, 0)),  # ends on a 调休 Saturday
    ],
)
def test_a_determination_period_ending_on_a_rest_day_runs_to_the_next_working_day(started, due):
    assert services.determination_due(started.replace(tzinfo=SHANGHAI)) == due.replace(tzinfo=SHANGHAI)


# --- Assignment, consultations, notes ----------------------------------------------------------


def test_district_staff_assign_a_handler_who_is_told_by_e_mail(
    officer_a, school_a, district, django_capture_on_commit_callbacks
):
    case = submitted_case(officer_a, school=school_a)
    Notification.objects.update(sent_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        case = services.assign_handler(case, by=district, handler=officer_a)

    assert case.handler == officer_a
    assert case.events.filter(kind="assignment").exists()
    assert [message.to for message in mail.outbox] == [[officer_a.email]]


def test_a_handler_must_work_for_the_district_or_the_school(officer_a, officer_b, school_a, district, parent):
    case = submitted_case(officer_a, school=school_a)

    for outsider in (officer_b, parent):
        with pytest.raises(WorkflowError):
            services.assign_handler(case, by=district, handler=outsider)
    with pytest.raises(PermissionDenied):
        services.assign_handler(case, by=officer_a, handler=officer_a)


def test_a_consultation_is_recorded_on_the_timeline(officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)

    consultation = services.add_consultation(
        case,
        by=district,
        held_on=datetime.date(2026, 3, 5),
        participating_bodies="区教育局、派出所、街道工作站",
        conclusions="安排心理辅导",
        follow_up_actions="两周后回访",
    )

    event = case.events.get(kind="consultation")
    assert event.consultation == consultation
    assert AuditLog.objects.filter(report=case, action="consultation").exists()


def test_a_consultation_needs_bodies_and_conclusions(officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)

    with pytest.raises(WorkflowError):
        services.add_consultation(
            case, by=district, held_on=datetime.date.today(), participating_bodies="", conclusions=""
        )


def test_officers_and_district_staff_add_internal_notes(officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)

    services.add_note(case, by=officer_a, text="已约谈家长")
    services.add_note(case, by=district, text="请关注")

    assert list(case.events.filter(kind="note").values_list("reason", flat=True)) == ["已约谈家长", "请关注"]
    with pytest.raises(WorkflowError):
        services.add_note(case, by=district, text="  ")


# --- Visibility --------------------------------------------------------------------------------


def test_officers_see_their_school_and_district_sees_every_submitted_case(
    officer_a, officer_b, school_a, school_b, district, parent
):
    case_a = submitted_case(officer_a, school=school_a)
    case_b = submitted_case(officer_b, school=school_b)
    draft_a = BullyingReportFactory(school=school_a)

    assert set(services.cases_visible_to(officer_a)) == {case_a, draft_a}
    assert set(services.cases_visible_to(officer_b)) == {case_b}
    assert set(services.cases_visible_to(district)) == {case_a, case_b}
    assert list(services.cases_visible_to(parent)) == []


# --- Outbox and escalation ---------------------------------------------------------------------


def test_pending_notifications_are_delivered_exactly_once(officer_a, school_a, district):
    submitted_case(officer_a, school=school_a)  # on_commit not run: rows stay pending
    assert Notification.objects.filter(sent_at__isnull=True).count() == 1

    assert deliver_pending_notifications() == 1
    assert deliver_pending_notifications() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


def test_a_failed_delivery_is_kept_and_retried_on_the_next_run(officer_a, school_a, district, monkeypatch):
    submitted_case(officer_a, school=school_a)

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("schools.tasks._Mailer.send", broken)
    assert deliver_pending_notifications() == 0
    pending = Notification.objects.get()
    assert pending.sent_at is None and pending.attempts == 1 and "smtp down" in pending.last_error
    assert pending.next_attempt_at > timezone.now()  # it waits before the next try

    monkeypatch.undo()
    assert deliver_pending_notifications() == 0
    Notification.objects.update(next_attempt_at=timezone.now())  # the wait is over
    assert deliver_pending_notifications() == 1


def test_notification_rows_are_written_with_the_report_in_one_transaction(officer_a, school_a, district, monkeypatch):
    report = BullyingReportFactory(school=school_a)

    def fail(*args, **kwargs):
        raise RuntimeError("crash after the number was taken")

    monkeypatch.setattr("schools.services.steps._announce_new_case", fail)
    with pytest.raises(RuntimeError):
        services.submit(report, by=officer_a)

    report.refresh_from_db()
    assert report.state == State.DRAFT and report.case_number is None
    assert not Notification.objects.exists()


def test_an_overdue_acknowledgement_escalates_once_to_handler_and_lead(officer_a, school_a, district, lead):
    case = submitted_case(officer_a, school=school_a)
    services.assign_handler(case, by=lead, handler=district)
    later = case.acknowledge_due_at + datetime.timedelta(minutes=1)
    Notification.objects.all().delete()

    assert services.escalate_overdue(now=later) == 1
    assert services.escalate_overdue(now=later) == 0

    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {district.pk, lead.pk}
    assert Escalation.objects.filter(report=case, step="acknowledge").count() == 1
    assert case.events.filter(kind="escalation").count() == 1


def test_nothing_escalates_before_the_deadline(officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)

    assert services.escalate_overdue(now=case.acknowledge_due_at - datetime.timedelta(minutes=1)) == 0


def test_an_overdue_determination_escalates_separately(officer_a, school_a, district):
    case = _through(submitted_case(officer_a, school=school_a), officer_a, district, "start_investigation")

    assert services.escalate_overdue(now=case.determination_due_at + datetime.timedelta(hours=1)) == 1
    assert Escalation.objects.get(report=case).step == "determine"


def test_overdue_cases_are_marked_overdue(officer_a, school_a):
    case = submitted_case(officer_a, school=school_a)
    type(case).objects.filter(pk=case.pk).update(acknowledge_due_at=timezone.now() - datetime.timedelta(hours=1))
    case.refresh_from_db()

    assert case.is_overdue is True


def test_with_no_lead_named_escalations_go_to_all_district_staff(officer_a, school_a, district):
    case = submitted_case(officer_a, school=school_a)
    Notification.objects.all().delete()

    services.escalate_overdue(now=case.acknowledge_due_at + datetime.timedelta(minutes=1))

    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {district.pk}


def test_escalate_task_runs_the_escalation(officer_a, school_a, district, monkeypatch):
    from schools.tasks import escalate_overdue_cases

    case = submitted_case(officer_a, school=school_a)
    type(case).objects.filter(pk=case.pk).update(acknowledge_due_at=timezone.now() - datetime.timedelta(hours=1))

    assert escalate_overdue_cases() == 1
    assert escalate_overdue_cases() == 0


def test_beat_schedule_runs_delivery_and_escalation(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"schools.tasks.deliver_pending_notifications", "schools.tasks.escalate_overdue_cases"} <= tasks


def test_an_officer_membership_of_the_school_as_principal_also_gives_access(school_a):
    principal = officer_of(school_a, role="principal")
    report = BullyingReportFactory(school=school_a)

    assert services.submit(report, by=principal).created
