"""Every rule about quizzes: drawing questions, time limits and grading, in one place.

Drawing
    An attempt draws ``QuizPage.question_count`` live questions from the bank, filtered by the
    quiz's topics and difficulty. Questions the parent has not seen in an earlier attempt of
    this quiz come first (shuffled); seen ones fill the rest (shuffled). The question order,
    each question's option order and the live revision of each question are stored with the
    attempt (``QuizAnswer``), so grading uses exactly what the parent saw.

Time limit
    ``deadline = started_at + time_limit``, set on the server when the attempt starts. Answers
    are saved (``save_answers``) only before the deadline. A submission that arrives after
    it (beyond ``SUBMIT_GRACE_SECONDS`` for the network) does not count its answers: the
    attempt is graded **as of the deadline**, with what was saved by then, and marked late.
    An open attempt whose deadline passed is graded the same way when the parent next opens
    the quiz.

Scoring
    Every question is worth one point. A single-choice or true/false question is correct when
    the one selected option is the correct one. A **multiple-choice question is all-or-nothing**:
    it is correct only when the selected options are exactly the set of correct options — one
    missing or one extra option scores zero, so guessing "select all" never earns points.
    ``score_percent = round(100 * correct / questions)``; the attempt passes when it reaches the
    quiz's ``pass_mark_percent``.

Once
    Grading runs in a transaction holding ``select_for_update`` on the attempt row and returns
    early when the attempt is already submitted, so a double submit grades once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from courses.models import CoursePage, Enrolment, Question, QuizAnswer, QuizAttempt, QuizPage

SUBMIT_GRACE_SECONDS = 5


class QuizError(DomainError):
    """A rule refused a quiz action; ``message`` is shown to the parent."""


def course_of_quiz(quiz: QuizPage) -> CoursePage:
    return CoursePage.objects.get(path=quiz.path[: -quiz.steplen])


def active_enrolment(parent, quiz: QuizPage) -> Enrolment | None:
    return Enrolment.objects.filter(course=course_of_quiz(quiz), parent=parent, status=Enrolment.Status.ACTIVE).first()


def question_pool(quiz: QuizPage):
    """Live questions this quiz may draw, with a live revision to record."""
    return pool_for(topic_ids=list(quiz.topics.values_list("pk", flat=True)), difficulty=quiz.difficulty)


def pool_for(*, topic_ids: list[int], difficulty: int | None):
    """Live questions of any of ``topic_ids`` (none: every topic) at ``difficulty`` (None: any).

    The quiz form asks it before saving: a quiz may not promise more questions than its pool
    holds (``QuizPageForm``), or a parent would be told 「共 30 题」 and given 10.
    """
    questions = Question.objects.filter(live=True, live_revision__isnull=False)
    if topic_ids:
        questions = questions.filter(topic_id__in=topic_ids)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    return questions


def draw_questions(quiz: QuizPage, parent, rng: random.Random | None = None) -> list[Question]:
    """Unseen questions first, then seen ones, each group shuffled; ``question_count`` at most."""
    rng = rng or random.SystemRandom()
    pool = list(question_pool(quiz).select_related("live_revision"))
    seen = set(
        QuizAnswer.objects.filter(attempt__quiz=quiz, attempt__parent=parent).values_list("question_id", flat=True)
    )
    unseen = [question for question in pool if question.pk not in seen]
    again = [question for question in pool if question.pk in seen]
    rng.shuffle(unseen)
    rng.shuffle(again)
    return (unseen + again)[: quiz.question_count]


def attempts_used(quiz: QuizPage, parent) -> int:
    return QuizAttempt.objects.filter(quiz=quiz, parent=parent).count()


def has_passed(quiz: QuizPage, parent) -> bool:
    return QuizAttempt.objects.filter(quiz=quiz, parent=parent, passed=True).exists()


def attempts_left(quiz: QuizPage, parent) -> int | None:
    """None means unlimited."""
    if not quiz.max_attempts:
        return None
    return max(quiz.max_attempts - attempts_used(quiz, parent), 0)


def open_attempt(quiz: QuizPage, parent, now: datetime | None = None) -> QuizAttempt | None:
    """The attempt in progress, if any; one whose time is up is graded first (and not returned)."""
    attempt = QuizAttempt.objects.filter(quiz=quiz, parent=parent, submitted_at__isnull=True).first()
    if attempt is not None and attempt.deadline is not None and (now or timezone.now()) > attempt.deadline:
        submit_attempt(parent, attempt.pk, None, now=now)
        return None
    return attempt


def start_attempt(parent, quiz: QuizPage, now: datetime | None = None, rng: random.Random | None = None) -> QuizAttempt:
    """Starts a new attempt, or returns the one in progress (a reload or second tab resumes it)."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    existing = open_attempt(quiz, parent, now)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            enrolment = (
                Enrolment.objects.select_for_update()
                .filter(course=course_of_quiz(quiz), parent=parent, status=Enrolment.Status.ACTIVE)
                .first()
            )
            if enrolment is None:
                raise QuizError(_("Enrol in the course to take its quiz."))
            existing = QuizAttempt.objects.filter(quiz=quiz, parent=parent, submitted_at__isnull=True).first()
            if existing is not None:
                return existing
            if has_passed(quiz, parent):
                raise QuizError(_("You have already passed this quiz."))
            left = attempts_left(quiz, parent)
            if left == 0:
                raise QuizError(_("You have used all your attempts for this quiz."))
            questions = draw_questions(quiz, parent, rng)
            if not questions:
                raise QuizError(_("This quiz has no questions yet. Please try again later."))
            deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
            attempt = QuizAttempt.objects.create(
                quiz=quiz,
                parent=parent,
                number=attempts_used(quiz, parent) + 1,
                started_at=now,
                deadline=deadline,
                question_total=len(questions),
            )
            answers = []
            for position, question in enumerate(questions, start=1):
                option_ids = [option["id"] for option in question.live_revision.as_object().option_list()]
                if question.kind != Question.Kind.TRUE_FALSE:
                    rng.shuffle(option_ids)
                answers.append(
                    QuizAnswer(
                        attempt=attempt,
                        question=question,
                        revision=question.live_revision,
                        position=position,
                        option_order=option_ids,
                    )
                )
            QuizAnswer.objects.bulk_create(answers)
            return attempt
    except IntegrityError:
        # Another request started the attempt at the same moment: resume that one.
        existing = QuizAttempt.objects.filter(quiz=quiz, parent=parent, submitted_at__isnull=True).first()
        if existing is None:
            raise
        return existing


@dataclass
class ShownQuestion:
    """A drawn question as the parent sees it: no correct flags, no explanation."""

    answer: QuizAnswer
    number: int
    text: str
    kind: str
    options: list[dict]  # [{"id", "text"}] in the attempt's order
    selected: list[str]

    @property
    def is_multiple(self) -> bool:
        return self.kind == Question.Kind.MULTIPLE


def _questions_by_revision(answers) -> dict[int, Question]:
    return {answer.revision_id: answer.revision.as_object() for answer in answers}


def shown_questions(attempt: QuizAttempt) -> list[ShownQuestion]:
    """What the quiz form renders: texts and options only (the answer key stays here)."""
    answers = list(attempt.answers.select_related("revision").order_by("position"))
    questions = _questions_by_revision(answers)
    shown = []
    for answer in answers:
        question = questions[answer.revision_id]
        texts = {option["id"]: option["text"] for option in question.option_list()}
        shown.append(
            ShownQuestion(
                answer=answer,
                number=answer.position,
                text=question.text,
                kind=question.kind,
                options=[{"id": option_id, "text": texts[option_id]} for option_id in answer.option_order],
                selected=list(answer.selected),
            )
        )
    return shown


def read_answers(attempt: QuizAttempt, data) -> dict[int, list[str]]:
    """Answers from a form (``q<position>`` fields), limited to the options actually shown."""
    answers = {}
    for answer in attempt.answers.all():
        values = data.getlist(f"q{answer.position}") if hasattr(data, "getlist") else data.get(answer.position, [])
        allowed = set(answer.option_order)
        picked = [value for value in values if value in allowed]
        answers[answer.position] = list(dict.fromkeys(picked))
    return answers


def _store(answer: QuizAnswer, picked: list[str], kind: str) -> None:
    if kind != Question.Kind.MULTIPLE:
        picked = picked[:1]
    answer.selected = picked
    answer.save(update_fields=["selected"])


@transaction.atomic
def save_answers(parent, attempt_id: int, answers: dict[int, list[str]], now: datetime | None = None) -> QuizAttempt:
    """Saves answers in progress (a reload restores them); refused after the deadline."""
    now = now or timezone.now()
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt_id, parent=parent)
    if attempt.is_submitted:
        raise QuizError(_("This attempt has already been submitted."))
    if attempt.deadline is not None and now > attempt.deadline:
        raise QuizError(_("The time for this attempt is up."))
    rows = list(attempt.answers.select_related("revision"))
    kinds = {row.revision_id: row.revision.content.get("kind") for row in rows}
    for row in rows:
        if row.position in answers:
            _store(row, answers[row.position], kinds[row.revision_id])
    return attempt


def is_correct(question: Question, selected: list[str]) -> bool:
    """All-or-nothing: the selected set must equal the set of correct options (see module docs)."""
    return bool(selected) and set(selected) == question.correct_ids()


def submit_attempt(
    parent, attempt_id: int, answers: dict[int, list[str]] | None, now: datetime | None = None
) -> QuizAttempt:
    """Grades the attempt once; a late submission is graded as of the deadline (see module docs)."""
    from courses import services

    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt_id, parent=parent)
        if attempt.is_submitted:
            return attempt
        rows = list(attempt.answers.select_related("revision").order_by("position"))
        questions = _questions_by_revision(rows)
        late = attempt.deadline is not None and now > attempt.deadline + timedelta(seconds=SUBMIT_GRACE_SECONDS)
        correct = 0
        for row in rows:
            question = questions[row.revision_id]
            if answers is not None and not late and row.position in answers:
                _store(row, answers[row.position], question.kind)
            row.is_correct = is_correct(question, row.selected)
            row.save(update_fields=["is_correct"])
            correct += row.is_correct
        total = len(rows)
        attempt.correct_count = correct
        attempt.question_total = total
        attempt.score_percent = round(100 * correct / total) if total else 0
        attempt.passed = attempt.score_percent >= attempt.quiz.pass_mark_percent
        attempt.late = late or (answers is None and attempt.deadline is not None and now > attempt.deadline)
        attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline and now > attempt.deadline else now
        attempt.save()
        if attempt.passed:
            enrolment = Enrolment.objects.filter(
                course=course_of_quiz(attempt.quiz), parent=parent, status=Enrolment.Status.ACTIVE
            ).first()
            if enrolment is not None:
                services.update_course_completion(enrolment, now=now)
    return attempt


@dataclass
class ReviewedQuestion:
    """A graded question with the parent's answer, the correct options and the explanation."""

    number: int
    text: str
    kind: str
    options: list[dict]  # [{"id", "text", "correct", "selected"}]
    is_correct: bool
    explanation: str


def reviewed_questions(attempt: QuizAttempt) -> list[ReviewedQuestion]:
    """Feedback after submission; refuses to build it for an attempt still in progress."""
    if not attempt.is_submitted:
        raise QuizError(_("Submit the attempt to see the answers."))
    rows = list(attempt.answers.select_related("revision").order_by("position"))
    questions = _questions_by_revision(rows)
    reviewed = []
    for row in rows:
        question = questions[row.revision_id]
        by_id = {option["id"]: option for option in question.option_list()}
        reviewed.append(
            ReviewedQuestion(
                number=row.position,
                text=question.text,
                kind=question.kind,
                options=[{**by_id[option_id], "selected": option_id in row.selected} for option_id in row.option_order],
                is_correct=bool(row.is_correct),
                explanation=question.explanation,
            )
        )
    return reviewed
