"""Timeline entries written on behalf of apps above schools (family-guidance progress).

They go through here rather than by writing ``CaseEvent`` rows themselves, so the case timeline
keeps one writer. The text must name no one: it is shown to everyone who may see the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import BullyingReport, CaseEvent

if TYPE_CHECKING:
    from accounts.models import User


def add_guidance_event(report: BullyingReport, *, text: str, by: User | None = None) -> CaseEvent:
    """A "family guidance" entry on the case's timeline (plan created, course finished, …)."""
    return CaseEvent.objects.create(report=report, kind=CaseEvent.Kind.GUIDANCE, actor=by, reason=text[:500])
