"""The bodies of the course pages' routes: the pages route (``@path`` methods on the page
classes in ``courses.models.pages``), this module handles, calling ``courses.services`` (changes) and
``courses.page_context`` (what a page shows).

Each function takes the page first, then the request, as its route method does.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page


def my_courses(page, request):
    """我的课程: the parent's enrolments with progress, next lesson and deadlines."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    from courses.page_context import my_courses_overview
    from courses.reminders import optional_reminders_on

    context = Page.get_context(page, request)
    context.update(my_courses_overview(request.user, page))
    url = page.get_url(request)
    context.update(
        optional_reminders=optional_reminders_on(request.user),
        reminders_url=url + page.reverse_subpage("reminder_preference"),
    )
    return TemplateResponse(request, "courses/my_courses.html", context)


def reminder_preference(page, request):
    """Turns the optional "due soon" reminders on or off; overdue notices always go."""
    from courses.reminders import set_optional_reminders

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    enabled = request.POST.get("optional_reminders") == "on"
    set_optional_reminders(request.user, enabled)
    if enabled:
        messages.success(request, _("You will get a reminder 3 days before a deadline."))
    else:
        messages.success(
            request, _("Reminders before deadlines are off. You will still be told when a course is overdue.")
        )
    return redirect(page.url + page.reverse_subpage("my_courses"))


def enrol(page, request):
    from core import ratelimit
    from courses import services

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    try:
        enrolment = services.enrol(
            request.user, page, code=request.POST.get("code", ""), client=ratelimit.client(request)
        )
    except services.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        if enrolment.is_waitlisted:
            messages.info(request, _("The course is full. You are on the waitlist and will get the next free seat."))
        else:
            messages.success(request, _("You are enrolled. Start with the first lesson below."))
    return redirect(page.url)


def leave(page, request):
    from courses import services

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    if request.POST.get("confirm") != "yes":
        # Leaving is asked twice (the course page's 「退出本课程」 opens the question).
        messages.info(request, _("Confirm that you want to leave the course."))
        return redirect(page.url)
    try:
        services.leave(request.user, page)
    except services.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have left the course. Your progress is kept if you come back."))
    return redirect(page.url)


def lesson(page, request, *args, **kwargs):
    from courses.page_context import lesson_context

    previewing = getattr(request, "is_preview", False)
    # A preview must not start anyone's reading clock, so it is built as for a visitor.
    extra = lesson_context(AnonymousUser() if previewing else request.user, page)
    if not previewing and not page.can_read(request.user, extra["enrolment"]):
        if request.user.is_authenticated:
            messages.info(request, _("Enrol in the course to read its lessons."))
            return redirect(extra["course"].url)
        return redirect_to_login(request.get_full_path())
    context = page.get_context(request, *args, **kwargs)
    context.update(extra, complete_url=page.get_url(request) + page.reverse_subpage("complete"))
    return TemplateResponse(request, page.get_template(request), context)


def complete_lesson(page, request):
    from courses import services

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    try:
        services.mark_text_lesson_done(request.user, page)
    except services.ProgressError as error:
        messages.error(request, error.message)
        return redirect(page.url)
    messages.success(request, _("Lesson completed."))
    following = services.next_lesson_after(page)
    if following is None:
        # After the last lesson, the course's quiz is what is left to do.
        course = page.get_parent().specific
        following = course.quizzes().first() or course
    return redirect(following.url)


def lesson_progress(page, request):
    """Receives watched intervals and the resume point from the player (see lesson-progress.js)."""
    from courses import services

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login required"}, status=403)
    try:
        intervals = services.parse_intervals(request.POST.get("intervals", "[]"))
        position = float(request.POST.get("position", "0") or 0)
        progress = services.record_watched(request.user, page, intervals=intervals, position=position)
    except (ValueError, services.ProgressError) as error:
        return JsonResponse({"error": str(getattr(error, "message", error))}, status=400)
    from courses.page_context import watched_percent

    return JsonResponse(
        {
            "watched_seconds": round(progress.watched_seconds, 1),
            "watched_percent": watched_percent(progress, page),
            "position": progress.position_seconds,
            "completed": progress.is_completed,
        }
    )


def offline_progress(page, request):
    """Receives one entry of the progress queued on a phone while offline (offline-lessons.js).

    ``403`` when signed out (the phone keeps the entry until someone is signed in again);
    ``409`` with ``retry_after`` when a rule is not met *yet* (a 「完成」 before the reading time
    is over: the phone keeps the entry with the reason, shows it on 已离线保存 and sends it again
    with the next progress); ``400`` when a rule refuses it for good (the phone drops it).
    The rules are in ``courses.services.offline``.
    """
    from courses import services

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login required"}, status=403)
    try:
        entry = services.QueuedProgress(
            token=request.POST.get("token", ""),
            intervals=services.parse_intervals(request.POST.get("intervals", "[]") or "[]"),
            position=float(request.POST.get("position", "0") or 0),
            done=request.POST.get("done") == "1",
        )
        progress = services.record_queued_progress(request.user, page, entry=entry)
    except services.TooEarly as error:
        response = JsonResponse(
            {"error": str(error.message), "retry": True, "retry_after": error.retry_after}, status=409
        )
        response["Retry-After"] = str(error.retry_after)
        return response
    except (ValueError, services.ProgressError) as error:
        return JsonResponse({"error": str(getattr(error, "message", error))}, status=400)
    from courses.page_context import watched_percent

    return JsonResponse(
        {
            "completed": progress.is_completed,
            "watched_percent": watched_percent(progress, page) if page.is_media else None,
        }
    )
