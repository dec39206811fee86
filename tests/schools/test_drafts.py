"""Saving a draft through ``services.save_draft`` when the same new form was saved at the same time.

The views' own tests (``test_report_form``, ``test_double_submit``) cover the posts one after
the other; these reach the service's answer to a unique-token collision directly, as two
requests racing past the view's check would.
"""

from __future__ import annotations

from django.db import IntegrityError

import pytest

from schools import services
from schools.models import AuditLog, BullyingReport
from tests.factories.schools import BullyingReportFactory, officer_of

pytestmark = pytest.mark.django_db


def _unsaved_report(school) -> BullyingReport:
    return BullyingReportFactory.build(school=school)


def test_a_racing_save_of_the_same_new_form_returns_the_draft_the_other_request_made(school_a, officer_a):
    first = BullyingReportFactory(school=school_a, created_by=officer_a)

    saved = services.save_draft(
        report=_unsaved_report(school_a), students=None, by=officer_a, draft_token=first.draft_token
    )

    assert saved.pk == first.pk
    assert BullyingReport.objects.count() == 1
    assert not AuditLog.objects.filter(action=AuditLog.Action.CREATE).exists()


def test_a_colliding_token_of_someone_elses_draft_raises_token_taken(school_a, officer_a):
    theirs = BullyingReportFactory(school=school_a, created_by=officer_of(school_a))
    mine = _unsaved_report(school_a)

    with pytest.raises(services.TokenTaken):
        services.save_draft(report=mine, students=None, by=officer_a, draft_token=theirs.draft_token)

    assert BullyingReport.objects.count() == 1


def test_an_integrity_error_saving_an_existing_draft_is_not_swallowed(school_a, officer_a):
    draft = BullyingReportFactory(school=school_a, created_by=officer_a)
    other = BullyingReportFactory(school=school_a, created_by=officer_a)
    draft.draft_token = other.draft_token  # editing never changes the token; forced here to collide

    with pytest.raises(IntegrityError):
        services.save_draft(report=draft, students=None, by=officer_a, draft_token=None)
