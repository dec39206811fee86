"""The admin report of searches that found nothing and of searches whose results nobody clicked,
with one-click synonym and promotion links."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import clicks, retention


def unanswered(request):
    return TemplateResponse(
        request,
        "search/admin/unanswered.html",
        {
            "page_title": _("Searches that found nothing"),
            "header_icon": "search",
            "rows": retention.unanswered_report(),
            "unclicked": clicks.unclicked_report(),
            "days": retention.retention_days(),
            "reveal": retention.REVEAL_AFTER,
        },
    )
