"""XLSX import and export of the question bank, so a teacher can prepare questions in a spreadsheet.

One row per question, with the columns in ``COLUMNS`` (the export writes the same layout, so an
exported file can be edited and imported again as new questions). ``correct`` lists the
correct options by letter (``A`` or ``A,C``). Import checks every row first and reports every
problem with its row number; only a file without errors is imported, in one transaction, so a
bad file never leaves half its questions behind. Imported questions are published (a live
revision) unless ``as_drafts`` is set.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from core.exports import table_to_xlsx, undo_safe_cell
from courses.models import Question
from taxonomy.models import Topic

OPTION_LETTERS = "ABCDEF"
COLUMNS = [
    "kind",
    "question",
    *(f"option_{letter.lower()}" for letter in OPTION_LETTERS),
    "correct",
    "explanation",
    "topic",
    "difficulty",
]
KINDS = {choice.value for choice in Question.Kind}
DIFFICULTIES = {"easy": 1, "medium": 2, "hard": 3, "1": 1, "2": 2, "3": 3}
DIFFICULTY_NAMES = {1: "easy", 2: "medium", 3: "hard"}
MAX_ROWS = 2000


@dataclass
class ImportResult:
    created: list[Question] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def option_stream(options: list[tuple[str, bool]]) -> str:
    return json.dumps(
        [
            {"type": "option", "id": str(uuid.uuid4()), "value": {"text": text, "correct": correct}}
            for text, correct in options
        ]
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return undo_safe_cell(str(value).strip())


def _parse_row(number: int, row: dict, topics: dict[str, Topic]) -> tuple[dict | None, list[str]]:
    errors = []

    def error(message: str) -> None:
        errors.append(_("Row %(row)d: %(message)s") % {"row": number, "message": message})

    kind = row["kind"].lower().replace("-", "_").replace(" ", "_")
    if kind not in KINDS:
        error(_("kind must be one of single, multiple, true_false (found “%(value)s”).") % {"value": row["kind"]})
    text = row["question"]
    if not text:
        error(_("the question is empty."))
    elif len(text) > 1000:
        error(_("the question is longer than 1000 characters."))
    options = [(letter, row[f"option_{letter.lower()}"]) for letter in OPTION_LETTERS]
    options = [(letter, text_) for letter, text_ in options if text_]
    letters = [letter for letter, _text in options]
    if kind == "true_false" and not options:
        options = [("A", _("True")), ("B", _("False"))]
        letters = ["A", "B"]
    if len(options) < 2:
        error(_("give at least two options."))
    if any(len(text_) > 300 for _letter, text_ in options):
        error(_("an option is longer than 300 characters."))
    if kind == "true_false" and len(options) != 2:
        error(_("a true-or-false question has exactly two options."))
    correct = [part.strip().upper() for part in row["correct"].replace("，", ",").split(",") if part.strip()]
    unknown = [letter for letter in correct if letter not in letters]
    if not correct:
        error(_("the correct column is empty (use letters, e.g. A or A,C)."))
    elif unknown:
        error(_("the correct answer %(letters)s is not one of the options.") % {"letters": ",".join(unknown)})
    elif kind in ("single", "true_false") and len(correct) != 1:
        error(_("a single-choice or true-or-false question has exactly one correct answer."))
    explanation = row["explanation"]
    if not explanation:
        error(_("the explanation is empty."))
    topic = None
    if row["topic"]:
        topic = topics.get(row["topic"].lower())
        if topic is None:
            error(_("unknown topic “%(value)s” (use a topic's name or slug).") % {"value": row["topic"]})
    difficulty = DIFFICULTIES.get((row["difficulty"] or "easy").lower())
    if difficulty is None:
        error(_("difficulty must be easy, medium or hard (found “%(value)s”).") % {"value": row["difficulty"]})
    if errors:
        return None, errors
    return {
        "kind": kind,
        "text": text,
        "options": option_stream([(text_, letter in correct) for letter, text_ in options]),
        "explanation": explanation[:2000],
        "topic": topic,
        "difficulty": difficulty,
    }, []


def import_questions(file, *, as_drafts: bool = False, user=None) -> ImportResult:
    """Imports every row of ``file`` (XLSX) or none; errors name the spreadsheet row."""
    from openpyxl import load_workbook

    result = ImportResult()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors for a bad file
        result.errors.append(_("The file could not be read. Please upload an .xlsx spreadsheet."))
        return result
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(value).lower() for value in next(rows, ())]
    missing = [column for column in ("kind", "question", "correct", "explanation") if column not in header]
    if missing:
        result.errors.append(
            _("Row 1: the header is missing the columns %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return result
    topics: dict[str, Topic] = {}
    for topic in Topic.objects.all():
        topics[topic.slug.lower()] = topic
        topics[topic.name.lower()] = topic
    parsed: list[dict[str, Any]] = []
    for number, values in enumerate(rows, start=2):
        row = dict.fromkeys(COLUMNS, "")
        for column, value in zip(header, values, strict=False):
            if column in row:
                row[column] = _cell(value)
        if not any(row.values()):
            continue
        if len(parsed) + len(result.errors) >= MAX_ROWS:
            result.errors.append(_("The file has more than %(max)d questions.") % {"max": MAX_ROWS})
            break
        fields, errors = _parse_row(number, row, topics)
        result.errors.extend(errors)
        if fields is not None:
            parsed.append(fields)
    workbook.close()
    if not parsed and not result.errors:
        result.errors.append(_("The file has no questions."))
    if result.errors:
        return result
    with transaction.atomic():
        for fields in parsed:
            question = Question(**fields, live=not as_drafts)
            question.full_clean()
            question.save()
            revision = question.save_revision(user=user)
            if not as_drafts:
                revision.publish(user=user)
                question.refresh_from_db()
            result.created.append(question)
    return result


def may_export_answer_key(user) -> bool:
    """The export holds every correct answer: district staff and teachers only, never editors.

    Editors write pages, not quizzes; a parent with the key could pass any quiz unread.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if not user.has_perm("courses.view_question"):
        return False
    return user.is_superuser or has_role(user, Role.DISTRICT_STAFF, Role.TEACHER)


def exportable_questions(user):
    """The questions ``user`` may export with their answers.

    District staff (and superusers): the whole bank. A teacher: the questions the quizzes of
    the courses they teach or own can draw (``quizzes.question_pool``), nothing else.
    """
    from courses import quizzes
    from courses.models import CoursePage, QuizPage

    questions = Question.objects.select_related("topic").order_by("pk")
    if not may_export_answer_key(user):
        return questions.none()
    if user.is_superuser or has_role(user, Role.DISTRICT_STAFF):
        return questions
    pool = Q(pk__in=[])
    for course in CoursePage.objects.filter(Q(teacher=user) | Q(owner=user)):
        for quiz in QuizPage.objects.child_of(course):
            pool |= Q(pk__in=quizzes.question_pool(quiz).values("pk"))
    return questions.filter(pool)


def question_rows(questions) -> list[list[str]]:
    rows = []
    for question in questions:
        options = question.option_list()[: len(OPTION_LETTERS)]
        texts = [option["text"] for option in options] + [""] * (len(OPTION_LETTERS) - len(options))
        correct = ",".join(OPTION_LETTERS[index] for index, option in enumerate(options) if option["correct"])
        rows.append(
            [
                question.kind,
                question.text,
                *texts,
                correct,
                question.explanation,
                question.topic.slug if question.topic else "",
                DIFFICULTY_NAMES.get(question.difficulty, ""),
            ]
        )
    return rows


def export_questions(questions) -> bytes:
    """The questions as XLSX, in the import layout (the published version of each; drafts as saved).

    Written by ``core.exports`` like every export: a question or option that starts like a
    formula gets a leading quote, which ``import_questions`` takes off again.
    """
    return table_to_xlsx(COLUMNS, question_rows(questions), "questions")
