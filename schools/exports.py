"""CSV and XLSX export of the case list.

What an export holds is decided here, for every role alike: the facts needed for statistics
and follow-up (case number, school, dates, kinds, severity, state, deadlines, handler), and
**never** a student's name, the narrative, the immediate measures, messages or a reporter's
contact. An export leaves the audited system as a file that can be copied anywhere, so it
carries no minors' personal details: a person whose role needs a student's name reads it on
the case page, where every view is audited one case at a time. Who exports what is written
to the audit log by the export view. The file is written by ``core.exports``, the one
writer of every export: a byte-order mark for CSV, and cells that a spreadsheet would run
as a formula are defused.

An anonymous report's facts reach a school's export only as far as the district shared them
with the school (``selectors.parts_shown``); cells of parts not shared are left empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import safe_cell, table_to_csv, table_to_xlsx  # noqa: F401 - the one writer

from .models import (
    BullyingReport,
    BullyingType,
    Determination,
    Frequency,
    Injury,
    Measure,
    Place,
    Severity,
    SharedPart,
    State,
)
from .selectors import is_district, parts_shown_to

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django_stubs_ext import WithAnnotations  # a dev-only package: for the type checker

    from .selectors import Actor


class StudentCounts(TypedDict):
    """What ``rows()`` annotates on each case."""

    target_count: int
    initiator_count: int
    witness_count: int


def export_cases(cases: QuerySet[BullyingReport]) -> QuerySet[WithAnnotations[BullyingReport, StudentCounts]]:
    """The cases to export with what each row needs, in one query."""
    return (
        cases.exclude(state=State.DRAFT)
        .select_related("school", "school__street_town", "handler")
        .annotate(
            target_count=Count("students", filter=Q(students__role="target")),
            initiator_count=Count("students", filter=Q(students__role="initiator")),
            witness_count=Count("students", filter=Q(students__role="witness")),
        )
        .order_by("submitted_at", "pk")
    )


def headers() -> list[str]:
    return [
        _("Case number"),
        _("School"),
        _("Street/town"),
        _("Source"),
        _("State"),
        _("Overdue"),
        _("Next step due"),
        _("Submitted"),
        _("Acknowledged"),
        _("Investigation started"),
        _("Determined"),
        _("Closed"),
        _("Date of the incident"),
        _("Place"),
        _("Kinds of bullying"),
        _("How often"),
        _("Injuries"),
        _("Severity"),
        _("Mandatory report"),
        _("Why it is a mandatory report"),
        _("Police informed"),
        _("Guardians notified"),
        _("Targets"),
        _("Initiators"),
        _("Witnesses"),
        _("Determination"),
        _("Measures"),
        _("Case handler"),
    ]


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def row(report: WithAnnotations[BullyingReport, StudentCounts], *, district: bool) -> list:
    kinds = dict(BullyingType.choices)
    measures = dict(Measure.choices)
    handler = report.handler
    shown = parts_shown_to(report, district=district)
    return [
        report.case_number or "",
        report.school.name,
        report.school.street_town.name,
        report.get_source_display(),
        report.get_state_display(),
        _yes_no(report.is_overdue),
        _moment(report.current_due_at),
        _moment(report.submitted_at),
        _moment(report.acknowledged_at),
        _moment(report.investigation_started_at),
        _moment(report.determined_at),
        _moment(report.closed_at),
        report.incident_date.isoformat() if report.incident_date and SharedPart.INCIDENT_DATE in shown else "",
        _label(Place, report.place) if SharedPart.PLACE in shown else "",
        "; ".join(str(kinds.get(kind, kind)) for kind in report.bullying_types)
        if SharedPart.BULLYING_TYPES in shown
        else "",
        _label(Frequency, report.frequency),
        _label(Injury, report.injury) if SharedPart.HARM in shown else "",
        _label(Severity, report.severity),
        _yes_no(report.is_mandatory_report),
        "; ".join(report.get_mandatory_reasons_display()) if SharedPart.HARM in shown else "",
        _yes_no(report.police_informed),
        _yes_no(report.guardians_notified),
        report.target_count,
        report.initiator_count,
        report.witness_count,
        _label(Determination, report.determination),
        "; ".join(str(measures.get(measure, measure)) for measure in report.measures),
        (handler.get_full_name() or handler.get_username()) if handler else "",
    ]


def _rows(cases: QuerySet[WithAnnotations[BullyingReport, StudentCounts]], *, viewer: Actor) -> Iterator[list]:
    district = is_district(viewer)
    return (row(report, district=district) for report in cases)


def to_csv(cases: QuerySet[WithAnnotations[BullyingReport, StudentCounts]], *, viewer: Actor) -> bytes:
    return table_to_csv(headers(), _rows(cases, viewer=viewer))


def to_xlsx(cases: QuerySet[WithAnnotations[BullyingReport, StudentCounts]], *, viewer: Actor) -> bytes:
    return table_to_xlsx(headers(), _rows(cases, viewer=viewer), _("Cases"))
