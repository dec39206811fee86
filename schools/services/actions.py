"""What a person may do next on a case: the action menu."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from ..models import (
    BullyingReport,
    Determination,
    State,
)
from ..selectors import is_district, is_school_actor


def available_actions(report: BullyingReport, user) -> list[str]:
    """The steps ``user`` may take on ``report`` now, in the order the page offers them."""
    district = is_district(user)
    school = is_school_actor(user, report)
    if report.state == State.DRAFT or not (district or school):
        return []
    actions = []
    if district and report.state == State.SUBMITTED:
        actions.append("acknowledge")
    if school and report.state in (State.ACKNOWLEDGED, State.REVIEW_REQUESTED):
        actions.append("start_investigation")
    if school and report.state == State.INVESTIGATING:
        actions.append("determine")
    if school and report.state == State.DETERMINED:
        actions.append("start_handling")
    if report.state == State.HANDLING or (
        report.state == State.DETERMINED and report.determination != Determination.BULLYING
    ):
        actions.append("close")
    if (
        report.state == State.CLOSED
        and report.closed_at
        and timezone.now() <= report.closed_at + datetime.timedelta(days=settings.SCHOOLS_REVIEW_REQUEST_DAYS)
    ):
        actions.append("request_review")
    if district:
        actions += ["assign_handler", "add_consultation"]
    if report.source == BullyingReport.Source.ANONYMOUS:
        actions.append("reply_to_reporter")
    actions.append("add_note")
    return actions
