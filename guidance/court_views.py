"""District staff's page of courts and their liaisons (``staff_area``: second factor required).

One page lists the courts with their liaisons and takes a new court; each court's form adds a
liaison account scoped to it; a liaison is removed with one POST. Rules: ``services.courts``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import staff_area
from core.errors import DomainError

from . import selectors, services
from .forms import CourtForm, LiaisonForm
from .models import Court, CourtLiaison


def _require(request) -> None:
    if not selectors.may_manage_courts(request.user):
        raise PermissionDenied


def _page(request, *, court_form=None, liaison_form=None, for_court=None, status=200):
    courts = list(selectors.courts_with_liaisons())
    for court in courts:
        court.liaison_form = liaison_form if for_court == court.pk else LiaisonForm(auto_id=f"court-{court.pk}-%s")
    context = {"courts": courts, "court_form": court_form or CourtForm()}
    return render(request, "guidance/courts.html", context, status=status)


@staff_area
@never_cache
@require_http_methods(["GET", "POST"])
def courts(request):
    _require(request)
    form = CourtForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            court = services.add_court(by=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("%(court)s is listed.") % {"court": court.name})
            return redirect("guidance:courts")
    return _page(request, court_form=form, status=400 if form.errors else 200)


@staff_area
@require_POST
def liaison_new(request, pk: int):
    _require(request)
    court = get_object_or_404(Court, pk=pk)
    form = LiaisonForm(request.POST, auto_id=f"court-{court.pk}-%s")
    if form.is_valid():
        try:
            services.add_liaison(
                by=request.user, court=court, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"]
            )
        except DomainError as error:
            form.add_error("phone", error.message)
        else:
            messages.success(
                request, _("The liaison of %(court)s is added and told by text message.") % {"court": court.name}
            )
            return redirect("guidance:courts")
    return _page(request, liaison_form=form, for_court=court.pk, status=400)


@staff_area
@require_POST
def liaison_remove(request, pk: int):
    _require(request)
    link = get_object_or_404(CourtLiaison.objects.select_related("user", "court"), pk=pk)
    services.remove_liaison(by=request.user, link=link)
    messages.success(request, _("The liaison's access has ended."))
    return redirect("guidance:courts")
