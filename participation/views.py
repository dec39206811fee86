"""Views of parent schools: thin — forms validate, ``participation.services`` decides.

Who sees what (``participation.selectors`` for the figures):

- a parent: their own profile, children and classes (``profile``, ``join``);
- a head teacher: their classes, with the names of the parents who joined (to follow up), the
  codes, the poster, assignments and reminders; a school officer: the same for every class of
  their school; district staff: every class;
- child directors and supervisors: their street's figures only (``stats``), never a name: they
  follow up the families they already serve through the workstation's own records, not here;
- the statistics and their exports carry no names at any scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import ratelimit
from participation import services
from participation.forms import ChildForm, JoinForm, ProfileForm
from participation.models import Child


@login_required
@never_cache
def profile(request):
    """The parent's profile: name, street, children, with the notice of what is kept and why."""
    current = services.profile_of(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.save_profile(
                    parent=request.user,
                    name=form.cleaned_data["name"],
                    street=form.cleaned_data["street"],
                    consent=form.cleaned_data["consent"],
                )
            except services.ParticipationError as error:
                form.add_error("consent", error.message)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("participation:profile")
    else:
        form = ProfileForm(
            initial={"name": request.user.name, "street": current.street if current else None, "consent": False}
        )
    children = Child.objects.filter(parent=request.user).select_related("school", "school_class__parent_school__school")
    return render(
        request,
        "participation/profile.html",
        {
            "form": form,
            "child_form": ChildForm(),
            "children": children,
            "consented": bool(current and current.consented_at),
            "join_form": JoinForm(),
        },
    )


@login_required
@require_POST
def child_add(request):
    form = ChildForm(request.POST)
    if form.is_valid():
        try:
            services.add_child(
                parent=request.user, school=form.cleaned_data["school"], grade=form.cleaned_data["grade"]
            )
        except services.ParticipationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The child is added to your profile."))
    else:
        messages.error(request, _("Please choose a school and a grade from the lists."))
    return redirect("participation:profile")


@login_required
@require_POST
def child_remove(request, pk: int):
    try:
        services.remove_child(parent=request.user, child_id=pk)
    except services.ParticipationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The child is removed: nothing about them is kept."))
    return redirect("participation:profile")


def _join(request, code: str):
    try:
        child = services.join_class(parent=request.user, code=code, consent=True, client=ratelimit.client(request))
    except services.ParticipationError as error:
        return None, error.message
    return child, ""


@login_required
@never_cache
def join(request):
    """Type a class code (or arrive from the poster's QR with it in the address) and join."""
    error = ""
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            child, error = _join(request, form.cleaned_data["code"])
            if child is not None:
                messages.success(request, _("You joined %(class)s.") % {"class": child.school_class})
                return redirect("participation:profile")
            form.add_error("code", error)
    else:
        form = JoinForm()
    return render(request, "participation/join.html", {"form": form})


@login_required
@never_cache
def join_code(request, code: str):
    """The page a poster's QR code opens: the class named, one button to join (the second tap)."""
    school_class = services.find_class(code)
    live = school_class is not None and services.code_is_live(school_class)
    already = live and Child.objects.filter(parent=request.user, school_class=school_class).exists()
    form = JoinForm(initial={"code": code})
    return render(
        request,
        "participation/join.html",
        {
            "form": form,
            "school_class": school_class if live else None,
            "code": services.normalise_code(code),
            "unknown": not live,
            "already": already,
        },
        status=200 if live else 404,
    )
