"""The action menu and the steps agree: every case state × every step × every kind of actor.

A case page offers a step (``services.available_actions``) exactly when taking it would not be
refused for the case's state, its facts or the actor (``PermissionDenied`` / ``WorkflowError``).
Each cell takes the step for real, with valid input, inside a savepoint that is rolled back, so
the cells of one case do not disturb each other. A case page never offers ``submit`` (a draft is
submitted from its form), so the matrix covers the ten steps of the case page.

Cases are built in every state, filed by the school and (except drafts, which anonymous reports
never are) by an anonymous reporter; a determined case with and without bullying found; a closed
case within and after the review period. Actors: district staff, a superuser, an officer of the
case's school, an officer of another school, a teacher who is a member of the case's school
without the officer role, a parent, and a visitor who is not signed in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

import pytest

from accounts.roles import Role
from schools import services
from schools.models import BullyingReport, Determination, SchoolMembership, State
from schools.services import WorkflowError
from tests.factories.accounts import UserFactory
from tests.factories.schools import BullyingReportFactory, SchoolFactory, district_staff, officer_of

pytestmark = pytest.mark.django_db

# The ten steps of a case page, with valid input for each: only the case and the actor decide.
STEPS: dict[str, Callable[..., object]] = {
    # An anonymous report is accepted with a summary for the school (ignored for a school's report).
    "acknowledge": lambda case, by, handler: services.acknowledge(
        case, by=by, reason="已收到", school_summary="请学校了解情况。", shared_parts=["place"]
    ),
    "start_investigation": lambda case, by, handler: services.start_investigation(case, by=by),
    "determine": lambda case, by, handler: services.determine(
        case, by=by, determination=Determination.BULLYING, committee_roles=["principal"], reason="委员会认定"
    ),
    "start_handling": lambda case, by, handler: services.start_handling(case, by=by, measures=["education"]),
    "close": lambda case, by, handler: services.close(case, by=by, reason="措施已落实"),
    "request_review": lambda case, by, handler: services.request_review(case, by=by, reason="家长申请复查"),
    "assign_handler": lambda case, by, handler: services.assign_handler(case, by=by, handler=handler),
    "add_consultation": lambda case, by, handler: services.add_consultation(
        case,
        by=by,
        held_on=datetime.date.today(),
        participating_bodies="区教育局、派出所",
        conclusions="加强看护",
    ),
    "reply_to_reporter": lambda case, by, handler: services.reply_to_reporter(case, by=by, body="我们已收到。"),
    "add_note": lambda case, by, handler: services.add_note(case, by=by, text="已电话联系家长。"),
}


@dataclass(frozen=True)
class Variant:
    """A case as the matrix builds it: a state and the facts the steps look at."""

    name: str
    state: str
    source: str = BullyingReport.Source.SCHOOL
    determination: str = ""
    closed_days_ago: int | None = None


def _variants() -> list[Variant]:
    review_days = settings.SCHOOLS_REVIEW_REQUEST_DAYS
    shapes = [
        ("submitted", State.SUBMITTED, {}),
        ("acknowledged", State.ACKNOWLEDGED, {}),
        ("investigating", State.INVESTIGATING, {}),
        ("determined-bullying", State.DETERMINED, {"determination": Determination.BULLYING}),
        ("determined-not-bullying", State.DETERMINED, {"determination": Determination.NOT_BULLYING}),
        ("determined-play-fighting", State.DETERMINED, {"determination": Determination.PLAY_FIGHTING}),
        ("handling", State.HANDLING, {"determination": Determination.BULLYING}),
        ("closed-recently", State.CLOSED, {"determination": Determination.BULLYING, "closed_days_ago": 1}),
        (
            "closed-long-ago",
            State.CLOSED,
            {"determination": Determination.BULLYING, "closed_days_ago": review_days + 1},
        ),
        ("review-requested", State.REVIEW_REQUESTED, {"determination": Determination.BULLYING, "closed_days_ago": 2}),
    ]
    variants = [Variant("draft", State.DRAFT)]
    for source in BullyingReport.Source.values:
        variants += [Variant(f"{name}-{source}", state, source, **facts) for name, state, facts in shapes]
    return variants


VARIANTS = _variants()


def _case(variant: Variant, school, officer) -> BullyingReport:
    now = timezone.now()
    fields: dict[str, object] = {
        "school": school,
        "created_by": officer if variant.source == BullyingReport.Source.SCHOOL else None,
        "source": variant.source,
        "state": variant.state,
        "determination": variant.determination,
    }
    if variant.state != State.DRAFT:
        fields.update(case_number=f"XH-{now.year}-9{VARIANTS.index(variant):03d}", submitted_at=now)
    if variant.closed_days_ago is not None:
        fields["closed_at"] = now - datetime.timedelta(days=variant.closed_days_ago)
    return BullyingReportFactory(**fields)


def _actors(school) -> dict[str, object]:
    teacher_of_school = UserFactory(role=Role.TEACHER)
    SchoolMembership.objects.create(user=teacher_of_school, school=school)
    return {
        "district staff": district_staff(mfa=False),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "officer of the case's school": officer_of(school, mfa=False),
        "officer of another school": officer_of(SchoolFactory(), mfa=False),
        "teacher of the case's school (no officer role)": teacher_of_school,
        "parent": UserFactory(role=Role.PARENT),
        "visitor (not signed in)": AnonymousUser(),
    }


class _Undo(Exception):
    """Rolls a cell's step back, so the next cell finds the case as it was built."""


def _refusal(step: str, case: BullyingReport, actor, handler) -> Exception | None:
    """What refused the step, or None when it was taken."""
    try:
        with transaction.atomic():
            STEPS[step](case, actor, handler)
            raise _Undo
    except _Undo:
        return None
    except (PermissionDenied, WorkflowError) as refused:
        return refused


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_a_step_is_offered_exactly_when_it_would_be_taken(variant):
    school = SchoolFactory()
    actors = _actors(school)
    case = _case(variant, school, actors["officer of the case's school"])
    handler = actors["district staff"]

    wrong = []
    for actor_name, actor in actors.items():
        offered = services.available_actions(case, user=actor)
        assert set(offered) <= set(STEPS), f"{actor_name}: unknown steps offered: {offered}"
        for step in STEPS:
            refused = _refusal(step, case, actor, handler)
            if (step in offered) != (refused is None):
                outcome = "taken" if refused is None else f"refused ({type(refused).__name__}: {refused})"
                wrong.append(f"{variant.name} × {step} × {actor_name}: offered={step in offered}, {outcome}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_covers_every_state_and_every_step_of_the_case_page():
    from schools.views import ACTION_FORMS

    assert {variant.state for variant in VARIANTS} == set(State.values)
    assert set(STEPS) == set(ACTION_FORMS)


def test_every_step_refused_for_its_state_says_so_in_words():
    from schools.services.workflow import ALL_STATES

    wordless = [row.step for row in services.WORKFLOW if row.from_states != ALL_STATES and row.done is None]
    assert wordless == ["submit"]  # a second submit returns the case instead of refusing


def test_transitions_names_the_state_changing_steps_of_the_case_page():
    changing = [row.step for row in services.WORKFLOW if row.to_state is not None and row.on_case_page]
    assert list(services.TRANSITIONS) == changing
