"""The guidance panel on a case page (``schools.case_panels``): the case's plans, and the button
to create one for whoever may (the handler or district staff, once the case decided on
family-education guidance)."""

from __future__ import annotations

from typing import Any

from schools import case_panels

from . import selectors


def case_panel(request: Any, report: Any) -> dict[str, Any] | None:
    plans = list(selectors.plans_of_case(report))
    may_create = selectors.may_create_plan(request.user, report)
    if not plans and not may_create:
        return None
    return {"template": "guidance/includes/case_panel.html", "plans": plans, "may_create": may_create, "report": report}


case_panels.register(case_panel)
