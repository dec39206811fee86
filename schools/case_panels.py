"""What other apps add to a case page, without schools importing them.

An app above schools (e.g. ``guidance``: the family-guidance plans of a case) registers a
provider in its ``AppConfig.ready``; the case page asks every provider and renders what each
returns (a template and its context) below the case's facts. A provider is given the request
and a case the viewer may already see, and decides itself what, if anything, that viewer sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import BullyingReport

Provider = Callable[["HttpRequest", "BullyingReport"], "dict[str, Any] | None"]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(request: HttpRequest, report: BullyingReport) -> list[dict[str, Any]]:
    """Each registered provider's panel (``{"template": …, …}``) for this viewer, in order."""
    return [panel for provider in _providers if (panel := provider(request, report)) is not None]
