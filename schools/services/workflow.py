"""The case workflow as one table: which step may be taken in which state, by whom, on what facts.

Each row of ``WORKFLOW`` (a ``Transition``) names a step, the states it may be taken in, the
state it leads to (None: the case stays where it is), the party that may take it, and optionally
a condition on the case with the message shown when the condition fails. The steps guard
themselves with ``check`` (under their row lock) and the case page's action menu is
``available_actions``: both read these rows only, so the page offers exactly the steps that
would be taken (``tests/schools/test_transitions.py`` proves it for every state, step and actor).

``check`` asks in a fixed order, the same for every step:

1. the actor — not a party to this step: ``PermissionDenied``;
2. the state — ``WorkflowError`` "This case is “<state>”, so it cannot be <done> now.";
3. the condition — ``WorkflowError`` with the row's ``refusal`` (the state message when none).

What a step's own input must hold (a determination, the measures, a reason) the step checks
itself after ``check``. Rows are in the order the case page offers the steps.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import BullyingReport, Determination, State
from ..selectors import is_district, is_school_actor, is_signed_in
from .errors import WorkflowError

if TYPE_CHECKING:
    from accounts.models import User

    from ..selectors import Actor


class Party(enum.Enum):
    """Who may take a step: district staff (superusers included), the case's school, or either."""

    DISTRICT = "district"
    SCHOOL = "school"
    DISTRICT_OR_SCHOOL = "district or school"

    def includes(self, *, district: bool, school: bool) -> bool:
        if self is Party.DISTRICT:
            return district
        if self is Party.SCHOOL:
            return school
        return district or school

    def admits(self, user: Actor, *, report: BullyingReport) -> bool:
        """Whether ``user`` is this party on ``report``, asking only what the answer needs."""
        school = self is not Party.DISTRICT and is_school_actor(user, report)
        district = self is not Party.SCHOOL and not school and is_district(user)
        return self.includes(district=district, school=school)


@dataclass(frozen=True)
class Transition:
    """One step of the case workflow; see the module docstring for how a row is read."""

    step: str
    from_states: frozenset[State]
    to_state: State | None
    who: Party
    # The step in the words of "… so it cannot be <done> now"; None where that is never said
    # (a step allowed in every state, or one that answers a repeat instead of refusing it).
    done: str | Promise | None = None
    condition: Callable[[BullyingReport], bool] | None = None
    # The message when ``condition`` fails; None: the wrong-state message.
    refusal: Callable[[BullyingReport], str] | None = None
    # False for a step taken elsewhere than from the case page's menu (submitting a draft).
    on_case_page: bool = True

    def allows(self, report: BullyingReport) -> bool:
        """Whether the case's state and facts allow the step (who takes it aside)."""
        return report.state in self.from_states and (self.condition is None or self.condition(report))


def _within_review_period(report: BullyingReport) -> bool:
    limit = datetime.timedelta(days=settings.SCHOOLS_REVIEW_REQUEST_DAYS)
    return report.closed_at is not None and timezone.now() <= report.closed_at + limit


def _review_period_over(report: BullyingReport) -> str:
    return _("A review can only be asked for within %(days)s days of closing.") % {
        "days": settings.SCHOOLS_REVIEW_REQUEST_DAYS
    }


def _closable(report: BullyingReport) -> bool:
    """A handled case, or a determined one where the committee found no bullying."""
    return report.state == State.HANDLING or report.determination != Determination.BULLYING


def _is_anonymous(report: BullyingReport) -> bool:
    return report.source == BullyingReport.Source.ANONYMOUS


def _not_anonymous(report: BullyingReport) -> str:
    return _("Only anonymous reports have a reporter to write to.")


ALL_STATES = frozenset(State)
SUBMITTED_STATES = ALL_STATES - {State.DRAFT}

WORKFLOW: tuple[Transition, ...] = (
    # Submitting is the draft form's button, not a menu step; a second submit returns the case.
    Transition(
        "submit", from_states=frozenset({State.DRAFT}), to_state=State.SUBMITTED, who=Party.SCHOOL, on_case_page=False
    ),
    Transition(
        "acknowledge",
        from_states=frozenset({State.SUBMITTED}),
        to_state=State.ACKNOWLEDGED,
        who=Party.DISTRICT,
        done=gettext_lazy("acknowledged"),
    ),
    Transition(
        "start_investigation",
        from_states=frozenset({State.ACKNOWLEDGED, State.REVIEW_REQUESTED}),
        to_state=State.INVESTIGATING,
        who=Party.SCHOOL,
        done=gettext_lazy("investigated"),
    ),
    Transition(
        "determine",
        from_states=frozenset({State.INVESTIGATING}),
        to_state=State.DETERMINED,
        who=Party.SCHOOL,
        done=gettext_lazy("determined"),
    ),
    Transition(
        "start_handling",
        from_states=frozenset({State.DETERMINED}),
        to_state=State.HANDLING,
        who=Party.SCHOOL,
        done=gettext_lazy("handled"),
    ),
    Transition(
        "close",
        from_states=frozenset({State.HANDLING, State.DETERMINED}),
        to_state=State.CLOSED,
        who=Party.DISTRICT_OR_SCHOOL,
        done=gettext_lazy("closed"),
        condition=_closable,
    ),
    Transition(
        "request_review",
        from_states=frozenset({State.CLOSED}),
        to_state=State.REVIEW_REQUESTED,
        who=Party.DISTRICT_OR_SCHOOL,
        done=gettext_lazy("reviewed"),
        condition=_within_review_period,
        refusal=_review_period_over,
    ),
    Transition(
        "assign_handler",
        from_states=SUBMITTED_STATES,
        to_state=None,
        who=Party.DISTRICT,
        done=gettext_lazy("assigned"),
    ),
    Transition(
        "add_consultation",
        from_states=SUBMITTED_STATES,
        to_state=None,
        who=Party.DISTRICT,
        done=gettext_lazy("discussed in a consultation"),
    ),
    # Any state: anonymous reports are never drafts (they are filed straight into the queue).
    # The district only: the thread with the reporter is private to the district, since a child
    # may be afraid of their own school (the school reads the district's summary instead).
    Transition(
        "reply_to_reporter",
        from_states=ALL_STATES,
        to_state=None,
        who=Party.DISTRICT,
        condition=_is_anonymous,
        refusal=_not_anonymous,
    ),
    Transition(
        "add_note",
        from_states=SUBMITTED_STATES,
        to_state=None,
        who=Party.DISTRICT_OR_SCHOOL,
        done=gettext_lazy("given notes"),
    ),
)

_BY_STEP: dict[str, Transition] = {transition.step: transition for transition in WORKFLOW}


def transition(step: str) -> Transition:
    """The row of ``step``; a ``KeyError`` for a step the workflow does not have."""
    return _BY_STEP[step]


def require_party(step: str, *, report: BullyingReport, by: Actor) -> User:
    """``PermissionDenied`` unless ``by`` is a party that may take ``step`` on ``report``.

    Returns ``by``, known from here on to be a signed-in user (every party is).
    """
    return _require_party(transition(step), report=report, by=by)


def _require_party(row: Transition, *, report: BullyingReport, by: Actor) -> User:
    if not (row.who.admits(by, report=report) and is_signed_in(by)):
        raise PermissionDenied(_("You cannot do this on this case."))
    return by


def _wrong_state(report: BullyingReport, row: Transition) -> WorkflowError:
    return WorkflowError(
        _("This case is “%(state)s”, so it cannot be %(step)s now.")
        % {"state": report.get_state_display(), "step": row.done or row.step}
    )


def check(step: str, *, report: BullyingReport, by: Actor) -> User:
    """Refuses ``step`` on ``report`` by ``by``: the actor, then the state, then the condition.

    Call it on the locked row. Raises ``PermissionDenied`` or ``WorkflowError``; returns ``by``,
    known from here on to be a signed-in user.
    """
    row = transition(step)
    user = _require_party(row, report=report, by=by)
    if report.state not in row.from_states:
        raise _wrong_state(report, row)
    if row.condition is not None and not row.condition(report):
        if row.refusal is not None:
            raise WorkflowError(row.refusal(report))
        raise _wrong_state(report, row)
    return user


def available_actions(report: BullyingReport, *, user: Actor) -> list[str]:
    """The steps ``user`` may take on ``report`` now, in the order the case page offers them."""
    district = is_district(user)
    school = is_school_actor(user, report)
    return [
        row.step
        for row in WORKFLOW
        if row.on_case_page and row.who.includes(district=district, school=school) and row.allows(report)
    ]
