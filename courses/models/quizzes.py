"""Quizzes: the question bank (snippets with drafts and revisions), quiz pages and attempts.

A ``Question`` is content: teachers and district staff write it, save drafts and publish it;
every published version is a Wagtail revision. A ``QuizPage`` is a step of a course, placed
among its lessons in the page tree, and draws its questions from the bank by topic and
difficulty. A ``QuizAttempt`` is a record: the drawn questions, their order, the option order
and the revision of each question are stored with it (``QuizAnswer`` rows), so an attempt is
graded against exactly the questions the parent saw, even if a teacher edits them later.
The rules (drawing, time limits, grading) live in ``courses.quizzes``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, Page, RevisionMixin
from wagtail.search import index

from core.listing import OneQueryRestrictionsMixin
from taxonomy.models import Topic


class QuestionOptionBlock(blocks.StructBlock):
    """One answer option; the block's stable id identifies it in attempts across revisions."""

    text = blocks.CharBlock(label=_("Option"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct answer"), required=False)

    class Meta:
        icon = "tick"
        label = _("Option")


class Question(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A question in the bank: single choice, multiple choice or true/false.

    The correct answers are flags on the options; the explanation is shown to the parent only
    after they submit an attempt. Quizzes draw only live (published) questions and record the
    live revision, so a draft never reaches a parent.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("Easy")
        MEDIUM = 2, _("Medium")
        HARD = 3, _("Hard")

    text = models.TextField(_("question"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    options = StreamField([("option", QuestionOptionBlock())], verbose_name=_("options"), min_num=2, max_num=8)
    explanation = models.TextField(_("explanation"), max_length=2000, help_text=_("Shown after the quiz is submitted."))
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), choices=Difficulty.choices, default=Difficulty.EASY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("text"),
        FieldPanel("kind"),
        FieldPanel("options"),
        FieldPanel("explanation"),
        MultiFieldPanel([FieldPanel("topic"), FieldPanel("difficulty")], heading=_("Tags")),
        PublishingPanel(),
    ]
    search_fields = [index.SearchField("text"), index.AutocompleteField("text"), index.FilterField("live")]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    def option_list(self) -> list[dict]:
        """``[{"id", "text", "correct"}]`` in the order the teacher wrote them."""
        return [
            {"id": child.id, "text": child.value["text"], "correct": bool(child.value["correct"])}
            for child in self.options
        ]

    # Item analysis (``courses.reports.item_rows``) annotates answered and correct.
    @property
    def correct_rate_percent(self) -> int | None:
        answered = getattr(self, "answered", 0)
        return round(100 * getattr(self, "correct", 0) / answered) if answered else None

    def correct_ids(self) -> set[str]:
        return {option["id"] for option in self.option_list() if option["correct"]}

    def clean(self):
        super().clean()
        options = self.option_list() if self.options is not None else []
        correct = sum(option["correct"] for option in options)
        if self.kind == self.Kind.TRUE_FALSE and len(options) != 2:
            raise ValidationError({"options": _("A true-or-false question has exactly two options.")})
        if self.kind in (self.Kind.SINGLE, self.Kind.TRUE_FALSE) and correct != 1:
            raise ValidationError({"options": _("Mark exactly one option as correct.")})
        if self.kind == self.Kind.MULTIPLE and correct < 1:
            raise ValidationError({"options": _("Mark at least one option as correct.")})


class QuizPageForm(WagtailAdminPageForm):
    """Refuses a quiz that would draw more questions than its pool holds, when it is saved."""

    def clean(self):
        cleaned_data = super().clean()
        count = cleaned_data.get("question_count")
        if not count or "topics" in self.errors or "difficulty" in self.errors:
            return cleaned_data
        from courses.quizzes import pool_for

        topics = cleaned_data.get("topics") or []
        difficulty = cleaned_data.get("difficulty")
        available = pool_for(topic_ids=[topic.pk for topic in topics], difficulty=difficulty or None).count()
        if count > available:
            self.add_error(
                "question_count",
                _(
                    "The question bank holds %(available)s published questions for these topics and this "
                    "difficulty, so a quiz cannot draw %(count)s. Lower the number, choose more topics, "
                    "or publish more questions first."
                )
                % {"available": available, "count": count},
            )
        return cleaned_data


class QuizPage(OneQueryRestrictionsMixin, RoutablePageMixin, Page):
    """A quiz as a step of a course, placed among the lessons in the page tree.

    Each attempt draws ``question_count`` live questions from the bank, filtered by the
    quiz's topics (any of them; none = all topics) and difficulty (empty = any), preferring
    questions the parent has not seen yet. Questions and options are shuffled per attempt.
    """

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    question_count = models.PositiveSmallIntegerField(_("number of questions"), default=10)
    topics = ParentalManyToManyField(
        Topic,
        verbose_name=_("draw from topics"),
        blank=True,
        related_name="quizzes",
        help_text=_("Leave empty to draw from every topic."),
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Question.Difficulty.choices, null=True, blank=True, help_text=_("Empty: any.")
    )
    pass_mark_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=3, help_text=_("0 means unlimited attempts.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Leave empty for no time limit.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("question_count"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("difficulty"),
            ],
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [FieldPanel("pass_mark_percent"), FieldPanel("max_attempts"), FieldPanel("time_limit_minutes")],
            heading=_("Rules"),
        ),
    ]

    base_form_class = QuizPageForm

    search_fields = Page.search_fields

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        if not 1 <= self.pass_mark_percent <= 100:
            raise ValidationError({"pass_mark_percent": _("The pass mark is between 1 and 100.")})
        if self.question_count < 1:
            raise ValidationError({"question_count": _("A quiz has at least one question.")})

    # Quiz results (``courses.reports.quiz_rows``) annotate attempt_count and passed_count.
    @property
    def pass_rate_percent(self) -> int | None:
        attempts = getattr(self, "attempt_count", 0)
        return round(100 * getattr(self, "passed_count", 0) / attempts) if attempts else None

    @property
    def average_score_percent(self) -> int | None:
        average = getattr(self, "average_score", None)
        return None if average is None else round(average)

    @path("")
    def index_route(self, request, *args, **kwargs):
        from courses import quiz_views

        return quiz_views.quiz(self, request)

    @path("start/", name="start")
    def start_view(self, request):
        from courses import quiz_views

        return quiz_views.start(self, request)

    @re_path(r"^attempt/(?P<attempt_id>\d+)/save/$", name="save")
    def save_view(self, request, attempt_id):
        from courses import quiz_views

        return quiz_views.save_answers(self, request, int(attempt_id))

    @re_path(r"^attempt/(?P<attempt_id>\d+)/submit/$", name="submit")
    def submit_view(self, request, attempt_id):
        from courses import quiz_views

        return quiz_views.submit(self, request, int(attempt_id))

    @re_path(r"^attempt/(?P<attempt_id>\d+)/$", name="result")
    def result_view(self, request, attempt_id):
        from courses import quiz_views

        return quiz_views.result(self, request, int(attempt_id))


class QuizAttempt(models.Model):
    """One try at a quiz; graded once, on the server, against the stored question revisions."""

    quiz = models.ForeignKey(QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts")
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("parent"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("submitted after the time limit"), default=False)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    question_total = models.PositiveSmallIntegerField(_("questions"), default=0)
    score_percent = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "parent", "number"], name="courses_one_attempt_number"),
            # At most one attempt in progress per parent and quiz.
            models.UniqueConstraint(
                fields=["quiz", "parent"],
                condition=models.Q(submitted_at__isnull=True),
                name="courses_one_open_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} · {self.quiz_id} · #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class QuizAnswer(models.Model):
    """One drawn question of an attempt: its position, revision, option order and the answer."""

    attempt = models.ForeignKey(
        QuizAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="quiz_answers"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("question revision"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    option_order = models.JSONField(_("option order"), default=list)
    selected = models.JSONField(_("selected options"), default=list, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="courses_one_answer_per_position")]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.position}"
