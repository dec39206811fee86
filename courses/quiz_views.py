"""Thin views behind ``QuizPage``'s routes; the rules are in ``courses.quizzes``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import quizzes
from courses.models import QuizAttempt, QuizPage


def _urls(quiz: QuizPage, request, attempt: QuizAttempt | None = None) -> dict:
    base = quiz.get_url(request)
    urls = {"start_url": base + quiz.reverse_subpage("start")}
    if attempt is not None:
        urls.update(
            save_url=base + quiz.reverse_subpage("save", args=[attempt.pk]),
            submit_url=base + quiz.reverse_subpage("submit", args=[attempt.pk]),
            result_url=base + quiz.reverse_subpage("result", args=[attempt.pk]),
        )
    return urls


def quiz(page: QuizPage, request):
    """The quiz: its rules and past attempts, or the attempt in progress (a reload resumes it)."""
    if getattr(request, "is_preview", False) or not request.user.is_authenticated:
        if not getattr(request, "is_preview", False):
            return redirect_to_login(request.get_full_path())
        return TemplateResponse(request, "courses/quiz_page.html", page.get_context(request))
    enrolment = quizzes.active_enrolment(request.user, page)
    course = quizzes.course_of_quiz(page)
    if enrolment is None:
        messages.info(request, _("Enrol in the course to take its quiz."))
        return redirect(course.url)
    context = page.get_context(request)
    attempt = quizzes.open_attempt(page, request.user)
    context.update(
        course=course,
        attempt=attempt,
        past_attempts=list(QuizAttempt.objects.filter(quiz=page, parent=request.user, submitted_at__isnull=False)),
        passed=quizzes.has_passed(page, request.user),
        attempts_left=quizzes.attempts_left(page, request.user),
        **_urls(page, request, attempt),
    )
    if attempt is not None:
        context["questions"] = quizzes.shown_questions(attempt)
        if attempt.deadline is not None:
            context["seconds_left"] = max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
    return TemplateResponse(request, "courses/quiz_page.html", context)


def start(page: QuizPage, request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    try:
        quizzes.start_attempt(request.user, page)
    except quizzes.QuizError as error:
        messages.error(request, error.message)
    return redirect(page.get_url(request))


def _own_attempt(page: QuizPage, request, attempt_id: int) -> QuizAttempt:
    attempt = QuizAttempt.objects.filter(pk=attempt_id, quiz=page, parent=request.user).first()
    if attempt is None:
        raise Http404
    return attempt


def save_answers(page: QuizPage, request, attempt_id: int):
    """Autosave from quiz.js; the response says only what was saved, never what is correct."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login required"}, status=403)
    attempt = _own_attempt(page, request, attempt_id)
    try:
        quizzes.save_answers(request.user, attempt.pk, quizzes.read_answers(attempt, request.POST))
    except quizzes.QuizError as error:
        return JsonResponse({"saved": False, "error": error.message}, status=409)
    return JsonResponse({"saved": True})


def submit(page: QuizPage, request, attempt_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    attempt = _own_attempt(page, request, attempt_id)
    attempt = quizzes.submit_attempt(request.user, attempt.pk, quizzes.read_answers(attempt, request.POST))
    if attempt.late:
        messages.warning(request, _("The time was up: answers given after the time limit were not counted."))
    return redirect(page.get_url(request) + page.reverse_subpage("result", args=[attempt.pk]))


def _payoff(request, course) -> dict:
    """What a pass leads to: the certificate when the course is complete, else what is left to do."""
    from courses.page_context import course_progress

    progress = course_progress(request.user, course)  # with the certificate, once the course is complete
    summary = progress["summary"]
    return {
        "certificate": progress.get("certificate"),
        "course_completed": summary is not None and summary.enrolment.completed_at is not None,
        "next_lesson": summary.next_lesson if summary is not None else None,
        "next_quiz": summary.next_quiz if summary is not None else None,
    }


def result(page: QuizPage, request, attempt_id: int):
    """Score, pass or fail and every question's explanation, once the attempt is submitted."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = _own_attempt(page, request, attempt_id)
    if not attempt.is_submitted:
        return redirect(page.get_url(request))
    course = quizzes.course_of_quiz(page)
    context = page.get_context(request)
    if attempt.passed:
        context.update(_payoff(request, course))
    context.update(
        course=course,
        attempt=attempt,
        reviewed=quizzes.reviewed_questions(attempt),
        attempts_left=quizzes.attempts_left(page, request.user),
        passed=quizzes.has_passed(page, request.user),
        **_urls(page, request),
    )
    return TemplateResponse(request, "courses/quiz_result.html", context)
